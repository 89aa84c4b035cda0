"""``goalbook graph PATH... [--format text|json] [--html OUT.html] [--today DATE]``: the alignment analyses.

Prints orphans, uncovered company key results, skipped levels, silos, leading-indicator
coverage, what goals at risk put at risk, critical goals, owner load and the contribution
roll-up; with ``--html`` also writes the alignment figure as one self-contained page (plotly.js
inlined, so it opens offline). The analyses live in :mod:`goalbook.alignment`, the figure in
:mod:`goalbook.figures.alignment`; this module only loads, calls and writes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from goalbook.cli._args import iso_date


def _depth(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    raise argparse.ArgumentTypeError(f"'{text}' is not a depth; use 1 (company) to 5 (everything)")


def register(subparsers: Any) -> None:
    """Add the ``graph`` command."""
    p = subparsers.add_parser(
        "graph", help="how every goal serves the strategy: orphans, gaps, risks",
        description="Analyse the alignment graph of a goalbook: goals that serve no company objective, company "
                    "key results nothing works toward, links that skip a level, silos, leading indicators, "
                    "what goals at risk put at risk, critical goals, owner load and the progress roll-up.")
    p.add_argument("path", nargs="+", help="a goalbook YAML file, a folder of them, or several files")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--html", metavar="OUT.html", help="also write the interactive figure to this file")
    p.add_argument("--today", type=iso_date, default=None, help="score as of this day (YYYY-MM-DD; default today)")
    p.add_argument("--color-by", choices=("status", "score"), default="status", help="colour of the dots in --html")
    p.add_argument("--focus", metavar="ID", help="in --html, show only this goal's path up and down")
    p.add_argument("--team", help="in --html, show only this team's goals and what they serve")
    p.add_argument("--depth", type=_depth, default=None, help="in --html, levels to show: 1 company ... 5 all")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load, analyse, print; write the figure when asked. Exit 0 (broken links raise, exit 1)."""
    from goalbook.alignment import alignment_graph, analyse
    from goalbook.io import load_goalbook

    paths: Sequence[str] = args.path
    book = load_goalbook(paths[0] if len(paths) == 1 else list(paths))
    today = args.today or date.today()
    G = alignment_graph(book, today=today)
    report = analyse(G)
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(report.to_text())
    if args.html:
        from goalbook.figures.alignment import alignment_figure

        try:
            fig = alignment_figure(G, color_by=args.color_by, focus=args.focus, team=args.team, depth=args.depth)
        except (KeyError, ValueError) as exc:  # an unknown --focus id or --team
            print(f"goalbook graph: {exc.args[0] if exc.args else exc}", file=sys.stderr)
            return 2
        write_html(fig, Path(args.html))
        if args.format == "text":
            print(f"\nFigure written to {args.html}")
    return 0


def write_html(fig: Any, path: Path) -> None:
    """Write ``fig`` as a standalone page, atomically: a failed write leaves any old file intact."""
    from goalbook.figures import PLOTLY_CONFIG

    page = fig.to_html(include_plotlyjs=True, full_html=True, config={**PLOTLY_CONFIG, "responsive": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
