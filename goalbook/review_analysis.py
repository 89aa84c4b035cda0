"""The questions a quarter review and a weekly check-in ask of the scores: who sandbags, who is
calibrated, what moved this week, and what changed in the store since the last review.

Pure pandas over the model and :mod:`goalbook.scoring` (every score and confidence here is a
:class:`~goalbook.scoring.Scorer`'s); no files, no widgets, no store. The workshop notebooks and
the review pages show these frames as they are.

Sandbagging
    An owner (or team) whose measured goals — key results and SMART goals — average a score above
    0.85 is probably setting targets they know they will hit: OKR practice expects about 0.7 from a
    stretching goal. One goal at 1.0 is luck, not a pattern, so a group needs at least two scored
    goals to be named.

Calibration
    Confidence is stated on check-ins from 0 to 10: the owner's chance of reaching the target. Read
    as a share (``confidence / 10``) it predicts the score, so ``gap = confidence / 10 - score`` is
    positive for an owner who was more confident than the result bore out and negative for one who
    under-promised. The confidence is the one stated on ``stated_on`` (the latest check-in on or
    before that day, else the goal's own ``confidence``); the score is the one on ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

from goalbook.model import Goalbook
from goalbook.scoring import Scorer, ScoringConfig

MEASURED = ("key_result", "smart_goal")
SANDBAG_ABOVE = 0.85
SANDBAG_MIN_GOALS = 2

SANDBAG_COLUMNS = ("goals", "mean_score", "ids")
CALIBRATION_COLUMNS = ("id", "kind", "title", "owner", "team", "confidence", "stated", "score", "gap")
CALIBRATION_BY_COLUMNS = ("goals", "mean_stated", "mean_score", "bias", "mean_abs_gap")
MOVEMENT_COLUMNS = ("id", "title", "owner", "team", "date", "value", "progress_before", "progress",
                    "confidence_before", "confidence", "status", "wins", "blockers", "author")
CHANGE_COLUMNS = ("change", "id", "what", "by", "at")


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the columns {', '.join(missing)} (pass goalbook.scoring.scores_frame(...))")


def sandbagged(scores: pd.DataFrame, *, by: str = "owner", above: float = SANDBAG_ABOVE,
               min_goals: int = SANDBAG_MIN_GOALS, kinds: Iterable[str] = MEASURED) -> pd.DataFrame:
    """Owners (``by="owner"``) or teams (``by="team"``) whose scored goals average more than ``above``.

    ``scores`` is :func:`goalbook.scoring.scores_frame`. Only goals of ``kinds`` with a score count,
    and a group needs ``min_goals`` of them. Returns one row per group, indexed by ``by``, with
    ``goals``, ``mean_score`` and the goals' ``ids``; highest average first.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A", "B", "C"], "kind": ["smart_goal"] * 3, "owner": ["ana", "ana", "bo"],
    ...                       "score": [1.0, 0.9, 0.6]})
    >>> sandbagged(frame)["mean_score"].to_dict()
    {'ana': 0.95}
    """
    _require(scores, ("id", "kind", "score", by), "sandbagged")
    kept = scores[scores["kind"].isin(tuple(kinds)) & scores["score"].notna() & scores[by].notna()]
    grouped = kept.groupby(by, sort=True)
    out = pd.DataFrame({"goals": grouped["score"].size(), "mean_score": grouped["score"].mean().round(3),
                        "ids": grouped["id"].agg(", ".join)}, columns=list(SANDBAG_COLUMNS))
    out = out[(out["goals"] >= min_goals) & (out["mean_score"] > above)]
    return out.sort_values(["mean_score", "goals"], ascending=False, kind="stable")


def calibration(book: Goalbook, *, today: date, stated_on: date | None = None,
                config: ScoringConfig | None = None, kinds: Iterable[str] = MEASURED) -> pd.DataFrame:
    """Each measured goal's stated confidence next to its score: how well owners predicted.

    ``confidence`` is on the 0–10 scale it was stated on, as of ``stated_on`` (default ``today``);
    ``stated`` is that as a share (0–1); ``score`` is the score on ``today``; ``gap`` is
    ``stated - score``. Goals without a score or without any stated confidence are left out.
    """
    kinds = tuple(kinds)
    final = Scorer(book, today=today, config=config)
    then = final if stated_on is None or stated_on == today else Scorer(book, today=stated_on, config=config)
    rows = []
    for s in final.scores():
        if s.kind not in kinds or s.score is None:
            continue
        confidence = then.confidence(s.id)[0]
        if confidence is None:
            continue
        stated = confidence / 10
        rows.append((s.id, s.kind, s.title, s.owner, s.team, confidence, stated, s.score, round(stated - s.score, 3)))
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))


def calibration_by(frame: pd.DataFrame, by: str = "owner") -> pd.DataFrame:
    """:func:`calibration` summed up per owner (or team): how far stated confidence was from the score.

    ``bias`` is the mean gap (positive: over-confident), ``mean_abs_gap`` the mean distance whichever
    way; the least calibrated first.
    """
    _require(frame, ("stated", "score", "gap", by), "calibration_by")
    kept = frame[frame[by].notna()]
    grouped = kept.groupby(by, sort=True)
    out = pd.DataFrame({"goals": grouped["gap"].size(), "mean_stated": grouped["stated"].mean(),
                        "mean_score": grouped["score"].mean(), "bias": grouped["gap"].mean(),
                        "mean_abs_gap": grouped["gap"].apply(lambda g: g.abs().mean())},
                       columns=list(CALIBRATION_BY_COLUMNS))
    out[["mean_stated", "mean_score", "bias", "mean_abs_gap"]] = out[
        ["mean_stated", "mean_score", "bias", "mean_abs_gap"]].astype(float).round(3)
    return out.sort_values(["mean_abs_gap", "goals"], ascending=[False, False], kind="stable")


def mean_abs_gap(frame: pd.DataFrame) -> float | None:
    """The mean absolute gap of a :func:`calibration` frame over all goals, ``None`` when it is empty."""
    _require(frame, ("gap",), "mean_abs_gap")
    return None if frame.empty else round(float(frame["gap"].abs().mean()), 3)


def movement(book: Goalbook, *, since: date, today: date, config: ScoringConfig | None = None) -> pd.DataFrame:
    """Goals checked in after ``since`` and on or before ``today``, with where they stood before and now.

    One row per goal (its latest check-in in the window): the value it reported, its progress and
    confidence at the end of ``since`` and on ``today``, the status it reported (or its pace status)
    and the latest wins and blockers. Goals appear in book order.
    """
    if since > today:
        raise ValueError(f"since ({since}) is after today ({today})")
    before = Scorer(book, today=since, config=config)
    now = Scorer(book, today=today, config=config)
    rows = []
    for g in book.iter_goals():
        recent = [c for c in now.check_ins(g.id) if c.date > since]
        if not recent:
            continue
        last = recent[-1]
        score = now.score(g.id)
        rows.append((g.id, g.title, g.owner, getattr(g, "team", None), last.date, last.value,
                     before.progress(g.id), score.progress, before.confidence(g.id)[0], score.confidence,
                     last.status or score.status, _latest(recent, "wins"), _latest(recent, "blockers"), last.author))
    return pd.DataFrame(rows, columns=list(MOVEMENT_COLUMNS))


def _latest(check_ins: list[Any], field: str) -> str | None:
    return next((getattr(c, field) for c in reversed(check_ins) if getattr(c, field)), None)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _fields(fields: dict[str, tuple[Any, Any]]) -> str:
    return "; ".join(f"{name}: {_text(old)} → {_text(new)}" for name, (old, new) in fields.items())


_VERSION_CHANGES = {"create": "added", "update": "changed", "delete": "removed", "approval": "approval"}


def version_rows(versions: Iterable[Any]) -> list[tuple[str, str, str, str | None, Any]]:
    """Versions of goals (:meth:`goalbook.store.Store.history`) as rows of :func:`changes_frame`, one per
    version: what each did (added, changed with its fields, removed, an approval step and its reason),
    who and when. A page uses it where the net change of :func:`changes_frame` would hide who did what
    (an imported goal edited later is "changed" by its editor, not "added" by them)."""
    rows: list[tuple[str, str, str, str | None, Any]] = []
    for v in versions:
        change = _VERSION_CHANGES.get(v.change, v.change)
        if v.change in ("create", "delete"):
            what = f"{v.goal.kind.replace('_', ' ')}: {v.goal.title}"
        elif v.change == "approval":
            state = str(getattr(v.goal, "approval", "") or "").replace("_", " ")
            what = state + (f": {_text(v.note)}" if v.note else "")
        else:
            what = _fields(v.fields) or "saved without a change"
        rows.append((change, v.id, what, v.author, v.at))
    return rows


def _reported_by(author: str | None, recorder: str | None) -> str | None:
    """Who a check-in or comment is by, and who recorded it when that is someone else (a facilitator
    checking in for an owner): both are people a review may want to ask."""
    if author and recorder and author != recorder:
        return f"{author} (recorded by {recorder})"
    return author or recorder


def changes_frame(changes: Any) -> pd.DataFrame:
    """A store's :class:`~goalbook.store.Changes` (``store.diff(since=...)``) as one table, a row per change.

    ``change`` says what happened (added, changed, removed, link added, link removed, check-in,
    comment); ``what`` says it in words (a title, the changed fields as ``field: before → after``,
    a check-in's value and confidence); ``by`` and ``at`` are who and when where the store knows: for
    goals and links the author and time of the event that made the change; for a check-in or comment its
    author (with who recorded it, when someone else did) and when it was recorded (the day a check-in
    reports on is in ``what``; a comment's time as written when the store did not say when it was recorded).
    """
    rows: list[tuple[str, str, str, str | None, Any]] = []
    who = changes.authors
    rows += [("added", g.id, f"{g.kind.replace('_', ' ')}: {g.title}", *who.get(g.id, (None, None)))
             for g in changes.added]
    rows += [("changed", c.id, _fields(c.fields), c.by, c.at) for c in changes.changed]
    rows += [("removed", g.id, f"{g.kind.replace('_', ' ')}: {g.title}", *who.get(g.id, (None, None)))
             for g in changes.removed]
    added_by, removed_by = changes.links_added_by, changes.links_removed_by
    rows += [("link added", lk.source, f"{lk.kind} {lk.target}", *added_by.get((lk.source, lk.target), (None, None)))
             for lk in changes.links_added]
    rows += [("link removed", lk.source, f"no longer {lk.kind} {lk.target}",
              *removed_by.get((lk.source, lk.target), (None, None))) for lk in changes.links_removed]
    recorded = changes.check_ins_recorded
    for i, c in enumerate(changes.check_ins):
        by, at = recorded[i] if i < len(recorded) else (None, None)
        parts = [f"{c.date.isoformat()}", f"value {_text(c.value)}"]
        if c.confidence is not None:
            parts.append(f"confidence {c.confidence:g}/10")
        if c.status:
            parts.append(c.status.replace("_", " "))
        rows.append(("check-in", c.target_id, ", ".join(parts), _reported_by(c.author, by), at))
    noted = changes.comments_recorded
    for i, c in enumerate(changes.comments):
        by, at = noted[i] if i < len(noted) else (None, c.at)
        rows.append(("comment", c.target_id, _text(c.text), _reported_by(c.author, by), at))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))



NOTE_COLUMNS = ("id", "date", "author", "wins", "blockers")


def check_in_notes(book: Goalbook, *, since: date | None = None, until: date | None = None,
                   ids: Iterable[str] | None = None) -> pd.DataFrame:
    """What owners wrote on their check-ins — wins and blockers — dated in ``[since, until]``, oldest
    first; only check-ins with something written, only on ``ids`` when given."""
    wanted = set(ids) if ids is not None else None
    rows = [(c.target_id, c.date, c.author, c.wins, c.blockers) for c in sorted(book.check_ins, key=lambda c: c.date)
            if (c.wins or c.blockers) and (wanted is None or c.target_id in wanted)
            and (since is None or c.date >= since) and (until is None or c.date <= until)]
    return pd.DataFrame(rows, columns=list(NOTE_COLUMNS))
