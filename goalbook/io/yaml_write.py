"""Writing goalbook YAML: plain data in the format's key order, and saves that keep a file's look.

A save never writes a goalbook with errors, and it is atomic (``goalbook.io._atomic``): a failure
at any point leaves the old files byte for byte as they were. When a file exists, the model is
merged into its round-trip document (ruamel.yaml): changed fields are updated in place, new
entities added where the model has them, removed ones dropped; a list that changed is paired with
the model's item by item (``goalbook.io._align``) so only the lines of what changed differ. Comments
stay with the lines they belong to, keys stay where they are (a new key goes where the format's
order puts it), a rewritten text keeps its quotes (``goalbook.io._layout``), and a text the reader
would take for another type (``yes``, ``1.0``, ``2027-01-01``) is always quoted. An unchanged book
is not rewritten at all. A book loaded from several files is written back to the files it came from.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from goalbook.errors import GoalbookError, Problem, ValidationError
from goalbook.io import _fields as F
from goalbook.io._align import align
from goalbook.io._atomic import write_files
from goalbook.io._layout import drop_key, hoist_comments, insert_key, like, rebuild, set_trailer, styled, trailer
from goalbook.io._values import (
    BadValue,
    to_bool,
    to_date,
    to_datetime,
    to_integer,
    to_number,
    to_period,
    to_text,
)
from goalbook.model import ApprovalEvent, Approvers, CheckIn, Comment, Goalbook, Link
from goalbook.period import Period

_CONVERT: dict[str, Callable[[Any], Any]] = {F.TEXT: to_text, F.NUMBER: to_number, F.INTEGER: to_integer,
                                              F.DATE: to_date, F.DATETIME: to_datetime, F.BOOL: to_bool}
_NESTED = (F.SUPPORTS, F.KEY_RESULTS, F.CHECKPOINTS, F.VALUES, F.SPEND)
_SECTION_SHAPES = {s.section: s for s in F.ENTITY_SHAPES}


def _number(v: float) -> int | float:
    """Whole numbers as ints, so files say 60 rather than 60.0."""
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


class _Plain:
    """Model values to plain format values, collecting values of the wrong type as problems."""

    def __init__(self, fiscal_year_start: Any) -> None:
        valid = isinstance(fiscal_year_start, int) and 1 <= fiscal_year_start <= 12
        self.fiscal_year_start: int = fiscal_year_start if valid else 1
        self.problems: list[Problem] = []

    def value(self, v: Any, f: F.Field, what: str, entity: str | None) -> Any:
        try:
            if f.kind == F.PERIOD:
                return v.name if isinstance(v, Period) else to_period(v, self.fiscal_year_start).name
            out = _CONVERT[f.kind](v)
        except BadValue as exc:
            self.problems.append(Problem(f"{what}: {f.key} {exc} — it cannot be saved", entity=entity, field=f.key))
            return None
        return _number(out) if f.kind == F.NUMBER else out

    def fields(self, obj: Any, shape: F.Shape, what: str, entity: str | None) -> dict[str, Any]:
        """The plain, non-default scalar fields of one object, in the format's order."""
        out: dict[str, Any] = {}
        for f in shape.fields:
            if f.kind in _NESTED:
                continue
            v = getattr(obj, "source" if f.key == "from" else "target" if f.key == "to" else f.key)
            if v is None or (not f.always and f.default is not None and v == f.default):
                continue
            pv = self.value(v, f, what, entity)
            if pv is not None:
                out[f.key] = pv
        return out

    def support(self, link: Link) -> Any:
        """One inline ``supports`` item: the bare id, or {id, kind, weight} when they differ from defaults."""
        if link.kind == "contributes" and link.weight == 1:
            return link.target
        item = {"id": link.target}
        item.update(self.fields(link, F.LINK, f"link {link.source} → {link.target}", link.source))
        item.pop("from", None)
        item.pop("to", None)
        return item

    def entity(self, obj: Any, shape: F.Shape, inline: dict[str, list[Link]]) -> dict[str, Any]:
        what = f"{shape.name} {obj.id}"
        out = self.fields(obj, shape, what, obj.id)
        ordered: dict[str, Any] = {}
        for f in shape.fields:
            if f.key in out:
                ordered[f.key] = out[f.key]
            elif f.kind == F.SUPPORTS and inline.get(obj.id):
                ordered[f.key] = [self.support(lk) for lk in inline[obj.id]]
            elif f.kind == F.KEY_RESULTS and obj.key_results:
                ordered[f.key] = [self.entity(kr, F.KEY_RESULT, inline) for kr in obj.key_results]
            elif f.kind == F.CHECKPOINTS and obj.checkpoints:
                ordered[f.key] = [self.fields(c, F.CHECKPOINT, what, obj.id) for c in obj.checkpoints]
            elif f.kind == F.VALUES and obj.values:
                ordered[f.key] = [self.fields(v, F.KPI_VALUE, what, obj.id) for v in obj.values]
            elif f.kind == F.SPEND and obj.spend:
                ordered[f.key] = [self.fields(v, F.SPEND_ENTRY, what, obj.id) for v in obj.spend]
        return ordered

    def check_in(self, c: CheckIn) -> dict[str, Any]:
        return self.fields(c, F.CHECK_IN, f"check-in of {c.date} on {c.target_id}", c.target_id)

    def comment(self, c: Comment) -> dict[str, Any]:
        return self.fields(c, F.COMMENT, f"comment on {c.target_id}", c.target_id)

    def approval(self, a: ApprovalEvent) -> dict[str, Any]:
        return self.fields(a, F.APPROVAL, f"approval step on {a.target_id}", a.target_id)

    def link(self, lk: Link) -> dict[str, Any]:
        return self.fields(lk, F.LINK, f"link {lk.source} → {lk.target}", lk.source)


def _inline_sources(book: Goalbook) -> set[str]:
    """Ids that can carry an inline ``supports`` list (key results cannot)."""
    return {g.id for g in (*book.objectives, *book.smart_goals, *book.kpis, *book.initiatives)}


def _grouped(items: Iterable[Any], plain: Callable[[Any], dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in items:
        out.setdefault(c.target_id, []).append(plain(c))
    return out


def approvers_data(approvers: Approvers) -> dict[str, Any]:
    """The ``approvers:`` mapping of a file: only the tables that name someone."""
    return {k: {name: list(people) for name, people in table.items()}
            for k, table in (("levels", approvers.levels), ("teams", approvers.teams)) if table}


def to_data(book: Goalbook) -> dict[str, Any]:
    """The goalbook as plain data in the file format: keys in the documented order, ``None`` and
    default values left out so files stay small. Links go inline (``supports``) under the goal
    they start from; only links that cannot (from a key result) go to ``links``."""
    conv = _Plain(book.fiscal_year_start)
    sources = _inline_sources(book)
    inline: dict[str, list[Link]] = defaultdict(list)
    extra: list[Link] = []
    for lk in book.links:
        (inline[lk.source] if lk.source in sources else extra).append(lk)
    data: dict[str, Any] = {"goalbook": F.FORMAT_VERSION}
    if book.organisation:
        data["organisation"] = book.organisation
    if book.fiscal_year_start != 1:
        data["fiscal_year_start"] = book.fiscal_year_start
    for shape in F.ENTITY_SHAPES:
        items = getattr(book, shape.section)
        if items:
            data[shape.section] = [conv.entity(obj, shape, inline) for obj in items]
    if extra:
        data["links"] = [conv.link(lk) for lk in extra]
    if book.check_ins:
        data["check_ins"] = _grouped(book.check_ins, conv.check_in)
    if book.comments:
        data["comments"] = _grouped(book.comments, conv.comment)
    if book.approvers:
        data["approvers"] = approvers_data(book.approvers)
    if book.approvals:
        data["approvals"] = _grouped(book.approvals, conv.approval)
    if conv.problems:
        raise ValidationError(conv.problems, "the goalbook holds values that cannot be written")
    return data


# --- ruamel nodes --------------------------------------------------------------------------------
def _flow_map(d: dict) -> CommentedMap:
    cm = CommentedMap(d)
    cm.fa.set_flow_style()
    return cm


def _flow_seq(items: list) -> CommentedSeq:
    cs = CommentedSeq(items)
    cs.fa.set_flow_style()
    return cs


def _node(value: Any, key: str) -> Any:
    """Plain data as round-trip nodes in the format's house style: entities as blocks, inline
    ``supports`` as a flow list, check-ins, comments, values, checkpoints and links one per line."""
    if isinstance(value, dict):
        cm = CommentedMap()
        for k, v in value.items():
            cm[k] = _node(v, k)
        return cm
    if isinstance(value, list):
        if key == "supports":
            return _flow_seq([_flow_map(v) if isinstance(v, dict) else v for v in value])
        if key in ("checkpoints", "values", "links", "check_ins", "comments", "spend", "approvals"):
            return CommentedSeq([_flow_map(v) for v in value])
        return CommentedSeq([_node(v, key) for v in value])
    return value


def _document(data: dict) -> CommentedMap:
    doc = CommentedMap()
    for k, v in data.items():
        if k in ("check_ins", "comments", "approvals"):
            doc[k] = CommentedMap({tid: _node(items, k) for tid, items in v.items()})
        else:
            doc[k] = _node(v, k)
    return doc


_READER_RESOLVER = pyyaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


class _Representer(RoundTripRepresenter):
    """Writes a text plain only when the reader (PyYAML) reads it back as that text."""


def _represent_text(rep: RoundTripRepresenter, data: str) -> Any:
    reads_as = _READER_RESOLVER.resolve(pyyaml.ScalarNode, data, (True, False))
    return rep.represent_scalar(_STR, data, style='"' if reads_as != _STR else None)


def _represent_datetime(rep: RoundTripRepresenter, data: datetime) -> Any:
    """``2027-01-08T10:00:00``, as the format's docs write a comment's time."""
    return rep.represent_scalar("tag:yaml.org,2002:timestamp", data.isoformat())


_Representer.add_representer(str, _represent_text)
_Representer.add_representer(datetime, _represent_datetime)


class _Emitter(RoundTripEmitter):
    """Quotes a text that needs quotes the way the format's docs do ("..."), not '...'; a text the
    user single-quoted keeps its single quotes."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" and not self.event.style else style


def _yaml(text: str | None = None) -> YAML:
    """A round-trip YAML that reads and writes YAML 1.1, as PyYAML (the reader) does: 1.2 would
    write a text such as ``yes`` or ``on`` unquoted, and the reader would take it for true."""
    y = YAML(typ="rt")
    y.Representer = _Representer
    y.Emitter = _Emitter
    y.version = (1, 1)
    y.preserve_quotes = True
    y.width = 4096
    indent, offset = _guess_indent(text) if text else (None, None)
    if indent is None or offset is None:
        indent, offset = 4, 2
    y.indent(mapping=2, sequence=indent, offset=offset)
    return y


def _leading_spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _guess_indent(text: str) -> tuple[int | None, int | None]:
    """(list indent, dash offset) of the file's first block list, as ``ruamel.yaml.util.
    load_yaml_guess_indent`` guesses them — without parsing the whole file again, which would
    triple the time of saving a large goalbook."""
    map_indent = indent = offset = key_only = None
    key_indent = 0
    for line in text.splitlines():
        rline = line.rstrip()
        lline = rline.lstrip()
        if lline.startswith("- "):
            spaces = _leading_spaces(line)
            offset = spaces - key_indent
            idx = spaces + 1
            while line[idx] == " ":
                idx += 1
            if line[idx] == "#":
                continue
            indent = idx - key_indent
            break
        if map_indent is None and key_only is not None and rline:
            idx = 0
            while line[idx] in " -":
                idx += 1
            if idx > key_only:
                map_indent = idx - key_only
        if rline.endswith(":"):
            key_indent = key_only = _leading_spaces(line)
            continue
        key_only = None
    return (indent if indent is not None else map_indent), offset


_DIRECTIVE = "%YAML 1.1\n---\n"


def _dump(y: YAML, doc: Any, original: str | None = None) -> str:
    """The document as text, without the version directive ruamel adds unless the file had it."""
    out = io.StringIO()
    y.dump(doc, out)
    text = out.getvalue()
    if text.startswith(_DIRECTIVE) and not (original or "").startswith("%YAML"):
        text = text[len(_DIRECTIVE):]
    return text


# --- merging the model into existing files -----------------------------------------------------
@dataclass
class _File:
    """One target file: its current round-trip document and what the model puts in it."""

    path: Path
    main: bool
    raw: str | None = None  # what is on disk now (or the template a new file starts from)
    text: str | None = None  # the same with plain line ends
    exists: bool = False
    doc: Any = None
    changed: bool = False
    # what the model puts here
    entities: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    new_links: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))  # by source
    new_section_links: list[Link] = field(default_factory=list)
    # check-ins and comments: per list in this file, how it turns into the model's (see ``_align``)
    dated: dict[str, list[tuple[Any, list]]] = field(default_factory=lambda: defaultdict(list))
    new_dated: dict[str, dict[str, list]] = field(default_factory=lambda: defaultdict(dict))  # id -> items


class _Merger:
    """Decides which file each part of the model goes to, then updates each file's document."""

    def __init__(self, book: Goalbook, files: list[_File]) -> None:
        self.book = book
        self.files = files
        self.plain = _Plain(book.fiscal_year_start)
        self.fys = self.plain.fiscal_year_start
        self.home: dict[str, _File] = {}
        self.kr_home: dict[str, str] = {kr.id: o.id for o in book.objectives for kr in o.key_results}
        self.paired: dict[Any, Any] = {}  # existing node (id or position) -> the model object it stays for
        self._assign()

    # --- who goes where ----------------------------------------------------------------------
    def _assign(self) -> None:
        main = self.files[0]
        for f in self.files:
            doc = f.doc if isinstance(f.doc, dict) else {}
            for shape in F.ENTITY_SHAPES:
                seq = doc.get(shape.section)
                for item in seq if isinstance(seq, list) else ():
                    if isinstance(item, dict) and item.get("id") is not None:
                        self.home.setdefault(f"{shape.section}:{_text(item.get('id'))}", f)
        for shape in F.ENTITY_SHAPES:
            for obj in getattr(self.book, shape.section):
                self.home_of(obj.id, shape.section, main).entities[shape.section].append(obj)
        self._pair_links()
        self._plan_dated("check_ins", self.book.check_ins, lambda c: c.date,
                         lambda item: _try(to_date, item.get("date")))
        self._plan_dated("comments", self.book.comments, lambda c: (c.at, c.author),
                         lambda item: (_try(to_datetime, item.get("at")), _try(to_text, item.get("author"))))
        self._plan_dated("approvals", self.book.approvals, lambda a: (a.at, a.state),
                         lambda item: (_try(to_datetime, item.get("at")), _try(to_text, item.get("state"))))

    def home_of(self, eid: str, section: str | None = None, default: _File | None = None) -> _File:
        """The file an entity lives in (a key result lives with its objective)."""
        if section is None:
            if eid in self.kr_home:
                eid, section = self.kr_home[eid], "objectives"
            else:
                for s in _SECTION_SHAPES:
                    if f"{s}:{eid}" in self.home:
                        section = s
                        break
        f = self.home.get(f"{section}:{eid}", default or self.files[0])
        self.home.setdefault(f"{section}:{eid}", f)
        return f

    def _pair_links(self) -> None:
        wanted: dict[tuple[str, str], deque[Link]] = defaultdict(deque)
        for lk in self.book.links:
            wanted[(lk.source, lk.target)].append(lk)
        for f in self.files:
            for key, source, target in self._existing_links(f):
                q = wanted.get((source, target))
                if q:
                    self.paired[key] = q.popleft()
        sources = _inline_sources(self.book)
        for q in wanted.values():
            for lk in q:
                if lk.source in sources:
                    self.home_of(lk.source).new_links[lk.source].append(lk)
                else:
                    self.home_of(lk.source).new_section_links.append(lk)

    def _existing_links(self, f: _File) -> Iterable[tuple[Any, str, str]]:
        """(pairing key, source, target) for every link written in a file."""
        doc = f.doc if isinstance(f.doc, dict) else {}
        for shape in F.ENTITY_SHAPES:
            seq = doc.get(shape.section)
            for ent in seq if isinstance(seq, list) else ():
                if isinstance(ent, dict):
                    source = _text(ent.get("id"))
                    for n, item in enumerate(_support_items(ent)):
                        yield _support_key(ent, n), source, _support_target(item)
        links = doc.get("links")
        for item in links if isinstance(links, list) else ():
            if isinstance(item, dict):
                yield id(item), _text(item.get("from")), _text(item.get("to"))

    def _plan_dated(self, section: str, objs: list, model_key: Callable, file_key: Callable) -> None:
        """Pair each id's list of check-ins (or comments), across all files, with the model's in order:
        kept ones are merged where they stand, a changed date is one changed line, new ones go
        where the model has them (after the one before them), or to a new list in the id's file."""
        wanted: dict[str, list] = defaultdict(list)
        for c in objs:
            wanted[c.target_id].append(c)
        places: dict[str, list[tuple[_File, Any, CommentedSeq]]] = defaultdict(list)
        for f in self.files:
            cmap = f.doc.get(section) if isinstance(f.doc, dict) else None
            for tid, seq in cmap.items() if isinstance(cmap, dict) else ():
                if isinstance(seq, list):
                    places[_text(tid)].append((f, tid, seq))
        for tid in {**places, **wanted}:
            items, where = wanted.get(tid, []), places.get(tid, [])
            if not where:
                self.home_of(tid).new_dated[section][tid] = items
                continue
            flat = [(p, n) for p, (_, _, seq) in enumerate(where) for n in range(len(seq))]
            keys = [file_key(where[p][2][n]) if isinstance(where[p][2][n], dict) else object() for p, n in flat]
            steps: list[list] = [[] for _ in where]
            at = 0
            for i, obj in align(keys, items, [model_key(c) for c in items]):
                if i is not None:
                    at, n = flat[i]
                    steps[at].append((n, obj))
                else:
                    steps[at].append((None, obj))
            for (f, key, _), todo in zip(where, steps, strict=True):
                f.dated[section].append((key, todo))

    # --- updating one document --------------------------------------------------------------
    def merge(self, f: _File) -> None:
        if f.doc is None:
            f.doc = _document({"goalbook": F.FORMAT_VERSION} if f.main else {})
            f.changed = True
        doc = f.doc
        if f.main:
            book = self.book
            self._set(f, doc, F.TOP.by_key["goalbook"], F.FORMAT_VERSION, F.TOP, always=True)
            self._set(f, doc, F.TOP.by_key["organisation"], book.organisation or None, F.TOP)
            self._set(f, doc, F.TOP.by_key["fiscal_year_start"], book.fiscal_year_start, F.TOP)
            self._merge_approvers(f, doc)
        for shape in F.ENTITY_SHAPES:
            self._merge_entities(f, doc, shape.section, f.entities.get(shape.section, []), shape)
        self._merge_section_links(f, doc)
        self._merge_dated(f, doc, "check_ins", F.CHECK_IN, self.plain.check_in)
        self._merge_dated(f, doc, "comments", F.COMMENT, self.plain.comment)
        self._merge_dated(f, doc, "approvals", F.APPROVAL, self.plain.approval)

    def _merge_approvers(self, f: _File, doc: CommentedMap) -> None:
        """The ``approvers:`` mapping, rewritten only when who approves what has changed."""
        wanted = approvers_data(self.book.approvers)
        have = doc.get("approvers")
        plain = {k: {str(n): [str(p) for p in (v if isinstance(v, list) else [v])] for n, v in t.items()}
                 for k, t in have.items() if isinstance(t, dict)} if isinstance(have, dict) else None
        if (plain or None) == (wanted or None):
            return
        f.changed = True
        if not wanted:
            drop_key(doc, "approvers")
            return
        node = CommentedMap({k: CommentedMap({n: _flow_seq(p) for n, p in t.items()}) for k, t in wanted.items()})
        if "approvers" in doc:
            doc["approvers"] = node
        else:
            _insert(doc, "approvers", node, F.TOP)

    def _set(self, f: _File, cm: CommentedMap, fld: F.Field, value: Any, shape: F.Shape,
             always: bool = False) -> None:
        """Make one scalar field of ``cm`` say ``value``, touching it only when the meaning differs.
        A field left out means its default, so a default is written only where the field already
        is (and the format wants it shown) or where ``always`` asks for it."""
        key = fld.key
        is_default = value is None or (fld.default is not None and value == fld.default)
        if key in cm:
            if self._same(cm[key], value, fld):
                return
            if value is None or (is_default and not (always or fld.always)):
                drop_key(cm, key)
            else:
                new = self.plain.value(value, fld, shape.name, None)
                cm[key] = styled(new, cm[key]) if isinstance(new, str) else new
            f.changed = True
        elif value is not None and (always or not is_default):
            _insert(cm, key, self.plain.value(value, fld, shape.name, None), shape)
            f.changed = True

    def _same(self, existing: Any, value: Any, fld: F.Field) -> bool:
        if existing is None:
            return value is None or value == fld.default
        try:
            if fld.kind == F.PERIOD:
                return value is not None and to_period(existing, self.fys) == to_period(value, self.fys)
            conv = _CONVERT.get(fld.kind)
            return conv is not None and value is not None and conv(existing) == conv(value)
        except BadValue:
            return False

    def _merge_fields(self, f: _File, cm: CommentedMap, obj: Any, shape: F.Shape) -> None:
        for fld in shape.fields:
            if fld.kind in _NESTED:
                continue
            attr = "source" if fld.key == "from" else "target" if fld.key == "to" else fld.key
            self._set(f, cm, fld, getattr(obj, attr), shape)

    def _merge_entities(self, f: _File, parent: CommentedMap, section: str, wanted: list, shape: F.Shape) -> None:
        """Entities by id: kept ones merged where they stand, new ones where the model has them."""
        seq = parent.get(section)
        items = seq if isinstance(seq, list) else ()
        keys = [_text(item.get("id")) if isinstance(item, dict) else object() for item in items]
        steps = align(keys, wanted, [obj.id for obj in wanted], pair_changed=False)
        self._rebuild(f, parent, section, steps, lambda node, obj: self._merged_entity(f, node, obj, shape),
                      lambda obj, neighbour: self._new_entity(f, obj, shape, neighbour),
                      F.OBJECTIVE if section == "key_results" else F.TOP)

    def _merged_entity(self, f: _File, node: Any, obj: Any, shape: F.Shape) -> Any:
        self._merge_entity(f, node, obj, shape)
        return node

    def _new_entity(self, f: _File, obj: Any, shape: F.Shape, neighbour: Any) -> Any:
        node = like(_node(self.plain.entity(obj, shape, f.new_links), shape.section), neighbour)
        f.new_links.pop(obj.id, None)
        return node

    def _rebuild(self, f: _File, parent: CommentedMap, key: Any, steps: list, merge: Callable,
                 make: Callable, shape: F.Shape) -> None:
        """Apply ``steps`` to the list ``parent[key]``; a list this save empties goes, with its key, and
        a missing one is added, filled, where ``shape`` orders it."""
        seq = parent.get(key)
        if not isinstance(seq, list):
            seq = CommentedSeq()
            rebuild(seq, steps, merge, make)
            if seq:
                _insert(parent, key, seq, shape)
                f.changed = True
            return
        had = len(seq)
        after = _unflow(parent, key) if not had and steps else ""
        if rebuild(seq, steps, merge, make):
            f.changed = True
        if after and seq:
            set_trailer(parent, key, after)
        if had and not seq:
            drop_key(parent, key)

    def _merged_item(self, f: _File, node: Any, obj: Any, shape: F.Shape, plain: Callable[[Any], dict]) -> Any:
        """A one-line item (check-in, KPI value, checkpoint, link) merged field by field."""
        if isinstance(node, dict):
            self._merge_fields(f, node, obj, shape)
            return node
        f.changed = True
        return _flow_map(plain(obj))

    def _merge_entity(self, f: _File, cm: CommentedMap, obj: Any, shape: F.Shape) -> None:
        self._merge_fields(f, cm, obj, shape)
        for fld in shape.fields:
            if fld.kind == F.SUPPORTS:
                self._merge_supports(f, cm, obj.id, shape)
            elif fld.kind == F.KEY_RESULTS:
                self._merge_entities(f, cm, "key_results", obj.key_results, F.KEY_RESULT)
            elif fld.kind == F.CHECKPOINTS:
                self._merge_list(f, cm, "checkpoints", obj.checkpoints, F.CHECKPOINT, shape,
                                 lambda item: _try(to_text, item.get("name")), lambda c: c.name)
            elif fld.kind == F.VALUES:
                self._merge_list(f, cm, "values", obj.values, F.KPI_VALUE, shape,
                                 lambda item: _try(to_date, item.get("date")), lambda v: v.date)
            elif fld.kind == F.SPEND:
                self._merge_list(f, cm, "spend", obj.spend, F.SPEND_ENTRY, shape,
                                 lambda item: _try(to_date, item.get("date")), lambda v: v.date)

    def _merge_list(self, f: _File, cm: CommentedMap, key: str, wanted: list, item_shape: F.Shape,
                    shape: F.Shape, file_key: Callable, model_key: Callable) -> None:
        """Checkpoints and KPI values: paired by name or date, in order."""
        seq = cm.get(key)
        items = seq if isinstance(seq, list) else ()
        keys = [file_key(item) if isinstance(item, dict) else object() for item in items]
        plain = lambda obj: self.plain.fields(obj, item_shape, shape.name, None)  # noqa: E731
        self._rebuild(f, cm, key, align(keys, wanted, [model_key(obj) for obj in wanted]),
                      lambda node, obj: self._merged_item(f, node, obj, item_shape, plain),
                      lambda obj, neighbour: like(_flow_map(plain(obj)), neighbour), shape)

    def _merge_supports(self, f: _File, cm: CommentedMap, eid: str, shape: F.Shape) -> None:
        sup = cm.get("supports")
        changed = False
        keep = []
        for n, item in enumerate(_support_items(cm)):
            lk = self.paired.get(_support_key(cm, n))
            if lk is None:
                changed = True
            elif isinstance(item, dict):
                for k in ("kind", "weight"):
                    self._set(f, item, F.SUPPORT.by_key[k], getattr(lk, k), F.SUPPORT)
                keep.append(item)
            elif isinstance(new := self.plain.support(lk), dict):
                keep.append(_flow_map(new))
                changed = True
            else:
                keep.append(item)
        for lk in f.new_links.pop(eid, []):
            new = self.plain.support(lk)
            keep.append(_flow_map(new) if isinstance(new, dict) else new)
            changed = True
        if not changed:
            return
        f.changed = True
        if not keep:
            if "supports" in cm:
                drop_key(cm, "supports")
        elif isinstance(sup, list):
            sup[:] = keep
        elif "supports" in cm:
            cm["supports"] = _flow_seq(keep)
        else:
            _insert(cm, "supports", _flow_seq(keep), shape)

    def _merge_section_links(self, f: _File, doc: CommentedMap) -> None:
        links = doc.get("links")
        items = links if isinstance(links, list) else ()
        steps = [(n, self.paired.get(id(item)) if isinstance(item, dict) else None) for n, item in enumerate(items)]
        steps += [(None, lk) for lk in f.new_section_links]
        self._rebuild(f, doc, "links", steps, lambda node, lk: self._merged_item(f, node, lk, F.LINK, self.plain.link),
                      lambda lk, neighbour: like(_flow_map(self.plain.link(lk)), neighbour), F.TOP)

    def _merge_dated(self, f: _File, doc: CommentedMap, section: str, shape: F.Shape,
                     plain: Callable[[Any], dict]) -> None:
        cmap = doc.get(section)
        lists = cmap.values() if isinstance(cmap, dict) else ()
        sample = next((item for seq in lists if isinstance(seq, list) for item in seq if isinstance(item, dict)), None)
        for key, steps in f.dated.get(section, ()):
            self._rebuild(f, cmap, key, steps, lambda node, obj: self._merged_item(f, node, obj, shape, plain),
                          lambda obj, neighbour: like(_flow_map(plain(obj)), neighbour or sample), F.TOP)
        new = {tid: items for tid, items in f.new_dated.get(section, {}).items() if items}
        if new:
            lists = cmap if isinstance(cmap, dict) else CommentedMap()
            for tid, items in new.items():
                lists[tid] = CommentedSeq(like(_flow_map(plain(c)), sample) for c in items)
            if lists is not cmap:
                _insert(doc, section, lists, F.TOP)
            f.changed = True
        if f.dated.get(section) and isinstance(cmap, dict) and not cmap:
            drop_key(doc, section)


def _support_items(ent: dict) -> list:
    sup = ent.get("supports")
    return sup if isinstance(sup, list) else [sup] if sup is not None else []


def _support_key(ent: dict, n: int) -> tuple[str, int, int]:
    """Inline items may be plain strings, so they are known by their entity and position."""
    return ("supports", id(ent), n)


def _support_target(item: Any) -> str:
    return _text(item.get("id")) if isinstance(item, dict) else _text(item)


def _text(v: Any) -> str:
    return _try(to_text, v) or ""


def _try(conv: Callable[[Any], Any], v: Any) -> Any:
    try:
        return conv(v) if v is not None else None
    except BadValue:
        return None


def _insert(cm: CommentedMap, key: str, value: Any, shape: F.Shape) -> None:
    """Add ``key`` after the last present key that comes before it in the format's order (or
    replace its value where it is, when it is there already, e.g. an empty ``check_ins:``)."""
    if key in cm:  # e.g. an empty ``check_ins:``; what followed it stays after the new value
        after = trailer(cm, key)
        set_trailer(cm, key, "")
        cm[key] = value
        set_trailer(cm, key, after)
        return
    order = shape.keys
    rank = order.index(key) if key in order else len(order)
    pos = 0
    for i, k in enumerate(cm):
        if k in order and order.index(k) < rank:
            pos = i + 1
    insert_key(cm, pos, key, value)


def _unflow(parent: Any, key: Any) -> str:
    """An empty ``[]`` about to get items becomes a block list; returns the comment lines that
    followed it, to put back after its items."""
    seq = parent[key]
    if seq.fa.flow_style() is not True:
        return ""
    after = trailer(parent, key)
    set_trailer(parent, key, "")
    seq.fa.set_block_style()
    return after


# --- saving --------------------------------------------------------------------------------------
def _read_existing(f: _File, template: Path | None = None) -> None:
    """Load the file's round-trip document; a new file starts from ``template`` (save-as keeps comments)."""
    f.exists = f.path.exists()
    source = f.path if f.exists else template
    if source is None or not source.exists():
        return
    f.raw = source.read_bytes().decode("utf-8-sig")
    f.text = f.raw.replace("\r\n", "\n")
    try:
        f.doc = _yaml(f.text).load(f.text)
    except YAMLError as exc:
        raise ValidationError([Problem(f"the file on disk is not valid YAML any more ({exc}); not saved over it",
                                       file=str(source))]) from None
    if f.doc is not None and not isinstance(f.doc, dict):
        raise ValidationError([Problem("the file on disk does not hold a goalbook; not saved over it",
                                       file=str(source))])
    if isinstance(f.doc, dict):
        hoist_comments(f.doc)
        if not f.exists and "include" in f.doc:
            drop_key(f.doc, "include")


def _render(book: Goalbook, paths: list[Path], template: Path | None = None) -> list[tuple[Path, str]]:
    """The new text of every file that changes."""
    files = [_File(p, main=(n == 0)) for n, p in enumerate(paths)]
    for f in files:
        _read_existing(f, template if f.main else None)
    if len(files) == 1 and files[0].doc is None:
        return [(files[0].path, _dump(_yaml(), _document(to_data(book))))]
    merger = _Merger(book, files)
    for f in files:
        merger.merge(f)
    if merger.plain.problems:
        raise ValidationError(merger.plain.problems, "the goalbook holds values that cannot be written")
    out = []
    for f in files:
        if f.changed or not f.exists:
            text = _dump(_yaml(f.text), f.doc, f.text)
            if f.raw and "\r\n" in f.raw:  # keep Windows line ends where the file had them
                text = text.replace("\n", "\r\n")
            if text != f.raw or not f.exists:
                out.append((f.path, text))
    return out


def _write_all(texts: list[tuple[Path, str]]) -> None:
    """Write every changed file, all or none (see ``goalbook.io._atomic``)."""
    write_files([(path, lambda tmp, text=text: Path(tmp).write_text(text, encoding="utf-8", newline=""))
                 for path, text in texts])


def save_goalbook(book: Goalbook, path: str | os.PathLike | None = None) -> None:
    """Save ``book`` to ``path``, or with ``path=None`` back to the files it was loaded from
    (each entity to its own file, new ones to the main file).

    Refuses (:class:`~goalbook.errors.ValidationError`, files untouched) a book with errors.
    Existing files keep their comments and layout; only what changed is rewritten.
    """
    errors = [p for p in book.validate() if p.severity == "error"]
    if errors:
        raise ValidationError(errors, f"not saved: the goalbook has {len(errors)} problem"
                                      f"{'s' if len(errors) != 1 else ''}")
    if path is None:
        if not book.sources:
            raise GoalbookError("this goalbook was not loaded from a file — give a path to save it to")
        paths = [Path(s) for s in book.sources]
    else:
        target = Path(path)
        if target.is_dir():
            raise IsADirectoryError(21, "give a file name to save the goalbook to, not a folder", str(target))
        same = book.sources and target.resolve() == Path(book.sources[0]).resolve()
        paths = [Path(s) for s in book.sources] if same else [target]
    template = Path(book.sources[0]) if book.sources else None
    _write_all(_render(book, paths, template))
