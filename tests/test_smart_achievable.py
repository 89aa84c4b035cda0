"""Achievable with a history of values: which way a goal has to move depends on what it asks for.

A goal whose latest value already meets it (a "keep at most 8%" that sits at 6.8%, a band it is
inside, a decrease already below its target) passes; one that does not is judged on the pace
toward the nearest value that would meet it, in the right direction.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from goalbook.smart import check_smart
from goalbook.smart.rules import accepted

TODAY = date(2027, 2, 1)
INF = float("inf")


def weekly(*values: float) -> list[tuple[date, float]]:
    """One value a week, the last one on TODAY - 3 days."""
    first = TODAY - timedelta(days=3 + 7 * (len(values) - 1))
    return [(first + timedelta(weeks=n), v) for n, v in enumerate(values)]


FALLING_UNDER_8 = weekly(7.8, 7.5, 7.1, 6.8)


def achievable(text: str, history: list[tuple[date, float]], **fields):
    return check_smart(text, today=TODAY, history=history, **fields).achievable


@pytest.mark.parametrize(("text", "fields"), [
    ("Keep the weekly no-show rate at most 8% until 31 March", {}),
    ("Keep the weekly no-show rate below 8% until 31 March", {}),
    ("No-show rate at most 8% by 31 March", {}),
    ("Keep the weekly no-show rate at most 8% until 31 March", {"direction": "maintain", "baseline": 7.8}),
    ("Hold the no-show rate at 8% until 31 March", {}),  # a threshold to hold on a metric good when low
    ("Keep the no-show rate between 5% and 8% until 31 March", {}),
    ("Cut the no-show rate from 9% to 8% by 31 March", {}),
    ("No-show rate at 8% by 31 March", {"baseline": 9.5}),  # the numbers say it is a decrease
    ("No-show rate at 8% by 31 March", {"direction": "decrease"}),
])
def test_a_falling_value_that_already_meets_an_upper_aim_passes(text, fields):
    verdict = achievable(text, FALLING_UNDER_8, **fields)
    assert verdict.status == "pass", verdict
    assert "already meets" in verdict.reason


@pytest.mark.parametrize("text", [
    "Keep NPS at least 40 until 31 March",
    "Keep NPS above 40 until 31 March",
    "Raise NPS from 30 to 40 by 31 March",
    "Keep NPS between 40 and 60 until 31 March",
])
def test_a_value_above_a_lower_aim_passes_whichever_way_it_moves(text):
    for history in (weekly(50, 49, 48, 47), weekly(47, 48, 49, 50)):
        verdict = achievable(text, history)
        assert verdict.status == "pass" and "already meets" in verdict.reason, (history, verdict)


def test_above_an_upper_bound_the_pace_down_to_it_is_judged():
    slowly = achievable("Keep the weekly no-show rate at most 8% until 31 March", weekly(9.6, 9.4, 9.2, 9.0))
    assert slowly.status == "pass" and "/week" in slowly.reason  # 1 point in 8 weeks, at 0.2 a week so far
    rising = achievable("Keep the weekly no-show rate at most 8% until 31 March", weekly(8.4, 8.6, 8.8, 9.0))
    assert rising.status == "warn" and "moves the other way" in rising.reason
    assert rising.cause == "pace"


def test_below_a_lower_bound_the_pace_up_to_it_is_judged():
    falling = achievable("Keep NPS at least 40 until 31 March", weekly(38, 37, 36, 35))
    assert falling.status == "warn" and "moves the other way" in falling.reason


def test_outside_a_band_the_nearest_edge_is_the_aim():
    # 11% and falling 0.5 a week: 3 points down to the band's top edge (8) in the 58 days left is 0.362 a
    # week; the bottom edge (5) would need twice that
    above = achievable("Keep the no-show rate between 5% and 8% until 31 March", weekly(12.5, 12, 11.5, 11))
    assert above.status == "pass" and "0.362/week" in above.reason
    below = achievable("Keep the no-show rate between 5% and 8% until 31 March", weekly(2, 2.5, 3, 3.5))
    assert below.status == "pass" and "0.181/week" in below.reason  # 1.5 points up to 5
    wrong_way = achievable("Keep the no-show rate between 5% and 8% until 31 March", weekly(3.5, 3, 2.5, 2))
    assert wrong_way.status == "warn" and "moves the other way" in wrong_way.reason


def test_increase_and_decrease_are_judged_as_before():
    up = achievable("Raise NPS from 30 to 60 by 31 March", weekly(30, 31, 32, 33))
    assert up.status == "warn" and "more than the trend" in up.reason and "a 0% chance" in up.reason
    down = achievable("Cut the no-show rate from 12% to 8% by 31 March", weekly(12, 11.5, 11, 10.5))
    assert down.status == "pass"
    wrong = achievable("Cut the no-show rate from 12% to 8% by 31 March", weekly(10, 10.5, 11, 11.5))
    assert wrong.status == "warn" and "moves the other way" in wrong.reason


@pytest.mark.parametrize(("kw", "expected"), [
    ({"direction": "increase"}, (60, INF)),
    ({"direction": "decrease"}, (-INF, 60)),
    ({"direction": "maintain", "bound": "at_most"}, (-INF, 60)),
    ({"direction": "maintain", "bound": "at_least"}, (60, INF)),
    ({"direction": "maintain", "target_range": (50, 70)}, (50, 70)),
    ({"direction": "maintain"}, (60, INF)),
    ({"direction": "maintain", "good_when_low": True}, (-INF, 60)),
    ({"direction": "maintain", "baseline": 80}, (60, INF)),  # holding a level: a baseline gives no way
    ({"direction": "achieve", "baseline": 80}, (-INF, 60)),
    ({"direction": "achieve", "baseline": 40}, (60, INF)),
    ({"direction": "none"}, (60, INF)),
    ({"direction": "decrease", "bound": "at_least"}, (-INF, 60)),  # the verb's direction wins
])
def test_the_values_that_meet_a_target(kw, expected):
    assert accepted(60, **kw) == expected


def test_each_doubtful_or_failing_verdict_says_what_it_turns_on():
    def cause(text: str, **kw) -> str:
        kw.setdefault("today", TODAY)
        return check_smart(text, **kw).achievable.cause

    assert cause("Raise the conversion rate from 50% to 120% by Q2") == "numbers"
    assert cause("Raise NPS from 30 to 40 by 2027-01-15") == "deadline"
    assert cause("Raise NPS from 30 to 40 by 31 March") == "missing"
    assert cause("Raise NPS by 31 March") == "missing"
    assert cause("Raise NPS from 30 to 60 by 31 March", history=weekly(30, 31, 32, 33)) == "pace"
    assert cause("Raise NPS from 30 to 34 by 31 March", history=weekly(30, 31, 32, 33)) == ""


def test_a_range_with_the_unit_on_both_ends_is_a_range():
    r = check_smart("Keep the no-show rate between 5% and 8% until 31 March", today=TODAY)
    assert r.target_range == (5, 8) and r.unit == "%"
    assert check_smart("Keep churn between 5% and 8 points", today=TODAY).target_range is None
