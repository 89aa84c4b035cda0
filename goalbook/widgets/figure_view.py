"""``FigureView``: a plotly figure drawn on the page by plotly.js, redrawn whenever the kernel draws a new one.

Why not plotly's own ``FigureWidget``: since plotly 6 it is an anywidget whose module is plotly.js itself
(~5 MB), sent to the page with every widget and compiled there when the widget is created. anywidget
gives a widget's module 2 s to load; past that it stops applying the kernel's messages to the widget for
good ("[anywidget] Failed to initialize model." in the browser console). On a busy two-core machine
that compile took 2.4–3.2 s in headless Chromium (measured here), so a map drawn once never redrew:
filters changed the counts above it and not the map. This widget's module is a few lines, so it is ready
at once and every later message is applied. plotly.js, the same ~5 MB, travels as a plain synced string
(:attr:`FigureView.plotly_js`, the installed plotly package's ``plotly.min.js``) that the view runs once
per page as a script, which sets plotly.js's documented global ``window.Plotly``; a page that already
has that global (a plotly output drew it) draws with it and skips the script. However long the
script takes to compile, the widget keeps its messages.

A click on a point sends the point's ``customdata`` (a goal id on the alignment map) to the kernel,
where :meth:`FigureView.on_click` callbacks receive it. plotly.js writes the figure's strings into SVG
itself (its few tags such as ``<br>`` included), never into the page as HTML, and the figures escape user
text before it reaches them (:mod:`goalbook.figures`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import plotly
import plotly.graph_objects as go
import traitlets

__all__ = ["FigureView"]

ESM = r"""
function plotlyJs(model) {
  // plotly.js's global, if the page has one (a plotly output drew already), else the installed plotly's, run once
  if (globalThis.Plotly && globalThis.Plotly.react) return Promise.resolve(globalThis.Plotly);
  if (!globalThis.__goalbookPlotly) {
    globalThis.__goalbookPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = URL.createObjectURL(new Blob([model.get("plotly_js")], { type: "text/javascript" }));
      script.onload = () => (globalThis.Plotly ? resolve(globalThis.Plotly) : reject(new Error("no plotly.js")));
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return globalThis.__goalbookPlotly;
}

export default {
  render({ model, el }) {
    const div = document.createElement("div");
    div.className = "goalbook-figure-view-plot";
    el.appendChild(div);
    let plotly = null;
    let drawn = Promise.resolve();
    const draw = () => {
      if (!plotly) return;
      const spec = structuredClone(model.get("spec") || {});
      drawn = drawn.then(() => plotly.react(div, spec.data || [], spec.layout || {}, { ...model.get("config") }))
        .catch((error) => console.error("[goalbook] the figure could not be drawn", error));
    };
    const resize = new ResizeObserver(() => { if (plotly && div.offsetWidth) plotly.Plots.resize(div); });
    model.on("change:spec", draw);
    model.on("change:config", draw);
    plotlyJs(model).then((p) => {
      plotly = p;
      draw();
      drawn.then(() => {
        div.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && point.customdata != null) model.send({ event: "click", id: String(point.customdata) });
        });
        resize.observe(el);
      });
    });
    return () => {
      model.off("change:spec", draw);
      model.off("change:config", draw);
      resize.disconnect();
      if (plotly) plotly.purge(div);
    };
  },
};
"""
"""The view's module: draws ``spec`` with ``config`` (``Plotly.react`` again on every change), follows
its box's width, and sends clicks. Small on purpose, plotly.js apart: see the module docstring."""

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
"""The installed plotly package's plotly.js (what ``plotly.io`` writes into standalone HTML too)."""


class FigureView(anywidget.AnyWidget):
    """Shows :attr:`figure` (a ``go.Figure``); :meth:`draw` replaces it and the page redraws."""

    _esm = ESM
    spec = traitlets.Dict(help="The figure drawn, as plotly JSON (data and layout)").tag(sync=True)
    config = traitlets.Dict(help="plotly.js config: buttons, responsiveness").tag(sync=True)
    plotly_js = traitlets.Unicode("", help="plotly.js, run by a page that has none yet").tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, *, config: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._click_callbacks: list[Callable[[str], Any]] = []
        self.figure = go.Figure()
        self.config = dict(config or {})
        self.plotly_js = _plotly_js()
        self.on_msg(self._message)
        self.draw(figure if figure is not None else go.Figure())

    @property
    def data(self) -> tuple[Any, ...]:
        """The traces of the figure drawn."""
        return self.figure.data

    @property
    def layout(self) -> Any:
        """The layout of the figure drawn."""
        return self.figure.layout

    def draw(self, figure: go.Figure) -> None:
        """Show ``figure`` instead: one message with its JSON (plotly's own encoder: arrays, dates)."""
        self.figure = figure
        self.spec = json.loads(figure.to_json())

    def to_json(self) -> str:
        """The figure drawn, as plotly JSON (for a static page)."""
        return self.figure.to_json()

    def on_click(self, callback: Callable[[str], Any], remove: bool = False) -> None:
        """Call ``callback(customdata)`` when a reader clicks a point that carries ``customdata``."""
        if remove:
            self._click_callbacks.remove(callback)
        else:
            self._click_callbacks.append(callback)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A message from the page: a click, with the point's ``customdata``; anything else is ignored."""
        if isinstance(content, dict) and content.get("event") == "click" and isinstance(content.get("id"), str):
            for callback in list(self._click_callbacks):
                callback(content["id"])


@functools.cache
def _plotly_js() -> str:
    """:data:`PLOTLY_JS`'s text, read once per kernel."""
    return PLOTLY_JS.read_text(encoding="utf-8")
