"""``goalbook convert SOURCE TARGET``: a goalbook from one file format to another (YAML, CSV, Excel).

Reading checks the whole goalbook first (every problem, with file and line); writing is atomic.
Writing YAML over an existing file merges into it, so its comments and layout stay.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from goalbook.cli.export import write_book
from goalbook.cli.import_ import FORMATS, file_format, read_book


def run(args: argparse.Namespace) -> int:
    """Read ``source`` and write ``target``, each in the format its name (or ``--from``/``--to``) says."""
    book = read_book(args.source, file_format(args.source, args.source_format))
    write_book(book, args.target, file_format(args.target, args.target_format))
    print(f"converted {args.source} to {args.target}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``convert`` command."""
    p = subparsers.add_parser("convert", help="convert a goalbook between YAML, CSV and Excel", description=__doc__)
    p.add_argument("source", type=Path, help="a YAML file or folder, a folder of CSV files or an .xlsx workbook")
    p.add_argument("target", type=Path, help="the file or folder to write (.yaml, .xlsx, or a folder for CSV)")
    p.add_argument("--from", dest="source_format", choices=FORMATS, default=None,
                   help="the source format (default: from the name)")
    p.add_argument("--to", dest="target_format", choices=FORMATS, default=None,
                   help="the target format (default: from the name)")
    p.set_defaults(func=run)
