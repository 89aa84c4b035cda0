"""check_smart throughput and linearity.

Times are process CPU time (``time.process_time``), best of three, for the figure and its floor
alike: the target is "on one core", and on a shared machine wall time mostly measures the other
processes. Everything runs in this one process, single-threaded.

- Throughput: the dev-set statements repeated to 20,000, checked one by one. The target is
  >= 10,000 statements/s; the harness's ``ok`` is ``value <= limit``, so it is expressed as seconds
  per 10,000 statements (<= 1 s). The figure's name carries the statements/s. The floor is one
  compiled regular expression searched over the same texts (what any text scan costs at least).
- Linearity: seconds per kB for 100 kB statements against 10 kB statements, on ordinary goal text
  and on adversarial text (one character class repeated), each beside the same ratio for the floor
  regex. Linear work keeps the ratio near 1 (quadratic work would make it near 10).
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from benchmarks._harness import Figure, absolute_figure, ratio_figure
from goalbook.smart import check_smart

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "data" / "smart_devset.yaml"
TODAY = date(2026, 11, 24)
N = 20_000
FLOOR = re.compile(r"\d+")


def _best_cpu(fn: Callable[[], object], repeat: int = 3) -> float:
    """Smallest process CPU time of ``repeat`` calls, with the garbage collector settled first."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def _texts() -> list[str]:
    items = yaml.safe_load(DEVSET.read_text(encoding="utf-8"))["items"]
    texts = [i["text"] for i in items]
    return (texts * (N // len(texts) + 1))[:N]


def _per_kb(text: str, repeat: int) -> tuple[float, float]:
    """Seconds per kB for check_smart and for the floor regex on ``text``."""
    kb = len(text) / 1000
    t = _best_cpu(lambda: [check_smart(text, today=TODAY) for _ in range(repeat)]) / repeat
    f = _best_cpu(lambda: [FLOOR.findall(text) for _ in range(repeat)]) / repeat
    return t / kb, f / kb


def run() -> list[Figure]:
    texts = _texts()
    for t in texts[:200]:  # warm up (imports, caches)
        check_smart(t, today=TODAY)
    secs = _best_cpu(lambda: [check_smart(t, today=TODAY) for t in texts])
    floor = _best_cpu(lambda: [FLOOR.search(t) for t in texts])
    per_10k, floor_10k = secs / N * 10_000, floor / N * 10_000
    figures = [absolute_figure(f"check_smart: CPU s per 10,000 statements ({N / secs:,.0f} stmt/s)", per_10k,
                               "one compiled regex .search per text", floor_10k, 1.0)]

    goal = "Increase paid conversions from 3.2% to 4.5% by December 31, 2026, owner @maria. "
    adversarial = "1 "
    for label, unit in (("goal text", goal), ("adversarial '1 1 1…'", adversarial)):
        small = (unit * (10_000 // len(unit) + 1))[:10_000]
        large = (unit * (100_000 // len(unit) + 1))[:100_000]
        s_small, f_small = _per_kb(small, 10)
        s_large, f_large = _per_kb(large, 2)
        figures.append(ratio_figure(f"check_smart CPU s/kB, 100 kB vs 10 kB ({label})", s_large,
                                    "s/kB at 10 kB (same text)", s_small, 2.0))
        figures.append(Figure(f"  regex floor s/kB, 100 kB vs 10 kB ({label})", f_large, "regex s/kB at 10 kB",
                              f_small, "(for scale)", True))
    return figures
