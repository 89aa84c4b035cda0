"""``FigureView``: a plotly figure drawn on the page by plotly.js, redrawn whenever the kernel draws a new one.

Why not plotly's own ``FigureWidget``: since plotly 6 it is an anywidget whose module is plotly.js itself
(~5 MB), sent to the page with every widget and compiled there when the widget is created. anywidget
gives a widget's module 2 s to load; past that it stops applying the kernel's messages to the widget for
good ("[anywidget] Failed to initialize model." in the browser console). On a busy two-core machine
that compile took 2.4–3.2 s in headless Chromium (measured here), so a map drawn once never redrew:
filters changed the counts above it and not the map. This widget's module is a few lines, so it is ready
at once and every later message is applied. plotly.js is loaded beside it, once per page, as a script
that sets plotly.js's documented global ``window.Plotly``; however long it takes to compile, the widget
keeps its messages. A page that already has that global (a plotly output drew it) draws with it.

Which plotly.js: the smallest bundle that draws the figure (:func:`goalbook.resources.plotly_bundle`): the
basic partial bundle (scatter, bar, pie: 1.2 MB) for the alignment map of an organisation below 1,000
goals, the full one (4.6 MB, WebGL traces) otherwise. How it reaches the page: served as a file by the
review server (:attr:`FigureView.plotly_src`, a versioned URL the browser caches), so a review kernel
never holds or sends it; where no server serves it (JupyterLab, plain Voilà) or the file fails to load,
as a synced string (:attr:`FigureView.plotly_js`), which the page runs as a script.

A click on a point sends the point's ``customdata`` (a goal id on the alignment map) to the kernel,
where :meth:`FigureView.on_click` callbacks receive it. plotly.js writes the figure's strings into SVG
itself (its few tags such as ``<br>`` included), never into the page as HTML, and the figures escape user
text before it reaches them (:mod:`goalbook.figures`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import anywidget
import plotly.graph_objects as go
import traitlets

from goalbook import runtime
from goalbook.resources import PLOTLY_BUNDLES, plotly_bundle, plotly_js

__all__ = ["FigureView"]

ESM = r"""
// plotly.js bundles loaded on this page (bundle name -> Promise of its Plotly), and which Plotly objects are ours
const loading = (globalThis.__goalbookPlotly ||= {});
const ours = (globalThis.__goalbookPlotlyOwn ||= new WeakSet());

function runScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => {
      const plotly = globalThis.Plotly;
      if (plotly && plotly.react) { ours.add(plotly); resolve(plotly); } else reject(new Error("no plotly.js"));
    };
    script.onerror = () => reject(new Error("could not load plotly.js"));
    document.head.appendChild(script);
  });
}

function fromKernel(model, bundle) {
  // the bundle's text through the widget's own channel: asked for unless the kernel sent it already
  const text = new Promise((resolve) => {
    const ready = () => {
      if (!model.get("plotly_js")) return;
      model.off("change:plotly_js", ready);
      resolve(model.get("plotly_js"));
    };
    model.on("change:plotly_js", ready);
    if (model.get("plotly_js")) ready(); else model.send({ event: "plotly-js", bundle });
  });
  return text.then((js) => runScript(URL.createObjectURL(new Blob([js], { type: "text/javascript" }))));
}

function plotlyJs(model, bundle) {
  const page = globalThis.Plotly;
  if (page && page.react && !ours.has(page)) return Promise.resolve(page);  // a plotly output's plotly.js
  if (bundle === "basic" && loading.full) return loading.full;  // the full bundle draws what the basic one does
  if (!loading[bundle]) {
    const src = model.get("plotly_src");
    loading[bundle] = (src ? runScript(src).catch(() => fromKernel(model, bundle)) : fromKernel(model, bundle));
  }
  return loading[bundle];
}

export default {
  render({ model, el }) {
    const div = document.createElement("div");
    div.className = "goalbook-figure-view-plot";
    el.appendChild(div);
    let plotly = null;
    let drawn = Promise.resolve();
    const click = (event) => {
      const point = event && event.points && event.points[0];
      if (point && point.customdata != null) model.send({ event: "click", id: String(point.customdata) });
    };
    const draw = () => {
      const bundle = model.get("bundle");
      drawn = drawn.then(() => plotlyJs(model, bundle)).then((next) => {
        if (plotly && plotly !== next) plotly.purge(div);  // drawn by the basic bundle, now needs the full one
        const fresh = plotly !== next;
        plotly = next;
        const spec = structuredClone(model.get("spec") || {});
        return plotly.react(div, spec.data || [], spec.layout || {}, { ...model.get("config") })
          .then(() => { if (fresh) div.on("plotly_click", click); });
      }).catch((error) => console.error("[goalbook] the figure could not be drawn", error));
    };
    const resize = new ResizeObserver(() => { if (plotly && div.offsetWidth) plotly.Plots.resize(div); });
    model.on("change:spec", draw);
    model.on("change:config", draw);
    draw();
    drawn.then(() => resize.observe(el));
    return () => {
      model.off("change:spec", draw);
      model.off("change:config", draw);
      resize.disconnect();
      if (plotly) plotly.purge(div);
    };
  },
};
"""
"""The view's module: loads the figure's plotly.js bundle, draws ``spec`` with ``config`` (``Plotly.react``
again on every change), follows its box's width, and sends clicks. Small on purpose: see the module docstring."""

PLOTLY_JS = plotly_js("full")
"""The installed plotly package's plotly.js (what ``plotly.io`` writes into standalone HTML too)."""


class FigureView(anywidget.AnyWidget):
    """Shows :attr:`figure` (a ``go.Figure``); :meth:`draw` replaces it and the page redraws."""

    _esm = ESM
    spec = traitlets.Dict(help="The figure drawn, as plotly JSON (data and layout)").tag(sync=True)
    config = traitlets.Dict(help="plotly.js config: buttons, responsiveness").tag(sync=True)
    bundle = traitlets.Unicode("basic", help="The plotly.js bundle the figure needs (basic or full)").tag(sync=True)
    plotly_src = traitlets.Unicode("", help="The bundle's URL on the review server ('' where none serves it)").tag(
        sync=True)
    plotly_js = traitlets.Unicode("", help="The bundle's text, for a page that cannot fetch it").tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, *, config: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._click_callbacks: list[Callable[[str], Any]] = []
        self._static = runtime.static_url()
        self.figure = go.Figure()
        self.config = dict(config or {})
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
        """Show ``figure`` instead: one message with its JSON (plotly's own encoder: arrays, dates), and the
        plotly.js bundle it needs (its URL on the review server, else its text)."""
        self.figure = figure
        spec = json.loads(figure.to_json())
        bundle = plotly_bundle({trace.get("type", "scatter") for trace in spec.get("data", ())})
        with self.hold_sync():
            self.bundle = bundle
            if self._static:
                self.plotly_src = _bundle_url(self._static, bundle)
            else:
                self.plotly_js = _bundle_text(bundle)
            self.spec = spec

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
        """A message from the page: a click, with the point's ``customdata``, or a request for a plotly.js
        bundle's text (the served file failed to load); anything else is ignored."""
        if not isinstance(content, dict):
            return
        if content.get("event") == "click" and isinstance(content.get("id"), str):
            for callback in list(self._click_callbacks):
                callback(content["id"])
        elif content.get("event") == "plotly-js" and content.get("bundle") in PLOTLY_BUNDLES:
            self.plotly_js = _bundle_text(content["bundle"])


@functools.cache
def _bundle_text(bundle: str) -> str:
    """A plotly.js bundle's text, read once per kernel."""
    return plotly_js(bundle).read_text(encoding="utf-8")


@functools.cache
def _bundle_url(static: str, bundle: str) -> str:
    """A bundle's URL on the review server, versioned by its content, so a browser may cache it for good."""
    name = PLOTLY_BUNDLES[bundle]
    digest = hashlib.sha256(plotly_js(bundle).read_bytes()).hexdigest()[:16]
    return f"{static.rstrip('/')}/{name}?v={digest}"
