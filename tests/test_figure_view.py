"""FigureView's plotly.js (goalbook.widgets.figure_view): the smallest bundle that draws the figure, served by
the review server as a cached file (a review kernel sends no plotly.js), sent through the kernel elsewhere or
when the page asks for it."""

from __future__ import annotations

import hashlib
import re

import plotly.graph_objects as go
import pytest

from goalbook.resources import plotly_js
from goalbook.runtime import STATIC_URL_ENV
from goalbook.widgets.figure_view import FigureView

MAP = go.Figure(go.Scatter(x=[0, 1], y=[1, 0], customdata=["G-1", "G-2"]))
BIG_MAP = go.Figure(go.Scattergl(x=[0, 1], y=[1, 0]))  # the alignment map past 1,000 goals draws in WebGL


def _version(bundle: str) -> str:
    head = plotly_js(bundle).read_text(encoding="utf-8")[:200]
    return re.search(r"plotly\.js .*?v(\d+\.\d+\.\d+)", head).group(1)


def test_the_basic_bundle_is_the_installed_plotly_js_version() -> None:
    """Vendored once; a plotly upgrade must bring a basic bundle of its own plotly.js version."""
    assert _version("basic") == _version("full")
    assert "window.Plotly" in plotly_js("basic").read_text(encoding="utf-8")[-200:]


def test_outside_the_review_server_the_figure_carries_the_smallest_bundle_that_draws_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STATIC_URL_ENV, raising=False)
    view = FigureView(MAP)
    assert (view.bundle, view.plotly_src) == ("basic", "")
    assert view.plotly_js == plotly_js("basic").read_text(encoding="utf-8")
    view.draw(BIG_MAP)
    assert view.bundle == "full" and view.plotly_js == plotly_js("full").read_text(encoding="utf-8")
    assert view.spec["data"][0]["type"] == "scattergl"


def test_on_the_review_server_the_page_loads_a_cached_file_and_the_kernel_sends_none(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STATIC_URL_ENV, "/base/goalbook/static/")
    view = FigureView(MAP)
    digest = hashlib.sha256(plotly_js("basic").read_bytes()).hexdigest()[:16]
    assert view.plotly_src == f"/base/goalbook/static/plotly-basic.min.js?v={digest}"
    assert view.plotly_js == ""
    view.draw(BIG_MAP)
    assert view.plotly_src.startswith("/base/goalbook/static/plotly.min.js?v=") and view.plotly_js == ""


def test_a_page_that_cannot_load_the_file_is_sent_the_bundle_it_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STATIC_URL_ENV, "/goalbook/static/")
    view = FigureView(MAP)
    view._message(view, {"event": "plotly-js", "bundle": "../../etc/passwd"}, [])
    assert view.plotly_js == ""
    view._message(view, {"event": "plotly-js", "bundle": "basic"}, [])
    assert view.plotly_js == plotly_js("basic").read_text(encoding="utf-8")
