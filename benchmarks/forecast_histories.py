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
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

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

    @property
    def end(self) -> date:
        return START + timedelta(weeks=WEEKS)

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


def backtest(n: int = 3000, seed: int = 17) -> list[Decile]:
    """Forecast each of ``n`` cases from a random week 3-10 (only the check-ins up to then) and tally
    the landed share per decile of the forecast probability."""
    rng = random.Random(seed)
    tally: list[list[tuple[float, bool]]] = [[] for _ in range(10)]
    for case in cases(n, seed):
        week = rng.randint(3, 10)
        cutoff = START + timedelta(weeks=week)
        seen = [(d, v) for d, v in case.reported if d <= cutoff]
        f = forecast_series(seen, case.end, accepted=case.accepted,
                            bounds=value_bounds(case.unit, [v for _, v in seen], case.target))
        if f is None or f.probability is None:
            continue
        tally[min(int(f.probability * 10), 9)].append((f.probability, case.landed))
    out = []
    for k, items in enumerate(tally):
        if items:
            out.append(Decile(k / 10, (k + 1) / 10, len(items), sum(p for p, _ in items) / len(items),
                              sum(1 for _, ok in items if ok) / len(items)))
    return out
