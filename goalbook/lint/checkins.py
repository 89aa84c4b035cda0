"""Rules about check-ins: a status the owner's own confidence contradicts, and goals nobody updates.

Staleness is :meth:`goalbook.scoring.Scorer.is_stale`, the same test the score table marks
"stale", so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Set

from goalbook.lint.context import BookIndex
from goalbook.lint.findings import Finding
from goalbook.lint.shape import make
from goalbook.model import KPI, Goalbook, KeyResult, SmartGoal
from goalbook.scoring import Scorer

LOW_CONFIDENCE = 3  # 0-3 out of 10: the owner does not expect to make it
HIGH_CONFIDENCE = 8  # 8-10: the owner expects to make it


def check_confidence(ix: BookIndex) -> Iterator[Finding]:
    """GB213: "on track" with confidence 0-3, or "off track" with confidence 8-10."""
    for c in ix.book.check_ins:
        if c.confidence is None or c.status not in ("on_track", "off_track"):
            continue
        g = ix.goals.get(c.target_id)
        what = ix.what(g) if g is not None else c.target_id
        if c.status == "on_track" and c.confidence <= LOW_CONFIDENCE:
            yield make("GB213", g, f"check-in of {c.date} on {what} says on_track with confidence {c.confidence:g}/10",
                       "Say at_risk or off_track if the owner doubts it, or raise the confidence if it really is on "
                       "track; then write what blocks it", "confidence")
        elif c.status == "off_track" and c.confidence >= HIGH_CONFIDENCE:
            yield make("GB213", g, f"check-in of {c.date} on {what} says off_track with confidence "
                                   f"{c.confidence:g}/10",
                       "Lower the confidence or correct the status, so the two tell the same story", "confidence")


def rolled_up_maybe(ix: BookIndex) -> set[str]:
    """Key results and SMART goals with no check-in up to today: whether they are stale hangs on whether
    their progress rolls up from contributors (:meth:`~goalbook.scoring.Scorer.rolled_up`), which may
    live anywhere in the book. Every other goal's staleness is its own check-ins' and period's."""
    dated = {c.target_id for c in ix.book.check_ins if c.date <= ix.today}
    return {gid for gid, g in ix.goals.items() if isinstance(g, KeyResult | SmartGoal) and gid not in dated}


def check_stale_rolled(ix: BookIndex, ids: Set[str]) -> Iterator[Finding]:
    """GB215 for the goals of ``ids`` (:func:`rolled_up_maybe`'s) in a book whose links form no loop.

    Such a goal has no check-in to be judged by, so whether it is stale hangs on whether it rolls up
    from its contributors; with no loop, that is whether a contributor counts, whatever the
    contributors' own progress. So the staleness is asked of a book of these goals (with their
    objectives) and their direct contributors only, not of the whole book's roll-ups.
    """
    book = ix.book
    links = [lk for lk in book.links if lk.kind == "contributes" and lk.target in ids]
    near = set(ids) | {lk.source for lk in links}
    part = Goalbook(organisation=book.organisation, fiscal_year_start=book.fiscal_year_start,
                    objectives=[o for o in book.objectives
                                if o.id in near or any(kr.id in near for kr in o.key_results)],
                    smart_goals=[g for g in book.smart_goals if g.id in near],
                    kpis=[k for k in book.kpis if k.id in near],
                    initiatives=[i for i in book.initiatives if i.id in near], links=links)
    return check_stale(BookIndex.build(part, ix.today, ix.config), ids)


def check_stale(ix: BookIndex, ids: Set[str] | None = None) -> Iterator[Finding]:
    """GB215: key results, SMART goals and KPIs with no recent check-in while their period runs
    (only those of ``ids`` when given)."""
    scorer = Scorer(ix.book, today=ix.today)
    for gid, g in ix.goals.items():
        if ids is not None and gid not in ids:
            continue
        if not isinstance(g, KeyResult | SmartGoal | KPI) or not scorer.is_stale(gid):
            continue
        last = scorer.last_check_in(gid)
        since = f"since {last}" if last else "yet"
        noun = "value" if isinstance(g, KPI) else "check-in"
        yield make("GB215", g, f"{ix.what(g)} has had no {noun} {since} (as of {ix.today})",
                   f"Ask {ix.owner_of(g) or 'its owner'} for this week's value and confidence", "check_ins")
