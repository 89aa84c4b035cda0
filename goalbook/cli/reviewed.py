"""``goalbook reviewed STORE``: record that the goals were reviewed, so the changes page starts there.

A review meeting is the question the changes page answers ("what changed since our last review"), so
the store keeps when one was held: who recorded it, when, and the day the goals were reviewed as of.
"""

from __future__ import annotations

import argparse
from typing import Any

from goalbook.cli._args import iso_date
from goalbook.cli._source import is_store, open_store
from goalbook.errors import GoalbookError


def register(subparsers: Any) -> None:
    """Add the ``reviewed`` command."""
    p = subparsers.add_parser(
        "reviewed", help="record that the goals were reviewed; the changes page starts from the last review",
        description="Record in the store that the goals were reviewed (a review meeting held), as of --today "
                    "(default: the day the review pages report as of). The changes page then lists what changed "
                    "since this review unless its URL says ?since=YYYY-MM-DD. Recorded as you (goalbook.identity).")
    p.add_argument("store", metavar="STORE", help="a store file or URL")
    p.add_argument("--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
                   help="the day the goals were reviewed as of (default: as the review pages pick it)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not is_store(args.store):
        raise GoalbookError(f"{args.store} is not a store: reviews are recorded in a store (a .db file or a URL), "
                            "which keeps the history the changes page reads")
    from goalbook.notebook import today_from_env

    with open_store(args.store, None) as store:
        as_of = args.today or today_from_env(latest=store.latest_check_in())
        review = store.record_review(as_of)
    print(f"review as of {review.as_of.isoformat()} recorded by {review.by}; the changes page now starts there")
    return 0
