"""What a review page's kernel imports: each of the many kernels a burst of readers starts holds what its
page imported, so a page imports only what it draws with (goalbook.widgets imports each widget on first use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("plotly", "networkx", "anywidget")
"""What only the alignment map draws with."""

_BUILD = """
import json, sys
import ipywidgets
from goalbook import pages
built = {}
for builder in sys.argv[1].split(","):
    page = getattr(pages, builder)({"team": None, "period": None, "since": None})
    modules, todo, seen = set(), [page], set()
    while todo:  # every widget of the page: the front-end modules its models come from
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        modules.add(w.get_state()["_model_module"])
        for name in w.keys:
            value = getattr(w, name, None)
            items = value if isinstance(value, (list, tuple)) else [value]
            todo += [v for v in items if isinstance(v, ipywidgets.Widget)]
    built[builder] = {"widget": type(page).__name__, "modules": sorted(modules),
                      "heavy": [m for m in sys.argv[2:] if m in sys.modules]}
print(json.dumps(built))
"""


def _build(*builders: str) -> dict:
    """Build review pages in turn in a fresh interpreter: for each, its widget class, the front-end modules of
    its widgets' models, and which of :data:`HEAVY` were imported by then."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALBOOK_", "VOILA_"))}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", _BUILD, ",".join(builders), *HEAVY], env=env, capture_output=True,
                         text=True, check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


REVIEW = ROOT / "notebooks" / "review"
BUILDERS = {"agenda.ipynb": "agenda_review", "alignment.ipynb": "alignment_review", "changes.ipynb": "changes_review",
            "dashboard.ipynb": "dashboard_review", "team.ipynb": "team_review"}


def test_a_dashboard_page_imports_neither_plotly_nor_networkx() -> None:
    built = _build("dashboard_review")["dashboard_review"]
    assert (built["widget"], built["heavy"]) == ("Dashboard", [])


def test_the_alignment_page_imports_what_its_map_draws_with() -> None:
    built = _build("alignment_review")["alignment_review"]
    assert (built["widget"], built["heavy"]) == ("AlignmentExplorer", list(HEAVY))


def test_no_review_page_skips_the_lab_extension_of_a_widget_it_shows() -> None:
    """A review notebook's metadata names lab extensions its page does not load (goalbook.review_server): never
    one whose widgets the page shows, or they would not draw. The extension's name is its models' module name."""
    from goalbook.review_server import unused_extensions

    assert sorted(p.name for p in REVIEW.glob("*.ipynb")) == sorted(BUILDERS)
    skipped = {}
    built = _build(*BUILDERS.values())
    for notebook, builder in BUILDERS.items():
        modules = set(built[builder]["modules"])
        unused = set(unused_extensions(REVIEW / notebook))
        assert "@jupyter-widgets/controls" in modules and not modules & unused, (notebook, modules & unused)
        skipped[notebook] = sorted(unused)
    assert skipped["alignment.ipynb"] == ["jupyterlab-plotly"]  # its map is an anywidget
    assert skipped["dashboard.ipynb"] == ["anywidget", "jupyterlab-plotly"]
