"""Review pages in a real browser (issues 7 and 16): time to rendered widgets, and a burst of readers.

The floor is a bare Voilà notebook showing one ``Label``, served by ``goalbook review`` with the same
settings but **not preheated** (a kernel started per page view, as Voilà does by default), loaded by
the same headless Chromium. Every review page of ``notebooks/review`` (on the example goalbook in a
fresh SQLite store, served with ``--preheat 1``) must reach rendered widgets in at most 0.5 × that.
"Rendered" is what the browser tests wait for: Voilà's spinner gone and widgets drawn. Each page is
loaded in a fresh browser context (no cache), once to warm up and then ``LOADS`` times, floor and
pages interleaved; before each load of a review page the bench waits until its pool holds a kernel
again, so the figure is a page opened on a server whose pool has caught up (a burst is measured below).

The floor loads every lab extension installed, as any notebook served by ``goalbook review`` does unless
its metadata names some as unused (goalbook's review notebooks skip plotly's 4.8 MB renderer of static
figures that way, see :mod:`goalbook.review_server`). So that this saving is seen apart from the rest, the
same bare page with plotly's renderer skipped too is loaded in the same rounds and reported beside the floor.

Then the burst: ``READERS`` readers open the company dashboard within ``BURST_SECONDS`` (an all-hands),
each in a browser context of its own, all pages open at once. Reported: how many rendered, time to
rendered widgets (p50, p95, each page timed in the page itself from its navigation start), the peak
memory of the review server with its kernels (RSS of the process tree, sampled), and, once every
reader has closed the page, how long until the readers' kernels are gone (only the pool left).
"""

from __future__ import annotations

import contextlib
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from benchmarks._harness import Figure, absolute_figure, ratio_figure

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "notebooks" / "review"
LOADS = 5
READERS = 50
BURST_SECONDS = 10.0
FLOOR_NAME = "bare Voila page, one Label, not preheated"
LEAN_NAME = "bare page, plotly's renderer skipped too"
LEAN_METADATA = {"goalbook": {"extension_denylist": ["jupyterlab-plotly"]}}
"""What goalbook's review notebooks say in their metadata (lab extensions their page never uses)."""
PAGES = {  # figure name -> (notebook, query)
    "company dashboard": ("dashboard.ipynb", {}),
    "team page ?team=Web": ("team.ipynb", {"team": "Web"}),
    "alignment map": ("alignment.ipynb", {}),
    "changes ?since=2027-01-01": ("changes.ipynb", {"since": "2027-01-01"}),
    "agenda": ("agenda.ipynb", {}),
}
RENDERED_JS = """() => {
  window.__goalbookRendered = null;
  const poll = () => {
    const failed = document.body && document.body.innerText.includes('There was an error when executing cell');
    if (failed) { window.__goalbookRendered = -1; return; }
    if (!document.querySelector('#loading') && document.querySelector('.jupyter-widgets')) {
      window.__goalbookRendered = performance.now();
    } else { setTimeout(poll, 25); }
  };
  document.addEventListener('DOMContentLoaded', poll);
}"""
"""Run in every burst page before its own scripts: the moment (ms from navigation start) it is rendered."""

sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the browser tests' harness: measure what they check
from voila_harness import chromium, new_context, render, review_server  # noqa: E402


def _bare_notebook(folder: Path, name: str = "bare.ipynb", metadata: dict | None = None) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'import ipywidgets as widgets\n\nwidgets.Label("goalbook")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    path = folder / name
    nbformat.write(nb, path)
    return path


def _load_time(browser: Any, url: str) -> float:
    context = new_context(browser)
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        render(page, url, timeout=600_000)
        return time.perf_counter() - t0
    finally:
        context.close()


def _pool_fills(server: Any, notebook: str) -> int:
    """How many of ``notebook``'s preheated kernels have run it up to the wait for their reader (the server's
    log says so), i.e. have built their page ahead: Voilà's "pool is filled" comes as soon as a kernel has
    started, before it has run anything."""
    waiting = rf"Preheated kernel \S+ of (\S*/)?{re.escape(notebook)} waits for its reader"
    return len(re.findall(waiting, server.log.read_text(errors="replace")))


def _wait_pool(server: Any, notebook: str, fills: int, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while _pool_fills(server, notebook) < fills:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{notebook}'s pool not refilled after {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.2)


def _kernels(server: Any) -> int:
    """Kernel processes the review server runs now (Voilà serves no kernel list)."""
    import psutil

    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    count = 0
    for p in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            count += any("ipykernel" in part for part in p.cmdline())
    return count


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


class _PeakMemory:
    """The largest RSS of a process tree, sampled twice a second while the ``with`` block runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop.wait(0.5)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _pages(browser: Any, bare: Any, pages: Any) -> dict[str, list[float]]:
    urls = {FLOOR_NAME: (bare.page_url("bare.ipynb"), None), LEAN_NAME: (bare.page_url("bare-lean.ipynb"), None)}
    urls |= {name: (pages.page_url(nb, **query), nb) for name, (nb, query) in PAGES.items()}
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _round in range(LOADS + 1):
        for name, (url, notebook) in urls.items():
            if notebook is not None:
                _wait_pool(pages, notebook, _round + 1)  # the pool holds a waiting kernel again
            elapsed = _load_time(browser, url)
            if _round:  # the first round warms the servers and the browser up
                times[name].append(elapsed)
    return times


def _burst(browser: Any, server: Any) -> dict[str, Any]:
    url = server.page_url("dashboard.ipynb")
    contexts, pages = [], []
    for _ in range(READERS):  # each reader's browser open (blank) before the burst: a busy machine's browser
        context = new_context(browser)  # took minutes to open 50 pages, which spread the "burst" over them
        page = context.new_page()
        page.add_init_script(f"({RENDERED_JS})()")
        contexts.append(context)
        pages.append(page)
    with _PeakMemory(server.process.pid) as memory:
        t0 = time.monotonic()
        for i, page in enumerate(pages):
            time.sleep(max(0.0, t0 + i * BURST_SECONDS / READERS - time.monotonic()))
            page.evaluate("url => { window.location.href = url; }", url)  # returns at once: arrivals stay spread
        arrived = time.monotonic() - t0
        deadline = time.monotonic() + 900
        rendered: list[float | None] = [None] * READERS
        while time.monotonic() < deadline and any(r is None for r in rendered):
            for i, page in enumerate(pages):
                if rendered[i] is None:
                    try:
                        rendered[i] = page.evaluate("() => window.__goalbookRendered")
                    except Exception:  # the page is between documents
                        rendered[i] = None
            time.sleep(1)
        kernels_open = _kernels(server)
    t_left = time.monotonic()
    for context in contexts:
        context.close()
    pooled = len(PAGES)
    freed = None
    while time.monotonic() - t_left < 300:
        if _kernels(server) <= pooled:
            freed = time.monotonic() - t_left
            break
        time.sleep(1)
    ok = [r / 1000 for r in rendered if r is not None and r >= 0]
    return {"arrived": arrived, "rendered": ok, "failed": sum(1 for r in rendered if r is None or r < 0),
            "peak": memory.peak, "kernels": kernels_open, "freed": freed}


@contextlib.contextmanager
def floor_and_pages(prefix: str) -> Iterator[tuple[Any, Any, Any]]:
    """``(browser, bare, pages)``: headless Chromium, the floor's server (the bare one-label notebook, not
    preheated) and the review pages' server (the example goalbook in a fresh SQLite store, ``--preheat 1``),
    all stopped and removed afterwards. Every page bench measures against this same floor."""
    from goalbook.cli.demo import seed_store

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        work = Path(tmp)
        (work / "bare").mkdir()
        _bare_notebook(work / "bare")
        _bare_notebook(work / "bare", "bare-lean.ipynb", LEAN_METADATA)
        store = work / "example.db"
        seed_store(store)
        with chromium() as browser, review_server(work / "bare", work / "bare.log", preheat=0) as bare, \
                review_server(REVIEW, work / "pages.log", store=store, preheat=1) as pages:
            yield browser, bare, pages


def run() -> list[Figure]:
    with floor_and_pages("bench-review-") as (browser, bare, pages):
        times = _pages(browser, bare, pages)
        floor = statistics.median(times[FLOOR_NAME])
        for name, loads in times.items():  # said now: the burst takes minutes
            print(f"# bench_review: {name}: median {statistics.median(loads):.2f} s "
                  f"({statistics.median(loads) / floor:.2f}x floor), loads {', '.join(f'{t:.2f}' for t in loads)}",
                  file=sys.stderr, flush=True)
        burst = _burst(browser, pages)
    figures = [Figure(f"review: bare page to rendered widgets (median of {LOADS})", floor, FLOOR_NAME, floor,
                      "(the floor)", True),
               Figure(f"review: {LEAN_NAME} (median)", statistics.median(times[LEAN_NAME]), FLOOR_NAME, floor,
                      "(reported)", True)]
    for name in PAGES:
        figures.append(ratio_figure(f"review: {name}, preheated, to widgets (median)",
                                    statistics.median(times[name]), FLOOR_NAME, floor, 0.5))
    done = burst["rendered"]
    print(f"# bench_review: {READERS} readers arrived within {burst['arrived']:.1f} s; {len(done)} rendered, "
          f"{burst['failed']} did not; {burst['kernels']} kernels at the end of the burst", file=sys.stderr)
    burst_name = f"burst: {READERS} readers of the dashboard in {BURST_SECONDS:g} s"
    figures.append(Figure(f"{burst_name}, pages rendered", len(done), "readers", READERS, f"= {READERS}",
                          len(done) == READERS, "pages"))
    if done:
        p95 = statistics.quantiles(done, n=20)[-1] if len(done) > 1 else done[0]
        figures.append(Figure(f"{burst_name}, to widgets p50", statistics.median(done), FLOOR_NAME, floor,
                              "(reported)", True))
        figures.append(Figure(f"{burst_name}, to widgets p95", p95, FLOOR_NAME, floor, "(reported)", True))
    figures.append(Figure(f"{burst_name}, peak memory (server + kernels)", burst["peak"] / 2**20, "-", None,
                          "(reported)", True, "MB"))
    freed = burst["freed"]
    figures.append(absolute_figure(f"{burst_name}: readers left, kernels freed after", freed if freed else 300.0,
                                   "-", None, 60))
    return figures
