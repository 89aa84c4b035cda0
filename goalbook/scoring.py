"""Progress, scores and status of every goal: the scoring formulas, all in one place.

Pure: takes a :class:`~goalbook.model.Goalbook` and a day, returns numbers and dataclasses. The
policy below was decided against four established OKR tools and Google's grading guide; the last
section lists, case by case, where goalbook agrees and where it deliberately differs, and
``tests/test_peer_conformance.py`` checks each case.

Progress of a metric goal (key result, SMART goal)
    ``(current - baseline) / (target - baseline)``; the same formula serves ``increase`` and
    ``decrease`` (and a SMART goal with no direction, whose direction follows baseline vs target).
    *Raw* progress may leave 0..1 (overshoot, or moving the wrong way); *progress* is clamped to
    0..1. A value beyond the baseline on the wrong side (raw progress below 0) is flagged
    ``wrong_way`` ("moving the wrong way"), never shown as a plain 0. A missing baseline counts
    as 0 for ``increase`` and for goals with no direction (counts from zero: "hire 5
    engineers"); a ``decrease`` with no baseline and a value has no progress. A target equal to
    its baseline scores 1 once current reaches it (in the goal's direction), else 0 (validation
    refuses such a moving goal and asks for ``maintain``).

Current value
    The value of the latest check-in on or before ``today`` (check-ins without a value are
    skipped; on the same day the later one in the file wins), else the entity's ``current``.
    With neither, the goal rolls up from what contributes to it (see below).

Nothing measured yet
    A key result or SMART goal with no value, nothing to roll up from and no grade stands at its
    baseline: progress 0, ``measured`` False, flagged "not measured yet" wherever it is shown. It
    is paced like any other goal (so it turns at risk, then off track, as the period runs on) and
    counts as 0 in every roll-up. The same holds for milestones (not done is 0) and for an
    initiative with no progress: one rule for one case. An objective or rolled-up goal is
    unmeasured when everything it counts is.

Drafts
    A key result with a direction (``increase``/``decrease``) and no target yet loads (validation
    gives a warning, which ``goalbook lint`` shows) and is flagged ``draft``: it counts as not
    measured, or by its ``grade`` when one is given.

maintain (held levels)
    ``bound`` is ``at_least`` (>=), ``at_most`` (<=), ``above`` (>) or ``below`` (<) the threshold
    ``target``, or ``band`` (``low``..``high``, inclusive); with no ``bound``, ``low`` and ``high``
    make a band, else current must equal ``target``. Inside the bound progress is 1; outside it
    is a breach: progress 0, so the goal is off track and red while breached and missed at the
    end, whatever the distance. The distance is still reported (:func:`breach`, 0 at a strict
    bound's own threshold) and the row flagged "bound breached by N". A maintain goal's expected
    progress is 1 all period; it is ``done`` only on its period's last day; until then a held
    level is ``on_track``, and so is whatever rolls up from it inside its own period
    (:meth:`Scorer.holding`).

milestone (deliverables)
    Done (1) when current is 1 or more; else its ``grade`` (0..1, judged by hand) when given; else
    the share of ``checkpoints`` done; else a current value between 0 and 1 (a partial grade
    checked in); else 0 (not measured yet). A milestone at 0 with neither checkpoints nor grade
    takes its status from the latest check-in's ``status`` when one was given. Any key result
    may carry a ``grade``, which then is its progress (a draft graded by hand).

Objectives and roll-up
    Weighted mean of what each counted item *contributes*: its reasoned ``score_override`` when it
    has one, else its clamped progress, else 0 (:meth:`Scorer.contribution`). ``driver:
    key_results`` counts the objective's own key results (weight = key result ``weight``);
    ``children`` whatever has a ``contributes`` link to it (weight = link ``weight``): objectives,
    key results, SMART goals and initiatives (their ``progress``, or 1 when ``done``); KPIs and
    candidate initiatives never count toward what they are linked to (:func:`counts_toward_progress`,
    the one place that rule lives; :meth:`Scorer.contributors` lists what counts); ``both`` the two
    together in one mean. A key result ``dropped`` on or before today (with its
    ``dropped_reason``) counts nowhere: not in its objective, not through its links; it shows
    struck through with the reason, status ``dropped``, no score. Weights default to 1; a weight
    of 0 or below counts as 0 (the item is ignored); with no item of positive weight left the
    progress is ``None``. A key result or SMART goal with no value of its own rolls up the same
    way from its contributors. Cycles of links are cut: each goal is computed once (memoised) and
    an edge that leads back to a goal still being computed contributes nothing.

Score
    The clamped progress rounded half up to a tenth (0.0, 0.1, ... 1.0, OKR practice): at period
    end it is the end-of-period score, before it the score so far. Check-ins dated after the
    period end still count (a final tally often comes in late). A ``score_override`` with a
    non-empty ``score_reason`` is the goal's grade: it is the score, it counts in the roll-ups
    above, and it is shown with its reason (``overridden``, ``reason``) in ``goalbook score`` (text
    and JSON), the dashboard, the team page and the editors. An override without a reason is
    ignored (validation rejects it).

Status and colour
    During the period the status is the pace: expected progress is the share of the period
    elapsed at the end of ``today`` (:meth:`Period.elapsed`); gap = progress - expected. ``done``
    when progress >= 1; ``not_started`` before the period starts; ``on_track`` when gap >= -0.2,
    ``at_risk`` when gap >= -0.4, else ``off_track`` (thresholds in :class:`ScoringConfig`,
    compared with a 1e-9 tolerance); ``unknown`` when progress is unknown or there is no period to
    pace against. Once the period is over (the day after its end), or as soon as a grade is set by
    hand (an override), pace stops and the status is final, from the score's band
    (:func:`final_status`): ``achieved`` (>= 0.7), ``partly`` (>= 0.4) or ``missed``. The colour is
    the status's (:data:`STATUS_COLOURS`: done, on track and achieved green; at risk and partly
    yellow; off track and missed red; not started and dropped grey), and for ``unknown`` the
    score's band (>= 0.7 green, >= 0.4 yellow, else red; grey without a score): one table, so a
    colour never contradicts its status (no green "at risk", no red "on track"). An objective also
    names the worst status among what it counts when that is worse than its own
    (:attr:`GoalScore.worst`, :attr:`GoalScore.status_text`: "on track · 1 key result off
    track"), so no risk hides under an average; an objective is never ``done`` while a counted key
    result is not. The period of a key result is its objective's; of a SMART goal its own
    ``period``; a goal with neither but a ``deadline`` is paced over the 91 days ending on that
    deadline; an initiative over ``start..end`` (or the 91 days ending at ``end``). Initiatives
    are projects, not graded: they never take a final status; ``candidate`` ones are
    ``not_started``, ``done`` ones ``done``. KPIs take status ``green`` / ``amber`` / ``red``
    from their thresholds on their latest value (``green`` missing: ``target`` is the green line;
    ``amber`` missing: everything not green is red), colour green / yellow / red.

Stale
    A key result, SMART goal or KPI is stale when its latest check-in (or KPI value) on or before
    the reference day is more than ``stale_factor`` x cadence days old: cadence is weekly (7
    days) for goals and the KPI's ``frequency`` for KPIs. The reference day is ``today``, or the
    period's end once it has passed. With no check-in at all the period's first day stands in for
    the last check-in, so a goal with no data yet turns stale only once its first check-in is
    overdue the same way (more than 10.5 days into its period by default); never stale before its
    period starts, without any period and check-in, when dropped, or when its progress rolls up
    from contributors. Objectives and initiatives are never stale (no check-ins of their own).

Confidence
    The latest check-in confidence on or before ``today``, else the goal's own ``confidence``;
    the trend is the last ``trend_points`` check-in confidences, oldest first.

Agreement with other OKR tools (decided case by case; ``tests/test_peer_conformance.py``)
    - *Progress of increase/decrease*: the same linear formula as okr-tracker
      (``src/util/keyResultProgress.js``), Quantive ("How KR progress is calculated"), puzzle okr
      (``common.ts``) and BurningOKR (``ProgressHelper``). Agree.
    - *Overshoot*: Quantive and okr-tracker display 125% / 150%; goalbook keeps that as raw
      progress and grades the clamped value, as okr-tracker's stored progression and Perdoo's
      roll-up do. Agree on the grade.
    - *Wrong way*: okr-tracker displays -25%, puzzle and Perdoo treat it as 0%. goalbook grades 0
      (as puzzle and Perdoo) and flags "moving the wrong way" (differs: a warning instead of a
      silent 0 or a negative percentage).
    - *Start equals target*: okr-tracker and BurningOKR show 0% (a division guard). goalbook
      refuses the key result and asks for ``maintain`` (differs: the input is the mistake).
    - *Held levels*: Quantive's "should stay below/above" is 100% when met, else 0%, with a
      strict comparison. goalbook agrees (breach = 0, off track, red) and offers both strict
      (``above``/``below``) and inclusive (``at_least``/``at_most``) bounds, because real key
      results say both ("> 99.95%", "at most 8%").
    - *Nothing measured yet*: okr-tracker counts a key result without a value at its start value;
      Quantive and Perdoo at its initial value. goalbook agrees (0, flagged). BurningOKR's
      dashboard leaves it out of averages: goalbook differs, since leaving it out lets one done
      and one unmeasured key result read 100% done.
    - *Objective roll-up*: weighted mean (okr-tracker ``getWeightedProgression``), plain mean of
      key results and/or child objectives (Quantive, Perdoo "progress drivers"), negatives as 0
      (Perdoo). Agree. Archived key results are left out (okr-tracker ``archived == false``):
      goalbook's ``dropped`` does the same, with a day and a reason.
    - *Score bands*: Google (re:Work "Grade OKRs", Doerr's *Measure What Matters*): 0.7-1.0
      green, 0.4-0.6 yellow, 0.0-0.3 red. Agree. puzzle okr colours its commit zone (0.3-0.7)
      yellow: goalbook differs and keeps Google's bands.
    - *Objective status*: Perdoo sets an objective's status to its weakest key result's.
      goalbook differs: the status is the roll-up's pace, and the weakest is named beside it
      ("on track · 1 key result off track"), so neither the average nor the outlier hides.
    - *Grades by hand*: re:Work grades deliverables 0-1 ("six features, three launched: 0.5"),
      puzzle okr checks ordinal zones in (commit 0.3, target 0.7, stretch 1.0). goalbook: a
      milestone's ``grade`` or checkpoints, and ``score_override`` with its reason. Agree.

For many look-ups on one book use :class:`Scorer` (or :func:`score_book`): it indexes check-ins
and links once. The module-level functions build a fresh :class:`Scorer` on each call.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from goalbook import display
from goalbook.model import (
    KPI,
    PROGRESS_LINK_KINDS,
    CheckIn,
    Goalbook,
    Initiative,
    KeyResult,
    Objective,
    SmartGoal,
)
from goalbook.period import Period

if TYPE_CHECKING:
    import pandas as pd

FREQUENCY_DAYS: Mapping[str, int] = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91}
PACE_STATUSES = ("done", "on_track", "at_risk", "off_track", "not_started", "unknown")  # unknown: no data or period
FINAL_STATUSES = ("achieved", "partly", "missed")  # once the period is over (or a grade is set by hand)
STATUSES = (*PACE_STATUSES, *FINAL_STATUSES, "dropped")
STATUS_WORDS = display.STATUS_WORDS  # the one wording, also of the explanations written here
STATUS_COLOURS: Mapping[str, str] = {"done": "green", "on_track": "green", "achieved": "green",
                                     "at_risk": "yellow", "partly": "yellow", "off_track": "red", "missed": "red",
                                     "not_started": "grey", "dropped": "grey"}  # unknown: the score's colour
SEVERITY: Mapping[str, int] = {"off_track": 3, "missed": 3, "at_risk": 2, "partly": 2}  # others 0
NOT_MEASURED = "not measured yet"
KPI_STATUSES = ("green", "amber", "red", "unknown")
DEADLINE_WINDOW_DAYS = 91  # a goal with only a deadline is paced over the 13 weeks ending on it
_EPS = 1e-9


@dataclass(frozen=True)
class ScoringConfig:
    """Thresholds that turn numbers into words and colours; defaults follow common OKR practice."""

    on_track_gap: float = -0.2  # gap (progress - expected) at or above this: on_track
    at_risk_gap: float = -0.4  # at or above this: at_risk; below: off_track
    green_score: float = 0.7  # score at or above: green
    yellow_score: float = 0.4  # score at or above: yellow; below: red
    stale_factor: float = 1.5  # stale after more than this many cadences without a check-in
    cadence_days: int = 7  # expected check-in cadence of key results and SMART goals
    frequency_days: Mapping[str, int] = field(default_factory=lambda: dict(FREQUENCY_DAYS))
    trend_points: int = 8  # confidences kept in GoalScore.confidence_trend
    score_step: float = 0.1  # scores are rounded to this

    def __post_init__(self) -> None:
        if not self.at_risk_gap <= self.on_track_gap:
            raise ValueError(f"at_risk_gap {self.at_risk_gap} must not be above on_track_gap {self.on_track_gap}")
        if not self.yellow_score <= self.green_score:
            raise ValueError(f"yellow_score {self.yellow_score} must not be above green_score {self.green_score}")
        if self.stale_factor <= 0 or self.cadence_days <= 0 or self.score_step <= 0 or self.trend_points < 0:
            raise ValueError("stale_factor, cadence_days and score_step must be above 0, trend_points not negative")


_DEFAULT = ScoringConfig()


# --- pure formulas ---------------------------------------------------------------------------------------------


def clamp01(x: float | None) -> float | None:
    """``x`` limited to 0..1 (``None`` stays ``None``): progress beyond the target is still 'done'."""
    if x is None:
        return None
    return 0.0 if x < 0 else 1.0 if x > 1 else float(x)


def _finite(*xs: float | None) -> bool:
    return not any(x is not None and not math.isfinite(x) for x in xs)


def _band(target: float | None, bound: str | None, low: float | None,
          high: float | None) -> tuple[float, float, bool, bool] | None:
    """The allowed range of a ``maintain`` goal: ``(low, high, low_open, high_open)``, or ``None`` if not given."""
    inf = math.inf
    if bound == "band" or (bound is None and low is not None and high is not None):
        if low is None or high is None:
            return None
        return min(low, high), max(low, high), False, False
    if target is None:
        return None
    return {"at_least": (target, inf, False, True), "at_most": (-inf, target, True, False),
            "above": (target, inf, True, True), "below": (-inf, target, True, True)}.get(
        bound or "", (target, target, False, False))


def breach(target: float | None, current: float | None, bound: str | None = None,
           low: float | None = None, high: float | None = None) -> float | None:
    """How far a held level is outside its bound: 0 inside, above 0 when breached, ``None`` when unknown.

    Strict bounds (``above``, ``below``) are breached *at* the threshold too; the distance is then 0,
    so check :func:`inside` for the verdict and use this for the size of the miss.

    >>> breach(25, 27, "at_most"), breach(99.9, 99.5, "at_least"), breach(50, 50, "below")
    (2, 0.4000000000000057, 0)
    """
    rng = _band(target, bound, low, high)
    if rng is None or current is None or not _finite(target, current, low, high):
        return None
    lo, hi, _, _ = rng
    return lo - current if current < lo else current - hi if current > hi else 0


def inside(target: float | None, current: float | None, bound: str | None = None,
           low: float | None = None, high: float | None = None) -> bool | None:
    """Whether a held level is inside its bound (strict for ``above``/``below``), ``None`` when unknown."""
    rng = _band(target, bound, low, high)
    if rng is None or current is None or not _finite(target, current, low, high):
        return None
    lo, hi, lo_open, hi_open = rng
    return (current > lo if lo_open else current >= lo) and (current < hi if hi_open else current <= hi)


def progress_raw(direction: str | None, baseline: float | None, target: float | None, current: float | None, *,
                 bound: str | None = None, low: float | None = None, high: float | None = None) -> float | None:
    """Unclamped progress of one metric from baseline toward target (see the module docstring).

    >>> progress_raw("increase", 38, 60, 49)
    0.5
    >>> progress_raw("decrease", 6, 2, 5)
    0.25
    >>> progress_raw("maintain", None, 8, 10, bound="at_most"), progress_raw("maintain", None, 8, 8, bound="at_most")
    (0.0, 1.0)
    """
    if not _finite(baseline, target, current, low, high):
        return None
    if direction == "milestone":  # a value between 0 and 1 is a partial grade of the deliverable
        return 0.0 if current is None else float(min(max(current, 0.0), 1.0))
    if current is None:
        return None
    if direction == "maintain":
        verdict = inside(target, current, bound, low, high)
        return None if verdict is None else 1.0 if verdict else 0.0
    if target is None:
        return None
    if baseline is None:
        if direction == "decrease":
            return None
        baseline = 0.0
    if target == baseline:
        if direction == "increase":
            return 1.0 if current >= target else 0.0
        if direction == "decrease":
            return 1.0 if current <= target else 0.0
        return 1.0 if current == target else 0.0
    return (current - baseline) / (target - baseline)


def _weight(weight: float | None) -> float:
    """The weight an item counts with in :func:`weighted_mean`: ``None`` is 1; 0, below or NaN count 0."""
    w = 1.0 if weight is None else weight
    return w if w > 0 and math.isfinite(w) else 0.0


def weighted_mean(items: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Mean of ``(value, weight)`` pairs: unknown values skipped, weight ``None`` is 1, 0 or less ignored.

    ``None`` when nothing with a positive weight is left.
    """
    total = weight_sum = 0.0
    for value, weight in items:
        w = _weight(weight)
        if value is None or not w:
            continue
        total += value * w
        weight_sum += w
    return total / weight_sum if weight_sum > 0 else None


def round_score(progress: float | None, step: float = 0.1) -> float | None:
    """Clamped progress rounded half up to ``step`` (0.25 -> 0.3), as OKR scores are reported."""
    p = clamp01(progress)
    if p is None:
        return None
    return round(math.floor(p / step + 0.5 + _EPS) * step, 10)


def expected_progress(period: Period | None, today: date) -> float | None:
    """Share of ``period`` elapsed at the end of ``today`` (0..1): where a goal on pace would be."""
    return None if period is None else period.elapsed(today)


def pace_status(progress: float | None, expected: float | None, config: ScoringConfig | None = None) -> str:
    """``done`` | ``on_track`` | ``at_risk`` | ``off_track`` | ``not_started`` | ``unknown`` from the gap to pace."""
    cfg = config or _DEFAULT
    if progress is None:  # nothing measured yet: nothing to say beyond whether the period has begun
        return "not_started" if expected is not None and expected <= 0 else "unknown"
    if progress >= 1 - _EPS:
        return "done"
    if expected is None:
        return "unknown"
    if expected <= 0:
        return "not_started"
    gap = progress - expected
    if gap >= cfg.on_track_gap - _EPS:
        return "on_track"
    if gap >= cfg.at_risk_gap - _EPS:
        return "at_risk"
    return "off_track"


def score_colour(score: float | None, config: ScoringConfig | None = None) -> str:
    """``green`` | ``yellow`` | ``red`` for a score, ``grey`` when there is none."""
    cfg = config or _DEFAULT
    if score is None:
        return "grey"
    if score >= cfg.green_score - _EPS:
        return "green"
    if score >= cfg.yellow_score - _EPS:
        return "yellow"
    return "red"


def final_status(score: float | None, config: ScoringConfig | None = None) -> str:
    """``achieved`` | ``partly`` | ``missed`` from a score's band (``unknown`` without one): the status once a
    period is over or a grade was set by hand, so a status can never disagree with the score's colour."""
    colour = score_colour(score, config)
    return {"green": "achieved", "yellow": "partly", "red": "missed"}.get(colour, "unknown")


def status_colour(status: str, score: float | None = None, config: ScoringConfig | None = None) -> str:
    """The colour shown with a status: one table (:data:`STATUS_COLOURS`), so colour and status never
    contradict; a status of ``unknown`` (no period to pace against) takes its score's colour."""
    return STATUS_COLOURS.get(status) or score_colour(score, config)


def kpi_status(kpi: KPI, value: float | None) -> str:
    """``green`` | ``amber`` | ``red`` for a KPI value against its thresholds (flipped for decrease), or ``unknown``."""
    green = kpi.green if kpi.green is not None else kpi.target
    if value is None or (green is None and kpi.amber is None):
        return "unknown"
    better = (lambda v, t: v <= t) if kpi.direction == "decrease" else (lambda v, t: v >= t)
    if green is not None and better(value, green):
        return "green"
    if kpi.amber is not None and better(value, kpi.amber):
        return "amber"
    return "red"


_KPI_COLOUR = {"green": "green", "amber": "yellow", "red": "red", "unknown": "grey"}


def counts_toward_progress(kind: str | None, stage: str | None = None, link_kind: str | None = None) -> bool:
    """Whether a contributor counts toward the progress of what it is linked to.

    The one place this rule lives; scoring's roll-ups, the alignment graph's, the link preview and
    the store's team read all ask it. Two halves, each checked only when given:

    - the contributor: a KPI (``kind``) has values, not progress toward a target, so it is shown
      beside a goal but never moves it; an initiative whose ``stage`` (its ``status``) is
      ``candidate`` is only an idea until approved; everything else counts;
    - the link: only a ``contributes`` link counts (``model.PROGRESS_LINK_KINDS``, declared in the
      model because the store filters on it in SQL); a ``supports`` link is shown, never counted.

    ``kind`` is an entity's ``kind`` (``"objective"``, ``"key_result"``, ``"smart_goal"``,
    ``"kpi"``, ``"initiative"``), or ``None`` to ask about the link alone.

    >>> counts_toward_progress("smart_goal"), counts_toward_progress("kpi")
    (True, False)
    >>> counts_toward_progress("initiative", "candidate"), counts_toward_progress("initiative", "active")
    (False, True)
    >>> counts_toward_progress("smart_goal", link_kind="supports")
    False
    >>> counts_toward_progress(None, link_kind="contributes")
    True
    """
    if link_kind is not None and link_kind not in PROGRESS_LINK_KINDS:
        return False
    return kind != KPI.kind and not (kind == Initiative.kind and stage == "candidate")


def deadline_period(deadline: date, days: int = DEADLINE_WINDOW_DAYS) -> Period:
    """The window a goal with only a deadline is paced over: ``days`` days ending on the deadline."""
    start = deadline - timedelta(days=days - 1)
    return Period(f"{start.isoformat()}..{deadline.isoformat()}", start, deadline)


# --- scoring a book --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class GoalScore:
    """Where one goal stands on one day: the row a dashboard, table or CLI shows."""

    id: str
    kind: str  # objective | key_result | smart_goal | initiative | kpi
    title: str
    parent: str | None  # the objective of a key result; None otherwise
    owner: str | None
    team: str | None
    level: str | None
    period: str | None  # period name
    progress_raw: float | None
    progress: float | None  # clamped 0..1
    expected: float | None
    status: str  # see STATUSES; KPI_STATUSES for KPIs
    score: float | None  # 0.0-1.0 in steps of 0.1, or the override
    colour: str  # green | yellow | red | grey
    confidence: float | None
    confidence_trend: list[float]
    stale: bool
    last_check_in: date | None
    current: float | None = None  # the value progress was computed from, when there is one
    measured: bool = True  # False: nothing measured yet, counted at its baseline (progress 0)
    breached: bool = False  # a held level (maintain) outside its bound
    breach: float | None = None  # how far outside the bound (0 at a strict bound's threshold)
    wrong_way: bool = False  # moved beyond the baseline, away from the target
    overridden: bool = False  # the score is a grade set by hand (score_override), see ``reason``
    reason: str | None = None  # the override's reason
    dropped: date | None = None  # dropped on this day: counts nowhere
    dropped_reason: str | None = None
    draft: bool = False  # a key result with a direction and no target yet
    final: bool = False  # the period is over: the status is final
    worst: str | None = None  # objectives: the worst of what they count, e.g. "1 key result off track"

    @property
    def status_text(self) -> str:
        """The status in words with the worst of what an objective counts: "on track · 1 key result off track"."""
        words = STATUS_WORDS.get(self.status, self.status.replace("_", " "))
        return f"{words} · {self.worst}" if self.worst else words

    @property
    def flags(self) -> list[str]:
        """Short warnings a reader must see beside the number, in words."""
        out = []
        if self.dropped is not None:
            out.append(f"dropped {self.dropped.isoformat()}: {self.dropped_reason or ''}".rstrip(": "))
        if self.draft:
            out.append("draft: no target yet")
        if not self.measured and self.dropped is None:
            out.append(NOT_MEASURED)
        if self.breached:
            out.append("bound breached" + (f" by {self.breach:g}" if self.breach else ""))
        if self.wrong_way:
            out.append("moving the wrong way")
        if self.overridden:
            out.append(f"score set by hand: {self.reason}")
        return out


class Scorer:
    """Scores the goals of one book as of one day, indexing check-ins and links once.

    Everything is computed lazily and memoised, so scoring a whole book is linear in goals,
    check-ins and links. Do not change the book while a Scorer is in use.
    """

    def __init__(self, book: Goalbook, *, today: date | None = None, config: ScoringConfig | None = None) -> None:
        self.book = book
        self.today = today or date.today()
        self.config = config or _DEFAULT
        by_id: dict[str, list[CheckIn]] = defaultdict(list)
        for c in book.check_ins:
            if c.date <= self.today:
                by_id[c.target_id].append(c)
        for lst in by_id.values():
            lst.sort(key=attrgetter("date"))  # stable: same-day check-ins keep file order
        self._check_ins: dict[str, list[CheckIn]] = by_id
        contributors: dict[str, list[tuple[str, float]]] = defaultdict(list)
        counted = {k for k in {lk.kind for lk in book.links} if counts_toward_progress(None, link_kind=k)}
        for lk in book.links:
            if lk.kind in counted:
                contributors[lk.target].append((lk.source, lk.weight))
        self._contributors = contributors
        self._raw: dict[str, float | None] = {}
        self._rolled_up: set[str] = set()
        self._holding: set[str] = set()
        self._unmeasured: set[str] = set()
        self._status: dict[str, str] = {}
        self._periods: dict[str, Period | None] = {}
        self._scores: dict[str, float | None] = {}
        self._dep_memo: dict[str, list[tuple[str, float]]] = {}
        # looked up for every goal and every roll-up: indexed once
        self._dropped = {kr.id for o in book.objectives for kr in o.key_results
                         if kr.dropped is not None and kr.dropped <= self.today}
        self._overrides = {g.id: float(g.score_override) for g in book.iter_goals()
                           if getattr(g, "score_override", None) is not None
                           and (getattr(g, "score_reason", None) or "").strip()}
        self._values: dict[str, tuple[float | None, date | None]] = {}

    # --- look-ups ----------------------------------------------------------------------------------------------
    def check_ins(self, id: str) -> list[CheckIn]:
        """Check-ins on ``id`` dated on or before today, oldest first."""
        return self._check_ins.get(id, [])

    def _latest(self, id: str) -> tuple[float | None, date | None]:
        """Latest value on or before today and its date (check-ins, and KPI values for KPIs)."""
        if id in self._values:
            return self._values[id]
        value: float | None = None
        when: date | None = None
        for c in reversed(self.check_ins(id)):
            if c.value is not None:
                value, when = c.value, c.date
                break
        g = self.book.get(id)
        if isinstance(g, KPI):
            for v in reversed(g.values):  # values are usually oldest first; scan for the latest anyway
                if v.date <= self.today and v.value is not None and (when is None or v.date > when):
                    value, when = v.value, v.date
        self._values[id] = (value, when)
        return value, when

    def current_value(self, id: str) -> float | None:
        """Latest check-in value on or before today, else the entity's ``current`` (a KPI's latest value)."""
        value, _ = self._latest(id)
        if value is None:
            value = getattr(self.book.get(id), "current", None)
        return value

    def last_check_in(self, id: str) -> date | None:
        """Date of the latest check-in (or KPI value) on or before today."""
        ins = self.check_ins(id)
        last = ins[-1].date if ins else None
        g = self.book.get(id)
        if isinstance(g, KPI):
            dates = [v.date for v in g.values if v.date <= self.today]
            if last is not None:
                dates.append(last)
            last = max(dates, default=None)
        return last

    def confidence(self, id: str) -> tuple[float | None, list[float]]:
        """Latest confidence (check-in, else the goal's own) and the recent trend, oldest first."""
        trend = [c.confidence for c in self.check_ins(id) if c.confidence is not None]
        latest = trend[-1] if trend else getattr(self.book.get(id), "confidence", None)
        n = self.config.trend_points
        return latest, (trend[-n:] if n else [])

    def period(self, id: str) -> Period | None:
        """The period a goal is paced over (see the module docstring), or ``None``."""
        if id not in self._periods:
            self._periods[id] = self._period_of(id)
        return self._periods[id]

    def _period_of(self, id: str) -> Period | None:
        g = self.book.get(id)
        if isinstance(g, Objective):
            return g.period
        if isinstance(g, KeyResult):
            o = self.book.objective_of(g)
            if o is not None and o.period is not None:
                return o.period
            return deadline_period(g.deadline) if g.deadline else None
        if isinstance(g, SmartGoal):
            if g.period is not None:
                return g.period
            return deadline_period(g.deadline) if g.deadline else None
        if isinstance(g, Initiative):
            if g.start and g.end and g.start <= g.end:
                return Period(f"{g.start.isoformat()}..{g.end.isoformat()}", g.start, g.end)
            return deadline_period(g.end) if g.end else None
        return None

    # --- progress ----------------------------------------------------------------------------------------------
    def contributors(self, id: str) -> list[tuple[str, float]]:
        """What counts toward ``id`` through ``contributes`` links: ``(source id, link weight)`` pairs in
        link order, without KPIs and candidate ideas (:func:`counts_toward_progress`) or unknown ids."""
        out = []
        for source, weight in self._contributors.get(id, ()):
            if source not in self.book:
                continue
            g = self.book.get(source)
            if counts_toward_progress(g.kind, g.status if isinstance(g, Initiative) else None) \
                    and not self.is_dropped(source):
                out.append((source, weight))
        return out

    def is_dropped(self, id: str) -> bool:
        """True when ``id`` is a key result dropped on or before today: from then on it counts nowhere."""
        return id in self._dropped

    def counted(self, id: str) -> list[tuple[str, float]]:
        """What ``id``'s progress is the weighted mean of: ``(id, weight)`` pairs (dropped key results left out)."""
        return self._deps(id)

    def override(self, id: str) -> float | None:
        """The score set by hand on ``id`` when it has a reason, else ``None`` (validation rejects one without)."""
        return self._overrides.get(id)

    def contribution(self, id: str) -> float:
        """What ``id`` counts with in a roll-up: its reasoned override, else its clamped progress, else 0
        (nothing measured yet counts at its baseline)."""
        value = self.override(id)
        if value is None:
            value = clamp01(self.progress_raw(id))
        return 0.0 if value is None else value

    def _has_own_value(self, g: KeyResult | SmartGoal) -> bool:
        if isinstance(g, KeyResult) and (g.grade is not None or (g.direction == "milestone" and g.checkpoints)):
            return True
        return self.current_value(g.id) is not None

    def _deps(self, id: str) -> list[tuple[str, float]]:
        """What ``id``'s progress is computed from: (id, weight) pairs; empty when it stands alone."""
        deps = self._dep_memo.get(id)
        if deps is None:
            deps = self._dep_memo[id] = self._deps_of(id)
        return deps

    def _deps_of(self, id: str) -> list[tuple[str, float]]:
        g = self.book.get(id)
        if isinstance(g, Objective):
            deps: list[tuple[str, float]] = []
            if g.driver != "children":
                deps += [(kr.id, kr.weight) for kr in g.key_results if not self.is_dropped(kr.id)]
            if g.driver in ("children", "both"):
                deps += self.contributors(id)
            return deps
        if isinstance(g, KeyResult | SmartGoal) and not self._has_own_value(g):
            return self.contributors(id)
        return []

    def _own_raw(self, g: Any, rolled: float | None) -> float | None:
        """Raw progress of one goal from its own data, given its contributors' roll-up (or None)."""
        if isinstance(g, Objective):
            return rolled
        if isinstance(g, Initiative):
            if g.progress is not None:
                return g.progress
            if g.status == "done":
                return 1.0
            self._unmeasured.add(g.id)
            return None
        if isinstance(g, KeyResult | SmartGoal):
            direction = g.direction
            current = self.current_value(g.id)
            grade = g.grade if isinstance(g, KeyResult) else None
            if direction == "milestone" and current is not None and current >= 1:
                return 1.0
            if grade is not None:
                return grade  # judged by hand: a deliverable partly done, or a draft with no target yet
            if isinstance(g, KeyResult) and direction == "milestone" and g.checkpoints:
                return sum(1 for cp in g.checkpoints if cp.done) / len(g.checkpoints)
            if current is None:
                if rolled is not None:
                    self._rolled_up.add(g.id)
                    return rolled
                self._unmeasured.add(g.id)
                return 0.0  # nothing measured yet: it stands at its baseline
            if direction in ("increase", "decrease") and g.target is None:
                self._unmeasured.add(g.id)  # a draft: a value, but no target to measure it against
                return 0.0
            return progress_raw(direction, g.baseline, g.target, current, bound=getattr(g, "bound", None),
                                low=getattr(g, "low", None), high=getattr(g, "high", None))
        return None  # KPIs have no progress

    def _roll(self, deps: list[tuple[str, float]]) -> float | None:
        """Weighted mean of what ``deps`` contribute (:meth:`contribution`); a dependency not computed yet is a
        back-edge of a cycle and contributes nothing."""
        raw, overrides = self._raw, self._overrides
        total = weight_sum = 0.0
        for d, weight in deps:
            if d not in raw:
                continue
            w = 1.0 if weight is None else weight
            if not (w > 0 and math.isfinite(w)):  # as _weight: 0, below or NaN count 0
                continue
            value = overrides.get(d)
            if value is None:
                x = raw[d]  # clamped progress, 0 when nothing is known: inline for speed (see contribution)
                value = 0.0 if x is None or x < 0 else 1.0 if x > 1 else x
            total += value * w
            weight_sum += w
        return total / weight_sum if weight_sum > 0 else None

    def progress_raw(self, id: str) -> float | None:
        """Unclamped progress of any goal (objectives: the weighted mean, already in 0..1)."""
        if id in self._raw:
            return self._raw[id]
        book, raw = self.book, self._raw
        book.get(id)  # a KeyError naming the closest id for an unknown one
        # iterative depth-first walk: deep chains of links never hit the recursion limit
        stack: list[tuple[str, list[tuple[str, float]], Iterator[tuple[str, float]]]] = []
        active: set[str] = set()

        def push(gid: str) -> None:
            deps = self._deps(gid)
            stack.append((gid, deps, iter(deps)))
            active.add(gid)

        push(id)
        while stack:
            gid, deps, pending = stack[-1]
            nxt = next((d for d, _ in pending if d not in raw and d not in active and d in book), None)
            if nxt is not None:
                push(nxt)
                continue
            # a dependency still active here is a back-edge of a cycle: it contributes nothing
            rolled = self._roll(deps) if deps else None
            g = book.get(gid)
            raw[gid] = own = self._own_raw(g, rolled)
            if deps and rolled is not None and (isinstance(g, Objective) or gid in self._rolled_up):
                counted = [d for d, w in deps if d in raw and _weight(w)]
                if counted and all(d in self._unmeasured for d in counted):
                    self._unmeasured.add(gid)
            if own is not None and own >= 1 - _EPS:
                from_deps = isinstance(g, Objective) or gid in self._rolled_up
                if self._holds(g, deps if from_deps else ()):
                    self._holding.add(gid)
            stack.pop()
            active.discard(gid)
        return raw[id]

    def _holds(self, g: Any, deps: Iterable[tuple[str, float]]) -> bool:
        """Whether ``g``, at progress 1, is still holding a level: it maintains one (or counts something
        that does, among ``deps``) and its period has not ended."""
        period = self.period(g.id)
        if period is not None and self.today >= period.end:
            return False
        if isinstance(g, KeyResult | SmartGoal) and g.direction == "maintain" and period is not None:
            return True
        return any(d in self._holding and _weight(w) for d, w in deps)

    def holding(self, id: str) -> bool:
        """True when ``id`` has reached progress 1 but cannot be ``done`` yet: it holds a level (``maintain``)
        whose period has not ended, or its progress rolls up from something that does, inside its own period.
        Such a goal is ``on_track`` (``not_started`` before its period) until its period ends."""
        self.progress_raw(id)
        return id in self._holding

    def progress(self, id: str) -> float | None:
        """Progress of any goal clamped to 0..1, or ``None`` when unknown."""
        return clamp01(self.progress_raw(id))

    def rolled_up(self, id: str) -> bool:
        """True when a key result's or SMART goal's progress came from its contributors."""
        self.progress_raw(id)
        return id in self._rolled_up

    # --- words and colours -------------------------------------------------------------------------------------
    def is_stale(self, id: str) -> bool:
        """True when a goal that takes check-ins has gone too long without one (module docstring)."""
        g = self.book.get(id)
        if not isinstance(g, KeyResult | SmartGoal | KPI) or self.is_dropped(id):
            return False
        cfg = self.config
        cadence = cfg.frequency_days.get(g.frequency, cfg.cadence_days) if isinstance(g, KPI) else cfg.cadence_days
        limit = cfg.stale_factor * cadence
        period = self.period(id)
        ref = min(self.today, period.end) if period else self.today
        if period is not None and ref < period.start:
            return False
        last = self.last_check_in(id)
        if last is not None:
            return (ref - last).days > limit
        if period is None or self.rolled_up(id):
            return False
        return (ref - period.start).days > limit  # the period's first day stands in for a check-in

    def measured(self, id: str) -> bool:
        """False when nothing has been measured for ``id`` yet (it counts at its baseline: progress 0)."""
        self.progress_raw(id)
        return id not in self._unmeasured

    def score_value(self, g: Any, progress: float | None) -> float | None:
        """The goal's score: a reasoned override wins, else progress rounded to a tenth."""
        override = self._overrides.get(g.id)
        return override if override is not None else round_score(progress, self.config.score_step)

    def _own_score(self, g: Any) -> float | None:
        """:meth:`score_value` of ``g`` at its own progress, memoised (status and score both need it)."""
        if g.id not in self._scores:
            self._scores[g.id] = self.score_value(g, self.progress(g.id))
        return self._scores[g.id]

    def worst(self, id: str) -> str | None:
        """For an objective: the worst status among what it counts, when that is worse than its own, in words
        ("1 key result off track", "2 goals at risk", "2 key results off track, 1 missed"); ``None`` otherwise."""
        g = self.book.get(id)
        if not isinstance(g, Objective):
            return None
        own = SEVERITY.get(self.status(id), 0)
        statuses = [(d, self.status(d)) for d, w in self._deps(id) if d in self.book and _weight(w)]
        top = max((SEVERITY.get(st, 0) for _, st in statuses), default=0)
        if top <= own:
            return None
        worst = [(d, st) for d, st in statuses if SEVERITY.get(st, 0) == top]
        noun = "key result" if all(self.book.get(d).kind == KeyResult.kind for d, _ in worst) else "goal"
        counts = Counter(st for _, st in worst)  # in the order they first appear
        words = [f"{n} {STATUS_WORDS[st]}" for st, n in counts.items()]
        first, n = next(iter(counts.items()))
        words[0] = f"{n} {noun}{'s' if n != 1 else ''} {STATUS_WORDS[first]}"  # "2 key results off track, 1 missed"
        return ", ".join(words)

    def status(self, id: str) -> str:
        """The status of one goal on today (see the module docstring); memoised."""
        status = self._status.get(id)
        if status is None:
            g = self.book.get(id)
            if isinstance(g, KPI):
                status = kpi_status(g, self.current_value(id))
            else:
                status = self._status_of(g, self.period(id), self.progress(id), self._own_score(g))
            self._status[id] = status
        return status

    def _status_of(self, g: Any, period: Period | None, progress: float | None, score: float | None) -> str:
        id = g.id
        if id in self._dropped:
            return "dropped"
        if (id in self._overrides or (period is not None and self.today > period.end)) \
                and not isinstance(g, Initiative):  # a project keeps its own state: done or not
            return final_status(score, self.config)
        expected = expected_progress(period, self.today)
        if isinstance(g, KeyResult | SmartGoal) and g.direction == "maintain" and expected is not None:
            expected = 0.0 if expected <= 0 else 1.0  # a held level is expected in full all period
        status = pace_status(progress, expected, self.config)
        if status == "done" and self.holding(id):
            status = "not_started" if expected is not None and expected <= 0 else "on_track"
        if isinstance(g, KeyResult) and g.direction == "milestone" and not g.checkpoints and g.grade is None \
                and status != "done" and not progress:  # a 0/1 deliverable: its owner knows its pace best
            status = next((c.status for c in reversed(self.check_ins(id)) if c.status), None) or status
        if isinstance(g, Initiative) and status != "done":
            status = "done" if g.status == "done" else "not_started" if g.status == "candidate" else status
        return status

    def score(self, id: str) -> GoalScore:
        """The full :class:`GoalScore` of one goal."""
        g = self.book.get(id)
        confidence, trend = self.confidence(id)
        last = self.last_check_in(id)
        stale = self.is_stale(id)
        period = self.period(id)
        if isinstance(g, KPI):
            value = self.current_value(id)
            status = kpi_status(g, value)
            return GoalScore(id, g.kind, g.name, None, g.owner, g.team, None, None, None, None, None, status,
                             None, _KPI_COLOUR[status], confidence, trend, stale, last, value)
        raw = self.progress_raw(id)
        progress = clamp01(raw)
        today = self.today
        expected = expected_progress(period, today)
        parent = level = team = current = breach_by = dropped = dropped_reason = reason = worst = None
        owner = g.owner
        breached = wrong_way = draft = overridden = False
        if isinstance(g, KeyResult):
            o = self.book.objective_of(g)
            parent = g.objective_id
            if o is not None:
                level, team, owner = o.level, o.team, g.owner or o.owner
            if id in self._dropped:
                dropped, dropped_reason = g.dropped, g.dropped_reason
            draft = g.target is None and g.direction in ("increase", "decrease")
        elif isinstance(g, Objective | SmartGoal):
            level, team = g.level, g.team
        elif isinstance(g, Initiative):
            team = g.team
        if isinstance(g, KeyResult | SmartGoal):
            current = self.current_value(id)
            if g.direction == "maintain":
                expected = None if expected is None else (0.0 if expected <= 0 else 1.0)
                args = (g.target, current, getattr(g, "bound", None), getattr(g, "low", None), getattr(g, "high", None))
                if current is not None and inside(*args) is False:
                    breached, breach_by = True, breach(*args)
            elif raw is not None and raw < -_EPS and current is not None and g.direction != "milestone":
                wrong_way = id not in self._rolled_up
        score = self._own_score(g)
        status = self._status.get(id)
        if status is None:
            status = self._status[id] = self._status_of(g, period, progress, score)
        if status == "dropped":
            score = None
        elif id in self._overrides:
            overridden, reason = True, g.score_reason
        if isinstance(g, Objective):
            worst = self.worst(id)
        return GoalScore(id, g.kind, g.title, parent, owner, team, level, period.name if period else None,
                         raw, progress, expected, status, score, status_colour(status, score, self.config),
                         confidence, trend, stale, last, current, id not in self._unmeasured, breached, breach_by,
                         wrong_way, overridden, reason, dropped, dropped_reason, draft,
                         period is not None and today > period.end, worst)

    def scores(self) -> list[GoalScore]:
        """Every objective followed by its key results, then SMART goals, initiatives and KPIs."""
        return [self.score(g.id) for g in self.book.iter_goals()]


# --- the public functions --------------------------------------------------------------------------------------


def _id(objective_or_id: Objective | str) -> str:
    return objective_or_id if isinstance(objective_or_id, str) else objective_or_id.id


def current_value(book: Goalbook, id: str, today: date | None = None) -> float | None:
    """Latest check-in value of ``id`` on or before ``today``, else its ``current``, else ``None``."""
    return Scorer(book, today=today).current_value(id)


def goal_progress(book: Goalbook, id: str, *, today: date | None = None) -> float | None:
    """Clamped 0..1 progress of any goal (objective, key result, SMART goal, initiative), ``None`` if unknown."""
    return Scorer(book, today=today).progress(id)


def objective_progress(book: Goalbook, objective_or_id: Objective | str, *, today: date | None = None) -> float | None:
    """Progress of an objective (looked up by id) from its driver: key results, children or both."""
    return Scorer(book, today=today).progress(_id(objective_or_id))


def is_stale(book: Goalbook, id: str, today: date, config: ScoringConfig | None = None) -> bool:
    """True when ``id`` has gone more than ``stale_factor`` cadences without a check-in before ``today``."""
    return Scorer(book, today=today, config=config).is_stale(id)


def score_book(book: Goalbook, *, today: date | None = None, config: ScoringConfig | None = None) -> list[GoalScore]:
    """A :class:`GoalScore` for every objective, key result, SMART goal, initiative and KPI, in book order."""
    return Scorer(book, today=today, config=config).scores()


SCORE_COLUMNS = tuple(f.name for f in fields(GoalScore))


def scores_frame(book: Goalbook, *, today: date | None = None, config: ScoringConfig | None = None) -> pd.DataFrame:
    """:func:`score_book` as a DataFrame, one row per goal, columns named like :class:`GoalScore`'s fields."""
    import pandas as pd

    rows = score_book(book, today=today, config=config)
    return pd.DataFrame({c: [getattr(s, c) for s in rows] for c in SCORE_COLUMNS}, columns=list(SCORE_COLUMNS))
