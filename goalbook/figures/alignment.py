"""The alignment figure: every goal as a dot, placed under what it serves, coloured by how it is doing.

A pure function of the goalbook (or its alignment graph) returning a ``plotly`` figure; widgets
and the command line only show it. Every string a user wrote (titles, ids, owners, teams, the
organisation's name) is HTML-escaped before it reaches the figure, because plotly renders hover
labels, legends and titles as HTML.
"""

from __future__ import annotations

import bisect
import textwrap
from collections import Counter
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from goalbook.alignment.analyses import aligned_mask
from goalbook.alignment.graph import (
    EDGE_KINDS,
    INITIATIVE,
    KEY_RESULT,
    KINDS,
    KPI_,
    OBJECTIVE,
    SMART_GOAL,
    alignment_graph,
    compiled,
    distinct,
)
from goalbook.display import LIGHT_GREY, status_colour
from goalbook.figures._text import esc as _esc
from goalbook.layout import layout_arrays
from goalbook.model import LEVELS, Goalbook, did_you_mean
from goalbook.scoring import ScoringConfig
from goalbook.values import pct as _pct

WEBGL_ABOVE = 1000  # more nodes than this: WebGL traces, smaller markers, no labels on the dots
LABELS_UP_TO = WEBGL_ABOVE  # at most this many nodes: dots carry their ids where there is room
MAX_NODES = 4000  # more than this and no depth given: collapse the lowest levels until it fits
LABEL_FONT_PX = 10
CHAR_PX = 6.6  # width of one character of a label, rounded up (ids are mostly capitals and digits)
LABEL_GAP_PX = 6  # the least room between two labels side by side
LABEL_TIERS = (("narrow", 240), ("wide", 720))
"""Labels are chosen to fit a plot this wide, in px: a ``narrow`` label never overlaps another in a
plot of 240 px or more (a phone), a ``wide`` one in a plot of 720 px or more. A label's font family
starts with ``goalbook-labels-<tier>``, a name no font has (the next family in the list is used), which
plotly writes into each label's ``style``: a page hides the wide labels where the map is narrow with
``text[style*="goalbook-labels-wide"]`` (plotly's own trace ids, which a ``FigureWidget`` replaces,
cannot carry it). The rest are on hover and click."""
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TITLE_CHARS = 34  # a title is broken into lines of about this many characters, to fit a phone
Y_LABEL_CHARS = 16  # row names are broken into lines of about this many characters

KIND_LABEL = {"objective": "Objective", "key_result": "Key result", "smart_goal": "SMART goal", "kpi": "KPI",
              "initiative": "Initiative"}
KIND_SYMBOL = {"objective": "circle", "key_result": "diamond", "smart_goal": "square", "kpi": "triangle-up",
               "initiative": "star"}
KIND_SIZE = np.array([22.0, 14.0, 13.0, 12.0, 12.0])  # by kind code, before weighting
# (legend label, colour, statuses): KPIs report green / amber / red, goals their pace; colours are the
# one palette's (goalbook.display.STATUS_COLOURS), so at risk is the same amber here as in a pill or a bar
STATUS_GROUPS = (
    ("Done", status_colour("done"), ("done",)),  # achieved / partly / missed: final, once the period is over
    ("On track (KPI green)", status_colour("on_track"), ("on_track", "green", "achieved")),
    ("At risk (KPI amber)", status_colour("at_risk"), ("at_risk", "amber", "partly")),
    ("Off track (KPI red)", status_colour("off_track"), ("off_track", "red", "missed")),
    ("Not started yet", status_colour("not_started"), ("not_started",)),
    ("No progress data", LIGHT_GREY, ("unknown", None, "dropped")),  # lighter than not started: nothing known
)
EDGE_STYLE = {  # link kind → legend label, line style
    "contributes": ("Counts toward progress (contributes)", {"color": "#4d4d4d", "width": 1.4, "dash": "solid"}),
    "supports": ("Supports, shown but not counted", {"color": "#7f7f7f", "width": 1.3, "dash": "dot"}),
    "part_of": ("Key result of its objective", {"color": "#c9c9c9", "width": 0.8, "dash": "solid"}),
}


def score_groups(config: ScoringConfig | None = None) -> tuple[tuple[str, str, tuple], ...]:
    """Legend groups for ``color_by="score"``, worded from the scoring thresholds."""
    cfg = config or ScoringConfig()
    return (
        (f"Score {cfg.green_score:g} or more", status_colour("green"), ("green",)),
        (f"Score {cfg.yellow_score:g} to {cfg.green_score - cfg.score_step:g}", status_colour("yellow"), ("yellow",)),
        (f"Score below {cfg.yellow_score:g}", status_colour("red"), ("red",)),
        ("No score yet", LIGHT_GREY, ("grey", None)),
    )


def alignment_figure(book_or_graph: Goalbook | nx.DiGraph, *, color_by: str = "status", focus: str | None = None,
                     depth: int | None = None, team: str | None = None, today: date | None = None,
                     max_nodes: int | None = MAX_NODES, title: bool = True, legend: bool = True) -> go.Figure:
    """A figure of how every goal serves the strategy.

    Dots are goals (shape by kind, size by weight), coloured by ``status`` (pace) or ``score``;
    lines run from each goal up to what it serves (solid: counts toward progress, dotted: shown
    only, thin grey: a key result of its objective); a red ring marks a goal that serves no company
    objective. Hover shows title, owner, team and progress.

    ``focus`` shows one goal with everything it serves, up to the company objectives, and
    everything that serves it, down to the initiatives. ``team`` shows one team's goals with what
    they serve (the rest faded). ``depth`` keeps the top levels only — 1 company, 2 departments,
    3 teams, 4 people, 5 KPIs and initiatives too — and counts what is folded away on the goals it
    serves; with no ``depth`` a graph of more than ``max_nodes`` goals is folded until it fits.
    Large graphs are drawn with WebGL.

    Ids are written beside the dots where they fit without overlapping (see :data:`LABEL_TIERS`),
    never cut at the plot's edge; the legend sits below the plot, outside it; the figure sizes
    itself to its container. ``title=False`` leaves the organisation's title to the page around the
    figure (a view that has its own heading) and keeps only what is shown ("around CO-1", ...);
    ``legend=False`` likewise leaves the key to a page that shows its own.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight <b>patients</b>", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3", team="Web")],
    ...     links=[Link("WEB-1", "CO-1.KR1")])
    >>> fig = alignment_figure(alignment_graph(book, scores=[]))
    >>> sorted({t.name for t in fig.data if t.mode != "lines" and t.x[0] is not None})
    ['No progress data']
    >>> any("&lt;b&gt;patients&lt;/b&gt;" in h for t in fig.data for h in (t.hovertext or ()))
    True
    """
    if color_by not in ("status", "score"):
        raise ValueError(f"color_by must be 'status' or 'score', not {color_by!r}")
    if depth is not None and not 1 <= depth <= 5:
        raise ValueError(f"depth must be 1 (company) to 5 (everything), not {depth!r}")
    G = book_or_graph if isinstance(book_or_graph, nx.DiGraph) else alignment_graph(book_or_graph, today=today)
    notes: list[str] = []
    keep, context = _select(G, focus, team, notes)
    H = G if keep is None else G.subgraph(keep).copy()
    auto = depth is None and max_nodes is not None and H.number_of_nodes() > max_nodes
    if auto:
        depth = _depth_that_fits(H, max_nodes)
    folded: dict[str, int] = {}
    if depth is not None and depth < 5:
        H, folded = _fold(H, depth)
        notes.append(f"down to the {_DEPTH_NAME[depth]} level, the rest folded into the counts"
                     + (" (too many goals to show at once: pick a goal or a team to see those below)" if auto else ""))
    return _draw(H, color_by, focus, context, folded, G.graph.get("organisation", "") if title else None, notes,
                 legend)


# --- choosing what to show -------------------------------------------------------------------------

_DEPTH_NAME = {1: "company", 2: "department", 3: "team", 4: "person", 5: "initiative"}


def _select(G: nx.DiGraph, focus: str | None, team: str | None,
            notes: list[str]) -> tuple[set[str] | None, set[str]]:
    """Nodes to show (``None``: all) and those shown only as context (faded)."""
    keep: set[str] | None = None
    context: set[str] = set()
    if focus is not None:
        if focus not in G:
            raise KeyError(f"no goal with id '{focus}'{did_you_mean(str(focus), list(G))}")
        keep = {focus} | nx.descendants(G, focus) | nx.ancestors(G, focus)
        notes.append(f"around {focus}")
    if team is not None:
        teams = sorted({t for _, t in G.nodes(data="team") if t is not None})
        if team not in teams:
            raise ValueError(f"no team '{team}'{did_you_mean(str(team), teams)}; teams: {', '.join(teams) or 'none'}")
        core = {n for n, t in G.nodes(data="team") if t == team}
        served = set().union(*(nx.descendants(G, n) for n in core)) - core if core else set()
        helpers = {p for n in core for p in G.pred[n] if G.nodes[p].get("team") is None} - core
        team_keep = core | served | helpers
        context = served | helpers
        keep = team_keep if keep is None else keep & team_keep
        notes.append(f"team {team}")
    return keep, context


def _depth_of(G: nx.DiGraph) -> np.ndarray:
    """1 company ... 4 person by level; KPIs and initiatives 5."""
    c = compiled(G)
    return np.where(c.level >= 0, c.level.astype(np.int64) + 1, 5)


def _depth_that_fits(G: nx.DiGraph, max_nodes: int) -> int:
    counts = np.bincount(_depth_of(G), minlength=6)
    total = 0
    best = 1
    for d in range(1, 6):
        total += counts[d]
        if total <= max_nodes:
            best = d
    return best


def _fold(G: nx.DiGraph, depth: int) -> tuple[nx.DiGraph, dict[str, int]]:
    """Keep goals down to ``depth``; count, for every goal kept, the goals folded away beneath it
    (those that reach it through folded goals only)."""
    c = compiled(G)
    shown = _depth_of(G) <= depth
    frontier: list[frozenset[int] | None] = [None] * len(c.ids)
    for group in c.by_generation(descending=True):  # parents first
        for s, t in zip(c.src[group].tolist(), c.dst[group].tolist(), strict=True):
            if shown[s]:
                continue
            add = frozenset((t,)) if shown[t] else frontier[t]
            if add:
                frontier[s] = add if frontier[s] is None else frontier[s] | add
    counts = Counter(t for f in frontier if f for t in f)
    keep = [c.ids[i] for i in np.flatnonzero(shown).tolist()]
    return G.subgraph(keep).copy(), {c.ids[t]: n for t, n in counts.items()}


# --- drawing ----------------------------------------------------------------------------------------


def _wrap(text: str, width: int = 60, max_lines: int = 3) -> str:
    """User text escaped and broken into short lines for a hover label."""
    s = " ".join(str(text).split())
    if len(s) <= width:
        return _esc(s)
    lines = []
    while s and len(lines) < max_lines:
        if len(s) <= width:
            lines.append(s)
            s = ""
            break
        cut = s.rfind(" ", 0, width)
        cut = cut if cut > width // 2 else width
        lines.append(s[:cut])
        s = s[cut:].lstrip()
    if s:
        lines[-1] = lines[-1][: width - 1] + "…"
    return "<br>".join(_esc(line) for line in lines)


class _Hover:
    """Hover labels: everything a user wrote escaped; values shared by many goals (owners, teams,
    statuses) are worded once."""

    def __init__(self) -> None:
        self._said: dict[tuple[str, Any], str] = {}

    def _once(self, what: str, value: Any) -> str:
        key = (what, value)
        text = self._said.get(key)
        if text is None:
            if what == "head":
                kind, level = value
                text = f"{KIND_LABEL.get(kind, 'Goal')}{f' ({_esc(level)})' if level else ''}"
            elif what == "who":
                owner, team = value
                text = " · ".join(p for p in (f"Owner: {_esc(owner)}" if owner else "",
                                              f"Team: {_esc(team)}" if team else "") if p)
            else:
                text = _esc(value).replace("_", " ") or "unknown"
            self._said[key] = text
        return text

    def __call__(self, n: str, d: dict[str, Any], folded: int) -> str:
        score = d.get("score")
        parts = [f"<b>{_esc(n)}</b> — {self._once('head', (d.get('kind'), d.get('level')))}",
                 _wrap(d.get("title") or ""), self._once("who", (d.get("owner"), d.get("team"))),
                 f"Progress: {_pct(d.get('progress'))} · Status: {self._once('status', d.get('status'))}"
                 f"{f' · Score: {score:.1f}' if isinstance(score, float) else ''}"]
        if d.get("stage"):
            parts.append(f"Stage: {self._once('status', d['stage'])}")
        if folded:
            parts.append(f"+{folded} goal{'s' if folded != 1 else ''} below, folded away")
        return "<br>".join(p for p in parts if p)


def _row_labels(G: nx.DiGraph, row: np.ndarray) -> dict[int, str]:
    """A name for each row from what sits in it, e.g. 'Company key results' or 'Team SMART goals · KPIs'."""
    c = compiled(G)
    names = {OBJECTIVE: "objectives", KEY_RESULT: "key results", SMART_GOAL: "SMART goals"}
    per_row: dict[int, Counter[str]] = {}
    for r, k, lv in zip(row.tolist(), c.kind.tolist(), c.level.tolist(), strict=True):
        if k in names and lv >= 0:
            label = f"{LEVELS[lv]} {names[k]}"
        else:
            label = "KPIs" if k == KPI_ else "initiatives" if k == INITIATIVE else "goals"
        per_row.setdefault(r, Counter())[label] += 1
    out = {}
    for r, counter in per_row.items():
        top = [label for label, _ in counter.most_common(2)]
        text = " · ".join(top)
        out[r] = "<br>".join(textwrap.wrap(text[0].upper() + text[1:], Y_LABEL_CHARS, break_long_words=False))
    return out


X_PAD = 0.6  # the x axis runs this far (in layout units) beyond the outermost dots


def place_labels(x: np.ndarray, row: np.ndarray, texts: list[str],
                 sizes: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Which label each dot shows, and where, so that no two labels overlap, none lies under another
    dot's marker, and none is cut at the edge.

    Each row has two lanes, below and above its dots. Tier by tier (:data:`LABEL_TIERS`, narrowest
    first), going left to right, a label not yet placed takes the first lane where it keeps
    :data:`LABEL_GAP_PX` from every label already there, in a plot as wide as the tier; labels
    placed in a narrower tier stay where they are (in a wider plot they only move apart). A label
    that fits no tier is left to the hover text. One that would cross the plot's left or right edge
    is written beside its dot, inward. Widths are estimated from the number of characters
    (:data:`CHAR_PX`), rounded up. With ``sizes`` (marker diameters in px), a marker taller than a
    dot's own reaches into the lanes where that dot's label would stand (plotly sets a label off by its
    own marker's size only), so such a marker keeps every smaller dot's label of its row clear of it.

    Returns the tier of each dot (0 none, 1 the narrowest, ...) and its plotly ``textposition``.

    >>> ids = ["DEP-DIG-1.KR1", "A-2", "A-3", "DEP-OPS-1.KR2"]
    >>> tier, where = place_labels(np.array([0.0, 0.3, 0.6, 5.0]), np.zeros(4, int), ids)
    >>> tier.tolist(), where  # A-3 finds room only in a wide plot; the outer two are written inward
    ([1, 1, 2, 1], ['bottom right', 'top center', 'top center', 'bottom left'])
    """
    n = len(x)
    tier = np.zeros(n, np.int64)
    where = ["bottom center"] * n
    if not n:
        return tier, where
    lo, hi = float(x.min()) - X_PAD, float(x.max()) + X_PAD
    span = max(hi - lo, 1e-9)
    half = np.array([len(t) * CHAR_PX / 2 + 1 for t in texts])
    order = np.lexsort((x, row)).tolist()
    placed: list[tuple[int, int]] = []  # (dot, lane) of every label placed so far
    tall: dict[int, list[int]] = {}  # by row: the dots whose marker is taller than the row's smallest
    if sizes is not None:
        for r in np.unique(row).tolist():
            members = np.flatnonzero(row == r)
            tall[r] = [int(j) for j in members if sizes[j] > sizes[members].min() + 2]
    for t, (_, width) in enumerate(LABEL_TIERS, start=1):
        px = (x - lo) / span * width  # each dot's distance from the plot's left edge, in px

        lanes: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for i, lane in placed:
            left, right = _fixed_extent(px[i], half[i], where[i])
            lanes.setdefault((int(row[i]), lane), []).append((left, right))
        for spans in lanes.values():
            spans.sort()
        for i in order:
            if tier[i]:
                continue
            anchor = "right" if px[i] - half[i] < 0 else "left" if px[i] + half[i] > width else "center"
            left, right = _fixed_extent(px[i], half[i], anchor)
            if sizes is not None and any(sizes[j] > sizes[i] + 2 and px[j] - sizes[j] / 2 < right + LABEL_GAP_PX
                                         and left - LABEL_GAP_PX < px[j] + sizes[j] / 2 for j in tall[int(row[i])]):
                continue  # a taller marker beside it would cover the label in either lane
            for lane, side in ((0, "bottom"), (1, "top")):
                spans = lanes.setdefault((int(row[i]), lane), [])
                k = bisect.bisect_left(spans, (left, right))
                if (k == 0 or spans[k - 1][1] + LABEL_GAP_PX <= left) and \
                        (k == len(spans) or right + LABEL_GAP_PX <= spans[k][0]):
                    spans.insert(k, (left, right))
                    tier[i], where[i] = t, f"{side} {anchor}"
                    placed.append((i, lane))
                    break
        if tier.all():
            break
    return tier, where


def _fixed_extent(px: float, half: float, where: str) -> tuple[float, float]:
    """The span of a label already placed (``... right``: it starts at its dot, ``... left``: it ends there)."""
    if where.endswith("right"):
        return px, px + 2 * half
    if where.endswith("left"):
        return px - 2 * half, px
    return px - half, px + half


def _draw(G: nx.DiGraph, color_by: str, focus: str | None, context: set[str], folded: dict[str, int],
          organisation: str, notes: list[str], legend: bool = True) -> go.Figure:
    c = compiled(G)
    n = len(c.ids)
    big = n > WEBGL_ABOVE
    Scatter = go.Scattergl if big else go.Scatter
    x, y = layout_arrays(G)
    row = -y.astype(np.int64) if n else np.zeros(0, np.int64)
    traces: list[Any] = []
    # lines: one trace per link kind, segments separated by gaps
    for code, kind in enumerate(EDGE_KINDS):
        e = np.flatnonzero(c.ekind == code)
        label, line = EDGE_STYLE[kind]
        xs = np.full(3 * len(e), np.nan)
        ys = np.full(3 * len(e), np.nan)
        xs[0::3], xs[1::3] = x[c.src[e]], x[c.dst[e]]
        ys[0::3], ys[1::3] = y[c.src[e]], y[c.dst[e]]
        width = line["width"] * (0.6 if big else 1.0)
        traces.append(Scatter(x=xs if len(e) else [None], y=ys if len(e) else [None], mode="lines",
                              line={**line, "width": width}, hoverinfo="skip", name=label, legendgroup=kind,
                              legendgrouptitle_text="Lines" if code == 0 else None))
    # dots: one trace per colour, kind and fading, so that every marker property is a single value
    # (plotly checks a list of them point by point); the legend gets one plain entry per colour
    datas = [d for _, d in G.nodes(data=True)]
    weight = np.array([d.get("weight") or 1.0 for d in datas], float)
    size = KIND_SIZE[c.kind] * np.clip(np.sqrt(weight), 0.7, 1.8) * (0.45 if big else 1.0)
    label_of = _Hover()
    hover = np.array([label_of(name, d, folded.get(name, 0)) for name, d in zip(c.ids, datas, strict=True)] or [""])
    groups = STATUS_GROUPS if color_by == "status" else score_groups()
    key = "status" if color_by == "status" else "colour"
    group_of = {v: g for g, (_, _, vs) in enumerate(groups) for v in vs}
    gi = np.array([group_of.get(d.get(key), len(groups) - 1) for d in datas], np.int64)
    faded = np.array([name in context for name in c.ids], bool)
    texts = [_esc(name) + (f" +{folded[name]}" if name in folded else "") for name in c.ids]
    if n <= LABELS_UP_TO:
        tier, where = place_labels(x, row, [f"{name} +{folded[name]}" if name in folded else name for name in c.ids],
                                   size)
    else:
        tier, where = np.zeros(n, np.int64), []
    tiers = len(LABEL_TIERS) + 1
    key_of_point = ((gi * len(KINDS) + c.kind) * 2 + faded) * tiers + tier
    for k in distinct(key_of_point).tolist():
        m = np.flatnonzero(key_of_point == k)
        t = k % tiers
        g, kind = divmod(k // tiers // 2, len(KINDS))
        label, colour, _ = groups[g]
        labelled = t > 0
        traces.append(Scatter(
            x=x[m], y=y[m], mode="markers+text" if labelled else "markers",
            text=[texts[i] for i in m.tolist()] if labelled else None,
            textposition=[where[i] for i in m.tolist()] if labelled else None,
            textfont={"size": LABEL_FONT_PX, "color": "#333",
                      "family": f"goalbook-labels-{LABEL_TIERS[t - 1][0]}, {FONT_FAMILY}"} if labelled else None,
            hovertext=hover[m], hoverinfo="text", customdata=[c.ids[i] for i in m.tolist()],
            marker={"color": colour, "size": size[m], "symbol": KIND_SYMBOL[KINDS[kind]],
                    "opacity": 0.35 if (k // tiers) % 2 else 1.0, "line": {"color": "#ffffff", "width": 0.6}},
            name=label, legendgroup=f"colour-{g}", showlegend=False))
    title_of = "Colour: how it is doing" if color_by == "status" else "Colour: score"
    for g, (label, colour, _) in enumerate(groups):  # legend entries: a plain dot in each colour
        traces.append(Scatter(x=[None], y=[None], mode="markers", name=label, legendgroup=f"colour-{g}",
                              marker={"color": colour, "size": 11, "symbol": "circle"}, hoverinfo="skip",
                              legendgrouptitle_text=title_of if g == 0 else None))
    for k, kind in enumerate(KINDS):  # shapes: legend entries only
        traces.append(Scatter(x=[None], y=[None], mode="markers", name=KIND_LABEL[kind], legendgroup=kind,
                              marker={"symbol": KIND_SYMBOL[kind], "color": "#8c8c8c", "size": 11},
                              legendgrouptitle_text="Shape: what it is" if k == 0 else None, hoverinfo="skip"))
    lonely = np.flatnonzero(~aligned_mask(G) & ~c.company & (c.kind != KEY_RESULT)) if n else np.zeros(0, int)
    if len(lonely):  # orphans: a red ring, so what serves nothing stands out
        traces.append(Scatter(x=x[lonely], y=y[lonely], mode="markers", hoverinfo="skip",
                              name="Serves no company objective", legendgroup="orphans",
                              marker={"symbol": "circle-open", "size": size[lonely] + 10, "color": status_colour("red"),
                                      "line": {"width": 2}}))
    if focus is not None and focus in c.pos:
        i = c.pos[focus]
        traces.append(Scatter(x=[x[i]], y=[y[i]], mode="markers", hoverinfo="skip", name="The goal in focus",
                              marker={"symbol": "circle-open", "size": size[i] + 12, "color": "#111",
                                      "line": {"width": 3}}))
    labels_by_row = _row_labels(G, row) if n else {}
    heading = []  # a long title is broken into lines: plotly never wraps one, and cuts it at the edge
    if organisation is not None:
        words = f"{organisation or 'Goals'}: how every goal serves the strategy"
        heading = [_esc(line) for line in textwrap.wrap(words, TITLE_CHARS)]
    if notes:
        heading += [f"<sup>{_esc(line)}</sup>" if heading else _esc(line)
                    for line in textwrap.wrap(("" if heading else "Showing ") + "; ".join(notes), TITLE_CHARS + 10)]
    n_rows = int(row.max()) + 1 if n else 1
    lo, hi = (float(x.min()) - X_PAD, float(x.max()) + X_PAD) if n else (-1.0, 1.0)
    top = 16 + 24 * len(heading) if heading else 10
    layout = go.Layout(
        title={"text": "<br>".join(heading), "x": 0, "xref": "container", "xanchor": "left", "pad": {"l": 8},
               "font": {"size": 17 if organisation is not None else 13}},
        # no named template: building plotly's own (every trace type's defaults) cost seconds per
        # page in a fresh kernel, and the few settings the map needs are here
        template=go.layout.Template(), paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        font={"family": FONT_FAMILY, "color": "#24292f", "size": 12},
        hovermode="closest", dragmode="pan", autosize=True,
        height=max(580 if legend else 320, top + 60 + 110 * n_rows),  # the legend's 20 lines fit beside the rows
        showlegend=legend,
        margin={"l": 8, "r": 8, "t": top, "b": 8, "autoexpand": True},
        # the key beside the map, one group under another (a horizontal key mixed its groups' entries)
        legend={"groupclick": "togglegroup", "itemsizing": "constant", "tracegroupgap": 10,
                "orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 11}},
        xaxis={"visible": False, "range": [lo, hi], "fixedrange": False},
        yaxis={"tickvals": [-r for r in labels_by_row], "ticktext": list(labels_by_row.values()),
               "showgrid": True, "gridcolor": "#f0f0f0", "zeroline": False, "automargin": True,
               "showline": False, "ticks": "", "tickfont": {"size": 11},
               "range": [-(n_rows - 1) - 0.6, 0.6]},
        meta={"nodes": n, "edges": len(c.src), "webgl": big,
              "labels": {name: int((tier == t).sum()) for t, (name, _) in enumerate(LABEL_TIERS, start=1)}},
    )
    return go.Figure(data=traces, layout=layout)
