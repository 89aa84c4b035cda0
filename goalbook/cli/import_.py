"""``goalbook import PATH --into URL``: a goalbook from YAML, CSV or Excel into a store, in one transaction.

New goals are created, changed ones updated (the file wins), links added, and check-ins and
comments appended unless already there, so importing the same file twice adds nothing. A failure
half-way (bad input, a crash, a kill) leaves the store exactly as it was.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from goalbook.errors import GoalbookError
from goalbook.model import Goalbook

FORMATS = ("yaml", "csv", "excel")


def file_format(path: Path, given: str | None) -> str:
    """``yaml``, ``csv`` or ``excel`` for a path: said explicitly, or told by its suffix or contents."""
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".xlsx", ".xlsm"):
        return "excel"
    if suffix == ".csv" or (path.is_dir() and any(path.glob("*.csv"))):
        return "csv"
    if path.is_dir() or not suffix:
        return "yaml" if path.is_dir() and any(path.glob("*.y*ml")) else "csv"
    raise GoalbookError(f"{path}: cannot tell the format from '{suffix}'; pass --format yaml, csv or excel")


def read_book(path: Path, fmt: str) -> Goalbook:
    """A goalbook from a file or folder in ``fmt``."""
    if fmt == "yaml":
        from goalbook.io import load_goalbook

        return load_goalbook(path)
    return tables_module().import_tables(path)


def tables_module() -> Any:
    """``goalbook.io.tables`` (CSV and Excel), or a clear error when this installation lacks it."""
    try:
        from goalbook.io import tables
    except ImportError as exc:
        raise GoalbookError(f"CSV and Excel files need goalbook.io.tables, which is not available ({exc})") from exc
    return tables


class ProgressBar:
    """A text progress bar on a terminal; on a pipe or log, one line per tenth done."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.tty = self.stream.isatty()
        self.shown = -1
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self.tty:
            filled = int(share * self.width)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                              f"{share:4.0%} {done:,}/{total:,} rows")
            if done >= total:
                self.stream.write("\n")
        elif int(share * 10) > self.shown:
            self.shown = int(share * 10)
            self.stream.write(f"{self.label}: {done:,}/{total:,} rows ({share:.0%})\n")
        self.stream.flush()


def register(subparsers: Any) -> None:
    """Add the ``import`` command."""
    p = subparsers.add_parser(
        "import", help="import a goalbook file into a store (SQLite file or PostgreSQL URL)",
        description="Write a goalbook from YAML, CSV or Excel into a store in one transaction: new goals are "
                    "created, changed ones updated, check-ins and comments appended unless already there. "
                    "A failure leaves the store as it was.")
    p.add_argument("path", type=Path, help="a goalbook YAML file or folder, a folder of CSV files, or an Excel file")
    p.add_argument("--into", required=True, metavar="URL", help="the store: an SQLite file path or postgresql://...")
    p.add_argument("--format", choices=FORMATS, default=None, help="the file format (default: from the path)")
    p.add_argument("--author", default=None, help="who the changes are recorded as (default: $JUPYTERHUB_USER, "
                                                  "$GOALBOOK_AUTHOR, git's user.name, your login name)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the file, write it into the store, print what was written."""
    import goalbook.store

    fmt = file_format(args.path, args.format)
    if not args.path.exists():
        raise FileNotFoundError(f"{args.path}: no such file or folder")
    book = read_book(args.path, fmt)
    with goalbook.store.open(args.into, author=args.author) as store:
        summary = store.import_book(book, progress=None if args.quiet else ProgressBar("importing"))
        print(f"imported {args.path} into {store.url}: {summary}")
    return 0
