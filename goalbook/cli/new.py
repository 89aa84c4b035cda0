"""``goalbook new TEMPLATE DEST``: start a goalbook, notebook or workshop folder from ``templates/``.

Templates are worked examples, so parameters *retarget* the example instead of filling blanks:

- goalbook YAML: ``--team`` and ``--owner`` rename the example's own team and owner (those of its
  first SMART goal, else KPI, else initiative, else objective) wherever they occur, check-in authors
  included; ``--period`` moves the example to another period and every date with it, keeping each
  date's place in the period (dates written inside statements and titles follow). The result is
  validated and written by :func:`goalbook.io.save_goalbook`, so comments and layout stay.
- notebooks: assignments in the cell tagged ``parameters`` (``team = "Web"``) get the values;
  ``{{team}}``-style placeholders in Markdown cells are replaced.
- other text (Markdown): ``{{team}}``, ``{{owner}}``, ``{{period}}`` placeholders are replaced.

DEST is never overwritten. A folder template is copied whole, each file filled by its kind.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import io
import json
import os
import re
import shutil
import sys
import tempfile
import tokenize
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from goalbook.errors import GoalbookError
from goalbook.model import Goalbook, did_you_mean
from goalbook.period import Period
from goalbook.resources import shipped

PARAMETERS = ("team", "owner", "period", "store")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_YAML = (".yaml", ".yml")


def templates_dir() -> Path:
    """The templates goalbook was installed with (inside the package in a wheel, ``templates/`` in a checkout)."""
    return shipped("templates")


# --- finding templates ---------------------------------------------------------------------------
def list_templates(root: Path) -> dict[str, Path]:
    """Template name (file stem or folder name) to path, sorted by name; hidden and ``_`` entries skipped."""
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "_")):
            continue
        found[path.stem if path.is_file() else path.name] = path
    return found


def describe(path: Path) -> str:
    """A template's one-line description: its first heading or leading comment."""
    try:
        if path.is_dir():
            readme = path / "README.md"
            return describe(readme) if readme.is_file() else "folder"
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            text = next(("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown"), "")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return ""


def find_template(name: str, root: Path) -> Path:
    """The template called ``name`` (also accepted with its file extension); a clear error listing the others."""
    known = list_templates(root)
    if name in known:
        return known[name]
    by_filename = {p.name: p for p in known.values()}
    if name in by_filename:
        return by_filename[name]
    raise GoalbookError(f"no template {name!r}{did_you_mean(name, list(known))}\n{format_listing(root)}")


def format_listing(root: Path) -> str:
    """The templates in ``root``, one per line with its description."""
    known = list_templates(root)
    if not known:
        return f"no templates in {root}"
    width = max(len(n) for n in known)
    lines = [f"templates in {root}:"] + [f"  {n:<{width}}  {describe(p)}" for n, p in known.items()]
    return "\n".join(lines)


# --- filling ---------------------------------------------------------------------------------------
def fill_text(text: str, values: dict[str, str]) -> tuple[str, set[str]]:
    """Replace ``{{name}}`` placeholders whose name is in ``values``; return the text and the names used."""
    used: set[str] = set()

    def sub(m: re.Match[str]) -> str:
        if m.group(1) in values:
            used.add(m.group(1))
            return values[m.group(1)]
        return m.group(0)

    return _PLACEHOLDER.sub(sub, text), used


def fill_notebook(nb: dict[str, Any], values: dict[str, str]) -> set[str]:
    """Fill a notebook (nbformat 4 JSON) in place: assignments in the ``parameters`` cell and Markdown
    placeholders. Returns the names used. A parameter the cell lacks is appended to it."""
    used: set[str] = set()
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            source, names = fill_text(source, values)
            used |= names
        elif cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source, names = _fill_parameters(source, values)
            used |= names
        cell["source"] = source
    return used


def _fill_parameters(source: str, values: dict[str, str]) -> tuple[str, set[str]]:
    """Rewrite top-level assignments to the given names (keeping annotations and end-of-line comments);
    append the ones the cell lacks."""
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError) as exc:
        raise GoalbookError(f"the template's parameters cell is not valid Python: {exc}") from None
    comments = {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}
    lines = source.split("\n")
    used: set[str] = set()
    for node in reversed(tree.body):
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
            node.target if isinstance(node, ast.AnnAssign) else None
        if not isinstance(target, ast.Name) or target.id not in values:
            continue
        annotation = f": {ast.get_source_segment(source, node.annotation)}" if isinstance(node, ast.AnnAssign) else ""
        comment = f"  {comments[node.end_lineno]}" if node.end_lineno in comments else ""
        lines[node.lineno - 1:node.end_lineno] = [f"{target.id}{annotation} = {values[target.id]!r}{comment}"]
        used.add(target.id)
    lines += [f"{n} = {values[n]!r}" for n in values if n not in used]
    return "\n".join(lines), set(values)


def fill_goalbook(book: Goalbook, team: str | None = None, owner: str | None = None,
                  period: str | None = None) -> list[str]:
    """Retarget a worked-example goalbook in place (see the module docstring); return notes for the user."""
    notes: list[str] = []
    main = book.smart_goals or book.kpis or book.initiatives or book.objectives
    if not main:
        raise GoalbookError("the template has no goals to fill in")
    renames: dict[str, tuple[str | None, str]] = {}
    if team is not None:
        renames["team"] = (getattr(main[0], "team", None), team)
    if owner is not None:
        renames["owner"] = (main[0].owner, owner)
    shift = _period_shift(book, period) if period is not None else None
    for name, (old, new) in renames.items():
        if old is None:
            for entity in main:
                setattr(entity, name, new)
            notes.append(f"--{name}: the example had none; set on its {len(main)} main entr"
                         f"{'y' if len(main) == 1 else 'ies'}")
    for obj in _entities(book):
        _retarget(obj, renames, shift)
    book.reindex()
    return notes


def _entities(book: Goalbook) -> list[Any]:
    out: list[Any] = []
    for o in book.objectives:
        out += [o, *o.key_results]
    for k in book.kpis:
        out += [k, *getattr(k, "values", [])]
    return [*out, *book.smart_goals, *book.initiatives, *book.links, *book.check_ins, *book.comments]


def _retarget(obj: Any, renames: dict[str, tuple[str | None, str]],
              shift: tuple[Period, Callable[[date], date]] | None) -> None:
    person = renames.get("owner")
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        new = value
        if f.name in renames and renames[f.name][0] is not None and value == renames[f.name][0]:
            new = renames[f.name][1]
        elif f.name == "author" and person and person[0] is not None and value == person[0]:
            new = person[1]
        elif shift and isinstance(value, Period):
            new = shift[0]
        elif shift and isinstance(value, datetime):
            new = datetime.combine(shift[1](value.date()), value.timetz())
        elif shift and isinstance(value, date):
            new = shift[1](value)
        elif shift and isinstance(value, str) and _ISO_DATE.search(value):
            new = _ISO_DATE.sub(lambda m: _shift_text(m.group(0), shift[1]), value)
        if new is not value:
            setattr(obj, f.name, new)


def _shift_text(text: str, move: Callable[[date], date]) -> str:
    try:
        return move(date.fromisoformat(text)).isoformat()
    except ValueError:
        return text


def _period_shift(book: Goalbook, period: str) -> tuple[Period, Callable[[date], date]]:
    fys = book.fiscal_year_start
    try:
        new = Period.parse(period, fys)
    except ValueError as exc:
        raise GoalbookError(f"--period: {exc}") from None
    olds = {p.name: p for g in [*book.objectives, *book.smart_goals] if (p := g.period) is not None}
    if len(olds) != 1:
        raise GoalbookError(f"--period: the template has {len(olds)} periods ({', '.join(sorted(olds)) or 'none'}); "
                            "it can only move one")
    (old,) = olds.values()
    offset = new.start - old.start

    def move(day: date) -> date:
        if day == old.end:
            return new.end
        return min(day + offset, new.end) if old.contains(day) else day + offset

    return new, move


# --- copying ---------------------------------------------------------------------------------------
def create_from_template(template: Path, dest: Path, values: dict[str, str]) -> tuple[Path, list[str]]:
    """Copy ``template`` to ``dest`` with ``values`` filled in; return the path written and notes.

    ``dest`` may be an existing folder (the template keeps its name inside it). Nothing existing is
    overwritten, and a template that fails to fill leaves nothing behind.
    """
    if dest.is_dir():
        dest = dest / template.name
    if dest.exists():
        raise FileExistsError(f"{dest} exists; goalbook new does not overwrite (choose another DEST)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".goalbook-new-") as tmp:
        staged = Path(tmp) / dest.name
        if template.is_dir():
            shutil.copytree(template, staged)
            files = sorted(p for p in staged.rglob("*") if p.is_file())
        else:
            files = [staged]
        used: set[str] = set()
        notes: list[str] = []
        for path in files:
            source = template / path.relative_to(staged) if template.is_dir() else template
            names, file_notes = _fill_file(source, path, values)
            used |= names
            notes += [f"{path.relative_to(Path(tmp))}: {n}" for n in file_notes]
        notes += [f"--{n}: nothing in {template.name} to fill" for n in values if n not in used]
        _publish(staged, dest)
    return dest, notes


def _fill_file(source: Path, target: Path, values: dict[str, str]) -> tuple[set[str], list[str]]:
    if source.suffix in _YAML and _is_goalbook(source):
        from goalbook.io import load_goalbook, save_goalbook

        book = load_goalbook(source)
        goal_values = {k: v for k, v in values.items() if k != "store"}  # a goalbook file names no store
        notes = fill_goalbook(book, **goal_values)
        if target.exists():
            target.unlink()  # a folder template was copied first; save_goalbook writes a fresh file from source
        save_goalbook(book, target)
        return set(goal_values), notes
    if source.suffix == ".ipynb":
        nb = json.loads(source.read_text(encoding="utf-8"))
        used = fill_notebook(nb, values)
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return used, []
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # an image or other binary file: copied as it is
        if source != target:
            shutil.copyfile(source, target)
        return set(), []
    filled, used = fill_text(text, values)
    target.write_text(filled, encoding="utf-8")
    left = sorted({m.group(1) for m in _PLACEHOLDER.finditer(filled) if m.group(1) in PARAMETERS})
    return used, [f"{{{{{n}}}}} left as it is (pass --{n})" for n in left]


def _is_goalbook(path: Path) -> bool:
    return re.search(r"^goalbook\s*:", path.read_text(encoding="utf-8"), re.M) is not None


def _publish(staged: Path, dest: Path) -> None:
    """Move the finished copy into place without replacing anything that appeared meanwhile."""
    if staged.is_dir():
        if dest.exists():
            raise FileExistsError(f"{dest} exists; goalbook new does not overwrite")
        os.rename(staged, dest)
    else:
        os.link(staged, dest)  # fails if dest exists, atomically


# --- command line ----------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``new`` command."""
    p = subparsers.add_parser(
        "new", help="start a goalbook, notebook or workshop from a template",
        description="Copy a template from templates/ to DEST with its team, owner and period filled in. "
                    "Without TEMPLATE, list the templates. DEST is never overwritten.")
    p.add_argument("template", nargs="?", metavar="TEMPLATE", help="template name, e.g. okr or smart-goal")
    p.add_argument("dest", nargs="?", metavar="DEST", help="file or folder to create (or an existing folder)")
    p.add_argument("--team", help="the team the goals belong to")
    p.add_argument("--owner", help="the person who owns them")
    p.add_argument("--period", help="the period: 2027-Q2, 2027-H1, FY2027")
    p.add_argument("--store", help="the store a starter notebook opens: an SQLite path or a postgresql:// URL")
    p.add_argument("--templates", type=Path, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    root = args.templates or templates_dir()
    if args.template is None:
        print(format_listing(root))
        return 0
    try:
        template = find_template(args.template, root)
    except GoalbookError as exc:
        print(f"goalbook new: {exc}", file=sys.stderr)
        return 2
    if args.dest is None:
        print("goalbook new: give DEST, the file or folder to create", file=sys.stderr)
        return 2
    values = {n: getattr(args, n) for n in PARAMETERS if getattr(args, n) is not None}
    try:
        written, notes = create_from_template(template, Path(args.dest), values)
    except FileExistsError as exc:
        print(f"goalbook new: {exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"goalbook new: {note}", file=sys.stderr)
    print(f"created {written} from template {template.name}")
    return 0

