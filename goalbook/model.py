"""The domain model: plain objects for goals and the one container, :class:`Goalbook`.

Pure by design: no files, no database, no widgets. Readers live in ``goalbook.io`` and
``goalbook.store``; analyses (SMART, scoring, alignment) take these objects and return data.
Numbers are floats (or ``None`` when unknown); dates are ``datetime.date``.
"""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, Protocol

from goalbook.errors import Problem
from goalbook.period import Period

LEVELS = ("company", "department", "team", "person")
DIRECTIONS = ("increase", "decrease", "maintain", "milestone")
BOUNDS = ("at_least", "at_most", "above", "below", "band")  # >=, <=, >, <, low..high inclusive
INDICATORS = ("leading", "lagging")
INITIATIVE_STATUSES = ("candidate", "approved", "active", "done")
CHECKIN_STATUSES = ("on_track", "at_risk", "off_track", "done")
LINK_KINDS = ("contributes", "supports")
# The link kinds through which a contributor counts toward its target's progress (``supports`` is
# shown only). Declared here, below every layer, because the store filters on it in SQL;
# ``goalbook.scoring.counts_toward_progress`` is the rule that reads it.
PROGRESS_LINK_KINDS = ("contributes",)
DRIVERS = ("key_results", "children", "both")
FREQUENCIES = ("daily", "weekly", "biweekly", "monthly", "quarterly")
APPROVALS = ("draft", "in_review", "approved", "changes_requested")
ICE_FIELDS = ("impact", "ease")  # with the initiative's confidence: the ICE score's three factors, 1-10

Level = Literal["company", "department", "team", "person"]
Direction = Literal["increase", "decrease", "maintain", "milestone"]


@dataclass(slots=True)
class Checkpoint:
    """One step of a milestone key result."""

    name: str
    done: bool = False


@dataclass(slots=True)
class Spend:
    """Money spent on a SMART goal or an initiative on one day, in the budget's currency."""

    date: date
    amount: float
    note: str | None = None


@dataclass(slots=True)
class KeyResult:
    """A measurable outcome under an objective.

    ``maintain`` key results hold a threshold: ``bound`` is ``at_least`` (>=), ``at_most`` (<=),
    ``above`` (>) or ``below`` (<) with ``target`` as the threshold, or ``band`` with ``low`` and
    ``high``. ``milestone`` key results are done (``current`` 1) or not (0), count ``checkpoints``,
    or carry a partial ``grade`` (0-1) given by hand. A key result with a direction and no target
    yet is a draft: it loads (lint warns) and can be graded by hand. ``dropped`` (a date, with
    ``dropped_reason``) takes it out of every roll-up from that day on.
    """

    id: str
    title: str
    direction: str = "increase"
    metric: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    bound: str | None = None
    low: float | None = None
    high: float | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)
    weight: float = 1.0
    confidence: float | None = None
    indicator: str | None = None
    owner: str | None = None
    deadline: date | None = None
    score_override: float | None = None
    score_reason: str | None = None
    source: str | None = None  # where refresh reads its value: see goalbook.refresh.parse_source
    shared_with: str | None = None  # another team's objective that counts this key result as its own too
    grade: float | None = None  # progress 0-1 judged by hand: deliverables, drafts with no target yet
    dropped: date | None = None  # from this day on it counts nowhere (overtaken by events)
    dropped_reason: str | None = None
    objective_id: str | None = None  # filled in by the Goalbook

    kind = "key_result"

    @property
    def label(self) -> str:
        return self.title


@dataclass(slots=True)
class Objective:
    """A qualitative, inspiring aim at some level of the organisation, with 2-5 key results."""

    id: str
    title: str
    level: str = "company"
    owner: str | None = None
    team: str | None = None
    period: Period | None = None
    description: str | None = None
    key_results: list[KeyResult] = field(default_factory=list)
    driver: str = "key_results"
    score_override: float | None = None
    score_reason: str | None = None
    approval: str = "draft"

    kind = "objective"

    def __post_init__(self) -> None:
        for kr in self.key_results:
            kr.objective_id = self.id

    @property
    def label(self) -> str:
        return self.title


@dataclass(slots=True)
class SmartGoal:
    """A team's SMART goal: one statement plus the structured fields that make it checkable."""

    id: str
    statement: str
    team: str | None = None
    owner: str | None = None
    level: str = "team"
    metric: str | None = None
    unit: str | None = None
    direction: str | None = None  # None: inferred from baseline and target
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    deadline: date | None = None
    budget: float | None = None
    currency: str | None = None  # ISO 4217 code of budget and spend, e.g. GBP
    spend: list[Spend] = field(default_factory=list)
    period: Period | None = None
    weight: float = 1.0
    confidence: float | None = None
    indicator: str | None = None
    score_override: float | None = None
    score_reason: str | None = None
    approval: str = "draft"

    kind = "smart_goal"

    @property
    def spent(self) -> float | None:
        """The sum of the spend entries, ``None`` when none is recorded."""
        return sum(s.amount for s in self.spend) if self.spend else None

    @property
    def title(self) -> str:
        return self.statement

    @property
    def label(self) -> str:
        return self.statement


@dataclass(slots=True)
class KPIValue:
    """One dated observation of a KPI."""

    date: date
    value: float


@dataclass(slots=True)
class KPI:
    """A health metric watched against thresholds; ``direction`` says which way is good.

    With ``direction`` ``increase``, a value at or above ``green`` is green, at or above ``amber``
    amber, else red; with ``decrease`` the comparisons flip.
    """

    id: str
    name: str
    metric: str | None = None
    unit: str | None = None
    owner: str | None = None
    team: str | None = None
    target: float | None = None
    direction: str = "increase"
    green: float | None = None
    amber: float | None = None
    frequency: str = "weekly"
    indicator: str | None = None
    values: list[KPIValue] = field(default_factory=list)
    source: str | None = None  # where refresh reads its value: see goalbook.refresh.parse_source

    kind = "kpi"

    @property
    def title(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name


@dataclass(slots=True)
class Initiative:
    """A project or task meant to move a key result; may be only a candidate idea."""

    id: str
    title: str
    status: str = "candidate"
    owner: str | None = None
    team: str | None = None
    start: date | None = None
    end: date | None = None
    progress: float | None = None  # 0..1
    external_ref: str | None = None  # e.g. a Jira key
    tracker: str | None = None  # where external_ref lives: jira, asana, trello, github, linear
    budget: float | None = None
    currency: str | None = None
    spend: list[Spend] = field(default_factory=list)
    impact: float | None = None  # ICE: how much it would move the result, 1-10
    confidence: float | None = None  # ICE: how sure we are of that impact, 1-10
    ease: float | None = None  # ICE: how little effort it takes, 1-10
    approved_by: str | None = None  # who promoted the idea to approved
    approved_on: date | None = None

    kind = "initiative"

    @property
    def spent(self) -> float | None:
        """The sum of the spend entries, ``None`` when none is recorded."""
        return sum(s.amount for s in self.spend) if self.spend else None

    @property
    def ice(self) -> float | None:
        """The ICE score, impact × confidence × ease (each 1-10, so 1-1000); ``None`` unless all three
        are given. :mod:`goalbook.priority` ranks candidate ideas by it and says why ICE."""
        if self.impact is None or self.confidence is None or self.ease is None:
            return None
        return self.impact * self.confidence * self.ease

    @property
    def label(self) -> str:
        return self.title


@dataclass(slots=True)
class CheckIn:
    """A dated update on a key result, SMART goal or KPI."""

    target_id: str
    date: date
    value: float | None = None
    confidence: float | None = None
    status: str | None = None
    wins: str | None = None
    blockers: str | None = None
    author: str | None = None


@dataclass(slots=True)
class Link:
    """``source`` serves ``target``. ``contributes`` counts toward progress; ``supports`` is shown only."""

    source: str
    target: str
    kind: str = "contributes"
    weight: float = 1.0


@dataclass(slots=True)
class Comment:
    """A remark on a goal, by someone, at some time."""

    target_id: str
    text: str
    author: str | None = None
    at: datetime | None = None
    id: str | None = None  # needed only to be replied to
    reply_to: str | None = None  # the id of the comment this answers


@dataclass(slots=True)
class ApprovalEvent:
    """One step of a goal's approval flow: who moved it to ``state``, when, and why."""

    target_id: str
    state: str  # in_review | approved | changes_requested | draft
    by: str | None = None
    at: datetime | None = None
    reason: str | None = None


@dataclass
class Approvers:
    """Who may approve goals: by level (``company``: [ceo]) and by team (``Web``: [cdo]). A goal's
    approvers are its team's when the team has any, else its level's (see :mod:`goalbook.approvals`)."""

    levels: dict[str, list[str]] = field(default_factory=dict)
    teams: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.levels or self.teams)


Goal = Objective | KeyResult | SmartGoal | KPI | Initiative

ENTITY_TYPES: dict[str, type] = {
    "objective": Objective,
    "key_result": KeyResult,
    "smart_goal": SmartGoal,
    "kpi": KPI,
    "initiative": Initiative,
}


def field_names(cls: type) -> list[str]:
    """The dataclass field names of ``cls``, in declaration order."""
    return [f.name for f in fields(cls)]


def is_external(ref: str | None) -> bool:
    """True for a goal in another goalbook: ``WHERE#ID``, e.g. ``finance.yaml#FIN-1`` or
    ``postgresql://db/goals#CO-2``. Such a link end is shown as external, never checked here."""
    if not ref or "#" not in ref:
        return False
    where, _, gid = ref.rpartition("#")
    return bool(where.strip()) and bool(gid.strip()) and not any(c.isspace() for c in gid)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or ``''``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _one_of(value: Any, allowed: tuple[str, ...], entity: str, name: str, what: str) -> Problem | None:
    if value is None or value in allowed:
        return None
    return Problem(f"{what} {entity}: {name} '{value}' is not one of {', '.join(allowed)}"
                   f"{did_you_mean(str(value), allowed)}", entity=entity, field=name)


def _in_range(value: float | None, lo: float, hi: float, entity: str, name: str, what: str) -> Problem | None:
    if value is None or lo <= value <= hi:
        return None
    return Problem(f"{what} {entity}: {name} {value:g} is outside {lo:g}-{hi:g}", entity=entity, field=name)


def with_article(noun: str) -> str:
    """'an objective', 'a key result', 'a KPI': a noun with its indefinite article."""
    return f"{'an' if noun[:1].lower() in ('a', 'e', 'i', 'o', 'u') else 'a'} {noun}"


def kind_with_article(kind: str) -> str:
    """An entity kind (``smart_goal``) in words with its article (``a smart goal``)."""
    return with_article({"kpi": "KPI"}.get(kind, kind.replace("_", " ")))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _check_movement(g: KeyResult | SmartGoal, what: str) -> list[Problem]:
    """A moving goal must have a target different from its baseline, on the side its direction says."""
    out: list[Problem] = []
    d, b, t = g.direction, g.baseline, g.target
    if d in ("increase", "decrease", None) and b is not None and t is not None:
        if b == t:
            out.append(Problem(f"{what} {g.id}: target {_fmt(t)} equals baseline {_fmt(b)} — "
                               f"a {what} must move; use direction 'maintain' to hold a level",
                               entity=g.id, field="target"))
        elif d == "increase" and t < b:
            out.append(Problem(f"{what} {g.id}: direction is increase but target {_fmt(t)} is below "
                               f"baseline {_fmt(b)} — swap them or use direction 'decrease'",
                               entity=g.id, field="target"))
        elif d == "decrease" and t > b:
            out.append(Problem(f"{what} {g.id}: direction is decrease but target {_fmt(t)} is above "
                               f"baseline {_fmt(b)} — swap them or use direction 'increase'",
                               entity=g.id, field="target"))
    return out


def _check_key_result(kr: KeyResult, period: Period | None) -> list[Problem]:
    w = "key result"
    out = [p for p in (
        _one_of(kr.direction, DIRECTIONS, kr.id, "direction", w),
        _one_of(kr.bound, BOUNDS, kr.id, "bound", w),
        _one_of(kr.indicator, INDICATORS, kr.id, "indicator", w),
        _in_range(kr.confidence, 0, 10, kr.id, "confidence", w),
        _in_range(kr.score_override, 0, 1, kr.id, "score_override", w),
        _in_range(kr.grade, 0, 1, kr.id, "grade", w),
    ) if p]
    if kr.weight is not None and kr.weight <= 0:
        out.append(Problem(f"key result {kr.id}: weight {_fmt(kr.weight)} must be above 0 — "
                           "drop the key result instead of weighting it to nothing", entity=kr.id, field="weight"))
    out += _check_movement(kr, w)
    if kr.direction in ("increase", "decrease") and kr.target is None:  # a draft: loads, lint warns
        out.append(Problem(f"key result {kr.id}: a draft with no target yet — say the number it should reach "
                           "(until then it counts as not measured, or by its grade)", entity=kr.id, field="target",
                           severity="warning"))
    if kr.dropped is not None and not (kr.dropped_reason or "").strip():
        out.append(Problem(f"key result {kr.id}: a dropped key result needs a reason (dropped_reason)",
                           entity=kr.id, field="dropped_reason"))
    if kr.dropped is None and (kr.dropped_reason or "").strip():
        out.append(Problem(f"key result {kr.id}: dropped_reason is given but not the day it was dropped (dropped)",
                           entity=kr.id, field="dropped"))
    if kr.direction == "maintain":
        if kr.bound == "band":
            if kr.low is None or kr.high is None:
                out.append(Problem(f"key result {kr.id}: a 'band' needs both low and high",
                                   entity=kr.id, field="low" if kr.low is None else "high"))
            elif kr.low > kr.high:
                out.append(Problem(f"key result {kr.id}: low {_fmt(kr.low)} is above high {_fmt(kr.high)}",
                                   entity=kr.id, field="low"))
        elif kr.target is None:
            out.append(Problem(f"key result {kr.id}: to maintain a level, give the target threshold "
                               "and bound at_least, at_most, above or below", entity=kr.id, field="target"))
    if kr.score_override is not None and not (kr.score_reason or "").strip():
        out.append(Problem(f"key result {kr.id}: a score override needs a reason (score_reason)",
                           entity=kr.id, field="score_reason"))
    if kr.deadline and period and not period.contains(kr.deadline):
        out.append(Problem(f"key result {kr.id}: deadline {kr.deadline} is outside its period {period.name} "
                           f"({period.start} to {period.end})", entity=kr.id, field="deadline"))
    return out


def _check_money(g: SmartGoal | Initiative, what: str) -> list[Problem]:
    """Budget, currency and spend: nothing negative, a currency written as its ISO 4217 code."""
    out = []
    if g.budget is not None and g.budget < 0:
        out.append(Problem(f"{what} {g.id}: budget {_fmt(g.budget)} is negative", entity=g.id, field="budget"))
    if g.currency is not None and not (len(g.currency) == 3 and g.currency.isascii() and g.currency.isupper()):
        out.append(Problem(f"{what} {g.id}: currency '{g.currency}' is not a three-letter ISO 4217 code such as "
                           "GBP, EUR or USD", entity=g.id, field="currency"))
    for s in g.spend:
        if s.amount < 0:
            out.append(Problem(f"{what} {g.id}: spend of {s.date} is negative ({_fmt(s.amount)})", entity=g.id,
                               field="spend"))
    if g.spend and g.budget is None:
        out.append(Problem(f"{what} {g.id}: spend is recorded but there is no budget to spend it against",
                           entity=g.id, field="budget", severity="warning"))
    return out


def _check_goal(g: SmartGoal) -> list[Problem]:
    w = "goal"
    out = [p for p in (
        _one_of(g.direction, DIRECTIONS, g.id, "direction", w),
        _one_of(g.level, LEVELS, g.id, "level", w),
        _one_of(g.indicator, INDICATORS, g.id, "indicator", w),
        _one_of(g.approval, APPROVALS, g.id, "approval", w),
        _in_range(g.confidence, 0, 10, g.id, "confidence", w),
        _in_range(g.score_override, 0, 1, g.id, "score_override", w),
    ) if p]
    if g.weight is not None and g.weight <= 0:
        out.append(Problem(f"goal {g.id}: weight {_fmt(g.weight)} must be above 0", entity=g.id, field="weight"))
    if not (g.statement or "").strip():
        out.append(Problem(f"goal {g.id}: the statement is empty", entity=g.id, field="statement"))
    out += _check_money(g, w)
    out += _check_movement(g, w)
    if g.score_override is not None and not (g.score_reason or "").strip():
        out.append(Problem(f"goal {g.id}: a score override needs a reason (score_reason)",
                           entity=g.id, field="score_reason"))
    if g.deadline and g.period and not g.period.contains(g.deadline):
        out.append(Problem(f"goal {g.id}: deadline {g.deadline} is outside its period {g.period.name} "
                           f"({g.period.start} to {g.period.end})", entity=g.id, field="deadline"))
    return out


def link_problems(lk: Link, n: int, ids: Container[str]) -> list[Problem]:
    """Everything wrong with link number ``n`` given the goal ``ids`` there are: the one rule of what
    a valid link is, for :meth:`Goalbook.validate` and the alignment graph alike. A weight must be a
    number above 0 (``None`` counts as 1; NaN is not above 0)."""
    out = []
    for end, name in ((lk.source, "source"), (lk.target, "target")):
        if end not in ids and not (name == "target" and is_external(end)):  # FILE#ID: another goalbook's
            out.append(Problem(f"link {lk.source} → {lk.target}: '{end}' does not exist"
                               f"{did_you_mean(str(end), list(ids))}", entity=lk.source, field=f"link.{name}",
                               path=("links", n)))
    if lk.source == lk.target:
        out.append(Problem(f"link {lk.source} → {lk.target}: a goal cannot support itself",
                           entity=lk.source, field="link.target", path=("links", n)))
    if lk.kind not in LINK_KINDS:
        out.append(Problem(f"link {lk.source} → {lk.target}: kind '{lk.kind}' is not one of "
                           f"{', '.join(LINK_KINDS)}{did_you_mean(str(lk.kind), LINK_KINDS)}",
                           entity=lk.source, field="link.kind", path=("links", n)))
    w = lk.weight
    if w is not None and not (isinstance(w, int | float) and w > 0):
        what = f"{_fmt(w)} must be above 0" if isinstance(w, int | float) else f"{w!r} must be a number above 0"
        out.append(Problem(f"link {lk.source} → {lk.target}: weight {what}",
                           entity=lk.source, field="link.weight", path=("links", n)))
    return out


@dataclass
class Goalbook:
    """Everything one organisation has set for itself: objectives, goals, KPIs, initiatives,
    the links between them, check-ins and comments.

    Ids are unique across all kinds. ``validate()`` reports broken references and impossible
    values; loaders call it and refuse a goalbook with errors.
    """

    organisation: str = ""
    fiscal_year_start: int = 1
    objectives: list[Objective] = field(default_factory=list)
    smart_goals: list[SmartGoal] = field(default_factory=list)
    kpis: list[KPI] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    approvers: Approvers = field(default_factory=Approvers)
    approvals: list[ApprovalEvent] = field(default_factory=list)  # the approval flow's history, oldest first
    sources: list[str] = field(default_factory=list, compare=False)  # files it was loaded from
    # where each entity was written: id -> (file, 1-based line); filled by loaders, used by findings
    locations: dict[str, tuple[str, int]] = field(default_factory=dict, repr=False, compare=False)

    # --- look-up -------------------------------------------------------------------------------
    def __post_init__(self) -> None:
        self._index: dict[str, Goal] | None = None

    def reindex(self) -> None:
        """Forget the id index; call after changing the lists by hand."""
        self._index = None

    def _ids(self) -> dict[str, Goal]:
        if self._index is None:
            idx: dict[str, Goal] = {}
            for g in self.iter_goals():
                idx.setdefault(g.id, g)
            self._index = idx
        return self._index

    def iter_goals(self) -> Iterator[Goal]:
        """Every entity with an id: objectives, their key results, goals, KPIs, initiatives."""
        for o in self.objectives:
            yield o
            yield from o.key_results
        yield from self.smart_goals
        yield from self.kpis
        yield from self.initiatives

    @property
    def key_results(self) -> list[KeyResult]:
        return [kr for o in self.objectives for kr in o.key_results]

    def get(self, id: str) -> Goal:
        """The entity with this id; ``KeyError`` naming the closest id when there is none."""
        try:
            return self._ids()[id]
        except KeyError:
            raise KeyError(f"no goal with id '{id}'{did_you_mean(id, list(self._ids()))}") from None

    def __contains__(self, id: object) -> bool:
        return id in self._ids()

    def objective_of(self, kr: KeyResult | str) -> Objective | None:
        """The objective a key result belongs to."""
        kr = self.get(kr) if isinstance(kr, str) else kr
        oid = getattr(kr, "objective_id", None)
        return self.get(oid) if oid and oid in self else None  # type: ignore[return-value]

    def check_ins_for(self, id: str) -> list[CheckIn]:
        """Check-ins on one entity, oldest first."""
        return sorted((c for c in self.check_ins if c.target_id == id), key=lambda c: c.date)

    def links_from(self, id: str) -> list[Link]:
        return [lk for lk in self.links if lk.source == id]

    def links_to(self, id: str) -> list[Link]:
        return [lk for lk in self.links if lk.target == id]

    # --- integrity -----------------------------------------------------------------------------
    def validate(self) -> list[Problem]:
        """Every problem that makes this goalbook unusable (errors) or suspicious (warnings)."""
        out: list[Problem] = []
        if not 1 <= int(self.fiscal_year_start or 0) <= 12:
            out.append(Problem(f"fiscal_year_start {self.fiscal_year_start!r} must be a month 1-12",
                               field="fiscal_year_start"))
        seen: dict[str, str] = {}
        for g in self.iter_goals():
            gid = getattr(g, "id", None)
            if not gid or not str(gid).strip():
                out.append(Problem(f"{kind_with_article(g.kind)} has no id", field="id"))
                continue
            if gid in seen:
                out.append(Problem(f"id '{gid}' is used twice ({seen[gid]} and {kind_with_article(g.kind)}) "
                                   "— every id must be unique", entity=gid, field="id"))
            else:
                seen[gid] = kind_with_article(g.kind)
        for o in self.objectives:
            out += [p for p in (_one_of(o.level, LEVELS, o.id, "level", "objective"),
                                _one_of(o.driver, DRIVERS, o.id, "driver", "objective"),
                                _one_of(o.approval, APPROVALS, o.id, "approval", "objective"),
                                _in_range(o.score_override, 0, 1, o.id, "score_override", "objective")) if p]
            if not (o.title or "").strip():
                out.append(Problem(f"objective {o.id}: the title is empty", entity=o.id, field="title"))
            if o.score_override is not None and not (o.score_reason or "").strip():
                out.append(Problem(f"objective {o.id}: a score override needs a reason (score_reason)",
                                   entity=o.id, field="score_reason"))
            for kr in o.key_results:
                out += _check_key_result(kr, o.period)
        for g in self.smart_goals:
            out += _check_goal(g)
        for k in self.kpis:
            out += [p for p in (_one_of(k.direction, ("increase", "decrease"), k.id, "direction", "KPI"),
                                _one_of(k.frequency, FREQUENCIES, k.id, "frequency", "KPI"),
                                _one_of(k.indicator, INDICATORS, k.id, "indicator", "KPI")) if p]
            if k.green is not None and k.amber is not None:
                bad = k.green < k.amber if k.direction == "increase" else k.green > k.amber
                if bad:
                    out.append(Problem(f"KPI {k.id}: green threshold {_fmt(k.green)} is on the wrong side of amber "
                                       f"{_fmt(k.amber)} for direction {k.direction}", entity=k.id, field="green"))
        for i in self.initiatives:
            out += [p for p in (_one_of(i.status, INITIATIVE_STATUSES, i.id, "status", "initiative"),
                                _in_range(i.progress, 0, 1, i.id, "progress", "initiative")) if p]
            out += [p for p in (_in_range(getattr(i, f), 1, 10, i.id, f, "initiative")
                                for f in ("impact", "confidence", "ease")) if p]
            out += _check_money(i, "initiative")
            if i.start and i.end and i.end < i.start:
                out.append(Problem(f"initiative {i.id}: ends ({i.end}) before it starts ({i.start})",
                                   entity=i.id, field="end"))
        objectives = {o.id for o in self.objectives}
        for o in self.objectives:
            for kr in o.key_results:
                other = kr.shared_with
                if other is None or is_external(other):
                    continue
                if other not in objectives or other == o.id:
                    why = "is its own objective" if other == o.id else "is not an objective here"
                    out.append(Problem(f"key result {kr.id}: shared_with '{other}' {why} — name another team's "
                                       f"objective{did_you_mean(str(other), sorted(objectives - {o.id}))}, or one "
                                       "in another goalbook as FILE#ID", entity=kr.id, field="shared_with"))
        for n, lk in enumerate(self.links):
            out += link_problems(lk, n, seen)
        for n, c in enumerate(self.check_ins):
            if c.target_id not in seen:
                out.append(Problem(f"check-in of {c.date}: '{c.target_id}' does not exist"
                                   f"{did_you_mean(str(c.target_id), list(seen))}", entity=c.target_id,
                                   field="check_in", path=("check_ins", n)))
            p = _in_range(c.confidence, 0, 10, c.target_id, "confidence", f"check-in of {c.date} on")
            if p:
                out.append(Problem(p.message, entity=c.target_id, field="confidence", path=("check_ins", n)))
            p = _one_of(c.status, CHECKIN_STATUSES, c.target_id, "status", f"check-in of {c.date} on")
            if p:
                out.append(Problem(p.message, entity=c.target_id, field="status", path=("check_ins", n)))
        comment_ids: set[str] = set()
        for n, c in enumerate(self.comments):
            if c.target_id not in seen:
                out.append(Problem(f"comment: '{c.target_id}' does not exist", entity=c.target_id,
                                   field="comment", path=("comments", n)))
            if c.reply_to is not None and c.reply_to not in comment_ids:
                out.append(Problem(f"comment on {c.target_id}: it replies to '{c.reply_to}', which is not an earlier "
                                   "comment's id", entity=c.target_id, field="reply_to", path=("comments", n)))
            if c.id is not None:
                if c.id in comment_ids:
                    out.append(Problem(f"comment id '{c.id}' is used twice", entity=c.target_id, field="id",
                                       path=("comments", n)))
                comment_ids.add(c.id)
        for n, a in enumerate(self.approvals):
            if a.target_id not in seen:
                out.append(Problem(f"approval step: '{a.target_id}' does not exist", entity=a.target_id,
                                   field="approval", path=("approvals", n)))
            p = _one_of(a.state, APPROVALS, a.target_id, "state", "approval step on")
            if p:
                out.append(Problem(p.message, entity=a.target_id, field="state", path=("approvals", n)))
        for where, table in (("level", self.approvers.levels), ("team", self.approvers.teams)):
            for key, people in table.items():
                if where == "level" and key not in LEVELS:
                    out.append(Problem(f"approvers: level '{key}' is not one of {', '.join(LEVELS)}"
                                       f"{did_you_mean(str(key), LEVELS)}", field="approvers"))
                if not people:
                    out.append(Problem(f"approvers of {where} {key}: nobody is named", field="approvers"))
        return out

    def errors(self) -> list[Problem]:
        """Only the problems of severity ``error``."""
        return [p for p in self.validate() if p.severity == "error"]

    # --- files and tables: the stable public surface, carried out by the layers above (see FILES) ---
    @classmethod
    def load(cls, path: Any, **kwargs: Any) -> Goalbook:
        """Read a goalbook from a YAML file, a folder of YAML files or a list of files."""
        return FILES.load(path, **kwargs)

    def save(self, path: Any = None, **kwargs: Any) -> None:
        """Write atomically to ``path`` (or back to the files it came from), keeping comments.

        Back to the files it was loaded from, goals someone else changed there meanwhile are kept
        (and taken in); a goal changed both there and here is not overwritten: ``ConflictError``
        names it and nothing is written (see :mod:`goalbook.workspace`)."""
        FILES.save(self, path, **kwargs)

    def to_frame(self, kind: str) -> Any:
        """A pandas DataFrame of one kind: objectives, key_results, smart_goals, kpis, initiatives,
        links, check_ins, kpi_values or comments."""
        return FILES.to_frame(self, kind)


class Files(Protocol):
    """What carries out ``Goalbook.load``, ``.save`` and ``.to_frame``. The model reads and writes
    nothing itself (it imports no I/O); ``goalbook/__init__.py`` sets :data:`FILES` to the
    implementation in ``goalbook.workspace`` and ``goalbook.io``."""

    def load(self, path: Any, **kwargs: Any) -> Goalbook: ...
    def save(self, book: Goalbook, path: Any = None, **kwargs: Any) -> None: ...
    def to_frame(self, book: Goalbook, kind: str) -> Any: ...


FILES: Files = None  # type: ignore[assignment]  # set on `import goalbook`, which runs before this module
