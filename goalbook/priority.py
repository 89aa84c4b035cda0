"""Ranking candidate ideas: the ICE score, and the table the idea ranking shows.

Why ICE (Impact × Confidence × Ease, each 1–10)
    ICE is the scoring Sean Ellis popularised for ranking growth experiments: *impact* — how much the
    idea would move the key result it serves; *confidence* — how sure we are of that impact (evidence,
    not hope); *ease* — how little time and effort it takes. RICE (Reach × Impact × Confidence /
    Effort, Intercom) needs a reach count per idea and an effort in person-months, which a goal-setting
    workshop rarely has for a raw idea; ICE's three 1–10 judgements can be given in the room. goalbook
    multiplies the three (1–1000), as the original did, so a weak factor drags an idea down instead of
    being averaged away. An idea missing any factor is not scored and is listed after the scored ones.

Ties are broken by impact, then by id, so the order is stable. Promoting an idea to approved is an
approval step (:func:`goalbook.approvals.check_promotion`): who and when are recorded.
"""

from __future__ import annotations

import pandas as pd

from goalbook.model import Goalbook

IDEA_COLUMNS = ("id", "title", "owner", "team", "impact", "confidence", "ease", "ice", "serves")


def ranked_ideas(book: Goalbook, *, include_approved: bool = False) -> pd.DataFrame:
    """Candidate initiatives (and approved ones when ``include_approved``), best ICE first, unscored last.

    ``ice`` is :attr:`goalbook.model.Initiative.ice`; ``serves`` the ids the idea links to.
    """
    wanted = ("candidate", "approved") if include_approved else ("candidate",)
    rows = []
    for i in book.initiatives:
        if i.status not in wanted:
            continue
        serves = ", ".join(lk.target for lk in book.links_from(i.id)) or None
        rows.append((i.id, i.title, i.owner, i.team, i.impact, i.confidence, i.ease, i.ice, serves))
    frame = pd.DataFrame(rows, columns=list(IDEA_COLUMNS))
    if frame.empty:
        return frame
    frame["_scored"] = frame["ice"].notna()
    frame = frame.sort_values(["_scored", "ice", "impact", "id"], ascending=[False, False, False, True],
                              kind="stable", na_position="last")
    return frame.drop(columns="_scored").reset_index(drop=True)
