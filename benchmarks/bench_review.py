"""Review pages in a real browser (issue 7): time from navigation to rendered widgets.

The floor is a bare Voilà notebook showing one ``Label``, served by ``goalbook review`` with the same
settings and loaded by the same headless Chromium; the company dashboard and the alignment map
(``notebooks/review/dashboard.ipynb`` and ``alignment.ipynb`` on the example goalbook in a fresh
SQLite store, issues 7 and 14) must each take at most 2x that; the alignment page counts as rendered
once its map has drawn its points. "Rendered" is what the browser tests wait for: Voilà's spinner
gone and widgets drawn.
Each page is loaded in a fresh browser context (no cache), once to warm up and then ``LOADS`` times,
floor and dashboard interleaved; the figure is the median.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from benchmarks._harness import Figure, ratio_figure

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "notebooks" / "review" / "dashboard.ipynb"
REVIEWED = {"company dashboard": ("dashboard.ipynb", None),
            "alignment map": ("alignment.ipynb", ".goalbook-alignment-figure .scatterlayer .point")}
"""The pages measured against the floor: notebook, and what must be drawn beyond rendered widgets."""
LOADS = 5
FLOOR_NAME = "bare Voila notebook, one Label"

sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the browser tests' harness: measure what they check
from voila_harness import chromium, new_context, render, review_server  # noqa: E402


def _bare_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'import ipywidgets as widgets\n\nwidgets.Label("goalbook")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "bare.ipynb"
    nbformat.write(nb, path)
    return path


def _load_time(browser: object, url: str, drawn: str | None = None) -> float:
    context = new_context(browser)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        render(page, url, timeout=120_000)
        if drawn:
            page.wait_for_selector(drawn, state="attached", timeout=120_000)
        return time.perf_counter() - t0
    finally:
        context.close()


def run() -> list[Figure]:
    from goalbook.cli.demo import seed_store

    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        work = Path(tmp)
        (work / "bare").mkdir()
        _bare_notebook(work / "bare")
        pages: dict[str, tuple[str, str | None]] = {}
        with chromium() as browser, review_server(work / "bare", work / "bare.log") as bare:
            pages[FLOOR_NAME] = (bare.page_url("bare.ipynb"), None)
            if DASHBOARD.exists():
                store = work / "example.db"
                seed_store(store)
                with review_server(DASHBOARD.parent, work / "review.log", store=store) as review:
                    for name, (notebook, drawn) in REVIEWED.items():
                        if (DASHBOARD.parent / notebook).exists():
                            pages[name] = (review.page_url(notebook), drawn)
                    times = _measure(browser, pages)
            else:
                print(f"# bench_review: {DASHBOARD.relative_to(ROOT)} is not there yet; floor only",
                      file=sys.stderr)
                times = _measure(browser, pages)
    floor = statistics.median(times[FLOOR_NAME])
    figures = [Figure(f"review: bare page to rendered widgets (median of {LOADS})", floor, FLOOR_NAME, floor,
                      "(the floor)", True)]
    for name in REVIEWED:
        if name in times:
            value = statistics.median(times[name])
            figures.append(ratio_figure(f"review: {name} to rendered widgets (median of {LOADS})", value,
                                        FLOOR_NAME, floor, 2))
    return figures


def _measure(browser: object, pages: dict[str, tuple[str, str | None]]) -> dict[str, list[float]]:
    for url, drawn in pages.values():  # warm-up: first kernel start, imports into the page cache
        _load_time(browser, url, drawn)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(LOADS):
        for name, (url, drawn) in pages.items():
            times[name].append(_load_time(browser, url, drawn))
    return times
