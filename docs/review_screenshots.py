"""Render the review-page screenshots in ``docs/``: ``review-dashboard.png``, ``review-team.png``,
``review-alignment.png`` and ``review-changes.png``.

The example goalbook (Northwind Clinics) is imported into a fresh SQLite store, the real
``goalbook review notebooks/review --store <db>`` serves the pages (as of 2027-02-26 through
``GOALBOOK_TODAY``), and Debian's headless Chromium photographs each page once it has rendered (the top
:data:`MAX_HEIGHT` pixels of a longer one).
Nothing leaves the machine: requests to anything but 127.0.0.1 are refused (Voilà's icon font only).

Run from the repository root: ``.venv/bin/python docs/review_screenshots.py [--out docs] [--only team]``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import goalbook
from goalbook.examples import load_example
from goalbook.notebook import TODAY_ENV
from goalbook.review import stop_process, wait_for_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
PAGES = Path(__file__).resolve().parents[1] / "notebooks" / "review"
TODAY = "2027-02-26"
MAX_HEIGHT = 2400
"""Pixels kept of a taller page: the changes page of a freshly seeded store lists every goal and check-in."""

SHOTS = {
    # name: (notebook and query, selector that proves the page has rendered)
    "dashboard": ("dashboard.ipynb", ".goalbook-dashboard-objective"),
    "team": ("team.ipynb?team=Web", ".goalbook-dashboard-smart-goal"),
    "alignment": ("alignment.ipynb", ".goalbook-alignment-figure .scatterlayer .point"),
    "changes": ("changes.ipynb", ".goalbook-table-widget table"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(out: Path, names: list[str], width: int = 1300) -> list[Path]:
    """Serve the review pages over a store seeded with the example; photograph each into ``out/review-<name>.png``."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "example.db"
        with goalbook.open(db, author="example") as store:
            store.import_book(load_example())
        port = _free_port()
        argv = [sys.executable, "-c", "from goalbook.cli import run; run()", "review", str(PAGES),
                f"--port={port}", "--no-browser", "--store", str(db)]
        proc = subprocess.Popen(argv, env={**os.environ, TODAY_ENV: TODAY}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            if not wait_for_port(port, proc):
                raise RuntimeError(f"goalbook review did not start on port {port}")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    for name in names:
                        written.append(_shoot(browser, f"http://127.0.0.1:{port}/voila/render/{SHOTS[name][0]}",
                                              SHOTS[name][1], out / f"review-{name}.png", width))
                finally:
                    browser.close()
        finally:
            stop_process(proc)
    return written


def _shoot(browser: Any, url: str, ready: str, target: Path, width: int) -> Path:
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page.route(OFF_MACHINE, lambda route: route.abort())
    page.goto(url, timeout=120_000)
    page.wait_for_selector("#loading", state="detached", timeout=120_000)
    if page.locator(".voila-error").count():
        raise RuntimeError(f"{url}: {page.locator('.voila-error').first.inner_text()}")
    page.wait_for_selector(ready, state="attached", timeout=120_000)
    # Voilà scrolls inside the page: make the window as tall as the content so all of it is drawn
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": width, "height": int(height) + 60})
    time.sleep(1.5)  # let plotly redraw at the new size
    clip = {"x": 0, "y": 0, "width": width, "height": min(int(height) + 60, MAX_HEIGHT)}
    page.screenshot(path=str(target), full_page=True, clip=clip)
    page.close()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent, help="folder for the PNGs (docs/)")
    parser.add_argument("--only", choices=sorted(SHOTS), action="append", help="render only this one (repeatable)")
    args = parser.parse_args(argv)
    for path in render(args.out, args.only or list(SHOTS)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
