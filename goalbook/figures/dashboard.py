"""Dashboard figures: progress bars, confidence trends, KPI tiles, the score distribution and goal histories.

Pure functions of a goalbook returning ``plotly`` figures, for notebooks and reports (the
:class:`~goalbook.widgets.dashboard.Dashboard` widget draws the same frames as static HTML). Each
takes the same view as the dashboard — a ``period``, an optional ``team``, ``today`` — and reads
the goals and numbers from :mod:`goalbook.tables`, so a figure and the dashboard never disagree.
Every string a user wrote is HTML-escaped before it reaches the figure: plotly renders titles,
tick labels, legends and hover text as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from goalbook import display
from goalbook.display import known as _known
from goalbook.display import pct as _pct
from goalbook.display import value as _value
from goalbook.figures._text import esc as _esc
from goalbook.figures._text import short as _short
from goalbook.model import Goalbook
from goalbook.period import Period
from goalbook.scoring import Scorer, ScoringConfig, score_colour
from goalbook.tables import confidence_history, goal_frame, kpi_frame, progress_history, resolve_period

STATUS_COLOUR = {s: display.status_colour(s) for s in (
    "done", "on_track", "at_risk", "off_track", "achieved", "partly", "missed", "not_started", "unknown", "dropped",
    "green", "amber", "red")}
"""The statuses a figure draws, in legend order, with the one palette's colours (:mod:`goalbook.display`)."""
SCORE_COLOUR = {band: display.status_colour(band) for band in ("green", "yellow", "red", "grey")}
STATUS_WORDS = display.STATUS_WORDS
MEASURED = ("key_result", "smart_goal")




def _view_title(book: Goalbook, what: str, period: Period | None, team: str | None) -> str:
    parts = [_esc(book.organisation) or "Goals", what, _esc(period.name) if period else "no period",
             _esc(team) if team else "all teams"]
    return " · ".join(parts)


def _base(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.01, "xanchor": "left"}, template="plotly_white",
                      height=height, margin={"l": 10, "r": 10, "t": 60, "b": 30})
    return fig


def _frame(book: Goalbook, period: str | Period | None, team: str | None, today: date | None,
           config: ScoringConfig | None) -> tuple[pd.DataFrame, Period | None, Scorer]:
    scorer = Scorer(book, today=today, config=config)
    p = resolve_period(book, period, scorer.today)
    return goal_frame(book, period=p, team=team, scorer=scorer), p, scorer


def _hover(r: Any) -> str:
    lines = [f"<b>{_esc(r.id)}</b> {_short(r.title)}",
             f"Owner: {_esc(r.owner) or display.UNKNOWN}",
             f"Progress: {_pct(r.progress)} · expected by now: {_pct(r.expected)}",
             f"Status: {_esc(r.status_text)}" + (f" · Score: {r.score:.1f}" if _known(r.score) else "")]
    lines += [f"⚠ {_esc(flag)}" for flag in r.flags]  # override reason, dropped, breach, not measured yet
    return "<br>".join(lines)


def progress_figure(book: Goalbook, *, period: str | Period | None = None, team: str | None = None,
                    today: date | None = None, config: ScoringConfig | None = None) -> go.Figure:
    """Horizontal progress bars: each objective of the view followed by its key results, then the
    SMART goals, coloured by status; a black tick marks where a goal on pace would be by now.

    Examples
    --------
    >>> from goalbook.examples import load_example
    >>> fig = progress_figure(load_example(), today=date(2027, 2, 26), team="Web")
    >>> [t.name for t in fig.data][:2]
    ['Done', 'On track']
    """
    frame, p, _ = _frame(book, period, team, today, config)
    labels = [_esc(i) for i in frame["id"]]
    frame = frame.assign(label=labels)
    fig = go.Figure()
    for status, colour in STATUS_COLOUR.items():
        part = frame[frame["status"] == status]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            y=part["label"], x=part["progress"].fillna(0.0), orientation="h",
            name=display.status_word(status, capital=True),
            marker={"color": colour}, text=[_pct(v) for v in part["progress"]], textposition="outside",
            hovertext=[_hover(r) for r in part.itertuples(index=False)], hoverinfo="text"))
    paced = frame[frame["expected"].notna()]
    if not paced.empty:
        fig.add_trace(go.Scatter(y=paced["label"], x=paced["expected"], mode="markers", name="Expected by now",
                                 marker={"symbol": "line-ns-open", "size": 16, "color": "#111",
                                         "line": {"width": 2, "color": "#111"}}, hoverinfo="skip"))
    fig.update_layout(barmode="overlay", showlegend=True)
    fig.update_xaxes(range=[0, 1.15], tickformat=".0%", title="progress")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True)
    return _base(fig, _view_title(book, "progress", p, team), max(260, 80 + 24 * len(frame)))


def confidence_figure(book: Goalbook, ids: Sequence[str] | None = None, *, period: str | Period | None = None,
                      team: str | None = None, today: date | None = None) -> go.Figure:
    """Confidence (0–10) reported at each check-in, one line per goal; by default the key results
    and SMART goals of the view."""
    frame, p, scorer = _frame(book, period, team, today, None)
    if ids is None:
        ids = frame.loc[frame["kind"].isin(MEASURED), "id"].tolist()
    hist = confidence_history(book, ids, period=p, today=scorer.today)
    fig = go.Figure()
    for gid, part in hist.groupby("id", sort=False):
        title = _short(book.get(gid).title)
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["confidence"], mode="lines+markers", name=_esc(gid),
            hovertext=[f"<b>{_esc(gid)}</b> {title}<br>{d}: confidence {c:g}/10"
                       for d, c in zip(part["date"], part["confidence"], strict=True)], hoverinfo="text"))
    fig.update_yaxes(range=[0, 10.5], title="confidence")
    return _base(fig, _view_title(book, "confidence at each check-in", p, team), 360)


def _bands(kpi: Any, lo: float, hi: float) -> list[tuple[float, float, str]]:
    """The (from, to, colour) value bands of a KPI's thresholds, within ``lo``..``hi``."""
    green = kpi.green if _known(kpi.green) else kpi.target
    amber = kpi.amber if _known(kpi.amber) else None
    if not _known(green):
        return []
    if kpi.direction == "decrease":
        edges = [(lo, green, "green"), (green, amber if amber is not None else hi, "amber" if amber else "red")]
        if amber is not None:
            edges.append((amber, hi, "red"))
    else:
        edges = [(green, hi, "green"), (amber if amber is not None else lo, green, "amber" if amber else "red")]
        if amber is not None:
            edges.append((lo, amber, "red"))
    return [(a, b, c) for a, b, c in edges if b > a]


def kpi_figure(book: Goalbook, *, period: str | Period | None = None, team: str | None = None,
               today: date | None = None, columns: int = 3) -> go.Figure:
    """One small chart per KPI of the view: its values this period over green / amber / red bands
    from its thresholds, titled with the latest value and status."""
    frame, p, scorer = _frame(book, period, team, today, None)
    kpis = kpi_frame(book, period=p, team=team, shown=frame["id"], scorer=scorer)
    n = max(1, len(kpis))
    cols = max(1, min(columns, n))
    rows = math.ceil(n / cols)
    titles = [f"{_short(k.name, 40)}: {_esc(_value(k.value, k.unit))} ({STATUS_WORDS.get(k.status, k.status)})"
              for k in kpis.itertuples(index=False)]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles or None, vertical_spacing=0.25 / rows)
    shade = {band: display.tint(display.status_colour(band), 0.12) for band in ("green", "amber", "red")}
    for i, k in enumerate(kpis.itertuples(index=False)):
        r, c = i // cols + 1, i % cols + 1
        values = list(k.values)
        marks = [v for v in (*values, k.green, k.amber, k.target) if _known(v)]
        lo, hi = (min(marks), max(marks)) if marks else (0.0, 1.0)
        pad = (hi - lo) * 0.15 or 1.0
        lo, hi = lo - pad, hi + pad
        fig.add_trace(go.Scatter(
            x=list(k.dates), y=values, mode="lines+markers", name=_esc(k.id), showlegend=False,
            line={"color": display.status_colour(k.status)},
            hovertext=[f"<b>{_esc(k.id)}</b> {_short(k.name)}<br>{d}: {_esc(_value(v, k.unit))}"
                       for d, v in zip(k.dates, values, strict=True)], hoverinfo="text"), row=r, col=c)
        for a, b, colour in _bands(k, lo, hi):  # after the trace: plotly skips shapes on empty subplots
            fig.add_hrect(y0=a, y1=b, fillcolor=shade[colour], line_width=0, layer="below", row=r, col=c)
        fig.update_yaxes(range=[lo, hi], row=r, col=c)
    fig.update_annotations(font_size=12)
    return _base(fig, _view_title(book, "KPIs against their thresholds", p, team), 80 + 220 * rows)


def score_distribution_figure(book: Goalbook, *, period: str | Period | None = None, team: str | None = None,
                              today: date | None = None, config: ScoringConfig | None = None,
                              kinds: Sequence[str] = MEASURED) -> go.Figure:
    """How many goals of ``kinds`` (default key results and SMART goals) have each score 0.0 … 1.0,
    coloured green / yellow / red by the scoring thresholds; goals with no score are left out and counted in
    the title."""
    frame, p, _ = _frame(book, period, team, today, config)
    part = frame[frame["kind"].isin(kinds)]
    scored = part[part["score"].notna()]
    steps = [round(i / 10, 1) for i in range(11)]
    counts = scored["score"].round(1).value_counts()
    cfg = config or ScoringConfig()
    colours = [SCORE_COLOUR[score_colour(s, cfg)] for s in steps]  # the score's band (a row's colour is its status)
    ids_at = {s: ", ".join(_esc(i) for i in scored.loc[scored["score"].round(1) == s, "id"]) for s in steps}
    fig = go.Figure(go.Bar(x=[f"{s:.1f}" for s in steps], y=[int(counts.get(s, 0)) for s in steps],
                           marker={"color": colours}, name="goals",
                           hovertext=[f"score {s:.1f}: {int(counts.get(s, 0))}<br>{ids_at[s]}" for s in steps],
                           hoverinfo="text"))
    fig.update_xaxes(title="score", type="category")
    fig.update_yaxes(title="goals", rangemode="tozero", dtick=1)
    unscored = len(part) - len(scored)
    title = _view_title(book, "scores", p, team) + (f"<br><sup>{unscored} without a score yet</sup>"
                                                    if unscored else "")
    return _base(fig, title, 320)


def history_figure(book: Goalbook, ids: Sequence[str] | None = None, *, period: str | Period | None = None,
                   team: str | None = None, today: date | None = None, config: ScoringConfig | None = None,
                   sparkline: bool = False) -> go.Figure:
    """Progress of each goal on each check-in day of the period, as the dashboard showed it then,
    with the expected pace dashed; by default the objectives of the view.

    ``sparkline=True`` draws a small chart with no axes, title or legend, for one goal beside text.
    """
    frame, p, scorer = _frame(book, period, team, today, config)
    if ids is None:
        ids = frame.loc[frame["kind"] == "objective", "id"].tolist()
    hist = progress_history(book, ids, period=p, today=scorer.today, config=config)
    fig = go.Figure()
    pace = hist.drop_duplicates("date")
    if p is not None and not pace.empty:
        fig.add_trace(go.Scatter(x=[p.start, p.end], y=[0, 1], mode="lines", name="Expected pace",
                                 line={"dash": "dash", "color": "#8c8c8c", "width": 1}, hoverinfo="skip"))
    for gid, part in hist.groupby("id", sort=False):
        title = _short(book.get(gid).title)
        last = part["status"].iloc[-1]
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["progress"], mode="lines+markers", name=_esc(gid),
            line={"color": STATUS_COLOUR.get(last) if sparkline else None, "width": 2},
            hovertext=[f"<b>{_esc(gid)}</b> {title}<br>{d}: {_pct(v)} ({STATUS_WORDS.get(s, _esc(s))})"
                       for d, v, s in zip(part["date"], part["progress"], part["status"], strict=True)],
            hoverinfo="text"))
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    if sparkline:
        fig.update_layout(template="plotly_white", height=70, width=220, showlegend=False,
                          margin={"l": 2, "r": 2, "t": 2, "b": 2})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    fig.update_yaxes(title="progress")
    return _base(fig, _view_title(book, "progress over the period", p, team), 380)
