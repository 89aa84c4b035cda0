"""The shared shape of a benchmark figure and the timing helper every ``bench_*`` module uses.

A figure is only meaningful next to a floor measured in the same run on the same machine, so
each :class:`Figure` carries both and the ratio between them; ``target`` is the ratio (or the
absolute bound) the issue asks for.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    """One measured figure beside its floor."""

    name: str
    value: float  # seconds unless unit says otherwise
    floor_name: str
    floor: float | None  # same unit; None when the target is absolute
    target: str  # e.g. "<= 3x floor" or "<= 2 s"
    ok: bool
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Smallest wall time of ``repeat`` calls, with the garbage collector settled first."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_each(fns: dict[str, Callable[[], object]], repeat: int = 7) -> dict[str, float]:
    """Smallest wall time of each of ``fns`` over ``repeat`` rounds that call them in turn.

    Taking a figure and its floor in alternation means a change in the machine's load during the
    run falls on both alike, instead of on whichever happened to be timed at that moment.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def ratio_figure(name: str, value: float, floor_name: str, floor: float, max_ratio: float) -> Figure:
    """A figure whose target is at most ``max_ratio`` times its floor."""
    return Figure(name, value, floor_name, floor, f"<= {max_ratio:g}x floor", value <= max_ratio * floor)


def absolute_figure(name: str, value: float, floor_name: str, floor: float | None, limit: float,
                    unit: str = "s") -> Figure:
    """A figure whose target is an absolute bound, still printed beside a floor for scale."""
    return Figure(name, value, floor_name, floor, f"<= {limit:g} {unit}", value <= limit, unit)


def format_table(figures: list[Figure]) -> str:
    """A plain-text table of figures, one per line."""
    head = f"{'figure':<58} {'value':>10} {'floor':>10} {'ratio':>7}  {'target':<16} ok  floor is"
    lines = [head, "-" * len(head)]
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        floor = f"{f.floor:.4g}" if f.floor is not None else "-"
        lines.append(f"{f.name:<58} {f.value:>10.4g} {floor:>10} {ratio:>7}  {f.target:<16} "
                     f"{'yes' if f.ok else 'NO':<3} {f.floor_name}")
    return "\n".join(lines)
