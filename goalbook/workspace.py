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
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from goalbook.errors import ConflictError, GoalbookError
from goalbook.identity import current_author
from goalbook.model import ApprovalEvent, CheckIn, Comment, Goal, Goalbook, Initiative, Link, Objective

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


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- a goalbook and where its changes go --------------------------------------------------------------
_LISTS = {"objective": "objectives", "smart_goal": "smart_goals", "kpi": "kpis", "initiative": "initiatives"}


def put_in_book(book: Goalbook, goal: Goal) -> None:
    """Put ``goal`` into ``book`` in place of the one with its id, or at the end of its list."""
    items = getattr(book, _LISTS[goal.kind])
    for i, g in enumerate(items):
        if g.id == goal.id:
            items[i] = goal
            break
    else:
        items.append(goal)
    book.reindex()


def next_id(book: Goalbook, prefix: str) -> str:
    """The first ``PREFIX-n`` (n = 1, 2, ...) no goal in ``book`` has."""
    n = 1
    while f"{prefix}-{n}" in book:
        n += 1
    return f"{prefix}-{n}"


def key_result_ids(book: Goalbook, objective_id: str, ids: Iterable[str | None]) -> list[str]:
    """``ids`` with each ``None`` (a new key result) replaced by the next free ``<objective>.KR<n>``,
    counting past every ``.KR<n>`` already in ``book`` or in ``ids``."""
    ids = list(ids)
    taken = {i for i in ids if i} | {g.id for g in book.iter_goals()}
    pattern = re.compile(re.escape(objective_id) + r"\.KR(\d+)")
    n = max((int(m.group(1)) for t in taken if (m := pattern.fullmatch(t))), default=0)
    out = []
    for i in ids:
        if not i:
            n += 1
            i = f"{objective_id}.KR{n}"
        out.append(i)
    return out


# what a goal still lacks to be planned work rather than a draft, by kind: (attribute, words)
_PLANNED = {
    "smart_goal": (("owner", "owner"), ("team", "team"), ("deadline", "deadline")),
    "objective": (("owner", "owner"), ("period", "period")),
}


def missing_for_plan(goal: Goal) -> list[str]:
    """What ``goal`` lacks to count as planned work (an owner, a team, a deadline for a SMART goal; an
    owner and a period for an objective), in words; empty when it has them all. A goal that lacks
    any is kept as a *draft*: saved, listed under Drafts, never lost from view."""
    return [words for attr, words in _PLANNED.get(goal.kind, ()) if not getattr(goal, attr, None)]


def drafts(book: Goalbook) -> list[tuple[Goal, list[str]]]:
    """Objectives and SMART goals that are still drafts, each with what it lacks, in book order."""
    return [(g, miss) for g in (*book.objectives, *book.smart_goals) if (miss := missing_for_plan(g))]


def draft_words(missing: list[str]) -> str:
    """``["owner", "deadline"]`` as "no owner or deadline yet"."""
    if not missing:
        return ""
    return "no " + (missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]) + " yet"


def free_day(book: Goalbook, goal_id: str, day: date) -> date:
    """``day``, or the first day after it with no check-in on ``goal_id``: the date a new check-in
    should default to, so that a second check-in on one day is never made by accident."""
    taken = {c.date for c in book.check_ins_for(goal_id)}
    while day in taken:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Change:
    """What a :class:`Workspace` just did: ``what`` is ``put``, ``link``, ``check_in``, ``approval``,
    ``comment``, ``promote`` or ``reload``; ``ids`` the goals concerned; ``where`` says in words where
    it went."""

    what: str
    ids: tuple[str, ...]
    where: str


class Workspace:
    """A goalbook and where its changes go: a :class:`~goalbook.store.Store`, a YAML file, or only memory.

    Writes reach the destination first and the goalbook in memory only once they succeeded, so a
    refused write changes nothing. Concurrent changes are refused with ``ConflictError``: the store
    compares versions; a YAML file is re-read (under the folder lock) and the goal compared with
    what it was when this workspace first saw it, so edits to *other* goals in the same file are
    kept. A widget built without one opens its own; given a notebook's (``workspace=ws``), all widgets share it.
    ``on_change`` callbacks hear of every write: one workspace per notebook, which every widget on
    the page observes, so a save, a link, a check-in or an approval step in one redraws the others.
    Approval steps, comments and promotions are checked by :mod:`goalbook.approvals`' rules and
    written here, to the store, the YAML file or memory alike.
    """

    def __init__(self, book: Goalbook, source: str = "", readonly: bool = False, *, store: Any = None,
                 path: str | os.PathLike[str] | None = None, clock: Callable[[], datetime] | None = None) -> None:
        if store is not None and path is not None:
            raise ValueError("give a store or a path to save to, not both")
        self.book = book
        self.store = store
        self.path = Path(path) if path is not None else None
        self.readonly = readonly
        self.source = source or self.describe()
        self._versions: dict[str, int] = {}
        self._originals: dict[str, Goal | None] = {}
        self._observers: list[Callable[[Change], Any]] = []
        self.clock = clock or _now  # when approval steps and comments are stamped (a store stamps its own)

    def __repr__(self) -> str:
        if self.readonly:
            return f"<goalbook.Workspace: {self.source}, read-only>"
        where = "edits stay in this session" if self.store is None and self.path is None else "Save writes there"
        who = self.store.author if self.store is not None else current_author()
        return f"<goalbook.Workspace: {self.source}; {where}, recorded as {who}>"

    # --- where ---
    def describe(self) -> str:
        """Where changes go, in words."""
        if self.store is not None:
            return f"the store {self.store.url}"
        if self.path is not None:
            return str(self.path)
        return "the goalbook in memory (pass store= or path= to keep it)"

    @property
    def saving(self) -> dict[str, Any]:
        """Keyword arguments for an editing widget: ``readonly=True`` on a read-only workspace, else
        where its changes go (``store=`` or ``path=``; nothing for a goalbook kept in memory)."""
        if self.readonly:
            return {"readonly": True}
        if self.store is not None:
            return {"store": self.store}
        if self.path is not None:
            return {"path": self.path}
        return {}

    def reload(self) -> Goalbook:
        """Read the goalbook again from its store or file (the example is loaded fresh); returns it."""
        if self.store is not None:
            self.book = self.store.load()
        elif self.path is not None:
            from goalbook.io import load_goalbook

            self.book = load_goalbook(self.path)
        else:
            from goalbook.examples import load_example

            self.book = load_example()
        self._versions.clear()
        self._originals.clear()
        self._fire(Change("reload", (), self.describe()))
        return self.book

    # --- events ---
    def on_change(self, callback: Callable[[Change], Any], remove: bool = False) -> None:
        """Call ``callback(change)`` after every successful write (or reload)."""
        if remove:
            with contextlib.suppress(ValueError):
                self._observers.remove(callback)
        elif callback not in self._observers:
            self._observers.append(callback)

    def _fire(self, change: Change) -> None:
        for callback in list(self._observers):
            callback(change)

    # --- ids ---
    def next_id(self, prefix: str) -> str:
        """The first free ``PREFIX-n`` for a new goal."""
        return next_id(self.book, prefix)

    def key_result_ids(self, objective_id: str, ids: Iterable[str | None]) -> list[str]:
        """Ids for an objective's key results, new ones (``None``) numbered after the existing ones."""
        return key_result_ids(self.book, objective_id, ids)

    # --- reading, remembering what was read ---
    def fetch(self, goal_id: str) -> Goal:
        """Read a goal to edit and remember the version it had, so a later save can spot concurrent changes."""
        if self.store is not None:
            versions = self.store.versions(goal_id)  # before get: a change in between shows as a conflict
            goal = self.store.get(goal_id)
            self._versions.update(versions)  # key results too: checked against what *this* workspace read
            return goal
        goal = self.book.get(goal_id)
        self.track(goal_id)
        return copy.deepcopy(goal)

    def track(self, goal_id: str) -> None:
        """Remember a goal (or that it does not exist yet) as this workspace first saw it."""
        if self.store is not None:
            try:
                self._versions.update(self.store.versions(goal_id))
            except KeyError:
                self._versions[goal_id] = 0  # create only: someone else creating it first is a conflict
        elif self.path is not None:
            disk = self._disk()
            self._originals[goal_id] = copy.deepcopy(disk.get(goal_id)) if goal_id in disk else None

    def version(self, goal_id: str) -> int | None:
        """The store version this workspace last read or wrote, when writing to a store."""
        return self._versions.get(goal_id)

    def _disk(self) -> Goalbook:
        from goalbook.io import load_goalbook

        if self.path is not None and self.path.exists():
            return load_goalbook(self.path)
        return replace(self.book, objectives=list(self.book.objectives), smart_goals=list(self.book.smart_goals),
                       kpis=list(self.book.kpis), initiatives=list(self.book.initiatives),
                       links=list(self.book.links), check_ins=list(self.book.check_ins),
                       comments=list(self.book.comments), sources=[])

    def _save_disk(self, disk: Goalbook) -> None:
        from goalbook.io import save_goalbook

        save_goalbook(disk, None if disk.sources else self.path)

    def _writable(self) -> None:
        if self.readonly:
            raise GoalbookError(f"{self.source} is open read-only: nothing can be saved to it")

    # --- writing ---
    def put(self, goal: Goal, links: Iterable[Link] = ()) -> str:
        """Write a goal, and ``links`` from it in the same write (one change event for both); return what
        happened in words. Raises ``ConflictError`` or ``ValidationError``."""
        from goalbook.linking import with_link

        self._writable()
        links = list(links)
        for lk in links:
            if lk.source != goal.id:
                raise ValueError(f"a link saved with {goal.id} starts from it, not from {lk.source}")
            if lk.target not in self.book:
                self.book.get(lk.target)  # KeyError naming the closest id
        if self.store is not None:
            version = self.store.put(goal, expected_version=self._versions.get(goal.id, 0),
                                     expected_versions=self._versions)
            self._versions[goal.id] = version
            for kr in getattr(goal, "key_results", ()):
                self._versions[kr.id] = self.store.version(kr.id)
            for lk in links:
                self.store.add_link(lk)
            where = f"{goal.id} saved to {self.store.url} (version {version})"
        elif self.path is not None:
            with _folder_lock([self.path]):
                disk = self._disk()
                if goal.id not in self._originals:
                    self._originals[goal.id] = copy.deepcopy(disk.get(goal.id)) if goal.id in disk else None
                original = self._originals[goal.id]
                current = disk.get(goal.id) if goal.id in disk else None
                if current != original:
                    what = "was created" if original is None else "was deleted" if current is None else "changed"
                    raise ConflictError(f"{goal.id} {what} in {self.path} since you opened it; your edits are kept "
                                        "here: reload to see the other change, then apply yours again")
                put_in_book(disk, copy.deepcopy(goal))
                for lk in links:
                    disk = with_link(disk, lk)
                self._save_disk(disk)
            self._originals[goal.id] = copy.deepcopy(goal)
            where = f"{goal.id} saved to {self.path}"
        else:
            where = f"{goal.id} saved in the goalbook in memory (not to a file or store)"
        put_in_book(self.book, copy.deepcopy(goal))
        for lk in links:
            self.book.links = with_link(self.book, lk).links
        self._fire(Change("put", (goal.id, *(lk.target for lk in links)), where))
        return where

    def add_link(self, link: Link) -> str:
        """Add (or re-kind) a link; return what happened in words."""
        from goalbook.linking import with_link

        self._writable()
        if self.store is not None:
            self.store.add_link(link)
            where = f"saved to {self.store.url}"
        elif self.path is not None:
            with _folder_lock([self.path]):
                disk = self._disk()
                for gid in (link.source, link.target):
                    if gid not in disk:
                        raise ConflictError(f"{gid} is no longer in {self.path}: reload before linking")
                self._save_disk(with_link(disk, link))
            where = f"saved to {self.path}"
        else:
            where = "kept in the goalbook in memory (not saved to a file or store)"
        self.book.links = with_link(self.book, link).links
        self._fire(Change("link", (link.source, link.target), where))
        return where

    def check_in(self, check_in: CheckIn) -> tuple[CheckIn, str]:
        """Record a check-in; return it as stored and what happened in words."""
        self._writable()
        if self.store is not None:
            stored = self.store.check_in(check_in)
            where = f"saved to {self.store.url}"
        elif self.path is not None:
            with _folder_lock([self.path]):
                disk = self._disk()
                if check_in.target_id not in disk:
                    raise ConflictError(f"{check_in.target_id} is no longer in {self.path}: "
                                        "reload before checking in")
                stored = check_in if check_in.author else replace(check_in, author=current_author())
                disk.check_ins.append(stored)
                self._save_disk(disk)
            where = f"saved to {self.path}"
        else:
            stored = check_in if check_in.author else replace(check_in, author=current_author())
            where = "kept in the goalbook in memory (not saved to a file or store)"
        self.book.check_ins.append(stored)
        self._fire(Change("check_in", (check_in.target_id,), where))
        return stored, where

    # --- approvals and comments (the rules are goalbook.approvals'; where they are written is here) ---
    def _flow_step(self, apply: Callable[[Any], Any], ids: tuple[str, ...], what: str) -> Any:
        """Run ``apply(flow)`` on the destination: the store's flow, or a flow on the file as it is on disk
        (under the folder lock) whose result is then taken into the goalbook in memory, or on memory."""
        from goalbook.approvals import Flow

        self._writable()
        if self.store is not None:
            flow = Flow(store=self.store, clock=self.clock)
            result = apply(flow)
            _take(self.book, flow.book)
            where = f"saved to {self.store.url}"
        elif self.path is not None:
            with _folder_lock([self.path]):
                disk = self._disk()
                for gid in ids:
                    if gid not in disk:
                        raise ConflictError(f"{gid} is no longer in {self.path}: reload first")
                result = apply(Flow(disk, clock=self.clock))
                self._save_disk(disk)
            self._take_result(result)
            where = f"saved to {self.path}"
        else:
            result = apply(Flow(self.book, clock=self.clock))
            where = "kept in the goalbook in memory (not saved to a file or store)"
        self._fire(Change(what, ids, where))
        return result

    def _take_result(self, result: Any) -> None:
        """Bring an approval step, comment or promotion made on the file into the goalbook in memory."""
        if isinstance(result, ApprovalEvent):
            goal = self.book.get(result.target_id)
            goal.approval = result.state  # type: ignore[union-attr]
            self.book.approvals.append(result)
        elif isinstance(result, Comment):
            self.book.comments.append(result)
        elif isinstance(result, Initiative):
            put_in_book(self.book, result)

    def step(self, goal_id: str, action: str, by: str | None = None, reason: str | None = None) -> ApprovalEvent:
        """Request a review, approve or request changes on ``goal_id`` as ``by``; ``RefusedError`` says why
        the rules refuse it (and nothing is written)."""
        return self._flow_step(lambda f: f.step(goal_id, action, by, reason), (goal_id,), "approval")

    def comment(self, goal_id: str, text: str, by: str | None = None, reply_to: str | None = None) -> Comment:
        """Comment on ``goal_id`` (a reply when ``reply_to`` names an earlier comment); returns it as kept."""
        return self._flow_step(lambda f: f.comment(goal_id, text, by, reply_to), (goal_id,), "comment")

    def promote(self, goal_id: str, by: str | None = None, on: date | None = None) -> Initiative:
        """Promote a candidate initiative to approved, recording who and on which day."""
        return self._flow_step(lambda f: f.promote(goal_id, by, on), (goal_id,), "promote")

    # --- drafts and check-in days ---
    def drafts(self) -> list[tuple[Goal, list[str]]]:
        """The goalbook's drafts with what each lacks (see :func:`missing_for_plan`)."""
        return drafts(self.book)

    def check_ins_on(self, goal_id: str, day: date) -> list[CheckIn]:
        """The check-ins already recorded on ``goal_id`` on ``day``."""
        return [c for c in self.book.check_ins_for(goal_id) if c.date == day]
