"""``goalbook export URL --to PATH``: a store's goalbook (now, or as it stood on a date) as YAML, CSV or Excel."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from goalbook.cli._args import iso_date
from goalbook.cli.import_ import FORMATS, file_format, tables_module
from goalbook.model import Goalbook


def write_book(book: Goalbook, path: Path, fmt: str) -> None:
    """Write ``book`` to a file or folder in ``fmt`` (atomically, as goalbook.io does)."""
    if fmt == "yaml":
        from goalbook.io import save_goalbook

        save_goalbook(book, path)
        return
    tables_module().export_tables(book, path)



def register(subparsers: Any) -> None:
    """Add the ``export`` command."""
    p = subparsers.add_parser(
        "export", help="export a store's goalbook to YAML, CSV or Excel",
        description="Read a store (read-only) and write its goalbook to a YAML file, a folder of CSV files or "
                    "an Excel file.")
    p.add_argument("url", help="the store: an SQLite file path or postgresql://...")
    p.add_argument("--to", required=True, type=Path, metavar="PATH", help="the file or folder to write")
    p.add_argument("--format", choices=FORMATS, default=None, help="the file format (default: from the path)")
    p.add_argument("--as-of", type=iso_date, default=None, metavar="DATE",
                   help="the goalbook as it stood at the end of this day (YYYY-MM-DD)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the store's goalbook and write it out."""
    import goalbook.store

    fmt = file_format(args.to, args.format)
    with goalbook.store.open(args.url, readonly=True) as store:
        book = store.load(as_of=args.as_of)
    write_book(book, args.to, fmt)
    print(f"exported {store.url} to {args.to}")
    return 0
