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
from goalbook.lint.findings import RULES, Finding, quote
from goalbook.lint.tasks import read_task
from goalbook.model import KPI, Goal, KeyResult, Objective, SmartGoal


def make(code: str, g: Goal | None, message: str, suggestion: str = "", field: str | None = None,
         severity: str | None = None) -> Finding:
    """A finding of rule ``code`` about ``g``, at the rule's default severity unless given."""
    return Finding(code, severity or RULES[code].severity, message, suggestion, g.id if g is not None else None,
                   field)


def _ids(items: list[str], n: int = 6) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


# --- GB201 key results per objective ---------------------------------------------------------------------------
def check_key_result_count(ix: BookIndex) -> Iterator[Finding]:
    """2-5 key results per objective: fewer cannot show the objective is met, more dilute focus."""
    low, high = ix.config.min_key_results, ix.config.max_key_results
    for o in ix.book.objectives:
        n = len(o.key_results)
        if n > high:
            yield make("GB201", o, f"Objective {o.id} has {n} key results; more than {high} spreads the "
                                   "team's attention thin.",
                       f"Keep the {min(3, high)}-{high} that best show the objective is met; move the rest to KPIs "
                       "or to a team's goals.", "key_results")
        elif n < low and o.driver != "children":
            has = "no key results" if n == 0 else "only one key result" if n == 1 else f"only {n} key results"
            yield make("GB201", o, f"Objective {o.id} has {has}; it takes {low} or more measurable results "
                                   "to show an objective is met.",
                       f"Add key results until {low}-{high} measurable outcomes together say the objective is met "
                       "(or set driver: children if other goals drive it).", "key_results")


# --- GB202 goals per owner -------------------------------------------------------------------------------------
def check_owner_load(ix: BookIndex) -> Iterator[Finding]:
    """Too many goals for one person in one period means some will be neglected.

    Only what a person owns counts: an objective, a key result they own under someone else's
    objective (one under their own objective is part of it), a SMART goal. A key result with no
    owner counts for nobody (GB205 reports it).
    """
    held: dict[tuple[str, str], list[Goal]] = defaultdict(list)
    for o in ix.book.objectives:
        period = o.period.name if o.period else ""
        if o.owner:
            held[(o.owner, period)].append(o)
        for kr in o.key_results:
            if kr.owner and kr.owner != o.owner:
                held[(kr.owner, period)].append(kr)
    for sg in ix.book.smart_goals:
        if sg.owner:
            held[(sg.owner, sg.period.name if sg.period else "")].append(sg)
    most = ix.config.max_goals_per_owner
    for (owner, period), goals in held.items():
        if len(goals) > most:
            when = f" in {period}" if period else " with no period"
            yield make("GB202", goals[most],
                       f"Owner {owner} holds {len(goals)} goals{when} ({_ids([g.id for g in goals])}); more than "
                       f"{most} is more than one person can drive.",
                       "Hand some to colleagues, merge the ones that move the same number, or drop the least "
                       "important.", "owner")


# --- GB203 tasks posing as key results, GB217 objectives with only outputs -------------------------------------
def check_task_key_results(ix: BookIndex) -> Iterator[Finding]:
    """A key result is an outcome that changes, not a thing the team does (read from its whole
    statement by :func:`goalbook.lint.tasks.task_verb`); an objective whose key results are all
    tasks or outputs has no outcome at all."""
    for o in ix.book.objectives:
        tasks = []
        for kr in o.key_results:
            reading = read_task(kr.title)
            if reading is None:
                continue
            tasks.append(kr.id)
            why = f"“{reading.words}”: a feature delivered" if reading.verb.startswith("a ") else f"“{reading.words}”"
            yield make("GB203", kr,
                       f"Key result {kr.id}, {quote(kr.title)}, reads as a task or output ({why}), not an outcome.",
                       f"Make it an initiative that supports {o.id}, and make the key result the change the "
                       "work should cause: which number moves, from what to what.", "title")
        if tasks and len(tasks) == len(o.key_results):
            yield make("GB217", o,
                       f"Objective {o.id}, {quote(o.title)}, has only tasks and outputs as key results "
                       f"({_ids(tasks)}): nothing says what should change once they are done.",
                       "Add a key result that measures the outcome (who behaves differently, which number "
                       "moves), and keep the work as initiatives that support it.", "key_results")


# --- GB218 objectives per period, GB219 KPIs per team ----------------------------------------------------------
def check_focus(ix: BookIndex) -> Iterator[Finding]:
    """A few objectives a period, for the company and for each team, and a few KPIs a team: the
    guides advise one to three priorities and three to five KPIs; more and none gets attention."""
    company: dict[str, list[Objective]] = defaultdict(list)
    team: dict[tuple[str, str], list[Objective]] = defaultdict(list)
    for o in ix.book.objectives:
        period = o.period.name if o.period else ""
        if o.level == "company":
            company[period].append(o)
        elif o.level in ("team", "department") and (o.team or o.owner):
            team[(o.team or o.owner or "", period)].append(o)
    cfg = ix.config
    for period, objs in company.items():
        if len(objs) > cfg.max_company_objectives:
            yield _too_many(objs, cfg.max_company_objectives, "The company", period)
    for (name, period), objs in team.items():
        if len(objs) > cfg.max_team_objectives:
            yield _too_many(objs, cfg.max_team_objectives, f"Team {name}", period)
    kpis: dict[str, list[KPI]] = defaultdict(list)
    for k in ix.book.kpis:
        if k.team:
            kpis[k.team].append(k)
    for name, ks in kpis.items():
        if len(ks) > cfg.max_team_kpis:
            yield make("GB219", ks[cfg.max_team_kpis],
                       f"Team {name} watches {len(ks)} KPIs ({_ids([k.id for k in ks])}); more than "
                       f"{cfg.max_team_kpis} and none of them gets attention.",
                       f"Keep the {min(3, cfg.max_team_kpis)}-{cfg.max_team_kpis} that best show the team's health; "
                       "drop the rest or hand them to the team that acts on them.", "team")


def _too_many(objs: list[Objective], most: int, who: str, period: str) -> Finding:
    when = f" in {period}" if period else " with no period"
    return make("GB218", objs[most],
                f"{who} has {len(objs)} objectives{when} ({_ids([o.id for o in objs])}); more than {most} "
                "splits attention, and the guides advise one to three priorities a period.",
                f"Keep the {most} that matter most this period; make the others team objectives, KPIs or "
                "next period's work.", "period")


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
            yield make("GB216", o, f"Objective {o.id}, {quote(o.title)}, carries its numbers in the title.",
                       "Say the aim in words and move the number into a key result.", "title")
