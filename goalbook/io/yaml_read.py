"""Reading goalbook YAML: one file, a folder, a list of files, and the files they ``include``.

The fast path parses with libyaml (``yaml.CSafeLoader``) into plain data, builds the model in one
pass and checks it. Only when something is wrong are the files composed again into nodes, which
carry line and column, so every problem can name the file, line, column, entity and field.
"""

from __future__ import annotations

import glob
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from goalbook.errors import Problem, UnreadableFileError, ValidationError
from goalbook.io import _fields as F
from goalbook.io._reader import Reader
from goalbook.io._values import BadValue, describe, to_integer, to_text
from goalbook.model import Goalbook, did_you_mean

PathLike = str | os.PathLike


class _LineLoader(yaml.CSafeLoader):
    """libyaml's safe loader that also notes the line of every mapping holding an ``id`` and any
    key written twice in one mapping (plain YAML keeps the last silently)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.id_lines: dict[int, int] = {}
        self.duplicates: list[tuple[str, int, int, int]] = []  # key, line, column, first line
        self.unreadable: dict[int, tuple[yaml.ScalarNode, str]] = {}  # id(node) → node, why YAML cannot read it
        self.fields: dict[int, str] = {}  # id(node) → the key an unreadable value was written under


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterable[dict]:
    data: dict = {}
    yield data
    n = len(node.value)
    data.update(loader.construct_mapping(node))
    if len(data) < n:
        _note_duplicates(loader, node)
    if loader.unreadable:
        loader.fields.update((id(v), k.value) for k, v in node.value
                             if id(v) in loader.unreadable and isinstance(k, yaml.ScalarNode))
    if "id" in data:
        loader.id_lines[id(data)] = node.start_mark.line + 1


def _note_duplicates(loader: _LineLoader, node: yaml.MappingNode) -> None:
    lo, hi = node.start_mark.index, node.end_mark.index
    first: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or not lo <= key.start_mark.index <= hi:
            continue  # merged in from an anchor elsewhere
        if key.value in first:
            loader.duplicates.append((key.value, key.start_mark.line + 1, key.start_mark.column + 1,
                                      first[key.value]))
        else:
            first[key.value] = key.start_mark.line + 1


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _shown(text: str) -> str:
    """A scalar as a message quotes it: at most 20 characters."""
    return f"'{text}'" if len(text) <= 20 else f"'{text[:12]}…'"


def _unreadable_scalar(construct: Any, what: str) -> Any:
    """A scalar constructor that notes, instead of crashing, a value YAML itself cannot read: an unquoted
    2027-13-01, ``!!timestamp`` on text that is no date (PyYAML's own constructor fails with
    AttributeError), a number past Python's digit limit or one no float can hold. The value is kept as
    its text so the rest of the file is still read and every such value is reported, at its line; the
    file is then unreadable (:class:`~goalbook.errors.UnreadableFileError`, exit code 2)."""

    def build(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
        why = None
        try:
            value = construct(loader, node)
            if what == "number" and not isinstance(value, bool):
                float(value)  # OverflowError past about 1e308: no goal's number
                if isinstance(value, float) and math.isinf(value) and "inf" not in node.value.lower():
                    raise OverflowError
        except (ValueError, OverflowError, AttributeError) as exc:
            why = (f"{_shown(node.value)} reads as a date but is no date ({exc}) — write a real day as "
                   "YYYY-MM-DD, or put text in quotes" if what == "date" else
                   f"{_shown(node.value)} is a number of {sum(c.isdigit() for c in node.value)} digits, more "
                   "than any goal can hold — check it, or put it in quotes if it is text")
        if why is None:
            return value
        loader.unreadable[id(node)] = (node, why)
        return loader.construct_scalar(node)

    return build


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            _unreadable_scalar(yaml.SafeLoader.construct_yaml_timestamp, "date"))
_LineLoader.add_constructor("tag:yaml.org,2002:int", _unreadable_scalar(yaml.SafeLoader.construct_yaml_int, "number"))
_LineLoader.add_constructor("tag:yaml.org,2002:float",
                            _unreadable_scalar(yaml.SafeLoader.construct_yaml_float, "number"))


@dataclass
class _Doc:
    """One parsed file."""

    name: str
    path: Path
    text: str = ""
    data: Any = None
    lines: dict[int, int] = field(default_factory=dict)
    ok: bool = True  # parsed into a mapping
    root: Any = None  # composed node tree, only when locating problems


_YAML_HINTS = {
    "could not find expected ':'": "each line of a mapping needs 'key: value'; a text may need quotes",
    "did not find expected key": "check the indentation of this line against the lines above it",
    "did not find expected '-' indicator": "check the indentation of this list item",
    "expected a single document in the stream": "a goalbook file holds one document; remove the second '---'",
    "but found another document": "a goalbook file holds one document; remove the second '---'",
    "found undefined alias": "an '*' starts an alias; put text starting with '*' in quotes",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "found unknown escape character": "inside double quotes a backslash starts an escape; use single quotes",
    "while parsing a flow": "a bracket or brace is not closed, or an item in it needs quotes",
}


def _yaml_hint(what: str, text: str, mark: Any) -> str:
    """A plain-words fix for the commonest YAML slips, judged from the message and the line."""
    line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    col = mark.column if mark is not None else 0
    if "cannot start any token" in what and line[col:col + 1] == "\t":
        return "YAML does not allow tabs; indent with spaces"
    if "mapping values are not allowed" in what:
        if ": " in line[:col] or line[:col].rstrip().endswith(":"):
            return "a text that contains ': ' must be put in quotes"
        return "check the indentation of this line against the lines above it"
    return next((h for k, h in _YAML_HINTS.items() if k in what), "")


def _yaml_problem(exc: yaml.YAMLError, name: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = str(getattr(exc, "problem", None) or exc)
    hint = _yaml_hint(what + " " + str(getattr(exc, "context", "") or ""), text, mark)
    context = getattr(exc, "context", None)
    cmark = getattr(exc, "context_mark", None)
    message = f"the file is not valid YAML: {what}"
    if context and cmark is not None and cmark is not mark:
        message += f" ({context} at line {cmark.line + 1})"
    if hint:
        message += f" — {hint}"
    return Problem(message, file=name, line=mark.line + 1 if mark else None,
                   column=mark.column + 1 if mark else None)


MAX_FILE_BYTES = 64 * 2**20
"""The largest goalbook file read, as for a table (the example is 20 kB; the 10,000-person organisation
of ``make bench`` is 31 MB in one file)."""
MAX_INCLUDED_FILES = 2000
"""At most this many files are included in all, so a pattern such as ``**/*`` cannot run away."""


def _parse(doc: _Doc, problems: list[Problem]) -> None:
    try:
        size = doc.path.stat().st_size
        if size > MAX_FILE_BYTES:
            doc.ok = False
            problems.append(Problem(f"the file is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                                    "a goalbook file may be — split it with include:", file=doc.name))
            return
        raw = doc.path.read_bytes()
    except OSError as exc:
        doc.ok = False
        problems.append(Problem(f"cannot read the file: {exc.strerror or exc}", file=doc.name))
        return
    try:
        doc.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        doc.ok = False
        line = raw[:exc.start].count(b"\n") + 1
        problems.append(Problem(f"the file is not UTF-8 text (byte {raw[exc.start]:#04x}) — save it as UTF-8",
                                file=doc.name, line=line))
        return
    loader = _LineLoader(doc.text)
    try:
        doc.data = loader.get_single_data()
    except yaml.YAMLError as exc:
        doc.ok = False
        problems.append(_yaml_problem(exc, doc.name, doc.text))
        return
    finally:
        loader.dispose()
    doc.lines = loader.id_lines
    for key, (node, why) in loader.unreadable.items():
        doc.ok = False
        field = loader.fields.get(key)
        problems.append(Problem(f"{field} {why}" if field else why, field=field, file=doc.name,
                                line=node.start_mark.line + 1, column=node.start_mark.column + 1))
    for key, line, column, first in loader.duplicates:
        problems.append(Problem(f"field '{key}' is written twice in one place (first on line {first}); "
                                "only the last would count — keep one", field=key, file=doc.name,
                                line=line, column=column))
    if doc.data is None:
        doc.ok = False
        problems.append(Problem("the file is empty — a goalbook file starts with 'goalbook: 1' followed by "
                                "sections such as objectives:", file=doc.name, line=1))
    elif type(doc.data) is not dict:
        doc.ok = False
        problems.append(Problem(f"the file should hold named sections (goalbook: 1, objectives: ...), "
                                f"not {describe(doc.data)}", file=doc.name, line=1, column=1))


# --- finding the files ---------------------------------------------------------------------------
def _initial(path: PathLike | Iterable[PathLike]) -> tuple[list[Path], str | None]:
    """The files named by ``path`` and, for a folder, the folder's name."""
    if isinstance(path, str | os.PathLike):
        p = Path(path)
        if p.is_dir():
            # hidden files are not part of a goalbook (as for lint): a save killed half-way leaves its
            # temporary file (.name.XXXX.tmp.yaml) beside the real one, which must not break loading
            files = sorted(q for q in p.iterdir()
                           if q.suffix in (".yaml", ".yml") and not q.name.startswith(".") and q.is_file())
            return files, str(p)
        if not p.exists():
            raise FileNotFoundError(2, "no goalbook file or folder here", str(p))
        return [p], None
    files = [Path(x) for x in path]
    for p in files:
        if not p.is_file():
            raise FileNotFoundError(2, "no goalbook file here", str(p))
    return files, None


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    real = path.resolve()
    return any(real.is_relative_to(root) for root in roots)


def _includes(doc: _Doc, problems: list[Problem], roots: tuple[Path, ...], budget: list[int]) -> list[tuple[str, Path]]:
    """The files ``doc`` includes, confined to the goalbook's folders ``roots`` (resolved): no absolute
    path, no ``..``, nothing a symlink leads out of them, at most ``budget[0]`` files more. A file that
    is refused is never read, so no error can quote it."""
    value = doc.data.get("include")
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(Problem(f"include should be a path or a list of paths, not {describe(value)}",
                                field="include", file=doc.name, path=("include",)))
        return []
    base = doc.path.parent
    out = []
    for n, pattern in enumerate(items):
        ppath = ("include", n) if isinstance(value, list) else ("include",)

        def refuse(message: str, pattern: Any = pattern, ppath: tuple = ppath) -> None:
            problems.append(Problem(f"include: '{pattern}' {message}", field="include", file=doc.name, path=ppath))

        if not isinstance(pattern, str):
            problems.append(Problem(f"include: item {n + 1} should be a path such as teams/*.yaml, "
                                    f"not {describe(pattern)}", field="include", file=doc.name, path=ppath))
            continue
        literal = []  # the folders the pattern names before its first wildcard
        for part in Path(pattern).parts[:-1]:
            if glob.has_magic(part):
                break
            literal.append(part)
        if (os.path.isabs(pattern) or pattern.startswith("~") or "\0" in pattern
                or not _inside(base.joinpath(*literal), roots)):
            refuse("reaches outside the goalbook's folder — include files inside its folder only, by a relative "
                   "path such as teams/*.yaml")
            continue
        matches, outside, walked = [], 0, 0
        for m in glob.iglob(pattern, root_dir=base, recursive=True):
            walked += 1
            if len(matches) >= budget[0] or walked > 10 * MAX_INCLUDED_FILES:
                refuse(f"matches more than {MAX_INCLUDED_FILES} files in all — name the goalbook files more narrowly")
                break
            if not (base / m).is_file():
                continue
            if not _inside(base / m, roots):
                outside += 1
                continue
            matches.append(m)
        budget[0] -= len(matches)
        if outside:
            refuse(f"leads out of the goalbook's folder through a symbolic link ({outside} file"
                   f"{'s' if outside != 1 else ''} not read)")
        if not matches and not outside:
            says = "matches no file" if glob.has_magic(pattern) else "does not exist"
            refuse(f"{says} (looked in {base})")
        for m in sorted(matches):
            out.append((os.path.normpath(os.path.join(os.path.dirname(doc.name), m)), base / m))
    return out


def _gather(path: PathLike | Iterable[PathLike], problems: list[Problem]) -> list[_Doc]:
    """Every file of the goalbook, parsed, the main file (with the ``goalbook:`` header) first."""
    files, folder = _initial(path)
    if not files:
        raise UnreadableFileError(Problem(f"the folder {folder} holds no goalbook files (*.yaml or *.yml)",
                                          file=folder))
    docs = [_Doc(str(p), p) for p in files]
    for d in docs:
        _parse(d, problems)
    main = next((d for d in docs if d.ok and "goalbook" in d.data), docs[0])
    roots = tuple(dict.fromkeys((Path(folder) if folder else p.parent).resolve() for p in files))
    budget = [MAX_INCLUDED_FILES]
    seen: set[Path] = set()
    out: list[_Doc] = []

    def visit(d: _Doc) -> None:
        key = d.path.resolve()
        if key in seen:
            return
        seen.add(key)
        out.append(d)
        if not d.ok:
            return
        for name, p in _includes(d, problems, roots, budget):
            if p.resolve() in seen:
                continue
            inc = next((x for x in docs if x.path.resolve() == p.resolve()), None)
            if inc is None:
                inc = _Doc(name, p)
                _parse(inc, problems)
            visit(inc)

    visit(main)
    for d in docs:
        visit(d)
    return out


# --- the top level -------------------------------------------------------------------------------
def _top(doc: _Doc, main: bool, problems: list[Problem]) -> dict[str, Any]:
    """Check the top-level keys of one file; return the settings it gives."""
    out: dict[str, Any] = {}
    data = doc.data

    def bad(message: str, key: str) -> None:
        problems.append(Problem(message, field=key, file=doc.name, path=(key,)))

    for key, value in data.items():
        if key not in F.TOP.keys:
            hint = did_you_mean(str(key), F.TOP.keys) or f" — the sections of a goalbook are: {', '.join(F.TOP.keys)}"
            bad(f"unknown section '{key}'{hint}", str(key))
        elif key in ("goalbook", "fiscal_year_start") and value is not None:
            try:
                out[key] = to_integer(value)
            except BadValue as exc:
                bad(f"{key} {exc}", key)
        elif key == "organisation" and value is not None:
            try:
                out[key] = to_text(value)
            except BadValue as exc:
                bad(f"organisation {exc}", key)
    version = out.get("goalbook")
    if main and "goalbook" not in data:
        problems.append(Problem("the main file has no 'goalbook: 1' line — add it at the top so the format "
                                "version is known", field="goalbook", file=doc.name, line=1, column=1))
    elif version is not None and version != F.FORMAT_VERSION:
        bad(f"goalbook: {version} is a format version this goalbook cannot read (it reads version "
            f"{F.FORMAT_VERSION})", "goalbook")
    return out


def _check_settings(docs: list[_Doc], tops: list[dict], problems: list[Problem]) -> None:
    """Organisation and fiscal year belong to the main file; other files may only repeat them."""
    main = tops[0]
    for doc, top in zip(docs[1:], tops[1:], strict=True):
        for key, default in (("organisation", ""), ("fiscal_year_start", 1)):
            if key in top and top[key] != main.get(key, default):
                problems.append(Problem(f"{key} here ({top[key]}) differs from the main file {docs[0].name} "
                                        f"({main.get(key, default)}) — set it in the main file only",
                                        field=key, file=doc.name, path=(key,)))


# --- the public entry point ------------------------------------------------------------------------
def load_goalbook(path: PathLike | Iterable[PathLike], *, fiscal_year_start: int | None = None) -> Goalbook:
    """Read a goalbook from a YAML file, a folder of YAML files or a list of files.

    ``fiscal_year_start`` (a month) overrides the one in the file. Every problem in every file is
    collected first; if there are any, :class:`~goalbook.errors.ValidationError` lists them all,
    each with file, line, column, entity and field.
    """
    problems: list[Problem] = []
    docs = _gather(path, problems)
    good = [d for d in docs if d.ok]
    tops = [_top(d, i == 0, problems) for i, d in enumerate(docs) if d.ok]
    if good and good[0] is docs[0]:
        _check_settings(good, tops, problems)
    main = tops[0] if good and good[0] is docs[0] else {}
    fys = fiscal_year_start if fiscal_year_start is not None else main.get("fiscal_year_start", 1)
    organisation = main.get("organisation", "")

    reader = Reader(fys)
    for d in good:
        reader.read_sections(d.data, d.name, d.lines)
    book = reader.goalbook(organisation, fys)
    problems += reader.problems
    if len(good) == len(docs):
        model = [p for p in book.validate() if p.severity == "error" and (p.entity, p.field) not in reader.muted]
        if model:
            problems += _locate_model(model, good, fys)
    if problems:
        error = UnreadableFileError if len(good) < len(docs) else ValidationError  # a file not read at all: exit 2
        raise error(_located(problems, docs), _summary(problems, docs))
    book.sources = [d.name for d in docs]
    return book


def _summary(problems: list[Problem], docs: list[_Doc]) -> str:
    n = len(problems)
    files = docs[0].name if len(docs) == 1 else f"{docs[0].name} and {len(docs) - 1} more file(s)"
    return f"{files}: {n} problem{'s' if n != 1 else ''} — nothing was loaded"


# --- locating problems ---------------------------------------------------------------------------
_LINK_KEYS = {"link.source": "from", "link.target": "to", "link.kind": "kind", "link.weight": "weight"}
_SUPPORT_KEYS = {"link.target": "id", "link.kind": "kind", "link.weight": "weight"}


def _locate_model(problems: list[Problem], docs: list[_Doc], fys: int) -> list[Problem]:
    """Give problems found by ``Goalbook.validate()`` the file and source path they come from."""
    tracked = Reader(fys, track=True)
    for d in docs:
        tracked.read_sections(d.data, d.name, d.lines)
    out = []
    for p in problems:
        where = _origin(p, tracked, docs[0].name)
        out.append(replace(p, file=where[0], path=where[1]) if where else p)
    return out


def _origin(p: Problem, t: Reader, main: str) -> tuple[str, tuple] | None:
    kind = p.path[0] if p.path else None
    if kind == "links" and p.path[1] < len(t.link_origins):
        o = t.link_origins[p.path[1]]
        if o[0] == "section":
            return o[1], o[2] + (_LINK_KEYS.get(p.field or "", "from"),)
        key = _SUPPORT_KEYS.get(p.field or "") if o[3] else None
        return o[1], o[2] + ((key,) if key else ())
    if kind in ("check_ins", "comments", "approvals"):
        origins = t.check_in_origins if kind == "check_ins" else t.comment_origins if kind == "comments" else \
            t.approval_origins
        if p.path[1] < len(origins):
            file, ipath = origins[p.path[1]]
            return file, ipath[:2] if p.field in ("check_in", "comment") else (*ipath, p.field)
        return None
    if p.entity and p.entity in t.entity_origins:
        places = t.entity_origins[p.entity]
        file, epath = places[-1] if p.field == "id" else places[0]
        return file, (*epath, p.field) if p.field else epath
    if p.field == "fiscal_year_start":
        return main, ("fiscal_year_start",)
    return None


def _mark(root: Any, path: tuple) -> tuple[int, int] | None:
    """1-based line and column of the deepest node along ``path`` (a mapping key's own position)."""
    node, mark = root, root.start_mark if root is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(step)),
                       None)
            if hit is None:
                break
            mark, node = hit[0].start_mark, hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _located(problems: list[Problem], docs: list[_Doc]) -> list[Problem]:
    by_name = {d.name: d for d in docs}
    order = {d.name: i for i, d in enumerate(docs)}
    out = []
    for p in problems:
        d = by_name.get(p.file or "")
        if p.line is None and d is not None and d.text:
            if d.root is None:
                try:
                    d.root = yaml.compose(d.text, Loader=yaml.CSafeLoader)
                except yaml.YAMLError:
                    d.root = False
            if d.root:
                lc = _mark(d.root, p.path)
                if lc:
                    p = p.located(line=lc[0], column=lc[1])
        out.append(p)
    out.sort(key=lambda p: (order.get(p.file or "", len(order)), p.line or 0, p.column or 0))
    return out
