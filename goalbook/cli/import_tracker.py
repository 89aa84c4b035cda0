"""``goalbook import-tracker TRACKER EXPORT --into PATH_OR_STORE``: initiatives from a tracker's export.

Reads a Jira CSV or search JSON, an Asana CSV, a Trello board JSON, GitHub issues (and milestones)
JSON from ``gh api`` or a Linear CSV, and creates or updates one initiative per issue, task or card,
keyed by the tracker's key (see :mod:`goalbook.importers`). A malformed export is refused with the
row named and nothing is written.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from goalbook.cli._where import update
from goalbook.importers import (
    asana,
    github,
    import_items,
    jira,
    linear,
    parse_goal_mapping,
    parse_status_mapping,
    read_mapping,
    trello,
)

FORMATS = ("jira", "jira-json", "asana", "trello", "github", "linear")


def read_export(fmt: str, path: Path, milestones: Path | None = None) -> tuple[str, list]:
    """The tracker's name and the items of an export in format ``fmt``."""
    text = path.read_text(encoding="utf-8")
    name = str(path)
    if fmt == "jira":
        return "jira", (jira.read_json(text, name) if path.suffix.lower() == ".json" else jira.read_csv(text, name))
    if fmt == "jira-json":
        return "jira", jira.read_json(text, name)
    if fmt == "asana":
        return "asana", asana.read_csv(text, name)
    if fmt == "trello":
        return "trello", trello.read_board(text, name)
    if fmt == "github":
        items = github.read_issues(text, name)
        if milestones is not None:
            items = github.read_milestones(milestones.read_text(encoding="utf-8"), str(milestones)) + items
        return "github", items
    return "linear", linear.read_csv(text, name)


def register(subparsers: Any) -> None:
    """Add the ``import-tracker`` command."""
    p = subparsers.add_parser(
        "import-tracker", help="create or update initiatives from a Jira, Asana, Trello, GitHub or Linear export",
        description="One initiative per issue, task or card, keyed by the tracker's key: re-importing updates "
                    "status and progress in place and records each change as a check-in. Epics, labels, "
                    "milestones and projects name the goal an item serves: by --goal, by a goal id in their "
                    "text, or by a title that is exactly theirs. A malformed export is refused with the row named.")
    p.add_argument("tracker", choices=FORMATS, help="the export's format (jira reads CSV, or JSON by a .json suffix)")
    p.add_argument("export", type=Path, help="the exported file")
    p.add_argument("--into", required=True, metavar="PATH_OR_STORE",
                   help="the goalbook: a YAML file or folder, an SQLite file or a postgresql:// URL")
    p.add_argument("--milestones", type=Path, default=None, help="github only: the milestones JSON as well")
    p.add_argument("--status", action="append", default=[], metavar="STATUS=STAGE[:PROGRESS]",
                   help="map a status to a stage and progress, e.g. 'In QA=active:0.9' (repeatable)")
    p.add_argument("--goal", action="append", default=[], metavar="GROUP=GOAL_ID",
                   help="the goal an epic, label, milestone or project serves, e.g. 'Booking revamp=CO-1.KR2'")
    p.add_argument("--mapping", type=Path, default=None, metavar="FILE",
                   help="a YAML file with 'statuses' and 'goals' mappings, kept beside the goalbook for every import; "
                        "--status and --goal add to it")
    p.add_argument("--today", type=date.fromisoformat, default=None, help="the check-ins' date (default: today)")
    p.add_argument("--author", default=None, help="who the store records the change as")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the export (refusing it whole when malformed), then apply it and say what changed."""
    statuses, goals = {}, {}
    if args.mapping is not None:
        statuses, goals = read_mapping(args.mapping.read_text(encoding="utf-8"), str(args.mapping))
    statuses.update(parse_status_mapping(args.status))
    goals.update(parse_goal_mapping(args.goal))
    tracker, items = read_export(args.tracker, args.export, args.milestones)
    today = args.today or date.today()
    summary = update(args.into, lambda book: import_items(book, items, tracker, today=today, statuses=statuses,
                                                          goals=goals), author=args.author)
    print(f"imported {args.export} into {args.into}: {summary}")
    return 0
