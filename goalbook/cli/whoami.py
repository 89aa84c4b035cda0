"""``goalbook whoami``: the name goalbook records on your changes, and where it found it."""

from __future__ import annotations

import argparse
from typing import Any

from goalbook.identity import author_source, current_author


def register(subparsers: Any) -> None:
    """Add the ``whoami`` command."""
    p = subparsers.add_parser(
        "whoami", help="the name your changes are recorded under, and where goalbook found it",
        description="Print the name goalbook records on every change you make (goal versions, links, check-ins, "
                    "comments, approvals, imports) and where it came from: the JupyterHub login, $GOALBOOK_AUTHOR, "
                    "git's user.name, or, when none is known, the computer account, marked (OS user).")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(f"{current_author()} (from {author_source()})")
    return 0
