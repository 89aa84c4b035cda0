"""Where goalbook relies on another library's internals, each behind one small adapter: these tests
fail loudly (instead of goalbook silently slowing down or corrupting state) when a release of
networkx, plotly or ruamel.yaml changes what the adapter relies on. pyproject pins each below its
next major version, so such a release arrives only through a deliberate upgrade."""

from __future__ import annotations

import copy
import io
import json
import pickle
from datetime import date
from pathlib import Path

import networkx as nx
from jupyter_core.paths import jupyter_path
from ruamel.yaml import YAML

from goalbook.alignment import _nx, alignment_graph, compiled
from goalbook.examples import load_example
from goalbook.io import _layout
from goalbook.widgets.figure_view import PLOTLY_JS

TODAY = date(2027, 2, 26)


# --- networkx: goalbook.alignment._nx ---------------------------------------------------------------
def test_networkx_still_stores_a_digraph_as_plain_dicts() -> None:
    assert _nx.layout_ok(), (f"networkx {nx.__version__} changed how a DiGraph stores nodes and edges: the "
                             "alignment graph falls back to the public methods (about twice as slow); update "
                             "goalbook/alignment/_nx.py")


def test_the_direct_fill_gives_the_graph_the_public_methods_give(monkeypatch) -> None:
    book = load_example()
    fast = alignment_graph(book, today=TODAY)
    monkeypatch.setattr(_nx, "DIRECT", False)
    slow = alignment_graph(book, today=TODAY)
    assert nx.utils.graphs_equal(fast, slow) and list(fast.edges(data=True)) == list(slow.edges(data=True))
    assert pickle.loads(pickle.dumps(fast)).nodes(data=True) == fast.nodes(data=True)
    assert compiled(copy.deepcopy(fast)).ids == compiled(fast).ids


# --- plotly: goalbook.widgets.figure_view ---------------------------------------------------------
def test_plotly_still_ships_what_the_figure_view_draws_with() -> None:
    """The view draws with plotly.js's global ``window.Plotly``, set by plotly's Jupyter extension on the
    page, else by the bundle the view loads (the package's ``plotly.min.js`` for WebGL figures)."""
    assert "window.Plotly" in PLOTLY_JS.read_text(encoding="utf-8")[-4000:], "plotly.js no longer sets window.Plotly"
    found = [Path(p) / "jupyterlab-plotly" / "package.json" for p in jupyter_path("labextensions")]
    meta = json.loads(next(p for p in found if p.exists()).read_text())
    assert meta["jupyterlab"]["mimeExtension"], "plotly's Jupyter extension no longer loads with the page"


# --- ruamel.yaml: goalbook.io._layout ---------------------------------------------------------------
def test_ruamel_still_keeps_end_of_line_comments_where_the_layout_module_looks() -> None:
    doc = YAML().load("a: 1  # about a\nb:\n- x  # about x\n- y\n")
    slot = doc.ca.items.get("a")
    assert slot and len(slot) > _layout._EOL and slot[_layout._EOL].value.startswith("# about a"), (
        "ruamel.yaml moved a mapping entry's comment: update goalbook/io/_layout.py")
    seq = doc["b"].ca.items.get(0)
    assert seq and seq[_layout._SEQ_EOL].value.startswith("# about x"), (
        "ruamel.yaml moved a sequence item's comment: update goalbook/io/_layout.py")
    _layout._set_end(doc["b"], "# after the list\n")
    out = io.StringIO()
    YAML().dump(doc, out)
    assert "# after the list" in out.getvalue()
