"""Plain data (what a YAML parser gives, or rows gathered from tables) turned into model objects.

One tight pass builds the model and collects every conversion problem with its path in the
source document, e.g. ``("objectives", 0, "key_results", 1, "target")``; a file reader turns those
paths into lines and columns. With ``track=True`` the reader also remembers where each entity,
link, check-in and comment came from, so problems the model finds later can be located too.
That bookkeeping is skipped on the fast path, when nothing is wrong.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from goalbook.errors import Problem
from goalbook.io import _fields as F
from goalbook.io._values import (
    BadValue,
    describe,
    to_bool,
    to_date,
    to_datetime,
    to_integer,
    to_number,
    to_period,
    to_text,
)
from goalbook.model import (
    ApprovalEvent,
    Approvers,
    CheckIn,
    Checkpoint,
    Comment,
    Goalbook,
    KPIValue,
    Link,
    Spend,
    did_you_mean,
)

_SKIP = object()

_ATTR = {"from": "source", "to": "target"}


def _spec(shape: F.Shape) -> dict[str, tuple[str, str]]:
    rename = {"id": "target"} if shape is F.SUPPORT else _ATTR
    return {f.key: (rename.get(f.key, f.key), f.kind) for f in shape.fields}


_SPECS = {s.section: _spec(s) for s in (F.OBJECTIVE, F.KEY_RESULT, F.SMART_GOAL, F.KPI, F.INITIATIVE,
                                         F.CHECKPOINT, F.KPI_VALUE, F.CHECK_IN, F.COMMENT, F.LINK, F.SUPPORT,
                                         F.SPEND_ENTRY, F.APPROVAL)}
_SIMPLE = {F.TEXT: to_text, F.NUMBER: to_number, F.INTEGER: to_integer, F.DATE: to_date,
           F.DATETIME: to_datetime, F.BOOL: to_bool}


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# where a link came from: ("inline", file, path of the supports item, is_mapping) or ("section", file, path)
LinkOrigin = tuple


class Reader:
    """Collects model objects and problems from the sections of one or more documents."""

    def __init__(self, fiscal_year_start: int = 1, *, track: bool = False) -> None:
        self.fiscal_year_start = fiscal_year_start if isinstance(fiscal_year_start, int) and \
            1 <= fiscal_year_start <= 12 else 1
        self.track = track
        self.problems: list[Problem] = []
        self.muted: set[tuple[str | None, str]] = set()  # (entity, field) already reported here
        self.objectives: list = []
        self.smart_goals: list = []
        self.kpis: list = []
        self.initiatives: list = []
        self.links: list[Link] = []
        self.check_ins: list[CheckIn] = []
        self.comments: list[Comment] = []
        self.approvals: list[ApprovalEvent] = []
        self.approvers = Approvers()
        self.locations: dict[str, tuple[str, int]] = {}
        # filled only when tracking
        self.entity_origins: dict[str, list[tuple[str, tuple]]] = {}
        self.link_origins: list[LinkOrigin] = []
        self.check_in_origins: list[tuple[str, tuple]] = []
        self.comment_origins: list[tuple[str, tuple]] = []
        self.approval_origins: list[tuple[str, tuple]] = []
        self.file = ""
        self._lines: dict[int, int] = {}
        self._periods: dict[str, Any] = {}

    # --- problems ------------------------------------------------------------------------------
    def problem(self, message: str, path: tuple, entity: str | None = None, field: str | None = None) -> None:
        """Record one problem at ``path`` of the current file."""
        self.problems.append(Problem(message, entity=entity, field=field, file=self.file or None, path=path))
        if field:
            self.muted.add((entity, field))

    def _unknown(self, key: Any, shape: F.Shape, what: str, eid: str | None, path: tuple) -> None:
        if key == "supports" and shape is F.KEY_RESULT:
            self.problem(f"{what}: a key result has no 'supports' — write its links in the links: section, "
                         f"e.g. {{from: {eid}, to: CO-1.KR2}}", (*path, key), eid, "supports")
            return
        hint = did_you_mean(str(key), shape.keys)
        if hint:  # the field it was meant to be is not missing, only misspelt: say it once
            self.muted.add((eid, difflib.get_close_matches(str(key), shape.keys, n=1, cutoff=0.6)[0]))
        else:
            hint = f" — the fields of a {shape.name} are: {', '.join(shape.keys)}"
        self.problem(f"{what}: unknown field '{key}'{hint}", (*path, key), eid, str(key))

    # --- documents -------------------------------------------------------------------------------
    def read_sections(self, data: dict, file: str = "", lines: dict[int, int] | None = None) -> None:
        """Read every entity section of one document (top-level keys are the caller's business)."""
        self.file = file
        self._lines = lines or {}
        for key, value in data.items():
            if key in _ENTITY_SECTIONS:
                self._entity_list(value, _ENTITY_SECTIONS[key])
            elif key == "links":
                self._links(value)
            elif key == "check_ins":
                self._dated_map(value, "check_ins")
            elif key in ("comments", "approvals"):
                self._dated_map(value, key)
            elif key == "approvers":
                self._approvers(value)

    def goalbook(self, organisation: str = "", fiscal_year_start: int = 1) -> Goalbook:
        """The model built so far."""
        return Goalbook(organisation=organisation, fiscal_year_start=fiscal_year_start,
                        objectives=self.objectives, smart_goals=self.smart_goals, kpis=self.kpis,
                        initiatives=self.initiatives, links=self.links, check_ins=self.check_ins,
                        comments=self.comments, approvers=self.approvers, approvals=self.approvals,
                        locations=self.locations)

    # --- entities --------------------------------------------------------------------------------
    def _entity_list(self, value: Any, shape: F.Shape, path: tuple = (), what: str = "",
                     eid: str | None = None) -> list:
        path = (*path, shape.section)
        out = self.objectives if shape is F.OBJECTIVE else self.smart_goals if shape is F.SMART_GOAL else \
            self.kpis if shape is F.KPI else self.initiatives if shape is F.INITIATIVE else []
        if value is None:
            return out
        if type(value) is not list:
            where = f"{what}: " if what else ""
            self.problem(f"{where}{shape.section} should be a list of {shape.name}s, each starting with "
                         f"'- id: ...', not {describe(value)}", path, eid, shape.section)
            return out
        for n, item in enumerate(value):
            obj = self._entity(item, shape, (*path, n), n)
            if obj is not None:
                out.append(obj)
        return out

    def _entity(self, item: Any, shape: F.Shape, path: tuple, n: int) -> Any:
        if type(item) is not dict or type(item.get("id")) is not str:
            return self._odd_entity(item, shape, path, n)
        return self._build(item, shape, path, item["id"])

    def _odd_entity(self, item: Any, shape: F.Shape, path: tuple, n: int) -> Any:
        """An entity that is not a mapping, or whose id is missing or not text."""
        where = f"the {_nth(n + 1)} {shape.name} in {shape.section}"
        if type(item) is not dict:
            self.problem(f"{where} should be a mapping of fields (id: ..., title: ...), not {describe(item)}", path)
            return None
        eid = item.get("id")
        if type(eid) is not str:
            if eid is None:
                self.problem(f"{where} has no id — give every {shape.name} a unique id such as "
                             f"{'CO-3' if shape is F.OBJECTIVE else 'CO-3.KR1' if shape is F.KEY_RESULT else 'WEB-3'}",
                             path, None, "id")
                return None
            try:
                eid = to_text(eid)
            except BadValue as exc:
                self.problem(f"{where}: id {exc}", (*path, "id"), None, "id")
                return None
        return self._build(item, shape, path, eid)

    def _build(self, item: dict, shape: F.Shape, path: tuple, eid: str) -> Any:
        what = f"{shape.name} {eid}"
        kw = self._fields(item, shape, what, eid, path)
        kw["id"] = eid
        for req in shape.required:
            if req not in kw:
                if (eid, req) not in self.muted:
                    self.problem(f"{what}: no {req} — every {shape.name} needs one", path, eid, req)
                kw[req] = ""
        line = self._lines.get(id(item))
        if line is not None and eid not in self.locations:
            self.locations[eid] = (self.file, line)
        if self.track:
            self.entity_origins.setdefault(eid, []).append((self.file, path))
        return shape.cls(**kw)  # type: ignore[misc]

    def _fields(self, item: dict, shape: F.Shape, what: str, eid: str | None, path: tuple) -> dict:
        """Convert the fields of one mapping; the hot loop of every load, so plain types go first."""
        spec = _SPECS[shape.section]
        kw: dict[str, Any] = {}
        for k, v in item.items():
            f = spec.get(k)
            if f is None:
                self._unknown(k, shape, what, eid, path)
                continue
            if v is None:
                continue
            attr, kind = f
            t = type(v)
            if kind == F.TEXT:
                if t is str:
                    kw[attr] = v
                    continue
            elif kind == F.NUMBER:
                if t is int and -(2**53) <= v <= 2**53:
                    kw[attr] = float(v)
                    continue
                if t is float and v - v == 0.0:
                    kw[attr] = v
                    continue
            elif kind == F.DATE:
                if t is date:
                    kw[attr] = v
                    continue
            elif kind == F.PERIOD:
                p = self._periods.get(v) if t is str else None
                if p is not None:
                    kw[attr] = p
                    continue
            v = self._slow(kind, v, k, shape, what, eid, path)
            if v is not _SKIP:
                kw[attr] = v
        return kw

    def _slow(self, kind: str, v: Any, key: str, shape: F.Shape, what: str, eid: str | None, path: tuple) -> Any:
        fpath = (*path, key)
        try:
            conv = _SIMPLE.get(kind)
            if conv is not None:
                return conv(v)
            if kind == F.PERIOD:
                p = to_period(v, self.fiscal_year_start)
                if isinstance(v, str):
                    self._periods[v] = p
                return p
        except BadValue as exc:
            self.problem(f"{what}: {key} {exc}", fpath, eid, key)
            return _SKIP
        if kind == F.SUPPORTS:
            self._supports(v, what, eid or "", fpath)
            return _SKIP
        if kind == F.KEY_RESULTS:
            return self._entity_list(v, F.KEY_RESULT, path, what, eid)
        if kind == F.CHECKPOINTS:
            return self._items(v, F.CHECKPOINT, what, eid, fpath, Checkpoint)
        if kind == F.VALUES:
            return self._items(v, F.KPI_VALUE, what, eid, fpath, KPIValue)
        if kind == F.SPEND:
            return self._items(v, F.SPEND_ENTRY, what, eid, fpath, Spend)
        raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover - a bug in _fields.py

    def _items(self, value: Any, shape: F.Shape, what: str, eid: str | None, path: tuple, cls: type) -> Any:
        """A list of small mappings inside an entity: checkpoints, KPI values."""
        if type(value) is not list:
            self.problem(f"{what}: {shape.section} should be a list of {{{', '.join(shape.keys)}}}, "
                         f"not {describe(value)}", path, eid, shape.section)
            return _SKIP
        out = []
        for n, item in enumerate(value):
            label = f"{what}: {shape.section} item {n + 1}"
            if type(item) is not dict:
                self.problem(f"{label} should be a mapping {{{', '.join(shape.keys)}}}, not {describe(item)}",
                             (*path, n), eid, shape.section)
                continue
            kw = self._fields(item, shape, label, eid, (*path, n))
            missing = [r for r in shape.required if r not in kw]
            if missing:
                if not any((eid, r) in self.muted for r in missing):
                    self.problem(f"{label}: no {' and no '.join(missing)}", (*path, n), eid, missing[0])
                continue
            out.append(cls(**kw))
        return out

    # --- links -----------------------------------------------------------------------------------
    def _supports(self, value: Any, what: str, source: str, path: tuple) -> None:
        items = value if type(value) is list else [value]
        for n, item in enumerate(items):
            ipath = (*path, n) if type(value) is list else path
            t = type(item)
            if t is str:
                self.links.append(Link(source, item))
                if self.track:
                    self.link_origins.append(("inline", self.file, ipath, False))
                continue
            if t is dict:
                label = f"{what}: supports item {n + 1}"
                kw = self._fields(item, F.SUPPORT, label, source, ipath)
                if "target" not in kw:
                    if (source, "id") not in self.muted:
                        self.problem(f"{label} has no id — write {{id: CO-1.KR2, kind: supports}}",
                                     ipath, source, "supports")
                    continue
                self.links.append(Link(source, **kw))
                if self.track:
                    self.link_origins.append(("inline", self.file, ipath, True))
                continue
            try:
                target = to_text(item)
            except BadValue:
                self.problem(f"{what}: supports should list ids (supports: [CO-1.KR2]) or "
                             f"{{id, kind, weight}} mappings, not {describe(item)}", ipath, source, "supports")
                continue
            self.links.append(Link(source, target))
            if self.track:
                self.link_origins.append(("inline", self.file, ipath, False))

    def _links(self, value: Any) -> None:
        path = ("links",)
        if value is None:
            return
        if type(value) is not list:
            self.problem(f"links should be a list of {{from, to, kind, weight}}, not {describe(value)}", path)
            return
        for n, item in enumerate(value):
            ipath = (*path, n)
            label = f"links item {n + 1}"
            if type(item) is not dict:
                self.problem(f"{label} should be a mapping {{from: ..., to: ..., kind: ..., weight: ...}}, "
                             f"not {describe(item)}", ipath)
                continue
            src, dst = item.get("from"), item.get("to")
            if src is not None and dst is not None:
                label = f"link {src} → {dst}"
            kw = self._fields(item, F.LINK, label, src if type(src) is str else None, ipath)
            missing = [k for k in ("from", "to") if _ATTR[k] not in kw]
            if missing:
                if not any((kw.get("source"), k) in self.muted for k in missing):
                    self.problem(f"{label}: no {' and no '.join(repr(k) for k in missing)} — a link says "
                                 "which goal ('from') serves which ('to')", ipath, kw.get("source"), missing[0])
                continue
            self.links.append(Link(**kw))
            if self.track:
                self.link_origins.append(("section", self.file, ipath))

    # --- check-ins and comments ---------------------------------------------------------------
    def _approvers(self, value: Any) -> None:
        """``approvers: {levels: {company: [ceo]}, teams: {Web: [cdo]}}``."""
        if value is None:
            return
        if type(value) is not dict:
            self.problem(f"approvers should be a mapping {{levels: {{company: [ceo]}}, teams: {{Web: [cdo]}}}}, "
                         f"not {describe(value)}", ("approvers",), None, "approvers")
            return
        for key, table in value.items():
            if key not in ("levels", "teams"):
                self.problem(f"approvers: unknown key '{key}'{did_you_mean(str(key), ('levels', 'teams'))} — "
                             "approvers are given by levels and by teams", ("approvers", key), None, "approvers")
                continue
            if table is None:
                continue
            if type(table) is not dict:
                self.problem(f"approvers: {key} should map each {key[:-1]} to a list of people, not "
                             f"{describe(table)}", ("approvers", key), None, "approvers")
                continue
            out = self.approvers.levels if key == "levels" else self.approvers.teams
            for name, people in table.items():
                people = people if type(people) is list else [people]
                try:
                    out[to_text(name)] = [to_text(p) for p in people if p is not None]
                except BadValue as exc:
                    self.problem(f"approvers of {key[:-1]} {name}: {exc}", ("approvers", key, name), None,
                                 "approvers")

    def _dated_map(self, value: Any, section: str) -> None:
        is_check_in = section == "check_ins"
        shape, cls = (F.CHECK_IN, CheckIn) if is_check_in else (F.COMMENT, Comment) if section == "comments" \
            else (F.APPROVAL, ApprovalEvent)
        out, origins = (self.check_ins, self.check_in_origins) if is_check_in else (
            (self.comments, self.comment_origins) if section == "comments" else (self.approvals, self.approval_origins))
        noun = "check-in" if is_check_in else "comment" if section == "comments" else "approval step"
        if value is None:
            return
        if type(value) is not dict:
            example = "CO-1.KR1: [{date: 2027-01-08, value: 41}]" if is_check_in else \
                "CO-1: [{at: 2027-01-08T10:00:00, author: ceo, text: ...}]"
            self.problem(f"{section} should map each id to its list of {noun}s ({example}), "
                         f"not {describe(value)}", (section,))
            return
        track = self.track
        for tid, items in value.items():
            tpath = (section, tid)
            if type(tid) is not str:
                try:
                    tid = to_text(tid)
                except BadValue as exc:
                    self.problem(f"{section}: the id {exc}", tpath)
                    continue
            if type(items) is not list:
                self.problem(f"{noun}s of {tid} should be a list, each item starting with '- ', "
                             f"not {describe(items)}", tpath, tid, noun.replace("-", "_"))
                continue
            for n, item in enumerate(items):
                ipath = (section, tid, n)
                if type(item) is not dict:
                    self.problem(f"the {_nth(n + 1)} {noun} on {tid} should be a mapping of fields, "
                                 f"not {describe(item)}", ipath, tid)
                    continue
                d = item.get("date") if is_check_in else None
                label = f"check-in of {d} on {tid}" if type(d) is date else f"the {_nth(n + 1)} {noun} on {tid}"
                kw = self._fields(item, shape, label, tid, ipath)
                missing = [r for r in shape.required if r not in kw]
                if missing:
                    if not any((tid, r) in self.muted for r in missing):
                        need = "its date (date: 2027-01-08)" if is_check_in else "its text (text: ...)" if \
                            section == "comments" else "its state (state: approved)"
                        self.problem(f"{label} has no {missing[0]} — give {need}", ipath, tid, missing[0])
                    continue
                out.append(cls(tid, **kw))
                if track:
                    origins.append((self.file, ipath))


_ENTITY_SECTIONS = {s.section: s for s in F.ENTITY_SHAPES}
