"""The forecast: a robust trend, an honest interval, bounds and milestones, and its calibration."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from benchmarks.forecast_histories import backtest, cases
from goalbook.examples import load_example
from goalbook.forecast import MIN_POINTS, forecast_goal, forecast_series, theil_sen, value_bounds

END = date(2027, 3, 31)
FIRST = date(2027, 1, 8)


def weekly(*values: float, first: date = FIRST) -> list[tuple[date, float]]:
    return [(first + timedelta(weeks=n), v) for n, v in enumerate(values)]


def test_theil_sen_ignores_one_wild_point():
    assert theil_sen([0, 1, 2, 3, 4, 5], [0, 1, 2, 40, 4, 5]) == (1.0, 0.0)


def test_one_bad_week_barely_moves_the_forecast():
    steady = forecast_series(weekly(10, 11, 12, 13, 14, 15, 16, 17), END, accepted=(25, math.inf))
    bad = forecast_series(weekly(10, 11, 12, 3, 14, 15, 16, 17), END, accepted=(25, math.inf))
    assert abs(bad.value - steady.value) < 0.5
    assert steady.slope_per_week == pytest.approx(1.0) and bad.slope_per_week == pytest.approx(1.0)


def test_a_bad_week_among_five_is_left_out_of_the_trend_and_the_spread():
    clean = forecast_series(weekly(10, 11, 12, 13, 14), END, accepted=(25, math.inf))
    bad = forecast_series(weekly(10, 11, 30, 13, 14), END, accepted=(25, math.inf))  # a restated week 3
    assert bad.slope_per_week == pytest.approx(1.0) and bad.value == pytest.approx(clean.value, abs=0.01)
    assert (bad.high - bad.low) < 1.2 * (clean.high - clean.low)
    four = forecast_series(weekly(10, 11, 30, 13), END)  # with four, no point is judged bad: the doubt shows
    assert four.high - four.low > 10 * (clean.high - clean.low)


def test_the_interval_widens_with_the_weeks_left():
    history = weekly(10, 11.2, 11.8, 13.1, 13.9, 15.2)
    near, far = (forecast_series(history, FIRST + timedelta(weeks=w)) for w in (7, 13))
    assert (far.high - far.low) > 1.5 * (near.high - near.low)


def test_few_points_give_a_wider_interval_than_many():
    few = forecast_series(weekly(10, 11.2, 11.8), END)
    many = forecast_series(weekly(10, 11.2, 11.8, 13.1, 13.9, 15.2, 15.8, 17.1), END)
    assert (few.high - few.low) > 2 * (many.high - many.low)


def test_fewer_than_three_check_ins_give_no_forecast():
    assert MIN_POINTS == 3
    assert forecast_series(weekly(10, 11), END) is None
    assert forecast_series([(FIRST, 1.0), (FIRST, 2.0), (FIRST, 3.0)], END) is None  # one day is one point


def test_a_share_stays_within_0_and_100():
    f = forecast_series(weekly(80, 86, 92, 97), END, accepted=(95, math.inf), bounds=value_bounds("%", [80], 95))
    assert f.high <= 100 and f.value <= 100
    assert value_bounds("min", [24, 20], 12) == (0.0, math.inf)
    assert value_bounds(None, [-3, 2], 5) == (-math.inf, math.inf)


def test_the_example_off_track_results_are_forecast_to_miss():
    book = load_example()
    today = date(2027, 2, 26)
    opsl = forecast_goal(book, "OPS-1", today=today)
    assert opsl.probability < 0.05 and opsl.high < 15 * 2  # 27 min now, 15 needed
    wait = forecast_goal(book, "CO-2.KR1", today=today)
    assert wait.probability < 0.3 and wait.value > 12
    utilisation = forecast_goal(book, "CO-2.KR2", today=today)  # 78 of 82, a point a week, 4.7 weeks left
    assert utilisation.value > 82 and 0.5 < utilisation.probability < 0.9  # more likely than not, far from sure
    assert forecast_goal(book, "CO-2.KR3", today=today) is None  # a milestone: done or not, no trend
    assert forecast_goal(book, "CO-1", today=today) is None  # objectives roll up; they are not forecast


def test_the_generator_is_seeded_and_mixes_the_hard_cases():
    a, b = cases(200, seed=5), cases(200, seed=5)
    assert a == b
    assert any(len(c.reported) < 13 for c in a)  # missed check-ins
    assert {c.direction for c in a} == {"increase", "decrease", "maintain_at_most"}
    landed = sum(c.landed for c in a) / len(a)
    assert 0.2 < landed < 0.8


@pytest.mark.slow
def test_forecast_probabilities_are_calibrated_on_simulated_histories():
    deciles = [d for d in backtest(2500, seed=17) if d.cases >= 50]
    assert len(deciles) >= 8
    for d in deciles:
        assert d.error <= 0.1, d


def test_the_achievable_verdict_no_longer_passes_the_example_off_track_results():
    """Before the forecast, achievable compared the pace needed with the best single week, and passed
    CO-2.KR1 (needs 2.12/week, best week 2), CO-3.KR1 and OPS-1 (needs 2.55/week, best week 3)."""
    from goalbook.scoring import Scorer
    from goalbook.smart import check_goal

    book, today = load_example(), date(2027, 2, 26)
    scorer = Scorer(book, today=today)
    measured = [*book.key_results, *book.smart_goals]
    behind = [g for g in measured if scorer.score(g.id).status in ("off_track", "at_risk")]
    never_measured = [g for g in behind if not scorer.check_ins(g.id)]  # behind at their baseline: no pace to judge
    assert sorted(g.id for g in never_measured) == ["CC-2", "PPL-2"]
    for g in never_measured:
        assert check_goal(book, g, today).achievable.status == "warn"
    behind = [g for g in behind if g not in never_measured]
    assert sorted(g.id for g in behind) == ["CO-2.KR1", "CO-3.KR1", "OPS-1"]
    for g in behind:
        verdict = check_goal(book, g, today).achievable
        assert verdict.status == "warn" and verdict.cause == "pace", (g.id, verdict)
        assert "more than the trend" in verdict.reason and "chance of meeting the target" in verdict.reason
    assert "a 0% chance" in check_goal(book, book.get("OPS-1"), today).achievable.reason
    on_course = check_goal(book, book.get("DEP-DIG-1.KR1"), today).achievable
    assert on_course.status == "pass" and "a 73% chance" in on_course.reason


def test_goalbook_score_json_carries_each_forecast(capsys):
    import json

    from goalbook.cli import main

    assert main(["score", str(__import__("goalbook.examples").examples.example_path()), "--today", "2027-02-26",
                 "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["scores"]}
    ops = rows["OPS-1"]["forecast"]
    assert ops["at"] == "2027-03-31" and ops["probability"] < 0.01 and ops["low"] < ops["value"] < ops["high"]
    assert ops["value"] == pytest.approx(24.21, abs=0.01) and ops["points"] == 8 and ops["level"] == 0.8
    assert rows["CO-1"]["forecast"] is None and rows["CO-2.KR3"]["forecast"] is None  # objective, milestone
    assert rows["KPI-NPS"]["forecast"]["at"] == "2027-03-31"  # a KPI is forecast to the end of what it feeds


def test_the_dashboard_sparkline_carries_the_forecast_band():
    import re

    from goalbook.widgets.dashboard import Dashboard

    html = Dashboard(load_example(), today=date(2027, 2, 26), team="Clinics Ops").goals.value
    row = re.search(r'data-id="OPS-1">(.*?)</tr>', html, re.S).group(1)
    band = re.search(r'<polygon class="goalbook-forecast-band" points="([^"]+)"', row).group(1)
    (x0, _y0), (x1, top), (x2, bottom) = [tuple(map(float, p.split(","))) for p in band.split()]
    assert x1 == x2 > x0 and top <= bottom  # a cone from the latest point to the period's end
    assert "shaded: forecast 24.2 by 2027-03-31 (80% interval 21.2–27.5, 0% chance of the target)" in row
