"""The store's tables, derived from the domain model, and the conversions between rows and goals.

One current-state table per kind of goal has a column per model field (a period takes three:
name, start, end; key-result checkpoints and KPI values are JSON text), plus ``pos`` to keep the
order a person wrote. ``entities`` holds every id ever used with its version (deleted ids stay as
tombstones so versions never go back). ``events`` is the append-only log of goal, link and settings
changes, each carrying a full JSON snapshot; ``check_ins`` and ``comments`` are append-only logs
themselves, stamped with who recorded them and when.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa

from goalbook.model import ENTITY_TYPES, Checkpoint, Goal, KPIValue, Spend
from goalbook.period import Period

SCHEMA_VERSION = 1

TABLES = {
    "objective": "objectives",
    "key_result": "key_results",
    "smart_goal": "smart_goals",
    "kpi": "kpis",
    "initiative": "initiatives",
}

metadata = sa.MetaData()

meta = sa.Table(
    "goalbook_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text),
)

entities = sa.Table(
    "entities", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("changed_by", sa.Text),
)

events = sa.Table(
    "events", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("author", sa.Text),
    # create update delete approval link unlink settings, and the markers import and review
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("entity_id", sa.Text),
    sa.Column("entity_kind", sa.String(16)),
    sa.Column("parent", sa.Text),  # a key result's objective
    sa.Column("version", sa.Integer),
    sa.Column("data", sa.Text),  # JSON snapshot
    sa.Column("note", sa.Text),  # e.g. the reason changes were requested
    sa.Index("events_entity", "entity_id"),
    sa.Index("events_parent", "parent"),
)

links = sa.Table(
    "links", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16)),
    sa.Column("weight", sa.Float),
)

check_ins = sa.Table(
    "check_ins", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_id", sa.Text, nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("value", sa.Float),
    sa.Column("confidence", sa.Float),
    sa.Column("status", sa.Text),
    sa.Column("wins", sa.Text),
    sa.Column("blockers", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("recorded_by", sa.Text),
    sa.Index("check_ins_target", "target_id"),
)

comments = sa.Table(
    "comments", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_id", sa.Text, nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("at", sa.Text),  # ISO text, exactly as written (naive or with an offset)
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("recorded_by", sa.Text),
    sa.Column("comment_id", sa.Text),  # the comment's own id (model ``Comment.id``), for replies
    sa.Column("reply_to", sa.Text),
    sa.Index("comments_target", "target_id"),
)

CHECK_IN_FIELDS = ("target_id", "date", "value", "confidence", "status", "wins", "blockers", "author")
COMMENT_FIELDS = ("target_id", "text", "author", "at", "comment_id", "reply_to")


# --- goal kinds <-> rows ---------------------------------------------------------------------------
_SIMPLE = {str: sa.Text, float: sa.Float, int: sa.Integer, bool: sa.Boolean, date: sa.Date}


def _base_type(hint: Any) -> Any:
    """``float | None`` -> ``float``; ``list[X]`` stays as it is."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint


def _period(name: str | None, start: date | None, end: date | None) -> Period | None:
    return Period(name, start, end) if name is not None else None


def _checkpoints(text: str | None) -> list[Checkpoint]:
    return [Checkpoint(n, bool(d)) for n, d in json.loads(text)] if text else []


def _kpi_values(text: str | None) -> list[KPIValue]:
    return [KPIValue(date.fromisoformat(d), x) for d, x in json.loads(text)] if text else []


def _spend(text: str | None) -> list[Spend]:
    return [Spend(date.fromisoformat(d), x, n) for d, x, n in json.loads(text)] if text else []


_LISTS = {Checkpoint: "checkpoints", KPIValue: "kpi_values", Spend: "spend"}


@dataclass(frozen=True)
class KindCodec:
    """How one kind of goal maps to its table: columns in model-field order, and back."""

    kind: str
    cls: type
    table: sa.Table
    columns: tuple[str, ...]  # every column but pos, in order
    to_row: Callable[[Any], dict[str, Any]]
    from_values: Callable[[tuple], Any]  # values of ``columns`` in order -> goal
    date_columns: tuple[str, ...]


def _codec(kind: str) -> KindCodec:
    cls = ENTITY_TYPES[kind]
    hints = typing.get_type_hints(cls)
    cols: list[sa.Column] = []
    # per field: (name, how, column names)
    plan: list[tuple[str, str, tuple[str, ...]]] = []
    for f in fields(cls):
        t = _base_type(hints[f.name])
        if kind == "objective" and f.name == "key_results":  # rows of their own, see key_results.objective_id
            plan.append((f.name, "children", ()))
        elif t is Period:
            names = (f.name, f"{f.name}_start", f"{f.name}_end")
            cols += [sa.Column(names[0], sa.Text), sa.Column(names[1], sa.Date), sa.Column(names[2], sa.Date)]
            plan.append((f.name, "period", names))
        elif typing.get_origin(t) is list:
            cols.append(sa.Column(f.name, sa.Text))
            plan.append((f.name, _LISTS[typing.get_args(t)[0]], (f.name,)))
        elif t in _SIMPLE:
            cols.append(sa.Column(f.name, _SIMPLE[t], primary_key=f.name == "id"))
            plan.append((f.name, "plain", (f.name,)))
        else:  # pragma: no cover - a new model field type needs a decision here
            raise TypeError(f"goalbook.store cannot store field {cls.__name__}.{f.name} of type {t!r}")
    table = sa.Table(TABLES[kind], metadata, *cols, sa.Column("pos", sa.Integer, nullable=False))
    columns = tuple(c.name for c in cols)
    date_columns = tuple(c.name for c in cols if isinstance(c.type, sa.Date))

    floats = {c.name for c in cols if isinstance(c.type, sa.Float)}

    def to_row(goal: Any) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, how, names in plan:
            v = getattr(goal, name)
            if how == "plain":
                row[name] = float(v) if name in floats and type(v) is int else v
            elif how == "children":
                continue
            elif how == "period":
                row[names[0]], row[names[1]], row[names[2]] = (v.name, v.start, v.end) if v else (None, None, None)
            elif how == "checkpoints":
                row[name] = json.dumps([[c.name, c.done] for c in v]) if v else None
            elif how == "spend":
                row[name] = json.dumps([[x.date.isoformat(), x.amount, x.note] for x in v]) if v else None
            else:
                row[name] = json.dumps([[x.date.isoformat(), x.value] for x in v]) if v else None
        return row

    # One constructor call per row, written out once per kind (as dataclasses writes __init__):
    # a loop over fields per row would cost more than reading the rows.
    args, i = [], 0
    for _name, how, names in plan:
        if how == "plain":
            args.append(f"v[{i}]")
        elif how == "children":
            args.append("[]")
        elif how == "period":
            args.append(f"_period(v[{i}], v[{i + 1}], v[{i + 2}])")
        else:
            args.append(f"_{how}(v[{i}])")
        i += len(names)
    env = {"cls": cls, "_period": _period, "_checkpoints": _checkpoints, "_kpi_values": _kpi_values, "_spend": _spend}
    from_values = eval(f"lambda v: cls({', '.join(args)})", env)

    return KindCodec(kind, cls, table, columns, to_row, from_values, date_columns)


CODECS: dict[str, KindCodec] = {kind: _codec(kind) for kind in TABLES}

# What reading one team's part of the store looks up by (goalbook.store._team): no query there scans a table.
TEAM_INDEXES = (
    *(sa.Index(f"{TABLES[kind]}_team", CODECS[kind].table.c.team) for kind in ("objective", "smart_goal", "kpi",
                                                                             "initiative")),
    sa.Index("key_results_objective", CODECS["key_result"].table.c.objective_id),
    sa.Index("links_source", links.c.source),
    sa.Index("links_target", links.c.target),
    sa.Index("check_ins_date", check_ins.c.date),
)


def snapshot(row: dict[str, Any]) -> str:
    """A current-state row as the JSON text an event keeps."""
    return json.dumps(row, default=_iso, separators=(",", ":"), ensure_ascii=False)


def _iso(v: Any) -> str:
    if isinstance(v, date):
        return v.isoformat()
    raise TypeError(f"cannot store {v!r} in an event")


def row_from_snapshot(kind: str, data: str) -> dict[str, Any]:
    """The current-state row an event's snapshot describes (dates back to ``date``)."""
    row = json.loads(data)
    for c in CODECS[kind].date_columns:
        if row.get(c) is not None:
            row[c] = date.fromisoformat(row[c])
    return row


def goal_from_row(kind: str, row: dict[str, Any]) -> Goal:
    """A model object from a row dict (an objective comes without its key results)."""
    codec = CODECS[kind]
    return codec.from_values(tuple(row.get(c) for c in codec.columns))
