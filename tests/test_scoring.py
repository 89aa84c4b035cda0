"""Scoring rules with hand-computed expectations: one test per rule in goalbook/scoring.py's docstring."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period
from goalbook.scoring import (
    SCORE_COLUMNS,
    Scorer,
    ScoringConfig,
    breach,
    clamp01,
    current_value,
    expected_progress,
    goal_progress,
    inside,
    is_stale,
    objective_progress,
    pace_status,
    progress_raw,
    round_score,
    score_book,
    score_colour,
    scores_frame,
)

Q1 = Period.parse("2027-Q1")  # 2027-01-01 .. 2027-03-31, 90 days
MID = date(2027, 2, 14)  # day 45 of 90: expected 0.5


def book_with(*krs: KeyResult, driver: str = "key_results", **kw) -> Goalbook:
    return Goalbook(objectives=[Objective("O", "Objective", period=Q1, driver=driver, key_results=list(krs))], **kw)


def by_id(book: Goalbook, today: date = MID, **kw) -> dict:
    return {s.id: s for s in score_book(book, today=today, **kw)}


# --- increase / decrease ---------------------------------------------------------------------------------------


def test_increase_is_share_of_the_way_from_baseline_to_target():
    assert progress_raw("increase", 38, 60, 49) == 0.5
    assert progress_raw("increase", 38, 60, 38) == 0.0


def test_decrease_uses_the_same_formula():
    assert progress_raw("decrease", 6, 2, 5) == 0.25
    assert progress_raw("decrease", 6, 2, 2) == 1.0


def test_raw_progress_overshoots_and_goes_negative_but_clamped_stays_in_0_1():
    assert progress_raw("increase", 0, 10, 15) == 1.5
    assert progress_raw("decrease", 6, 2, 7) == -0.25
    assert clamp01(1.5) == 1.0
    assert clamp01(-0.25) == 0.0
    assert clamp01(None) is None


def test_missing_baseline_counts_from_zero_for_increase_but_not_for_decrease():
    assert progress_raw("increase", None, 10, 4) == 0.4
    assert progress_raw(None, None, 10, 4) == 0.4
    assert progress_raw("decrease", None, 2, 4) is None


def test_missing_target_or_current_gives_no_progress():
    assert progress_raw("increase", 0, None, 4) is None
    assert progress_raw("increase", 0, 10, None) is None
    assert progress_raw("increase", 0, 10, float("nan")) is None


def test_target_equal_to_baseline_scores_reached_or_not():
    assert progress_raw("increase", 5, 5, 5) == 1.0
    assert progress_raw("increase", 5, 5, 4) == 0.0
    assert progress_raw("decrease", 5, 5, 4) == 1.0
    assert progress_raw("decrease", 5, 5, 6) == 0.0


def test_smart_goal_without_direction_infers_it_from_baseline_and_target():
    book = Goalbook(smart_goals=[SmartGoal("G", "Cut booking steps from 7 to 3 by March", baseline=7, target=3,
                                           current=5, period=Q1)])
    assert goal_progress(book, "G", today=MID) == 0.5


# --- maintain --------------------------------------------------------------------------------------------------


def test_maintain_at_least_is_one_at_or_above_threshold_and_a_breach_below_it_whatever_the_distance():
    # policy changed (issue 12): a breach scored 1 - distance/threshold before (90 of 100 was 0.9, green)
    assert progress_raw("maintain", None, 100, 100, bound="at_least") == 1.0
    assert progress_raw("maintain", None, 100, 130, bound="at_least") == 1.0
    assert progress_raw("maintain", None, 100, 99.99, bound="at_least") == 0.0
    assert progress_raw("maintain", None, 100, -10, bound="at_least") == 0.0
    assert breach(100, 90, "at_least") == 10 and breach(100, 130, "at_least") == 0


def test_maintain_at_most_mirrors_at_least():
    assert progress_raw("maintain", None, 8, 8, bound="at_most") == 1.0
    assert progress_raw("maintain", None, 8, 3, bound="at_most") == 1.0
    assert progress_raw("maintain", None, 8, 8.01, bound="at_most") == 0.0
    assert breach(8, 10, "at_most") == 2


def test_strict_bounds_are_breached_at_the_threshold_itself():
    assert progress_raw("maintain", None, 50, 49, bound="below") == 1.0
    assert progress_raw("maintain", None, 50, 50, bound="below") == 0.0
    assert progress_raw("maintain", None, 99.95, 99.96, bound="above") == 1.0
    assert progress_raw("maintain", None, 99.95, 99.95, bound="above") == 0.0
    assert inside(50, 50, "below") is False and breach(50, 50, "below") == 0


def test_maintain_band_is_inclusive_and_breached_outside_on_either_side():
    kw = {"bound": "band", "low": 40, "high": 60}
    assert progress_raw("maintain", None, None, 50, **kw) == 1.0
    assert progress_raw("maintain", None, None, 40, **kw) == 1.0
    assert progress_raw("maintain", None, None, 60, **kw) == 1.0
    assert progress_raw("maintain", None, None, 70, **kw) == 0.0
    assert progress_raw("maintain", None, None, 30, **kw) == 0.0
    assert breach(None, 70, **kw) == 10 and breach(None, 30, **kw) == 10


def test_maintain_without_bound_is_a_band_with_low_and_high_else_hold_the_target():
    assert progress_raw("maintain", None, None, 70, low=40, high=60) == 0.0
    assert progress_raw("maintain", None, None, 50, low=40, high=60) == 1.0
    assert progress_raw("maintain", None, 10, 10) == 1.0
    assert progress_raw("maintain", None, 10, 12) == 0.0
    assert progress_raw("maintain", None, None, 8, bound="band", low=5) is None


# --- milestone -------------------------------------------------------------------------------------------------


def test_milestone_without_checkpoints_is_zero_or_one():
    assert progress_raw("milestone", None, None, None) == 0.0
    assert progress_raw("milestone", None, None, 0) == 0.0
    assert progress_raw("milestone", None, None, 1) == 1.0
    book = book_with(KeyResult("M", "Open Leeds", direction="milestone"),
                     check_ins=[CheckIn("M", date(2027, 2, 1), 1.0)])
    assert goal_progress(book, "M", today=date(2027, 1, 31)) == 0.0
    assert goal_progress(book, "M", today=date(2027, 2, 1)) == 1.0


def test_milestone_with_checkpoints_is_the_share_done_unless_marked_done():
    cps = [Checkpoint("lease", True), Checkpoint("staff", False), Checkpoint("fit-out", False)]
    book = book_with(KeyResult("M", "Open Leeds", direction="milestone", checkpoints=cps))
    assert goal_progress(book, "M", today=MID) == pytest.approx(1 / 3)
    book.check_ins.append(CheckIn("M", date(2027, 2, 1), 1.0))
    assert goal_progress(book, "M", today=MID) == 1.0


# --- current value ---------------------------------------------------------------------------------------------


def test_current_is_the_latest_check_in_value_on_or_before_today():
    book = book_with(KeyResult("K", "k", baseline=0, target=10, current=3), check_ins=[
        CheckIn("K", date(2027, 1, 20), 5.0),
        CheckIn("K", date(2027, 1, 10), 4.0),
        CheckIn("K", date(2027, 1, 27), None, confidence=6),  # no value: skipped
        CheckIn("K", date(2027, 3, 1), 9.0),  # after today: ignored
    ])
    assert current_value(book, "K", today=MID) == 5.0
    assert current_value(book, "K", today=date(2027, 1, 15)) == 4.0
    assert current_value(book, "K", today=date(2027, 1, 5)) == 3.0  # the entity's current
    assert current_value(book, "K", today=date(2027, 3, 1)) == 9.0


def test_on_the_same_day_the_later_check_in_in_the_file_wins():
    book = book_with(KeyResult("K", "k", target=10), check_ins=[CheckIn("K", date(2027, 1, 20), 5.0),
                                                                CheckIn("K", date(2027, 1, 20), 6.0)])
    assert current_value(book, "K", today=MID) == 6.0


def test_a_goal_with_no_value_stands_at_its_baseline_and_is_flagged_not_measured():
    # policy changed (issue 12): no value meant no progress (None) and roll-ups skipped it; now it counts
    # at its baseline (0), as in okr-tracker, Quantive and Perdoo, and is flagged "not measured yet"
    book = book_with(KeyResult("A", "a", baseline=38, target=60), KeyResult("B", "b", target=60),
                     smart_goals=[SmartGoal("G", "g", baseline=7.5, target=5.5, period=Q1)])
    assert goal_progress(book, "A", today=MID) == 0.0
    assert goal_progress(book, "B", today=MID) == 0.0
    assert goal_progress(book, "G", today=MID) == 0.0
    assert current_value(book, "A", today=MID) is None
    assert not Scorer(book, today=MID).measured("A")


@pytest.mark.parametrize("goal", ["A", "G"])
def test_nothing_measured_yet_counts_as_zero_paced_and_flagged(goal):
    book = book_with(KeyResult("A", "a", baseline=38, target=60),
                     smart_goals=[SmartGoal("G", "g", baseline=7.5, target=5.5, period=Q1)])
    s = by_id(book)[goal]
    assert (s.progress, s.score, s.colour, s.status, s.current, s.measured) == (0.0, 0.0, "red", "off_track", None,
                                                                                False)
    assert "not measured yet" in s.flags and s.expected == 0.5


@pytest.mark.parametrize("goal", ["A", "G"])
def test_nothing_measured_yet_is_stale_only_once_a_check_in_is_overdue(goal):
    book = book_with(KeyResult("A", "a", baseline=38, target=60),
                     smart_goals=[SmartGoal("G", "g", baseline=7.5, target=5.5, period=Q1)])
    before = by_id(book, today=date(2026, 12, 20))[goal]
    assert (before.status, before.colour, before.stale) == ("not_started", "grey", False)
    first_week = by_id(book, today=date(2027, 1, 11))[goal]  # 10 days in: the first check-in is not overdue yet
    assert (first_week.status, first_week.colour, first_week.stale) == ("on_track", "green", False)
    overdue = by_id(book, today=date(2027, 1, 12))[goal]
    assert (overdue.status, overdue.stale, overdue.measured) == ("on_track", True, False)
    after = by_id(book, today=date(2027, 4, 15))[goal]  # the period is over and nobody ever checked in
    assert (after.score, after.colour, after.status, after.stale, after.final) == (0.0, "red", "missed", True, True)


def test_a_first_check_in_gives_a_score_from_the_baseline():
    book = book_with(KeyResult("A", "a", baseline=38, target=60), check_ins=[CheckIn("A", date(2027, 2, 10), 38.0)])
    s = by_id(book)["A"]
    assert (s.progress, s.score, s.colour, s.status, s.stale, s.current) == (0.0, 0.0, "red", "off_track", False, 38.0)


def test_unknown_id_names_the_closest_one():
    book = book_with(KeyResult("CO-1.KR1", "k", target=1))
    with pytest.raises(KeyError, match=r"did you mean 'CO-1\.KR1'"):
        goal_progress(book, "CO-1.KR2", today=MID)


# --- objectives, weights and roll-up ---------------------------------------------------------------------------


def test_objective_is_weighted_mean_of_clamped_key_results():
    book = book_with(KeyResult("A", "a", baseline=0, target=10, current=5),
                     KeyResult("B", "b", baseline=0, target=10, current=15, weight=3))  # 1.5 counts as 1
    assert objective_progress(book, "O", today=MID) == pytest.approx((0.5 + 3 * 1.0) / 4)
    assert objective_progress(book, book.objectives[0], today=MID) == pytest.approx(0.875)


def test_negative_and_zero_weights_count_as_zero():
    book = book_with(KeyResult("A", "a", baseline=0, target=10, current=5),
                     KeyResult("B", "b", baseline=0, target=10, current=10, weight=-2),
                     KeyResult("C", "c", baseline=0, target=10, current=0, weight=0))
    assert objective_progress(book, "O", today=MID) == 0.5


def test_an_objective_counts_key_results_with_nothing_measured_at_zero():
    # policy changed (issue 12): they were skipped, so one done and one unmeasured read 100%, done, green
    book = book_with(KeyResult("A", "a", baseline=38, target=60), KeyResult("B", "b", baseline=0, target=10, current=8))
    s = by_id(book)
    assert s["O"].progress == pytest.approx(0.4)
    assert (s["O"].score, s["O"].status, s["O"].measured) == (0.4, "on_track", True)
    nothing = by_id(book_with(KeyResult("A", "a", baseline=38, target=60), KeyResult("C", "c", baseline=1, target=3)))
    assert (nothing["O"].progress, nothing["O"].score, nothing["O"].measured) == (0.0, 0.0, False)


def test_contributors_with_nothing_measured_count_at_zero_in_children_roll_ups():
    book = book_with(driver="children",
                     smart_goals=[SmartGoal("G1", "g1", baseline=7.5, target=5.5, period=Q1),
                                  SmartGoal("G2", "g2", baseline=0, target=10, current=6, period=Q1)],
                     links=[Link("G1", "O"), Link("G2", "O")])
    assert objective_progress(book, "O", today=MID) == pytest.approx(0.3)


def test_a_goal_whose_contributors_have_nothing_measured_is_not_measured_either():
    book = book_with(KeyResult("K", "k", baseline=0, target=10),
                     smart_goals=[SmartGoal("G", "g", baseline=0, target=10, period=Q1)], links=[Link("G", "K")])
    s = by_id(book)
    assert (s["K"].progress, s["K"].measured, s["K"].status) == (0.0, False, "off_track")
    assert (s["O"].progress, s["O"].measured) == (0.0, False)


def test_all_zero_weights_or_no_key_result_give_no_progress():
    book = book_with(KeyResult("A", "a", baseline=0, target=10, current=5, weight=0))
    assert objective_progress(book, "O", today=MID) is None
    book = book_with(KeyResult("A", "a", target=10), KeyResult("B", "b", baseline=0, target=10, current=8))
    assert objective_progress(book, "O", today=MID) == 0.4  # A has nothing measured: it counts 0
    assert objective_progress(book_with(), "O", today=MID) is None


def rollup_book(driver: str) -> Goalbook:
    """O has one KR at 0.5; contributing to O: a team objective at 1.0 (weight 3), a goal at 0.2, others skipped."""
    team = Objective("T", "Team", level="team", period=Q1,
                     key_results=[KeyResult("T.K", "t", baseline=0, target=4, current=4)])
    return Goalbook(
        objectives=[Objective("O", "Company", period=Q1, driver=driver,
                              key_results=[KeyResult("O.K", "k", baseline=0, target=10, current=5)]), team],
        smart_goals=[SmartGoal("G", "goal", baseline=0, target=10, current=2, period=Q1)],
        kpis=[KPI("KPI", "kpi", target=5, values=[KPIValue(date(2027, 1, 5), 1)])],
        initiatives=[Initiative("IDEA", "idea", status="candidate", progress=0.0)],
        links=[Link("T", "O", weight=3), Link("G", "O"), Link("KPI", "O"), Link("IDEA", "O"),
               Link("G", "O.K", kind="supports")],
    )


def test_driver_key_results_uses_only_its_own_key_results():
    assert objective_progress(rollup_book("key_results"), "O", today=MID) == 0.5


def test_driver_children_is_link_weighted_mean_of_contributors_kpis_and_candidates_skipped():
    assert objective_progress(rollup_book("children"), "O", today=MID) == pytest.approx((3 * 1.0 + 0.2) / 4)


def test_driver_both_mixes_key_results_and_children_in_one_mean():
    assert objective_progress(rollup_book("both"), "O", today=MID) == pytest.approx((0.5 + 3 * 1.0 + 0.2) / 5)


def test_initiatives_contribute_their_progress_or_one_when_done():
    book = book_with(driver="children", initiatives=[Initiative("I1", "a", status="active", progress=0.4),
                                                     Initiative("I2", "b", status="done"),
                                                     Initiative("I3", "c", status="active")],
                     links=[Link("I1", "O"), Link("I2", "O"), Link("I3", "O")])
    assert objective_progress(book, "O", today=MID) == pytest.approx(1.4 / 3)  # I3 has no progress yet: 0


def test_key_result_without_a_value_rolls_up_from_contributors_with_one_it_ignores_them():
    book = book_with(KeyResult("K", "k", baseline=0, target=10),
                     smart_goals=[SmartGoal("G1", "g1", baseline=0, target=10, current=6),
                                  SmartGoal("G2", "g2", baseline=0, target=10, current=2)],
                     links=[Link("G1", "K", weight=3), Link("G2", "K")])
    assert goal_progress(book, "K", today=MID) == pytest.approx(0.5)
    assert Scorer(book, today=MID).rolled_up("K")
    book.check_ins.append(CheckIn("K", date(2027, 2, 1), 1.0))
    assert goal_progress(book, "K", today=MID) == pytest.approx(0.1)


def test_a_cycle_of_links_terminates_and_the_back_edge_contributes_nothing():
    a = Objective("A", "a", period=Q1, driver="children")
    b = Objective("B", "b", period=Q1, driver="both", key_results=[KeyResult("B.K", "k", baseline=0, target=10,
                                                                             current=4)])
    book = Goalbook(objectives=[a, b], links=[Link("B", "A"), Link("A", "B")])
    assert objective_progress(book, "A", today=MID) == pytest.approx(0.4)  # B = its KR only; A back-edge cut
    scores = by_id(book)
    assert scores["A"].progress is not None and scores["B"].progress is not None


def test_a_very_long_chain_of_contributions_does_not_hit_the_recursion_limit():
    n = 5000
    objs = [Objective(f"O{i}", "o", period=Q1, driver="children") for i in range(n)]
    objs.append(Objective("LEAF", "leaf", period=Q1, key_results=[KeyResult("LEAF.K", "k", baseline=0, target=4,
                                                                            current=1)]))
    links = [Link(f"O{i + 1}", f"O{i}") for i in range(n - 1)] + [Link("LEAF", f"O{n - 1}")]
    book = Goalbook(objectives=objs, links=links)
    assert objective_progress(book, "O0", today=MID) == 0.25


# --- score and override ----------------------------------------------------------------------------------------


def test_score_is_clamped_progress_rounded_half_up_to_a_tenth():
    assert round_score(0.25) == 0.3
    assert round_score(0.35) == 0.4
    assert round_score(0.04) == 0.0
    assert round_score(0.05) == 0.1
    assert round_score(0.96) == 1.0
    assert round_score(1.7) == 1.0
    assert round_score(-0.3) == 0.0
    assert round_score(None) is None


def test_override_with_a_reason_wins_without_one_it_is_ignored():
    kr = KeyResult("K", "k", baseline=0, target=10, current=3, score_override=0.7, score_reason="metric redefined")
    book = book_with(kr)
    s = by_id(book)
    assert s["K"].score == 0.7 and s["K"].progress == pytest.approx(0.3) and s["K"].colour == "green"
    assert (s["K"].status, s["K"].overridden, s["K"].reason) == ("achieved", True, "metric redefined")
    # policy changed (issue 12): the override counts in its objective (it was ignored by roll-ups)
    assert s["O"].progress == pytest.approx(0.7) and s["O"].score == 0.7
    kr.score_reason = "  "
    assert by_id(book)["K"].score == 0.3 and not by_id(book)["K"].overridden


def test_objective_override_wins():
    book = book_with(KeyResult("K", "k", baseline=0, target=10, current=3))
    book.objectives[0].score_override, book.objectives[0].score_reason = 1.0, "moved to next quarter by board"
    assert by_id(book)["O"].score == 1.0


# --- pace and status -------------------------------------------------------------------------------------------


def test_expected_progress_is_share_of_period_elapsed():
    assert expected_progress(Q1, date(2026, 12, 31)) == 0.0
    assert expected_progress(Q1, date(2027, 1, 1)) == pytest.approx(1 / 90)
    assert expected_progress(Q1, MID) == 0.5
    assert expected_progress(Q1, date(2027, 5, 1)) == 1.0
    assert expected_progress(None, MID) is None


@pytest.mark.parametrize(("progress", "status"), [
    (0.7, "on_track"), (0.3, "on_track"), (0.29, "at_risk"), (0.1, "at_risk"), (0.09, "off_track"),
    (0.0, "off_track"), (1.0, "done"), (1.3, "done"), (None, "unknown"),
])
def test_pace_thresholds_at_minus_0_2_and_minus_0_4(progress, status):
    assert pace_status(progress, 0.5) == status


def test_pace_before_the_period_and_without_one():
    assert pace_status(0.0, 0.0) == "not_started"
    assert pace_status(None, 0.0) == "not_started"  # nothing measured, but nothing was due yet either
    assert pace_status(0.5, None) == "unknown"
    assert pace_status(1.0, None) == "done"


def test_pace_thresholds_are_configurable():
    strict = ScoringConfig(on_track_gap=-0.05, at_risk_gap=-0.1)
    assert pace_status(0.45, 0.5, strict) == "on_track"
    assert pace_status(0.42, 0.5, strict) == "at_risk"
    assert pace_status(0.35, 0.5, strict) == "off_track"


def test_config_rejects_thresholds_in_the_wrong_order():
    with pytest.raises(ValueError, match="at_risk_gap"):
        ScoringConfig(on_track_gap=-0.4, at_risk_gap=-0.2)
    with pytest.raises(ValueError, match="yellow_score"):
        ScoringConfig(green_score=0.3, yellow_score=0.4)


def test_key_result_is_paced_over_its_objectives_period():
    book = book_with(KeyResult("K", "k", baseline=0, target=10, current=2))
    s = by_id(book)["K"]
    assert (s.period, s.expected, s.status) == ("2027-Q1", 0.5, "at_risk")


def test_goal_with_only_a_deadline_is_paced_over_the_91_days_ending_on_it():
    book = Goalbook(smart_goals=[SmartGoal("G", "g", baseline=0, target=10, current=5, deadline=date(2027, 3, 31)),
                                 SmartGoal("N", "n", baseline=0, target=10, current=5)])
    s = by_id(book, today=date(2027, 2, 14))
    assert s["G"].period == "2026-12-31..2027-03-31"
    assert s["G"].expected == pytest.approx(46 / 91)
    assert s["G"].status == "on_track"
    assert (s["N"].period, s["N"].expected, s["N"].status) == (None, None, "unknown")


def test_maintain_is_on_track_while_held_and_done_only_after_the_period():
    book = book_with(KeyResult("K", "k", direction="maintain", bound="at_most", target=8, current=7))
    assert by_id(book)["K"].status == "on_track"
    assert by_id(book, today=date(2027, 3, 31))["K"].status == "done"  # held to its last day
    assert by_id(book, today=date(2027, 4, 2))["K"].status == "achieved"  # final once the period is over
    book.objectives[0].key_results[0].current = 10  # breached: off track and red whatever the distance
    k = by_id(book)["K"]
    assert (k.status, k.colour, k.score, k.breached, k.breach) == ("off_track", "red", 0.0, True, 2)


def maintain_book(*extra: KeyResult, **kw) -> Goalbook:
    """O holds two levels, both held: no-shows at most 8% (at 7) and NPS at least 50 (at 55)."""
    return book_with(KeyResult("K1", "no-shows", direction="maintain", bound="at_most", target=8, current=7),
                     KeyResult("K2", "nps", direction="maintain", bound="at_least", target=50, current=55),
                     *extra, **kw)


def statuses(book: Goalbook, today: date) -> dict[str, str]:
    return {s.id: s.status for s in score_book(book, today=today)}


def test_an_objective_of_held_maintain_key_results_is_on_track_like_them_until_its_period_ends():
    book = maintain_book()
    assert objective_progress(book, "O", today=MID) == 1.0
    assert statuses(book, MID) == {"O": "on_track", "K1": "on_track", "K2": "on_track"}
    assert statuses(book, date(2027, 3, 30)) == {"O": "on_track", "K1": "on_track", "K2": "on_track"}
    assert statuses(book, date(2027, 3, 31)) == {"O": "done", "K1": "done", "K2": "done"}  # its last day
    assert statuses(book, date(2027, 5, 2)) == {"O": "achieved", "K1": "achieved", "K2": "achieved"}
    assert statuses(book, date(2026, 12, 1)) == {"O": "not_started", "K1": "not_started", "K2": "not_started"}
    assert by_id(book)["O"].score == 1.0 and by_id(book)["O"].colour == "green"  # the score is not held back


def test_an_objective_is_not_done_while_one_of_its_key_results_still_holds_a_level():
    book = maintain_book(KeyResult("K3", "clinics", baseline=10, target=12, current=12))
    assert statuses(book, MID) == {"O": "on_track", "K1": "on_track", "K2": "on_track", "K3": "done"}
    assert statuses(book, date(2027, 3, 31))["O"] == "done"
    assert statuses(book, date(2027, 4, 1))["O"] == "achieved"


def test_goals_rolling_up_from_a_held_level_are_not_done_before_their_own_period_ends():
    fy = Period.parse("FY2027")
    book = book_with(KeyResult("K", "k", baseline=0, target=10), driver="both",
                     smart_goals=[SmartGoal("G", "keep 2 nurses per ward", direction="maintain", target=2, current=2,
                                            period=fy)],
                     links=[Link("G", "K"), Link("G", "O")])
    assert Scorer(book, today=MID).rolled_up("K")
    assert statuses(book, MID) == {"O": "on_track", "K": "on_track", "G": "on_track"}
    # the objective's quarter is over: it and its key result are done, the goal still holds its level all year
    assert statuses(book, date(2027, 4, 2)) == {"O": "achieved", "K": "achieved", "G": "on_track"}
    assert statuses(book, date(2027, 12, 31))["G"] == "done"


def test_a_milestone_not_done_takes_the_status_its_owner_reported():
    book = book_with(KeyResult("M", "m", direction="milestone"),
                     check_ins=[CheckIn("M", date(2027, 2, 1), None, status="on_track")])
    assert by_id(book)["M"].status == "on_track"
    assert by_id(book_with(KeyResult("M", "m", direction="milestone")))["M"].status == "off_track"


def test_initiative_status_follows_its_own_state():
    book = Goalbook(initiatives=[
        Initiative("A", "a", status="active", progress=0.5, start=date(2027, 1, 1), end=date(2027, 3, 31)),
        Initiative("D", "d", status="done", progress=0.9, start=date(2027, 1, 1), end=date(2027, 3, 31)),
        Initiative("C", "c", status="candidate"),
    ])
    s = by_id(book)
    assert (s["A"].status, s["A"].period) == ("on_track", "2027-01-01..2027-03-31")
    assert s["D"].status == "done"
    assert s["C"].status == "not_started"


# --- colours ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "colour"), [
    (1.0, "green"), (0.7, "green"), (0.69, "yellow"), (0.4, "yellow"), (0.39, "red"), (0.0, "red"), (None, "grey"),
])
def test_score_colour_bands(score, colour):
    assert score_colour(score) == colour


def test_score_colour_bands_are_configurable():
    cfg = ScoringConfig(green_score=0.9, yellow_score=0.6)
    assert [score_colour(x, cfg) for x in (0.9, 0.8, 0.6, 0.5)] == ["green", "yellow", "yellow", "red"]


def test_kpi_status_and_colour_come_from_thresholds_flipped_for_decrease():
    up = KPI("UP", "nps", target=60, green=55, amber=45, values=[KPIValue(date(2027, 1, 8), 51)])
    down = KPI("DOWN", "wait", direction="decrease", green=10, amber=20, values=[KPIValue(date(2027, 1, 8), 25)])
    no_green = KPI("T", "t", target=60, values=[KPIValue(date(2027, 1, 8), 61)])
    s = by_id(Goalbook(kpis=[up, down, no_green]), today=date(2027, 1, 9))
    assert (s["UP"].status, s["UP"].colour, s["UP"].current) == ("amber", "yellow", 51)
    assert (s["DOWN"].status, s["DOWN"].colour) == ("red", "red")
    assert (s["T"].status, s["T"].colour) == ("green", "green")
    assert s["UP"].kind == "kpi" and s["UP"].score is None


# --- stale -----------------------------------------------------------------------------------------------------


def stale_book(*check_in_days: date) -> Goalbook:
    return book_with(KeyResult("K", "k", baseline=0, target=10),
                     check_ins=[CheckIn("K", d, 1.0) for d in check_in_days])


def test_stale_after_more_than_one_and_a_half_weeks_without_a_check_in():
    book = stale_book(date(2027, 2, 1))
    assert not is_stale(book, "K", date(2027, 2, 11))  # 10 days
    assert is_stale(book, "K", date(2027, 2, 12))  # 11 days > 10.5


def test_stale_factor_and_cadence_are_configurable():
    book = stale_book(date(2027, 2, 1))
    assert is_stale(book, "K", date(2027, 2, 5), ScoringConfig(cadence_days=2))
    assert not is_stale(book, "K", date(2027, 2, 20), ScoringConfig(stale_factor=3))


def test_kpi_frequency_sets_its_cadence():
    kpi = KPI("M", "m", frequency="monthly", values=[KPIValue(date(2027, 1, 1), 3)])
    book = Goalbook(kpis=[kpi])
    assert not is_stale(book, "M", date(2027, 2, 15))  # 45 days = 1.5 x 30
    assert is_stale(book, "M", date(2027, 2, 16))


def test_without_any_check_in_the_period_start_stands_in():
    book = stale_book()
    assert not is_stale(book, "K", date(2026, 12, 1))  # period not begun
    assert not is_stale(book, "K", date(2027, 1, 11))
    assert is_stale(book, "K", date(2027, 1, 12))


def test_after_the_period_staleness_is_judged_at_its_end():
    book = stale_book(date(2027, 3, 25))
    assert not is_stale(book, "K", date(2027, 6, 30))
    assert is_stale(stale_book(date(2027, 3, 1)), "K", date(2027, 6, 30))


def test_objectives_goals_without_period_and_rolled_up_key_results_are_not_stale():
    book = book_with(KeyResult("K", "k", baseline=0, target=10),
                     smart_goals=[SmartGoal("G", "g", baseline=0, target=10, current=3)], links=[Link("G", "K")])
    assert not is_stale(book, "O", date(2027, 3, 1))
    assert not is_stale(book, "G", date(2027, 3, 1))
    assert not is_stale(book, "K", date(2027, 3, 1))


# --- confidence and the whole book -----------------------------------------------------------------------------


def test_confidence_is_latest_check_in_else_own_and_trend_keeps_the_last_points():
    days = [date(2027, 1, 1) + timedelta(days=7 * i) for i in range(10)]
    book = book_with(KeyResult("K", "k", target=10, confidence=4), KeyResult("L", "l", target=10, confidence=4),
                     check_ins=[CheckIn("K", d, None, confidence=i) for i, d in enumerate(days)])
    s = by_id(book, today=date(2027, 3, 31))
    assert s["K"].confidence == 9
    assert s["K"].confidence_trend == [2, 3, 4, 5, 6, 7, 8, 9]
    assert (s["L"].confidence, s["L"].confidence_trend) == (4, [])
    s = by_id(book, today=date(2027, 1, 9), config=ScoringConfig(trend_points=3))
    assert s["K"].confidence_trend == [0, 1]


def test_score_book_lists_every_goal_in_book_order_with_its_context():
    obj = Objective("O", "Objective", owner="coo", team="Ops", level="department", period=Q1,
                    key_results=[KeyResult("K", "k", baseline=0, target=10, current=5)])
    book = Goalbook(objectives=[obj], smart_goals=[SmartGoal("G", "g", target=1)], kpis=[KPI("P", "p")],
                    initiatives=[Initiative("I", "i")], check_ins=[CheckIn("K", date(2027, 2, 10), 5.0, 7)])
    rows = score_book(book, today=MID)
    assert [(s.id, s.kind) for s in rows] == [("O", "objective"), ("K", "key_result"), ("G", "smart_goal"),
                                              ("P", "kpi"), ("I", "initiative")]
    k = rows[1]
    assert (k.parent, k.owner, k.team, k.level, k.period) == ("O", "coo", "Ops", "department", "2027-Q1")
    # policy changed (issue 12): the colour is the status's (green on pace), no longer the score band mid-period
    assert (k.progress, k.score, k.colour, k.status) == (0.5, 0.5, "green", "on_track")
    assert (k.last_check_in, k.confidence, k.stale, k.current) == (date(2027, 2, 10), 7, False, 5.0)


def test_scores_frame_has_one_row_per_goal_and_goal_score_columns():
    frame = scores_frame(rollup_book("both"), today=MID)
    assert list(frame.columns) == list(SCORE_COLUMNS)
    assert len(frame) == 7
    assert frame.set_index("id").loc["O", "progress"] == pytest.approx(0.74)
    assert scores_frame(Goalbook(), today=MID).empty
