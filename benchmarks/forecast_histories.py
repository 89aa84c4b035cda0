"""Simulated key-result histories with known outcomes, for back-testing :mod:`goalbook.forecast`.

The process is deliberately *not* the forecast's model (a straight line plus noise with a
wandering slope): each quarter is 13 weekly steps drawn from a mixture of how real key results
move, and the forecast only ever sees the check-ins before the week it forecasts from.

- **pace**: each result gets an underlying pace, drawn so that some land comfortably, some just
  miss and some are hopeless (progress at the end anywhere from about 0.2 to 1.5 of the way);
- **plateaus**: with some chance the result stalls for 2–5 weeks in a row (waiting on a release,
  a holiday), then resumes;
- **late surges**: with some chance the pace jumps 2–3x for the last 3–5 weeks (the launch lands)
  — or slumps to almost nothing (the team moves on);
- **heavy-tailed weekly changes**: the noise on each week's change is Student-t with 3 degrees
  of freedom, so now and then a week moves several times the usual amount;
- **one bad week**: with some chance one reported value is off by a large amount (a restated
  figure, a snow week) while the true state is not;
- **missed check-ins**: each weekly check-in is skipped with some chance (never the first);
- **bounds**: shares stay within 0–100 %, counts and times above 0.

``history(seed)`` gives one :class:`Case`; ``cases(n, seed)`` many. The same seed gives the same
cases. :func:`backtest` forecasts each case from a random week 3–10 and tallies, per decile of the
forecast probability, how many landed.

:func:`real_histories` reads published key-result histories (``tests/data/forecast_real``, each
with its source) into the same :class:`Case` shape, and :func:`backtest_real` forecasts their last
check-in from an earlier one.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from goalbook.forecast import forecast_series, value_bounds

START = date(2027, 1, 1)
WEEKS = 13


@dataclass(frozen=True)
class Case:
    """One simulated key result: what it asks for, what was reported and where it truly ended."""

    direction: str  # increase | decrease | maintain_at_most
    baseline: float
    target: float
    unit: str
    reported: list[tuple[date, float]]  # check-ins as reported, missed weeks left out
    final: float  # the true value at the end of the period (the last week's reading)
    ends: date | None = None  # the period's end when not the simulated quarter's (a real history's last check-in)

    @property
    def end(self) -> date:
        return self.ends or START + timedelta(weeks=WEEKS)

    @property
    def accepted(self) -> tuple[float, float]:
        if self.direction == "increase":
            return self.target, math.inf
        return -math.inf, self.target

    @property
    def landed(self) -> bool:
        lo, hi = self.accepted
        return lo <= self.final <= hi


def _t3(rng: random.Random) -> float:
    """A Student-t draw with 3 degrees of freedom (heavy tails), scaled to unit variance."""
    z = rng.gauss(0, 1)
    chi = sum(rng.gauss(0, 1) ** 2 for _ in range(3))
    return z / math.sqrt(chi / 3) / math.sqrt(3)


def history(seed: int) -> Case:
    """One simulated quarter of weekly check-ins (see the module docstring)."""
    rng = random.Random(seed)
    kind = rng.choice(("share", "count", "time"))
    direction = rng.choice(("increase", "increase", "decrease", "maintain_at_most"))
    if kind == "share":
        unit, baseline = "%", rng.uniform(20, 70)
        gap = rng.uniform(8, 28)
    elif kind == "count":
        unit, baseline = "clinics", float(rng.randint(2, 40))
        gap = max(2.0, baseline * rng.uniform(0.3, 1.2))
    else:
        unit, baseline = "min", rng.uniform(8, 40)
        gap = baseline * rng.uniform(0.2, 0.5)
    sign = 1.0 if direction == "increase" else -1.0
    if direction == "maintain_at_most":  # starts near the threshold and must stay under it
        target = baseline + gap * rng.uniform(0.05, 0.4)
        pace = rng.gauss(0, gap / WEEKS * 0.6)
    else:
        target = baseline + sign * gap
        pace = sign * gap / WEEKS * rng.uniform(0.2, 1.5)
    noise = abs(pace) * rng.uniform(0.2, 1.2) + gap * 0.01
    plateau = range(0)
    if rng.random() < 0.35:
        s = rng.randint(1, 9)
        plateau = range(s, s + rng.randint(2, 5))
    late, late_factor = WEEKS, 1.0
    r = rng.random()
    if r < 0.2:
        late, late_factor = WEEKS - rng.randint(3, 5), rng.uniform(2.0, 3.0)
    elif r < 0.35:
        late, late_factor = WEEKS - rng.randint(3, 5), rng.uniform(0.0, 0.3)
    low = 0.0
    high = 100.0 if unit == "%" else math.inf
    truth = [baseline]
    for week in range(1, WEEKS + 1):
        step = 0.0 if week in plateau else pace * (late_factor if week > late else 1.0)
        value = truth[-1] + step + noise * _t3(rng)
        truth.append(min(max(value, low), high))
    reported = []
    bad = rng.randint(1, WEEKS - 1) if rng.random() < 0.3 else None
    for week in range(WEEKS):  # check-ins on weeks 0..12; week 13 is the period's end, the outcome
        if week > 0 and rng.random() < 0.15:
            continue
        value = truth[week]
        if week == bad:
            value = min(max(value + rng.choice((-1, 1)) * gap * rng.uniform(0.4, 1.0), low), high)
        reported.append((START + timedelta(weeks=week), round(value, 2)))
    return Case("increase" if direction == "increase" else "decrease" if direction == "decrease"
                else "maintain_at_most", round(baseline, 2), round(target, 2), unit, reported, truth[-1])


def cases(n: int, seed: int = 17) -> list[Case]:
    """``n`` simulated quarters; the same seed gives the same list."""
    return [history(seed * 1_000_003 + i) for i in range(n)]


@dataclass(frozen=True)
class Decile:
    """Forecasts whose probability fell in ``[low, high)``: how many, their mean probability and how many landed."""

    low: float
    high: float
    cases: int
    mean_probability: float
    landed_share: float

    @property
    def error(self) -> float:
        return abs(self.landed_share - self.mean_probability)


@dataclass(frozen=True)
class Prediction:
    """One simulated forecast: the chance given, the naive forecaster's call and what happened."""

    probability: float
    naive: int  # 1 when the straight line from the first to the latest check-in reaches the target
    landed: bool
    points: int  # check-ins seen


def predictions(n: int = 3000, seed: int = 17) -> list[Prediction]:
    """Forecast each of ``n`` cases from a random week 3-10, seeing only the check-ins up to then."""
    rng = random.Random(seed)
    out = []
    for case in cases(n, seed):
        cutoff = START + timedelta(weeks=rng.randint(3, 10))
        seen = [(d, v) for d, v in case.reported if d <= cutoff]
        f = forecast_series(seen, case.end, accepted=case.accepted,
                            bounds=value_bounds(case.unit, [v for _, v in seen], case.target))
        if f is None or f.probability is None:
            continue
        out.append(Prediction(f.probability, _on_pace(seen, case.end, case.accepted), case.landed, f.points))
    return out


def deciles(pairs: list[tuple[float, bool]]) -> list[Decile]:
    """Tally ``(probability, landed)`` pairs per decile of the probability."""
    tally: list[list[tuple[float, bool]]] = [[] for _ in range(10)]
    for p, ok in pairs:
        tally[min(int(p * 10), 9)].append((p, ok))
    return [Decile(k / 10, (k + 1) / 10, len(items), sum(p for p, _ in items) / len(items),
                   sum(1 for _, ok in items if ok) / len(items)) for k, items in enumerate(tally) if items]


def backtest(n: int = 3000, seed: int = 17) -> list[Decile]:
    """The landed share per decile of the forecast probability over :func:`predictions`."""
    return deciles([(p.probability, p.landed) for p in predictions(n, seed)])


def worst_gap(table: list[Decile], min_cases: int = 50) -> float:
    """The largest |landed share - mean probability| over deciles with at least ``min_cases`` cases."""
    return max(d.error for d in table if d.cases >= min_cases)


def chance_gap(probabilities: list[float], seed: int, min_cases: int = 50) -> float:
    """:func:`worst_gap` of a *perfectly* calibrated forecaster giving the same probabilities: each
    outcome drawn with its own probability. What sampling noise alone shows at this many cases."""
    rng = random.Random(seed)
    return worst_gap(deciles([(p, rng.random() < p) for p in probabilities]), min_cases)


REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "forecast_real" / "puzzle_okr_pitc.json"


@dataclass(frozen=True)
class RealForecast:
    """One forecast made on a published history: from which check-in, the chance given, and whether it landed."""

    key_result: int
    seen: int  # check-ins the forecast saw
    probability: float
    naive: int  # the "on pace or not" forecaster's call (1 or 0)
    landed: bool


def real_histories(path: Path = REAL) -> list[Case]:
    """The published key-result histories of ``path`` (see its ``source``) as :class:`Case` objects: the
    last check-in is the outcome, the day of that check-in the period's end."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for h in data["histories"]:
        reported = [(date.fromisoformat(d), float(v)) for d, v in h["check_ins"]]
        up = h["stretch_goal"] > h["baseline"]
        out.append(Case("increase" if up else "decrease", h["baseline"], h["target"],
                        h["unit"], reported, reported[-1][1], reported[-1][0]))
    return out


def backtest_real(path: Path = REAL, *, every: bool = False) -> list[RealForecast]:
    """Forecast each published history's last check-in from an earlier one: the latest check-in at or
    before half the history's span (``every=False``: one forecast per key result, at least
    :data:`~goalbook.forecast.MIN_POINTS` seen), or from every check-in from the third on that is at
    least a week before the end (``every=True``; these overlap and are not independent)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for h, case in zip(data["histories"], real_histories(path), strict=True):
        days = [d for d, _ in case.reported]
        end = case.end
        halfway = days[0] + (end - days[0]) / 2
        cutoffs = [k for k in range(3, len(days)) if (end - days[k - 1]).days >= 7]
        if not every:
            cutoffs = [max([k for k in cutoffs if days[k - 1] <= halfway], default=min(cutoffs, default=0))]
        for k in cutoffs:
            if k < 3:
                continue
            seen = case.reported[:k]
            f = forecast_series(seen, end, accepted=case.accepted,
                                bounds=value_bounds(case.unit, [v for _, v in seen], case.target))
            if f is None or f.probability is None:
                continue
            out.append(RealForecast(h["key_result"], k, f.probability, _on_pace(seen, end, case.accepted),
                                    case.landed))
    return out


def _on_pace(seen: list[tuple[date, float]], end: date, accepted: tuple[float, float]) -> int:
    """1 when the straight line from the first to the latest check-in reaches ``accepted`` by ``end``."""
    (d0, v0), (d1, v1) = seen[0], seen[-1]
    value = v1 + (v1 - v0) / max((d1 - d0).days, 1) * (end - d1).days
    return int(accepted[0] <= value <= accepted[1])


def brier(pairs: list[tuple[float, bool]]) -> float:
    """The mean squared gap between the chance given and what happened (0 is perfect, 0.25 a coin)."""
    return sum((p - ok) ** 2 for p, ok in pairs) / len(pairs)
