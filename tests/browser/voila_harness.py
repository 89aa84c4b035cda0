"""Helpers for browser tests against ``goalbook review``: start and stop the server, launch Chromium,
wait for a rendered page, forge a widget message, detect script that ran.

Shared by ``tests/browser`` (through its conftest) and ``benchmarks/bench_review.py``, so the bench
measures exactly what the tests check.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from goalbook.review import wait_for_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
NOTEBOOKS = Path(__file__).parent / "notebooks"
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
"""Requests the page makes to anything but this machine (the template's FontAwesome CDN): aborted,
so a test never waits on a network that is not there."""


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """Block until the server listens on ``port``; fail with its log when it exits or times out first."""
    if not wait_for_port(port, proc, timeout):
        state = f"exited with {proc.returncode}" if proc.poll() is not None else f"not listening after {timeout:.0f} s"
        raise RuntimeError(f"review server on port {port} {state}:\n{_tail(log)}")


def _tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(errors="replace")[-chars:]
    except FileNotFoundError:
        return "(no log)"


@dataclass
class ReviewServer:
    """A running ``goalbook review`` serving a folder of notebooks."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def page_url(self, notebook: str, **query: str) -> str:
        """The URL of one notebook of the served folder, with optional query parameters."""
        url = f"{self.url}voila/render/{quote(notebook)}"
        return f"{url}?{urlencode(query)}" if query else url

    def log_tail(self) -> str:
        return _tail(self.log)


def start_review(folder: Path, log: Path, store: Path | str | None = None, *,
                 options: tuple[str, ...] = (), preheat: int = 0) -> ReviewServer:
    """Run the real ``goalbook review`` command on a free port, in its own session, logging to ``log``;
    ``options`` go last, so they win over the defaults here. Pages are not preheated unless ``preheat``
    kernels per page are asked for (a test folder's every notebook would otherwise start a kernel)."""
    port = free_port()
    argv = [sys.executable, "-c", "from goalbook.cli import run; run()", "review", str(folder),
            f"--port={port}", "--no-browser", "--max-kernels=60",  # one session's tests open many pages
            f"--preheat={preheat}"]
    if store is not None:
        argv += ["--store", str(store)]
    argv += options
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = ReviewServer(port, proc, log)
    try:
        wait_listening(port, proc, log)
    except BaseException:
        stop_review(server)
        raise
    return server


def stop_review(server: ReviewServer, timeout: float = 30.0) -> int:
    """SIGTERM the command's process group (it stops Voilà and its kernels), SIGKILL after ``timeout``."""
    proc = server.process
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode


@contextmanager
def review_server(folder: Path, log: Path, store: Path | str | None = None, *, preheat: int = 0,
                  options: tuple[str, ...] = ()) -> Iterator[ReviewServer]:
    """``goalbook review`` for the duration of a ``with`` block."""
    server = start_review(folder, log, store, preheat=preheat, options=options)
    try:
        yield server
    finally:
        stop_review(server)


_OPEN: list[Any] = []


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (sync API); never a downloaded browser.

    One browser per test process: Playwright's sync API cannot start twice in one thread, so a second
    caller while one is open (the hub tests' session fixture beside the browser tests') shares it;
    each test still works in a context of its own."""
    if _OPEN:
        yield _OPEN[-1]
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        _OPEN.append(browser)
        try:
            yield browser
        finally:
            _OPEN.pop()
            browser.close()


def new_context(browser: Any, **options: Any) -> Any:
    """A fresh browser context (own cookies, own connection pool) that never leaves this machine;
    ``options`` go to Playwright's ``new_context`` (``viewport=...``, say)."""
    context = browser.new_context(**options)
    context.route(OFF_MACHINE, lambda route: route.abort())
    return context


CELL_ERROR = "There was an error when executing cell"
"""What Voilà shows in place of a failing cell when tracebacks are hidden (the review setting)."""


def wait_rendered(page: Any, timeout: float = 60_000, allow_cell_errors: bool = False) -> None:
    """Wait until Voilà's spinner (``#loading``) is gone and widgets are drawn; no ``.voila-error``, and
    (unless ``allow_cell_errors``) no failed cell. A failed cell ends the wait at once instead of
    letting it run into the timeout."""
    page.wait_for_selector("#loading", state="detached", timeout=timeout)
    failed = page.get_by_text(CELL_ERROR)
    page.locator(".jupyter-widgets").or_(failed).first.wait_for(state="attached", timeout=timeout)
    if not allow_cell_errors:
        assert failed.count() == 0, f"a cell failed: {failed.first.inner_text()}"
    page.wait_for_selector(".jupyter-widgets", state="attached", timeout=timeout)
    errors = page.locator(".voila-error")
    assert errors.count() == 0, f"Voilà reported an error: {errors.first.inner_text()}"


def render(page: Any, url: str, timeout: float = 60_000) -> None:
    """Open ``url`` and wait until it is a rendered review page (see :func:`wait_rendered`)."""
    page.goto(url, timeout=timeout)
    wait_rendered(page, timeout)


_FORGE_JS = """async ([match, state]) => {
  const manager = await window.jupyterapp.widgetManagerPromise.promise;
  const models = await Promise.all(Object.values(manager._models));
  const hits = models.filter(m => m.get('_model_name') === match || (m.get('_dom_classes') || []).includes(match));
  for (const model of hits) { model.set(state); model.save_changes(); }
  return hits.length;
}"""


def forge_widget_update(page: Any, match: str, state: dict[str, Any]) -> int:
    """From the page, push ``state`` to the kernel for every widget model whose CSS class (``_dom_classes``)
    or model name (``"TextModel"``) is ``match``, as a hostile visitor could from the browser console.

    It goes through the page's own widget manager, so it sends exactly the comm ``update`` message a
    real edit would, whether or not the widget is disabled. Returns how many models were updated and
    fails when none matched (a forged test that touched nothing proves nothing).
    """
    count = page.evaluate(_FORGE_JS, [match, state])
    assert count, f"no widget model matches {match!r}"
    return count


_INJECTED_JS = """() => Array.from(document.querySelectorAll('#rendered_cells img[onerror], #rendered_cells script'))
  .filter(el => el.tagName === 'IMG' || !el.type || /javascript/i.test(el.type))
  .filter(el => el.outerHTML.includes('__xss')).length"""


def script_effects(page: Any) -> dict[str, int]:
    """What a payload setting ``window.__xss`` achieved once the page is quiet: how many times its
    script ran, and how many executable elements carrying it ended up in the rendered cells."""
    page.wait_for_load_state("networkidle")
    return {"ran": page.evaluate("window.__xss || 0"), "injected": page.evaluate(_INJECTED_JS)}


GOALS = {"G-1": "Raise online bookings to 60%", "G-2": "Cut median time-to-book to 2 minutes"}
"""The goals in the forge notebooks' store; ``forge_readonly`` guards G-1, ``forge_writable`` exposes G-2."""


def make_goal_store(path: Path) -> Path:
    """A minimal SQLite store with :data:`GOALS`, for pages that try to write through a widget."""
    con = sqlite3.connect(path)
    with con:
        con.execute("create table goals (id text primary key, title text not null)")
        con.executemany("insert into goals values (?, ?)", GOALS.items())
    con.close()
    return path


def stored_title(store: Path, goal: str) -> str:
    """A goal's title as it is in the store file now."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return con.execute("select title from goals where id = ?", (goal,)).fetchone()[0]
    finally:
        con.close()


def changes_groups(page: Any) -> list[tuple[str, list[dict[str, str]]]]:
    """The changes page's goal groups as a reader sees them: each goal's id, its rows by (lower-cased) heading."""
    out = []
    for group in page.locator(".goalbook-changes-goal").all():
        table = group.locator("table")
        columns = [c.strip().lower() for c in table.locator("thead th").all_inner_texts()]
        rows = [dict(zip(columns, (c.strip() for c in tr.locator("td").all_inner_texts()), strict=True))
                for tr in table.locator("tbody tr").all()]
        out.append((group.get_attribute("data-id"), rows))
    return out
