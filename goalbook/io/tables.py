"""A goalbook as tables: pandas frames, a folder of CSV files or one Excel workbook, and back.

Every kind gets one table with a fixed column order: ids and text as strings, dates as
``datetime64``, numbers as floats. Links, check-ins, KPI values and comments are tables of their
own, keyed by the id they belong to; key results carry their ``objective_id``. Milestone
checkpoints, which have no table of their own, travel as JSON text in the ``checkpoints`` column.
Reading tables back goes through the same converter as YAML, so a bad cell is reported with its
file (and sheet), row and column, every bad cell at once.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from goalbook.errors import Problem, UnreadableFileError, ValidationError
from goalbook.io import _fields as F
from goalbook.io._atomic import write_files
from goalbook.io._reader import Reader
from goalbook.model import Goalbook, did_you_mean

_TEXT_DTYPE: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
_DATE_DTYPE = "datetime64[us]"


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # a value kind from _fields, or "derived" (written, ignored on import)
    get: Callable[[Any], Any]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


def _columns(shape: F.Shape, *, skip: Iterable[str] = (), first: tuple[_Column, ...] = ()) -> tuple[_Column, ...]:
    cols = list(first)
    for f in shape.fields:
        if f.key in skip or f.kind in (F.SUPPORTS, F.KEY_RESULTS, F.VALUES):
            continue
        if f.kind == F.SPEND:  # entries go to the spend table; the total is shown beside the budget
            cols.append(_Column("spent", _DERIVED_NUMBER, _attr("spent")))
            continue
        if f.kind == F.CHECKPOINTS:
            cols.append(_Column(f.key, F.CHECKPOINTS, _checkpoints_json))
            continue
        cols.append(_Column(f.key, f.kind, _attr(f.key)))
        if f.kind == F.PERIOD:
            cols.append(_Column("period_start", "derived", lambda o: o.period.start if o.period else None))
            cols.append(_Column("period_end", "derived", lambda o: o.period.end if o.period else None))
    return tuple(cols)


def _checkpoints_json(kr: Any) -> str | None:
    if not kr.checkpoints:
        return None
    return json.dumps([{"name": c.name, "done": c.done} for c in kr.checkpoints], ensure_ascii=False)


_ID = _Column("id", F.TEXT, _attr("id"))
_DERIVED_NUMBER = "derived_number"  # a number worked out from other fields: written, ignored on import

# kind -> (columns, rows of the book)
TABLES: dict[str, tuple[tuple[_Column, ...], Callable[[Goalbook], Iterable[Any]]]] = {
    "objectives": (_columns(F.OBJECTIVE), lambda b: b.objectives),
    "key_results": (_columns(F.KEY_RESULT, skip=("id",), first=(
        _ID, _Column("objective_id", F.TEXT, _attr("objective_id")))), lambda b: b.key_results),
    "smart_goals": (_columns(F.SMART_GOAL), lambda b: b.smart_goals),
    "kpis": (_columns(F.KPI), lambda b: b.kpis),
    "initiatives": ((*_columns(F.INITIATIVE), _Column("ice_score", _DERIVED_NUMBER, _attr("ice"))),
                    lambda b: b.initiatives),
    "links": ((_Column("source", F.TEXT, _attr("source")), _Column("target", F.TEXT, _attr("target")),
               _Column("kind", F.TEXT, _attr("kind")), _Column("weight", F.NUMBER, _attr("weight"))),
              lambda b: b.links),
    "check_ins": (_columns(F.CHECK_IN, first=(_Column("target_id", F.TEXT, _attr("target_id")),)),
                  lambda b: b.check_ins),
    "kpi_values": ((_Column("kpi_id", F.TEXT, lambda kv: kv[0]), _Column("date", F.DATE, lambda kv: kv[1].date),
                    _Column("value", F.NUMBER, lambda kv: kv[1].value)),
                   lambda b: ((k.id, v) for k in b.kpis for v in k.values)),
    "comments": (_columns(F.COMMENT, first=(_Column("target_id", F.TEXT, _attr("target_id")),)),
                 lambda b: b.comments),
    "approvals": (_columns(F.APPROVAL, first=(_Column("target_id", F.TEXT, _attr("target_id")),)),
                  lambda b: b.approvals),
    "spend": ((_Column("goal_id", F.TEXT, lambda gs: gs[0]), *(_Column(f.key, f.kind, lambda gs, k=f.key: getattr(
        gs[1], k)) for f in F.SPEND_ENTRY.fields)),
              lambda b: ((g.id, s) for g in (*b.smart_goals, *b.initiatives) for s in g.spend)),
}
KINDS: tuple[str, ...] = tuple(TABLES)
_META = "goalbook"  # the sheet/file with organisation and fiscal_year_start


def _series(values: list[Any], kind: str) -> pd.Series:
    if kind in (F.NUMBER, F.INTEGER, _DERIVED_NUMBER):
        return pd.Series([float(v) if v is not None else math.nan for v in values], dtype="float64")
    if kind in (F.DATE, F.DATETIME) or kind == "derived":
        moments = pd.to_datetime(pd.Series(values, dtype=object))
        try:
            return moments.astype(_DATE_DTYPE)
        except (TypeError, ValueError):  # time-zone aware moments keep their zone
            return moments
    if kind == F.BOOL:
        return pd.Series(values, dtype="boolean")
    if kind == F.PERIOD:
        values = [v.name if v is not None else None for v in values]
    return pd.Series(values, dtype=_TEXT_DTYPE)


def to_frame(book: Goalbook, kind: str) -> pd.DataFrame:
    """One kind of the goalbook as a DataFrame with a stable column order.

    ``kind`` is one of objectives, key_results, smart_goals, kpis, initiatives, links, check_ins,
    kpi_values, comments. Ids and text are strings, dates ``datetime64``, numbers floats.
    """
    if kind not in TABLES:
        raise ValueError(f"no table '{kind}'{did_you_mean(kind, KINDS)}; the tables are: {', '.join(KINDS)}")
    columns, rows = TABLES[kind]
    items = list(rows(book))
    data = {c.name: _series([c.get(o) for o in items], c.kind) for c in columns}
    return pd.DataFrame(data, columns=[c.name for c in columns])


def _meta_frame(book: Goalbook) -> pd.DataFrame:
    keys, values = ["organisation", "fiscal_year_start"], [book.organisation, str(book.fiscal_year_start)]
    if book.approvers:  # who approves what, as the JSON of the file's approvers: mapping
        keys.append("approvers")
        values.append(json.dumps({"levels": book.approvers.levels, "teams": book.approvers.teams},
                                 ensure_ascii=False))
    return pd.DataFrame({"key": keys, "value": values})


# --- writing ---------------------------------------------------------------------------------------
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet cell that can never run as a formula: OWASP's single-quote prefix.

    Text already starting with a quote before a trigger (or a second quote) gets one more, so
    :func:`restore` gives back exactly what was written, whatever the text.
    """
    if text.startswith(FORMULA_TRIGGERS) or (text.startswith("'") and text[1:2] in (*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (a cell read back from an export)."""
    if text.startswith("'") and text[1:2] in (*FORMULA_TRIGGERS, "'"):
        return text[1:]
    return text


_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def ooxml_escape(text: str) -> str:
    """``text`` as a workbook cell keeps it: control characters (a bare CR, which XML would turn into
    LF; the others, which XML cannot hold at all) in Excel's ``_xHHHH_`` form, and a literal
    ``_xHHHH_`` with its underscore escaped, as Excel itself writes them."""
    return _OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """The text :func:`ooxml_escape` was given (openpyxl reads cells without undoing Excel's escapes)."""
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _neutralised(frame: pd.DataFrame, escape: Callable[[str], str] = lambda text: text) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralised (and escaped); numbers, dates and flags as they are."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_string_dtype(out[name]) or out[name].dtype == object:
            out[name] = pd.Series([escape(neutralise(v)) if isinstance(v, str) else v for v in out[name]],
                                  index=out.index, dtype=out[name].dtype)
    return out


def _csv_ready(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Dates as ISO text (a day without a time where the field is a day), nothing lost to formatting,
    text that cannot run as a formula."""
    columns = {c.name: c.kind for c in TABLES[kind][0]} if kind in TABLES else {}
    out = _neutralised(frame)
    for name, k in columns.items():
        if k in (F.DATE, "derived"):
            out[name] = [d.date().isoformat() if not pd.isna(d) else "" for d in frame[name]]
        elif k == F.DATETIME:
            out[name] = [d.isoformat() if not pd.isna(d) else "" for d in frame[name]]
        elif k in (F.NUMBER, _DERIVED_NUMBER):
            out[name] = ["" if pd.isna(v) else repr(int(v)) if float(v).is_integer() else repr(float(v))
                         for v in frame[name]]
    return out


def export_tables(book: Goalbook, path: str | os.PathLike) -> Path:
    """Write every table: ``path`` ending in .xlsx gives one workbook with a sheet per kind,
    any other path a folder with one CSV per kind (plus ``goalbook.csv`` with the settings).
    The files are written all or none. Returns the path written.

    No cell can run as a formula in a spreadsheet: text starting with ``= + - @``, tab or CR gets
    OWASP's single-quote prefix (:func:`neutralise`, undone by :func:`import_tables`), so workbook
    cells are always text, never formulas. CSV rows end in CRLF (RFC 4180), so a cell holding a
    bare CR or LF is quoted and reads back whole.
    """
    target = Path(path)
    frames = {_META: _meta_frame(book), **{k: to_frame(book, k) for k in KINDS}}
    if target.suffix.lower() == ".xlsx":
        def write_xlsx(tmp: str) -> None:
            xl = pd.ExcelWriter(tmp, engine="openpyxl")  # closed (saved) only when every sheet is in
            for name, frame in frames.items():
                _neutralised(frame, ooxml_escape).to_excel(xl, sheet_name=name, index=False)
            xl.close()
        write_files([(target, write_xlsx)])
        return target
    ready = {name: _csv_ready(frame, name) for name, frame in frames.items()}
    write_files([(target / f"{name}.csv",
                  lambda tmp, frame=frame: frame.to_csv(tmp, index=False, lineterminator="\r\n"))
                 for name, frame in ready.items()])
    return target


# --- reading ---------------------------------------------------------------------------------------
@dataclass
class _Sheet:
    """One table as read: where it came from and its rows as plain values (``None`` when empty)."""

    kind: str
    file: str  # the file, with the sheet named for workbooks
    header: list[str]
    rows: list[dict[str, Any]]


def _cell(v: Any, unescape: Callable[[str], str] = lambda text: text) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, str):
        return restore(unescape(v)) if v.strip() else None
    return v


MAX_TABLE_BYTES = 64 * 2**20
"""The most a CSV file, or a workbook once unzipped, may hold (a big organisation's export is a few MB)."""


def _unreadable(file: Path | str, message: str, line: int | None = None) -> UnreadableFileError:
    return UnreadableFileError(Problem(message, file=str(file), line=line))


def _check_workbook(path: Path) -> None:
    """Refuse, without parsing any XML, a file that is not a zip, unzips to more than
    :data:`MAX_TABLE_BYTES` (a zip bomb: counted while inflating, whatever its header claims) or
    declares XML entities (an entity bomb; no workbook Excel writes has a DTD)."""
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, "is not an Excel workbook (.xlsx): it is not even a zip file — save it from Excel "
                                "as .xlsx, or export CSV")
    left = MAX_TABLE_BYTES
    try:
        with zipfile.ZipFile(path) as archive:
            for item in archive.infolist():
                with archive.open(item) as member:
                    head = True
                    while chunk := member.read(2**20):
                        if head and item.filename.endswith(".xml") and b"<!DOCTYPE" in chunk[:4096].upper():
                            raise _unreadable(path, f"is not a workbook Excel wrote: {item.filename} declares XML "
                                                    "entities (an 'entity bomb')")
                        head = False
                        left -= len(chunk)
                        if left < 0:
                            raise _unreadable(path, f"unzips to more than {MAX_TABLE_BYTES // 2**20} MB (a 'zip "
                                                    "bomb', or far more than a goalbook) — not read")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _unreadable(path, f"is not a readable Excel workbook ({_one_line(exc)})") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _read_workbook(path: Path) -> list[_Sheet]:
    _check_workbook(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl and defusedxml raise many kinds; each means "not a workbook"
        raise _unreadable(path, f"is not a readable Excel workbook ({_one_line(exc)})") from None
    return [_Sheet(name, f"{path} (sheet {name})", [str(c) for c in frame.columns],
                   [{str(k): _cell(v, ooxml_unescape) for k, v in row.items()} for row in frame.to_dict("records")])
            for name, frame in sheets.items()]


def _read_csv(path: Path) -> _Sheet:
    """One CSV file, strictly: UTF-8, well-formed quoting, every row as wide as the header."""
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise _unreadable(path, f"is over {MAX_TABLE_BYTES // 2**20} MB, far more than a goalbook table — not read")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable(path, f"is not UTF-8 text (byte {raw[exc.start]:#04x}) — save it as CSV UTF-8",
                          raw[:exc.start].count(b"\n") + 1) from None
    if not text.strip():
        raise _unreadable(path, "is empty — a table starts with a header row naming its columns, such as id,title")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows = []
        for row in reader:
            if row and len(row) != len(header):
                raise _unreadable(path, f"has {len(row)} cells in a row whose header has {len(header)} — a comma "
                                        "or quote is missing or extra", reader.line_num)
            if row:
                rows.append({name: _cell(value) for name, value in zip(header, row, strict=True)})
    except csv.Error as exc:
        raise _unreadable(path, f"is not well-formed CSV ({exc}) — check the quotes", reader.line_num) from None
    return _Sheet(path.stem, str(path), header, rows)


def _read_sheets(path: Path) -> list[_Sheet]:
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    if not path.is_dir():
        raise FileNotFoundError(2, "no tables here: give a folder of CSV files or an .xlsx workbook", str(path))
    return [_read_csv(csv_file) for csv_file in sorted(path.glob("*.csv"))]


class _TableReader:
    """Gathers the tables into the plain shape of a goalbook file, remembering each item's row."""

    def __init__(self, sheets: list[_Sheet]) -> None:
        self.sheets = {s.kind: s for s in sheets}
        self.problems: list[Problem] = []
        self.where: dict[tuple, tuple[_Sheet, int]] = {}  # source path -> (sheet, row number)

    def problem(self, sheet: _Sheet, row: int, column: str | None, message: str, **kw: Any) -> None:
        col = sheet.header.index(column) + 1 if column in sheet.header else None
        self.problems.append(Problem(message, file=sheet.file, line=row, column=col, field=column, **kw))

    def _rows(self, kind: str) -> Iterable[tuple[_Sheet, int, dict[str, Any]]]:
        sheet = self.sheets.get(kind)
        if sheet is None:
            return
        known = {c.name for c in TABLES[kind][0]}
        for name in sheet.header:
            if name not in known:
                hint = did_you_mean(name, sorted(known)) or \
                    f" — the columns are: {', '.join(c.name for c in TABLES[kind][0])}"
                self.problem(sheet, 1, name, f"{kind}: unknown column '{name}'{hint}")
        for n, row in enumerate(sheet.rows):
            if any(v is not None for v in row.values()):
                yield sheet, n + 2, row

    def _plain(self, row: dict[str, Any], kind: str, drop: tuple[str, ...] = ()) -> dict[str, Any]:
        names = {c.name: c.kind for c in TABLES[kind][0]}
        return {k: v for k, v in row.items() if v is not None and k in names
                and names[k] not in ("derived", _DERIVED_NUMBER) and k not in drop}

    def document(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The plain document and the settings (organisation, fiscal_year_start)."""
        settings: dict[str, Any] = {}
        meta = self.sheets.get(_META)
        if meta is not None:
            for row in meta.rows:
                if row.get("key") in ("organisation", "fiscal_year_start") and row.get("value") is not None:
                    settings[row["key"]] = row["value"]
                elif row.get("key") == "approvers" and row.get("value") is not None:
                    try:
                        settings["approvers"] = json.loads(str(row["value"]))
                    except ValueError:
                        self.problem(meta, meta.rows.index(row) + 2, "value", "approvers should be JSON such as "
                                     '{"levels": {"company": ["ceo"]}, "teams": {"Web": ["cdo"]}}')
        doc: dict[str, Any] = {}
        objectives: list[dict] = []
        by_objective: dict[str, dict] = {}
        for sheet, row_no, row in self._rows("objectives"):
            item = self._plain(row, "objectives")
            self.where[("objectives", len(objectives))] = (sheet, row_no)
            objectives.append(item)
            if item.get("id") is not None:
                by_objective.setdefault(str(item["id"]), item)
        for sheet, row_no, row in self._rows("key_results"):
            oid = row.get("objective_id")
            parent = by_objective.get(str(oid)) if oid is not None else None
            if parent is None:
                what = f"key result {row.get('id')}" if row.get("id") is not None else "a key result"
                says = f"objective '{oid}' is not in the objectives table" if oid is not None else "no objective_id"
                hint = did_you_mean(str(oid), list(by_objective))
                self.problem(sheet, row_no, "objective_id", f"{what}: {says}{hint}", entity=row.get("id"))
                continue
            item = self._plain(row, "key_results", drop=("objective_id",))
            if isinstance(item.get("checkpoints"), str):
                try:
                    item["checkpoints"] = json.loads(item["checkpoints"])
                except ValueError:
                    self.problem(sheet, row_no, "checkpoints", f"key result {row.get('id')}: checkpoints should be "
                                 'a JSON list such as [{"name": "lease signed", "done": true}]', entity=row.get("id"))
                    del item["checkpoints"]
            krs = parent.setdefault("key_results", [])
            self.where[("objectives", objectives.index(parent), "key_results", len(krs))] = (sheet, row_no)
            krs.append(item)
        doc["objectives"] = objectives
        kpi_index: dict[str, int] = {}
        for kind in ("smart_goals", "kpis", "initiatives"):
            items: list[dict] = []
            for sheet, row_no, row in self._rows(kind):
                self.where[(kind, len(items))] = (sheet, row_no)
                if kind == "kpis" and row.get("id") is not None:
                    kpi_index.setdefault(str(row["id"]), len(items))
                items.append(self._plain(row, kind))
            doc[kind] = items
        for sheet, row_no, row in self._rows("kpi_values"):
            kid = row.get("kpi_id")
            if kid is None or str(kid) not in kpi_index:
                self.problem(sheet, row_no, "kpi_id", f"KPI value: KPI '{kid}' is not in the kpis table"
                             f"{did_you_mean(str(kid), list(kpi_index))}", entity=kid)
                continue
            n = kpi_index[str(kid)]
            values = doc["kpis"][n].setdefault("values", [])
            self.where[("kpis", n, "values", len(values))] = (sheet, row_no)
            values.append(self._plain(row, "kpi_values", drop=("kpi_id",)))
        owners = {(kind, str(item["id"])): n for kind in ("smart_goals", "initiatives")
                  for n, item in enumerate(doc[kind]) if item.get("id") is not None}
        for sheet, row_no, row in self._rows("spend"):
            gid = row.get("goal_id")
            where = next(((k, owners[(k, str(gid))]) for k in ("smart_goals", "initiatives")
                          if (k, str(gid)) in owners), None)
            if where is None:
                self.problem(sheet, row_no, "goal_id", f"spend: '{gid}' is not a SMART goal or initiative in the "
                             "tables", entity=gid)
                continue
            entries = doc[where[0]][where[1]].setdefault("spend", [])
            self.where[(*where, "spend", len(entries))] = (sheet, row_no)
            entries.append(self._plain(row, "spend", drop=("goal_id",)))
        links = []
        for sheet, row_no, row in self._rows("links"):
            item = self._plain(row, "links")
            if "source" in item:
                item["from"] = item.pop("source")
            if "target" in item:
                item["to"] = item.pop("target")
            self.where[("links", len(links))] = (sheet, row_no)
            links.append(item)
        doc["links"] = links
        if "approvers" in settings:
            doc["approvers"] = settings["approvers"]
        for kind in ("check_ins", "comments", "approvals"):
            grouped: dict[str, list[dict]] = {}
            for sheet, row_no, row in self._rows(kind):
                tid = row.get("target_id")
                if tid is None:
                    self.problem(sheet, row_no, "target_id", f"{kind}: no target_id — say which goal it is about")
                    continue
                items = grouped.setdefault(str(tid), [])
                self.where[(kind, str(tid), len(items))] = (sheet, row_no)
                items.append(self._plain(row, kind, drop=("target_id",)))
            doc[kind] = grouped
        return doc, settings

    def locate(self, p: Problem) -> Problem:
        """Turn a source path into sheet, row and column."""
        path = p.path
        for cut in range(len(path), 0, -1):
            hit = self.where.get(path[:cut])
            if hit is None:
                continue
            sheet, row_no = hit
            column = path[cut] if cut < len(path) and isinstance(path[cut], str) else None
            column = {"from": "source", "to": "target"}.get(column or "", column)
            col = sheet.header.index(column) + 1 if column in sheet.header else None
            return Problem(p.message, entity=p.entity, field=p.field, file=sheet.file, line=row_no, column=col,
                           severity=p.severity, path=p.path)
        return p


_MODEL_LINK_KEYS = {"link.source": "from", "link.target": "to", "link.kind": "kind", "link.weight": "weight"}


def import_tables(path: str | os.PathLike, *, fiscal_year_start: int | None = None) -> Goalbook:
    """Read a goalbook back from :func:`export_tables` output (a folder of CSVs or an .xlsx).

    Every bad cell is reported at once, with its file (and sheet), row and column.
    """
    sheets = _read_sheets(Path(path))
    tables = _TableReader(sheets)
    doc, settings = tables.document()
    problems = list(tables.problems)
    meta = tables.sheets.get(_META)
    fys_value: Any = settings.get("fiscal_year_start", 1)
    try:
        fys = int(float(fys_value)) if fiscal_year_start is None else fiscal_year_start
    except ValueError:
        fys = 1
        if meta is not None:
            problems.append(Problem(f"fiscal_year_start '{fys_value}' should be a month 1-12",
                                    file=meta.file, field="fiscal_year_start"))
    reader = Reader(fys)
    reader.read_sections(doc, str(path))
    book = reader.goalbook(str(settings.get("organisation") or ""), fys)
    problems += [tables.locate(p) for p in reader.problems]
    model = [p for p in book.validate() if p.severity == "error" and (p.entity, p.field) not in reader.muted]
    if model:
        tracked = Reader(fys, track=True)
        tracked.read_sections(doc, str(path))
        problems += [tables.locate(_source_path(p, tracked)) for p in model]
    if problems:
        raise ValidationError(problems, f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
                                        "in the tables — nothing was imported")
    book.sources = []
    return book


def _source_path(p: Problem, t: Reader) -> Problem:
    kind = p.path[0] if p.path else None
    if kind == "links" and p.path[1] < len(t.link_origins):
        o = t.link_origins[p.path[1]]
        return replace(p, path=(*o[2], _MODEL_LINK_KEYS.get(p.field or "", "from")))
    if kind in ("check_ins", "comments", "approvals"):
        origins = t.check_in_origins if kind == "check_ins" else t.comment_origins if kind == "comments" else \
            t.approval_origins
        if p.path[1] < len(origins):
            ipath = origins[p.path[1]][1]
            return replace(p, path=(*ipath, "target_id") if p.field in ("check_in", "comment") else (*ipath, p.field))
    if p.entity and p.entity in t.entity_origins:
        epath = t.entity_origins[p.entity][-1 if p.field == "id" else 0][1]
        return replace(p, path=(*epath, p.field) if p.field else epath)
    return p
