"""``goalbook publish STORE_OR_PATH --out DIR [--today D] [--since D]``: the review pages as a static site."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from goalbook.cli._args import iso_date


def register(subparsers: Any) -> None:
    """Add the ``publish`` command."""
    p = subparsers.add_parser(
        "publish", help="write the review pages as a static HTML site",
        description="Write the review pages (index, company dashboard, alignment map, what changed, one page per "
                    "team) as static HTML with the same content as the Voilà pages: no kernel, no server code, "
                    "plotly.js included from the installed package (works offline). The site is written to a "
                    "temporary folder and swapped in whole; a failure leaves the previous site as it was.")
    p.add_argument("source", metavar="STORE_OR_PATH",
                   help="a goalbook YAML file or folder, a store file (SQLite) or a postgresql:// URL")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the site's folder: new, empty, or one goalbook published before (replaced whole)")
    p.add_argument("--today", type=iso_date, default=None,
                   help="the day the pages report as of (YYYY-MM-DD; default as review pages pick it)")
    p.add_argument("--since", type=iso_date, default=None,
                   help="the changes page starts at this day (YYYY-MM-DD; default a week ago)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from goalbook.publish import publish

    site = publish(args.source, args.out, today=args.today, since=args.since)
    print(f"goalbook publish: {len(site.pages)} pages as of {site.today} in {site.out} (open index.html)",
          file=sys.stderr)
    return 0
