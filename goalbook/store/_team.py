"""Reading one team's part of a store: what a team page shows, without reading the whole organisation.

A team page (:func:`goalbook.pages.team_page`) shows the team's own goals, the objectives they serve
(with all their key results) and the KPIs feeding what it shows, each scored as the whole goalbook
would score it on the page's day. :func:`load_team` reads exactly that, by indexed look-ups (no
table is scanned):

1. the team's goals: objectives (with their key results), SMART goals, KPIs and initiatives whose
   ``team`` is the team;
2. upward, what those serve: link targets and a key result's objective, until nothing new;
   an objective served is read with all its key results;
3. downward, what the scores of all that are computed from: an objective's key results (and, with
   ``driver`` ``children`` or ``both``, what contributes to it); a key result or SMART goal without a
   value of its own on the day (no ``current``, no ``grade``, no checkpoints on a milestone, no
   check-in with a value) rolls up from what contributes to it, so those are read too, and so on.
   A key result read this way comes with its objective (its period paces it), without the
   objective's other key results: such an objective is never one the page shows;
4. the KPIs linked to any goal shown;
5. the links among everything read, and its check-ins and comments.

Steps 1 to 4 run as one walk, a breadth-first search whose every level is one statement: it finds
the next goals by index and returns their whole rows, with what the walk needs to know of each
(which key result belongs to which objective, whether a goal's score rolls up on the day, worked
out on the server). A level is one round trip, so the walk costs as many round trips as the goal
graph is deep, not one per kind of goal and per question; step 5 is one more statement per table.
(A single recursive statement would save the levels, but PostgreSQL's planner guesses a recursive
walk's size blindly, and on those guesses planned table scans and compiled the query with its JIT:
4 s here, for rows that take milliseconds to read.)

The result is a :class:`~goalbook.model.Goalbook` in the order :meth:`Store.load` gives, on which
:func:`goalbook.tables.goal_frame` and :func:`goalbook.tables.kpi_frame` for the team give what they
give on the whole goalbook. A sparkline's earlier points can differ for a served goal that had no
value of its own yet on those days (what rolled up then is not read), and the days sampled are
those of the check-ins read.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from goalbook.model import PROGRESS_LINK_KINDS, CheckIn, Goal, Goalbook, KeyResult, Link
from goalbook.store._schema import CHECK_IN_FIELDS, CODECS, COMMENT_FIELDS, check_ins, comments, links, meta
from goalbook.store._timeline import comment_from_values

TEAM_KINDS = ("objective", "smart_goal", "kpi", "initiative")
"""The kinds of goal that carry a ``team`` (a key result belongs to its objective's team)."""

CHUNK = 2000  # ids per list parameter: far below SQLite's limit on bound parameters per statement

ROLES = ("own", "up", "kr", "down", "parent", "kpi")
"""Why the walk read a goal: the team's own; served (upward); a key result of an objective walked
downward; a contributor to a goal whose score rolls up; the objective of such a contributor (for its
period only); a KPI linked to a goal shown."""

_WALKED = ("own", "up", "kr", "down")  # the roles the walk goes on from; the others are only read

_LISTS = ("up", "kr_of", "rolling", "shown")
"""The id lists one level of the walk takes (:meth:`_Statements.level`); every other is empty."""

_OBJ, _KR, _SG, _KPI = (CODECS[k].table for k in ("objective", "key_result", "smart_goal", "kpi"))
_CHECK_IN_COLUMNS = [check_ins.c.id, *(check_ins.c[f] for f in CHECK_IN_FIELDS)]
_LINK_COLUMNS = [links.c.id, links.c.source, links.c.target, links.c.kind, links.c.weight]

# A level's goal rows: role, kind, id, pos, objective (key results), rolls up, then the goal's columns, each
# in a slot of its type: a kind's n-th text column in the n-th text slot, and so on. Only as many slots as
# the kind with the most columns of a type needs: every row is that narrow, whatever its kind.
_TYPES: list[Any] = [sa.String(), sa.String(), sa.Text(), sa.Integer(), sa.Text(), sa.Boolean()]  # by position
_PLACES: dict[str, list[int]] = {}  # kind -> the slot of each of its columns, in CODECS order
_PICK: dict[str, Callable[[Any], tuple]] = {}  # kind -> its columns' values, in CODECS order, from a row


def _lay_out() -> None:
    width: dict[type, int] = {}
    for codec in CODECS.values():
        for cls, n in Counter(type(codec.table.c[c].type) for c in codec.columns).items():
            width[cls] = max(width.get(cls, 0), n)
    start = {}
    for cls, n in width.items():
        start[cls] = len(_TYPES)
        _TYPES.extend(cls() for _ in range(n))
    for kind, codec in CODECS.items():
        used: Counter[type] = Counter()
        for c in codec.columns:
            cls = type(codec.table.c[c].type)
            _PLACES.setdefault(kind, []).append(start[cls] + used[cls])
            used[cls] += 1
        _PICK[kind] = operator.itemgetter(*_PLACES[kind])


_lay_out()


def _literal(text: str) -> sa.ColumnElement[str]:
    """A fixed word (a role or a kind, never user text) as an SQL string literal rather than a parameter."""
    return sa.literal_column(f"'{text}'", sa.String)


def _no_value(table: sa.Table, today: sa.BindParameter) -> sa.ColumnElement[bool]:
    """No value of its own on ``today``: no ``current`` and no check-in with a value dated on or before it
    (:meth:`goalbook.scoring.Scorer.current_value`)."""
    valued = sa.select(check_ins.c.id).where(check_ins.c.target_id == table.c.id, check_ins.c.value.is_not(None),
                                             check_ins.c.date <= today)
    return sa.and_(table.c.current.is_(None), ~sa.exists(valued))


def _rolls_up(kind: str, today: sa.BindParameter) -> sa.ColumnElement[bool]:
    """Whether a goal's score is computed from what contributes to it, as scoring decides it
    (:meth:`goalbook.scoring.Scorer._deps_of`), but for a milestone key result's checkpoints, which the
    walk looks into once it has the goal (:meth:`_Walk._follow`)."""
    if kind == "objective":
        return sa.or_(_OBJ.c.driver == "children", _OBJ.c.driver == "both")
    if kind == "key_result":
        return sa.and_(_no_value(_KR, today), _KR.c.grade.is_(None))
    if kind == "smart_goal":
        return _no_value(_SG, today)
    return sa.false()


class _Statements:
    """The statements :func:`load_team` runs, built once per way of passing a list of ids.

    SQLAlchemy then reuses each statement's compiled form. On PostgreSQL a list goes as one array
    parameter (``id = ANY(:ids)``): the statement's text is then the same for any number of ids, so it
    is neither re-rendered with one placeholder per id nor re-parsed by the server (psycopg prepares
    it); elsewhere as an expanding ``IN (...)`` list. Ids a statement gathers itself are looked up the
    same way on PostgreSQL, as ``id = ANY(ARRAY(SELECT ...))``: joined to a subquery instead, the
    planner (which cannot know how few ids it will gather) hashes whole tables rather than look a few
    rows up by key."""

    def __init__(self, array: bool) -> None:
        def within(col: sa.ColumnElement, ids: sa.Select) -> sa.ColumnElement[bool]:
            return col == sa.any_(sa.func.array(ids.scalar_subquery())) if array else col.in_(ids)

        def among(col: sa.ColumnElement, name: str) -> sa.ColumnElement[bool]:
            if array:  # hidden from the planner as gathered ids: told of 500, it scans the table
                return within(col, sa.select(sa.func.unnest(sa.bindparam(name, type_=postgresql.ARRAY(sa.String)))))
            return col.in_(sa.bindparam(name, expanding=True))

        team = sa.bindparam("team", type_=sa.Text)
        today = sa.bindparam("today", type_=sa.Date)
        role = {r: _literal(r).label("role") for r in ROLES}
        targets = sa.select(links.c.target).where(among(links.c.source, "up"))
        # the link half of scoring.counts_toward_progress, in SQL (the store sits below scoring)
        contributors = sa.select(links.c.source).where(among(links.c.target, "rolling"),
                                                       links.c.kind.in_(PROGRESS_LINK_KINDS))
        found = sa.union(  # (role, id) of what this level finds: ids of no goal are found, and read as nothing
            *(sa.select(role["own"], CODECS[k].table.c.id).where(CODECS[k].table.c.team == team) for k in TEAM_KINDS),
            sa.select(role["own"], _KR.c.id).join(_OBJ, _OBJ.c.id == _KR.c.objective_id).where(_OBJ.c.team == team),
            sa.select(role["up"], targets.subquery().c.target),
            sa.select(role["up"], _KR.c.objective_id).where(within(_KR.c.id, targets)),  # a key result's objective
            sa.select(role["kr"], _KR.c.id).where(among(_KR.c.objective_id, "kr_of")),
            sa.select(role["down"], contributors.subquery().c.source),
            sa.select(role["parent"], _KR.c.objective_id).where(within(_KR.c.id, contributors)),
            sa.select(role["kpi"], links.c.source).join(_KPI, _KPI.c.id == links.c.source)
            .where(among(links.c.target, "shown")),
        ).cte("found")
        # One statement, two sorts of row: (role, id) for each thing found, and each goal found, once,
        # as (NULL, kind, id, pos, objective of a key result, rolls up, its columns in its kind's block).
        rows = [sa.select(found.c.role, sa.cast(sa.null(), sa.String), found.c.id,
                          *(sa.cast(sa.null(), t) for t in _TYPES[3:])).where(found.c.role.in_(_WALKED))]
        for kind, codec in CODECS.items():
            t = codec.table
            cols: list[sa.ColumnElement[Any]] = [
                sa.cast(sa.null(), sa.String), _literal(kind), t.c.id, t.c.pos,
                t.c.objective_id if kind == "key_result" else sa.cast(sa.null(), sa.Text), _rolls_up(kind, today)]
            slots = {i: t.c[c] for i, c in zip(_PLACES[kind], codec.columns, strict=True)}
            cols += [slots.get(i, sa.cast(sa.null(), _TYPES[i])) for i in range(len(cols), len(_TYPES))]
            rows.append(sa.select(*cols).where(within(t.c.id, sa.select(found.c.id))))
        self.level = sa.union_all(*rows)
        self.links = sa.select(*_LINK_COLUMNS).where(among(links.c.source, "ids"))
        self.check_ins = sa.select(*_CHECK_IN_COLUMNS).where(among(check_ins.c.target_id, "ids"))
        self.comments = sa.select(comments.c.id, *(comments.c[f] for f in COMMENT_FIELDS)) \
            .where(among(comments.c.target_id, "ids"))
        self.settings = sa.select(meta.c.key, meta.c.value).where(meta.c.key.in_(("organisation", "fiscal_year_start")))


_STATEMENTS = {array: _Statements(array) for array in (False, True)}


def _statements(conn: sa.Connection) -> _Statements:
    return _STATEMENTS[conn.dialect.name == "postgresql"]


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


class _Walk:
    """The goals read so far and where the walk stands."""

    def __init__(self, conn: sa.Connection, today: date | None) -> None:
        self.conn = conn
        self.q = _statements(conn)
        self.today = today or date.max  # no day: every check-in counts as dated
        self.goals: dict[str, tuple[str, int, Goal]] = {}  # id -> (kind, pos, goal)
        self.rolls: dict[str, bool] = {}  # id -> whether its score rolls up on the day
        self.key_results: dict[str, list[str]] = {}  # objective -> its key results read
        self.shown: set[str] = set()
        self.up_done: set[str] = set()  # goals whose links upward were asked for
        self.down_done: set[str] = set()  # goals walked downward
        self.kpis_done: set[str] = set()  # shown goals whose linked KPIs were asked for

    def run(self, team: str) -> None:
        """Walk from ``team``'s goals, one statement per level, until there is nothing left to follow."""
        lists = self._follow(self._level(team, {}))
        while any(lists.values()):
            lists = self._follow(self._level(None, lists))

    def _level(self, team: str | None, lists: dict[str, set[str]]) -> list[sa.Row]:
        """One level's rows: one statement, or one per list chunk for a level too wide for one."""
        params: dict[str, Any] = {"team": team, "today": self.today, **{name: [] for name in _LISTS}}
        if sum(map(len, lists.values())) <= CHUNK:
            return self.conn.execute(self.q.level, {**params, **{n: sorted(v) for n, v in lists.items()}}).all()
        return [row for name, ids in lists.items() for chunk in _chunks(ids)
                for row in self.conn.execute(self.q.level, {**params, name: chunk}).all()]

    def _follow(self, rows: list[sa.Row]) -> dict[str, set[str]]:
        """Take in a level's rows; the lists the next level asks with."""
        found: list[tuple[str, str]] = []
        for row in rows:
            gid = row[2]
            if row[0] is not None:
                found.append((row[0], gid))
            elif gid not in self.goals:
                kind = row[1]
                goal = CODECS[kind].from_values(_PICK[kind](row))
                self.goals[gid] = (kind, row[3], goal)
                # checkpoints are JSON text in the store: whether there are any is read from the goal
                self.rolls[gid] = bool(row[5]) and not (isinstance(goal, KeyResult) and goal.direction == "milestone"
                                                        and goal.checkpoints)
                if kind == "key_result":
                    self.key_results.setdefault(row[4], []).append(gid)
        up: set[str] = set()
        down: set[str] = set()
        for role, gid in found:
            if gid not in self.goals:  # a link to no goal
                continue
            if role in ("own", "up"):
                up.add(gid)
            else:
                down.add(gid)
        new_shown = up - self.shown
        self.shown |= new_shown
        self.shown.update(kr for o in new_shown for kr in self.key_results.get(o, ()))
        self.shown.update(kr for kr in down if self.goals[kr][0] == "key_result"
                          and self.goals[kr][2].objective_id in self.shown)
        down |= up
        up -= self.up_done
        self.up_done |= up
        down -= self.down_done
        self.down_done |= down
        lists = {"up": up, "kr_of": {i for i in down if self.goals[i][0] == "objective"},
                 "rolling": {i for i in down if self.rolls[i]}, "shown": self.shown - self.kpis_done}
        self.kpis_done |= lists["shown"]
        return lists


def load_team(conn: sa.Connection, team: str, today: date | None = None) -> Goalbook:
    """The part of the store a page for ``team`` shows, scored as of ``today`` (see the module docstring).

    ``today=None`` reads as if every check-in were already dated, which is right for any day on or
    after the latest check-in."""
    walk = _Walk(conn, today)
    walk.run(team)
    return _book(conn, walk)


def _book(conn: sa.Connection, walk: _Walk) -> Goalbook:
    q = walk.q
    ids = set(walk.goals)
    settings = dict(conn.execute(q.settings).all())
    lks: list[tuple[int, Link]] = []
    checks: list[tuple[int, CheckIn]] = []
    notes = []
    for chunk in _chunks(ids):  # one chunk unless the part is very large
        lks += [(r[0], Link(*r[1:])) for r in conn.execute(q.links, {"ids": chunk}).all()]
        checks += [(r[0], CheckIn(*r[1:])) for r in conn.execute(q.check_ins, {"ids": chunk}).all()]
        notes += [(r[0], comment_from_values(tuple(r[1:]))) for r in conn.execute(q.comments, {"ids": chunk}).all()]
    lks = [r for r in lks if r[1].target in ids]
    for rows in (lks, checks, notes):  # in the order they were recorded, as the whole store reads them
        rows.sort(key=lambda r: r[0])
    by_kind: dict[str, list[tuple[int, str, Goal]]] = {}
    for gid, (kind, pos, goal) in walk.goals.items():
        by_kind.setdefault(kind, []).append((pos, gid, goal))
    ordered = {kind: [g for _, _, g in sorted(rows, key=lambda r: (r[0], r[1]))] for kind, rows in by_kind.items()}
    krs: dict[str | None, list[KeyResult]] = {}
    for kr in ordered.get("key_result", []):
        krs.setdefault(kr.objective_id, []).append(kr)
    objectives = ordered.get("objective", [])
    for o in objectives:
        o.key_results = krs.get(o.id, [])
    return Goalbook(organisation=settings.get("organisation") or "",
                    fiscal_year_start=int(settings.get("fiscal_year_start") or 1),
                    objectives=objectives, smart_goals=ordered.get("smart_goal", []), kpis=ordered.get("kpi", []),
                    initiatives=ordered.get("initiative", []), links=[lk for _, lk in lks],
                    check_ins=[c for _, c in checks], comments=[c for _, c in notes])


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
