"""The synthetic organisation generator the benchmarks rely on: deterministic, valid, scaled."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import networkx as nx
import pytest

from benchmarks.synthetic import counts, generate_org, main, write_yaml
from goalbook.model import KeyResult, Objective

FRIDAYS = [date(2027, 1, 8) + timedelta(weeks=n) for n in range(8)]


@pytest.fixture(scope="module")
def org():
    return generate_org(1000, seed=1)


def test_same_seed_gives_the_same_goalbook_and_another_seed_does_not():
    assert generate_org(200, seed=7) == generate_org(200, seed=7)
    assert generate_org(200, seed=7) != generate_org(200, seed=8)


def test_generated_goalbook_is_valid(org):
    assert [str(p) for p in org.errors()] == []


def test_hierarchy_has_every_level_and_kind(org):
    levels = Counter(o.level for o in org.objectives)
    assert 3 <= levels["company"] <= 5
    assert levels["department"] >= 2 * round(1000 / 500)
    assert levels["team"] >= round(1000 / 8)
    assert 0.4 * 1000 < levels["person"] < 0.8 * 1000
    assert {kr.direction for kr in org.key_results} == {"increase", "decrease", "maintain", "milestone"}
    assert {i.status for i in org.initiatives} == {"candidate", "approved", "active", "done"}
    assert {g.team for g in org.smart_goals} == {o.team for o in org.objectives if o.level == "team"}
    for g in org.smart_goals:
        assert g.period.contains(g.deadline) and g.deadline.isoformat() in g.statement
        assert g.budget is not None and g.owner and g.metric


def test_size_grows_about_linearly_with_people(org):
    small, large = counts(org), counts(generate_org(2000, seed=1))
    assert 3000 <= small["goals"] <= 5000
    assert 1.3 <= small["links"] / small["goals"] <= 1.8
    for kind in ("objectives", "key_results", "smart_goals", "kpis", "initiatives", "links", "check_ins"):
        assert 1.7 <= large[kind] / small[kind] <= 2.3, kind


def test_links_form_no_cycle_and_some_goals_serve_several_parents(org):
    graph = nx.DiGraph((lk.source, lk.target) for lk in org.links)
    assert nx.is_directed_acyclic_graph(graph)
    assert len(graph.edges) == len(org.links)  # no duplicate links
    assert {lk.kind for lk in org.links} == {"contributes", "supports"}
    assert max(Counter(lk.source for lk in org.links).values()) >= 2


def test_links_point_up_the_hierarchy(org):
    rank = {"person": 0, "team": 1, "department": 2, "company": 3}

    def level(id):
        g = org.get(id)
        if isinstance(g, KeyResult):
            g = org.objective_of(g)
        return rank[g.level] if isinstance(g, Objective) else None

    for lk in org.links:
        src, dst = level(lk.source), level(lk.target)
        if src is not None and dst is not None:
            assert dst > src, (lk.source, lk.target)


def test_some_kpis_are_orphans_but_most_are_linked(org):
    orphans = [k for k in org.kpis if not org.links_from(k.id)]
    assert 0 < len(orphans) < 0.25 * len(org.kpis)


def test_default_check_ins_are_weekly_on_most_key_results_and_goals(org):
    assert sorted({c.date for c in org.check_ins}) == FRIDAYS
    tracked = {c.target_id for c in org.check_ins}
    trackable = [kr.id for kr in org.key_results] + [g.id for g in org.smart_goals]
    assert tracked <= set(trackable)
    assert 0.8 < len(tracked) / len(trackable) < 1
    assert {c.status for c in org.check_ins} == {"on_track", "at_risk", "off_track", "done"}
    assert all(0 <= c.confidence <= 10 for c in org.check_ins)


def test_milestone_checkpoints_agree_with_the_last_check_in(org):
    for kr in org.key_results:
        if kr.direction == "milestone" and org.check_ins_for(kr.id):
            done = sum(cp.done for cp in kr.checkpoints) / len(kr.checkpoints)
            assert org.check_ins_for(kr.id)[-1].value == pytest.approx(done, abs=0.01)


def test_an_exact_number_of_check_ins_can_be_asked_for():
    book = generate_org(100, seed=2, checkins=12_345)
    assert len(book.check_ins) == 12_345
    assert book.errors() == []
    window_end = date(2027, 1, 1) + timedelta(weeks=8)
    assert all(date(2027, 1, 1) < c.date <= window_end for c in book.check_ins)


def test_weeks_and_period_move_the_check_ins():
    book = generate_org(60, weeks=4, period="2027-Q2")
    assert sorted({c.date for c in book.check_ins}) == [date(2027, 4, 8) + timedelta(weeks=n) for n in range(4)]
    assert all(o.period.name == "2027-Q2" for o in book.objectives)


@pytest.mark.parametrize("kwargs", [{"people": 0}, {"people": 10, "weeks": 0}, {"people": 10, "checkins": -1}])
def test_nonsense_sizes_are_refused(kwargs):
    with pytest.raises(ValueError):
        generate_org(**kwargs)


def test_write_yaml_round_trips_through_the_loader(tmp_path):
    from goalbook.io import load_goalbook

    book = generate_org(80, seed=4)
    path = write_yaml(book, tmp_path / "org.yaml")
    assert not list(tmp_path.glob("*.tmp"))
    assert "&id" not in path.read_text(encoding="utf-8")  # no YAML anchors for a hand reader to chase
    assert load_goalbook(path) == book


def test_command_line_reports_counts_and_writes_a_file(tmp_path, capsys):
    out = tmp_path / "org.yaml"
    assert main(["--people", "40", "--seed", "3", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"goals {counts(generate_org(40, seed=3))['goals']:,}" in text
    assert out.read_text(encoding="utf-8").startswith("goalbook: 1")
