"""``goalbook kpi search WORDS``: find a metric in goalbook's KPI library, with its definition and source.

``goalbook kpi show ID`` prints one entry in full; ``--format json`` gives either as data.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from goalbook import kpi


def register(subparsers: Any) -> None:
    """Add the ``kpi`` command with its ``search`` and ``show`` sub-commands."""
    p = subparsers.add_parser("kpi", help="search goalbook's library of common KPIs",
                              description="Search the library of common KPIs (sales, marketing, customer success, "
                                          "product, engineering, finance, people, operations, healthcare, "
                                          "education, public sector): definition, formula, unit, which way is good, "
                                          "leading or lagging, cadence and a public source.")
    sub = p.add_subparsers(dest="kpi_command", metavar="SUBCOMMAND")
    s = sub.add_parser("search", help="metrics matching some words, best first")
    s.add_argument("words", nargs="*", help="words to look for (none: list the whole library)")
    s.add_argument("--domain", choices=kpi.DOMAINS, default=None, help="only this domain")
    s.add_argument("--limit", type=int, default=10, help="at most this many (default 10; 0 for all)")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.set_defaults(func=run_search)
    sh = sub.add_parser("show", help="one metric in full")
    sh.add_argument("id", help="the metric's id, e.g. net_promoter_score")
    sh.add_argument("--format", choices=("text", "json"), default="text")
    sh.set_defaults(func=run_show)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _card(e: kpi.LibraryKPI) -> str:
    good = "higher is better" if e.direction == "increase" else "lower is better"
    lines = [f"{e.id}: {e.name} [{e.domain}]",
             f"  {e.definition}",
             f"  formula: {e.formula}",
             f"  unit: {e.unit} · {good} · {e.indicator} · usually {e.cadence}",
             f"  source: {e.source}"]
    if e.synonyms:
        lines.insert(2, f"  also called: {', '.join(e.synonyms)}")
    return "\n".join(lines)


def run_search(args: argparse.Namespace) -> int:
    """Print the metrics matching the words; exit 1 when none does."""
    matches = kpi.search(" ".join(args.words), limit=args.limit or None, domain=args.domain)
    if args.format == "json":
        print(json.dumps([{**asdict(m.kpi), "score": m.score, "matched": list(m.matched)} for m in matches],
                         indent=2))
    elif not matches:
        print(f"no KPI in the library matches '{' '.join(args.words)}'; try fewer or other words")
    else:
        print("\n\n".join(_card(m.kpi) for m in matches))
    return 0 if matches else 1


def run_show(args: argparse.Namespace) -> int:
    """Print one metric in full; exit 1 when the id is unknown."""
    try:
        e = kpi.get(args.id)
    except KeyError as exc:
        print(f"goalbook kpi show: {exc.args[0]}")
        return 1
    print(json.dumps(asdict(e), indent=2) if args.format == "json" else _card(e))
    return 0
