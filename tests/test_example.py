"""The shipped Northwind Clinics example: it loads cleanly and holds the situations the demo,
the tutorials and the lint/alignment checks rely on."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import networkx as nx
import pytest

from goalbook.examples import example_path, load_example
from goalbook.io import load_goalbook
from goalbook.model import KeyResult, Objective

TEAMS = {"Web", "Clinics Ops", "Contact Centre", "Data", "People"}
FRIDAYS = [date(2027, 1, 8) + timedelta(weeks=n) for n in range(8)]


@pytest.fixture(scope="module")
def book():
    return load_goalbook(example_path())


def company_krs(book):
    return [kr for o in book.objectives if o.level == "company" for kr in o.key_results]


def latest(book, id):
    return book.check_ins_for(id)[-1]


def test_example_file_is_shipped_with_the_package():
    path = example_path()
    assert path.is_file() and path.suffix == ".yaml"
    assert path.read_text(encoding="utf-8").startswith("# Northwind Clinics")


def test_example_loads_without_validation_errors(book):
    assert [str(p) for p in book.validate() if p.severity == "error"] == []
    assert book.organisation == "Northwind Clinics"
    assert book.fiscal_year_start == 1


def test_load_example_gives_an_independent_copy_each_time():
    first = load_example()
    first.smart_goals.clear()
    assert len(load_example().smart_goals) == 12


def test_three_company_objectives_with_twelve_key_results_in_the_quarter(book):
    company = [o for o in book.objectives if o.level == "company"]
    assert len(company) == 3
    for o in company:
        assert o.period.name == "2027-Q1"
        assert (o.period.start, o.period.end) == (date(2027, 1, 1), date(2027, 3, 31))
        assert o.owner
    krs = company_krs(book)
    assert len(krs) == 12
    assert {kr.direction for kr in krs} == {"increase", "decrease", "maintain", "milestone"}
    assert {kr.indicator for kr in krs} == {"leading", "lagging"}
    assert all(kr.owner and kr.confidence is not None for kr in krs)
    assert any(kr.weight != 1 for kr in krs)
    maintain = [kr for kr in krs if kr.direction == "maintain"]
    assert len(maintain) == 1 and maintain[0].bound == "at_most" and maintain[0].target is not None
    milestone = [kr for kr in krs if kr.direction == "milestone"]
    assert len(milestone) == 1 and len(milestone[0].checkpoints) >= 3
    assert {c.done for c in milestone[0].checkpoints} == {True, False}
    assert all(kr.unit for kr in krs if kr.direction != "milestone")


def test_department_objectives_support_company_key_results(book):
    departments = [o for o in book.objectives if o.level == "department"]
    assert 1 <= len(departments) <= 2
    company_ids = {kr.id for kr in company_krs(book)}
    for o in departments:
        assert {lk.target for lk in book.links_from(o.id)} & company_ids
        assert o.key_results


def test_five_teams_with_two_or_three_smart_goals_each(book):
    by_team: dict[str, int] = {}
    for g in book.smart_goals:
        by_team[g.team] = by_team.get(g.team, 0) + 1
    assert set(by_team) == TEAMS
    assert all(2 <= n <= 3 for n in by_team.values())


def test_every_smart_goal_is_complete_and_due_inside_the_quarter(book):
    for g in book.smart_goals:
        assert g.metric and g.owner and g.unit, g.id
        assert g.baseline is not None and g.target is not None and g.baseline != g.target, g.id
        assert g.budget is not None and g.budget > 0, g.id
        assert g.period is not None and g.period.contains(g.deadline), g.id
        assert g.deadline.isoformat() in g.statement, f"{g.id}: the statement must carry its deadline"


def test_every_smart_goal_links_to_a_company_key_result_or_objective(book):
    for g in book.smart_goals:
        parents = [book.get(lk.target) for lk in book.links_from(g.id)]
        assert any(
            (isinstance(p, Objective) and p.level == "company")
            or (isinstance(p, KeyResult) and book.objective_of(p).level == "company")
            for p in parents
        ), g.id


def test_links_mix_both_kinds_and_one_goal_only_supports(book):
    kinds = {lk.kind for lk in book.links}
    assert kinds == {"contributes", "supports"}
    only_supports = [g.id for g in book.smart_goals
                     if {lk.kind for lk in book.links_from(g.id)} == {"supports"}]
    assert only_supports == ["WEB-3"]
    assert sum(lk.kind == "contributes" for lk in book.links) > sum(lk.kind == "supports" for lk in book.links)
    assert book.links_to("CO-3.KR4") == []  # a gap left on purpose: nothing serves complaints yet


def test_links_form_no_cycle(book):
    graph = nx.DiGraph((lk.source, lk.target) for lk in book.links)
    assert nx.is_directed_acyclic_graph(graph)


def test_kpis_have_thresholds_eight_weekly_values_and_one_orphan(book):
    assert 4 <= len(book.kpis) <= 6
    for k in book.kpis:
        assert k.green is not None and k.amber is not None and k.target is not None
        assert [v.date for v in k.values] == FRIDAYS
    orphans = [k.id for k in book.kpis if not book.links_from(k.id)]
    assert orphans == ["KPI-SICK"]


def test_initiatives_cover_every_status_and_one_is_a_candidate(book):
    assert 5 <= len(book.initiatives) <= 8
    assert {i.status for i in book.initiatives} == {"candidate", "approved", "active", "done"}
    candidates = [i for i in book.initiatives if i.status == "candidate"]
    assert len(candidates) == 1 and candidates[0].external_ref is None
    assert all(i.external_ref for i in book.initiatives if i.status != "candidate")
    assert all(book.links_from(i.id) for i in book.initiatives)


def test_eight_weekly_check_ins_on_every_company_key_result_and_most_goals(book):
    assert sorted({c.date for c in book.check_ins}) == FRIDAYS
    for kr in company_krs(book):
        assert [c.date for c in book.check_ins_for(kr.id)] == FRIDAYS, kr.id
    with_check_ins = [g for g in book.smart_goals if len(book.check_ins_for(g.id)) == 8]
    assert len(with_check_ins) >= 2 * len(book.smart_goals) // 3
    for c in book.check_ins:
        assert 0 <= c.confidence <= 10 and c.status and c.value is not None
        assert c.author == book.get(c.target_id).owner, f"{c.target_id} checked in by someone else"


def test_progress_tells_a_realistic_mid_quarter_story(book):
    final = {kr.id: latest(book, kr.id) for kr in company_krs(book)}
    off = [i for i, c in final.items() if c.status == "off_track"]
    at_risk = [i for i, c in final.items() if c.status == "at_risk"]
    assert off == ["CO-2.KR1"] and at_risk == ["CO-3.KR1"]
    ahead = book.get("CO-3.KR3")
    assert final["CO-3.KR3"].value > ahead.target
    # the off-track result loses confidence over the weeks, and values do not move in a straight line
    series = book.check_ins_for("CO-2.KR1")
    assert series[-1].confidence < series[0].confidence
    for kr in company_krs(book):
        values = [c.value for c in book.check_ins_for(kr.id)]
        steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
        assert len(steps) > 1, kr.id


def test_yaml_comments_survive_a_save(book, tmp_path):
    out = tmp_path / "northwind.yaml"
    book.save(out)
    text = out.read_text(encoding="utf-8")
    assert "# Nobody has linked this KPI to a key result yet" in text
    assert "# the outcome the board watches; counts double" in text
    assert load_goalbook(out) == book


def test_lint_finds_the_loose_ends_left_on_purpose_and_no_errors(book):
    from goalbook.lint.book import lint_book

    findings = lint_book(book, today=FRIDAYS[-1])
    assert [str(f) for f in findings if f.severity == "error"] == []
    flagged = {f.entity for f in findings}
    assert {"KPI-SICK", "CO-3.KR4", "CC-2", "PPL-2"} <= flagged
