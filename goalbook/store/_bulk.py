"""Importing a whole goalbook in one transaction, fast: goals new to the store are written with
``executemany`` in chunks; goals already there go through the same path as ``Store.put``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from goalbook.errors import Problem
from goalbook.model import Approvers, CheckIn, Comment, Goal, Goalbook
from goalbook.store._schema import (
    CHECK_IN_FIELDS,
    CODECS,
    COMMENT_FIELDS,
    check_ins,
    comments,
    entities,
    events,
    links,
    meta,
    snapshot,
)
from goalbook.store.records import ImportSummary


@dataclass(frozen=True)
class Writes:
    """What the bulk import needs from the store it writes into, handed over by ``Store.import_book``:
    the author and the very per-goal writes ``Store.put`` uses (goals already stored go through
    them), so this module never reaches into the Store's private state."""

    author: str
    next_pos: Callable[..., int]
    put_row: Callable[..., tuple[int, str]]
    put_objective: Callable[..., tuple[int, list[str]]]

CHUNK = 10_000
_EVENT_KEYS = ("at", "author", "kind", "entity_id", "entity_kind", "parent", "version", "data", "note")


def duplicate_links(book: Goalbook) -> list[Problem]:
    """Links given twice between the same two goals: the store keeps one link per pair."""
    first: dict[tuple[str, str], int] = {}
    out = []
    for n, lk in enumerate(book.links):
        key = (lk.source, lk.target)
        if key in first:
            out.append(Problem(f"link {lk.source} → {lk.target} is given twice (links #{first[key] + 1} and "
                               f"#{n + 1}); keep one", entity=lk.source, field="link.target", path=("links", n)))
        else:
            first.setdefault(key, n)
    return out


class _Writer:
    """Inserts rows in chunks inside the caller's transaction and reports progress."""

    def __init__(self, conn: sa.Connection, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.conn, self.total, self.progress, self.done = conn, total, progress, 0

    def insert(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._flush(table, chunk)
                chunk = []
        if chunk:
            self._flush(table, chunk)

    def _flush(self, table: sa.Table, chunk: list[dict[str, Any]]) -> None:
        if self.conn.dialect.name == "sqlite":
            self._driver_executemany(table, chunk)
        else:
            self.conn.execute(table.insert(), chunk)
        self.step(len(chunk))

    def _driver_executemany(self, table: sa.Table, chunk: list[dict[str, Any]]) -> None:
        """SQLite: the rows straight to the driver as tuples, in the order of SQLAlchemy's own compiled
        INSERT, each column's values through SQLAlchemy's bind processor (once per distinct value)."""
        dialect = self.conn.dialect
        compiled = table.insert().compile(dialect=dialect, column_keys=list(chunk[0]))
        order = list(compiled.positiontup or ())
        converters = [(i, _Converted(proc)) for i, key in enumerate(order)
                      if (proc := table.c[key].type.dialect_impl(dialect).bind_processor(dialect))]
        get = itemgetter(*order)
        if len(order) == 1:
            rows: list[Any] = [(get(r),) for r in chunk]
        else:
            rows = [get(r) for r in chunk]
        if converters:
            for n, values in enumerate(rows):
                values = list(values)
                for i, convert in converters:
                    values[i] = convert[values[i]]
                rows[n] = values
        cursor = self.conn.connection.cursor()
        try:
            cursor.executemany(str(compiled), rows)
        finally:
            cursor.close()

    def check_ins(self, items: list[CheckIn], now: datetime, author: str) -> None:
        """Append check-ins. On SQLite, half a million of them go straight to the driver's
        ``executemany`` as tuples, each distinct date converted once by SQLAlchemy's own processor."""
        if self.conn.dialect.name != "sqlite":
            self.insert(check_ins, _check_in_rows(items, now, author))
            return
        keys = [*CHECK_IN_FIELDS, "recorded_at", "recorded_by"]
        compiled = check_ins.insert().compile(dialect=self.conn.dialect, column_keys=keys)
        assert list(compiled.positiontup or ()) == keys
        dialect = self.conn.dialect
        day = _Converted(check_ins.c.date.type.dialect_impl(dialect).bind_processor(dialect))
        at = _Converted(check_ins.c.recorded_at.type.dialect_impl(dialect).bind_processor(dialect))[now]
        cursor = self.conn.connection.cursor()
        try:
            for i in range(0, len(items), CHUNK):
                cursor.executemany(str(compiled), [(c.target_id, day[c.date], c.value, c.confidence, c.status, c.wins,
                                                    c.blockers, c.author, at, author) for c in items[i:i + CHUNK]])
                self.step(min(CHUNK, len(items) - i))
        finally:
            cursor.close()

    def step(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


class _Converted(dict):
    """Each distinct value passed through ``convert`` once."""

    def __init__(self, convert: Callable[[Any], Any] | None) -> None:
        super().__init__()
        self.convert = convert or (lambda v: v)

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.convert(key)
        return value


def _event(now: datetime, author: str, change: str, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(_EVENT_KEYS)
    row.update(at=now, author=author, kind=change, **values)
    return row


def write_approvers(conn: sa.Connection, approvers: Approvers) -> None:
    """Keep who approves what in the store's settings (``goalbook_meta``), as JSON."""
    value = json.dumps({"levels": approvers.levels, "teams": approvers.teams}, sort_keys=True)
    if conn.execute(sa.select(meta.c.value).where(meta.c.key == "approvers")).first() is None:
        conn.execute(meta.insert(), {"key": "approvers", "value": value})
    else:
        conn.execute(meta.update().where(meta.c.key == "approvers").values(value=value))


def read_approvers(settings: dict[str, Any]) -> Approvers:
    """The approvers kept in the store's settings (none when never set)."""
    data = json.loads(settings.get("approvers") or "{}")
    return Approvers(levels=data.get("levels", {}), teams=data.get("teams", {}))


def _update_settings(store: Writes, conn: sa.Connection, book: Goalbook, now: datetime) -> None:
    cur = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
    org = book.organisation or cur.get("organisation") or ""
    fys = int(book.fiscal_year_start or 1)
    if book.approvers:
        write_approvers(conn, book.approvers)
    if (org, str(fys)) == (cur.get("organisation"), cur.get("fiscal_year_start")):
        return
    for key, value in (("organisation", org), ("fiscal_year_start", str(fys))):
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))
    conn.execute(events.insert(), _event(now, store.author, "settings",
                                         data=json.dumps({"organisation": org, "fiscal_year_start": fys})))


def _new_goal_rows(store: Writes, conn: sa.Connection, fresh: list[tuple[str, Goal]], now: datetime
                   ) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for goals the store has never seen: per-kind table rows, entity rows, create events."""
    tables: dict[str, list[dict[str, Any]]] = {kind: [] for kind in CODECS}
    ents: list[dict[str, Any]] = []
    evs: list[dict[str, Any]] = []
    pos = {kind: store.next_pos(conn, CODECS[kind], {}) for kind in CODECS if kind != "key_result"}

    def add(kind: str, row: dict[str, Any], parent: str | None) -> None:
        tables[kind].append(row)
        ents.append({"id": row["id"], "kind": kind, "version": 1, "deleted": False, "changed_at": now,
                     "changed_by": store.author})
        evs.append(_event(now, store.author, "create", entity_id=row["id"], entity_kind=kind, parent=parent,
                          version=1, data=snapshot(row)))

    for kind, goal in fresh:
        row = CODECS[kind].to_row(goal)
        row["pos"] = pos[kind]
        pos[kind] += 1
        add(kind, row, None)
        for i, kr in enumerate(getattr(goal, "key_results", ()) if kind == "objective" else ()):
            kr_row = CODECS["key_result"].to_row(kr)
            kr_row["objective_id"], kr_row["pos"] = goal.id, i
            add("key_result", kr_row, goal.id)
    return tables, ents, evs


def _missing_only(items: list, existing: Counter, key: Callable[[Any], tuple]) -> list:
    """The items not already stored, counting duplicates: a file imported twice adds nothing."""
    out = []
    for item in items:
        k = key(item)
        if existing[k] > 0:
            existing[k] -= 1
        else:
            out.append(item)
    return out


def _check_in_key(c: CheckIn) -> tuple:
    return tuple(getattr(c, f) for f in CHECK_IN_FIELDS)


def _comment_key(c: Comment) -> tuple:
    return c.target_id, c.text, c.author, c.at.isoformat() if c.at else None


def _check_in_rows(items: list[CheckIn], now: datetime, author: str) -> Iterator[dict[str, Any]]:
    for c in items:
        yield {"target_id": c.target_id, "date": c.date, "value": c.value, "confidence": c.confidence,
               "status": c.status, "wins": c.wins, "blockers": c.blockers, "author": c.author,
               "recorded_at": now, "recorded_by": author}


def _comment_rows(items: list[Comment], now: datetime, author: str) -> Iterator[dict[str, Any]]:
    for c in items:
        yield {"target_id": c.target_id, "text": c.text, "author": c.author,
               "at": c.at.isoformat() if c.at else None, "recorded_at": now, "recorded_by": author,
               "comment_id": c.id, "reply_to": c.reply_to}


def import_into(store: Writes, conn: sa.Connection, book: Goalbook, now: datetime, seen: dict[str, int],
                progress: Callable[[int, int], None] | None) -> ImportSummary:
    """Write ``book`` into the store inside ``conn``'s transaction; see ``Store.import_book``."""
    summary = ImportSummary()
    existing = {r.id for r in conn.execute(sa.select(entities.c.id))}
    _update_settings(store, conn, book, now)

    fresh: list[tuple[str, Goal]] = []
    known: list[tuple[str, Goal]] = []
    for kind, attr in (("objective", "objectives"), ("smart_goal", "smart_goals"), ("kpi", "kpis"),
                       ("initiative", "initiatives")):
        for goal in getattr(book, attr):
            ids = [goal.id, *(kr.id for kr in getattr(goal, "key_results", ()))] if kind == "objective" else [goal.id]
            (known if any(i in existing for i in ids) else fresh).append((kind, goal))

    old_links = {(r.source, r.target): r for r in conn.execute(sa.select(links))}
    new_links = [lk for lk in book.links if (lk.source, lk.target) not in old_links]
    moved_links = [lk for lk in book.links if (lk.source, lk.target) in old_links
                   and (old_links[lk.source, lk.target].kind, old_links[lk.source, lk.target].weight)
                   != (lk.kind, lk.weight)]

    if conn.execute(sa.select(check_ins.c.id).limit(1)).first() is None:
        new_check_ins = book.check_ins
    else:
        stored = Counter(tuple(r) for r in conn.execute(sa.select(*(check_ins.c[f] for f in CHECK_IN_FIELDS))))
        new_check_ins = _missing_only(book.check_ins, stored, _check_in_key)
    stored_notes = Counter((r[0], r[1], r[2], r[3]) for r in
                           conn.execute(sa.select(*(comments.c[f] for f in COMMENT_FIELDS))))
    new_comments = _missing_only(book.comments, stored_notes, _comment_key)

    tables, ents, evs = _new_goal_rows(store, conn, fresh, now)
    total = 2 * len(ents) + len(evs) + len(known) + 2 * len(new_links) + len(moved_links) \
        + len(new_check_ins) + len(new_comments)
    out = _Writer(conn, total, progress)
    out.insert(entities, ents)
    for kind, rows in tables.items():
        out.insert(CODECS[kind].table, rows)
    out.insert(events, evs)
    summary.created += len(ents)
    for gid in (e["id"] for e in ents):
        seen[gid] = 1

    for kind, goal in known:
        if kind == "objective":
            _, changes = store.put_objective(conn, goal, None, now, seen, force=True)  # type: ignore[arg-type]
        else:
            version, change = store.put_row(conn, CODECS[kind], CODECS[kind].to_row(goal), None, now, force=True)
            seen[goal.id] = version
            changes = [change]
        summary.created += changes.count("create")
        summary.updated += changes.count("update")
        summary.unchanged += changes.count("unchanged")
        out.step(1)

    link_values = [{"source": lk.source, "target": lk.target, "kind": lk.kind, "weight": lk.weight}
                   for lk in new_links]
    out.insert(links, link_values)
    for lk in moved_links:
        conn.execute(links.update().where(links.c.id == old_links[lk.source, lk.target].id)
                     .values(kind=lk.kind, weight=lk.weight))
        link_values.append({"source": lk.source, "target": lk.target, "kind": lk.kind, "weight": lk.weight})
    out.insert(events, (_event(now, store.author, "link", entity_id=v["source"], data=json.dumps(v))
                        for v in link_values))
    summary.links = len(link_values)

    out.check_ins(new_check_ins, now, store.author)
    summary.check_ins = len(new_check_ins)
    out.insert(comments, _comment_rows(new_comments, now, store.author))
    summary.comments = len(new_comments)
    out.insert(events, _approval_rows(conn, book, now))
    out.insert(events, [_event(now, store.author, "import", data=json.dumps(asdict(summary)))])
    return summary


def _approval_rows(conn: sa.Connection, book: Goalbook, now: datetime) -> Iterator[dict[str, Any]]:
    """The file's approval history as the store's approval events (who, when, why), each step once:
    without them an imported review would lose who asked and when. A step with no time in the file
    is stamped with the import's time."""
    stored = Counter((gid, json.loads(data or "{}").get("approval"), author, at)
                     for gid, data, author, at in conn.execute(
                         sa.select(events.c.entity_id, events.c.data, events.c.author, events.c.at)
                         .where(events.c.kind == "approval")))
    steps = [(a, (a.at or now).replace(tzinfo=None)) for a in book.approvals]
    for a, at in _missing_only(steps, stored, lambda s: (s[0].target_id, s[0].state, s[0].by, s[1])):
        yield _event(at, a.by, "approval", entity_id=a.target_id, data=json.dumps({"approval": a.state}),
                     note=a.reason)
