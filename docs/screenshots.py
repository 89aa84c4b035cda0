"""Render the widget screenshots in ``docs/``: the objective editor, the dashboard and the alignment explorer.

Each widget is put in a one-cell notebook on the Northwind example (as of 2027-02-26), served by
Voilà with the review-page settings (``goalbook.review.voila_command``), opened in Debian's headless
Chromium through Playwright, and the widget itself is photographed once it has rendered. Nothing
leaves the machine: requests to anything but 127.0.0.1 are refused (Voilà's icon font only).

Run from the repository root: ``.venv/bin/python docs/screenshots.py [--out docs] [--only dashboard]``.
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from goalbook.review import start_process, stop_process, voila_command, wait_for_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
PREAMBLE = "from datetime import date\nimport goalbook\nbook = goalbook.load_example()\ntoday = date(2027, 2, 26)\n"

SHOTS = {
    # name: (code making the widget, CSS selector of the widget, selector that proves it has rendered)
    "editor": ("from goalbook.widgets import ObjectiveEditor\nObjectiveEditor(book, 'CO-1', today=today)",
               ".goalbook-objective-editor", ".goalbook-objective-editor .goalbook-verdicts"),
    "dashboard": ("from goalbook.widgets.dashboard import Dashboard\n"
                  "Dashboard(book, today=today, team='Clinics Ops', readonly=False)",
                  ".goalbook-dashboard", ".goalbook-dashboard-objective"),
    "explorer": ("from goalbook.widgets.explorer import AlignmentExplorer\n"
                 "explorer = AlignmentExplorer(book, today=today)\nexplorer.select('CO-2.KR1')\nexplorer",
                 ".goalbook-alignment-explorer", ".goalbook-alignment-explorer .js-plotly-plot .scatterlayer .point"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(code: str, path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PREAMBLE + code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def render(out: Path, names: list[str], width: int = 1300) -> list[Path]:
    """Serve one notebook per widget with Voilà and photograph each widget into ``out/<name>.png``."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in names:
            _notebook(SHOTS[name][0], folder / f"{name}.ipynb")
        port = _free_port()
        argv = [a for a in voila_command(folder, port=port) if "show_tracebacks" not in a]
        proc = start_process([*argv, "--VoilaConfiguration.show_tracebacks=True"])  # a failing cell says why
        try:
            if not wait_for_port(port, proc):
                raise RuntimeError(f"Voilà did not start on port {port}")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    for name in names:
                        _, widget, ready = SHOTS[name]
                        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
                        page.route(OFF_MACHINE, lambda route: route.abort())
                        page.goto(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb", timeout=120_000)
                        page.wait_for_selector("#loading", state="detached", timeout=120_000)
                        if page.locator(".voila-error").count():
                            raise RuntimeError(f"{name}: {page.locator('.voila-error').first.inner_text()}")
                        page.wait_for_selector(ready, timeout=120_000)
                        # Voilà scrolls inside the page: make the window as tall as the widget so all of it is drawn
                        box = page.locator(widget).first.bounding_box()
                        page.set_viewport_size({"width": width, "height": int(box["y"] + box["height"]) + 40})
                        time.sleep(1.5)  # let plotly redraw at the new size
                        target = out / f"{name}.png"
                        page.locator(widget).first.screenshot(path=str(target))
                        written.append(target)
                        page.close()
                finally:
                    browser.close()
        finally:
            stop_process(proc)
    return written


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
