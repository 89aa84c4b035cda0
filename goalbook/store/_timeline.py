"""Reading the event log back: the goals alive at an instant, whole goalbooks, field-level changes.

Pure helpers over rows already fetched, plus the few queries that replay the log. Instants are
naive UTC ``datetime`` values, as stored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from goalbook.model import CheckIn, Comment, Goal, Goalbook, Link
from goalbook.store._schema import (
    CHECK_IN_FIELDS,
    CODECS,
    COMMENT_FIELDS,
    check_ins,
    comments,
    events,
    goal_from_row,
    row_from_snapshot,
)

TOP_LEVEL = (("objective", "objectives"), ("smart_goal", "smart_goals"), ("kpi", "kpis"),
             ("initiative", "initiatives"))


def utc_now() -> datetime:
    """Now, as the store writes it: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_instant(when: date | datetime | str, *, end_of_day: bool) -> datetime:
    """A stored instant from what a person passes: a date means the start (or end) of that local day,
    a naive datetime is local time, an aware one is converted."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when) if ("T" in when or " " in when.strip()) else date.fromisoformat(when)
        except ValueError:
            raise ValueError(f"{when!r} is not a date (2027-01-08) or a date and time (2027-01-08T10:00)") from None
    if not isinstance(when, datetime):
        day = when + timedelta(days=1) if end_of_day else when
        when = datetime.combine(day, time())
        if end_of_day:
            when -= timedelta(microseconds=1)
    aware = when if when.tzinfo else when.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


def as_utc(at: datetime) -> datetime:
    """A stored naive-UTC instant as an aware one."""
    return at.replace(tzinfo=UTC)


def local_time(at: datetime) -> str:
    """A stored instant as a person reads it: ``10:02`` today, else ``2027-01-08 10:02``."""
    local = as_utc(at).astimezone()
    return local.strftime("%H:%M") if local.date() == datetime.now().date() else local.strftime("%Y-%m-%d %H:%M")


def field_changes(kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, tuple]:
    """Model fields that differ between two rows of one goal, as ``{field: (before, after)}``."""
    if before is None or after is None:
        return {}
    cls = CODECS[kind].cls
    a, b = goal_from_row(kind, before), goal_from_row(kind, after)
    out = {}
    for f in fields(cls):
        if f.name == "key_results":
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x != y:
            out[f.name] = (x, y)
    return out


class State:
    """The goals alive at one instant: ``rows[id] = (kind, row)``, plus who last changed (or deleted) each."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, dict[str, Any]]] = {}
        self.last: dict[str, tuple[str | None, datetime]] = {}

    def goal(self, gid: str) -> Goal:
        """The goal with this id; an objective with its key results in order."""
        kind, row = self.rows[gid]
        goal = goal_from_row(kind, row)
        if kind == "objective":
            krs = sorted((r for k, r in self.rows.values() if k == "key_result" and r.get("objective_id") == gid),
                         key=lambda r: (r["pos"], r["id"]))
            goal.key_results = [goal_from_row("key_result", r) for r in krs]
        return goal


def state_at(conn: sa.Connection, at: datetime | None) -> State:
    """Every goal alive at ``at`` (``None``: now), from the latest snapshot of each."""
    cond = events.c.version.is_not(None)
    if at is not None:
        cond = sa.and_(cond, events.c.at <= at)
    last = sa.select(sa.func.max(events.c.seq).label("seq")).where(cond).group_by(events.c.entity_id).subquery()
    q = (sa.select(events.c.entity_id, events.c.entity_kind, events.c.kind, events.c.data, events.c.author,
                   events.c.at)
         .join(last, events.c.seq == last.c.seq))
    state = State()
    for gid, kind, change, data, author, when in conn.execute(q):
        state.last[gid] = (author, when)  # deleted goals too: who removed them, and when
        if change != "delete":
            state.rows[gid] = (kind, row_from_snapshot(kind, data))
    return state


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """A link as one event left it (or ended it): who recorded that event, and when (naive UTC, as stored)."""

    link: Link
    by: str | None
    at: datetime


def _link_log(conn: sa.Connection, until: datetime | None) -> Iterator[tuple[str, Link, str | None, datetime]]:
    """Every link and unlink event up to ``until`` (``None``: all), oldest first: one query, read once."""
    cond = events.c.kind.in_(("link", "unlink"))
    if until is not None:
        cond = sa.and_(cond, events.c.at <= until)
    q = sa.select(events.c.kind, events.c.data, events.c.author, events.c.at).where(cond).order_by(events.c.seq)
    for change, data, author, when in conn.execute(q):
        d = json.loads(data)
        yield change, Link(d["source"], d["target"], d["kind"], d["weight"]), author, when


def link_events_after(conn: sa.Connection, after: datetime) -> list[tuple[str, LinkEvent]]:
    """Every link (``"link"``) and unlink (``"unlink"``) event after ``after``, oldest first, each with who
    and when: what people did to links, which the net change since ``after`` may cancel out."""
    q = (sa.select(events.c.kind, events.c.data, events.c.author, events.c.at)
         .where(events.c.kind.in_(("link", "unlink")), events.c.at > after).order_by(events.c.seq))
    out = []
    for change, data, author, when in conn.execute(q):
        d = json.loads(data)
        out.append((change, LinkEvent(Link(d["source"], d["target"], d["kind"], d["weight"]), author, when)))
    return out


def links_at(conn: sa.Connection, at: datetime | None) -> dict[tuple[str, str], LinkEvent]:
    """The links that stood at ``at``, each with the event that set it, replayed from link and unlink events."""
    out: dict[tuple[str, str], LinkEvent] = {}
    for change, link, author, when in _link_log(conn, at):
        key = (link.source, link.target)
        if change == "link":
            out[key] = LinkEvent(link, author, when)
        else:
            out.pop(key, None)
    return out


def link_changes(conn: sa.Connection, since: datetime) -> tuple[list[LinkEvent], list[LinkEvent]]:
    """Links added and removed after ``since``, from one pass over the link log.

    An added link comes with the event that set it as it stands now. A removed link (gone, or now of
    another kind or weight) comes with the first event after ``since`` that left its pair different
    from how it stood: the person who took it away, not whoever touched the pair last.
    """
    then: dict[tuple[str, str], LinkEvent] = {}
    now: dict[tuple[str, str], LinkEvent] = {}
    ended: dict[tuple[str, str], tuple[str | None, datetime]] = {}
    for change, link, author, when in _link_log(conn, None):
        key = (link.source, link.target)
        for state in (now, then) if when <= since else (now,):
            if change == "link":
                state[key] = LinkEvent(link, author, when)
            else:
                state.pop(key, None)
        if when > since and key in then and key not in ended:
            standing = now.get(key)
            if standing is None or standing.link != then[key].link:
                ended[key] = (author, when)
    added = [ev for key, ev in now.items() if key not in then or then[key].link != ev.link]
    removed = [LinkEvent(ev.link, *ended[key]) for key, ev in then.items()
               if key not in now or now[key].link != ev.link]
    return added, removed


def settings_at(conn: sa.Connection, at: datetime) -> dict[str, Any]:
    """Organisation name and fiscal-year start as they were at ``at``."""
    q = (sa.select(events.c.data).where(events.c.kind == "settings", events.c.at <= at)
         .order_by(events.c.seq.desc()).limit(1))
    data = conn.execute(q).scalar()
    return json.loads(data) if data else {"organisation": "", "fiscal_year_start": 1}


def _check_ins_query(after: datetime | None, until: datetime | None, *extra: sa.Column) -> sa.Select:
    """Check-ins recorded in ``(after, until]`` in the order recorded: the model's fields, then ``extra``."""
    q = sa.select(*(check_ins.c[f] for f in CHECK_IN_FIELDS), *extra).order_by(check_ins.c.id)
    if after is not None:
        q = q.where(check_ins.c.recorded_at > after)
    if until is not None:
        q = q.where(check_ins.c.recorded_at <= until)
    return q


def check_ins_between(conn: sa.Connection, after: datetime | None, until: datetime | None) -> list[CheckIn]:
    """Check-ins recorded in ``(after, until]``, in the order they were recorded."""
    return [CheckIn(*r) for r in conn.execute(_check_ins_query(after, until))]


def check_ins_recorded_between(conn: sa.Connection, after: datetime | None,
                               until: datetime | None) -> list[tuple[CheckIn, str | None, datetime]]:
    """Check-ins recorded in ``(after, until]``, each with who recorded it and when (naive UTC, as
    stored), from the same single query: a review lists when each arrived, not only the day it is about."""
    q = _check_ins_query(after, until, check_ins.c.recorded_by, check_ins.c.recorded_at)
    return [(CheckIn(*r[:-2]), r[-2], r[-1]) for r in conn.execute(q)]


def comments_between(conn: sa.Connection, after: datetime | None, until: datetime | None) -> list[Comment]:
    """Comments recorded in ``(after, until]``, in the order they were recorded."""
    q = sa.select(*(comments.c[f] for f in COMMENT_FIELDS)).order_by(comments.c.id)
    if after is not None:
        q = q.where(comments.c.recorded_at > after)
    if until is not None:
        q = q.where(comments.c.recorded_at <= until)
    return [comment_from_values(r) for r in conn.execute(q)]


def comments_recorded_between(conn: sa.Connection, after: datetime | None,
                              until: datetime | None) -> list[tuple[Comment, str | None, datetime]]:
    """Comments recorded in ``(after, until]``, each with who recorded it and when (naive UTC, as stored)."""
    q = (sa.select(*(comments.c[f] for f in COMMENT_FIELDS), comments.c.recorded_by, comments.c.recorded_at)
         .order_by(comments.c.id))
    if after is not None:
        q = q.where(comments.c.recorded_at > after)
    if until is not None:
        q = q.where(comments.c.recorded_at <= until)
    return [(comment_from_values(tuple(r[:-2])), r[-2], r[-1]) for r in conn.execute(q)]


def comment_from_values(values: tuple) -> Comment:
    """A comment from ``(target_id, text, author, at-as-ISO-text, comment_id, reply_to)``."""
    target, text, author, at, cid, reply_to = values
    return Comment(target, text, author, datetime.fromisoformat(at) if at else None, cid, reply_to)


def book_from_state(settings: dict[str, Any], state: State, links: list[Link], checks: list[CheckIn],
                    notes: list[Comment]) -> Goalbook:
    """A whole goalbook from the goals alive in ``state``; check-ins and comments on goals gone are left out."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for kind, row in state.rows.values():
        by_kind[kind].append(row)
    krs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in by_kind["key_result"]:
        krs[row.get("objective_id")].append(row)
    book = Goalbook(organisation=settings.get("organisation") or "",
                    fiscal_year_start=int(settings.get("fiscal_year_start") or 1))
    for kind, attr in TOP_LEVEL:
        goals = []
        for row in sorted(by_kind[kind], key=lambda r: (r["pos"], r["id"])):
            goal = goal_from_row(kind, row)
            if kind == "objective":
                goal.key_results = [goal_from_row("key_result", r)
                                    for r in sorted(krs[row["id"]], key=lambda r: (r["pos"], r["id"]))]
            goals.append(goal)
        setattr(book, attr, goals)
    alive = state.rows.keys()
    book.links = [lk for lk in links if lk.source in alive and lk.target in alive]
    book.check_ins = [c for c in checks if c.target_id in alive]
    book.comments = [c for c in notes if c.target_id in alive]
    book.reindex()
    return book
