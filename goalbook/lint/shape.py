"""Rules about the shape of a goal set: how many key results, how many goals per owner, tasks posing
as key results, missing baselines, owners and deadlines, indicators, periods, KPI thresholds.

Each ``check_*`` takes a :class:`~goalbook.lint.context.BookIndex` and yields findings without a
location (``lint_book`` adds file and line). None of them needs the SMART validator; where its
report is at hand (``ix.reports``) a fact found in the statement's words counts too, so a goal
that says "from 38% to 60%" is not told it has no baseline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from goalbook.lint.context import BookIndex
from goalbook.lint.findings import RULES, Finding
from goalbook.model import Goal, KeyResult, SmartGoal

MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5
MAX_GOALS_PER_OWNER = 5


def make(code: str, g: Goal | None, message: str, suggestion: str = "", field: str | None = None,
         severity: str | None = None) -> Finding:
    """A finding of rule ``code`` about ``g``, at the rule's default severity unless given."""
    return Finding(code, severity or RULES[code].severity, message, suggestion, g.id if g is not None else None,
                   field)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _ids(items: list[str], n: int = 6) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


# --- GB201 key results per objective ---------------------------------------------------------------------------
def check_key_result_count(ix: BookIndex) -> Iterator[Finding]:
    """2-5 key results per objective: fewer cannot show the objective is met, more dilute focus."""
    for o in ix.book.objectives:
        n = len(o.key_results)
        if n > MAX_KEY_RESULTS:
            yield make("GB201", o, f"objective {o.id} has {n} key results; more than {MAX_KEY_RESULTS} spreads the "
                                   "team's attention thin",
                       "Keep the 3-5 that best show the objective is met; move the rest to KPIs or to a "
                       "team's goals", "key_results")
        elif n < MIN_KEY_RESULTS and o.driver != "children":
            has = "no key results" if n == 0 else "only one key result"
            yield make("GB201", o, f"objective {o.id} has {has}; one number rarely shows an objective is met",
                       "Add key results until 2-5 measurable outcomes together say the objective is met "
                       "(or set driver: children if other goals drive it)", "key_results")


# --- GB202 goals per owner -------------------------------------------------------------------------------------
def check_owner_load(ix: BookIndex) -> Iterator[Finding]:
    """More than five goals for one person in one period means some will be neglected."""
    held: dict[tuple[str, str], list[Goal]] = defaultdict(list)
    for o in ix.book.objectives:
        for g in (o, *o.key_results):
            owner = ix.owner_of(g)
            if owner:
                p = ix.period_of(g)
                held[(owner, p.name if p else "")].append(g)
    for sg in ix.book.smart_goals:
        if sg.owner:
            held[(sg.owner, sg.period.name if sg.period else "")].append(sg)
    for (owner, period), goals in held.items():
        if len(goals) > MAX_GOALS_PER_OWNER:
            when = f" in {period}" if period else " with no period"
            first_extra = goals[MAX_GOALS_PER_OWNER]
            yield make("GB202", first_extra,
                       f"{owner} owns {len(goals)} goals{when} ({_ids([g.id for g in goals])}); more than "
                       f"{MAX_GOALS_PER_OWNER} is more than one person can drive",
                       "Hand some to colleagues, merge the ones that move the same number, or drop the least "
                       "important", "owner")


# --- GB203 tasks posing as key results -------------------------------------------------------------------------
_TASK_VERBS = (
    "launch", "implement", "migrate", "build", "ship", "roll out", "rollout", "create", "hire", "deploy", "develop",
    "release", "design", "redesign", "rebuild", "write", "deliver", "set up", "install", "introduce", "integrate",
    "upgrade", "replace", "document", "draft", "publish", "complete", "finish", "organise", "organize", "conduct",
    "kick off", "establish", "prepare", "define", "start", "begin", "move to", "switch to", "adopt", "automate",
    "refactor", "train",
)
_IRREGULAR = {"build": ("built",), "ship": ("shipped", "shipping"), "begin": ("began", "begun", "beginning"),
              "write": ("wrote", "written"), "set up": ("setting up",), "kick off": ("kicked off", "kicking off")}


def _forms(verb: str) -> set[str]:
    head, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    stem = head[:-1] if head.endswith("e") else head
    out = {verb, f"{head}s{tail}", f"{stem}ed{tail}", f"{stem}ing{tail}"}
    out.update(_IRREGULAR.get(verb, ()))
    return out


_TASK_FORMS = {form: verb for verb in _TASK_VERBS for form in _forms(verb)}
_TASK = re.compile(r"^(?:(?:successfully|fully|first)\s+)?(" + "|".join(sorted(map(re.escape, _TASK_FORMS), key=len,
                                                                              reverse=True)) + r")\b", re.I)
_PREFIX = re.compile(r"^\s*(?:(?:kr|key result|o|objective|goal)\s*\d*[.:)]\s*|@\S+\s*[-–—:]\s*|"
                     r"[A-Za-z][\w&/-]*(?:\s+[\w&/-]+){0,3}:\s+)", re.I)
_CHANGE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|~)?[$€£]?\d[\d.,]*.*?\bto\s+(?:about\s+)?[$€£]?\d|"
                     r"\b(?:up|down)\s+from\s+[$€£]?\d", re.I)


def task_verb(title: str) -> str | None:
    """The task verb a key result title starts with ("launch", "roll out" ...), or ``None``.

    A title that also states a change from a number to a number ("Build pipeline from €1M to
    €2M") is an outcome in a task's words, and not flagged.
    """
    text = _PREFIX.sub("", title or "", count=1).strip()
    m = _TASK.match(text)
    if not m or _CHANGE.search(text):
        return None
    return _TASK_FORMS.get(m.group(1).lower(), m.group(1).lower())


def check_task_key_results(ix: BookIndex) -> Iterator[Finding]:
    """A key result is an outcome that changes, not a thing the team does."""
    for o in ix.book.objectives:
        for kr in o.key_results:
            verb = task_verb(kr.title)
            if verb:
                yield make("GB203", kr,
                           f"key result {kr.id} '{_short(kr.title)}' is a task or output ('{verb}'), not an outcome",
                           f"Make it an initiative that supports {o.id}, and make the key result the change the "
                           "work should cause (which number moves, from what to what)", "title")


# --- GB204-206 missing baseline, owner, deadline ---------------------------------------------------------------
def _report(ix: BookIndex, g: Goal) -> object | None:
    return ix.reports.get(g.id)


def _status(report: object | None, criterion: str) -> str | None:
    crit = getattr(report, criterion, None)
    return getattr(crit, "status", None)


def _moves(ix: BookIndex, g: KeyResult | SmartGoal) -> bool:
    """True when the goal moves a number up or down (so where it starts matters)."""
    direction = g.direction
    if direction is None:
        direction = getattr(_report(ix, g), "direction", None)
        if direction in (None, "none"):
            return g.target is not None
    return direction in ("increase", "decrease")


def check_missing_fields(ix: BookIndex) -> Iterator[Finding]:
    """Baseline, owner and deadline: without them a goal cannot be scored, chased or closed."""
    for o in ix.book.objectives:
        if not o.owner:
            yield make("GB205", o, f"objective {o.id} has no owner", "Name the one person accountable (owner:)",
                       "owner")
        if o.period is None:
            yield make("GB206", o, f"objective {o.id} has no period, so it never ends",
                       "Set the period it is for (period: 2027-Q1)", "period")
        for kr in o.key_results:
            yield from _missing_on_goal(ix, kr)
    for g in ix.book.smart_goals:
        yield from _missing_on_goal(ix, g)
    for k in ix.book.kpis:
        if not k.owner:
            yield make("GB205", k, f"KPI {k.id} has no owner, so nobody acts when it turns red",
                       "Name who watches it (owner:)", "owner")
    for i in ix.book.initiatives:
        if i.status == "candidate":
            continue  # an idea has no owner or dates yet, and need not
        if not i.owner:
            yield make("GB205", i, f"initiative {i.id} is {i.status} but has no owner", "Name who leads it (owner:)",
                       "owner")
        if i.end is None:
            yield make("GB206", i, f"initiative {i.id} is {i.status} but has no end date",
                       "Say when it should be finished (end:)", "end")


def _missing_on_goal(ix: BookIndex, g: KeyResult | SmartGoal) -> Iterator[Finding]:
    what = ix.what(g)
    report = _report(ix, g)
    if (g.baseline is None and getattr(report, "baseline", None) is None and _moves(ix, g)
            and getattr(g, "direction", None) not in ("maintain", "milestone")):
        yield make("GB204", g, f"{what} does not say where it starts (no baseline)",
                   "Add the current value (baseline:), or say it in the words: 'from 38% to 60%'", "baseline")
    if not ix.owner_of(g) and _status(report, "owner") != "pass":
        where = " (nor has its objective)" if isinstance(g, KeyResult) else ""
        yield make("GB205", g, f"{what} has no owner{where}", "Name the one person accountable (owner:)", "owner")
    if ix.due(g) is None and getattr(report, "deadline", None) is None and _status(report, "time_bound") != "pass":
        hint = "or give its objective a period" if isinstance(g, KeyResult) else "or a period (period: 2027-Q1)"
        yield make("GB206", g, f"{what} has no deadline", f"Set a deadline (deadline: 2027-03-31) {hint}", "deadline")


# --- GB207 leading indicators ----------------------------------------------------------------------------------
def check_leading_indicators(ix: BookIndex) -> Iterator[Finding]:
    """Lagging results only say afterwards whether the quarter went well; a leading one warns in time."""
    for o in ix.book.objectives:
        krs = o.key_results
        if krs and all(kr.indicator == "lagging" for kr in krs):
            yield make("GB207", o, f"objective {o.id}: all {len(krs)} key results are lagging indicators, so "
                                   "nothing shows early whether it is on course",
                       "Add or turn one key result into a leading indicator: an input the team controls that "
                       "moves weeks before the outcome", "key_results")


# --- GB210 deadlines and periods -------------------------------------------------------------------------------
def check_periods(ix: BookIndex) -> Iterator[Finding]:
    """A deadline inside the goal's own period, and not after the period of what it serves."""
    for o in ix.book.objectives:
        for kr in o.key_results:
            if kr.deadline and o.period and not o.period.contains(kr.deadline):
                yield make("GB210", kr, f"key result {kr.id} is due {kr.deadline}, outside its objective's period "
                                        f"{o.period.name} ({o.period.start} to {o.period.end})",
                           f"Move the deadline into {o.period.name}, or move the key result to an objective "
                           "for the right period", "deadline")
    for g in ix.book.smart_goals:
        if g.deadline and g.period and not g.period.contains(g.deadline):
            yield make("GB210", g, f"goal {g.id} is due {g.deadline}, outside its period {g.period.name} "
                                   f"({g.period.start} to {g.period.end})",
                       "Move the deadline into the period, or set the period it really belongs to", "deadline")
    for source_id, links in ix.links_from.items():
        g = ix.goals.get(source_id)
        if g is None:
            continue
        due = ix.due(g)
        if due is None:
            continue
        late = []
        for lk in links:
            parent = ix.goals.get(lk.target)
            p = ix.period_of(parent) if parent is not None else None
            if p is not None and due > p.end:
                late.append((parent, p))
        if late:
            parent, p = late[0]
            field = "end" if g.kind == "initiative" else "period" if g.kind == "objective" else "deadline"
            yield make("GB210", g, f"{ix.what(g)} is due {due}, after {ix.what(parent)}'s period {p.name} ends "
                                   f"({p.end}): it cannot help that result when it is scored",
                       f"Bring it forward into {p.name}, or link it to a goal of the period it finishes in",
                       field, "warning")


# --- GB211 KPI thresholds --------------------------------------------------------------------------------------
def check_kpi_thresholds(ix: BookIndex) -> Iterator[Finding]:
    """A KPI is watched against thresholds; without them it never signals anything."""
    for k in ix.book.kpis:
        if k.green is None and k.amber is None:
            if k.target is None:
                msg = f"KPI {k.id} has no target and no thresholds, so it can never be green, amber or red"
            else:
                msg = (f"KPI {k.id} has no green/amber thresholds: only the target {k.target:g} separates green "
                       "from red, with no early warning")
            better = "at or above" if k.direction == "increase" else "at or below"
            yield make("GB211", k, msg, f"Set green: (healthy, {better}) and amber: (act now) levels", "green")


# --- GB216 numbers in objectives -------------------------------------------------------------------------------
_QUANTIFIED = re.compile(r"\d[\d.,]*\s*%|[$€£]\s?\d|\b\d[\d.,]*\s?(?:k|m|bn|million|billion)\b|"
                         r"\bfrom\s+[$€£]?\d[\d.,]*\S*\s+to\s+[$€£]?\d", re.I)


def check_quantified_objectives(ix: BookIndex) -> Iterator[Finding]:
    """Objectives say where to go and why; the numbers belong to their key results."""
    for o in ix.book.objectives:
        if _QUANTIFIED.search(o.title or ""):
            yield make("GB216", o, f"objective {o.id} '{_short(o.title)}' carries its numbers in the title",
                       "Say the aim in words and move the number into a key result", "title")
