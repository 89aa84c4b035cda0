"""``goalbook schema [--out FILE]``: print or write the JSON Schema of goalbook files, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from goalbook.io._atomic import write_text
from goalbook.schema import json_schema


def run(args: argparse.Namespace) -> int:
    """Print the schema, or write it to ``--out``."""
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        write_text(Path(args.out), text)
        print(f"wrote {args.out}; point your editor at it, e.g. with the first line "
              f"'# yaml-language-server: $schema={args.out}'")
    else:
        print(text, end="")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``schema`` command."""
    p = subparsers.add_parser("schema", help="print the JSON Schema of goalbook files (for editor autocompletion)",
                              description=__doc__)
    p.add_argument("--out", metavar="FILE", help="write the schema to FILE instead of printing it")
    p.set_defaults(func=run)
