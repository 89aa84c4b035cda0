"""Writing goalbook YAML: plain data in the format's key order, and saves that keep a file's look.

A save never writes a goalbook with errors, and it is atomic (``goalbook.io._atomic``): a failure
at any point leaves the old files byte for byte as they were. When a file exists, the model is
merged into its round-trip document (ruamel.yaml): changed fields are updated in place, new
entities appended, removed ones dropped. Comments, key order, quoting and untouched lines stay as
they were; an unchanged book is not rewritten at all. A book loaded from several files is written
back to the files it came from.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from goalbook.errors import GoalbookError, Problem, ValidationError
from goalbook.io import _fields as F
from goalbook.io._atomic import write_files
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
from goalbook.model import CheckIn, Comment, Goalbook, Link
from goalbook.period import Period

_CONVERT: dict[str, Callable[[Any], Any]] = {F.TEXT: to_text, F.NUMBER: to_number, F.INTEGER: to_integer,
                                              F.DATE: to_date, F.DATETIME: to_datetime, F.BOOL: to_bool}
_NESTED = (F.SUPPORTS, F.KEY_RESULTS, F.CHECKPOINTS, F.VALUES)
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
        return ordered

    def check_in(self, c: CheckIn) -> dict[str, Any]:
        return self.fields(c, F.CHECK_IN, f"check-in of {c.date} on {c.target_id}", c.target_id)

    def comment(self, c: Comment) -> dict[str, Any]:
        return self.fields(c, F.COMMENT, f"comment on {c.target_id}", c.target_id)

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
        if key in ("checkpoints", "values", "links", "check_ins", "comments"):
            return CommentedSeq([_flow_map(v) for v in value])
        return CommentedSeq([_node(v, key) for v in value])
    return value


def _document(data: dict) -> CommentedMap:
    doc = CommentedMap()
    for k, v in data.items():
        if k in ("check_ins", "comments"):
            doc[k] = CommentedMap({tid: _node(items, k) for tid, items in v.items()})
        else:
            doc[k] = _node(v, k)
    return doc


def _yaml(text: str | None = None) -> YAML:
    """A round-trip YAML that reads and writes YAML 1.1, as PyYAML (the reader) does: 1.2 would
    write a text such as ``yes`` or ``on`` unquoted, and the reader would take it for true."""
    y = YAML(typ="rt")
    y.version = (1, 1)
    y.preserve_quotes = True
    y.width = 4096
    indent, offset = 4, 2
    if text:
        _, guessed, guessed_offset = load_yaml_guess_indent(text)
        if guessed is not None and guessed_offset is not None:
            indent, offset = guessed, guessed_offset
    y.indent(mapping=2, sequence=indent, offset=offset)
    return y


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
    new_check_ins: list[CheckIn] = field(default_factory=list)
    new_comments: list[Comment] = field(default_factory=list)


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
        self._pair_dated("check_ins", self.book.check_ins, lambda c: (c.target_id, c.date),
                         lambda tid, item: (tid, _try(to_date, item.get("date"))), "new_check_ins")
        self._pair_dated("comments", self.book.comments, lambda c: (c.target_id, c.at, c.author),
                         lambda tid, item: (tid, _try(to_datetime, item.get("at")), _try(to_text, item.get("author"))),
                         "new_comments")

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

    def _pair_dated(self, section: str, objs: list, model_key: Callable, file_key: Callable, new: str) -> None:
        wanted: dict[tuple, deque] = defaultdict(deque)
        for c in objs:
            wanted[model_key(c)].append(c)
        for f in self.files:
            cmap = f.doc.get(section) if isinstance(f.doc, dict) else None
            for tid, seq in cmap.items() if isinstance(cmap, dict) else ():
                for item in seq if isinstance(seq, list) else ():
                    if isinstance(item, dict):
                        q = wanted.get(file_key(_text(tid), item))
                        if q:
                            self.paired[id(item)] = q.popleft()
        for q in wanted.values():
            for c in q:
                getattr(self.home_of(c.target_id), new).append(c)

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
        for shape in F.ENTITY_SHAPES:
            self._merge_entities(f, doc, shape.section, f.entities.get(shape.section, []), shape)
        self._merge_section_links(f, doc)
        self._merge_dated(f, doc, "check_ins", f.new_check_ins, F.CHECK_IN, self.plain.check_in)
        self._merge_dated(f, doc, "comments", f.new_comments, F.COMMENT, self.plain.comment)

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
                del cm[key]
            else:
                cm[key] = self.plain.value(value, fld, shape.name, None)
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
        seq = parent.get(section)
        if not isinstance(seq, list):
            if not wanted:
                return
            seq = CommentedSeq()
            _insert(parent, section, seq, F.OBJECTIVE if section == "key_results" else F.TOP)
            f.changed = True
        by_id = {obj.id: obj for obj in wanted}
        kept = set()
        for n in range(len(seq) - 1, -1, -1):
            item = seq[n]
            eid = _text(item.get("id")) if isinstance(item, dict) else None
            if eid in by_id and eid not in kept:
                kept.add(eid)
                self._merge_entity(f, item, by_id[eid], shape)
            else:
                del seq[n]
                f.changed = True
        for obj in wanted:
            if obj.id not in kept:
                seq.append(_node(self.plain.entity(obj, shape, f.new_links), shape.section))
                f.new_links.pop(obj.id, None)
                f.changed = True
        if not seq:
            del parent[section]
            f.changed = True

    def _merge_entity(self, f: _File, cm: CommentedMap, obj: Any, shape: F.Shape) -> None:
        self._merge_fields(f, cm, obj, shape)
        for fld in shape.fields:
            if fld.kind == F.SUPPORTS:
                self._merge_supports(f, cm, obj.id, shape)
            elif fld.kind == F.KEY_RESULTS:
                self._merge_entities(f, cm, "key_results", obj.key_results, F.KEY_RESULT)
            elif fld.kind == F.CHECKPOINTS:
                self._merge_list(f, cm, "checkpoints", obj.checkpoints, F.CHECKPOINT, shape)
            elif fld.kind == F.VALUES:
                self._merge_list(f, cm, "values", obj.values, F.KPI_VALUE, shape)

    def _merge_list(self, f: _File, cm: CommentedMap, key: str, wanted: list, item_shape: F.Shape,
                    shape: F.Shape) -> None:
        """Checkpoints and KPI values: item by item, in order."""
        seq = cm.get(key)
        if not wanted:
            if key in cm:
                del cm[key]
                f.changed = True
            return
        if not isinstance(seq, list):
            _insert(cm, key, CommentedSeq(), shape)
            seq = cm[key]
            f.changed = True
        for n, obj in enumerate(wanted):
            if n < len(seq) and isinstance(seq[n], dict):
                self._merge_fields(f, seq[n], obj, item_shape)
            else:
                node = _flow_map(self.plain.fields(obj, item_shape, shape.name, None))
                if n < len(seq):
                    seq[n] = node
                else:
                    seq.append(node)
                f.changed = True
        while len(seq) > len(wanted):
            del seq[len(seq) - 1]
            f.changed = True

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
            cm.pop("supports", None)
        elif isinstance(sup, list):
            sup[:] = keep
        elif "supports" in cm:
            cm["supports"] = _flow_seq(keep)
        else:
            _insert(cm, "supports", _flow_seq(keep), shape)

    def _merge_section_links(self, f: _File, doc: CommentedMap) -> None:
        links = doc.get("links")
        for n in range(len(links) - 1 if isinstance(links, list) else -1, -1, -1):
            item = links[n]
            lk = self.paired.get(id(item)) if isinstance(item, dict) else None
            if lk is None:
                del links[n]
                f.changed = True
            else:
                self._merge_fields(f, item, lk, F.LINK)
        if f.new_section_links:
            if not isinstance(links, list):
                links = CommentedSeq()
                _insert(doc, "links", links, F.TOP)
            links.extend(_flow_map(self.plain.link(lk)) for lk in f.new_section_links)
            f.changed = True
        if isinstance(links, list) and not links:
            del doc["links"]
            f.changed = True

    def _merge_dated(self, f: _File, doc: CommentedMap, section: str, new: list, shape: F.Shape,
                     plain: Callable[[Any], dict]) -> None:
        cmap = doc.get(section)
        if isinstance(cmap, dict):
            for tid in list(cmap):
                seq = cmap[tid]
                for n in range(len(seq) - 1 if isinstance(seq, list) else -1, -1, -1):
                    item = seq[n]
                    obj = self.paired.get(id(item)) if isinstance(item, dict) else None
                    if obj is None:
                        del seq[n]
                        f.changed = True
                    else:
                        self._merge_fields(f, item, obj, shape)
                if not isinstance(seq, list) or not seq:
                    del cmap[tid]
                    f.changed = True
        if new:
            if not isinstance(cmap, dict):
                cmap = CommentedMap()
                _insert(doc, section, cmap, F.TOP)
            keys = {_text(k): k for k in cmap}
            for c in new:
                tid = keys.setdefault(c.target_id, c.target_id)
                if tid not in cmap:
                    cmap[tid] = CommentedSeq()
                cmap[tid].append(_flow_map(plain(c)))
            f.changed = True
        if isinstance(cmap, dict) and not cmap:
            del doc[section]
            f.changed = True


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
    if key in cm:
        cm[key] = value
        return
    order = shape.keys
    rank = order.index(key) if key in order else len(order)
    pos = 0
    for i, k in enumerate(cm):
        if k in order and order.index(k) < rank:
            pos = i + 1
    cm.insert(pos, key, value)


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
    if not f.exists and isinstance(f.doc, dict):
        f.doc.pop("include", None)


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
