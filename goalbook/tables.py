"""Dashboard tables: which goals a period-and-team view shows, where each stands, and how it got there.

Pure pandas over the model and :mod:`goalbook.scoring`: every number here is a scorer's, these
functions only choose the goals and lay the scores out. The dashboard widget and the dashboard
figures both read these frames, so the two always show the same goals with the same numbers.

A view is a ``period`` (by name, e.g. ``"2027-Q1"``) and optionally a ``team``:

- objectives of the period whose ``team`` is that team are ``own``; objectives the team's goals
  serve (through their links, or a key result's objective) are shown as ``served``, so a team
  sees how the company objectives it works for are doing; without a team every objective of the
  period is ``own``;
- key results follow their objective; SMART goals of the period (or, without a period, with a
  deadline inside it) whose team is the team;
- KPIs of the team, and KPIs that feed a goal the view shows; without a team every KPI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from goalbook.model import KPI, Goalbook, Objective, SmartGoal, did_you_mean
from goalbook.period import Period
from goalbook.scoring import SCORE_COLUMNS, Scorer, ScoringConfig

GOAL_KINDS = ("objective", "key_result", "smart_goal")
GOAL_COLUMNS = (*SCORE_COLUMNS, "status_text", "flags", "unit", "baseline", "target", "relation", "serves")
KPI_COLUMNS = ("id", "name", "owner", "team", "unit", "direction", "target", "green", "amber", "value",
               "date", "status", "colour", "stale", "dates", "values")
HISTORY_COLUMNS = ("id", "date", "progress", "expected", "status", "score")
CONFIDENCE_COLUMNS = ("id", "date", "confidence")
MAX_HISTORY_POINTS = 26  # a sparkline with more points than a half-year of weeks says no more


def periods(book: Goalbook) -> list[Period]:
    """The distinct periods of the objectives and SMART goals, earliest first."""
    seen = {g.period.name: g.period for g in (*book.objectives, *book.smart_goals) if g.period is not None}
    return sorted(seen.values(), key=lambda p: (p.start, p.end, p.name))


def teams(book: Goalbook) -> list[str]:
    """Every team named on an objective, SMART goal, KPI or initiative, sorted."""
    return sorted({g.team for g in (*book.objectives, *book.smart_goals, *book.kpis, *book.initiatives)
                   if g.team})


def default_period(book: Goalbook, today: date) -> Period | None:
    """The period a dashboard opens on: the shortest one containing ``today``, else the latest that
    has started, else the first; ``None`` when no goal has a period."""
    all_periods = periods(book)
    current = [p for p in all_periods if p.contains(today)]
    if current:
        return min(current, key=lambda p: (p.days, p.start))
    started = [p for p in all_periods if p.start <= today]
    if started:
        return max(started, key=lambda p: (p.start, -p.days))
    return all_periods[0] if all_periods else None


def resolve_period(book: Goalbook, period: str | Period | None, today: date) -> Period | None:
    """``period`` as a :class:`Period`: one of the book's by name, any parsable name, or the default."""
    if period is None:
        return default_period(book, today)
    if isinstance(period, Period):
        return period
    for p in periods(book):
        if p.name == period:
            return p
    return Period.parse(period, book.fiscal_year_start)


def check_team(book: Goalbook, team: str | None) -> None:
    """Raise ``ValueError`` naming the known teams when ``team`` is not one of them."""
    known = teams(book)
    if team is not None and team not in known:
        raise ValueError(f"no team '{team}'{did_you_mean(team, known)}; teams: {', '.join(known) or 'none'}")


def served_by(book: Goalbook, ids: Iterable[str]) -> set[str]:
    """Everything ``ids`` serve, directly or through other goals: link targets, and a key result's objective."""
    up: dict[str, list[str]] = defaultdict(list)
    for lk in book.links:
        up[lk.source].append(lk.target)
    for o in book.objectives:
        for kr in o.key_results:
            up[kr.id].append(o.id)
    seen: set[str] = set()
    stack = [t for i in ids for t in up.get(i, ())]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(up.get(n, ()))
    return seen


def _in_period(goal: Objective | SmartGoal, period: Period | None) -> bool:
    if period is None:
        return True
    if goal.period is not None:
        return goal.period.name == period.name
    deadline = getattr(goal, "deadline", None)
    return deadline is not None and period.contains(deadline)


def _unit(goal: Any) -> str | None:
    return getattr(goal, "unit", None)


def goal_frame(book: Goalbook, *, period: str | Period | None = None, team: str | None = None,
               today: date | None = None, config: ScoringConfig | None = None,
               scorer: Scorer | None = None) -> pd.DataFrame:
    """The objectives (each followed by its key results) and SMART goals a view shows, with their scores.

    Columns are :class:`~goalbook.scoring.GoalScore`'s fields, its ``status_text`` and ``flags``, then
    ``unit``, ``baseline``,
    ``target``, ``relation`` (``own``, or ``served`` for an objective the team's goals serve, and
    its key results) and ``serves`` (the ids a goal links to, in link order). ``period=None`` is
    the :func:`default_period`.
    """
    scorer = scorer or Scorer(book, today=today, config=config)
    check_team(book, team)
    p = resolve_period(book, period, scorer.today)
    team_ids = {g.id for g in book.iter_goals() if getattr(g, "team", None) == team} if team else set()
    for o in book.objectives:
        if o.team == team and team is not None:
            team_ids.update(kr.id for kr in o.key_results)
    served = served_by(book, team_ids) if team else set()
    links_from: dict[str, list[str]] = defaultdict(list)
    for lk in book.links:
        links_from[lk.source].append(lk.target)
    rows: list[tuple[Any, str]] = []
    for o in book.objectives:
        if not _in_period(o, p):
            continue
        if team is None or o.team == team:
            relation = "own"
        elif o.id in served or any(kr.id in served for kr in o.key_results):
            relation = "served"
        else:
            continue
        rows.append((o, relation))
        rows += [(kr, relation) for kr in o.key_results]
    rows += [(g, "own") for g in book.smart_goals if (team is None or g.team == team) and _in_period(g, p)]
    scores = [scorer.score(g.id) for g, _ in rows]
    data: dict[str, list[Any]] = {c: [getattr(s, c) for s in scores] for c in SCORE_COLUMNS}
    data["status_text"] = [s.status_text for s in scores]
    data["flags"] = [s.flags for s in scores]
    data["unit"] = [_unit(g) for g, _ in rows]
    data["baseline"] = [getattr(g, "baseline", None) for g, _ in rows]
    data["target"] = [getattr(g, "target", None) for g, _ in rows]
    data["relation"] = [r for _, r in rows]
    data["serves"] = [list(links_from.get(g.id, ())) for g, _ in rows]
    return pd.DataFrame(data, columns=list(GOAL_COLUMNS)).astype({"stale": bool})


def kpi_frame(book: Goalbook, *, period: str | Period | None = None, team: str | None = None,
              today: date | None = None, shown: Iterable[str] = (), config: ScoringConfig | None = None,
              scorer: Scorer | None = None, max_points: int = MAX_HISTORY_POINTS) -> pd.DataFrame:
    """The KPIs a view shows, each with its latest value, status against its thresholds and recent values.

    With a ``team``: the team's KPIs and those linked to any of ``shown`` (the goals the view
    shows); without one, every KPI. ``dates`` / ``values`` hold the values inside the period up
    to today (at most ``max_points``, the latest kept), or the latest ``max_points`` when none
    falls inside it.
    """
    scorer = scorer or Scorer(book, today=today, config=config)
    p = resolve_period(book, period, scorer.today)
    shown = set(shown)
    feeds = {lk.source for lk in book.links if lk.target in shown}
    kpis = [k for k in book.kpis if team is None or k.team == team or k.id in feeds]
    rows = []
    for k in kpis:
        s = scorer.score(k.id)
        past = sorted((v for v in k.values if v.date <= scorer.today and v.value is not None), key=lambda v: v.date)
        inside = [v for v in past if p is None or p.contains(v.date)] or past
        inside = inside[-max_points:] if max_points else inside
        rows.append({"id": k.id, "name": k.name, "owner": k.owner, "team": k.team, "unit": k.unit,
                     "direction": k.direction, "target": k.target, "green": k.green, "amber": k.amber,
                     "value": s.current, "date": s.last_check_in, "status": s.status, "colour": s.colour,
                     "stale": s.stale, "dates": [v.date for v in inside], "values": [v.value for v in inside]})
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS))


def history_dates(book: Goalbook, period: Period | None, today: date,
                  max_points: int = MAX_HISTORY_POINTS) -> list[date]:
    """The days a progress history is evaluated on: the period's first day, every day with a check-in
    inside the period up to ``today`` (any goal's: an objective moves when one of its key results
    does), and ``today`` itself; at most ``max_points``, evenly thinned, first and last kept."""
    end = today if period is None else min(today, period.end)
    days = {c.date for c in book.check_ins if c.date <= end and (period is None or c.date >= period.start)}
    if period is not None and period.start <= end:
        days |= {period.start, end}
    elif days:
        days.add(end)
    out = sorted(days)
    if max_points and len(out) > max_points:
        step = (len(out) - 1) / (max_points - 1)
        out = [out[round(i * step)] for i in range(max_points)]
    return out


def progress_history(book: Goalbook, ids: Sequence[str], *, period: str | Period | None = None,
                     today: date | None = None, config: ScoringConfig | None = None,
                     max_points: int = MAX_HISTORY_POINTS,
                     progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Where each goal stood on each day of :func:`history_dates`: progress, expected pace, status, score.

    ``progress(done, total)`` is called after each day is scored, for a progress bar: on a large
    goalbook this is the slow part of a dashboard.

    Each day is scored as of that day (check-ins after it unseen), so the history is what the
    dashboard would have shown then, except for what has no date: goal fields and initiatives'
    own ``progress`` are taken as they are now. KPIs are skipped (they have values, not progress: see
    :func:`kpi_frame`).
    """
    today = today or date.today()
    p = resolve_period(book, period, today)
    ids = [i for i in ids if not isinstance(book.get(i), KPI)]
    per_id: dict[str, list[tuple[Any, ...]]] = {i: [] for i in ids}
    days = history_dates(book, p, today, max_points)
    for n, day in enumerate(days, 1):
        scorer = Scorer(book, today=day, config=config)
        for i in per_id:
            s = scorer.score(i)
            per_id[i].append((i, day, s.progress, s.expected, s.status, s.score))
        if progress is not None:
            progress(n, len(days))
    rows = [r for i in per_id for r in per_id[i]]
    return pd.DataFrame(rows or None, columns=list(HISTORY_COLUMNS))


def confidence_history(book: Goalbook, ids: Sequence[str], *, period: str | Period | None = None,
                       today: date | None = None) -> pd.DataFrame:
    """Every confidence reported in a check-in on ``ids`` inside the period, up to ``today``, oldest first."""
    today = today or date.today()
    p = resolve_period(book, period, today)
    wanted = {i: n for n, i in enumerate(ids)}
    found = sorted(((wanted[c.target_id], c.date, c.target_id, c.confidence) for c in book.check_ins
                    if c.target_id in wanted and c.confidence is not None and c.date <= today
                    and (p is None or p.start <= c.date <= p.end)), key=lambda r: (r[0], r[1]))
    return pd.DataFrame({"id": [r[2] for r in found], "date": [r[1] for r in found],
                         "confidence": [float(r[3]) for r in found]}, columns=list(CONFIDENCE_COLUMNS))
