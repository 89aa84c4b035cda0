"""Render the screenshots in ``docs/``: the alignment map (``alignment.png``), the widgets
(``editor.png``, ``goal-editor.png``, ``check-in.png``, ``dashboard.png``, ``explorer.png``, ``kpi-picker.png``) and the review pages
(``review-dashboard.png``, ``review-team.png``, ``review-alignment.png``, ``review-changes.png``,
``review-agenda.png``, the dashboard at a phone's 390 px, ``review-dashboard-phone.png``, and the map
also at phone width, ``review-alignment-phone.png``), a dashboard's goals with their forecast bands
(``forecast-band.png``) and a goal's
approval thread (``approval-thread.png``).

All are photographed by Debian's headless Chromium, started by the browser tests' harness
(``tests/browser/voila_harness.py``); widgets and pages go through the real ``goalbook review``
command, so the pictures show what those tests check. The alignment map is ``alignment_figure`` of
the Northwind example (as of 2027-02-26) written as a standalone page, as ``goalbook graph --html``
writes it. Each widget is put in a one-cell notebook on the example and photographed once it has
rendered; the review pages are served over a fresh SQLite store seeded with the example (as of
2027-02-26 through ``GOALBOOK_TODAY``) and photographed whole (the top :data:`MAX_HEIGHT` pixels of
a longer one). Nothing leaves the machine: requests to anything but 127.0.0.1 are refused (Voilà's
icon font only).

Run from the repository root: ``.venv/bin/python docs/screenshots.py [--out docs] [--only review-team]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import nbformat

import goalbook
from goalbook.examples import load_example
from goalbook.model import Comment
from goalbook.notebook import TODAY_ENV

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from voila_harness import chromium, new_context, review_server, wait_rendered  # noqa: E402

PAGES = ROOT / "notebooks" / "review"
TODAY = "2027-02-26"
WIDTH = 1440
PHONE = 390
"""A phone's width in CSS pixels (an iPhone 14's 390 px): the review pages must be usable there too."""
MAX_HEIGHT = 2400
"""Pixels kept of a taller page."""
PREAMBLE = ("from datetime import date\nimport goalbook\nbook = goalbook.load_example()\n"
            f"today = date.fromisoformat({TODAY!r})\n")

WIDGETS = {
    # name: (code making the widget, CSS selector of the widget, selector that proves it has rendered)
    "editor": ("from goalbook.widgets import ObjectiveEditor\nObjectiveEditor(book, 'CO-1', today=today)",
               ".goalbook-objective-editor", ".goalbook-objective-editor .goalbook-verdicts"),
    "dashboard": ("from goalbook.widgets.dashboard import Dashboard\n"
                  "Dashboard(book, today=today, team='Clinics Ops', readonly=False)",
                  ".goalbook-dashboard", ".goalbook-dashboard-objective"),
    "explorer": ("from goalbook.widgets.explorer import AlignmentExplorer\n"
                 "explorer = AlignmentExplorer(book, today=today)\nexplorer.select('CO-2.KR1')\nexplorer",
                 ".goalbook-alignment-explorer", ".goalbook-alignment-explorer .js-plotly-plot .scatterlayer .point"),
    "goal-editor": ("from goalbook.widgets import SmartGoalEditor\nSmartGoalEditor(book, 'CC-1', today=today)",
                    ".goalbook-smart-goal-editor", ".goalbook-smart-goal-editor .goalbook-verdicts"),
    "check-in": ("from goalbook.widgets import CheckInForm\nCheckInForm(book, 'CO-1.KR2', today=today)",
                 ".goalbook-check-in-form", ".goalbook-check-in-history table"),
    "kpi-picker": ("from goalbook.widgets import KPIPicker\nKPIPicker('call handling time')",
                   ".goalbook-kpi-picker", ".goalbook-kpi-picker .goalbook-kpi-picker-card table"),
    "forecast-band": ("from goalbook.widgets.dashboard import Dashboard\n"
                      "Dashboard(book, today=today, team='Clinics Ops')",
                      '.goalbook-dashboard-goals tr[data-id="OPS-1"] td:last-child', ".goalbook-forecast-band"),
    "approval-thread": ("from goalbook.approvals import Flow\nfrom goalbook.widgets.approvals import ApprovalThread\n"
                        "clock = iter(__import__('datetime').datetime(2027, 2, 24, 9, n) for n in range(0, 60, 7))\n"
                        "flow = Flow(book, clock=lambda: next(clock))\n"
                        "c = flow.comment('CC-2', 'Is the new script tested with real callers?', 'coo')\n"
                        "flow.comment('CC-2', 'Yes: twenty recorded calls, handling time 5.9 min.', 'cc-lead', "
                        "reply_to=c.id)\n"
                        "flow.request_changes('CC-2', 'coo', 'Add the test plan and who signs it off')\n"
                        "flow.request_review('CC-2', 'cc-lead')\n"
                        "ApprovalThread(book, 'CC-2', readonly=False, author='cdo')",
                        ".goalbook-approval-thread", ".goalbook-thread-comment"),
}
"""Pages photographed at another width than :data:`WIDTH`: the map on a wide screen and on a phone."""
MAP_READY = ".js-plotly-plot .scatterlayer .point"
"""What proves the alignment map's page has drawn its goals."""
PAGES_SHOWN = {
    # name: (notebook, query, selector that proves the page has rendered)
    "review-dashboard": ("dashboard.ipynb", {}, ".goalbook-dashboard-objective"),
    "review-team": ("team.ipynb", {"team": "Web"}, ".goalbook-dashboard-smart-goal"),
    "review-alignment": ("alignment.ipynb", {}, ".goalbook-alignment-figure .scatterlayer .point"),
    "review-alignment-phone": ("alignment.ipynb", {}, ".goalbook-alignment-figure .scatterlayer .point"),
    "review-changes": ("changes.ipynb", {}, "details.goalbook-changes-imported"),
    "review-agenda": ("agenda.ipynb", {}, ".goalbook-agenda-item"),
    "review-dashboard-phone": ("dashboard.ipynb", {}, ".goalbook-dashboard-objective"),
}


def render(out: Path, names: list[str]) -> list[Path]:
    """Photograph each of ``names`` (``alignment``, keys of :data:`WIDGETS` and :data:`PAGES_SHOWN`)
    into ``out/<name>.png``."""
    written: list[Path] = []
    widgets = [n for n in names if n in WIDGETS]
    pages = [n for n in names if n in PAGES_SHOWN]
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        if "alignment" in names:
            context = new_context(browser, viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            try:
                page = context.new_page()
                page.goto(_alignment_page(folder).as_uri(), timeout=120_000)
                page.wait_for_selector(MAP_READY, state="attached", timeout=120_000)
                time.sleep(1.5)  # let plotly finish drawing
                page.screenshot(path=str(out / "alignment.png"), full_page=True)  # the legend is below the map
            finally:
                context.close()
            written.append(out / "alignment.png")
        if widgets:
            for name in widgets:
                _notebook(WIDGETS[name][0], folder / f"{name}.ipynb")
            with review_server(folder, folder / "widgets.log") as server:
                for name in widgets:
                    _, widget, ready = WIDGETS[name]
                    scale = 5 if name == "forecast-band" else 1  # one sparkline, magnified: it is 100 px wide
                    with _page(browser, server.page_url(f"{name}.ipynb"), ready, scale) as page:
                        box = page.locator(widget).first.bounding_box()
                        _fit(page, int(box["y"] + box["height"]) + 40)
                        page.locator(widget).first.screenshot(path=str(out / f"{name}.png"))
                    written.append(out / f"{name}.png")
        if pages:
            db = folder / "example.db"
            with goalbook.open(db, author="example") as store:
                store.import_book(load_example())
            with goalbook.open(db, author="Ada Lovelace") as store:  # a note only the changes page shows
                store.comment(Comment("WEB-1", "Budget confirmed with finance for all 14 clinics."))
            os.environ[TODAY_ENV] = TODAY  # the server and its kernels read the day from here
            with review_server(PAGES, folder / "review.log", store=db) as server:
                for name in pages:
                    notebook, query, ready = PAGES_SHOWN[name]
                    width = PHONE if name.endswith("-phone") else WIDTH
                    with _page(browser, server.page_url(notebook, **query), ready, width=width) as page:
                        height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight") + 60
                        _fit(page, height, width)
                        page.screenshot(path=str(out / f"{name}.png"), full_page=True,
                                        clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)})
                    written.append(out / f"{name}.png")
    return written


def _alignment_page(folder: Path) -> Path:
    """The example's alignment map as a standalone page (plotly.js inside: nothing fetched)."""
    from goalbook.figures import PLOTLY_CONFIG
    from goalbook.figures.alignment import alignment_figure

    path = folder / "alignment.html"
    figure = alignment_figure(load_example(), today=date.fromisoformat(TODAY))
    figure.write_html(path, include_plotlyjs=True, config=PLOTLY_CONFIG, full_html=True)
    return path


def _notebook(code: str, path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PREAMBLE + code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@contextmanager
def _page(browser: Any, url: str, ready: str, scale: int = 1, width: int = WIDTH) -> Iterator[Any]:
    """A page at ``url``, ``width`` pixels wide, once it has rendered and ``ready`` is there; closed after."""
    context = new_context(browser, viewport={"width": width, "height": 900}, device_scale_factor=scale)
    page = context.new_page()
    try:
        page.goto(url, timeout=120_000)
        wait_rendered(page, timeout=120_000)
        page.wait_for_selector(ready, state="attached", timeout=120_000)
        yield page
    finally:
        context.close()


def _fit(page: Any, height: int, width: int = WIDTH) -> None:
    """Voilà scrolls inside the page: make the window as tall as what is photographed so all of it is drawn."""
    page.set_viewport_size({"width": width, "height": height})
    time.sleep(1.5)  # let plotly redraw at the new size


def main(argv: list[str] | None = None) -> int:
    names = ["alignment", *WIDGETS, *PAGES_SHOWN]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent, help="folder for the PNGs (docs/)")
    parser.add_argument("--only", choices=names, action="append", help="render only this one (repeatable)")
    args = parser.parse_args(argv)
    for path in render(args.out, args.only or names):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
