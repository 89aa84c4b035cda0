"""The goal store: a goalbook in SQLite (one file, the default) or PostgreSQL (a whole organisation).

Every change is kept: goals, links and settings change through append-only events carrying a full
snapshot, and check-ins and comments are append-only records, each stamped with who wrote it and
when. Current-state tables, kept in the same transaction, make reading the goalbook fast.

>>> import goalbook
>>> with goalbook.open("goals.db", author="maria") as store:  # doctest: +SKIP
...     book = store.load()
...     kr = store.get("CO-1.KR1")
...     store.put(kr)            # ConflictError if someone changed it since you read it
"""

from __future__ import annotations

import os

from goalbook.store._store import Store
from goalbook.store.records import Approval, Change, Changes, ImportSummary, Review, RoleAccess, Version

__all__ = ["Approval", "Change", "Changes", "ImportSummary", "Review", "RoleAccess", "Store", "Version", "open"]


def open(url_or_path: str | os.PathLike, *, readonly: bool = False, author: str | None = None) -> Store:
    """Open (creating on first use) the store at a path (SQLite) or a ``postgresql://`` URL.

    ``readonly=True`` makes the database connection itself refuse writes, as review pages need.
    ``author`` is recorded on every change (default: :func:`goalbook.identity.current_author`).
    """
    return Store(url_or_path, readonly=readonly, author=author)
