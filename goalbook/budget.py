"""Budget and spend against progress: is the money going faster than the goal?

Pure: SMART goals and initiatives with a ``budget`` (in ``currency``, an ISO 4217 code) and dated
``spend`` entries. *Spent* is the sum of the entries dated on or before ``today``; *burn* is spent ÷
budget; *progress* is the goal's (:mod:`goalbook.scoring`) or the initiative's own. A goal is
**spending ahead** when its burn exceeds its progress by more than :data:`AHEAD_BY` (a fifth of
the budget): "62% spent, 25% of the way" is a question for the check-in, not a verdict.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from goalbook.model import Goalbook, Initiative, SmartGoal
from goalbook.scoring import Scorer

AHEAD_BY = 0.2
BURN_COLUMNS = ("id", "kind", "title", "owner", "team", "currency", "budget", "spent", "burn", "progress", "ahead",
                "words")


def money(amount: float | None, currency: str | None) -> str:
    """``GBP 14,900`` (no decimals for whole amounts), ``—`` for none."""
    if amount is None:
        return "—"
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{currency} {text}" if currency else text


def burn_words(burn: float | None, progress: float | None) -> str:
    """``62% spent, 25% of the way`` (either side may be unknown)."""
    spent = "nothing spent yet" if not burn else f"{burn:.0%} spent"
    way = "progress unknown" if progress is None else f"{progress:.0%} of the way"
    return f"{spent}, {way}"


def burn_frame(book: Goalbook, *, today: date, team: str | None = None, scorer: Scorer | None = None) -> pd.DataFrame:
    """One row per SMART goal and initiative with a budget (of ``team`` when given), in book order."""
    scorer = scorer or Scorer(book, today=today)
    rows = []
    goals: list[SmartGoal | Initiative] = [*book.smart_goals, *book.initiatives]
    for g in goals:
        if g.budget is None or (team is not None and g.team != team):
            continue
        spent = sum(s.amount for s in g.spend if s.date <= today)
        burn = spent / g.budget if g.budget else None
        progress = scorer.progress(g.id)
        ahead = burn is not None and progress is not None and burn - progress > AHEAD_BY
        words = burn_words(burn, progress) if g.spend else "no spend recorded"
        rows.append((g.id, g.kind, g.title, g.owner, g.team, g.currency, g.budget, spent, burn, progress, ahead, words))
    return pd.DataFrame(rows, columns=list(BURN_COLUMNS))
