"""Which contributors count toward a goal: one rule in goalbook.scoring, obeyed by scoring's roll-ups
and by the alignment graph's roll-up alike."""

from __future__ import annotations

from datetime import date

import pytest

from goalbook import linking, scoring
from goalbook.alignment import alignment_graph, contribution_rollup, contributions
from goalbook.model import (
    INITIATIVE_STATUSES,
    KPI,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period
from goalbook.linking import link_impact
from goalbook.scoring import Scorer, counts_toward_progress

Q1 = Period.parse("2027-Q1")
MID = date(2027, 2, 14)


@pytest.mark.parametrize(("kind", "stage", "counts"), [
    ("objective", None, True), ("key_result", None, True), ("smart_goal", None, True), ("kpi", None, False),
    ("initiative", "candidate", False), ("initiative", "approved", True), ("initiative", "active", True),
    ("initiative", "done", True),
])
def test_kpis_and_candidate_ideas_never_count_everything_else_does(kind, stage, counts):
    assert counts_toward_progress(kind, stage) is counts


def every_kind_book() -> Goalbook:
    """CO-1 is driven by children: one contributor of every kind and initiative stage, each with progress."""
    team = Objective("T", "Team", level="team", period=Q1,
                     key_results=[KeyResult("T.K", "t", baseline=0, target=10, current=9)])
    inis = [Initiative(f"I-{s}", s, status=s, progress=p) for s, p in zip(INITIATIVE_STATUSES, (0.1, 0.3, 0.5, 1.0),
                                                                          strict=True)]
    contributors = ["T", "T.K", "G", "KPI", *(i.id for i in inis)]
    return Goalbook(
        objectives=[Objective("CO-1", "Company", period=Q1, driver="children"), team],
        smart_goals=[SmartGoal("G", "g", baseline=0, target=10, current=2, period=Q1)],
        kpis=[KPI("KPI", "kpi", target=5, values=[KPIValue(date(2027, 1, 5), 1)])],
        initiatives=inis,
        links=[Link(c, "CO-1", weight=n + 1) for n, c in enumerate(contributors)],
    )


def test_scorer_names_the_contributors_that_count_in_link_order_with_their_weights():
    assert Scorer(every_kind_book(), today=MID).contributors("CO-1") == [
        ("T", 1.0), ("T.K", 2.0), ("G", 3.0), ("I-approved", 6.0), ("I-active", 7.0), ("I-done", 8.0)]


def test_alignment_roll_up_counts_exactly_what_scoring_counts():
    book = every_kind_book()
    scorer = Scorer(book, today=MID)
    G = alignment_graph(book, today=MID)
    df = contributions(G, "CO-1")
    counted = dict(zip(df["source"], df["counted"], strict=True))
    assert [s for s, ok in counted.items() if ok] == [s for s, _ in scorer.contributors("CO-1")]
    row = contribution_rollup(G).set_index("id").loc["CO-1"]
    assert (row["contributors"], row["counted"]) == (8, 6)
    assert row["rolled_up"] == pytest.approx(scorer.progress("CO-1"))


def test_the_link_half_of_the_rule_reaches_scoring_the_graph_and_the_link_preview(monkeypatch: pytest.MonkeyPatch):
    """Which link kinds count is the same function's to say: let ``supports`` count and all three follow."""
    book = every_kind_book()
    book.links.append(Link("G-extra", "CO-1", "supports", 1.0))
    book.smart_goals.append(SmartGoal("G-extra", "extra", baseline=0, target=10, current=10, period=Q1))
    before = Scorer(book, today=MID)
    assert "G-extra" not in dict(before.contributors("CO-1"))
    assert not link_impact(book, Link("G-extra", "CO-1", "supports"), today=MID).counts
    rule = counts_toward_progress
    monkeypatch.setattr(scoring, "counts_toward_progress",
                        lambda kind, stage=None, link_kind=None: rule(kind, stage, None if link_kind == "supports"
                                                                      else link_kind))
    monkeypatch.setattr(linking, "counts_toward_progress", scoring.counts_toward_progress)
    scorer = Scorer(book, today=MID)
    assert "G-extra" in dict(scorer.contributors("CO-1"))
    G = alignment_graph(book, scores=scorer.scores())
    assert contributions(G, "CO-1").set_index("source")["counted"]["G-extra"]
    assert contribution_rollup(G).set_index("id").loc["CO-1"]["rolled_up"] == pytest.approx(scorer.progress("CO-1"))
    assert link_impact(book, Link("G-extra", "CO-1", "supports"), today=MID).counts


def test_changing_the_rule_in_scoring_changes_both_roll_ups(monkeypatch: pytest.MonkeyPatch):
    """The rule lives in one place: a stricter one (only started work counts) reaches the alignment graph too."""
    rule = counts_toward_progress
    monkeypatch.setattr(scoring, "counts_toward_progress",
                        lambda kind, stage=None, link_kind=None: rule(kind, stage, link_kind) and stage != "approved")
    book = every_kind_book()
    scorer = Scorer(book, today=MID)
    assert "I-approved" not in dict(scorer.contributors("CO-1"))
    G = alignment_graph(book, scores=scorer.scores())
    counted = contributions(G, "CO-1").set_index("source")["counted"]
    assert not counted["I-approved"] and counted["I-active"]
    row = contribution_rollup(G).set_index("id").loc["CO-1"]
    assert row["counted"] == 5
    assert row["rolled_up"] == pytest.approx(scorer.progress("CO-1"))


def test_the_link_half_of_the_rule_reaches_scoring_the_graph_and_the_link_preview(monkeypatch: pytest.MonkeyPatch):
    """Which link kinds count is the same function's to say: let ``supports`` count and all three follow."""
    book = every_kind_book()
    book.links.append(Link("G-extra", "CO-1", "supports", 1.0))
    book.smart_goals.append(SmartGoal("G-extra", "extra", baseline=0, target=10, current=10, period=Q1))
    before = Scorer(book, today=MID)
    assert "G-extra" not in dict(before.contributors("CO-1"))
    assert not link_impact(book, Link("G-extra", "CO-1", "supports"), today=MID).counts
    rule = counts_toward_progress
    monkeypatch.setattr(scoring, "counts_toward_progress",
                        lambda kind, stage=None, link_kind=None: rule(kind, stage, None if link_kind == "supports"
                                                                      else link_kind))
    monkeypatch.setattr(linking, "counts_toward_progress", scoring.counts_toward_progress)
    scorer = Scorer(book, today=MID)
    assert "G-extra" in dict(scorer.contributors("CO-1"))
    G = alignment_graph(book, scores=scorer.scores())
    assert contributions(G, "CO-1").set_index("source")["counted"]["G-extra"]
    assert contribution_rollup(G).set_index("id").loc["CO-1"]["rolled_up"] == pytest.approx(scorer.progress("CO-1"))
    assert link_impact(book, Link("G-extra", "CO-1", "supports"), today=MID).counts
