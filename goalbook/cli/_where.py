"""Where a command reads a goalbook from and writes it back to: a YAML file or folder, or a store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from goalbook.model import Goalbook

_STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_store(where: str) -> bool:
    """True for a store: a ``postgresql://`` or ``sqlite://`` URL, or an SQLite file (.db, .sqlite)."""
    return "://" in where or Path(where).suffix.lower() in _STORE_SUFFIXES


def update(where: str, change: Callable[[Goalbook], tuple[Goalbook, object]], *, author: str | None = None) -> object:
    """Load the goalbook at ``where``, apply ``change`` and write the result back in one step.

    ``change`` returns the new goalbook and a summary; when it raises, nothing is written. A YAML
    goalbook is saved atomically (only what changed is rewritten); a store takes the new goalbook in
    one transaction (new check-ins appended, changed goals updated).
    """
    if is_store(where):
        import goalbook.store

        with goalbook.store.open(where, author=author) as store:
            book, summary = change(store.load())
            store.import_book(book)
            return summary
    from goalbook.io import load_goalbook, save_goalbook

    path = Path(where)
    if not path.exists():
        raise FileNotFoundError(f"{where}: no such goalbook file or folder")
    book, summary = change(load_goalbook(path))
    save_goalbook(book, None)
    return summary
