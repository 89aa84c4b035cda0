"""``Dashboard``: where a period's objectives, goals and KPIs stand, for everyone or one team.

The goals, their numbers and their histories come from :mod:`goalbook.tables` (which asks
:mod:`goalbook.scoring`); this module only lays them out as static HTML through
:mod:`goalbook.widgets._html`: progress bars with a pace tick, status tags, scores, and inline
SVG sparklines for confidence, progress history and KPI values. No plotly and no JavaScript, so
it costs one round of scoring and draws at once in JupyterLab and in Voilà alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets
import pandas as pd

from goalbook.budget import burn_frame, money
from goalbook.display import known as _known
from goalbook.display import now_and_target
from goalbook.display import pct as _pct
from goalbook.forecast import Forecast, forecast_goal
from goalbook.model import Goalbook
from goalbook.period import Period
from goalbook.refresh import refreshed
from goalbook.scoring import Scorer, ScoringConfig, score_colour
from goalbook.tables import (
    check_team,
    confidence_history,
    goal_frame,
    kpi_frame,
    periods,
    progress_history,
    resolve_period,
    teams,
)
from goalbook.widgets import _html
from goalbook.widgets._base import GoalbookWidget, fmt_value, style, workspace_for
from goalbook.workspace import Change, Workspace, draft_words, drafts

ALL_TEAMS = ""
GOAL_HEADER = ("goal", "owner", "now / target", "progress", "status", "score", "confidence", "history")
STATUS_ORDER = ("done", "on_track", "at_risk", "off_track", "achieved", "partly", "missed", "not_started", "unknown",
                "dropped")


PROGRESS_FROM = 200  # goals shown before the dashboard shows a progress bar while it scores history




def _text(x: Any) -> str | None:
    """A text cell of a frame, ``None`` when missing (pandas stores a missing string as NaN)."""
    return x if isinstance(x, str) else None


def view_style() -> widgets.HTML:
    """The CSS of the view widgets (tables, tiles, sparklines), hidden."""
    return widgets.HTML(_html.VIEW_STYLE, layout=widgets.Layout(display="none"))


def _short(title: str | None, width: int = 48) -> str:
    """A title cut at a word to fit a summary line, with an ellipsis when cut."""
    text = " ".join(str(title or "").split())
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class Dashboard(GoalbookWidget):
    """Objectives with their key results, SMART goals and KPI tiles for one period and one team.

    Each goal shows its progress (the bar's tick marks where a goal on pace would be), status,
    score, confidence with its trend, and a sparkline of its progress since the period began
    (dashed: the expected pace). KPI tiles show the latest value against the green and amber
    thresholds. With a ``team``, the team's own goals and KPIs are shown, plus the objectives its
    goals serve (marked as such) and the KPIs feeding them.

    When not read-only, a period and a team drop-down choose the view. ``readonly=True`` (the
    default: a dashboard is for reading) builds no input at all; ``period`` and ``team`` are fixed
    (a review page passes them from its URL). A team or period that does not exist is reported
    in the message area, not raised, because it usually comes from a URL someone typed.

    Bound to a notebook's ``workspace``, it redraws after every save, link or check-in made by any
    widget on the page, and lists the *Drafts* (goals saved without an owner, a team, a deadline or
    a period, which no period's view would show) so nothing saved is lost from view.
    """

    css_class = "goalbook-dashboard"

    def __init__(self, book: Goalbook | None = None, *, store: Any = None, period: str | Period | None = None,
                 team: str | None = None, today: date | None = None, readonly: bool = True,
                 config: ScoringConfig | None = None, workspace: Workspace | None = None,
                 show_drafts: bool | None = None) -> None:
        super().__init__(readonly=readonly)
        self._bind(workspace_for(book, store, None, workspace, True))
        self.show_drafts = workspace is not None if show_drafts is None else show_drafts
        self.today = today or date.today()
        self.config = config
        self.header = self._part("goalbook-dashboard-header")
        self.summary = self._part("goalbook-dashboard-summary")
        self.objectives = self._part("goalbook-dashboard-objectives")
        self.goals = self._part("goalbook-dashboard-goals")
        self.kpis = self._part("goalbook-dashboard-kpis")
        self.budget = self._part("goalbook-dashboard-budget")
        self.drafts = self._part("goalbook-dashboard-drafts")
        self._period: Period | None = None
        self._team: str | None = None
        children: list[widgets.Widget] = [style(), view_style(), self.header]
        chosen = self._choose(period, team)
        if not readonly:
            names = [p.name for p in periods(self.book)]
            if chosen is not None and chosen.name not in names:
                names.append(chosen.name)
            self.period_input = widgets.Dropdown(options=names, value=chosen.name if chosen else None,
                                                 description="Period")
            self.team_input = widgets.Dropdown(options=[("All teams", ALL_TEAMS), *((t, t) for t in teams(self.book))],
                                               value=self._team or ALL_TEAMS, description="Team")
            self.period_input.observe(self._chosen, names="value")
            self.team_input.observe(self._chosen, names="value")
            controls = widgets.HBox([self.period_input, self.team_input])
            controls.add_class("goalbook-dashboard-controls")
            children.append(controls)
        # shown only while a large goalbook's history is being scored (the slow part of refresh)
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Scoring",
                                            layout=widgets.Layout(display="none"))
        self.progress.add_class("goalbook-dashboard-progress")
        children += [self.message_area, self.progress, self.summary, self.drafts, self.objectives, self.goals,
                     self.kpis, self.budget]
        self.children = children
        self.refresh()

    @staticmethod
    def _part(css: str) -> widgets.HTML:
        part = widgets.HTML()
        part.add_class(css)
        return part

    # --- what is shown ---
    @property
    def period(self) -> Period | None:
        """The period shown."""
        return self._period

    @property
    def team(self) -> str | None:
        """The team shown, ``None`` for all teams."""
        return self._team

    def _choose(self, period: str | Period | None, team: str | None) -> Period | None:
        """Take a period and team, or say why not (keeping the previous choice)."""
        problems = []
        try:
            chosen = resolve_period(self.book, period, self.today)
        except ValueError as exc:
            problems.append(str(exc))
            chosen = resolve_period(self.book, None, self.today)
        try:
            check_team(self.book, team or None)
            self._team = team or None
        except ValueError as exc:
            problems.append(str(exc))
            self._team = None
        self._period = chosen
        if problems:
            self.say("; ".join(problems), "warning")
        else:
            self.say("")
        return chosen

    def _chosen(self, _change: Any = None) -> None:
        self._choose(self.period_input.value, self.team_input.value)
        self.refresh()

    def refresh(self) -> None:
        """Recompute every part from the goalbook (call after changing the goalbook)."""
        scorer = Scorer(self.book, today=self.today, config=self.config)
        frame = goal_frame(self.book, period=self._period, team=self._team, scorer=scorer)
        ids = frame["id"].tolist()
        self.progress.layout.display = "flex" if len(ids) > PROGRESS_FROM else "none"
        self.progress.value = 0
        try:
            history = progress_history(self.book, ids, period=self._period, today=self.today, config=self.config,
                                       progress=self._progressed)
        finally:
            self.progress.layout.display = "none"
        confidence = confidence_history(self.book, ids, period=self._period, today=self.today)
        kpis = kpi_frame(self.book, period=self._period, team=self._team, shown=ids, scorer=scorer)
        self._scorer = scorer
        with self.hold_sync():
            self.header.value = self._header_html()
            self.summary.value = self._summary_html(frame, kpis)
            objectives = frame[frame["kind"] != "smart_goal"]
            self.objectives.value = self._goals_html("Objectives and key results", objectives, history, confidence)
            goals = frame[frame["kind"] == "smart_goal"]
            self.goals.value = self._goals_html("SMART goals", goals, history, confidence)
            self.kpis.value = self._kpis_html(kpis)
            self.budget.value = self._budget_html(burn_frame(self.book, today=self.today, team=self._team,
                                                             scorer=scorer))
            self.drafts.value = self._drafts_html() if self.show_drafts else ""

    def follow(self, change: Change) -> None:
        """After any write on the workspace: the team list (a new team may have appeared), then every part."""
        if not self.readonly:
            keep = self.team_input.value
            options = [("All teams", ALL_TEAMS), *((t, t) for t in teams(self.book))]
            with self.team_input.hold_trait_notifications():
                self.team_input.options = options
                self.team_input.value = keep if keep in {v for _, v in options} else ALL_TEAMS
        self.refresh()

    def _drafts_html(self) -> str:
        """Goals saved as drafts, each with what it lacks: listed whatever period or team is shown."""
        found = [(g, miss) for g, miss in drafts(self.book)
                 if self._team is None or getattr(g, "team", None) in (self._team, None)]
        if not found:
            return ""
        head = _html.element("div", _html.esc(f"Drafts ({len(found)})"), css="goalbook-section-title")
        rows = [("goalbook-dashboard-draft", g.id, [
            _html.element("strong", _html.esc(g.id)) + " " + _html.esc(g.title or "(no title yet)"),
            _html.esc(getattr(g, "owner", None) or "—"), _html.esc(getattr(g, "team", None) or "—"),
            _html.tag("unknown", "draft") + " " + _html.esc(draft_words(miss))]) for g, miss in found]
        return head + _html.row_table(("goal", "owner", "team", "to plan it"), rows)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.max = total
        self.progress.value = done

    # --- parts ---
    def _header_html(self) -> str:
        p = self._period
        where = self.book.organisation or "Goals"
        what = f"{p.name} ({p.start} to {p.end})" if p else "no period"
        head = _html.element("div", _html.esc(f"{where} · {what} · {self._team or 'all teams'}"),
                             css="goalbook-view-header")
        when = f"as of {self.today}" + (f": {p.elapsed(self.today):.0%} of the period has passed" if p else "")
        return head + _html.muted(when)

    def _summary_html(self, frame: pd.DataFrame, kpis: pd.DataFrame) -> str:
        kinds = frame["kind"].value_counts()
        counts = [f"{kinds.get('objective', 0)} objectives", f"{kinds.get('key_result', 0)} key results",
                  f"{kinds.get('smart_goal', 0)} SMART goals", f"{len(kpis)} KPIs"]
        measured = frame[frame["kind"] != "objective"]
        statuses = measured["status"].value_counts()
        legend = "".join(_html.swatch(s, f"{_html.STATUS_LABELS.get(s, s)} {statuses[s]}")
                         for s in STATUS_ORDER if statuses.get(s, 0))
        cfg = self.config or ScoringConfig()
        colours = measured["score"].map(lambda x: score_colour(x if _known(x) else None, cfg)).value_counts()
        score_words = (("green", f"score {cfg.green_score:g}+"),
                       ("yellow", f"{cfg.yellow_score:g}–{cfg.green_score - cfg.score_step:g}"),
                       ("red", f"below {cfg.yellow_score:g}"), ("grey", "no score"))
        scores = "".join(_html.swatch(c if c != "grey" else "unknown", f"{words} {colours[c]}")
                         for c, words in score_words if colours.get(c, 0))
        stale = int(measured["stale"].sum())
        lines = [_html.esc(" · ".join(counts))]
        if legend:
            lines.append(_html.muted("Key results and goals:") + legend)
        if scores:
            lines.append(_html.muted("Scores:") + scores)
        if stale:
            named = measured[measured["stale"]]
            who = "; ".join(f"{r.id} {_short(r.title)} ({r.owner or 'no owner'})" for r in named.itertuples())
            lines.append(_html.element("span", _html.esc(f"{stale} without a recent check-in (stale): {who}"),
                                       css="goalbook-muted goalbook-dashboard-stale"))
        return "".join(_html.element("div", line) for line in lines)

    def _goals_html(self, title: str, frame: pd.DataFrame, history: pd.DataFrame, confidence: pd.DataFrame) -> str:
        head = _html.element("div", _html.esc(title), css="goalbook-section-title")
        if frame.empty:
            who = f"team {self._team}" if self._team else "anyone"
            return head + _html.muted(f"None for {who} in {self._period.name if self._period else 'any period'}.")
        self._refreshed = refreshed(self.book)
        by_id = {i: g for i, g in history.groupby("id", sort=False)}
        conf_by_id = {i: g for i, g in confidence.groupby("id", sort=False)}
        rows = [(f"goalbook-dashboard-{r.kind.replace('_', '-')}", r.id,
                 self._cells(r, by_id.get(r.id), conf_by_id.get(r.id))) for r in frame.itertuples(index=False)]
        return head + _html.row_table(GOAL_HEADER, rows)

    def _cells(self, r: Any, history: pd.DataFrame | None, confidence: pd.DataFrame | None) -> list[str]:
        name = _html.element("strong", _html.esc(r.id), css="goalbook-nowrap") + " " + _html.esc(r.title)
        dropped = _known(r.dropped)
        if dropped:  # struck through, with the day and the reason, and counted nowhere
            name = _html.element("span", name, css="goalbook-dropped") + _html.element(
                "span", _html.esc(f"dropped {r.dropped}: {_text(r.dropped_reason) or ''}"), css="goalbook-reason")
        if r.relation == "served" and r.kind == "objective":
            name += " " + _html.muted(f"(served by {self._team})")
        if r.kind == "smart_goal" and r.serves:
            ids = [_html.element("span", _html.esc(i + ("," if n < len(r.serves) - 1 else "")), css="goalbook-nowrap")
                   for n, i in enumerate(r.serves)]  # an id never breaks at its hyphen
            name += " " + _html.element("span", "→ serves " + " ".join(ids), css="goalbook-muted")
        now = "—"
        if r.kind != "objective":
            current, _, aim = now_and_target(self.book.get(r.id), r.current).partition(", ")
            now = _html.element("span", _html.esc(current + ("," if aim else "")), css="goalbook-nowrap")
            if aim:
                now += " " + _html.element("span", _html.muted(aim), css="goalbook-nowrap")
            if r.id in self._refreshed:
                day, where = self._refreshed[r.id]
                now += _html.element("div", _html.muted(f"refreshed {day} from {where}"), css="goalbook-refreshed")
        progress = "—"
        if _known(r.progress) and not dropped:
            progress = _html.pace_bar(r.progress, r.expected if _known(r.expected) else None, r.status)
            progress += " " + _html.esc(_pct(r.progress))
        forecast = None
        if r.kind in ("key_result", "smart_goal") and not dropped:
            forecast = forecast_goal(self.book, r.id, today=self.today, scorer=getattr(self, "_scorer", None))
        return [name, _html.esc(_text(r.owner) or "—"), now, progress, self._status_cell(r), self._score_cell(r),
                self._confidence_cell(r, confidence), "—" if dropped else self._history_cell(history, forecast, r.id)]

    @staticmethod
    def _status_cell(r: Any) -> str:
        """The status tag, an objective's worst key result, and every flag a reader must not miss."""
        status = _html.tag(r.status)
        if _text(r.worst):
            status += _html.element("span", "· " + _html.esc(r.worst), css="goalbook-worst")
        flags = [("not_measured", "not measured yet", not r.measured and not _known(r.dropped)),
                 ("breached", "bound breached" + (f" by {r.breach:g}" if _known(r.breach) and r.breach else ""),
                  bool(r.breached)),
                 ("wrong_way", "⚠ moving the wrong way", bool(r.wrong_way)),
                 ("unknown", "draft: no target yet", bool(r.draft)),
                 ("stale", "stale", bool(r.stale))]
        return status + "".join(_html.element("span", _html.tag(key, words), css=f"goalbook-flag goalbook-flag-{key}")
                                for key, words, on in flags if on)

    def _score_cell(self, r: Any) -> str:
        """The score; once it is a grade (the period is over, or it was set by hand) in its band's colour, which
        is then its status's too. A score set by hand says so, with its reason."""
        if not _known(r.score):
            return "—"
        colour = score_colour(r.score, self.config) if (r.final or r.overridden) else "so-far"
        style = f"color:{_html.STATUS_COLOURS[colour]};" if colour != "so-far" else ""
        cell = (f'<span class="goalbook-score goalbook-score-{colour}" style="{style}font-weight:600">'
                f'{_html.esc(f"{r.score:.1f}")}</span>')
        if r.overridden:
            cell += _html.element("span", _html.esc(f"set by hand: {_text(r.reason) or ''}"),
                                  css="goalbook-reason goalbook-override")
        return cell

    def _confidence_cell(self, r: Any, confidence: pd.DataFrame | None) -> str:
        if not _known(r.confidence):
            return "—"
        text = _html.esc(f"{r.confidence:g}/10")
        if confidence is None or len(confidence) < 2:
            return text
        values = confidence["confidence"].tolist()
        days = [(d - confidence["date"].iloc[0]).days for d in confidence["date"]]
        tip = f"confidence {' → '.join(f'{v:g}' for v in values)}"
        return text + " " + _html.sparkline(values, xs=days, lo=0, hi=10, width=60, height=18, colour="#8250df",
                                            title=tip)

    def _band(self, forecast: Forecast | None, gid: str, start: date, x0: float, y0: float | None,
              ) -> tuple[tuple[float, float, float, float, float] | None, str]:
        """The forecast as a cone in progress units from the latest point to the period's end, and in words."""
        if forecast is None or y0 is None:
            return None, ""
        from goalbook.scoring import progress_raw

        g = self.book.get(gid)
        ends = [progress_raw(g.direction, g.baseline, g.target, v, bound=getattr(g, "bound", None),
                             low=getattr(g, "low", None), high=getattr(g, "high", None))
                for v in (forecast.low, forecast.high)]
        if any(e is None for e in ends):
            return None, ""
        lo, hi = sorted(min(max(e, 0.0), 1.05) for e in ends)  # type: ignore[type-var]
        chance = "" if forecast.probability is None else f", {forecast.probability:.0%} chance of the target"
        words = (f"; shaded: forecast {forecast.value:.3g} by {forecast.at} ({forecast.level:.0%} interval "
                 f"{forecast.low:.3g}–{forecast.high:.3g}{chance})")
        return (x0, y0, float((forecast.at - start).days), lo, hi), words

    def _history_cell(self, history: pd.DataFrame | None, forecast: Forecast | None = None, gid: str = "") -> str:
        if history is None or history["progress"].isna().all():
            return "—"
        start = self._period.start if self._period else history["date"].iloc[0]
        days = [(d - start).days for d in history["date"]]
        progress = [None if pd.isna(v) else float(v) for v in history["progress"]]
        expected = [None if pd.isna(v) else float(v) for v in history["expected"]]
        known = [(d, v) for d, v in zip(history["date"], progress, strict=True) if v is not None]
        (first_day, first), (last_day, last) = known[0], known[-1]
        band, words = self._band(forecast, gid, start, float((last_day - start).days), last)
        tip = f"progress {_pct(first)} on {first_day} → {_pct(last)} on {last_day}; dashed: expected pace{words}"
        colour = _html.STATUS_COLOURS.get(history["status"].iloc[-1], "#0969da")
        return _html.sparkline(progress, xs=days, reference=expected, lo=0, hi=1, colour=colour, title=tip, band=band)

    def _budget_html(self, frame: pd.DataFrame) -> str:
        """Budgets against progress: spent, burn and how far the goal has come ("62% spent, 25% of the way")."""
        if frame.empty:
            return ""
        head = _html.element("div", _html.esc("Budgets"), css="goalbook-section-title")
        rows = []
        for r in frame.itertuples(index=False):
            flag = " " + _html.tag("off_track", "spending ahead") if r.ahead else ""
            rows.append(("goalbook-budget-row", r.id, [
                _html.element("strong", _html.esc(r.id), css="goalbook-nowrap") + " " + _html.esc(r.title),
                _html.esc(_text(r.owner) or "—"),
                _html.esc(money(r.budget, _text(r.currency))), _html.esc(money(r.spent, _text(r.currency))),
                _html.pace_bar(r.burn if _known(r.burn) else None, r.progress if _known(r.progress) else None,
                               "at_risk" if r.ahead else None) + " " + _html.esc(r.words) + flag]))
        return head + _html.row_table(("goal or initiative", "owner", "budget", "spent", "spent vs progress"), rows)

    def _kpis_html(self, kpis: pd.DataFrame) -> str:
        head = _html.element("div", _html.esc("KPIs"), css="goalbook-section-title")
        self._refreshed = refreshed(self.book)
        if kpis.empty:
            return head + _html.muted(f"No KPIs for {'team ' + self._team if self._team else 'anyone'}.")
        return head + _html.element("div", "".join(self._tile(k) for k in kpis.itertuples(index=False)),
                                    css="goalbook-tiles")

    def _tile(self, k: Any) -> str:
        better = "at or below" if k.direction == "decrease" else "at or above"
        unit = _text(k.unit)
        rules = [f"green {better} {fmt_value(k.green, unit)}" if _known(k.green) else "",
                 f"amber {better} {fmt_value(k.amber, unit)}" if _known(k.amber) else "",
                 f"target {fmt_value(k.target, unit)}" if _known(k.target) else ""]
        value = fmt_value(k.value if _known(k.value) else None, unit)
        when = f" on {k.date}" if _known(k.date) else ""
        if k.id in self._refreshed:
            day, where = self._refreshed[k.id]
            when += f" · refreshed {day} from {where}"
        line = ""
        if len(k.values) >= 2:
            days = [(d - k.dates[0]).days for d in k.dates]
            guides = [(v, c) for v, c in ((k.green, "green"), (k.amber, "amber")) if _known(v)]
            line = _html.sparkline(k.values, xs=days, lines=guides, width=120, height=28,
                                   colour=_html.STATUS_COLOURS.get(k.status, "#0969da"),
                                   title=f"{len(k.values)} values from {k.dates[0]} to {k.dates[-1]}")
        body = (_html.element("div", _html.element("strong", _html.esc(k.name)) + " " + _html.muted(k.id))
                + _html.element("div", _html.element("span", _html.esc(value), css="goalbook-tile-value")
                                + _html.tag(k.status) + (" " + _html.tag("stale", "stale") if k.stale else "")
                                + " " + line)
                + _html.element("div", _html.muted(" · ".join(r for r in rules if r) + when)))
        return _html.element("div", body, css="goalbook-tile goalbook-dashboard-kpi", data_id=k.id)
