"""What every rule needs to know about a book, indexed once: parents, periods, owners, links.

Rules run over a :class:`BookIndex` instead of the raw :class:`~goalbook.model.Goalbook` so that
each look-up is a dictionary access and the whole lint stays linear in the size of the book.
The index tolerates a book that failed validation (links to unknown ids, duplicate ids): it is
built to report problems, not to assume there are none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from goalbook.lint.config import DEFAULT, LintConfig
from goalbook.model import KPI, Goal, Goalbook, Initiative, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period

KIND_WORDS = {"objective": "objective", "key_result": "key result", "smart_goal": "goal", "kpi": "KPI",
              "initiative": "initiative"}


def text_of(g: Goal) -> str:
    """The words of a goal: an objective's or key result's title, a goal's statement, a KPI's name."""
    if isinstance(g, SmartGoal):
        return g.statement or ""
    if isinstance(g, KPI):
        return g.name or ""
    return getattr(g, "title", "") or ""


@dataclass
class BookIndex:
    """A goalbook with the look-ups rules need, built in one pass."""

    book: Goalbook
    today: date
    order: dict[str, int] = field(default_factory=dict)  # id -> position in the book (first occurrence)
    goals: dict[str, Goal] = field(default_factory=dict)
    objective_of: dict[str, Objective] = field(default_factory=dict)  # key result id -> its objective
    links_from: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    links_to: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    reports: dict[str, Any] = field(default_factory=dict)  # id -> SmartReport, when the SMART check ran
    config: LintConfig = DEFAULT
    # What goalbook lint's cache (goalbook.cli._lint_cache) hands in when this index holds one file of a
    # larger book: every id of the whole book (a link to a goal in another file is not "unknown").
    known_ids: Set[str] | None = None
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # GB209's word sets, each made once

    @classmethod
    def build(cls, book: Goalbook, today: date, config: LintConfig = DEFAULT) -> BookIndex:
        ix = cls(book, today, config=config)
        for n, g in enumerate(book.iter_goals()):
            if g.id not in ix.goals:
                ix.goals[g.id] = g
                ix.order[g.id] = n
        for o in book.objectives:
            for kr in o.key_results:
                ix.objective_of.setdefault(kr.id, o)
        for lk in book.links:
            ix.links_from[lk.source].append(lk)
            ix.links_to[lk.target].append(lk)
        return ix

    # --- derived facts ---------------------------------------------------------------------------------
    def period_of(self, g: Goal) -> Period | None:
        """The period a goal is set for: its own, or (key results) its objective's."""
        if isinstance(g, KeyResult):
            o = self.objective_of.get(g.id)
            return o.period if o else None
        return getattr(g, "period", None)

    def owner_of(self, g: Goal) -> str | None:
        """Who owns a goal; a key result without an owner is its objective's owner's."""
        owner = getattr(g, "owner", None)
        if not owner and isinstance(g, KeyResult):
            o = self.objective_of.get(g.id)
            owner = o.owner if o else None
        return owner or None

    def due(self, g: Goal) -> date | None:
        """The last day a goal has: its deadline, else the end of its period (initiatives: their end)."""
        if isinstance(g, Initiative):
            return g.end
        own = getattr(g, "deadline", None)
        if own:
            return own
        p = self.period_of(g)
        return p.end if p else None

    def is_company(self, g: Goal) -> bool:
        """True for the strategy itself: company objectives, their key results, company-level goals."""
        if isinstance(g, KeyResult):
            o = self.objective_of.get(g.id)
            return bool(o and o.level == "company")
        return isinstance(g, Objective | SmartGoal) and g.level == "company"

    def what(self, g: Goal) -> str:
        """``key result CO-1.KR2``: the kind and id, for messages."""
        return what_is(g.kind, g.id)


def what_is(kind: str, id: str) -> str:
    """``key result CO-1.KR2``: a goal's kind in words and its id, for messages (also where only plain
    data is at hand, as in the lint cache's near-duplicate check)."""
    return f"{KIND_WORDS.get(kind, kind)} {id}"
