"""``goalbook refresh PATH_OR_STORE``: run every key result's and KPI's ``source`` and record the values.

Each source runs with a time limit (``--timeout``); each failure is printed with the goal and the
source named while the others carry on; each value becomes a check-in by ``refresh``, at most one per
goal a day. Exit 0 when every source ran, 1 when any failed.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from goalbook.cli._where import is_store, update


def register(subparsers: Any) -> None:
    """Add the ``refresh`` command."""
    p = subparsers.add_parser("refresh", help="update key results and KPIs from their data sources (SQL, CSV, "
                                              "Parquet, Python)",
                              description=__doc__)
    p.add_argument("where", metavar="PATH_OR_STORE",
                   help="the goalbook: a YAML file or folder, an SQLite file or a postgresql:// URL")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds each source may take (default 30)")
    p.add_argument("--today", type=date.fromisoformat, default=None, help="the check-ins' date (default: today)")
    p.add_argument("--base-dir", type=Path, default=None,
                   help="folder relative file paths start from (default: the goalbook file's folder, or the "
                        "working directory for a store)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Refresh, print one line per goal with a source, and exit 1 when any source failed."""
    from goalbook.refresh.run import refresh

    base = args.base_dir
    if base is None and not is_store(args.where):
        p = Path(args.where)
        base = p if p.is_dir() else p.parent
    today = args.today or date.today()
    report = update(args.where, lambda book: refresh(book, today=today, timeout=args.timeout, base_dir=base),
                    author="refresh")
    print(report)
    return 1 if report.failed else 0  # type: ignore[attr-defined]
