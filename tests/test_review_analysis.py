"""The quarter-review questions (goalbook.review_analysis): who sandbags, who is calibrated, what
moved this week, and what a store says changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd
import pytest

import goalbook
from goalbook.model import CheckIn, Comment, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period
from goalbook.review_analysis import (
    calibration,
    calibration_by,
    changes_frame,
    check_in_notes,
    mean_abs_gap,
    movement,
    sandbagged,
)
from goalbook.scoring import scores_frame
from goalbook.store import Change, Changes

Q1 = Period.parse("2027-Q1")
TODAY = date(2027, 2, 26)


def scores(rows: list[tuple[str, str, str | None, str | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "kind", "owner", "team", "score"])


def goal(gid: str, owner: str, team: str = "T") -> SmartGoal:
    """A goal from 0 to 10 over Q1: its score is its latest value / 10."""
    return SmartGoal(gid, f"Raise {gid} from 0 to 10 by 2027-03-31", team=team, owner=owner, baseline=0, target=10,
                     deadline=date(2027, 3, 31), period=Q1)


# --- sandbagging -----------------------------------------------------------------------------------
def test_owners_averaging_above_the_line_are_named_highest_first() -> None:
    frame = scores([("A", "smart_goal", "ana", "T", 1.0), ("B", "key_result", "ana", "T", 0.9),
                    ("C", "smart_goal", "bo", "T", 0.9), ("D", "smart_goal", "bo", "T", 0.8),  # 0.85: not above
                    ("E", "smart_goal", "cy", "U", 1.0), ("F", "smart_goal", "cy", "U", 1.0)])
    found = sandbagged(frame)
    assert found.index.tolist() == ["cy", "ana"]
    assert found.loc["ana"].to_dict() == {"goals": 2, "mean_score": 0.95, "ids": "A, B"}


def test_one_lucky_goal_objectives_and_unscored_goals_do_not_count() -> None:
    frame = scores([("A", "smart_goal", "ana", "T", 1.0), ("O", "objective", "ana", "T", 1.0),
                    ("K", "kpi", "ana", "T", 1.0), ("B", "smart_goal", "ana", "T", None),
                    ("C", "smart_goal", None, "T", 1.0)])
    assert sandbagged(frame).empty
    assert sandbagged(frame, min_goals=1).index.tolist() == ["ana"]
    assert sandbagged(frame, by="team", min_goals=1).loc["T", "goals"] == 2  # A and C: C has no owner but a team


def test_a_frame_without_scores_is_refused_with_a_hint() -> None:
    with pytest.raises(ValueError, match="scores_frame"):
        sandbagged(pd.DataFrame({"id": ["A"]}))


def test_the_example_has_one_sandbagging_owner_and_team() -> None:
    frame = scores_frame(goalbook.load_example(), today=TODAY)
    assert sandbagged(frame).index.tolist() == ["data-lead"]
    assert sandbagged(frame, by="team").index.tolist() == ["Data"]


# --- calibration -----------------------------------------------------------------------------------
def calibration_book() -> Goalbook:
    return Goalbook(smart_goals=[goal("A", "ana"), goal("B", "ana"), goal("C", "bo"), goal("D", "bo")], check_ins=[
        CheckIn("A", date(2027, 1, 29), 2.0, 9), CheckIn("A", date(2027, 2, 26), 5.0, 5),  # said 9, scored 0.5
        CheckIn("B", date(2027, 1, 29), 4.0, 3), CheckIn("B", date(2027, 2, 26), 7.0, 8),  # said 3, scored 0.7
        CheckIn("C", date(2027, 2, 26), 6.0, 6),  # said 6 only later
        CheckIn("D", date(2027, 2, 26), 4.0)])  # never said


def test_calibration_compares_the_confidence_stated_then_with_the_score_now() -> None:
    frame = calibration(calibration_book(), today=TODAY, stated_on=date(2027, 1, 29)).set_index("id")
    assert frame.index.tolist() == ["A", "B"]  # C had stated nothing by then, D never did
    assert frame.loc["A", ["confidence", "stated", "score", "gap"]].tolist() == [9.0, 0.9, 0.5, 0.4]
    assert frame.loc["B", "gap"] == -0.4
    latest = calibration(calibration_book(), today=TODAY).set_index("id")
    assert latest.loc["C", "gap"] == 0.0 and latest.loc["A", "confidence"] == 5.0


def test_calibration_per_owner_separates_bias_from_distance() -> None:
    frame = calibration(calibration_book(), today=TODAY, stated_on=date(2027, 1, 29))
    per_owner = calibration_by(frame)
    assert per_owner.loc["ana"].to_dict() == {"goals": 2, "mean_stated": 0.6, "mean_score": 0.6, "bias": 0.0,
                                              "mean_abs_gap": 0.4}
    assert mean_abs_gap(frame) == 0.4
    assert mean_abs_gap(frame.iloc[:0]) is None


def test_a_goal_that_falls_short_of_stated_confidence_shows_over_confidence() -> None:
    book = Goalbook(smart_goals=[goal("A", "ana")], check_ins=[CheckIn("A", date(2027, 2, 1), 1.0, 10)])
    (row,) = calibration(book, today=TODAY).to_dict("records")
    assert row["gap"] == pytest.approx(0.9) and row["gap"] > 0


# --- this week -------------------------------------------------------------------------------------
def test_movement_shows_each_goal_checked_in_this_week_before_and_now() -> None:
    book = Goalbook(smart_goals=[goal("A", "ana"), goal("B", "bo")], check_ins=[
        CheckIn("A", date(2027, 2, 12), 2.0, 7, wins="kick-off"),
        CheckIn("A", date(2027, 2, 22), 3.0, 6, blockers="supplier late"),
        CheckIn("A", date(2027, 2, 26), 4.0, 5, status="at_risk", author="ana"),
        CheckIn("A", date(2027, 3, 5), 9.0, 9),  # after today: not yet
        CheckIn("B", date(2027, 2, 12), 5.0, 8)])  # quiet this week
    (row,) = movement(book, since=date(2027, 2, 19), today=TODAY).to_dict("records")
    assert row["id"] == "A" and row["date"] == TODAY and row["value"] == 4.0
    assert (row["progress_before"], row["progress"]) == (pytest.approx(0.2), pytest.approx(0.4))
    assert (row["confidence_before"], row["confidence"]) == (7.0, 5.0)
    assert row["status"] == "at_risk" and row["blockers"] == "supplier late" and row["wins"] is None
    assert row["author"] == "ana"
    with pytest.raises(ValueError, match="after today"):
        movement(book, since=date(2027, 3, 1), today=TODAY)


def test_check_in_notes_keep_what_was_written_in_the_window() -> None:
    book = Goalbook(smart_goals=[goal("A", "ana"), goal("B", "bo")], check_ins=[
        CheckIn("A", date(2027, 2, 26), 4.0, wins="shipped"), CheckIn("A", date(2027, 1, 8), 1.0, blockers="late"),
        CheckIn("B", date(2027, 2, 1), 2.0), CheckIn("B", date(2027, 2, 5), 2.0, blockers="no budget")])
    notes = check_in_notes(book, since=date(2027, 2, 1))
    assert list(zip(notes["id"], notes["date"], strict=True)) == [("B", date(2027, 2, 5)), ("A", TODAY)]
    assert check_in_notes(book, ids=["A"])["id"].tolist() == ["A", "A"]


# --- a store's changes -----------------------------------------------------------------------------
def test_every_kind_of_store_change_becomes_a_row() -> None:
    at = datetime(2027, 2, 20, 9, 30, tzinfo=UTC)
    later = datetime(2027, 2, 21, 16, 5, tzinfo=UTC)
    kr_before = KeyResult("O-1.KR1", "Raise X to 10", target=10, owner="ana")
    kr_after = KeyResult("O-1.KR1", "Raise X to 10", target=12, owner="bo")
    changes = Changes(
        since=at, added=[SmartGoal("G-9", "<b>new</b> goal")],
        changed=[Change("O-1.KR1", "key_result", kr_before, kr_after,
                        {"target": (10.0, 12.0), "owner": ("ana", "bo")}, "maria", at)],
        removed=[Objective("O-2", "Old aim")], links_added=[Link("G-9", "O-1.KR1")],
        links_removed=[Link("G-1", "O-1.KR1", "supports")],
        check_ins=[CheckIn("O-1.KR1", date(2027, 2, 20), 7.0, 6, "on_track", author="bo"),
                   CheckIn("G-9", date(2027, 2, 19), 3.0)],
        check_ins_recorded=[("hal", later), ("ida", at)],
        comments=[Comment("G-9", "Why now?", "cy", at)],
        authors={"G-9": ("dee", at), "O-2": ("eli", at)},
        links_added_by={("G-9", "O-1.KR1"): ("fay", at)}, links_removed_by={("G-1", "O-1.KR1"): ("gus", later)})
    frame = changes_frame(changes)
    assert frame["change"].tolist() == ["added", "changed", "removed", "link added", "link removed", "check-in",
                                        "check-in", "comment"]
    rows = frame.set_index("change")["what"].to_dict()
    assert rows["added"] == "smart goal: <b>new</b> goal"  # data, not HTML: escaping is the page's job
    assert rows["changed"] == "target: 10 → 12; owner: ana → bo"
    assert rows["link removed"] == "no longer supports O-1.KR1"
    assert frame[frame["change"] == "check-in"]["what"].tolist() == ["2027-02-20, value 7, confidence 6/10, on track",
                                                                     "2027-02-19, value 3"]
    assert frame.set_index("change").loc["changed", "by"] == "maria"
    assert frame.set_index("change").loc["added", "by"] == "dee"  # who added and removed goals is shown
    assert frame.set_index("change").loc["removed", "by"] == "eli"
    assert frame.set_index("change").loc["removed", "at"] == at
    links = frame.set_index("change").loc[["link added", "link removed"], ["by", "at"]]
    assert links.to_dict("index") == {"link added": {"by": "fay", "at": at}, "link removed": {"by": "gus", "at": later}}
    # a check-in's author, with who recorded it when someone else did (else the recorder), and when recorded
    check_ins = frame[frame["change"] == "check-in"][["id", "by", "at"]]
    assert check_ins.to_dict("records") == [{"id": "O-1.KR1", "by": "bo (recorded by hal)", "at": later},
                                            {"id": "G-9", "by": "ida", "at": at}]
    assert frame.set_index("change").loc["comment", "at"] == at  # no record of when: its time as written
    recorded = changes_frame(replace(changes, comments_recorded=[("cy", later)])).set_index("change")
    assert recorded.loc["comment", ["by", "at"]].tolist() == ["cy", later]  # when the store recorded it
    assert changes_frame(Changes(since=at)).empty
