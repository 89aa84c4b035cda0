"""``goalbook publish``: the review pages as a static site, for any number of readers behind any web
server and to archive a quarter's review as it was.

Each page is the widget tree :mod:`goalbook.pages` builds for the Voilà page, written out as HTML:
an ``HTML`` widget's value as it is (the widgets escaped every user-written string in it), a box as
a ``div`` with its layout as CSS, a plotly ``FigureWidget`` as its JSON in a data block that
``goalbook-plots.js`` draws with the plotly.js of the installed plotly package (copied once into the
site: no CDN, it works offline). Any input widget is refused: a review page has none. No page has
inline script, and each says so in its Content-Security-Policy, so markup that slipped through
escaping still could not run.

The site is written to a temporary folder beside ``out`` and swapped in only when complete: a failure
leaves the previous site as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from goalbook.errors import GoalbookError
from goalbook.notebook import open_book, today_from_env
from goalbook.pages import alignment_page, changes_page, dashboard_page, team_page
from goalbook.tables import teams

__all__ = ["MARKER", "Site", "publish", "render_page", "team_file"]

MARKER = ".goalbook-site"
"""A file in every published site: ``publish`` replaces a folder only when it holds one (or is empty)."""

PLOTLY_JS = "plotly.min.js"
PLOTS_JS = "goalbook-plots.js"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; base-uri 'none'; form-action 'none'")
"""No inline or outside script, no forms, nothing from another site."""

PAGE_CSS = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:13px;
color:#24292f;background:#fff}
main{padding:16px 24px;max-width:1320px}
nav.goalbook-site-nav{padding:8px 24px;border-bottom:1px solid #d0d7de;background:#f6f8fa;font-size:13px}
nav.goalbook-site-nav a{color:#0969da;margin-right:14px}
.widget-box{display:flex;box-sizing:border-box;margin:0}
.widget-vbox{flex-direction:column}.widget-hbox{flex-direction:row}
.widget-html{margin:2px 0}
.goalbook-site-index li{margin:4px 0}
"""

PLOTS_SCRIPT = """// Draws every figure of a goalbook page from its JSON data block, with the site's own plotly.js.
document.querySelectorAll('script[type="application/json"].goalbook-figure-data').forEach(function (block) {
  var spec = JSON.parse(block.textContent);
  Plotly.newPlot(document.getElementById(block.dataset.target), spec.data, spec.layout, spec.config);
});
"""

_BOX_CLASSES = {widgets.VBox: "widget-vbox", widgets.HBox: "widget-hbox"}


def _css(layout: widgets.Layout) -> str:
    """A widget's layout as inline CSS (``flex_flow`` -> ``flex-flow``), only what was set."""
    rules = []
    for name in layout.keys:
        if name.startswith("_"):
            continue
        value = getattr(layout, name)
        if value is not None and value != "":
            rules.append(f"{name.replace('_', '-')}:{value}")
    return ";".join(rules)


def _classes(w: widgets.Widget, *base: str) -> str:
    return " ".join([*base, *getattr(w, "_dom_classes", ())])


class _Writer:
    """Walks one widget tree and writes its HTML; counts figures so each gets a unique element id."""

    def __init__(self) -> None:
        self.figures = 0

    def widget(self, w: widgets.Widget) -> Markup:
        import plotly.graph_objects as go

        from goalbook.widgets.figure_view import FigureView

        if isinstance(w, go.FigureWidget | FigureView):
            return self.figure(w, "")
        style = _css(w.layout)
        if isinstance(w, widgets.HTML | widgets.HTMLMath):
            # the value is HTML the goalbook widgets built, every user string escaped (goalbook.widgets._html)
            return Markup('<div class="{}" style="{}"><div class="widget-html-content">{}</div></div>').format(
                _classes(w, "widget-html"), style, Markup(w.value))
        if isinstance(w, widgets.Label):
            return Markup('<div class="{}" style="{}">{}</div>').format(_classes(w, "widget-label"), style, w.value)
        if isinstance(w, widgets.Box):
            kind = next((css for cls, css in _BOX_CLASSES.items() if isinstance(w, cls)), "")
            inner = Markup("").join(self.widget(c) for c in w.children)
            return Markup('<div class="{}" style="{}">{}</div>').format(_classes(w, "widget-box", kind), style, inner)
        if isinstance(w, widgets.IntProgress | widgets.FloatProgress) and w.layout.display == "none":
            return Markup("")  # a progress bar shown only while the page is being computed
        raise GoalbookError(f"a published page shows no {type(w).__name__}: review pages hold no input or control")

    def figure(self, fig: Any, style: str) -> Markup:
        from goalbook.figures import PLOTLY_CONFIG
        from goalbook.widgets.figure_view import FigureView

        self.figures += 1
        target = f"goalbook-figure-{self.figures}"
        spec = json.loads(fig.to_json())
        shown = fig.config if isinstance(fig, FigureView) else getattr(fig, "_config", {})
        spec["config"] = {**PLOTLY_CONFIG, **shown, "responsive": True}
        # plotly's JSON writes <, > and & as \\u escapes, so no </script> can end the block early
        data = Markup(json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
                      .replace("&", "\\u0026"))
        return Markup('<div class="{}" style="{}"><div id="{}" class="plotly-graph-div"></div>'
                      '<script type="application/json" class="goalbook-figure-data" data-target="{}">{}</script>'
                      '</div>').format(_classes(fig, "widget-figure"), style, target, target, data)


def render_page(root: widgets.Widget, *, title: str, nav: list[tuple[str, str]], depth: int = 0) -> str:
    """One page as a complete HTML document: ``root``'s widget tree, a title and a navigation bar of
    ``(label, file)`` links. ``depth`` is how many folders below the site's root the page is."""
    writer = _Writer()
    body = writer.widget(root)
    up = "../" * depth
    scripts = Markup("")
    if writer.figures:
        scripts = Markup('<script src="{}"></script><script src="{}"></script>').format(up + PLOTLY_JS,
                                                                                       up + PLOTS_JS)
    links = Markup("").join(Markup('<a href="{}">{}</a>').format(up + href, label) for label, href in nav)
    return str(Markup(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="goalbook publish"><title>{}</title><style>{}</style></head>'
        '<body><nav class="goalbook-site-nav">{}</nav><main class="goalbook-published">{}</main>{}</body></html>\n'
    ).format(CSP, title, Markup(PAGE_CSS), links, body, scripts))


def team_file(n: int, team: str) -> str:
    """The file of a team's page: numbered (names may differ only in case or punctuation) and readable."""
    slug = re.sub(r"[^a-z0-9]+", "-", team.lower()).strip("-")[:40] or "team"
    return f"teams/{n:03d}-{slug}.html"


@dataclass
class Site:
    """What :func:`publish` wrote: the site's folder, and each page's file by what it shows."""

    out: Path
    today: date
    pages: dict[str, str] = field(default_factory=dict)


def publish(source: str | os.PathLike[str], out: str | os.PathLike[str], *, today: date | None = None,
            since: date | None = None) -> Site:
    """Write the review pages of ``source`` (a YAML file or folder, a store path or URL) to ``out``.

    Pages: ``index.html`` linking all, ``dashboard.html``, ``alignment.html``, ``changes.html``
    (since ``since``, default the last review recorded in a store, else a week before ``today``; on the
    goalbook's clock, imported history folded: :func:`goalbook.pages.changes_page`)
    and one page per team under ``teams/``; all as of ``today`` (default as a review page picks it).
    """
    out = Path(out).expanduser().resolve()
    _check_target(out)
    ws = open_book(source, readonly=True)
    try:
        today = today or today_from_env(ws.book)
        book = ws.book
        names = teams(book)
        files = {team: team_file(n, team) for n, team in enumerate(names, 1)}
        org = book.organisation or "Goals"
        nav = [("Index", "index.html"), ("Dashboard", "dashboard.html"), ("Alignment map", "alignment.html"),
               ("Changes", "changes.html")]
        pages: dict[str, tuple[str, widgets.Widget, int]] = {
            "dashboard.html": (f"{org}: dashboard", dashboard_page(book, today=today), 0),
            "alignment.html": (f"{org}: alignment map", _static_alignment(book, today), 0),
            "changes.html": (f"{org}: what changed", changes_page(ws, since, today=today), 0),
        }

        def link(team: str) -> str:
            return "../" + files[team]

        for team, name in files.items():
            pages[name] = (f"{org}: {team}", team_page(book, team, today=today, href=link), 1)
        site = Site(out, today, {"index": "index.html", "dashboard": "dashboard.html",
                                 "alignment": "alignment.html", "changes": "changes.html",
                                 **{f"team:{t}": f for t, f in files.items()}})
        docs = {name: render_page(root, title=title, nav=nav, depth=depth)
                for name, (title, root, depth) in pages.items()}
        docs["index.html"] = _index(org, today, files, nav)
    finally:
        if ws.store is not None:
            ws.store.close()
    _write_site(out, docs)
    return site


def _static_alignment(book: Any, today: date) -> widgets.Widget:
    """The alignment page; its details panel says what a static map offers (hover), not a click."""
    from goalbook.widgets import _html

    page = alignment_page(book, today=today, filters=False)
    page.header.value = page.header.value.replace("click a goal to see its details", "hover over a goal for its status")
    page.details.value = _html.muted("Hover over a goal on the map for its title, status and score.")
    return page


def _index(org: str, today: date, files: dict[str, str], nav: list[tuple[str, str]]) -> str:
    items = Markup("").join(Markup('<li><a href="{}">{}</a></li>').format(f, t) for t, f in files.items())
    body = widgets.HTML(str(Markup(
        '<div class="goalbook-view-header">{}</div><p class="goalbook-muted">Review pages as of {}, published by '
        'goalbook.</p><ul class="goalbook-site-index"><li><a href="dashboard.html">Company dashboard</a></li>'
        '<li><a href="alignment.html">Alignment map</a></li><li><a href="changes.html">What changed</a></li></ul>'
        '<div class="goalbook-section-title">Teams</div><ul class="goalbook-site-index goalbook-site-teams">{}</ul>'
    ).format(f"{org}: review pages", today.isoformat(), items)))
    from goalbook.widgets._html import STYLE, VIEW_STYLE

    style = widgets.HTML(STYLE + VIEW_STYLE, layout=widgets.Layout(display="none"))
    return render_page(widgets.VBox([style, body]), title=f"{org}: review pages", nav=nav)


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise GoalbookError(f"{out} is a file: give a folder for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise GoalbookError(f"{out} holds files that goalbook did not publish: give an empty or new folder, or a "
                            "folder goalbook published before (it would replace it whole)")


def _write_site(out: Path, docs: dict[str, str]) -> None:
    """Write every page into a temporary folder beside ``out``, then swap it in."""
    import plotly

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, text in docs.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        shutil.copyfile(Path(plotly.__file__).parent / "package_data" / PLOTLY_JS, tmp / PLOTLY_JS)
        (tmp / PLOTS_JS).write_text(PLOTS_SCRIPT, encoding="utf-8")
        (tmp / MARKER).write_text("Published by goalbook; `goalbook publish` replaces this folder whole.\n",
                                  encoding="utf-8")
        os.chmod(tmp, 0o755)
        _check_target(out)  # nobody put other files there meanwhile
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / "site")
            try:
                os.replace(tmp, out)
            except BaseException:
                os.replace(old / "site", out)  # put the previous site back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
