"""The ``goalbook`` command line.

Each sub-command lives in its own module in this package and exposes
``register(subparsers) -> None``, which adds its parser and sets ``func`` (taking the parsed
arguments and returning an exit code). Modules are found by name, so adding a command is adding
a module.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from goalbook import __version__
from goalbook.errors import GoalbookError, UnreadableFileError


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every command module registered."""
    parser = argparse.ArgumentParser(prog="goalbook", description="Goals as code: OKRs and SMART goals in notebooks.")
    parser.add_argument("--version", action="version", version=f"goalbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 0 on success, 1 when the input was read and has failures (lint findings,
    goals that do not validate), 2 on usage errors and files that cannot be read at all (missing, or
    :class:`~goalbook.errors.UnreadableFileError`: not UTF-8, not YAML/CSV/a workbook, a bomb, an
    impossible unquoted date, a 400-digit number), one line each naming the file and line."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except UnreadableFileError as exc:  # not a file goalbook can read at all: like a missing file, exit 2
        print("\n".join(f"goalbook {args.command}: {line}" for line in str(exc).splitlines()), file=sys.stderr)
        return 2
    except GoalbookError as exc:
        print(f"goalbook {args.command}: {exc}", file=sys.stderr)
        return 1
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"goalbook {args.command}: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
