"""Properties every scoring formula must keep, whatever the numbers."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from goalbook.model import CheckIn, Goalbook, KeyResult, Objective
from goalbook.period import Period
from goalbook.scoring import (
    STATUS_COLOURS,
    Scorer,
    clamp01,
    goal_progress,
    inside,
    objective_progress,
    progress_raw,
    round_score,
)

TODAY = date(2027, 2, 14)
Q1 = Period.parse("2027-Q1")
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=1e3, allow_nan=False)


def moving(baseline: float, target: float) -> bool:
    return abs(target - baseline) > 1e-3


@given(values, values, values, values)
def test_an_increase_goal_and_its_mirrored_decrease_goal_have_equal_progress(baseline, target, current, mirror):
    if not moving(baseline, target):
        return
    up = progress_raw("increase", min(baseline, target), max(baseline, target), current)
    lo, hi = min(baseline, target), max(baseline, target)
    down = progress_raw("decrease", 2 * mirror - lo, 2 * mirror - hi, 2 * mirror - current)
    assert math.isclose(up, down, rel_tol=1e-6, abs_tol=1e-6)
    assert progress_raw("decrease", -lo, -hi, -current) == up  # mirrored at 0: exactly equal


@given(values, values, values, values)
def test_progress_never_falls_as_current_moves_toward_the_target(baseline, target, a, b):
    if not moving(baseline, target):
        return
    lo_c, hi_c = min(a, b), max(a, b)
    toward_target_first = (lo_c, hi_c) if target > baseline else (hi_c, lo_c)
    worse, better = (progress_raw(None, baseline, target, c) for c in toward_target_first)
    assert worse <= better


@given(values, values, values, st.sampled_from(["at_least", "at_most"]))
def test_maintain_progress_is_monotone_and_at_most_one(threshold, a, b, bound):
    lo_c, hi_c = min(a, b), max(a, b)
    p_lo = progress_raw("maintain", None, threshold, lo_c, bound=bound)
    p_hi = progress_raw("maintain", None, threshold, hi_c, bound=bound)
    assert p_lo <= 1 and p_hi <= 1
    assert (p_lo <= p_hi) if bound == "at_least" else (p_lo >= p_hi)


@given(st.sampled_from(["increase", "decrease", None, "maintain", "milestone"]), values, values, values,
       st.sampled_from([None, "at_least", "at_most"]))
def test_clamped_progress_is_always_in_0_1_and_scores_are_tenths(direction, baseline, target, current, bound):
    kr = KeyResult("K", "k", direction=direction or "increase", baseline=baseline, target=target, current=current,
                   bound=bound)
    book = Goalbook(objectives=[Objective("O", "o", period=Q1, key_results=[kr])])
    p = goal_progress(book, "K", today=TODAY)
    assert p is None or 0.0 <= p <= 1.0
    c = clamp01(progress_raw(direction, baseline, target, current, bound=bound))
    assert c is None or 0.0 <= c <= 1.0
    score = round_score(c)
    assert score is None or (0.0 <= score <= 1.0 and abs(score * 10 - round(score * 10)) < 1e-9)


krs = st.lists(st.tuples(st.floats(min_value=-5, max_value=15, allow_nan=False), weights), min_size=1, max_size=8)


def objective_book(items: list[tuple[float, float]]) -> Goalbook:
    key_results = [KeyResult(f"K{i}", "k", baseline=0, target=10, current=c, weight=w)
                   for i, (c, w) in enumerate(items)]
    return Goalbook(objectives=[Objective("O", "o", period=Q1, key_results=key_results)])


@given(krs, st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_scaling_every_weight_by_the_same_factor_leaves_objective_progress_unchanged(items, factor):
    before = objective_progress(objective_book(items), "O", today=TODAY)
    after = objective_progress(objective_book([(c, w * factor) for c, w in items]), "O", today=TODAY)
    assert math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12)
    assert 0.0 <= before <= 1.0


@given(krs, st.lists(st.floats(min_value=-5, max_value=15, allow_nan=False), min_size=1, max_size=4),
       st.sampled_from([0.0, -1.0]))
def test_key_results_weighted_zero_or_below_are_ignored(items, extra, zero):
    before = objective_progress(objective_book(items), "O", today=TODAY)
    after = objective_progress(objective_book(items + [(c, zero) for c in extra]), "O", today=TODAY)
    assert math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12)


# --- statuses and colours (issue 12) ---------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2026, 12, 1), max_value=date(2027, 5, 31))
small = st.floats(min_value=-50, max_value=150, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), small)
CONTRADICTIONS = {"green": {"at_risk", "off_track", "partly", "missed"},
                  "yellow": {"done", "on_track", "achieved", "off_track", "missed"},
                  "red": {"done", "on_track", "achieved", "at_risk", "partly"}}


@st.composite
def any_key_result(draw: st.DrawFn, i: int) -> KeyResult:
    direction = draw(st.sampled_from(["increase", "decrease", "maintain", "milestone"]))
    kr = KeyResult(f"K{i}", "k", direction=direction, baseline=draw(maybe), target=draw(maybe), current=draw(maybe),
                   weight=draw(st.sampled_from([1.0, 2.0, 0.5])))
    if direction == "maintain":
        kr.bound = draw(st.sampled_from(["at_least", "at_most", "above", "below", "band"]))
        kr.low, kr.high = sorted((draw(small), draw(small)))
    if direction == "milestone":
        kr.grade = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1)))
    if draw(st.booleans()) and draw(st.booleans()):
        kr.score_override, kr.score_reason = draw(st.floats(min_value=0, max_value=1)), "set by hand"
    if draw(st.booleans()) and draw(st.booleans()):
        kr.dropped, kr.dropped_reason = draw(DAYS), "overtaken by events"
    return kr


@st.composite
def any_book(draw: st.DrawFn) -> Goalbook:
    krs = [draw(any_key_result(i)) for i in range(draw(st.integers(min_value=1, max_value=5)))]
    check_ins = [CheckIn(kr.id, draw(DAYS), draw(maybe)) for kr in krs for _ in range(draw(st.integers(0, 2)))]
    return Goalbook(objectives=[Objective("O", "o", period=Q1, key_results=krs)], check_ins=check_ins)


@settings(max_examples=300, deadline=None)
@given(any_book(), DAYS)
def test_colour_and_status_never_contradict(book, today):
    for s in Scorer(book, today=today).scores():
        assert s.status not in CONTRADICTIONS.get(s.colour, ()), (s.id, s.colour, s.status)
        if s.status in STATUS_COLOURS:
            assert s.colour == STATUS_COLOURS[s.status]


@settings(max_examples=300, deadline=None)
@given(any_book(), DAYS)
def test_an_objective_is_never_done_while_a_counted_key_result_is_not(book, today):
    scorer = Scorer(book, today=today)
    objective = scorer.score("O")
    counted = [scorer.score(kr.id) for kr in book.objectives[0].key_results
               if not scorer.is_dropped(kr.id) and kr.weight > 0]
    # a key result is complete when done, or graded 1.0 (by hand or at the period's end)
    complete = [k.status == "done" or (k.status == "achieved" and k.score == 1.0) for k in counted]
    if objective.status == "done" or (objective.status == "achieved" and objective.progress >= 1 - 1e-9):
        assert all(complete), [(k.id, k.status, k.score) for k in counted]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["at_least", "at_most", "above", "below", "band"]), small, small, small, DAYS)
def test_a_breached_bound_is_never_green(bound, threshold, other, current, today):
    low, high = sorted((threshold, other))
    kr = KeyResult("K", "k", direction="maintain", bound=bound, target=threshold, low=low, high=high, current=current)
    s = Scorer(Goalbook(objectives=[Objective("O", "o", period=Q1, key_results=[kr])]), today=today).score("K")
    if inside(threshold, current, bound, low, high) is False:
        assert s.breached and s.colour != "green" and s.score == 0.0
        assert s.status in ("off_track", "missed", "not_started")
    else:
        assert not s.breached
