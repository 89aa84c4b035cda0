"""Roles from hub groups: who may edit which team's goals, who approves, who only reads, checked inside
the store's write transaction so a refused write writes nothing.

The policy, in full (group names are configurable, see :class:`Policy`):

- nobody says which groups the writer is in (no hub, no ``$GOALBOOK_GROUPS``): no roles apply, as for
  one person with a store of their own;
- ``goalbook-admins`` may do everything, including whole-goalbook imports;
- ``goalbook-editors-<team>`` may create, change and delete the goals of that team, link them, check
  in on them, comment on them and ask for their review. A key result belongs to its objective's team;
  a goal without a team belongs to the team ``company``. Moving a goal to another team needs edit
  rights on both;
- ``goalbook-approvers`` may approve or send back any goal, and comment on any goal;
- everyone else (``goalbook-readers`` included) only reads.

``<team>`` is the team's name in lower case, every run of characters other than letters and digits
made one ``-`` (team ``Customer Care`` -> ``goalbook-editors-customer-care``).

This is enforced in the store, where every writer (widgets, notebooks, the CLI) passes. It guards
against mistakes and against editing another team's goals through goalbook; the database itself is
the boundary only for what its role may do (review pages and readers get a SELECT-only role, see
``goalbook hub-config``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from goalbook import identity
from goalbook.errors import GoalbookError

if TYPE_CHECKING:
    from goalbook.store._store import Store

EDIT, APPROVE, IMPORT = "edit", "approve", "import"
COMPANY_TEAM = "company"
"""The team a goal without a team belongs to."""


class AccessDenied(GoalbookError):
    """A write the writer's groups do not allow; nothing was written."""


def team_slug(team: str) -> str:
    """A team name as it appears in a group name: ``Customer Care`` -> ``customer-care``."""
    return re.sub(r"[^a-z0-9]+", "-", team.lower()).strip("-") or COMPANY_TEAM


@dataclass(frozen=True)
class Policy:
    """The hub group names that carry goalbook roles."""

    editors_prefix: str = "goalbook-editors-"
    approvers: str = "goalbook-approvers"
    readers: str = "goalbook-readers"
    admins: str = "goalbook-admins"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Policy:
        """The default names, each overridable by ``$GOALBOOK_EDITORS_PREFIX``, ``$GOALBOOK_APPROVERS_GROUP``,
        ``$GOALBOOK_READERS_GROUP``, ``$GOALBOOK_ADMINS_GROUP``."""
        env = os.environ if env is None else env
        keys = {"editors_prefix": "GOALBOOK_EDITORS_PREFIX", "approvers": "GOALBOOK_APPROVERS_GROUP",
                "readers": "GOALBOOK_READERS_GROUP", "admins": "GOALBOOK_ADMINS_GROUP"}
        return cls(**{field: env[key] for field, key in keys.items() if env.get(key)})

    def editor_group(self, team: str) -> str:
        """The group whose members edit ``team``'s goals."""
        return self.editors_prefix + team_slug(team)

    def all_groups(self, teams: Iterable[str]) -> list[str]:
        """Every group this policy names for ``teams`` (what a hub must define)."""
        return [self.admins, self.approvers, self.readers, *(self.editor_group(t) for t in teams)]


@dataclass(frozen=True)
class Access:
    """One writer: their name, their groups (``None``: no roles apply) and the policy reading them."""

    user: str
    groups: frozenset[str] | None
    policy: Policy

    @classmethod
    def current(cls, user: str) -> Access:
        """The writer as the environment says (see :func:`goalbook.identity.current_groups`)."""
        try:
            groups = identity.current_groups()
        except identity.HubUnreachable as exc:  # refuse rather than guess
            raise AccessDenied(f"{exc}; nothing was written") from exc
        hub_user = os.environ.get(identity.HUB_USER_ENV, "").strip()
        if groups is not None and hub_user and user != hub_user:  # author= / --author naming someone else
            raise AccessDenied(f"you are logged in to the hub as {hub_user}, but the store was opened to record "
                               f"changes as {user}: in a hub every change carries its author's login; open the store "
                               "without author= (or --author); nothing was written")
        return cls(user, groups, Policy.from_env())

    def may(self, right: str, team: str | None = None) -> bool:
        """True when this writer holds ``right`` (``edit`` needs a team)."""
        if self.groups is None or self.policy.admins in self.groups:
            return True
        if right == APPROVE:
            return self.policy.approvers in self.groups
        if right == EDIT:
            return self.policy.editor_group(team or COMPANY_TEAM) in self.groups
        return False

    def require(self, right: str, team: str | None, what: str) -> None:
        """Raise :class:`AccessDenied` naming the user, the team, the right and the group it needs."""
        if self.may(right, team):
            return
        if right == EDIT:
            need, verb = self.policy.editor_group(team or COMPANY_TEAM), f"edit goals of team {team or COMPANY_TEAM}"
        elif right == APPROVE:
            need, verb = self.policy.approvers, "approve goals or send them back"
        else:
            need, verb = self.policy.admins, "import whole goalbooks (they touch every team)"
        mine = ", ".join(sorted(self.groups or ())) or "no goalbook group"
        raise AccessDenied(f"{self.user} may not {verb}: that needs the hub group {need} ({self.user} is in "
                           f"{mine}); {what} not saved, nothing was written")


def _team_in_store(store: Store, conn: sa.Connection, gid: str) -> str | None:
    """The team of a goal as stored now (a key result: its objective's), ``None`` when it does not exist."""
    from goalbook.store._schema import CODECS

    cur = store._entity(conn, gid)
    if cur is None or cur.deleted:
        return None
    row = store._row(conn, CODECS[cur.kind], gid) or {}
    if cur.kind == "key_result":
        parent = store._row(conn, CODECS["objective"], row.get("objective_id"))
        return (parent or {}).get("team") or COMPANY_TEAM
    return row.get("team") or COMPANY_TEAM


def _team_of_goal(store: Store, conn: sa.Connection, goal: Any) -> str:
    if goal.kind == "key_result":
        return _team_in_store(store, conn, goal.objective_id) or COMPANY_TEAM
    return getattr(goal, "team", None) or COMPANY_TEAM


def check_put(store: Store, conn: sa.Connection, goal: Any) -> None:
    """``store.put(goal)``: edit rights on the goal's team, and on the team it had if it moves."""
    access = store.access
    if access.groups is None:
        return
    what = f"{goal.kind.replace('_', ' ')} {goal.id}"
    access.require(EDIT, _team_of_goal(store, conn, goal), what)
    before = _team_in_store(store, conn, goal.id)
    if before is not None:
        access.require(EDIT, before, what)


def check_goal(store: Store, conn: sa.Connection, gid: str, right: str, what: str) -> None:
    """A write that touches the stored goal ``gid`` (delete, link, check-in, comment, approval)."""
    access = store.access
    if access.groups is None:
        return
    team = _team_in_store(store, conn, gid)
    if right == "comment":  # editors of the team and approvers may comment
        if access.may(APPROVE):
            return
        right = EDIT
    access.require(right, team, what)


def check_import(store: Store) -> None:
    """``store.import_book``: only admins (an import writes every team's goals at once)."""
    store.access.require(IMPORT, None, "import")
