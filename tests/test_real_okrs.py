"""A real quarter's OKRs with the organisations' own end-of-quarter grades (tests/data/ipld_protoschool_okrs.yaml,
sources cited there): goalbook reproduces every objective's grade within 0.05, with the dropped key results
left out and the one grade set by hand counted as the organisation recorded it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from goalbook.io import load_goalbook
from goalbook.scoring import Scorer

DATA = Path(__file__).parent / "data" / "ipld_protoschool_okrs.yaml"
GRADED = date(2020, 7, 15)  # after the last of the four quarters: every status is final

# Each objective's grade: the rough average (re:Work) of the Final Scores the organisation recorded for its key
# results, worked by hand from the source tables; "n/a" and struck-through key results are not averaged.
RECORDED = {
    "IPLD-19Q1-1": (1.0 + 1.0 + 1.0 + 1.0) / 4,
    "IPLD-19Q1-2": (0.9 + 0.5 + 1.0 + 1.0) / 4,
    "IPLD-19Q1-3": (1.0 + 1.0) / 2,
    "IPLD-19Q1-4": 1.0,
    "IPLD-19Q2-1": (0.9 + 0.9 + 0.1 + 0 + 0 + 1.0 + 1.0 + 0.5 + 0 + 1.0) / 10,
    "IPLD-19Q2-2": (1.0 + 0.2) / 2,
    "IPLD-20Q2-1": (1.0 + 0.5) / 2,
    "IPLD-20Q2-2": (0.7 + 0.5 + 1.0) / 3,  # the n/a key result left out
    "IPLD-20Q2-3": (0.2 + 0.9) / 2,
    "IPLD-20Q2-4": 0.0,
    "IPLD-20Q2-5": 0.0,
    "PS-19Q3-1": (0.2 + 0.5 + 0.0) / 3,
    "PS-19Q3-2": (1.0 + 1.0 + 1.0 + 0.5 + 0.3) / 5,  # the struck-through key result left out
    "PS-19Q3-3": (0.7 + 0.0) / 2,
    "PS-19Q3-4": (1.0 + 1.0 + 0.2 + 0.2 + 0.0) / 5,
}


@pytest.fixture(scope="module")
def scores():
    book = load_goalbook(DATA)
    return {s.id: s for s in Scorer(book, today=GRADED).scores()}


def test_the_file_loads_and_holds_every_graded_objective(scores):
    assert {i for i, s in scores.items() if s.kind == "objective"} == set(RECORDED)


@pytest.mark.parametrize("objective", sorted(RECORDED))
def test_goalbook_reproduces_each_recorded_objective_grade_within_0_05(scores, objective):
    s = scores[objective]
    assert s.progress == pytest.approx(RECORDED[objective], abs=1e-9)
    assert abs(s.score - RECORDED[objective]) <= 0.05 + 1e-9
    assert s.final and s.status in ("achieved", "partly", "missed")


def test_final_statuses_follow_the_grade_bands(scores):
    assert (scores["IPLD-19Q1-1"].status, scores["IPLD-19Q1-1"].colour) == ("achieved", "green")
    assert (scores["IPLD-19Q2-1"].status, scores["IPLD-19Q2-1"].colour) == ("partly", "yellow")
    assert (scores["IPLD-20Q2-4"].status, scores["IPLD-20Q2-4"].colour) == ("missed", "red")
    assert scores["IPLD-19Q2-1"].status_text == "partly achieved · 4 key results missed"


def test_dropped_key_results_count_nowhere_and_say_why(scores):
    na = scores["IPLD-20Q2-2.1"]
    assert (na.status, na.score, na.dropped) == ("dropped", None, date(2020, 7, 3))
    struck = scores["PS-19Q3-2.6"]
    assert struck.status == "dropped" and "struck through at final scoring" in struck.dropped_reason


def test_the_grade_set_by_hand_counts_with_its_reason(scores):
    chapters = scores["PS-19Q3-3.1"]
    assert (chapters.score, chapters.overridden, chapters.status) == (0.7, True, "achieved")
    assert "graded 0.7 at the end-of-quarter review" in chapters.reason
    assert scores["PS-19Q3-3"].progress == pytest.approx(0.35)
