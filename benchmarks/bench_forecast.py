"""Forecast calibration back-test: of key results given probability p of landing, how many landed.

Not a timing benchmark: the figure is the largest gap, over the probability deciles holding at
least 50 cases, between the mean forecast probability and the share that landed, on simulated
histories (:mod:`benchmarks.forecast_histories`, a process that is not the forecast's model). The
target is <= 0.1. The "floor" printed beside it is the same gap for a naive forecaster that says
"on pace or not" (probability 1 when the straight line from the first to the latest check-in
reaches the target, else 0), for scale. Seeds 17, 99 and 7 are the ones the forecast's drift term
and damping were set on; seed 3 is held out.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from benchmarks._harness import Figure
from benchmarks.forecast_histories import START, backtest, cases

MIN_CASES = 50
N = 3000


def worst_gap(seed: int, n: int = N) -> float:
    """The largest |landed share - mean probability| over deciles with at least ``MIN_CASES`` cases."""
    return max(d.error for d in backtest(n, seed) if d.cases >= MIN_CASES)


def naive_gap(seed: int, n: int = N) -> float:
    """The same gap for the "straight line from first to latest check-in" forecaster (0 or 1)."""
    rng = random.Random(seed)
    hits = {0: [0, 0], 1: [0, 0]}
    for case in cases(n, seed):
        cutoff = START + timedelta(weeks=rng.randint(3, 10))
        seen = [(d, v) for d, v in case.reported if d <= cutoff]
        (d0, v0), (d1, v1) = seen[0], seen[-1]
        end = v1 + (v1 - v0) / max((d1 - d0).days, 1) * (case.end - d1).days
        lo, hi = case.accepted
        p = int(lo <= end <= hi)
        hits[p][0] += 1
        hits[p][1] += case.landed
    return max(abs(k - landed / total) for k, (total, landed) in hits.items() if total >= MIN_CASES)


def run() -> list[Figure]:
    out = []
    for seed in (17, 99, 7, 3):
        gap, floor = worst_gap(seed), naive_gap(seed)
        out.append(Figure(f"forecast calibration, worst decile gap (seed {seed}, {N} cases)", gap,
                          "naive on-pace forecaster's gap", floor, "<= 0.1", gap <= 0.1, unit=""))
    return out


if __name__ == "__main__":
    for seed in (17, 99, 7, 3):
        for d in backtest(N, seed):
            print(f"seed {seed} p {d.low:.1f}-{d.high:.1f}: {d.cases:5d} cases, mean p {d.mean_probability:.3f}, "
                  f"landed {d.landed_share:.3f}, gap {d.error:.3f}")
    sys.exit(0)
