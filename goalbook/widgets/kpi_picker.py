"""``KPIPicker``: find a metric in goalbook's KPI library and fill a goal's metric, unit, direction and indicator.

State is in traits: ``query`` and ``domain`` (what is searched), ``selected`` (the library id shown),
and, once a metric is used, ``metric``, ``unit``, ``direction`` and ``indicator``. The search and
the library live in :mod:`goalbook.kpi`; the picker only binds them to a text box, a list and a
card, and hands the pick to whoever listens (``on_pick``) or to the inputs given to :meth:`fill`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import traitlets
from ipywidgets import CallbackDispatcher

from goalbook import kpi
from goalbook.widgets import _html
from goalbook.widgets._base import style


def _link(url: str) -> str:
    """A link to a library source; the URL comes from goalbook's own library, escaped all the same."""
    return f'<a href="{_html.esc(url)}" target="_blank" rel="noopener noreferrer">{_html.esc(url)}</a>'


class KPIPicker(widgets.VBox):
    """Search box, matching metrics, the chosen metric's card and a button that uses it."""

    # --- public state -----------------------------------------------------------------------------
    query = traitlets.Unicode("", help="the words searched for")
    domain = traitlets.Unicode("", help="only this domain ('' for all)")
    selected = traitlets.Unicode("", help="the library id of the metric shown")
    metric = traitlets.Unicode("", help="filled when a metric is used: its name")
    unit = traitlets.Unicode("", help="filled when a metric is used: its unit")
    direction = traitlets.Unicode("", help="filled when a metric is used: increase or decrease")
    indicator = traitlets.Unicode("", help="filled when a metric is used: leading or lagging")

    def __init__(self, query: str = "", *, limit: int = 12, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("goalbook-kpi-picker")
        self.limit = limit
        self._pick_handlers = CallbackDispatcher()
        self.search_input = widgets.Text(query, description="Find a KPI", continuous_update=True,
                                         placeholder="e.g. churn, handle time, no-show",
                                         layout=widgets.Layout(width="min(100%, 420px)"))
        self.domain_input = widgets.Dropdown(options=[("all domains", ""), *((d, d) for d in kpi.DOMAINS)],
                                             value="", description="Domain", layout=widgets.Layout(width="260px"))
        self.results = widgets.Select(options=[], rows=6, description="Matches",
                                      layout=widgets.Layout(width="min(100%, 520px)"))
        self.results.add_class("goalbook-kpi-picker-results")
        self.card = widgets.HTML()
        self.card.add_class("goalbook-kpi-picker-card")
        self.use_button = widgets.Button(description="Use this metric", icon="check", button_style="primary",
                                         tooltip="Fill metric, unit, direction and indicator from the library")
        self.status = widgets.Label("")
        self.children = [style(), widgets.HBox([self.search_input, self.domain_input]), self.results, self.card,
                         widgets.HBox([self.use_button, self.status])]
        widgets.link((self.search_input, "value"), (self, "query"))
        widgets.link((self.domain_input, "value"), (self, "domain"))
        self.results.observe(self._on_result, "value")
        self.use_button.on_click(lambda _b: self.use())
        self.observe(self._search, ["query", "domain"])
        self.observe(self._show, "selected")
        self.query = query
        self._search()

    def __repr__(self) -> str:
        return f"KPIPicker(query={self.query!r}, selected={self.selected!r})"

    # --- events -----------------------------------------------------------------------------------
    def on_pick(self, callback: Callable[[kpi.LibraryKPI], None], remove: bool = False) -> None:
        """Call ``callback(entry)`` when a metric is used."""
        self._pick_handlers.register_callback(callback, remove=remove)

    def fill(self, *, metric: widgets.Widget | None = None, unit: widgets.Widget | None = None,
             direction: widgets.Widget | None = None, indicator: widgets.Widget | None = None) -> None:
        """When a metric is used, set these inputs' values from it (an editor's own text boxes and dropdowns)."""
        targets = {"metric": metric, "unit": unit, "direction": direction, "indicator": indicator}

        def apply(_entry: kpi.LibraryKPI) -> None:
            for name, w in targets.items():
                if w is not None:
                    w.value = getattr(self, name)

        self.on_pick(apply)

    # --- behaviour --------------------------------------------------------------------------------
    def _search(self, _change: Any = None) -> None:
        matches = kpi.search(self.query, limit=self.limit, domain=self.domain or None)
        with self.hold_sync():
            self.results.options = [(f"{m.kpi.name} — {m.kpi.domain}", m.kpi.id) for m in matches]
            first = matches[0].kpi.id if matches else ""
            self.results.value = first or None
            self.selected = first
            self.status.value = "" if matches else f"No KPI in the library matches '{self.query}'."
        if not matches:
            self.card.value = ""

    def _on_result(self, change: Any) -> None:
        self.selected = change["new"] or ""

    def _show(self, _change: Any = None) -> None:
        if not self.selected:
            self.card.value = ""
            return
        e = kpi.get(self.selected)
        good = "higher is better" if e.direction == "increase" else "lower is better"
        self.card.value = _html.element("div", _html.element("strong", _html.esc(e.name)) + " "
                                                      + _html.muted(e.domain), css="goalbook-kpi-card-title") + \
            _html.facts([
                ("definition", _html.esc(e.definition)),
                ("formula", _html.esc(e.formula)),
                ("unit", _html.esc(e.unit)),
                ("good direction", _html.esc(f"{e.direction} ({good})")),
                ("indicator", _html.esc(e.indicator)),
                ("usual cadence", _html.esc(e.cadence)),
                ("also called", _html.esc(", ".join(e.synonyms) or "—")),
                ("source", _link(e.source)),
            ])

    def use(self) -> kpi.LibraryKPI | None:
        """Fill ``metric``, ``unit``, ``direction`` and ``indicator`` from the metric shown and tell the listeners."""
        if not self.selected:
            self.status.value = "Pick a metric first."
            return None
        e = kpi.get(self.selected)
        with self.hold_sync():
            self.metric, self.unit, self.direction, self.indicator = e.name.lower(), e.unit, e.direction, e.indicator
            self.status.value = f"Used '{e.name}'."
        self._pick_handlers(e)
        return e
