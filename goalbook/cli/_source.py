"""Where a command's goalbook comes from: a YAML file or folder, or a store (a ``.db`` file or a URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from goalbook.model import Goalbook

STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_store(source: str) -> bool:
    """A store URL (``postgresql://``, ``sqlite:///``) or an SQLite file; anything else is YAML."""
    return "://" in source or Path(source).suffix.lower() in STORE_SUFFIXES


def read_book(source: str) -> Goalbook:
    """The goalbook at ``source``, read-only: a store is opened read-only at the database level."""
    if is_store(source):
        import goalbook

        with goalbook.open(source, readonly=True) as store:
            return store.load()
    from goalbook.io import load_goalbook

    return load_goalbook(source)


def open_store(source: str, author: str | None) -> Any:
    """A writable store at ``source`` that stamps ``author`` on what it records."""
    import goalbook

    return goalbook.open(source, author=author)
