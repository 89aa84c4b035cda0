"""``goalbook agenda PATH_OR_STORE [--team T] [--today D] [--format md|html|json]``: the check-in
meeting's agenda (see :mod:`goalbook.agenda` for what goes on it and in which order)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from goalbook.cli._args import iso_date


def register(subparsers: Any) -> None:
    """Add the ``agenda`` command."""
    p = subparsers.add_parser(
        "agenda", help="the weekly check-in meeting's agenda",
        description="What needs the room this week, in order: off track, at risk, blocked, stale, breached "
                    "bounds, decisions waiting, then wins; each with its owner, the one number that matters and "
                    "a suggested time box. Markdown pastes into a meeting doc.")
    p.add_argument("source", metavar="PATH_OR_STORE", help="a goalbook YAML file or folder, a store file or URL")
    p.add_argument("--team", default=None, help="only this team's goals")
    p.add_argument("--today", type=iso_date, default=None, help="the meeting's day (YYYY-MM-DD; default today)")
    p.add_argument("--format", choices=("md", "html", "json"), default="md", help="output format (default md)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the agenda; exit 0 (2 for a team the goalbook does not have)."""
    import sys

    from goalbook.agenda import build_agenda, to_html, to_json, to_markdown
    from goalbook.cli._source import read_book
    from goalbook.tables import teams

    book = read_book(args.source)
    if args.team is not None and args.team not in teams(book):
        print(f"goalbook agenda: there is no team '{args.team}'; teams: {', '.join(teams(book)) or 'none'}",
              file=sys.stderr)
        return 2
    agenda = build_agenda(book, today=args.today or date.today(), team=args.team)
    out = {"md": lambda: to_markdown(agenda, book.organisation), "html": lambda: to_html(agenda, book.organisation),
           "json": lambda: to_json(agenda)}[args.format]()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
