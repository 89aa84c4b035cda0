"""What the store hands back besides goals: versions, changes since a date, approval state, reviews held,
import counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from goalbook.model import CheckIn, Comment, Goal, Link


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a goal: what it looked like, who made it and when, and which fields moved.

    ``change`` is ``create``, ``update``, ``delete`` or ``approval``; for ``delete`` ``goal`` is the
    goal as it was just before. ``fields`` maps each changed field to ``(before, after)``.
    """

    id: str
    version: int
    change: str
    at: datetime  # UTC
    author: str | None
    goal: Goal
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """A goal that existed before and after, with its field-level differences."""

    id: str
    kind: str
    before: Goal
    after: Goal
    fields: dict[str, tuple[Any, Any]]
    by: str | None  # author of the latest change
    at: datetime  # UTC, the latest change


@dataclass
class Changes:
    """Everything that changed since an instant: the agenda of a review meeting."""

    since: datetime  # UTC
    added: list[Goal] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Goal] = field(default_factory=list)
    links_added: list[Link] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    # who added or removed each goal in ``added`` / ``removed``, and when (UTC)
    authors: dict[str, tuple[str | None, datetime]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    # who added each link in ``links_added`` / removed each in ``links_removed``, by ``(source, target)``,
    # and when (UTC): the event that set the link as it stands, or the first that took it away
    links_added_by: dict[tuple[str, str], tuple[str | None, datetime]] = field(default_factory=dict)
    links_removed_by: dict[tuple[str, str], tuple[str | None, datetime]] = field(default_factory=dict)
    # who recorded each check-in in ``check_ins`` and when (UTC), in the same order
    check_ins_recorded: list[tuple[str | None, datetime]] = field(default_factory=list)
    # who recorded each comment in ``comments`` and when (UTC), in the same order (a comment's own ``at``
    # is its time as written, which an import carries over from the file)
    comments_recorded: list[tuple[str | None, datetime]] = field(default_factory=list)
    # the imports (``Store.import_book``) recorded in the window: who ran each, and when (UTC). Every row an
    # import writes carries that same instant, so a page can fold an imported history away from people's edits
    imports: list[tuple[str | None, datetime]] = field(default_factory=list)
    # every link event of the window, oldest first: ``(added, link, by, at)`` (``added`` False for a removal),
    # also those the net ``links_added`` / ``links_removed`` cancel out (a link imported, then removed)
    link_events: list[tuple[bool, Link, str | None, datetime]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.added, self.changed, self.removed, self.links_added, self.links_removed,
                    self.check_ins, self.comments))


@dataclass(frozen=True, slots=True)
class Approval:
    """Where a goal stands in the approval flow, and who moved it there when."""

    id: str
    state: str  # draft | in_review | approved | changes_requested
    by: str | None = None
    at: datetime | None = None  # UTC
    reason: str | None = None  # why changes were requested


@dataclass(frozen=True, slots=True)
class Review:
    """A review meeting recorded in the store (:meth:`Store.record_review`): the day the goals were
    reviewed as of (the goalbook's own clock, as the pages show it), who recorded it and when (UTC)."""

    as_of: date
    by: str | None
    at: datetime  # UTC


@dataclass
class ImportSummary:
    """Counts of what an import wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    check_ins: int = 0
    comments: int = 0

    def __str__(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.links} links, {self.check_ins} check-ins, {self.comments} comments")


@dataclass(frozen=True, slots=True)
class RoleAccess:
    """What a PostgreSQL role could do to a store. A review page's role must read every table and write
    nothing, whatever its session does (``SET`` a setting back, ``SET ROLE``, ``RESET ROLE``)."""

    role: str
    can_write: list[str]  # in words, one line each (who, which rights, on what); empty: it can change nothing
    cannot_read: list[str]  # store tables it cannot read (or cannot reach)

    @property
    def reader(self) -> bool:
        """True when the role can read the whole store and change none of it."""
        return not self.can_write and not self.cannot_read

    def problems(self) -> list[str]:
        """Why the role is not a reader, one line each."""
        unread = [f"{self.role} cannot read table {', '.join(self.cannot_read)}"] if self.cannot_read else []
        return [*self.can_write, *unread]
