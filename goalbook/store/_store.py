"""The :class:`Store`: goals in SQLite or PostgreSQL, every change an event, nothing overwritten unseen."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from goalbook import identity
from goalbook.collector import collector_paused
from goalbook.errors import ConflictError, GoalbookError, Problem, ValidationError
from goalbook.model import (
    ENTITY_TYPES,
    ApprovalEvent,
    Approvers,
    CheckIn,
    Comment,
    Goal,
    Goalbook,
    KeyResult,
    Link,
    Objective,
    did_you_mean,
)
from goalbook.store import _authz, _bulk, _roles, _team
from goalbook.store._engine import (
    BUSY_TIMEOUT_S,
    display_url,
    is_busy,
    is_permission_refusal,
    is_readonly_refusal,
    parse_target,
    postgresql_engine,
    sqlite_engine,
)
from goalbook.store._schema import (
    CHECK_IN_FIELDS,
    CODECS,
    COMMENT_FIELDS,
    SCHEMA_VERSION,
    KindCodec,
    check_ins,
    comments,
    entities,
    events,
    goal_from_row,
    links,
    meta,
    metadata,
    row_from_snapshot,
    snapshot,
)
from goalbook.store._timeline import (
    TOP_LEVEL,
    State,
    as_utc,
    book_from_state,
    check_ins_between,
    check_ins_recorded_between,
    comment_from_values,
    comments_between,
    comments_recorded_between,
    field_changes,
    link_changes,
    link_events_after,
    links_at,
    local_time,
    settings_at,
    state_at,
    to_instant,
    utc_now,
)
from goalbook.store.records import Approval, Change, Changes, ImportSummary, Review, RoleAccess, Version

APPROVAL_KINDS = ("objective", "smart_goal")
_PG_SCHEMA_LOCK = 0x60A1B00C  # advisory lock key: one process creates the tables at a time


def default_author() -> str:
    """Who writes when nobody said: the hub user, ``$GOALBOOK_AUTHOR``, git's name or the login name."""
    return identity.current_author()


def _kind_of(goal: Any) -> str:
    for kind, cls in ENTITY_TYPES.items():
        if type(goal) is cls:
            return kind
    raise TypeError(f"a store keeps Objective, KeyResult, SmartGoal, KPI or Initiative, not {type(goal).__name__}")


def _what(kind: str) -> str:
    return {"kpi": "KPI", "smart_goal": "SMART goal"}.get(kind, kind.replace("_", " "))


def _a(kind: str) -> str:
    """``a SMART goal``, ``an objective``."""
    what = _what(kind)
    return f"{'an' if what[0] in 'aeiou' else 'a'} {what}"


def _errors(book: Goalbook, keep: Callable[[Problem], bool]) -> list[Problem]:
    return [p for p in book.validate() if p.severity == "error" and keep(p)]


class _Dates(dict):
    """ISO text -> ``date``, each distinct day parsed once (check-ins share a few hundred days)."""

    def __missing__(self, key: str | None) -> date | None:
        value = self[key] = date.fromisoformat(key) if key is not None else None
        return value


def _all_check_ins(conn: sa.Connection, alive: Container[str]) -> list[CheckIn]:
    """Every check-in on a live goal, in the order recorded. The largest table by far, so it is read
    as the driver's plain tuples, without a result wrapper per row."""
    stmt = sa.select(*(check_ins.c[f] for f in CHECK_IN_FIELDS)).order_by(check_ins.c.id)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(stmt.compile(dialect=conn.dialect)))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if conn.dialect.name == "sqlite":  # dates come back as text there
        day = _Dates()
        return [CheckIn(t, day[d], v, c, s, w, b, a) for t, d, v, c, s, w, b, a in rows if t in alive]
    return [CheckIn(t, d, v, c, s, w, b, a) for t, d, v, c, s, w, b, a in rows if t in alive]


class Store:
    """A goalbook in a database. Open with :func:`goalbook.open`; use as a context manager.

    Writes are optimistic: :meth:`put` and :meth:`delete` compare the version you last read
    (through this store, or passed as ``expected_version``) with the stored one and raise
    :class:`~goalbook.errors.ConflictError` when someone else got there first. Check-ins and
    comments are appended and never conflict.
    """

    def __init__(self, url_or_path: str | os.PathLike, *, readonly: bool = False, author: str | None = None) -> None:
        backend, target = parse_target(url_or_path)
        self.backend = backend
        self.url = display_url(backend, target)
        self.readonly = readonly
        self.author = author or default_author()
        self.engine: sa.Engine = (sqlite_engine(target, readonly) if backend == "sqlite"  # type: ignore[arg-type]
                                  else postgresql_engine(target, readonly))  # type: ignore[arg-type]
        self._seen: dict[str, int] = {}  # id -> the version this store last read or wrote
        try:
            self._prepare()
        except DBAPIError as exc:
            self.engine.dispose()
            raise GoalbookError(f"{self.url}: cannot open the store: {exc.orig}") from exc
        except BaseException:
            self.engine.dispose()
            raise

    def __repr__(self) -> str:
        return f"<goalbook.Store {self.url}{' read-only' if self.readonly else ''}>"

    @functools.cached_property
    def access(self) -> _authz.Access:
        """Who writes and what their hub groups allow them (asked at the first write, see ``_authz``)."""
        return _authz.Access.current(self.author)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    # --- transactions --------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        """One consistent snapshot for several queries."""
        with self.engine.connect() as conn:
            if self.backend == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One transaction that commits whole or not at all; SQLite takes its write lock up front."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(goalbook_write=True)
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            if is_readonly_refusal(exc):
                raise GoalbookError(f"{self.url} is open read-only: the database refused the write") from exc
            if is_permission_refusal(exc):
                raise GoalbookError(f"{self.url}: the database refused the write, nothing was written: "
                                    f"{str(exc.orig).splitlines()[0]}") from exc
            if is_busy(exc):
                raise GoalbookError(f"{self.url} is busy: another process held its write lock for more than "
                                    f"{BUSY_TIMEOUT_S:g} s (a large import?); nothing was written, try again") from exc
            raise

    def _prepare(self) -> None:
        """Check the schema in a read transaction; take the write lock only to create or upgrade it,
        so opening a store never waits behind another process's long import."""
        with self._read() as conn:
            work = self._schema_work(conn)
        if not work:
            return
        if self.readonly:
            work = [w for w in work if " lacks index " not in w]  # reads work without them, only slower
            if not work:
                return
            raise GoalbookError(f"{self.url}: {work[0]}; open the store once writable to create or upgrade it")
        with self._write() as conn:
            if self.backend == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SCHEMA_LOCK})
            if self._schema_work(conn):  # nobody did it while we waited for the lock
                self._make_schema(conn)

    def _schema_work(self, conn: sa.Connection) -> list[str]:
        """What the database lacks for this version of goalbook (nothing: ready); refuses newer stores."""
        insp = sa.inspect(conn)
        if not insp.has_table(meta.name):
            others = insp.get_table_names()
            if self.backend == "sqlite" and others:
                raise GoalbookError(f"{self.url} is an SQLite database of something else "
                                    f"(tables {', '.join(others[:5])}); give a new file for the store")
            return [f"it is not a goalbook store yet (no {meta.name} table)"]
        found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if found is None or int(found) > SCHEMA_VERSION:
            raise GoalbookError(f"{self.url} has store schema version {found}, newer than this goalbook understands "
                                f"({SCHEMA_VERSION}); upgrade goalbook to open it")
        work = []
        for table in metadata.sorted_tables:  # fields added to the model since the store was made
            have = {c["name"] for c in insp.get_columns(table.name)}
            work += [f"table {table.name} lacks column {c.name}" for c in table.columns if c.name not in have]
            have = {i["name"] for i in insp.get_indexes(table.name)}
            work += [f"table {table.name} lacks index {i.name}" for i in table.indexes if i.name not in have]
        return work

    def _make_schema(self, conn: sa.Connection) -> None:
        insp = sa.inspect(conn)
        if not insp.has_table(meta.name):
            metadata.create_all(conn)
            conn.execute(meta.insert(), [{"key": "schema_version", "value": str(SCHEMA_VERSION)},
                                         {"key": "organisation", "value": ""},
                                         {"key": "fiscal_year_start", "value": "1"}])
            return
        prep = conn.dialect.identifier_preparer
        for table in metadata.sorted_tables:
            have = {c["name"] for c in insp.get_columns(table.name)}
            for c in table.columns:
                if c.name not in have:
                    conn.exec_driver_sql(f"ALTER TABLE {prep.format_table(table)} ADD COLUMN "
                                         f"{prep.format_column(c)} {c.type.compile(conn.dialect)}")
            for index in table.indexes:
                index.create(conn, checkfirst=True)

    # --- small look-ups ------------------------------------------------------------------------
    def _entity(self, conn: sa.Connection, gid: str) -> sa.Row | None:
        return conn.execute(sa.select(entities).where(entities.c.id == gid)).first()

    def _row(self, conn: sa.Connection, codec: KindCodec, gid: str) -> dict[str, Any] | None:
        r = conn.execute(sa.select(codec.table).where(codec.table.c.id == gid)).first()
        return dict(r._mapping) if r else None

    def _current(self, conn: sa.Connection, gid: str) -> sa.Row:
        """The entity row of a goal that exists now; else the ``KeyError`` of :meth:`_missing`."""
        cur = self._entity(conn, gid)
        if cur is None or cur.deleted:
            raise self._missing(conn, gid)
        return cur

    def _missing(self, conn: sa.Connection, gid: str) -> KeyError:
        cur = self._entity(conn, gid)
        if cur is not None and cur.deleted:
            return KeyError(f"{gid} was deleted (version {cur.version}) by {cur.changed_by} at "
                            f"{local_time(cur.changed_at)}")
        alive = list(conn.execute(sa.select(entities.c.id).where(entities.c.deleted.is_(False))).scalars())
        return KeyError(f"no goal with id '{gid}'{did_you_mean(gid, alive)}")

    def _conflict(self, gid: str, mine: int | None, cur: sa.Row) -> ConflictError:
        if cur.deleted:
            what = f"{gid} was deleted (version {cur.version}) by {cur.changed_by} at {local_time(cur.changed_at)}"
        else:
            what = f"{gid} changed to version {cur.version} by {cur.changed_by} at {local_time(cur.changed_at)}"
        if mine == 0:
            tail = " while you created it"
        elif mine is None:
            tail = "; you have not read it: load it with store.get() first or pass expected_version"
        else:
            tail = f" while you edited version {mine}"
        if cur.version == 1 and not cur.deleted:
            what = f"{gid} was created (version 1) by {cur.changed_by} at {local_time(cur.changed_at)}"
        err = ConflictError(what + tail)
        err.id, err.your_version, err.current_version = gid, mine, cur.version  # type: ignore[attr-defined]
        err.by, err.at = cur.changed_by, as_utc(cur.changed_at)  # type: ignore[attr-defined]
        return err

    def _event(self, conn: sa.Connection, change: str, now: datetime, **values: Any) -> None:
        conn.execute(events.insert(), {"at": now, "author": self.author, "kind": change, **values})

    def _next_pos(self, conn: sa.Connection, codec: KindCodec, row: dict[str, Any]) -> int:
        q = sa.select(sa.func.coalesce(sa.func.max(codec.table.c.pos), -1) + 1)
        if codec.kind == "key_result":
            q = q.where(codec.table.c.objective_id == row.get("objective_id"))
        return int(conn.execute(q).scalar_one())

    def _bump(self, conn: sa.Connection, gid: str, kind: str, cur: sa.Row, deleted: bool, now: datetime,
              mine: int | None) -> int:
        """Compare-and-set the version; the database serialises racing writers on the row."""
        new = cur.version + 1
        res = conn.execute(entities.update()
                           .where(entities.c.id == gid, entities.c.version == cur.version)
                           .values(version=new, kind=kind, deleted=deleted, changed_at=now, changed_by=self.author))
        if res.rowcount != 1:
            raise self._conflict(gid, mine, self._entity(conn, gid))
        return new

    # --- writing goals -------------------------------------------------------------------------
    def _put_row(self, conn: sa.Connection, codec: KindCodec, row: dict[str, Any], mine: int | None,
                 now: datetime, *, force: bool = False) -> tuple[int, str]:
        """Create or update one goal's row; ``force`` skips the version check (imports)."""
        gid, table = row["id"], codec.table
        parent = row.get("objective_id") if codec.kind == "key_result" else None
        cur = self._entity(conn, gid)
        if cur is None or cur.deleted:
            if cur is not None and mine and mine != cur.version and not force:
                raise self._conflict(gid, mine, cur)
            if cur is None and mine and not force:
                raise ConflictError(f"{gid} is not in the store while you edited version {mine}")
            row.setdefault("pos", self._next_pos(conn, codec, row))
            if cur is None:
                version = 1
                conn.execute(entities.insert(), {"id": gid, "kind": codec.kind, "version": 1, "deleted": False,
                                                 "changed_at": now, "changed_by": self.author})
            else:
                version = self._bump(conn, gid, codec.kind, cur, False, now, mine)
            conn.execute(table.insert(), row)
            self._event(conn, "create", now, entity_id=gid, entity_kind=codec.kind, parent=parent,
                        version=version, data=snapshot(row))
            return version, "create"
        if cur.kind != codec.kind:
            raise ValidationError([Problem(f"id '{gid}' is already used by {_a(cur.kind)} — every id must be "
                                           "unique", entity=gid, field="id")])
        old = self._row(conn, codec, gid)
        assert old is not None
        if "pos" not in row:
            moved = codec.kind == "key_result" and old.get("objective_id") != row.get("objective_id")
            row["pos"] = self._next_pos(conn, codec, row) if moved else old["pos"]
        if not force and (mine is None or mine == 0 or mine != cur.version):
            # also when the row is unchanged: writing back what you read from a stale version would
            # silently take back a colleague's change (or lose an increment made from the same reading)
            raise self._conflict(gid, mine, cur)
        if old == row:
            return cur.version, "unchanged"
        version = self._bump(conn, gid, codec.kind, cur, False, now, mine)
        conn.execute(table.update().where(table.c.id == gid).values(row))
        self._event(conn, "update", now, entity_id=gid, entity_kind=codec.kind, parent=parent,
                    version=version, data=snapshot(row))
        return version, "update"

    def _put_objective(self, conn: sa.Connection, obj: Objective, mine: int | None, now: datetime,
                       seen: dict[str, int], *, force: bool = False,
                       read: Mapping[str, int] | None = None) -> tuple[int, list[str]]:
        """Write an objective and its key results. With ``read`` (the versions the caller read), every key
        result written or dropped is checked against the version in it (absent: it must be new)."""
        codec, kr_codec = CODECS["objective"], CODECS["key_result"]
        version, change = self._put_row(conn, codec, codec.to_row(obj), mine, now, force=force)
        seen[obj.id] = version
        changes = [change]
        kr_ids = {kr.id for kr in obj.key_results}
        had = conn.execute(sa.select(kr_codec.table.c.id).where(kr_codec.table.c.objective_id == obj.id)).scalars()
        for gone in sorted(set(had) - kr_ids):
            seen[gone] = self._delete_one(conn, gone, None if force or read is None else read.get(gone, 0), now)
            changes.append("delete")
        for i, kr in enumerate(obj.key_results):
            row = kr_codec.to_row(kr)
            row["objective_id"], row["pos"] = obj.id, i
            known = self._seen.get(kr.id) if read is None else read.get(kr.id, 0)
            v, c = self._put_row(conn, kr_codec, row, known, now, force=force or known is None)
            seen[kr.id] = v
            changes.append(c)
        return version, changes

    def _delete_one(self, conn: sa.Connection, gid: str, mine: int | None, now: datetime) -> int:
        cur = self._current(conn, gid)
        if mine is not None and mine != cur.version:
            raise self._conflict(gid, mine, cur)
        codec = CODECS[cur.kind]
        old = self._row(conn, codec, gid)
        version = self._bump(conn, gid, cur.kind, cur, True, now, mine)
        conn.execute(codec.table.delete().where(codec.table.c.id == gid))
        self._event(conn, "delete", now, entity_id=gid, entity_kind=cur.kind,
                    parent=old.get("objective_id") if old and cur.kind == "key_result" else None,
                    version=version, data=snapshot(old or {"id": gid}))
        if cur.kind == "objective":
            krs = CODECS["key_result"].table
            for kr_id in conn.execute(sa.select(krs.c.id).where(krs.c.objective_id == gid)).scalars().all():
                self._delete_one(conn, kr_id, None, now)
        touching = conn.execute(sa.select(links).where(sa.or_(links.c.source == gid, links.c.target == gid))).all()
        for lk in touching:
            conn.execute(links.delete().where(links.c.id == lk.id))
            self._event(conn, "unlink", now, entity_id=lk.source,
                        data=json.dumps({"source": lk.source, "target": lk.target, "kind": lk.kind,
                                         "weight": lk.weight}))
        return version

    def _goals_in(self, conn: sa.Connection, ids: list[str]) -> Goalbook:
        """A small goalbook holding the live goals among ``ids`` (key results inside their objective)."""
        book = Goalbook()
        objectives: dict[str, Objective] = {}
        for gid in dict.fromkeys(ids):
            cur = self._entity(conn, gid)
            if cur is None or cur.deleted:
                continue
            row = self._row(conn, CODECS[cur.kind], gid)
            goal = goal_from_row(cur.kind, row)
            if cur.kind == "key_result":
                oid = row["objective_id"]
                if oid not in objectives:
                    orow = self._row(conn, CODECS["objective"], oid)
                    objectives[oid] = goal_from_row("objective", orow) if orow else Objective(oid, oid)
                objectives[oid].key_results.append(goal)
            elif cur.kind == "objective":
                objectives.setdefault(gid, goal)
            else:
                getattr(book, dict(TOP_LEVEL)[cur.kind]).append(goal)
        book.objectives = list(objectives.values())
        return book

    def _validate_goal(self, conn: sa.Connection, goal: Goal, kind: str) -> None:
        if kind == "key_result":
            if not goal.objective_id:
                raise ValidationError([Problem(f"key result {goal.id}: say which objective it belongs to "
                                               "(objective_id)", entity=goal.id, field="objective_id")])
            orow = self._row(conn, CODECS["objective"], goal.objective_id)
            if orow is None:
                raise ValidationError([Problem(f"key result {goal.id}: objective '{goal.objective_id}' does not exist",
                                               entity=goal.id, field="objective_id")])
            obj = goal_from_row("objective", orow)
            obj.key_results = [goal]
            book = Goalbook(objectives=[obj])
            ids = {goal.id}
        else:
            book = Goalbook(**{dict(TOP_LEVEL)[kind]: [goal]})
            ids = {goal.id, *(kr.id for kr in getattr(goal, "key_results", ()))}
        problems = _errors(book, lambda p: p.entity in ids or p.entity is None)
        if problems:
            raise ValidationError(problems, f"{_what(kind)} {goal.id} not saved: {len(problems)} problem(s)")

    def put(self, goal: Goal, *, expected_version: int | None = None,
            expected_versions: Mapping[str, int] | None = None) -> int:
        """Create or update a goal (an objective with its key results) and return its new version.

        Without ``expected_version`` the version this store last read is expected; ``0`` means
        "create only". ``expected_versions`` (id -> version, as :meth:`versions` gave them when you
        read the goal) checks each key result against what *you* read, not against this store's last
        read, which any other reader sharing the store refreshes; a key result missing from it must be
        new. Writing back an unchanged goal from a stale version is a conflict too. Raises
        ``ConflictError`` when a stored version differs, ``ValidationError`` (nothing written) when
        the goal breaks the model's rules.
        """
        kind = _kind_of(goal)
        if expected_version is None and expected_versions is not None and goal.id in expected_versions:
            expected_version = expected_versions[goal.id]
        mine = expected_version if expected_version is not None else self._seen.get(goal.id)
        seen: dict[str, int] = {}
        now = utc_now()
        try:
            with self._write() as conn:
                self._validate_goal(conn, goal, kind)
                _authz.check_put(self, conn, goal)
                if kind == "objective":
                    version, _ = self._put_objective(conn, goal, mine, now, seen,  # type: ignore[arg-type]
                                                     read=expected_versions)
                else:
                    codec = CODECS[kind]
                    version, _ = self._put_row(conn, codec, codec.to_row(goal), mine, now)
                    seen[goal.id] = version
        except IntegrityError as exc:  # two writers created the same id at once
            with self._read() as conn:
                cur = self._entity(conn, goal.id)
            if cur is None:
                raise
            raise self._conflict(goal.id, 0 if mine is None else mine, cur) from exc
        self._seen.update(seen)
        return version

    def delete(self, id: str, *, expected_version: int | None = None) -> int:
        """Delete a goal (an objective with its key results, and every link to or from it).

        Checks the version you last read, or ``expected_version``; returns the version of the
        deletion. History keeps every earlier version.
        """
        mine = expected_version if expected_version is not None else self._seen.get(id)
        with self._write() as conn:
            _authz.check_goal(self, conn, id, _authz.EDIT, f"deletion of {id}")
            version = self._delete_one(conn, id, mine, utc_now())
        self._seen[id] = version
        return version

    # --- reading goals -------------------------------------------------------------------------
    def get(self, id: str) -> Goal:
        """The goal with this id as it is now (``KeyError`` naming the closest id when there is none)."""
        with self._read() as conn:
            cur = self._current(conn, id)
            goal = goal_from_row(cur.kind, self._row(conn, CODECS[cur.kind], id))
            self._seen[id] = cur.version
            if cur.kind == "objective":
                krs = CODECS["key_result"]
                q = (sa.select(entities.c.version, *(krs.table.c[c] for c in krs.columns))
                     .join(entities, entities.c.id == krs.table.c.id)
                     .where(krs.table.c.objective_id == id).order_by(krs.table.c.pos, krs.table.c.id))
                for r in conn.execute(q):
                    kr = krs.from_values(tuple(r[1:]))
                    self._seen[kr.id] = r[0]
                    goal.key_results.append(kr)
        return goal

    def version(self, id: str) -> int:
        """The current version of a goal."""
        with self._read() as conn:
            cur = self._current(conn, id)
            return int(cur.version)

    def versions(self, id: str) -> dict[str, int]:
        """The current version of a goal and, for an objective, of each of its key results, read at once:
        what an editor keeps to pass to :meth:`put` as ``expected_versions``."""
        with self._read() as conn:
            found = {id: int(self._current(conn, id).version)}
            krs = CODECS["key_result"].table
            q = (sa.select(entities.c.id, entities.c.version).join(krs, krs.c.id == entities.c.id)
                 .where(krs.c.objective_id == id))
            found.update({gid: int(v) for gid, v in conn.execute(q)})
        return found

    def load(self, as_of: date | datetime | str | None = None) -> Goalbook:
        """The whole goalbook now, or as it stood at ``as_of`` (a date means the end of that day)."""
        if as_of is not None:
            return self.as_of(as_of)
        with collector_paused(), self._read() as conn:
            settings = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
            versions = dict(conn.execute(sa.select(entities.c.id, entities.c.version)
                                         .where(entities.c.deleted.is_(False))).all())
            goals: dict[str, list] = {}
            for kind, codec in CODECS.items():
                q = sa.select(*(codec.table.c[c] for c in codec.columns)).order_by(codec.table.c.pos, codec.table.c.id)
                make = codec.from_values
                goals[kind] = [make(r) for r in conn.execute(q)]
            lks = [Link(*r) for r in conn.execute(sa.select(links.c.source, links.c.target, links.c.kind,
                                                            links.c.weight).order_by(links.c.id))]
            cis = _all_check_ins(conn, versions)
            notes = [comment_from_values(r) for r in conn.execute(
                sa.select(*(comments.c[f] for f in COMMENT_FIELDS)).order_by(comments.c.id))]
            steps = self._approval_steps(conn)
        by_objective: dict[str | None, list[KeyResult]] = {}
        for kr in goals["key_result"]:
            by_objective.setdefault(kr.objective_id, []).append(kr)
        for obj in goals["objective"]:
            obj.key_results = by_objective.get(obj.id, [])
        book = Goalbook(organisation=settings.get("organisation") or "",
                        fiscal_year_start=int(settings.get("fiscal_year_start") or 1),
                        objectives=goals["objective"], smart_goals=goals["smart_goal"], kpis=goals["kpi"],
                        initiatives=goals["initiative"], links=lks,
                        check_ins=cis,
                        comments=[c for c in notes if c.target_id in versions],
                        approvers=_bulk.read_approvers(settings),
                        approvals=[a for a in steps if a.target_id in versions])
        self._seen.update(versions)
        return book

    def load_team(self, team: str, *, today: date | None = None) -> Goalbook:
        """The part of the goalbook a page for ``team`` shows, read by index, not the whole store
        (:mod:`goalbook.store._team` says what is read)."""
        with collector_paused(), self._read() as conn:
            return _team.load_team(conn, team, today)

    def teams(self) -> list[str]:
        """Every team named on a goal, sorted."""
        with self._read() as conn:
            return _team.teams(conn)

    def latest_check_in(self) -> date | None:
        """The date of the latest check-in (``None`` without any)."""
        with self._read() as conn:
            return _team.latest_check_in(conn)

    def stamp(self) -> tuple[int | None, ...]:
        """A fingerprint of everything the store holds, read with one cheap query, that changes with every
        write that commits: each goal, link, approval, review or settings change appends an event, and
        check-ins and comments are appended rows, so nothing changes without a log growing.

        A review page built ahead of its reader compares stamps to know whether what it read is still
        the store as it is. Each log's row count is part of it as well as its highest number: PostgreSQL
        hands numbers out before commit, so a write that took a lower number may commit after one that
        took a higher, and only the count sees it."""
        def count_and_last(column: sa.Column) -> list[sa.ScalarSelect]:
            return [sa.select(sa.func.count()).select_from(column.table).scalar_subquery(),
                    sa.select(sa.func.max(column)).scalar_subquery()]

        with self._read() as conn:
            row = conn.execute(sa.select(*count_and_last(events.c.seq), *count_and_last(check_ins.c.id),
                                         *count_and_last(comments.c.id))).one()
        return tuple(row)

    @staticmethod
    def _approval_steps(conn: sa.Connection) -> list[ApprovalEvent]:
        """Every move of the approval flow, oldest first, from the event log (who, when in UTC, why)."""
        rows = conn.execute(sa.select(events.c.entity_id, events.c.data, events.c.author, events.c.at, events.c.note)
                            .where(events.c.kind == "approval").order_by(events.c.seq)).all()
        return [ApprovalEvent(gid, json.loads(data).get("approval"), author, as_utc(at), note)
                for gid, data, author, at, note in rows]

    def set_approvers(self, approvers: Approvers) -> None:
        """Say who approves goals, by level and by team (kept in the store's settings)."""
        book = Goalbook(approvers=approvers)
        problems = [p for p in book.validate() if p.field == "approvers"]
        if problems:
            raise ValidationError(problems, "approvers not saved")
        with self._write() as conn:
            _bulk.write_approvers(conn, approvers)
            cur = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
            self._event(conn, "settings", utc_now(), data=json.dumps({
                "organisation": cur.get("organisation") or "",
                "fiscal_year_start": int(cur.get("fiscal_year_start") or 1),
                "approvers": {"levels": approvers.levels, "teams": approvers.teams}}))

    def as_of(self, when: date | datetime | str) -> Goalbook:
        """The whole goalbook as it stood at an instant (a date means the end of that local day)."""
        at = to_instant(when, end_of_day=True)
        with self._read() as conn:
            state = state_at(conn, at)
            return book_from_state(settings_at(conn, at), state, [ev.link for ev in links_at(conn, at).values()],
                                   check_ins_between(conn, None, at), comments_between(conn, None, at))

    def history(self, id: str) -> list[Version]:
        """Every version of a goal, oldest first, with who, when and which fields changed."""
        with self._read() as conn:
            evs = conn.execute(sa.select(events).where(events.c.entity_id == id, events.c.version.is_not(None))
                               .order_by(events.c.seq)).all()
            if not evs:
                raise self._missing(conn, id)
            kr_evs: list[sa.Row] = []
            if evs[-1].entity_kind == "objective":
                ever = sa.select(events.c.entity_id).where(events.c.parent == id).distinct()
                kr_evs = conn.execute(sa.select(events).where(events.c.entity_kind == "key_result",
                                                              events.c.entity_id.in_(ever))
                                      .order_by(events.c.seq)).all()
        out: list[Version] = []
        before: dict[str, Any] | None = None
        krs = State()
        k = 0
        for ev in evs:
            kind = ev.entity_kind
            row = row_from_snapshot(kind, ev.data)
            while k < len(kr_evs) and (kr_evs[k].seq <= ev.seq or kr_evs[k].at <= ev.at):  # same transaction
                kev = kr_evs[k]
                if kev.kind == "delete":
                    krs.rows.pop(kev.entity_id, None)
                else:
                    krs.rows[kev.entity_id] = ("key_result", row_from_snapshot("key_result", kev.data))
                k += 1
            if kind == "objective" and "id" in row:
                krs.rows[id] = ("objective", row)
                goal = krs.goal(id)
                del krs.rows[id]
            else:
                goal = goal_from_row(kind, row)
            out.append(Version(id, ev.version, ev.kind, as_utc(ev.at), ev.author, goal,
                               field_changes(kind, before, row) if ev.kind != "delete" else {}, ev.note))
            before = None if ev.kind == "delete" else row
        return out

    def diff(self, since: date | datetime | str) -> Changes:
        """What changed since an instant (a date means the start of that local day), each goal, link and
        check-in with who recorded it and when."""
        at = to_instant(since, end_of_day=False)
        with self._read() as conn:
            touched = dict.fromkeys(conn.execute(
                sa.select(events.c.entity_id).where(events.c.at > at, events.c.version.is_not(None))
                .order_by(events.c.seq)).scalars())
            before, after = state_at(conn, at), state_at(conn, None)
            links_added, links_removed = link_changes(conn, at)
            checks = check_ins_recorded_between(conn, at, None)
            notes = comments_recorded_between(conn, at, None)
            imports = conn.execute(sa.select(events.c.author, events.c.at)
                                   .where(events.c.kind == "import", events.c.at > at).order_by(events.c.seq)).all()
            out = Changes(as_utc(at), check_ins=[c for c, _, _ in checks],
                          check_ins_recorded=[(by, as_utc(when)) for _, by, when in checks],
                          comments=[c for c, _, _ in notes],
                          comments_recorded=[(by, as_utc(when)) for _, by, when in notes],
                          imports=[(by, as_utc(when)) for by, when in imports],
                          link_events=[(change == "link", ev.link, ev.by, as_utc(ev.at))
                                       for change, ev in link_events_after(conn, at)])
        for gid in touched:
            b, a = before.rows.get(gid), after.rows.get(gid)
            if b is None and a is not None:
                kind, row = a
                if not (kind == "key_result" and row.get("objective_id") in touched
                        and row.get("objective_id") not in before.rows):
                    out.added.append(after.goal(gid))
                    by, when = after.last[gid]
                    out.authors[gid] = (by, as_utc(when))
            elif b is not None and a is None:
                kind, row = b
                if not (kind == "key_result" and row.get("objective_id") in touched
                        and row.get("objective_id") not in after.rows):
                    out.removed.append(before.goal(gid))
                    by, when = after.last[gid]
                    out.authors[gid] = (by, as_utc(when))
            elif b is not None and a is not None:
                changed = field_changes(a[0], b[1], a[1])
                if changed:
                    by, when = after.last[gid]
                    out.changed.append(Change(gid, a[0], before.goal(gid), after.goal(gid), changed, by,
                                              as_utc(when)))
        out.links_added = [ev.link for ev in links_added]
        out.links_removed = [ev.link for ev in links_removed]
        out.links_added_by = {(ev.link.source, ev.link.target): (ev.by, as_utc(ev.at)) for ev in links_added}
        out.links_removed_by = {(ev.link.source, ev.link.target): (ev.by, as_utc(ev.at)) for ev in links_removed}
        return out

    # --- links, check-ins, comments --------------------------------------------------------------
    def add_link(self, link: Link) -> None:
        """Say that ``link.source`` serves ``link.target`` (replacing the kind and weight of an existing link)."""
        now = utc_now()
        with self._write() as conn:
            book = self._goals_in(conn, [link.source, link.target])
            book.links = [link]
            problems = _errors(book, lambda p: p.path[:1] == ("links",))
            if problems:
                raise ValidationError(problems, f"link {link.source} → {link.target} not saved")
            _authz.check_goal(self, conn, link.source, _authz.EDIT, f"link {link.source} → {link.target}")
            old = conn.execute(sa.select(links).where(links.c.source == link.source,
                                                      links.c.target == link.target)).first()
            if old is not None and (old.kind, old.weight) == (link.kind, link.weight):
                return
            values = {"source": link.source, "target": link.target, "kind": link.kind, "weight": link.weight}
            if old is None:
                conn.execute(links.insert(), values)
            else:
                conn.execute(links.update().where(links.c.id == old.id).values(kind=link.kind, weight=link.weight))
            self._event(conn, "link", now, entity_id=link.source, data=json.dumps(values))

    def remove_link(self, source: str, target: str) -> None:
        """Remove the link from ``source`` to ``target`` (``KeyError`` when there is none)."""
        now = utc_now()
        with self._write() as conn:
            _authz.check_goal(self, conn, source, _authz.EDIT, f"removal of link {source} → {target}")
            old = conn.execute(sa.select(links).where(links.c.source == source, links.c.target == target)).all()
            if not old:
                raise KeyError(f"no link {source} → {target}")
            for lk in old:
                conn.execute(links.delete().where(links.c.id == lk.id))
                self._event(conn, "unlink", now, entity_id=source,
                            data=json.dumps({"source": lk.source, "target": lk.target, "kind": lk.kind,
                                             "weight": lk.weight}))

    def check_in(self, check_in: CheckIn) -> CheckIn:
        """Record a check-in (author defaults to the store's); returns it as stored. Never conflicts."""
        stored = replace(check_in, author=check_in.author or self.author)
        if not isinstance(stored.date, date) or isinstance(stored.date, datetime):
            raise ValidationError([Problem(f"check-in on {stored.target_id}: date {stored.date!r} is not a date",
                                           entity=stored.target_id, field="date")])
        now = utc_now()
        with self._write() as conn:
            book = self._goals_in(conn, [stored.target_id])
            book.check_ins = [stored]
            problems = _errors(book, lambda p: p.path[:1] == ("check_ins",))
            if problems:
                raise ValidationError(problems, f"check-in on {stored.target_id} not saved")
            _authz.check_goal(self, conn, stored.target_id, _authz.EDIT, f"check-in on {stored.target_id}")
            conn.execute(check_ins.insert(), {**{f: getattr(stored, f) for f in CHECK_IN_FIELDS},
                                              "recorded_at": now, "recorded_by": self.author})
        return stored

    def comment(self, comment: Comment) -> Comment:
        """Record a comment (author and time default to the store's and now); returns it as stored."""
        stored = replace(comment, author=comment.author or self.author,
                         at=comment.at or datetime.now().replace(microsecond=0))
        now = utc_now()
        with self._write() as conn:
            book = self._goals_in(conn, [stored.target_id])
            earlier = [comment_from_values(r) for r in conn.execute(
                sa.select(*(comments.c[f] for f in COMMENT_FIELDS)).where(
                    comments.c.comment_id.in_([i for i in (stored.id, stored.reply_to) if i is not None])))]
            book.comments = [*earlier, stored]  # a reply's parent, and an earlier use of the same id
            problems = _errors(book, lambda p: p.path[:2] == ("comments", len(earlier)))
            if problems:
                raise ValidationError(problems, f"comment on {stored.target_id} not saved")
            _authz.check_goal(self, conn, stored.target_id, "comment", f"comment on {stored.target_id}")
            conn.execute(comments.insert(), {"target_id": stored.target_id, "text": stored.text,
                                             "author": stored.author, "at": stored.at.isoformat(),
                                             "comment_id": stored.id, "reply_to": stored.reply_to,
                                             "recorded_at": now, "recorded_by": self.author})
        return stored

    # --- reviews held ------------------------------------------------------------------------------
    def record_review(self, as_of: date) -> Review:
        """Record that the goals were reviewed (a review meeting held) as of ``as_of``, the goalbook's own
        day; the changes page then starts from the latest review. Approvers (or admins) record it."""
        if not isinstance(as_of, date) or isinstance(as_of, datetime):
            raise ValidationError([Problem(f"review: as_of {as_of!r} is not a date", field="as_of")])
        now = utc_now()
        with self._write() as conn:
            self.access.require(_authz.APPROVE, None, "record of the review")
            self._event(conn, "review", now, data=json.dumps({"as_of": as_of.isoformat()}))
        return Review(as_of, self.author, as_utc(now))

    def reviews(self) -> list[Review]:
        """Every review recorded (:meth:`record_review`), oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(events.c.data, events.c.author, events.c.at)
                                .where(events.c.kind == "review").order_by(events.c.seq)).all()
        return [Review(date.fromisoformat(json.loads(data)["as_of"]), by, as_utc(at)) for data, by, at in rows]

    # --- approval ------------------------------------------------------------------------------
    def _move_approval(self, id: str, to: str, allowed: tuple[str, ...], hint: str, reason: str | None,
                       expected_version: int | None) -> int:
        mine = expected_version  # the flow's own states guard against acting on a stale view
        now = utc_now()
        with self._write() as conn:
            cur = self._current(conn, id)
            if cur.kind not in APPROVAL_KINDS:
                raise ValidationError([Problem(f"{_what(cur.kind)} {id} has no approval of its own: objectives and "
                                               "SMART goals are approved", entity=id, field="approval")])
            _authz.check_goal(self, conn, id, _authz.EDIT if to == "in_review" else _authz.APPROVE, f"approval of {id}")
            if mine is not None and mine != cur.version:
                raise self._conflict(id, mine, cur)
            codec = CODECS[cur.kind]
            row = self._row(conn, codec, id)
            if row["approval"] not in allowed:
                raise ValidationError([Problem(f"{_what(cur.kind)} {id} is {row['approval'].replace('_', ' ')}: "
                                               f"{hint}", entity=id, field="approval")])
            row["approval"] = to
            version = self._bump(conn, id, cur.kind, cur, False, now, mine)
            conn.execute(codec.table.update().where(codec.table.c.id == id).values(approval=to))
            self._event(conn, "approval", now, entity_id=id, entity_kind=cur.kind, version=version,
                        data=snapshot(row), note=reason)
        self._seen[id] = version
        return version

    def request_review(self, id: str, *, expected_version: int | None = None) -> int:
        """Ask for approval: draft, changes requested or approved → in review."""
        return self._move_approval(id, "in_review", ("draft", "changes_requested", "approved"),
                                   "it is already waiting for review", None, expected_version)

    def approve(self, id: str, *, expected_version: int | None = None) -> int:
        """Approve a goal that is in review; pass ``expected_version`` to approve exactly the version you read."""
        return self._move_approval(id, "approved", ("in_review",), "request a review before approving",
                                   None, expected_version)

    def request_changes(self, id: str, reason: str, *, expected_version: int | None = None) -> int:
        """Send a goal in review back to its owner, saying why."""
        if not (reason or "").strip():
            raise ValidationError([Problem(f"{id}: say what should change (reason)", entity=id, field="reason")])
        return self._move_approval(id, "changes_requested", ("in_review",), "request a review first",
                                   reason, expected_version)

    def approval(self, id: str) -> Approval:
        """Where a goal stands in the approval flow, and who put it there when."""
        with self._read() as conn:
            cur = self._current(conn, id)
            if cur.kind not in APPROVAL_KINDS:
                raise ValidationError([Problem(f"{_what(cur.kind)} {id} has no approval of its own: objectives and "
                                               "SMART goals are approved", entity=id, field="approval")])
            evs = conn.execute(sa.select(events.c.kind, events.c.data, events.c.author, events.c.at, events.c.note)
                               .where(events.c.entity_id == id, events.c.version.is_not(None))
                               .order_by(events.c.seq)).all()
        state, by, at, reason = "draft", None, None, None
        for change, data, author, when, note in evs:
            if change == "delete":
                state, by, at, reason = "draft", None, None, None
                continue
            s = json.loads(data).get("approval")
            if change == "approval" or s != state:
                state, by, at, reason = s, author, as_utc(when), note
        return Approval(id, state, by, at, reason)

    # --- roles (PostgreSQL) ----------------------------------------------------------------------
    def _postgresql_only(self, what: str) -> None:
        if self.backend != "postgresql":
            raise GoalbookError(f"{self.url}: {what} is for PostgreSQL stores; SQLite has no roles, and review "
                                "pages open an SQLite file read-only (mode=ro)")

    def role_access(self, role: str | None = None) -> RoleAccess:
        """What a PostgreSQL role (default: the one this store logs in as) could write in the store, and
        which of its tables it cannot read: the server's own privilege checks, for the role and every
        role it can ``SET ROLE`` to."""
        self._postgresql_only("checking a role")
        with self._read() as conn:
            return _roles.role_access(conn, role)

    def grant_reader(self, role: str, password: str) -> RoleAccess:
        """Create or update PostgreSQL login role ``role`` that can only read this store (``SELECT`` on
        its tables, nothing else on them), for review pages; run as the owner of the store's tables.
        One transaction: if the role could still write, or could not read, nothing is changed and
        :class:`~goalbook.errors.GoalbookError` says why."""
        self._postgresql_only("a reader role")
        try:
            with self._write() as conn:
                return _roles.grant_reader(conn, role, password)
        except DBAPIError as exc:
            raise GoalbookError(f"{self.url}: cannot make {role} a reader: {str(exc.orig).splitlines()[0]}") from exc

    # --- import --------------------------------------------------------------------------------
    def import_book(self, book: Goalbook, *, progress: Callable[[int, int], None] | None = None) -> ImportSummary:
        """Write a whole goalbook in one transaction: new goals are created, changed ones updated
        (the book wins), links added, check-ins and comments appended unless already there.

        ``progress(done, total)`` is called as rows are written. A failure leaves the store as it was.
        """
        _authz.check_import(self)
        problems = [p for p in book.validate() if p.severity == "error"] + _bulk.duplicate_links(book)
        if problems:
            raise ValidationError(problems, f"goalbook not imported: {len(problems)} problem(s)")
        now = utc_now()
        seen: dict[str, int] = {}
        with collector_paused(), self._write() as conn:
            writes = _bulk.Writes(self.author, self._next_pos, self._put_row, self._put_objective)
            summary = _bulk.import_into(writes, conn, book, now, seen, progress)
        self._seen.update(seen)
        return summary
