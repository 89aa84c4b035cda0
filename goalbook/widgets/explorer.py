"""``AlignmentExplorer``: the alignment map, filters, and the details of the goal clicked.

The map is :func:`goalbook.figures.alignment.alignment_figure`, drawn again whenever a filter
changes or the workspace is written, inside the view's one :class:`~goalbook.widgets.figure_view.FigureView`
(not plotly's ``FigureWidget``, which stops redrawing on a busy page: see that module). The details
panel shows :mod:`goalbook.scoring`'s numbers for the goal, its progress history from
:mod:`goalbook.tables`, and its links from the alignment graph.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets
import networkx as nx
import traitlets

from goalbook.alignment import alignment_graph, filtered, orphans
from goalbook.figures import PLOTLY_CONFIG
from goalbook.figures.alignment import KIND_LABEL, STATUS_GROUPS, alignment_figure
from goalbook.model import KPI, LEVELS, Goalbook
from goalbook.scoring import Scorer, ScoringConfig, counts_toward_progress
from goalbook.tables import progress_history
from goalbook.widgets import _html
from goalbook.widgets._base import GoalbookWidget, fmt_value, style, workspace_for
from goalbook.widgets.dashboard import view_style
from goalbook.widgets.figure_view import FigureView
from goalbook.workspace import Change, Workspace

ANY = ""
FILTERS = ("team", "level", "status", "period")
MAP_MAX_NODES = 600
"""More goals than this on the map and it is folded to the levels that fit, the rest counted on the goals
they serve (:func:`goalbook.figures.alignment.alignment_figure`): a map a reader can still read and a page
that stays small at 5,000 goals; "Find a goal" and the filters reach the rest."""
WIDE_LABELS_FROM = 860  # px of map: the y-axis names plus a 720 px plot, where the wide labels fit
MAP_STYLE = f"""<style>
.goalbook-alignment-explorer {{ container-type: inline-size; width: 100%; box-sizing: border-box; }}
.goalbook-alignment-body {{ display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 12px;
  align-items: start; width: 100%; }}
@container (max-width: 900px) {{ .goalbook-alignment-body {{ grid-template-columns: minmax(0, 1fr); }} }}
.goalbook-alignment-figure-box {{ container-type: inline-size; display: block; min-width: 0; width: 100%; }}
.goalbook-alignment-figure {{ display: block; width: 100%; min-width: 0; }}
@container (max-width: {WIDE_LABELS_FROM - 1}px) {{
  .goalbook-alignment-figure .textpoint text[style*="goalbook-labels-wide"] {{ display: none; }} }}
.goalbook-alignment-filters {{ gap: 4px 12px; }}
.goalbook-alignment-legend .goalbook-nowrap {{ white-space: nowrap; margin-right: 6px; }}
</style>"""
"""The map's layout: the map takes the width there is (its box has that width before plotly draws, so
plotly sizes the plot to it) and the details panel sits beside it on a wide page, below it on a narrow
one (a grid: the two can never overlap; the key is the legend above both); where the map is narrower
than :data:`WIDE_LABELS_FROM` it shows only the ids chosen to fit a phone
(:data:`goalbook.figures.alignment.LABEL_TIERS`)."""
ALL_LABELS = {"team": "All teams", "level": "All levels", "status": "All statuses", "period": "All periods"}
STATUS_CHOICES = ("done", "on_track", "at_risk", "off_track", "not_started", "unknown", "green", "amber", "red")
EDGE_WORDS = {"part_of": "key result of", "contributes": "counts toward", "supports": "supports, not counted"}


def point_ids(trace: Any) -> list[str | None]:
    """The goal id of each point of an alignment-figure trace (``None`` where a point is not a goal).

    The figure carries every dot's goal id in ``customdata``: the link from a clicked point back
    to the goal. Lines and legend entries have none.
    """
    ids = getattr(trace, "customdata", None)
    if ids is None or isinstance(ids, str):
        return []
    return [None if i is None else str(i) for i in ids]


class AlignmentExplorer(GoalbookWidget):
    """How every goal serves the strategy, as a map to filter and click.

    Filters (team, level, status, period) redraw the map through the pure figure function:
    ``team`` keeps the team's goals and faded context of what they serve; ``level``, ``status``
    and ``period`` keep the goals that match (a period keeps the KPIs and initiatives feeding its
    goals too). "Around the selected goal" keeps only what the selected goal serves and what
    serves it; "Find a goal" selects a goal by id and turns that on. Above
    :data:`MAP_MAX_NODES` goals the map shows the top levels, counting what is folded beneath.
    Clicking a goal — or calling :meth:`select` — fills the details panel: owner,
    progress against pace, status, score, confidence, a sparkline of its progress this period,
    what it serves and what serves it, and its latest check-in.

    ``readonly=True`` builds no input widget at all: the map is drawn once with the filters given
    as arguments (by default unfiltered). ``filters=True`` adds the filters to a read-only map too
    (the review page's): they only redraw it from the goalbook in memory. A reader can click a goal
    on a read-only map to read its details: that reads the goalbook and writes nothing. "Orphans only"
    keeps the goals that serve no company objective.

    Bound to a notebook's ``workspace``, the map follows every write made on the page: after a
    save, a link or a check-in it is scored and drawn again, and the goal just changed is shown in
    the details panel (unless another goal is selected), so "Serves" says what it serves now.
    """

    css_class = "goalbook-alignment-explorer"

    selected = traitlets.Unicode(None, allow_none=True, help="The id of the goal in the details panel")

    def __init__(self, book: Goalbook | None = None, *, store: Any = None, today: date | None = None,
                 readonly: bool = False, team: str | None = None, level: str | None = None,
                 status: str | None = None, period: str | None = None, color_by: str = "status",
                 config: ScoringConfig | None = None, filters: bool = False, orphans: bool = False,
                 workspace: Workspace | None = None) -> None:
        super().__init__(readonly=readonly)
        self._bind(workspace_for(book, store, None, workspace, True))
        self.today = today or date.today()
        self.color_by = color_by
        self.config = config
        self._scorer = Scorer(self.book, today=self.today, config=config)
        self.graph = alignment_graph(self.book, scores=self._scorer.scores())
        self._filters: dict[str, str | None] = {"team": team, "level": level, "status": status, "period": period}
        self._focus = False
        self._orphans = bool(orphans)
        self._check_filters()
        self.header = widgets.HTML(self._header_html())
        self.header.add_class("goalbook-alignment-header")
        self.legend = widgets.HTML()
        self.legend.add_class("goalbook-alignment-legend")
        self.details = widgets.HTML(_html.muted("Click a goal on the map to see its details here."))
        self.details.add_class("goalbook-alignment-details")
        self.figure = FigureView(self._figure(), config={**PLOTLY_CONFIG, "responsive": True})
        self.figure.on_click(self._clicked)
        self.figure.add_class("goalbook-alignment-figure")
        self._drawn()
        children: list[widgets.Widget] = [style(), view_style(), widgets.HTML(MAP_STYLE, layout=widgets.Layout(
            display="none")), self.header]
        if filters or not readonly:
            children.append(self._controls())
        figure_box = widgets.Box([self.figure])
        figure_box.add_class("goalbook-alignment-figure-box")
        body = widgets.Box([figure_box, self.details])
        body.add_class("goalbook-alignment-body")
        children += [self.legend, self.message_area, body]
        self.children = children
        self.observe(self._show_details, names="selected")

    # --- following the workspace ---
    def follow(self, change: Change) -> None:
        """Score and draw the map again after a write anywhere on the page; show the goal just changed."""
        self._scorer = Scorer(self.book, today=self.today, config=self.config)
        self.graph = alignment_graph(self.book, scores=self._scorer.scores())
        if not self.readonly:
            for name, dd in self.filter_inputs.items():
                options = self._options(name)
                if list(dd.options) != options:
                    keep = dd.value
                    with dd.hold_trait_notifications():
                        dd.options = options
                        dd.value = keep if keep in {v for _, v in options} else ANY
            self._filters = {name: dd.value or None for name, dd in self.filter_inputs.items()}
        self.header.value = self._header_html()
        self._draw()
        changed = next((i for i in change.ids if i in self.graph), None)
        if self.selected is not None and self.selected not in self.book:
            self.selected = None
        elif self.selected is None or self.selected in change.ids:
            if changed is not None and self.selected != changed:
                self.selected = changed
            elif self.selected is not None:
                self.details.value = self._details_html(self.selected)

    # --- the filters ---
    def _options(self, name: str) -> list[tuple[str, str]]:
        values = {d.get(name) for _, d in self.graph.nodes(data=True)} - {None}
        if name == "level":
            ordered = [lv for lv in LEVELS if lv in values]
        elif name == "status":
            ordered = [s for s in STATUS_CHOICES if s in values]
        else:
            ordered = sorted(values)
        label = _html.STATUS_LABELS if name == "status" else {}
        return [(ALL_LABELS[name], ANY), *((label.get(v, v), v) for v in ordered)]

    def _check_filters(self) -> None:
        for name, value in self._filters.items():
            if value is not None and value not in {v for _, v in self._options(name)}:
                known = [v for _, v in self._options(name) if v]
                raise ValueError(f"no {name} '{value}' in this goalbook; choose one of: {', '.join(known) or 'none'}")

    def _controls(self) -> widgets.HBox:
        self.filter_inputs: dict[str, widgets.Dropdown] = {}
        for name in FILTERS:
            dd = widgets.Dropdown(options=self._options(name), value=self._filters[name] or ANY,
                                  description=name.capitalize(), layout=widgets.Layout(width="220px"))
            dd.observe(self._filter_changed, names="value")
            self.filter_inputs[name] = dd
        self.orphans_input = widgets.Checkbox(self._orphans, description="Orphans only", indent=False,
                                              layout=widgets.Layout(width="auto"))
        self.orphans_input.observe(self._orphans_changed, names="value")
        self.focus_input = widgets.Checkbox(False, description="Around the selected goal", indent=False,
                                            layout=widgets.Layout(width="auto"))
        self.focus_input.observe(self._focus_changed, names="value")
        self.find_input = widgets.Combobox(options=sorted(self.graph), ensure_option=True, placeholder="goal id",
                                           description="Find a goal", layout=widgets.Layout(width="240px"))
        self.find_input.observe(self._found, names="value")
        box = widgets.HBox([*self.filter_inputs.values(), self.find_input, self.orphans_input, self.focus_input],
                           layout=widgets.Layout(flex_flow="row wrap"))
        box.add_class("goalbook-alignment-filters")
        return box

    @property
    def filters(self) -> dict[str, str | None]:
        """The filters in force (``None``: not filtered)."""
        return dict(self._filters)

    def _filter_changed(self, _change: Any = None) -> None:
        self._filters = {name: dd.value or None for name, dd in self.filter_inputs.items()}
        self._draw()

    def _found(self, change: dict[str, Any]) -> None:
        """A goal picked by id: its details, and the map around it."""
        if change["new"] in self.graph:
            self.select(change["new"])
            self.focus_input.value = True

    def _orphans_changed(self, change: dict[str, Any]) -> None:
        self._orphans = bool(change["new"])
        self._draw()

    def _focus_changed(self, change: dict[str, Any]) -> None:
        self._focus = bool(change["new"])
        self._draw()

    def _kept(self) -> nx.DiGraph:
        """The part of the graph the level, status and period filters keep."""
        f = self._filters
        H = filtered(self.graph, level=f["level"], status=f["status"], period=f["period"])
        if self._orphans:  # the goals that serve no company objective, with the key results of those objectives
            lonely = set(orphans(self.graph)["id"])
            lonely |= {u for u, v, kind in self.graph.edges(data="kind") if kind == "part_of" and v in lonely}
            H = H.subgraph([n for n in H if n in lonely]).copy()
        return H

    # --- drawing ---
    def shown(self) -> list[str]:
        """The ids of the goals on the map now."""
        return [i for t in self.figure.data for i in point_ids(t) if i is not None]

    def _figure(self) -> Any:
        """The alignment figure for the filters in force."""
        H = self._kept()
        team = self._filters["team"]
        if team is not None and not any(t == team for _, t in H.nodes(data="team")):
            H = H.subgraph(()).copy()
            team = None
        focus = self.selected if self._focus and self.selected in H else None
        return alignment_figure(H, color_by=self.color_by, team=team, focus=focus, title=False, legend=False,
                                max_nodes=MAP_MAX_NODES)

    def _draw(self) -> None:
        """Redraw the view's one map for the filters in force."""
        self.figure.draw(self._figure())
        self._drawn()

    def _drawn(self) -> None:
        """Count what the map shows now."""
        shown = self.shown()
        self.legend.value = self._legend_html(shown)
        if not shown:
            self.say("No goal matches these filters.", "warning")
        elif self.message:
            self.say("")

    def _legend_html(self, shown: list[str]) -> str:
        counts: dict[str, int] = {}
        for i in shown:
            s = self.graph.nodes[i].get("status")
            counts[s] = counts.get(s, 0) + 1
        parts = []
        for label, colour, statuses in STATUS_GROUPS:
            n = sum(counts.get(s, 0) for s in statuses)
            if n:
                parts.append(_html.element("span", _html.swatch(colour, f"{label} {n}"), css="goalbook-nowrap"))
        key = ("● objective", "◆ key result", "■ SMART goal", "▲ KPI", "★ initiative",
               "red ring: serves no company objective", "solid line: counts toward progress",
               "dotted: supports, not counted", "thin grey: key result of its objective")
        count = _html.esc(f"{len(shown)} of {self.graph.number_of_nodes()} goals shown")
        return (_html.element("div", " ".join([_html.element("span", count, css="goalbook-nowrap"), *parts]))
                + _html.element("div", " ".join(_html.element("span", _html.muted(k + " ·" * (i < len(key) - 1)),
                                                              css="goalbook-nowrap") for i, k in enumerate(key))))

    def _header_html(self) -> str:
        org = self.book.organisation or "Goals"
        title = _html.esc(f"{org}: how every goal serves the strategy")
        return (_html.element("div", title, css="goalbook-view-header")
                + _html.muted(f"as of {self.today} · click a goal to see its details"))

    # --- selecting a goal ---
    def on_select(self, callback: Any, remove: bool = False) -> None:
        """Call ``callback(goal_id)`` when a goal is selected (clicked, or :meth:`select`)."""
        self._on("select", callback, remove)

    def select(self, goal_id: str | None) -> None:
        """Show ``goal_id`` in the details panel, as a click on it does (``None`` clears it).

        Raises ``KeyError`` naming the closest id when there is no such goal.
        """
        if goal_id is not None:
            self.book.get(goal_id)
        self.selected = goal_id

    def _clicked(self, goal_id: str) -> None:
        """A reader clicked a point of the map: the page sends its goal id (anything else is ignored)."""
        if goal_id in self.graph and goal_id in self.book:
            self.select(goal_id)

    def _show_details(self, change: dict[str, Any]) -> None:
        goal_id = change["new"]
        self.details.value = (self._details_html(goal_id) if goal_id is not None
                              else _html.muted("Click a goal on the map to see its details here."))
        if self._focus:
            self._draw()
        if goal_id is not None:
            self._fire("select", goal_id)

    def _details_html(self, goal_id: str) -> str:
        g = self.book.get(goal_id)
        s = self._scorer.score(goal_id)
        d = self.graph.nodes[goal_id]
        kind = KIND_LABEL.get(d.get("kind"), "Goal")
        head = (_html.element("h4", _html.element("strong", _html.esc(goal_id)) + " " + _html.muted(kind))
                + _html.element("p", _html.esc(d.get("title"))))
        facts: list[tuple[str, str]] = [("Owner", _html.esc(s.owner or "—")), ("Team", _html.esc(s.team or "—"))]
        if s.level:
            facts.append(("Level", _html.esc(s.level)))
        if s.period:
            facts.append(("Period", _html.esc(s.period)))
        unit = getattr(g, "unit", None)
        if isinstance(g, KPI):
            facts.append(("Latest", _html.esc(fmt_value(s.current, unit))
                          + (" " + _html.muted(f"on {s.last_check_in}") if s.last_check_in else "")))
        elif s.current is not None or getattr(g, "target", None) is not None:
            facts.append(("Now / target", _html.esc(fmt_value(s.current, unit)) + " "
                          + _html.muted(f"of {fmt_value(getattr(g, 'target', None), unit)}")))
        if s.progress is not None:
            expected = f" (on pace: {s.expected:.0%})" if s.expected is not None else ""
            facts.append(("Progress", _html.pace_bar(s.progress, s.expected, s.status) + " "
                          + _html.esc(f"{s.progress:.0%}{expected}")))
        facts.append(("Status", _html.tag(s.status) + (" " + _html.tag("stale", "stale") if s.stale else "")))
        if s.score is not None:
            facts.append(("Score", _html.esc(f"{s.score:.1f}")))
        if s.confidence is not None:
            trend = ""
            if len(s.confidence_trend) > 1:
                trend = " " + _html.sparkline(s.confidence_trend, lo=0, hi=10, width=60, height=18, colour="#8250df",
                                              title="confidence " + " → ".join(f"{v:g}" for v in s.confidence_trend))
            facts.append(("Confidence", _html.esc(f"{s.confidence:g}/10") + trend))
        history = self._history_html(g, s)
        if history:
            facts.append(("History", history))
        facts.append(("Serves", self._links_html(self.graph.succ[goal_id], outgoing=True, goal_id=goal_id)))
        facts.append(("Served by", self._links_html(self.graph.pred[goal_id], outgoing=False, goal_id=goal_id)))
        last = self._scorer.check_ins(goal_id)[-1:] if not isinstance(g, KPI) else []
        if last:
            c = last[0]
            words = [f"{c.date}: {fmt_value(c.value, unit)}"]
            words += [f"wins: {c.wins}"] if c.wins else []
            words += [f"blockers: {c.blockers}"] if c.blockers else []
            facts.append(("Last check-in", _html.esc(" · ".join(words))))
        return _html.element("div", head + _html.facts(facts), css="goalbook-details", data_id=goal_id)

    def _history_html(self, g: Any, s: Any) -> str:
        if isinstance(g, KPI):
            values = sorted((v for v in g.values if v.date <= self.today), key=lambda v: v.date)[-26:]
            if len(values) < 2:
                return ""
            guides = [(t, c) for t, c in ((g.green, "green"), (g.amber, "amber")) if t is not None]
            return _html.sparkline([v.value for v in values], xs=[(v.date - values[0].date).days for v in values],
                                   lines=guides, width=160, height=32,
                                   title=f"{len(values)} values from {values[0].date} to {values[-1].date}")
        if s.progress is None:
            return ""
        h = progress_history(self.book, [g.id], period=s.period, today=self.today, config=self.config)
        if len(h) < 2:
            return ""
        start = h["date"].iloc[0]
        progress = [None if v != v else float(v) for v in h["progress"]]  # NaN is unknown
        expected = [None if v is None or v != v else float(v) for v in h["expected"]]
        return _html.sparkline(progress, xs=[(d - start).days for d in h["date"]], reference=expected, lo=0, hi=1,
                               width=160, height=32, colour=_html.STATUS_COLOURS.get(s.status, "#0969da"),
                               title=f"progress from {start} to {h['date'].iloc[-1]}; dashed: expected pace")

    def _link_words(self, source: str, kind: str | None, *, outgoing: bool) -> str:
        """How ``source`` serves the goal at the other end, in words (KPIs and candidate ideas never count)."""
        d = self.graph.nodes[source]
        if not counts_toward_progress(d.get("kind") or "", d.get("stage")):
            if d.get("kind") == "kpi":
                return "feeds, not counted" if outgoing else "KPI feeding it, not counted"
            return "candidate idea, not counted yet"
        if outgoing:
            return EDGE_WORDS.get(kind or "", kind or "")
        return {"part_of": "its key result", "contributes": "counts toward it",
                "supports": "supports it, not counted"}.get(kind or "", kind or "")

    def _links_html(self, neighbours: Any, *, outgoing: bool, goal_id: str) -> str:
        if not neighbours:
            return _html.muted("nothing")
        items = []
        for other, edge in neighbours.items():
            words = self._link_words(goal_id if outgoing else other, edge.get("kind"), outgoing=outgoing)
            title = self.graph.nodes[other].get("title") or ""
            items.append(_html.element("li", _html.element("strong", _html.esc(other)) + " " + _html.esc(title)
                                       + " " + _html.muted(f"({words})")))
        return _html.element("ul", "".join(items))
