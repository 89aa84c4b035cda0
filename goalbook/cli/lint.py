"""``goalbook lint PATH... [--format text|json|github] [--today DATE] [--select CODES] [--ignore CODES]
[--config FILE]``.

Checks goalbook YAML files, CSV files with a ``statement`` column and plain-text lists of goal
statements, and prints one line per finding. Exit status: 0 when nothing is an error, 1 when
something is, 2 on a usage error (unknown rule code, missing path, bad date) or a file that cannot be
read at all (not UTF-8, not valid YAML, an impossible unquoted date: ``UnreadableFileError``).

What is read:

- a YAML file named on the command line is loaded as a goalbook (with the files it includes);
- a CSV file is a list of statements (its ``statement`` column; ``owner``, ``deadline``,
  ``metric``, ``baseline``, ``target`` and ``unit`` columns are used when present);
- any other file is a text file of statements, one per line (``#`` starts a comment line);
- a folder is searched (hidden folders and ``node_modules``/``__pycache__`` skipped) for YAML files
  that start a goalbook (a top-level ``goalbook:`` line) — each is loaded together with the
  goalbook parts beside it (YAML files whose top level is a goalbook section, such as
  ``objectives:``) when it is the only goalbook in its folder — for CSV files with a ``statement``
  column, and for text files whose name contains "goal" or "okr" (``goals.txt``, ``q3-okrs.txt``).

The rules live in :mod:`goalbook.lint`; this module reads files, calls it and formats.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from goalbook.cli._args import iso_date
from goalbook.cli._lint_cache import LintCache
from goalbook.errors import Problem, UnreadableFileError, ValidationError
from goalbook.lint import RULES, Finding, active_codes, lint_book, lint_statements
from goalbook.lint.config import LintConfig
from goalbook.lint.findings import sentence, sort_key
from goalbook.lint.summary import summary

FORMATS = ("text", "json", "github")
YAML_SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv"}
_MAIN = re.compile(r"^goalbook\s*:", re.M)
_SECTION = re.compile(r"^(?:objectives|smart_goals|kpis|initiatives|links|check_ins|comments|include)\s*:", re.M)
_GOALS_TEXT = re.compile(r"goal|okr", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # line breaks too; tabs stay



def register(subparsers: Any) -> None:
    """Add the ``lint`` command."""
    p = subparsers.add_parser(
        "lint", help="check goals: SMART statements, OKR shape, alignment, duplicates",
        description="Check goalbook YAML files, CSV files with a 'statement' column and text files of goal "
                    "statements (one per line). Exit 0 when nothing is an error, 1 when something is, 2 on "
                    "a usage error.")
    p.add_argument("path", nargs="*", help="goalbook YAML, CSV or text files, or folders to search for them")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (one line per finding), json (a list of findings) or github (workflow annotations)")
    p.add_argument("--today", type=iso_date, default=None,
                   help="judge deadlines, pace and staleness as of this day (YYYY-MM-DD; default today)")
    p.add_argument("--select", action="append", default=None, metavar="CODES",
                   help="only these rules: codes, prefixes or names, comma-separated (GB1,GB209,near-duplicate)")
    p.add_argument("--ignore", action="append", default=None, metavar="CODES",
                   help="leave out these rules (same forms as --select)")
    p.add_argument("--config", default=None, metavar="FILE",
                   help="thresholds from this TOML file ([tool.goalbook.lint] in pyproject.toml, [lint] in "
                        "goalbook.toml); default: the first such file in the current folder or a parent")
    p.add_argument("--list-rules", action="store_true", help="print every rule's code, severity and summary")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="where to keep what was learned per file (default $GOALBOOK_CACHE_DIR or .goalbook_cache)")
    p.add_argument("--no-cache", action="store_true", help="read and check every file afresh, keep nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Lint every path; print the findings; 0 clean, 1 errors found, 2 usage error."""
    if args.list_rules:
        print(format_rules())
        return 0
    if not args.path:
        print("goalbook lint: name at least one file or folder to check", file=sys.stderr)
        return 2
    try:
        active_codes(args.select, args.ignore)
    except ValueError as exc:
        print(f"goalbook lint: {exc}", file=sys.stderr)
        return 2
    try:
        config = find_config(args.config)
    except ValueError as exc:
        print(f"goalbook lint: {exc}", file=sys.stderr)
        return 2
    missing = [p for p in args.path if not Path(p).exists()]
    if missing:
        print("goalbook lint: " + "; ".join(f"{p}: no such file or folder" for p in missing), file=sys.stderr)
        return 2
    units = list(collect(args.path))
    if not units:
        print(f"goalbook lint: no goalbook, CSV or goals text file found in {', '.join(args.path)}", file=sys.stderr)
        return 0
    today = args.today or date.today()
    findings: list[Finding] = []
    seen = _Seen()
    cache = None if args.no_cache else LintCache(args.cache_dir)
    for unit in units:
        findings += lint_unit(unit, today=today, select=args.select, ignore=args.ignore, seen=seen, config=config,
                              cache=cache)
    findings.sort(key=sort_key)
    print(render(findings, args.format, checked=len({f for u in units for f in u.files})))
    return 1 if any(f.severity == "error" for f in findings) else 0


# --- what to read ----------------------------------------------------------------------------------------------
@dataclass
class Unit:
    """One thing to lint: a goalbook (its files), a CSV file or a text file."""

    kind: str  # "book" | "csv" | "text"
    files: list[str] = field(default_factory=list)


def _yaml_role(path: Path) -> str:
    """``main`` (starts a goalbook), ``part`` (holds goalbook sections) or ``other``."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "other"
    if "goalbook" in text and _MAIN.search(text):  # the plain test first: a line scan of every file is slow
        return "main"
    return "part" if _SECTION.search(text) else "other"


def _has_statement_column(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            head = fh.readline()
    except OSError:
        return False
    return "statement" in (cell.strip().strip('"').lower() for cell in head.split(","))


def _search(root: Path) -> Iterator[Unit]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        here = Path(folder)
        names = sorted(n for n in files if not n.startswith("."))
        roles = {n: _yaml_role(here / n) for n in names if n.lower().endswith(YAML_SUFFIXES)}
        mains = [n for n, r in roles.items() if r == "main"]
        if len(mains) == 1:
            parts = [n for n, r in roles.items() if r == "part"]
            yield Unit("book", [str(here / n) for n in (mains[0], *parts)])
        else:
            yield from (Unit("book", [str(here / n)]) for n in mains)
        for n in names:
            low = n.lower()
            if low.endswith(".csv") and _has_statement_column(here / n):
                yield Unit("csv", [str(here / n)])
            elif low.endswith(".txt") and _GOALS_TEXT.search(n):
                yield Unit("text", [str(here / n)])


def collect(paths: Iterable[str]) -> Iterator[Unit]:
    """The units named by ``paths``: named YAML files make goalbooks, folders are searched, any
    other file is a CSV or text file of statements.

    Named YAML files are grouped as ``goalbook score`` reads them: with one goalbook file among
    them, all are one goalbook; with several, each part (a file with no ``goalbook:`` line) joins
    the goalbook file in its own folder, or stands alone when there is none.
    """
    mains: list[str] = []
    parts: list[str] = []
    rest: list[Unit] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            rest += _search(path)
        elif p.lower().endswith(YAML_SUFFIXES):
            (mains if _yaml_role(path) == "main" else parts).append(p)
        else:
            rest.append(Unit("csv" if p.lower().endswith(".csv") else "text", [p]))
    if len(mains) == 1:
        yield Unit("book", [*mains, *parts])
    else:
        books = [Unit("book", [m]) for m in mains]
        for p in parts:
            home = [u for u in books if Path(u.files[0]).parent.resolve() == Path(p).parent.resolve()]
            if len(home) == 1:
                home[0].files.append(p)
            else:
                books.append(Unit("book", [p]))
        yield from books
    yield from rest


# --- thresholds ------------------------------------------------------------------------------------------------
CONFIG_FILES = ("goalbook.toml", "pyproject.toml")
_TABLES = (("tool", "goalbook", "lint"), ("lint",))


def find_config(path: str | None = None, start: Path | None = None) -> LintConfig:
    """The lint thresholds: from ``path`` (a TOML file), else from the first ``goalbook.toml`` or
    ``pyproject.toml`` with lint settings in ``start`` (default: the current folder) or a parent,
    else the defaults. Settings live in ``[tool.goalbook.lint]`` or ``[lint]`` (a file named by
    ``--config`` may also hold them at its top level). ``ValueError`` names the file and the key
    that cannot be used."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ValueError(f"{path}: no such file")
        data = _toml(file)
        where, table = _lint_table(data)
        if table is None:
            where, table = "", {k: v for k, v in data.items() if not isinstance(v, dict)}
        return LintConfig.from_mapping(table, f"{file}{where}")
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            file = folder / name
            if file.is_file():
                where, table = _lint_table(_toml(file))
                if table is not None:
                    return LintConfig.from_mapping(table, f"{file}{where}")
    return LintConfig()


def _toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{file}: cannot be read as TOML ({exc})") from None


def _lint_table(data: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """``(' [tool.goalbook.lint]', table)`` for the first lint table in ``data``, or ``('', None)``."""
    for keys in _TABLES:
        table: Any = data
        for key in keys:
            table = table.get(key) if isinstance(table, dict) else None
        if table is not None:
            where = f" [{'.'.join(keys)}]"
            if not isinstance(table, dict):
                raise ValueError(f"{where.strip()} must be a table of settings")
            return where, table
    return "", None


# --- linting one unit ------------------------------------------------------------------------------------------
class _Seen:
    """Files already linted as part of a goalbook, so an included part is not linted twice."""

    def __init__(self) -> None:
        self.files: set[Path] = set()

    def covers(self, files: list[str]) -> bool:
        return all(Path(f).resolve() in self.files for f in files)

    def add(self, files: Iterable[str]) -> None:
        self.files.update(Path(f).resolve() for f in files)


def lint_unit(unit: Unit, *, today: date, select: Any = None, ignore: Any = None,
              seen: _Seen | None = None, config: LintConfig | None = None,
              cache: LintCache | None = None) -> list[Finding]:
    """Findings for one unit: a goalbook's (GB001 when it does not load), a CSV's or a text file's."""
    codes = active_codes(select, ignore)
    if unit.kind == "book":
        from goalbook.io import load_goalbook

        seen = seen if seen is not None else _Seen()
        if seen.covers(unit.files):
            return []
        if cache is not None and len(unit.files) > 1:
            found = cache.lint(unit.files, today=today, codes=codes, config=config)
            if found is not None:
                seen.add(unit.files)
                return found
        try:
            book = load_goalbook(unit.files[0] if len(unit.files) == 1 else unit.files)
        except UnreadableFileError:
            raise  # not a goalbook at all, like a missing file: the command stops with exit code 2
        except ValidationError as exc:
            seen.add(unit.files)
            seen.add(p.file for p in exc.problems if p.file)
            if "GB001" not in codes:
                return []
            return sorted((_problem_finding(p) for p in exc.problems), key=sort_key)
        seen.add(book.sources or unit.files)
        return lint_book(book, today=today, select=select, ignore=ignore, config=config)
    path = unit.files[0]
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise UnreadableFileError(Problem(f"the file is not UTF-8 text (byte {exc.object[exc.start]:#04x}) — save "
                                          "it as UTF-8", file=path, line=line)) from None
    return lint_statements(text.splitlines(), today=today, source=path, select=select, ignore=ignore)


def _problem_finding(p: Any) -> Finding:
    return Finding("GB001", p.severity if p.severity in ("error", "warning") else "error", sentence(p.message), "",
                   p.entity, p.field, p.file, p.line)


# --- output ----------------------------------------------------------------------------------------------------
def _clean(text: str | None) -> str:
    """User text on one line with no control characters (no terminal escapes)."""
    return _CONTROL.sub(" ", text or "")


def format_text(findings: list[Finding], checked: int = 0) -> str:
    """``file:line: CODE severity: message — suggestion`` per finding, then a summary line."""
    lines = []
    for f in findings:
        where = f.where or "-"
        text = f"{where}: {f.code} {f.severity}: {_clean(f.message)}"
        if f.suggestion:
            text += f" — {_clean(f.suggestion)}"
        lines.append(text)
    lines.append(summary(findings, checked))
    return "\n".join(lines)


def format_json(findings: list[Finding]) -> str:
    """A JSON list with one object per finding (``Finding.to_dict``)."""
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,title=CODE::message — suggestion``."""
    lines = []
    for f in findings:
        props = [f"file={_gh_property(f.file)}"] if f.file else []
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_property(f.code)}")
        text = f.message + (f" — {f.suggestion}" if f.suggestion else "")
        lines.append(f"::{_GH_LEVEL.get(f.severity, 'warning')} {','.join(props)}::{_gh_data(text)}")
    return "\n".join(lines)


def render(findings: list[Finding], fmt: str = "text", checked: int = 0) -> str:
    """Findings in ``fmt`` (``text``, ``json`` or ``github``)."""
    if fmt == "json":
        return format_json(findings)
    if fmt == "github":
        return format_github(findings)
    return format_text(findings, checked)


def format_rules() -> str:
    """The rule table: code, default severity, name and summary, one rule per line."""
    width = max(len(r.name) for r in RULES.values())
    return "\n".join(f"{r.code}  {r.severity:<7}  {r.name:<{width}}  {r.summary}" for r in RULES.values())
