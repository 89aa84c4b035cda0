"""Where a goalbook lives (in memory, in YAML files, in a store) and how changes reach it safely.

Widget-free (nothing here imports ipywidgets): notebooks, widgets and the CLI share it, and it sits
above ``io`` and ``store`` and below ``widgets`` in the layers of docs ARCHITECTURE (checked by
``lint-imports``).

Saving to YAML never loses a change made by someone else. When a goalbook is read from files it
remembers a fingerprint of every goal as read; a save re-reads the files and compares three
versions of each goal (as loaded, as now in memory, as now on disk):

- changed only here: written; changed only on disk: kept as the other writer left it, and taken
  into the goalbook in memory too;
- changed on both sides to different things: nothing is written, :class:`FileConflict` names the
  goals, and the goalbook in memory keeps every edit (reload, then apply them again).

Links, check-ins and comments merge as lists: what this side added or removed is applied to what
is on disk. The read-compare-write runs under a lock on the folder, so two sessions saving at the
same moment take turns instead of interleaving.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goalbook.errors import ConflictError
from goalbook.model import Goalbook, Objective

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the three-way comparison still runs
    fcntl = None  # type: ignore[assignment]

_UNIT_LISTS = ("objectives", "smart_goals", "kpis", "initiatives")
_ITEM_LISTS = ("links", "check_ins", "comments")
SETTINGS = "the goalbook's settings (organisation, fiscal_year_start)"


class FileConflict(ConflictError):
    """A save refused because goals changed both here and in the file since it was loaded."""

    def __init__(self, message: str, ids: list[str]) -> None:
        super().__init__(message)
        self.ids = ids


def _fp(value: Any) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


@dataclass
class Snapshot:
    """What a goalbook was when read from files: the path it was read from and a fingerprint of
    each goal (objectives with their key results), of the settings and of each list item."""

    path: Any
    units: dict[str, str] = field(default_factory=dict)
    items: dict[str, Counter[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, book: Goalbook, path: Any) -> Snapshot:
        return cls(path, _units(book), {name: Counter(map(_fp, getattr(book, name))) for name in _ITEM_LISTS})


def _units(book: Goalbook) -> dict[str, str]:
    units = {g.id: _fp(g) for name in _UNIT_LISTS for g in getattr(book, name)}
    units[SETTINGS] = _fp((book.organisation, book.fiscal_year_start))
    return units


# Snapshots are kept beside the goalbooks they describe, not inside the model (which knows nothing of
# files): keyed by the object's id and dropped when the goalbook is collected.
_SNAPSHOTS: dict[int, Snapshot] = {}


def _remember(book: Goalbook, snap: Snapshot) -> None:
    import weakref

    key = id(book)
    if key not in _SNAPSHOTS:
        weakref.finalize(book, _SNAPSHOTS.pop, key, None)
    _SNAPSHOTS[key] = snap


def snapshot_of(book: Goalbook) -> Snapshot | None:
    """The snapshot taken when ``book`` was read from files, ``None`` for one made in memory."""
    return _SNAPSHOTS.get(id(book))


def load_book(path: Any, **kwargs: Any) -> Goalbook:
    """Read a goalbook from a YAML file, a folder or a list of files, remembering each goal as read
    so that :func:`save_book` can tell a concurrent change from one made here."""
    from goalbook.io import load_goalbook

    book = load_goalbook(path, **kwargs)
    _remember(book, Snapshot.of(book, path if isinstance(path, str | os.PathLike) else list(path)))
    return book


@contextlib.contextmanager
def _folder_lock(files: Iterable[Path]) -> Iterator[None]:
    """An exclusive advisory lock on the folder of the goalbook's main file, for one read-compare-write."""
    folder = next(iter(files), Path(".")).resolve().parent
    if fcntl is None or not folder.is_dir():
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _same_files(book: Goalbook, path: Any) -> bool:
    if path is None:
        return True
    return bool(book.sources) and Path(path).resolve() == Path(book.sources[0]).resolve()


def save_book(book: Goalbook, path: Any = None, **kwargs: Any) -> None:
    """Write ``book`` atomically to ``path`` (or back to the files it came from), keeping comments.

    Back to the files it was read from (by :func:`load_book`), changes made meanwhile by someone
    else are merged in, or the save is refused with :class:`FileConflict` naming the goals changed
    on both sides; see the module docstring. Anywhere else it is a plain "save as".
    """
    from goalbook.io import load_goalbook, save_goalbook

    snap = snapshot_of(book)
    if snap is None or not _same_files(book, path):
        save_goalbook(book, path, **kwargs)
        return
    with _folder_lock(Path(s) for s in book.sources):
        try:
            disk = load_goalbook(snap.path)
        except FileNotFoundError:
            disk = None
        merged = book if disk is None else merge(book, snap, disk, where=", ".join(book.sources))
        save_goalbook(merged, path, **kwargs)
    if merged is not book:
        _take(book, merged)
    _remember(book, Snapshot.of(book, snap.path))


def merge(ours: Goalbook, base: Snapshot, disk: Goalbook, *, where: str = "the file") -> Goalbook:
    """``disk`` with the changes ``ours`` made since ``base``; :class:`FileConflict` naming every goal
    both changed, differently. ``ours`` is not touched."""
    mine, theirs = _units(ours), _units(disk)
    changed = {u for u in mine.keys() | base.units.keys() if mine.get(u) != base.units.get(u)}
    clash = sorted(u for u in changed if theirs.get(u) != base.units.get(u) and theirs.get(u) != mine.get(u))
    if clash:
        named = [_name(u, ours, disk) for u in clash]
        raise FileConflict(f"not saved: {', '.join(named)} changed in {where} since this goalbook was loaded, and "
                           "here too. Your edits are kept in memory: reload to see the other change, then apply "
                           "yours again.", clash)
    if not changed and all(Counter(map(_fp, getattr(ours, n))) == base.items[n] for n in _ITEM_LISTS):
        return disk  # nothing changed here: the file as it is now
    out = disk
    if SETTINGS in changed:
        out.organisation, out.fiscal_year_start = ours.organisation, ours.fiscal_year_start
    by_id = {g.id: g for n in _UNIT_LISTS for g in getattr(ours, n)}
    for name in _UNIT_LISTS:
        have = getattr(out, name)
        have[:] = [copy.deepcopy(by_id[g.id]) if g.id in changed and g.id in by_id else g
                   for g in have if not (g.id in changed and g.id not in by_id)]
        present = {g.id for g in have}
        have += [copy.deepcopy(g) for g in getattr(ours, name) if g.id in changed and g.id not in present]
    for name in _ITEM_LISTS:
        now = Counter(map(_fp, getattr(ours, name)))
        added, removed = now - base.items[name], base.items[name] - now
        kept = []
        for item in getattr(out, name):
            fp = _fp(item)
            if removed[fp]:
                removed[fp] -= 1
            else:
                kept.append(item)
        for item in getattr(ours, name):
            fp = _fp(item)
            if added[fp]:
                added[fp] -= 1
                kept.append(copy.deepcopy(item))
        setattr(out, name, kept)
    out.reindex()
    return out


def _name(unit: str, ours: Goalbook, disk: Goalbook) -> str:
    """A clashing goal in words: an objective also names the key results that differ."""
    if unit == SETTINGS:
        return unit
    a = ours.get(unit) if unit in ours else None
    b = disk.get(unit) if unit in disk else None
    if isinstance(a, Objective) and isinstance(b, Objective):
        krs = {kr.id: _fp(kr) for kr in a.key_results}
        other = {kr.id: _fp(kr) for kr in b.key_results}
        differ = sorted(k for k in krs.keys() | other.keys() if krs.get(k) != other.get(k))
        if differ:
            return f"{unit} (key result{'s' if len(differ) > 1 else ''} {', '.join(differ)})"
    return unit


def _take(book: Goalbook, merged: Goalbook) -> None:
    """Make ``book`` what was written (its own edits plus the other writer's), in place: callers and
    widgets holding ``book`` see the merged goalbook."""
    book.organisation, book.fiscal_year_start = merged.organisation, merged.fiscal_year_start
    for name in (*_UNIT_LISTS, *_ITEM_LISTS):
        getattr(book, name)[:] = getattr(merged, name)
    book.sources, book.locations = list(merged.sources), dict(merged.locations)
    book.reindex()
