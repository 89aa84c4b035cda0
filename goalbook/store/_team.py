"""Reading one team's part of a store: what a team page shows, without reading the whole organisation.

A team page (:func:`goalbook.pages.team_page`) shows the team's own goals, the objectives they serve
(with all their key results) and the KPIs feeding what it shows, each scored as the whole goalbook
would score it on the page's day. :func:`load_team` reads exactly that, in rounds of indexed
look-ups by id (no table is scanned):

1. the team's goals: objectives (with their key results), SMART goals, KPIs and initiatives whose
   ``team`` is the team;
2. upward, what those serve: link targets and a key result's objective, until nothing new;
   an objective served is read with all its key results;
3. downward, what the scores of all that are computed from: an objective's key results (and, with
   ``driver`` ``children`` or ``both``, what contributes to it); a key result or SMART goal without a
   value of its own on the day (no ``current``, no checkpoints, no check-in with a value) rolls up
   from what contributes to it, so those are read too, and so on. A key result read this way comes
   with its objective (its period paces it), without the objective's other key results: such an
   objective is never one the page shows;
4. the KPIs linked to any goal shown;
5. the links among everything read, and its check-ins and comments.

The result is a :class:`~goalbook.model.Goalbook` in the order :meth:`Store.load` gives, on which
:func:`goalbook.tables.goal_frame` and :func:`goalbook.tables.kpi_frame` for the team give what they
give on the whole goalbook. A sparkline's earlier points can differ for a served goal that had no
value of its own yet on those days (what rolled up then is not read), and the days sampled are
those of the check-ins read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from goalbook.model import PROGRESS_LINK_KINDS, CheckIn, Goal, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.store._schema import CHECK_IN_FIELDS, CODECS, COMMENT_FIELDS, check_ins, comments, entities, links, meta
from goalbook.store._timeline import comment_from_values

TEAM_KINDS = ("objective", "smart_goal", "kpi", "initiative")
"""The kinds of goal that carry a ``team`` (a key result belongs to its objective's team)."""

CHUNK = 2000  # ids per IN (...) list: far below SQLite's and PostgreSQL's limits on bound parameters


_CHECK_IN_COLUMNS = [check_ins.c.id, *(check_ins.c[f] for f in CHECK_IN_FIELDS)]
_LINK_COLUMNS = [links.c.id, links.c.source, links.c.target, links.c.kind, links.c.weight]


def _goal_select(kind: str) -> sa.Select:
    codec = CODECS[kind]
    return sa.select(codec.table.c.pos, *(codec.table.c[c] for c in codec.columns))


class _Statements:
    """Every query :func:`load_team` runs, built once per way of passing a list of ids.

    SQLAlchemy then reuses each statement's compiled form instead of building it per query. On
    PostgreSQL the ids go as one array parameter (``id = ANY(:ids)``): the statement's text is then
    the same for any number of ids, so it is neither re-rendered with one placeholder per id nor
    re-parsed by the server (psycopg prepares it); elsewhere as an expanding ``IN (...)`` list."""

    def __init__(self, array: bool) -> None:
        ids = sa.bindparam("ids", type_=postgresql.ARRAY(sa.String)) if array else sa.bindparam("ids", expanding=True)

        def among(col: sa.ColumnElement) -> sa.ColumnElement[bool]:
            return col == sa.any_(ids) if array else col.in_(ids)

        self.by_id = {kind: _goal_select(kind).where(among(CODECS[kind].table.c.id)) for kind in CODECS}
        self.by_team = {kind: _goal_select(kind).where(CODECS[kind].table.c.team == sa.bindparam("team"))
                        for kind in TEAM_KINDS}
        self.key_results_of = _goal_select("key_result").where(among(CODECS["key_result"].table.c.objective_id))
        self.kinds = sa.select(entities.c.id, entities.c.kind).where(among(entities.c.id),
                                                                     entities.c.deleted.is_(False))
        self.links_from = sa.select(*_LINK_COLUMNS).where(among(links.c.source))
        sources = sa.select(links.c.source).where(among(links.c.target))
        # the link half of scoring.counts_toward_progress, in SQL (the store sits below scoring)
        self.contributors = sources.where(links.c.kind.in_(PROGRESS_LINK_KINDS))
        self.kpi_sources = sources.join(entities, entities.c.id == links.c.source).where(entities.c.kind == "kpi")
        self.check_ins = sa.select(*_CHECK_IN_COLUMNS).where(among(check_ins.c.target_id))
        self.comments = sa.select(comments.c.id, *(comments.c[f] for f in COMMENT_FIELDS)).where(
            among(comments.c.target_id))


_STATEMENTS = {array: _Statements(array) for array in (False, True)}


def _statements(conn: sa.Connection) -> _Statements:
    return _STATEMENTS[conn.dialect.name == "postgresql"]


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


class _Reader:
    """The rows read so far, by id, and the queries that read more."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.q = _statements(conn)
        self.key_results_read: set[str] = set()  # objectives whose key results are all read
        self.goals: dict[str, tuple[str, int, Goal]] = {}  # id -> (kind, pos, goal)
        self.check_ins: dict[str, list[tuple[int, CheckIn]]] = {}  # target -> [(row id, check-in)]
        self.links_from: dict[str, list[tuple[int, Link]]] = {}  # source -> [(row id, link)]
        self.links_read: set[str] = set()  # sources whose links are all read

    def _rows(self, kind: str, stmt: sa.Select, params: dict[str, Any]) -> list[str]:
        codec = CODECS[kind]
        new = []
        for r in self.conn.execute(stmt, params):
            goal = codec.from_values(tuple(r[1:]))
            if goal.id not in self.goals:
                self.goals[goal.id] = (kind, r[0], goal)
                new.append(goal.id)
        return new

    def team(self, team: str) -> list[str]:
        """The team's own goals (and its objectives' key results)."""
        ids = [i for kind in TEAM_KINDS for i in self._rows(kind, self.q.by_team[kind], {"team": team})]
        return ids + self.key_results_of(ids)

    def key_results_of(self, ids: Iterable[str]) -> list[str]:
        """The key results of the objectives among ``ids``."""
        objectives = [i for i in set(ids) if self.kind(i) == "objective" and i not in self.key_results_read]
        self.key_results_read.update(objectives)
        return [i for chunk in _chunks(objectives)
                for i in self._rows("key_result", self.q.key_results_of, {"ids": chunk})]

    def by_id(self, ids: Iterable[str]) -> list[str]:
        """Read the live goals among ``ids`` not read yet, whatever their kind; returns those read."""
        wanted = [i for i in set(ids) if i not in self.goals]
        kinds: dict[str, list[str]] = {}
        for chunk in _chunks(wanted):
            for gid, kind in self.conn.execute(self.q.kinds, {"ids": chunk}):
                kinds.setdefault(kind, []).append(gid)
        return [i for kind, gids in kinds.items() for chunk in _chunks(gids)
                for i in self._rows(kind, self.q.by_id[kind], {"ids": chunk})]

    def goal(self, gid: str) -> Goal | None:
        got = self.goals.get(gid)
        return got[2] if got else None

    def kind(self, gid: str) -> str | None:
        got = self.goals.get(gid)
        return got[0] if got else None

    def read_links(self, sources: Iterable[str]) -> None:
        """Every link from ``sources``."""
        todo = [s for s in set(sources) if s not in self.links_read]
        for chunk in _chunks(todo):
            for row_id, *values in self.conn.execute(self.q.links_from, {"ids": chunk}):
                self.links_from.setdefault(values[0], []).append((row_id, Link(*values)))
        self.links_read.update(todo)

    def sources_to(self, targets: Iterable[str], stmt: sa.Select) -> set[str]:
        """The sources of links into ``targets`` that ``stmt`` (``contributors``, ``kpi_sources``) selects."""
        out: set[str] = set()
        for chunk in _chunks(targets):
            out.update(self.conn.execute(stmt, {"ids": chunk}).scalars())
        return out

    def read_check_ins(self, ids: Iterable[str]) -> None:
        todo = [i for i in set(ids) if i not in self.check_ins]
        for i in todo:
            self.check_ins[i] = []
        for chunk in _chunks(todo):
            for row_id, *values in self.conn.execute(self.q.check_ins, {"ids": chunk}):
                self.check_ins[values[0]].append((row_id, CheckIn(*values)))

    def own_value(self, gid: str, today: date | None) -> bool:
        """Whether a key result or SMART goal has a value of its own on ``today`` (so it rolls nothing up)."""
        goal = self.goals[gid][2]
        if getattr(goal, "current", None) is not None:
            return True
        if isinstance(goal, KeyResult) and goal.direction == "milestone" and goal.checkpoints:
            return True
        return any(c.value is not None and (today is None or c.date <= today) for _, c in self.check_ins.get(gid, ()))


def _up(reader: _Reader, start: list[str]) -> set[str]:
    """Everything ``start`` serves, read: link targets and key results' objectives, to the top."""
    served: set[str] = set()
    frontier = list(start)
    while frontier:
        reader.read_links(frontier)
        targets = {lk.target for s in frontier for _, lk in reader.links_from.get(s, ())}
        targets |= {g.objective_id for s in frontier if isinstance(g := reader.goal(s), KeyResult) and g.objective_id}
        reader.by_id(targets)
        frontier = [t for t in targets if t in reader.goals and t not in served]
        served.update(frontier)
    return served


def _rolls_up(reader: _Reader, gid: str, today: date | None) -> bool:
    """Whether the score of ``gid`` is computed from what contributes to it."""
    goal = reader.goals[gid][2]
    if isinstance(goal, Objective):
        return goal.driver in ("children", "both")
    return isinstance(goal, KeyResult | SmartGoal) and not reader.own_value(gid, today)


def _down(reader: _Reader, shown: set[str], today: date | None) -> None:
    """Read what the scores of ``shown`` are computed from (module docstring, step 3)."""
    done: set[str] = set()
    frontier = set(shown)
    while frontier:
        done |= frontier
        frontier |= set(reader.key_results_of(frontier))
        reader.read_check_ins(frontier)  # one round for the whole frontier, not a query per goal
        rolling = {gid for gid in frontier if _rolls_up(reader, gid, today)}
        contributors = reader.sources_to(rolling, reader.q.contributors)
        reader.by_id(contributors)
        parents = {g.objective_id for i in contributors if isinstance(g := reader.goal(i), KeyResult)}
        reader.by_id(parents)  # for its period; its other key results are not needed (it is not shown)
        frontier = {i for i in (contributors | {k for k in frontier if reader.kind(k) == "key_result"})
                    if i in reader.goals} - done


def load_team(conn: sa.Connection, team: str, today: date | None = None) -> Goalbook:
    """The part of the store a page for ``team`` shows, scored as of ``today`` (see the module docstring).

    ``today=None`` reads as if every check-in were already dated, which is right for any day on or
    after the latest check-in."""
    reader = _Reader(conn)
    own = reader.team(team)
    served = _up(reader, own)
    shown = set(own) | served | set(reader.key_results_of(served))
    _down(reader, shown, today)
    reader.by_id(reader.sources_to(shown, reader.q.kpi_sources))
    ids = set(reader.goals)
    reader.read_links(ids)
    reader.read_check_ins(ids)
    return _book(conn, reader, ids)


def _book(conn: sa.Connection, reader: _Reader, ids: set[str]) -> Goalbook:
    settings = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
    by_kind: dict[str, list[tuple[int, str, Goal]]] = {}
    for gid, (kind, pos, goal) in reader.goals.items():
        by_kind.setdefault(kind, []).append((pos, gid, goal))
    ordered = {kind: [g for _, _, g in sorted(rows, key=lambda r: (r[0], r[1]))] for kind, rows in by_kind.items()}
    krs: dict[str | None, list[KeyResult]] = {}
    for kr in ordered.get("key_result", []):
        krs.setdefault(kr.objective_id, []).append(kr)
    objectives = ordered.get("objective", [])
    for o in objectives:
        o.key_results = krs.get(o.id, [])
    lks = sorted(((row_id, lk) for s in ids for row_id, lk in reader.links_from.get(s, ()) if lk.target in ids),
                 key=lambda r: r[0])
    checks = sorted((r for i in ids for r in reader.check_ins.get(i, ())), key=lambda r: r[0])
    notes = []
    for chunk in _chunks(ids):
        notes += [(r[0], comment_from_values(tuple(r[1:]))) for r in conn.execute(reader.q.comments, {"ids": chunk})]
    return Goalbook(organisation=settings.get("organisation") or "",
                    fiscal_year_start=int(settings.get("fiscal_year_start") or 1),
                    objectives=objectives, smart_goals=ordered.get("smart_goal", []), kpis=ordered.get("kpi", []),
                    initiatives=ordered.get("initiative", []), links=[lk for _, lk in lks],
                    check_ins=[c for _, c in checks], comments=[c for _, c in sorted(notes, key=lambda r: r[0])])


def teams(conn: sa.Connection) -> list[str]:
    """Every team named on a goal in the store, sorted (as :func:`goalbook.tables.teams` on the whole book)."""
    found: set[str] = set()
    for kind in TEAM_KINDS:
        col = CODECS[kind].table.c.team
        found.update(conn.execute(sa.select(col).where(col.is_not(None)).distinct()).scalars())
    return sorted(t for t in found if t)


def latest_check_in(conn: sa.Connection) -> date | None:
    """The date of the latest check-in in the store (``None`` without any)."""
    return conn.execute(sa.select(sa.func.max(check_ins.c.date))).scalar()
