"""The alignment graph and every analysis on a small hand-made goalbook whose answers are known.

Acme has three company objectives, a department, two people and five teams, wired so that each
analysis has something to find (and something it must not find): an orphan chain, a team that
only links to itself, a team goal that skips its department, one that does not (it also goes
through the department), a person's goal that skips their team, a goal off track, a key result
that rolls up from weighted contributors, an objective driven by its children.
"""

from __future__ import annotations

import doctest
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import goalbook
from benchmarks.synthetic import generate_org
from goalbook.alignment import (
    alignment_graph,
    analyse,
    blast_radii,
    blast_radius,
    compiled,
    contribution_rollup,
    contributions,
    critical_goals,
    leading_coverage,
    orphans,
    owner_load,
    silos,
    skipped_levels,
    uncovered_key_results,
)
from goalbook.alignment import graph as graph_module
from goalbook.errors import ValidationError
from goalbook.model import KPI, Goalbook, Initiative, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period

Q1 = Period.parse("2027-Q1")
TODAY = date(2027, 2, 14)  # half of the quarter has passed


def acme() -> Goalbook:
    def goal(id: str, team: str, owner: str, **kw: object) -> SmartGoal:
        return SmartGoal(id, f"Goal {id}", team=team, owner=owner, period=Q1, **kw)  # type: ignore[arg-type]

    return Goalbook(
        organisation="Acme",
        objectives=[
            Objective("CO-1", "Win the market", owner="ceo", period=Q1, key_results=[
                KeyResult("CO-1.KR1", "Revenue", indicator="lagging"),
                KeyResult("CO-1.KR2", "Signups", indicator="leading"),
                KeyResult("CO-1.KR3", "Brand", indicator="lagging")]),
            Objective("CO-2", "Run lean", owner="cfo", period=Q1, key_results=[
                KeyResult("CO-2.KR1", "Cost", indicator="lagging")]),
            Objective("CO-3", "Open Leeds", owner="coo", period=Q1, driver="children"),
            Objective("DEP-1", "Digital growth", level="department", team="Digital", owner="cdo", period=Q1,
                      key_results=[KeyResult("DEP-1.KR1", "App conversion", indicator="leading"),
                                   KeyResult("DEP-1.KR2", "App revenue", indicator="lagging")]),
            Objective("P-1", "Ana grows", level="person", team="Web", owner="ana", period=Q1,
                      key_results=[KeyResult("P-1.KR1", "Ship 3 features")]),
            Objective("P-2", "Ben grows", level="person", team="Web", owner="ben", period=Q1,
                      key_results=[KeyResult("P-2.KR1", "Close 2 deals")]),
        ],
        smart_goals=[
            goal("WEB-1", "Web", "web-lead", indicator="leading", baseline=0, target=10, current=5),
            goal("WEB-2", "Web", "web-lead", indicator="lagging", baseline=0, target=10, current=0),
            goal("WEB-3", "Web", "web-lead", indicator="lagging"),
            goal("WEB-4", "Web", "ana", baseline=0, target=4, current=4),
            goal("OPS-1", "Ops", "ops-lead", indicator="lagging"),
            goal("OPS-2", "Ops", "ops-lead"),
            goal("DATA-1", "Data", "data-lead"),
            goal("LAB-1", "Lab", "lab-lead"),
            goal("LAB-2", "Lab", "lab-lead"),
            goal("LEG-1", "Legal", "counsel"),
        ],
        kpis=[KPI("KPI-1", "Cloud cost", team="Ops", owner="ops-lead", indicator="lagging"), KPI("KPI-2", "Mood")],
        initiatives=[
            Initiative("INI-1", "Checkout revamp", status="active", progress=0.5, team="Web", owner="web-lead"),
            Initiative("INI-2", "Chatbot idea", status="candidate", team="Web"),
            Initiative("INI-3", "Design system", status="done", team="Web"),
            Initiative("INI-4", "Sign the lease", status="done", owner="coo"),
            Initiative("INI-5", "Hire staff", status="active", progress=0.2, owner="coo"),
            Initiative("INI-6", "Open a cafe", status="candidate"),
        ],
        links=[
            Link("DEP-1", "CO-1.KR1"),
            Link("WEB-1", "DEP-1.KR1", weight=2), Link("WEB-4", "DEP-1.KR1"),
            Link("WEB-2", "CO-1.KR1"),  # skips its department
            Link("WEB-3", "CO-1.KR2"), Link("WEB-3", "DEP-1.KR2"),  # ... this one also goes through it
            Link("P-1.KR1", "WEB-1"),
            Link("P-2.KR1", "DEP-1.KR2"),  # a person's goal skipping the team
            Link("OPS-1", "CO-2.KR1"), Link("OPS-2", "OPS-1"), Link("KPI-1", "CO-2.KR1"),
            Link("DATA-1", "CO-1.KR1"), Link("DATA-1", "CO-1.KR2"), Link("DATA-1", "CO-2.KR1"),
            Link("LAB-2", "LAB-1"),
            Link("INI-1", "WEB-1"), Link("INI-2", "WEB-1"), Link("INI-3", "WEB-1", kind="supports"),
            Link("INI-4", "CO-3"), Link("INI-5", "CO-3", weight=3), Link("INI-6", "CO-3"),
        ])


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return alignment_graph(acme(), today=TODAY)


def ids(df: pd.DataFrame, column: str = "id") -> list[str]:
    return df[column].tolist()


def rows(df: pd.DataFrame) -> list[list]:
    """The frame's rows with pandas' missing values as None."""
    return df.astype(object).where(df.notna(), None).values.tolist()


# --- the graph -------------------------------------------------------------------------------------


def test_nodes_are_typed_and_carry_what_a_reader_needs(G: nx.DiGraph) -> None:
    assert G.number_of_nodes() == len(list(acme().iter_goals()))
    kr = G.nodes["CO-1.KR1"]
    assert (kr["kind"], kr["level"], kr["owner"], kr["objective"], kr["period"]) == (
        "key_result", "company", "ceo", "CO-1", "2027-Q1")  # a key result without owner shows its objective's
    web = G.nodes["WEB-2"]
    assert (web["kind"], web["team"], web["level"], web["status"], web["progress"]) == (
        "smart_goal", "Web", "team", "off_track", 0.0)
    assert G.nodes["INI-2"]["stage"] == "candidate" and G.nodes["CO-3"]["driver"] == "children"
    assert G.graph["organisation"] == "Acme"


def test_edges_point_from_the_goal_to_what_it_serves(G: nx.DiGraph) -> None:
    assert G.edges["CO-1.KR1", "CO-1"] == {"kind": "part_of", "weight": 1.0}
    assert G.edges["WEB-1", "DEP-1.KR1"] == {"kind": "contributes", "weight": 2.0}
    assert G.edges["INI-3", "WEB-1"]["kind"] == "supports"
    assert G.number_of_edges() == 8 + len(acme().links)  # eight key results, each part of its objective


def test_scores_come_from_scoring_and_can_be_passed_in() -> None:
    book = acme()
    scores = goalbook.scoring.score_book(book, today=TODAY)
    by_id = {s.id: s for s in scores}
    G = alignment_graph(book, scores=scores)
    for n, d in G.nodes(data=True):
        assert (d["progress"], d["status"], d["score"], d["colour"]) == (
            by_id[n].progress, by_id[n].status, by_id[n].score, by_id[n].colour)
    assert nx.utils.graphs_equal(G, alignment_graph(book, scores=by_id))
    assert dict(G.nodes(data=True)) == dict(alignment_graph(book, today=TODAY).nodes(data=True))
    shuffled = alignment_graph(book, scores=list(reversed(scores[5:])))  # any order, some missing
    assert shuffled.nodes["WEB-2"]["status"] == "off_track" and shuffled.nodes["CO-1"]["progress"] is None
    assert blast_radii(shuffled)["id"].tolist() == [  # policy changed (issue 12): the unmeasured are off track
        "DATA-1", "WEB-3", "DEP-1.KR2", "P-1.KR1", "P-2.KR1", "WEB-2", "OPS-1", "OPS-2", "P-1", "P-2", "LAB-1",
        "LAB-2", "LEG-1"]


def test_the_public_build_path_gives_the_same_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = alignment_graph(acme(), today=TODAY)
    monkeypatch.setattr(graph_module._nx, "DIRECT", False)
    slow = alignment_graph(acme(), today=TODAY)
    assert nx.utils.graphs_equal(fast, slow)
    assert list(fast) == list(slow) and list(fast.edges(data=True)) == list(slow.edges(data=True))


def test_every_bad_link_is_named_at_once() -> None:
    book = acme()
    book.locations = {"WEB-1": ("acme.yaml", 40)}
    book.links += [Link("WEB-1", "CO-1.KR9"), Link("GHOST", "CO-1"), Link("OPS-2", "OPS-2"),
                   Link("WEB-1", "CO-2.KR1", kind="helps")]
    with pytest.raises(ValidationError) as exc:
        alignment_graph(book, scores=[])
    messages = [str(p) for p in exc.value.problems]
    assert len(messages) == 4
    assert messages[0].startswith("acme.yaml:40: link WEB-1 → CO-1.KR9: 'CO-1.KR9' does not exist (did you mean")
    assert "link GHOST → CO-1: 'GHOST' does not exist" in messages[1]
    assert "link OPS-2 → OPS-2: a goal cannot support itself" in messages[2]
    assert "kind 'helps' is not one of contributes, supports" in messages[3]
    assert exc.value.problems[1].path == ("links", len(acme().links) + 1)


def test_an_id_used_twice_is_refused() -> None:
    book = acme()
    book.smart_goals.append(SmartGoal("WEB-1", "Another goal with the same id"))
    with pytest.raises(ValidationError, match="id 'WEB-1' is used twice"):
        alignment_graph(book, scores=[])


def test_a_loop_is_spelled_out() -> None:
    book = Goalbook(objectives=[Objective("CO-1", "Grow", key_results=[KeyResult("CO-1.KR3", "Deals")])],
                    smart_goals=[SmartGoal("SALES-2", "Close 40 deals by June")],
                    links=[Link("SALES-2", "CO-1.KR3"), Link("CO-1.KR3", "SALES-2")])
    with pytest.raises(ValidationError) as exc:
        alignment_graph(book, scores=[])
    assert len(exc.value.problems) == 1
    assert "SALES-2 → CO-1.KR3 → SALES-2" in str(exc.value)


def test_loops_through_key_results_and_separate_loops_are_each_reported() -> None:
    book = acme()
    book.links += [Link("CO-1", "P-1.KR1"),  # CO-1 → P-1.KR1 → WEB-1 → DEP-1.KR1 → DEP-1 → CO-1.KR1 → CO-1
                   Link("LAB-1", "LAB-2")]  # LAB-1 ⇄ LAB-2
    with pytest.raises(ValidationError) as exc:
        alignment_graph(book, scores=[])
    loops = [p.message for p in exc.value.problems]
    assert len(loops) == 2
    assert "WEB-1 → DEP-1.KR1 → DEP-1 → CO-1.KR1 → CO-1 → P-1.KR1 → WEB-1" in loops[0]
    assert "LAB-2 → LAB-1 → LAB-2" in loops[1]


def test_a_pair_linked_twice_counts_once_unless_the_two_links_disagree() -> None:
    book = acme()
    book.links.append(Link("WEB-4", "DEP-1.KR1"))
    assert alignment_graph(book, scores=[]).number_of_edges() == alignment_graph(acme(), scores=[]).number_of_edges()
    book.links += [Link("WEB-2", "CO-1.KR1", kind="supports"), Link("CO-1.KR2", "CO-1")]
    with pytest.raises(ValidationError) as exc:
        alignment_graph(book, scores=[])
    assert [p.message for p in exc.value.problems] == [
        "link WEB-2 → CO-1.KR1 (supports, weight 1): it is already linked as 'contributes' with weight 1",
        "link CO-1.KR2 → CO-1 (contributes, weight 1): CO-1.KR2 is already a key result of CO-1",
    ]


def test_the_structure_cache_follows_changes_to_the_graph() -> None:
    G = alignment_graph(acme(), scores=[])
    before = compiled(G)
    assert "LEG-1" in ids(orphans(G)) and ids(uncovered_key_results(G)) == ["CO-1.KR3"]
    G.add_edge("LEG-1", "CO-1.KR3", kind="contributes", weight=1.0)
    assert compiled(G) is not before
    assert "LEG-1" not in ids(orphans(G)) and ids(uncovered_key_results(G)) == []


def test_analyses_work_on_any_graph_with_the_same_attributes(G: nx.DiGraph) -> None:
    copy = G.copy()  # no cached structure: read back from the attribute dicts
    for analysis in (orphans, uncovered_key_results, skipped_levels, owner_load, silos, leading_coverage,
                     blast_radii, critical_goals, contribution_rollup):
        assert analysis(copy).equals(analysis(G)), analysis.__name__


def test_the_columns_built_with_the_graph_match_its_attributes() -> None:
    G = alignment_graph(generate_org(60, seed=3), today=TODAY)
    built = compiled(G)
    graph_module.refresh(G)
    read = compiled(G)
    assert built.ids == read.ids and (built.kind == read.kind).all() and (built.level == read.level).all()
    def edges(c: graph_module.Compiled) -> set[tuple[int, int, int, float]]:  # the order differs, not the set
        return set(zip(c.src.tolist(), c.dst.tolist(), c.ekind.tolist(), c.weight.tolist(), strict=True))

    assert edges(built) == edges(read) and (built.gen == read.gen).all()
    for name, column in built.attrs.items():
        assert column.tolist() == read.attrs[name].tolist(), name


def test_owners_of_mixed_types_still_count() -> None:
    G = alignment_graph(acme(), today=TODAY).copy()
    G.nodes["WEB-1"]["owner"] = 7  # a hand-made graph may hold anything
    load = owner_load(G).set_index("owner")["total"]
    assert load[7] == 1 and load["web-lead"] == owner_load(alignment_graph(acme(), today=TODAY)).set_index(
        "owner")["total"]["web-lead"] - 1


def test_stable_order_keeps_equal_keys_in_their_order() -> None:
    keys = np.array([3, 1, 3, 0, 1, 3])
    for bound in (4, 2**20):  # the radix sort, and the merge sort beyond 16 bits
        assert graph_module.stable_order(keys, bound).tolist() == [3, 1, 4, 0, 2, 5]


# --- the analyses ----------------------------------------------------------------------------------


def test_orphans_are_goals_that_reach_no_company_objective(G: nx.DiGraph) -> None:
    assert rows(orphans(G)[["id", "kind", "team", "reason"]]) == [
        ["LAB-1", "smart_goal", "Lab", "no link"],
        ["LAB-2", "smart_goal", "Lab", "links to LAB-1, which serves no company objective either"],
        ["LEG-1", "smart_goal", "Legal", "no link"],
        ["KPI-2", "kpi", None, "no link"],
    ]


def test_an_objective_aligned_through_one_key_result_carries_its_other_key_results() -> None:
    book = Goalbook(objectives=[
        Objective("CO-1", "Grow", key_results=[KeyResult("CO-1.KR1", "Deals")]),
        Objective("T-1", "Team aim", level="team", key_results=[KeyResult("T-1.KR1", "a"), KeyResult("T-1.KR2", "b")]),
        Objective("T-2", "Loose aim", level="team", key_results=[KeyResult("T-2.KR1", "c")])],
        smart_goals=[SmartGoal("G-1", "Feeds T-1's second key result")],
        links=[Link("T-1.KR1", "CO-1.KR1"), Link("G-1", "T-1.KR2"), Link("T-2.KR1", "G-1")])
    G = alignment_graph(book, scores=[])
    assert ids(orphans(G)) == []
    book.links.pop(0)
    G = alignment_graph(book, scores=[])
    assert orphans(G)[["id", "reason"]].values.tolist() == [
        ["T-1", "no link"],
        ["T-2", "links to G-1, which serves no company objective either"],
        ["G-1", "links to T-1.KR2, which serves no company objective either"],
    ]


def test_uncovered_company_key_results(G: nx.DiGraph) -> None:
    assert uncovered_key_results(G).values.tolist() == [["CO-1.KR3", "Brand", "ceo", "CO-1"]]


def test_skipped_levels_only_where_a_closer_parent_exists(G: nx.DiGraph) -> None:
    assert skipped_levels(G).values.tolist() == [
        ["P-2.KR1", "person", "DEP-1.KR2", "department", "team", "WEB-1, WEB-3, WEB-4"],
        ["WEB-2", "team", "CO-1.KR1", "company", "department", "DEP-1"],
    ]


def test_owner_load_counts_goals_by_kind_heaviest_first(G: nx.DiGraph) -> None:
    df = owner_load(G)
    assert df.columns.tolist() == ["owner", "objectives", "key_results", "smart_goals", "kpis", "initiatives",
                                   "total", "at_risk", "teams"]
    # policy changed (issue 12): goals never measured count at their baseline and are paced: off track
    assert df.values.tolist() == [
        ["ceo", 1, 3, 0, 0, 0, 4, 4, ""],
        ["web-lead", 0, 0, 3, 0, 1, 4, 2, "Web"],
        ["ana", 1, 1, 1, 0, 0, 3, 2, "Web"],
        ["cdo", 1, 2, 0, 0, 0, 3, 1, "Digital"],
        ["coo", 1, 0, 0, 0, 2, 3, 0, ""],
        ["ops-lead", 0, 0, 2, 1, 0, 3, 2, "Ops"],
        ["ben", 1, 1, 0, 0, 0, 2, 2, "Web"],
        ["cfo", 1, 1, 0, 0, 0, 2, 2, ""],
        ["lab-lead", 0, 0, 2, 0, 0, 2, 2, "Lab"],
        ["counsel", 0, 0, 1, 0, 0, 1, 1, "Legal"],
        ["data-lead", 0, 0, 1, 0, 0, 1, 1, "Data"],
    ]


def test_silos_are_teams_whose_links_never_leave_the_team(G: nx.DiGraph) -> None:
    assert silos(G).values.tolist() == [["Lab", 2, 1, "links only among its own goals"],
                                        ["Legal", 1, 0, "no links at all"]]


def test_leading_indicator_coverage_counts_every_measure_upstream(G: nx.DiGraph) -> None:
    df = leading_coverage(G)
    assert df[["id", "leading", "lagging", "unclassified", "only_lagging"]].values.tolist() == [
        ["CO-1.KR1", 2, 3, 4, False],
        ["CO-1.KR2", 0, 1, 1, True],
        ["CO-1.KR3", 0, 0, 0, False],
        ["CO-2.KR1", 0, 2, 2, True],
    ]


def test_blast_radius_follows_every_link_up_to_the_company(G: nx.DiGraph) -> None:
    assert blast_radius(G, "INI-1") == goalbook.alignment.BlastRadius(
        "INI-1", ("CO-1.KR1",), ("CO-1",), ("DEP-1", "DEP-1.KR1", "WEB-1"))
    assert blast_radius(G, "INI-3").key_results == ("CO-1.KR1",)  # a 'supports' link still carries risk
    assert blast_radius(G, "P-2.KR1").goals == ("DEP-1", "DEP-1.KR2", "P-2")
    assert blast_radius(G, "LAB-2") == goalbook.alignment.BlastRadius("LAB-2", (), (), ("LAB-1",))
    with pytest.raises(KeyError, match="did you mean 'WEB-1'"):
        blast_radius(G, "WEB-11")


def test_blast_radii_of_the_goals_being_missed(G: nx.DiGraph) -> None:
    # policy changed (issue 12): goals never measured count at their baseline and are paced: off track
    assert blast_radii(G)[["id", "status", "key_results", "objectives"]].values.tolist() == [
        ["DATA-1", "off_track", "CO-1.KR1, CO-1.KR2, CO-2.KR1", "CO-1, CO-2"],
        ["WEB-3", "off_track", "CO-1.KR1, CO-1.KR2", "CO-1"],
        ["DEP-1.KR2", "off_track", "CO-1.KR1", "CO-1"],
        ["P-1.KR1", "off_track", "CO-1.KR1", "CO-1"],
        ["P-2.KR1", "off_track", "CO-1.KR1", "CO-1"],
        ["WEB-2", "off_track", "CO-1.KR1", "CO-1"],
        ["OPS-1", "off_track", "CO-2.KR1", "CO-2"],
        ["OPS-2", "off_track", "CO-2.KR1", "CO-2"],
        ["P-1", "off_track", "", ""],
        ["P-2", "off_track", "", ""],
        ["LAB-1", "off_track", "", ""],
        ["LAB-2", "off_track", "", ""],
        ["LEG-1", "off_track", "", ""]]
    assert ids(blast_radii(G, statuses=("done",))) == ["WEB-4", "INI-3", "INI-4"]


def test_critical_goals_are_those_the_most_company_key_results_hang_on(G: nx.DiGraph) -> None:
    df = critical_goals(G, top=3)
    assert df[["id", "key_results", "depends"]].values.tolist() == [
        ["DATA-1", 3, "CO-1.KR1, CO-1.KR2, CO-2.KR1"],
        ["WEB-3", 2, "CO-1.KR1, CO-1.KR2"],
        ["DEP-1", 1, "CO-1.KR1"],
    ]
    everyone = critical_goals(G, top=None)
    assert "INI-4" not in everyone["id"].tolist()  # CO-3 has no key results to depend on
    assert not set(everyone["id"]) & {"CO-1", "CO-1.KR1", "CO-2"}


def test_contribution_rollup_matches_scoring(G: nx.DiGraph) -> None:
    df = contribution_rollup(G).set_index("id")
    assert df.index.tolist() == ["CO-1.KR1", "CO-1.KR2", "CO-2.KR1", "CO-3", "DEP-1.KR1", "DEP-1.KR2", "WEB-1",
                                 "OPS-1", "LAB-1"]
    assert df.loc["DEP-1.KR1", ["contributors", "counted"]].tolist() == [2, 2]
    assert df.loc["DEP-1.KR1", "rolled_up"] == pytest.approx(2 / 3)  # (0.5 × 2 + 1.0 × 1) / 3
    assert df.loc["CO-3", ["contributors", "counted", "driver"]].tolist() == [3, 2, "children"]  # a candidate idea
    assert df.loc["CO-3", "rolled_up"] == pytest.approx(0.4)  # (1.0 × 1 + 0.2 × 3) / 4
    # policy changed (issue 12): what was never measured counts 0: DEP-1 at 1/3 (DEP-1.KR2 not measured),
    # WEB-2 at 0, DATA-1 not measured
    assert df.loc["CO-1.KR1", "rolled_up"] == pytest.approx(1 / 9)
    assert df.loc["CO-2.KR1", ["contributors", "counted"]].tolist() == [3, 2]  # a KPI never counts
    assert df.loc["CO-2.KR1", "rolled_up"] == 0.0
    scorer = goalbook.scoring.Scorer(acme(), today=TODAY)
    for goal in ("DEP-1.KR1", "CO-1.KR1", "CO-3"):
        assert df.loc[goal, "rolled_up"] == pytest.approx(scorer.progress(goal))
        assert df.loc[goal, "progress"] == pytest.approx(scorer.progress(goal))


def test_contributions_break_a_rollup_down(G: nx.DiGraph) -> None:
    df = contributions(G, "DEP-1.KR1")
    assert df[["source", "weight", "progress", "share"]].values.tolist() == [
        ["WEB-1", 2.0, 0.5, pytest.approx(2 / 3)], ["WEB-4", 1.0, 1.0, pytest.approx(1 / 3)]]
    assert df["contribution"].sum() == pytest.approx(2 / 3)
    web = contributions(G, "WEB-1").set_index("source")
    # policy changed (issue 12): P-1.KR1, never measured, counts (at 0); the candidate idea INI-2 never does
    assert web["counted"].to_dict() == {"P-1.KR1": True, "INI-1": True, "INI-2": False}


def test_analyse_runs_them_all_and_reports_in_words(G: nx.DiGraph) -> None:
    report = analyse(G)
    assert ids(report.orphans) == ["LAB-1", "LAB-2", "LEG-1", "KPI-2"]
    assert report.goals == {"objective": 6, "key_result": 8, "smart_goal": 10, "kpi": 2, "initiative": 6}
    assert report.links == {"part_of": 8, "contributes": 20, "supports": 1}
    assert ids(report.only_lagging) == ["CO-1.KR2", "CO-2.KR1"]
    text = report.to_text()
    for line in ("LAB-2 (smart goal, owner lab-lead, team Lab): links to LAB-1",
                 "CO-1.KR3: Brand",
                 "WEB-2 (team) → CO-1.KR1 (company) skips the department level; link to DEP-1 instead?",
                 "Lab: 2 goals, links only among its own goals",
                 "CO-2.KR1: 2 lagging, no leading measure",
                 "WEB-2 (off track) → CO-1.KR1",
                 "DATA-1 (smart goal, owner data-lead, team Data): 3 key results",
                 "web-lead: 4 goals (2 at risk) — Web",  # policy changed (issue 12): WEB-3 not measured
                 "CO-3: 2 of 3 contributors count, rolling up to 40% (progress 40%, driven by children)"):
        assert line in text
    data = report.to_dict()
    assert data["uncovered"] == [{"id": "CO-1.KR3", "title": "Brand", "owner": "ceo", "objective": "CO-1"}]
    assert analyse(acme(), today=TODAY).to_dict() == data


def test_user_text_cannot_send_terminal_escapes() -> None:
    book = acme()
    book.smart_goals[-1].owner = "evil\x1b[2Jowner"
    text = analyse(book, scores=[]).to_text()
    assert "\x1b" not in text and "evil [2Jowner" in text


def test_an_empty_goalbook_has_nothing_to_report() -> None:
    report = analyse(Goalbook(), scores=[])
    assert all(len(getattr(report, f)) == 0 for f in ("orphans", "uncovered", "skipped_levels", "silos",
                                                      "leading_coverage", "at_risk", "critical", "owner_load",
                                                      "rollup"))
    assert "none" in report.to_text()


@pytest.mark.parametrize("module", ["goalbook.alignment.graph", "goalbook.alignment.analyses",
                                    "goalbook.alignment.report"])
def test_docstring_examples_run(module: str) -> None:
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
