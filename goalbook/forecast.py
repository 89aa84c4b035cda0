"""Where a key result, SMART goal or KPI will stand at the end of its period, and the chance it lands.

Pure: takes ``(date, value)`` check-ins and returns a :class:`Forecast`; no files, no widgets.

The method, and why
    Weekly OKR check-ins are short (3 to 13 points), noisy, sometimes missed, and now and then
    wrong by a lot for one week (a restated figure, a snow week). Three things follow.

    *A robust trend.* The slope is the Theil–Sen estimator: the median of the slopes between every
    pair of check-ins (Sen 1968). One bad week moves it little (its breakdown point is about 29%),
    where a least-squares line or the "best week seen" swings with it. The level is the Theil–Sen
    line at the latest check-in, so one odd last value does not set the start either. Uneven gaps
    (missed weeks) need nothing special: slopes are per day.

    *One bad week, found by leaving it out.* With five or more check-ins, the one farthest off the
    Theil–Sen line through all the *others* is a bad week when it sits more than four robust
    spreads from that line; it is left out of the trend and of every spread. Judging a point
    against a line that includes it (as this module did before) misses most restated figures
    below seven points, because the bad week inflates the spread it is measured against — and a
    spread blown up by one bad week squeezed every chance toward 50%, so "45%" landed a third of the
    time. With four check-ins no point is judged: the other three always fit some line nearly exactly.

    *An interval that grows like a random walk with drift.* Key results do not scatter around a
    fixed line; each week's change adds to the last, so the uncertainty of the end value grows with
    the weeks left. The spread is the drift method's (Hyndman & Athanasopoulos, *Forecasting:
    Principles and Practice*, §5.5): ``σ·√(h·(1 + h/T))`` for ``h`` weeks ahead after ``T`` weeks
    observed, where ``σ`` is the robust spread (mean absolute deviation, scaled to a normal's sd)
    of how far each week-to-week change strays from the trend, per √week (so a missed check-in
    counts as the two weeks it spans); the ``h/T`` part is the trend's own uncertainty, large when
    few weeks were seen. The scatter of readings about the line is added as the noise of the final
    reading. ``σ`` is widened by :data:`_WANDER` (2.5) because real series also plateau, surge and
    move in heavy-tailed jumps that a few weeks of changes understate. Draws are Student-t with
    ``n`` degrees of freedom (the spread is estimated from few changes), so three check-ins give a
    heavy-tailed band, not false precision.

    *Damped.* The trend is projected at :data:`DAMPING` (95%) of its slope: a short trend extended to
    the period's end overshoots more often than it undershoots (teams slow down, plateau, move on),
    which is why damped trends (Gardner & McKenzie 1985) forecast better than straight lines in the
    M-competitions.

    *Calibrated on some seeds, judged on others.* :data:`_WANDER` (2.5, of 1.5–3) and the damping
    (95%, of 85–100%) were chosen on the back-test's calibration seeds only
    (``benchmarks.bench_forecast.CALIBRATION_SEEDS``: 17, 99, 7; 10,000 cases each) by the Brier score
    of the chance of landing and the largest decile gap; the bad-week threshold (4) was not tuned.
    The figure reported is for the held-out seeds, which set nothing. The simulated process is not
    this model (plateaus, late surges and slumps, one bad reported week, Student-t weekly changes,
    missed check-ins): see ``benchmarks/forecast_histories.py``. It also runs on published real histories
    (``tests/data/forecast_real``), where few cases allow only a Brier score and a coarse table.

    *Aware of bounds and milestones.* Draws are clipped to what the metric can take: a share stays
    within 0–100 %, a count, time or amount never goes below zero. A ``maintain`` goal lands when
    the end value is inside what it must hold; a ``milestone`` (done or not) has no trend to
    extend, so it gets no forecast, and neither does a series with fewer than :data:`MIN_POINTS`.

The probability of landing is the share of :data:`DRAWS` simulated end values that meet the target
(``accepted``: the values that count as met). The random draws come from a fixed seed, so the same
check-ins always give the same forecast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from goalbook.model import KPI, Goalbook, KeyResult, SmartGoal
from goalbook.scoring import Scorer

MIN_POINTS = 3
DRAWS = 4000
LEVEL = 0.8  # the interval shown: 10th to 90th percentile
_SEED = 20270226
_MEAN_AD = math.sqrt(math.pi / 2)  # mean absolute deviation to a normal standard deviation
_BAD_WEEK = 4.0  # this many robust sds off the line through the other check-ins: a bad week
_WANDER = 2.5  # the weekly wander's spread is widened this much for plateaus and surges (fitted, see above)
DAMPING = 0.95  # the trend is projected at this share of its slope: a damped trend


@dataclass(frozen=True, slots=True)
class Forecast:
    """The value expected at ``at`` with an interval, and the chance of meeting the target."""

    at: date  # the day forecast for: the period's end or the deadline
    value: float  # median of the simulated end values
    low: float  # lower end of the interval (``level``)
    high: float
    probability: float | None  # chance of meeting the target, None without one
    slope_per_week: float  # the Theil–Sen trend, per 7 days
    points: int  # check-ins used
    level: float = LEVEL

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (dates as ISO text, numbers rounded to what a reader needs)."""
        return {"at": self.at.isoformat(), "value": _r(self.value), "low": _r(self.low), "high": _r(self.high),
                "probability": None if self.probability is None else round(self.probability, 3),
                "slope_per_week": _r(self.slope_per_week), "points": self.points, "level": self.level}


def _r(x: float) -> float:
    return float(f"{x:.4g}")


def _median(a: np.ndarray) -> float:
    """``np.median`` of a short 1-d array without NaN, to the bit, at a tenth of its cost: a forecast
    takes six medians of a dozen numbers, and lint forecasts every key result with check-ins."""
    return float(_row_medians(np.reshape(a, (1, -1)), a.size)[0])


@lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(n, 1)``, made once per length (read only: the arrays only index)."""
    i, j = np.triu_indices(n, 1)
    i.flags.writeable = j.flags.writeable = False
    return i, j


@lru_cache(maxsize=64)
def _t_draws(df: int) -> np.ndarray:
    """Student-t draws with ``df`` degrees of freedom from the fixed seed: the same numbers for every
    forecast with as many check-ins, so they are drawn once per ``df`` (read only)."""
    draws = np.random.default_rng(_SEED).standard_t(df, DRAWS)
    draws.flags.writeable = False
    return draws


def _spread(x: np.ndarray) -> float:
    """A robust standard deviation: the mean absolute deviation from the median, scaled to a normal's
    sd. Unlike the median absolute deviation it does not collapse to 0 on whole-number check-ins
    (1, 1, 3, 2, 1 a week), and one outlier moves it far less than it moves a standard deviation."""
    return _MEAN_AD * float(np.mean(np.abs(x - _median(x)))) if len(x) else 0.0


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """``(slope, intercept)``: the median pairwise slope and the median of ``y - slope * x``.

    >>> theil_sen([0, 1, 2, 3, 4], [0, 1, 2, 30, 4])
    (1.0, 0.0)
    """
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    i, j = _pairs(len(x))
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        return 0.0, _median(y)
    slope = _median((y[j] - y[i])[keep] / dx[keep])
    return slope, _median(y - slope * x)


def value_bounds(unit: str | None, values: Sequence[float], target: float | None) -> tuple[float, float]:
    """What the metric can take: 0–100 for a percentage, at least 0 when every number seen is (counts,
    times, money), otherwise anything."""
    seen = [*values, *([target] if target is not None else [])]
    low = 0.0 if seen and min(seen) >= 0 else -math.inf
    high = 100.0 if (unit or "").strip() == "%" and seen and max(seen) <= 100 else math.inf
    return low, high


def _row_medians(a: np.ndarray, valid: int) -> np.ndarray:
    """The median of each row of ``a`` whose NaNs were put there to leave a point out, ``valid`` numbers
    a row. ``np.sort`` puts NaN last, so the middle of the first ``valid`` is the median: the same figure
    as ``np.nanmedian(a, axis=1)``, which on small arrays goes through masked arrays and took 80% of a
    lint of the SMART criteria."""
    s = np.sort(a, axis=1)
    return (s[:, (valid - 1) // 2] + s[:, valid // 2]) / 2


def _bad_week(x: np.ndarray, y: np.ndarray) -> int | None:
    """The index of the one check-in that sits far off the line through all the others, if any.

    Each point is judged against a Theil–Sen line fitted *without* it, so with five or six check-ins a
    restated figure cannot inflate the very spread it is measured against (the in-sample residual
    test it replaces missed most bad weeks below seven points)."""
    n = len(x)
    if n < MIN_POINTS + 2:  # with four, the other three always fit some line nearly exactly
        return None
    # row k: everything computed without check-in k (pairs or points involving k are NaN), in one pass
    i, j = _pairs(n)
    pair = (y[j] - y[i]) / (x[j] - x[i])
    rows = np.arange(n)[:, None]
    slopes = _row_medians(np.where((i == rows) | (j == rows), np.nan, pair), len(pair) - (n - 1))
    without = np.where(np.eye(n, dtype=bool), np.nan, y - slopes[:, None] * x)
    intercepts = _row_medians(without, n - 1)
    resid = without - intercepts[:, None]
    centre = _row_medians(resid, n - 1)
    spread = _MEAN_AD * np.nansum(np.abs(resid - centre[:, None]), axis=1) / (n - 1)
    off = np.abs(y - (intercepts + slopes * x) - centre) / np.maximum(spread, 1e-9 * max(float(np.max(np.abs(y))), 1.0))
    k = int(np.argmax(off))
    return k if off[k] > _BAD_WEEK else None


def forecast_series(points: Sequence[tuple[date, float]], at: date, *, accepted: tuple[float, float] | None = None,
                    bounds: tuple[float, float] = (-math.inf, math.inf), level: float = LEVEL) -> Forecast | None:
    """The forecast of a series of dated values at ``at`` (see the module docstring for the method).

    ``accepted`` is ``(lowest, highest)`` of the values that meet the target (``±inf`` for no limit);
    ``bounds`` what the metric can take. ``None`` with fewer than :data:`MIN_POINTS` distinct days or
    when ``at`` is before the latest check-in.
    """
    by_day: dict[date, float] = {}
    for d, v in sorted(points, key=lambda p: p[0]):  # the day's last reading wins
        if v is not None and math.isfinite(v):
            by_day[d] = float(v)
    if len(by_day) < MIN_POINTS:
        return None
    days = sorted(by_day)
    first, last = days[0], days[-1]
    if at < last:
        return None
    x = np.array([(d - first).days for d in days], float)
    y = np.array([by_day[d] for d in days])
    n = len(x)
    keep = np.ones(n, bool)
    bad = _bad_week(x, y)
    if bad is not None:
        keep[bad] = False
    slope, intercept = theil_sen(x[keep], y[keep])
    xk, yk = x[keep], y[keep]
    weeks = np.diff(xk) / 7.0
    # how far each week-to-week change strays from the trend, per square root of a week
    wander = (np.diff(yk) - slope * 7.0 * weeks) / np.sqrt(weeks)
    scale = _spread(yk - (intercept + slope * xk))  # a reading's scatter about the trend line
    typical = _median(np.abs(y)) or 1.0
    typical_week = _median(np.abs(np.diff(yk) / weeks))
    # no series is truly a straight line: a week's wander is at least a quarter of a typical week's move
    sigma = max(_spread(wander), 0.25 * typical_week, 1e-3 * typical)
    scale = max(scale, 1e-3 * typical)
    ahead = (at - last).days / 7.0
    observed = max(float(x[-1] - x[0]) / 7.0, 1.0)
    sd = math.sqrt((_WANDER * sigma) ** 2 * ahead * (1 + ahead / observed) + scale ** 2)
    level0 = intercept + slope * x[-1]
    draws = level0 + DAMPING * slope * 7.0 * ahead + sd * _t_draws(n)
    draws = np.clip(draws, bounds[0], bounds[1])
    tail = (1 - level) / 2
    lo_v, mid, hi_v = np.quantile(draws, [tail, 0.5, 1 - tail])
    probability = None
    if accepted is not None:
        a_lo, a_hi = accepted
        probability = float(np.mean((draws >= a_lo - 1e-9) & (draws <= a_hi + 1e-9)))
    return Forecast(at, float(mid), float(lo_v), float(hi_v), probability, slope * 7, n, level)


def accepted_values(goal: object) -> tuple[float, float] | None:
    """The values that count as meeting a key result's, SMART goal's or KPI's target, as ``(lowest,
    highest)``; ``None`` for a milestone or a goal without a target."""
    direction = getattr(goal, "direction", None)
    target = getattr(goal, "target", None)
    if direction == "milestone":
        return None
    if direction == "maintain":
        bound, low, high = getattr(goal, "bound", None), getattr(goal, "low", None), getattr(goal, "high", None)
        if bound == "band" or (bound is None and low is not None and high is not None):
            return None if low is None or high is None else (min(low, high), max(low, high))
        if target is None:
            return None
        return (-math.inf, target) if bound == "at_most" else (target, math.inf) if bound == "at_least" \
            else (target, target)
    if target is None:
        return None
    if direction is None:  # a SMART goal without a direction moves from its baseline toward its target
        baseline = getattr(goal, "baseline", None)
        direction = "decrease" if baseline is not None and target < baseline else "increase"
    return (-math.inf, target) if direction == "decrease" else (target, math.inf)


def forecast_goal(book: Goalbook, id: str, *, today: date, scorer: Scorer | None = None) -> Forecast | None:
    """The forecast of one key result, SMART goal or KPI at the end of its period (a goal's deadline when
    it has no period; a KPI's is the period of what it feeds, else none), from its values up to ``today``.

    ``None`` for other kinds, milestones, fewer than :data:`MIN_POINTS` values, no end day, or an end
    already past.
    """
    scorer = scorer or Scorer(book, today=today)
    g = book.get(id)
    if isinstance(g, KPI):
        points = [(v.date, v.value) for v in g.values if v.date <= today]
        end = _kpi_end(book, g, scorer)
    elif isinstance(g, KeyResult | SmartGoal):
        points = [(c.date, c.value) for c in scorer.check_ins(id) if c.value is not None and c.date <= today]
        period = scorer.period(id)
        end = g.deadline or (period.end if period else None)
    else:
        return None
    if end is None or end < today:
        return None
    accepted = accepted_values(g)
    if getattr(g, "direction", None) == "milestone":
        return None
    bounds = value_bounds(g.unit, [v for _, v in points], getattr(g, "target", None))
    return forecast_series(points, end, accepted=accepted, bounds=bounds)


def _kpi_end(book: Goalbook, kpi: KPI, scorer: Scorer) -> date | None:
    for link in book.links_from(kpi.id):
        if link.target in book:
            period = scorer.period(link.target)
            if period is not None:
                return period.end
    return None
