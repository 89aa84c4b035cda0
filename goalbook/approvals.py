"""Comments and approvals beside each goal: the rules, and keeping them in a YAML file or a store.

The rules (pure functions over the model)
    Objectives and SMART goals are approved; a candidate initiative is *promoted* to approved.
    The flow is ``draft`` → (request review) → ``in_review`` → ``approved`` or
    ``changes_requested`` (with a reason) → (request review again) → ``in_review`` ...; an approved
    goal that changes can be sent for review again.

    *Who approves* is configured in the goalbook (``approvers:``): a goal's approvers are those of
    its team when the team has any, else those of its level (an initiative without team approvers
    falls back to the ``team`` level). With no approver configured for a goal, nobody can approve
    it: the refusal says what to add.

    *Nobody approves their own goal*: the goal's owner (a key result's objective's owner for
    objectives is the objective's own) cannot approve it or request changes on it, even when
    listed as an approver. Anyone may ask for a review or comment.

    *Every transition is recorded* with who and when (:class:`~goalbook.model.ApprovalEvent`, in
    ``Goalbook.approvals``; a store keeps them in its event log) and, for changes requested, why.

    *Comments are threads*: a comment may answer an earlier one (``reply_to`` its id). Ids are
    given as ``C-1``, ``C-2``, ... when a comment is made here.

Keeping them (:class:`Flow`)
    A :class:`Flow` applies a rule-checked step to a goalbook in memory, a YAML file (saved after
    each step, comments in the file kept) or a store (the store's own approval calls and comment
    log, after the same checks; the store stamps who and when, so the person acting must be the
    store's author).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from goalbook.errors import GoalbookError
from goalbook.identity import current_author
from goalbook.model import ApprovalEvent, Comment, Goal, Goalbook, Initiative, KeyResult

APPROVABLE = ("objective", "smart_goal")
ACTIONS = {  # action -> (state it moves to, states it may move from)
    "request_review": ("in_review", ("draft", "changes_requested", "approved")),
    "approve": ("approved", ("in_review",)),
    "request_changes": ("changes_requested", ("in_review",)),
}
DECIDING = ("approve", "request_changes")


class RefusedError(GoalbookError):
    """A comment or approval step the rules refuse; the message says why and what would do."""


# --- the rules ----------------------------------------------------------------------------------
def approvers_of(book: Goalbook, goal: Goal) -> list[str]:
    """Who may approve ``goal``: its team's approvers when the team has any, else its level's."""
    cfg = book.approvers
    team = getattr(goal, "team", None)
    if team and cfg.teams.get(team):
        return list(cfg.teams[team])
    level = getattr(goal, "level", None) or ("team" if isinstance(goal, Initiative) else None)
    return list(cfg.levels.get(level, [])) if level else []


def owner_of(book: Goalbook, goal: Goal) -> str | None:
    """Who owns ``goal`` (a key result without an owner: its objective's)."""
    if isinstance(goal, KeyResult) and not goal.owner:
        o = book.objective_of(goal)
        return o.owner if o is not None else None
    return getattr(goal, "owner", None)


def state(book: Goalbook, id: str) -> str:
    """The approval state of an objective or SMART goal (``draft`` ... ``changes_requested``)."""
    return getattr(book.get(id), "approval", "draft")


def check_step(book: Goalbook, id: str, action: str, by: str | None, reason: str | None = None) -> str:
    """The state ``action`` by ``by`` moves goal ``id`` to; :class:`RefusedError` saying why when the rules
    refuse it (see the module docstring)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown approval action {action!r}: one of {', '.join(ACTIONS)}")
    g = book.get(id)
    if g.kind not in APPROVABLE:
        raise RefusedError(f"{id} is {'a key result' if g.kind == 'key_result' else 'a ' + g.kind.replace('_', ' ')}: "
                           "objectives and SMART goals are approved (key results with their objective)")
    who = (by or "").strip()
    if not who:
        raise RefusedError(f"{id}: say who is acting (--as NAME)")
    to, allowed = ACTIONS[action]
    now = g.approval
    if now not in allowed:
        hint = "it is already waiting for review" if action == "request_review" else "request a review first"
        raise RefusedError(f"{id} is {now.replace('_', ' ')}: {hint}")
    if action in DECIDING:
        _check_decider(book, g, who)
    if action == "request_changes" and not (reason or "").strip():
        raise RefusedError(f"{id}: say what should change (a reason)")
    return to


def _check_decider(book: Goalbook, g: Goal, who: str) -> None:
    owner = owner_of(book, g)
    if owner and who == owner:
        raise RefusedError(f"{g.id} is owned by {owner}: nobody approves their own goal — ask one of its "
                           f"approvers ({', '.join(a for a in approvers_of(book, g) if a != owner) or 'none set'})")
    allowed = approvers_of(book, g)
    if not allowed:
        where = f"team {g.team}" if getattr(g, "team", None) else f"level {getattr(g, 'level', None) or 'team'}"
        raise RefusedError(f"{g.id}: nobody is set to approve goals of {where} — add them under approvers: "
                           f"in the goalbook")
    if who not in allowed:
        raise RefusedError(f"{who} is not an approver of {g.id}; its approvers are {', '.join(allowed)}")


def history(book: Goalbook, id: str) -> list[ApprovalEvent]:
    """Every recorded approval step of ``id``, oldest first."""
    return [a for a in book.approvals if a.target_id == id]


def pending_reviews(book: Goalbook) -> list[tuple[Goal, ApprovalEvent | None]]:
    """Objectives and SMART goals waiting for a decision, each with the step that put it there when recorded,
    the longest-waiting first (unrecorded ones last, in book order)."""
    out = []
    for g in book.iter_goals():
        if g.kind in APPROVABLE and g.approval == "in_review":
            steps = [a for a in history(book, g.id) if a.state == "in_review"]
            out.append((g, steps[-1] if steps else None))
    return sorted(out, key=lambda ge: (ge[1] is None, _sortable(ge[1].at) if ge[1] else ""))


def _sortable(at: datetime | None) -> str:
    return at.isoformat() if at is not None else ""


@dataclass(frozen=True, slots=True)
class ThreadItem:
    """One comment in a thread with how deep it sits (0: a new topic, 1: a reply, ...)."""

    comment: Comment
    depth: int


def thread(book: Goalbook, goal_id: str) -> list[ThreadItem]:
    """The comments on ``goal_id`` as threads: each topic in the order written, its replies beneath it."""
    mine = [c for c in book.comments if c.target_id == goal_id]
    known = {c.id for c in mine if c.id}
    children: dict[str | None, list[Comment]] = {}
    for c in mine:
        parent = c.reply_to if c.reply_to in known else None
        children.setdefault(parent, []).append(c)
    out: list[ThreadItem] = []
    seen: set[int] = set()

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, []):
            if id(c) in seen:
                continue
            seen.add(id(c))
            out.append(ThreadItem(c, depth))
            if c.id:
                walk(c.id, depth + 1)

    walk(None, 0)
    return out


def next_comment_id(book: Goalbook) -> str:
    """The next free ``C-n`` comment id."""
    numbers = [int(c.id[2:]) for c in book.comments if c.id and c.id.startswith("C-") and c.id[2:].isdigit()]
    return f"C-{max(numbers, default=0) + 1}"


def check_comment(book: Goalbook, id: str, by: str | None, text: str, reply_to: str | None = None) -> None:
    """Refuse an empty comment, one without an author, on an unknown goal, or replying to an unknown comment."""
    book.get(id)
    if not (by or "").strip():
        raise RefusedError(f"{id}: say who is commenting (--as NAME)")
    if not (text or "").strip():
        raise RefusedError(f"{id}: the comment is empty")
    if reply_to is not None and not any(c.id == reply_to and c.target_id == id for c in book.comments):
        raise RefusedError(f"{id}: there is no comment {reply_to} on it to reply to")


def check_promotion(book: Goalbook, id: str, by: str | None) -> None:
    """A candidate initiative may be promoted to approved by one of its approvers who does not own it."""
    g = book.get(id)
    if not isinstance(g, Initiative):
        raise RefusedError(f"{id} is not an initiative: only candidate initiatives are promoted")
    if g.status != "candidate":
        raise RefusedError(f"{id} is already {g.status}: only a candidate idea is promoted")
    who = (by or "").strip()
    if not who:
        raise RefusedError(f"{id}: say who is promoting it (--as NAME)")
    _check_decider(book, g, who)


# --- keeping them -------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Flow:
    """Rule-checked comments and approval steps on a goalbook in memory, in a YAML file, or in a store.

    ``Flow(book)`` changes only the book; ``Flow(book, path=PATH)`` saves it to the YAML file after each
    step; ``Flow(store=STORE)`` writes to the store (its author is who acts). ``clock`` gives the time a
    step is stamped with in memory and in files (a store stamps its own).
    """

    def __init__(self, book: Goalbook | None = None, *, path: str | os.PathLike[str] | None = None,
                 store: Any = None, clock: Callable[[], datetime] = _now) -> None:
        if store is None and book is None:
            raise ValueError("give a goalbook (with a path to save it to, or not) or a store")
        self.store = store
        self.path = Path(path) if path is not None else None
        self.book: Goalbook = store.load() if store is not None else book  # type: ignore[assignment]
        self.clock = clock

    def _actor(self, by: str | None) -> str | None:
        if self.store is None:  # a file or memory: who was named, else who is at the keyboard
            return by if by is not None else current_author()
        if by is not None and by != self.store.author:
            raise RefusedError(f"this store records every step as {self.store.author}: open it with "
                               f"author={by!r} to act as {by}")
        return self.store.author

    def _save(self) -> None:
        if self.store is not None:
            self.book = self.store.load()
        elif self.path is not None:
            self.book.save(self.path)

    def step(self, id: str, action: str, by: str | None = None, reason: str | None = None) -> ApprovalEvent:
        """Request a review, approve or request changes (``action``), as ``by``; returns the step recorded."""
        if self.store is not None:
            self.book = self.store.load()  # decide on what the store holds now
        who = self._actor(by)
        to = check_step(self.book, id, action, who, reason)
        if self.store is not None:
            if action == "request_review":
                self.store.request_review(id)
            elif action == "approve":
                self.store.approve(id)
            else:
                self.store.request_changes(id, reason or "")
            self._save()
            return history(self.book, id)[-1]
        g = self.book.get(id)
        g.approval = to  # type: ignore[union-attr]
        event = ApprovalEvent(id, to, who, self.clock(), (reason or "").strip() or None)
        self.book.approvals.append(event)
        self._save()
        return event

    def request_review(self, id: str, by: str | None = None) -> ApprovalEvent:
        return self.step(id, "request_review", by)

    def approve(self, id: str, by: str | None = None) -> ApprovalEvent:
        return self.step(id, "approve", by)

    def request_changes(self, id: str, by: str | None = None, reason: str = "") -> ApprovalEvent:
        return self.step(id, "request_changes", by, reason)

    def comment(self, id: str, text: str, by: str | None = None, reply_to: str | None = None) -> Comment:
        """Add a comment (a reply when ``reply_to`` names an earlier one); returns it as kept."""
        if self.store is not None:
            self.book = self.store.load()
        who = self._actor(by)
        check_comment(self.book, id, who, text, reply_to)
        c = Comment(id, text.strip(), who, self.clock(), next_comment_id(self.book), reply_to)
        if self.store is not None:
            c = self.store.comment(replace(c, at=None))
        else:
            self.book.comments.append(c)
        self._save()
        return c

    def promote(self, id: str, by: str | None = None, on: date | None = None) -> Initiative:
        """Promote a candidate initiative to approved, recording who and on which day."""
        if self.store is not None:
            self.book = self.store.load()
        who = self._actor(by)
        check_promotion(self.book, id, who)
        g = self.book.get(id)
        promoted = replace(g, status="approved", approved_by=who,  # type: ignore[type-var]
                           approved_on=on or self.clock().date())
        if self.store is not None:
            self.store.put(promoted)
        else:
            i = self.book.initiatives.index(g)  # type: ignore[arg-type]
            self.book.initiatives[i] = promoted  # type: ignore[assignment]
            self.book.reindex()
        self._save()
        return promoted  # type: ignore[return-value]


__all__ = ["ACTIONS", "APPROVABLE", "Flow", "RefusedError", "ThreadItem", "approvers_of", "check_comment",
           "check_promotion", "check_step", "history", "next_comment_id", "owner_of", "pending_reviews", "state",
           "thread"]
