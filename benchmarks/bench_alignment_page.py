"""The alignment review page in a real browser (issue 14): time to rendered widgets and to the map drawn.

The floor is the bare Voilà page of ``bench_review`` (one ``Label``, not preheated), loaded by the same
headless Chromium from the same kind of server. The alignment page (``notebooks/review/alignment.ipynb``
on the example goalbook in a fresh SQLite store, ``--preheat 1``) is timed to rendered widgets (what the
browser tests wait for) and to its map drawn (the first dot in the plot's SVG), each at most 2 × the
floor. Floor and page interleaved, one warm-up round, then the median of ``LOADS``.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks._harness import Figure, ratio_figure
from benchmarks.bench_review import FLOOR_NAME, _wait_pool, floor_and_pages

LOADS = 3
DRAWN = ".goalbook-alignment-figure .scatterlayer .point"
"""The first dot of the map drawn in the page's SVG."""


def _load(browser: Any, url: str, drawn: bool) -> tuple[float, float]:
    """Seconds to rendered widgets, and to the map drawn (``drawn``), in a fresh context."""
    from voila_harness import new_context, render  # on the path once bench_review is imported

    context = new_context(browser)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        render(page, url, timeout=600_000)
        widgets = time.perf_counter() - t0
        if drawn:
            page.wait_for_selector(DRAWN, state="attached", timeout=600_000)
        return widgets, time.perf_counter() - t0
    finally:
        context.close()


def run() -> list[Figure]:
    floor: list[float] = []
    page: list[tuple[float, float]] = []
    with floor_and_pages("bench-alignment-page-") as (browser, bare, pages):
        for round_ in range(LOADS + 1):
            bare_time = _load(browser, bare.page_url("bare.ipynb"), False)[0]
            _wait_pool(pages, "alignment.ipynb", round_ + 1)
            times = _load(browser, pages.page_url("alignment.ipynb"), True)
            if round_:  # the first round warms the servers and the browser up
                floor.append(bare_time)
                page.append(times)
    base = statistics.median(floor)
    return [Figure(f"alignment page: bare page to widgets (median of {LOADS})", base, FLOOR_NAME, base,
                   "(the floor)", True),
            ratio_figure("alignment page, preheated, to rendered widgets (median)",
                         statistics.median(w for w, _ in page), FLOOR_NAME, base, 2.0),
            ratio_figure("alignment page, preheated, to the map drawn (median)",
                         statistics.median(d for _, d in page), FLOOR_NAME, base, 2.0)]
