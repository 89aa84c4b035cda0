"""A synthetic organisation of any size, for benchmarks and scale tests.

``generate_org(people)`` builds a believable goal hierarchy: company objectives and key results,
departments (about one per 500 people) and teams (about one per 8 people) with their own
objectives cascading from the level above, team SMART goals, personal objectives for part of the
staff, KPIs, initiatives, the links between them and weekly check-ins. The same seed always gives
the same goalbook. At 10,000 people it holds about 40,000 goals and 60,000 links.

Links always point from a lower level to a higher one (person → team → department → company,
initiative → goal), so the alignment graph has no cycles by construction.

Run ``python -m benchmarks.synthetic --people 10000 --out org.yaml`` to write one to a file.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from goalbook.io import to_data
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period


@dataclass(frozen=True, slots=True)
class _Metric:
    """A kind of number a goal can move: where it usually starts and how far it can go in a quarter."""

    name: str
    unit: str
    direction: str  # which way is good: increase | decrease
    low: float  # range of plausible baselines
    high: float
    step: float  # largest relative change in a quarter (0.3 = 30%)
    decimals: int = 0
    share: bool = False  # a percentage of a whole: never above 100


_METRICS = (
    _Metric("customer NPS", "points", "increase", 15, 50, 0.35),
    _Metric("monthly churn", "%", "decrease", 1.5, 6, 0.35, 1, True),
    _Metric("p95 API latency", "ms", "decrease", 250, 900, 0.45),
    _Metric("weekly active users", "users", "increase", 2000, 60000, 0.25),
    _Metric("deployments per week", "deploys", "increase", 3, 25, 0.6),
    _Metric("cost per qualified lead", "EUR", "decrease", 40, 140, 0.3),
    _Metric("median first response time", "h", "decrease", 3, 24, 0.5, 1),
    _Metric("on-time delivery", "%", "increase", 78, 94, 0.06, 1, True),
    _Metric("open defects", "defects", "decrease", 60, 400, 0.4),
    _Metric("trial-to-paid conversion", "%", "increase", 4, 18, 0.35, 1, True),
    _Metric("employee engagement score", "points", "increase", 58, 76, 0.1),
    _Metric("invoice processing time", "days", "decrease", 4, 16, 0.4, 1),
    _Metric("qualified pipeline", "kEUR", "increase", 400, 6000, 0.3),
    _Metric("automated test coverage", "%", "increase", 45, 80, 0.2, 0, True),
    _Metric("support tickets per 1,000 users", "tickets", "decrease", 8, 40, 0.3, 1),
    _Metric("gross margin", "%", "increase", 35, 62, 0.08, 1, True),
    _Metric("onboarding completion", "%", "increase", 40, 80, 0.3, 0, True),
    _Metric("time to hire", "days", "decrease", 30, 70, 0.3),
    _Metric("cloud cost", "kEUR/month", "decrease", 50, 400, 0.25),
    _Metric("first-contact resolution", "%", "increase", 55, 82, 0.15, 0, True),
)

_COMPANY_OBJECTIVES = (
    "Become the service our customers recommend first",
    "Grow revenue without growing cost at the same pace",
    "Ship reliable software every week",
    "Make this the best place to do our best work",
    "Win the mid-market in our three home countries",
    "Run the business on one set of trusted numbers",
)
_ASPIRATIONS = (
    "Make {x} effortless", "Earn trust through {x}", "Get {x} under control", "Lead the market on {x}",
    "Make {x} something we are proud of", "Turn {x} into a strength", "Fix the basics of {x}",
    "Double down on {x}",
)
_THEMES = (
    "onboarding", "reliability", "customer support", "pricing", "hiring", "delivery", "data quality",
    "security", "self-service", "partner sales", "renewals", "developer experience", "cost",
)
_DEPARTMENTS = (
    "Sales", "Marketing", "Engineering", "Product", "Customer Success", "Finance", "People", "Operations",
    "Data", "Legal", "Security", "Support", "Design", "Supply Chain", "Facilities", "Research",
    "Partnerships", "Quality", "IT", "Procurement",
)
_CODENAMES = (
    "Atlas", "Beacon", "Comet", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "Raven", "Summit", "Tidal",
    "Umber", "Vega", "Willow", "Zephyr",
)
_MILESTONES = (
    ("Launch the partner portal", ("scope agreed", "beta with 5 partners", "security review", "general release")),
    ("Move billing to the new platform", ("data mapped", "parallel run", "cut-over", "old system retired")),
    ("Open the Lisbon office", ("lease signed", "team hired", "office open")),
    ("Pass the ISO 27001 audit", ("gap analysis", "controls in place", "internal audit", "external audit passed")),
)
_INITIATIVES = (
    "Self-service {t} portal", "Automate {t} reporting", "Redesign the {t} flow", "{t} playbook",
    "Pilot an AI assistant for {t}", "Consolidate {t} tooling", "{t} training for every lead",
    "Instrument {t} end to end",
)
_WINS = (
    "Pilot results better than expected", "New dashboard live", "Quick win from the retro shipped",
    "Cross-team dependency cleared", "Two hires started", "Customer feedback strongly positive",
)
_BLOCKERS = (
    "Waiting on another team's API", "Key engineer on leave", "Budget approval pending",
    "Data source unreliable this week", "Vendor contract delayed", "Priorities changed mid-sprint",
)
_APPROVALS = ("approved", "approved", "approved", "in_review", "draft")
_INITIATIVE_STATUSES = ("candidate", "approved", "active", "active", "active", "done")

# Shares and counts that set the size of each level; tuned so 10,000 people give about 40,000
# goals and 60,000 links.
_PEOPLE_PER_TEAM = 8
_PEOPLE_PER_DEPARTMENT = 500
_PERSON_OBJECTIVE_SHARE = 0.6
_CHECKIN_SHARE = 0.9  # goals that get weekly check-ins when no total is asked for


class _Org:
    """Builds one organisation; holds the random source and the lists while they grow."""

    def __init__(self, people: int, rng: random.Random, period: Period, weeks: int) -> None:
        self.rng = rng
        self.period = period
        self.people = people
        self.weeks = weeks
        self.objectives: list[Objective] = []
        self.smart_goals: list[SmartGoal] = []
        self.kpis: list[KPI] = []
        self.initiatives: list[Initiative] = []
        # links by the kind of goal they start from, in the order a goalbook file lists them
        # (inline under objectives, goals, KPIs, initiatives; then key results' in `links`), so
        # that writing and reading back gives an equal goalbook
        self.links: dict[str, list[Link]] = {k: [] for k in ("objective", "smart_goal", "kpi", "initiative",
                                                             "key_result")}
        # (key result or goal, metric) for everything that gets check-ins, in creation order
        self.trackable: list[tuple[KeyResult | SmartGoal, _Metric | None]] = []
        self.width = len(str(people))
        span = min(period.days - 1, 7 * weeks)
        self.window = (period.start, period.start + timedelta(days=span))

    # --- small helpers -----------------------------------------------------------------------
    def person(self, n: int) -> str:
        return f"p{n:0{self.width}d}"

    def link_some(self, source: KeyResult | Objective | SmartGoal | KPI | Initiative, parents: list[str], most: int,
                  supports_share: float = 0.12) -> None:
        """Link ``source`` to between one and ``most`` distinct parents, mostly as 'contributes'."""
        if not parents:
            return
        r = self.rng
        out = self.links[source.kind]
        k = min(len(parents), 1 + sum(r.random() < 0.55 for _ in range(most - 1)))
        for target in r.sample(parents, k):
            kind = "supports" if r.random() < supports_share else "contributes"
            weight = 1.0 if r.random() < 0.85 else float(r.choice((0.5, 2.0)))
            out.append(Link(source.id, target, kind, weight))

    def numbers(self, m: _Metric) -> tuple[float, float]:
        """A baseline and a target that moves the right way by a plausible amount."""
        r = self.rng
        base = round(r.uniform(m.low, m.high), m.decimals)
        change = r.uniform(0.1, 1.0) * m.step * base
        target = base + change if m.direction == "increase" else base - change
        if m.share:
            target = min(target, 99.5 if m.decimals else 99)
        target = round(target, m.decimals)
        if target == base:  # rounding swallowed the change: move by one unit of the last decimal
            target = base + (1 if m.direction == "increase" else -1) * 10 ** -m.decimals
            target = round(target, m.decimals)
        return base, target

    def deadline(self, earliest: float = 0.4) -> date:
        p = self.period
        return p.start + timedelta(days=self.rng.randint(int(earliest * (p.days - 1)), p.days - 1))

    def key_result(self, oid: str, n: int, owner: str) -> KeyResult:
        r = self.rng
        kr_id = f"{oid}.KR{n}"
        roll = r.random()
        if roll < 0.05:
            title, steps = r.choice(_MILESTONES)
            done = r.randint(0, len(steps) - 1)
            kr = KeyResult(kr_id, title, "milestone", owner=owner, indicator="lagging",
                           checkpoints=[Checkpoint(s, i < done) for i, s in enumerate(steps)],
                           confidence=float(r.randint(4, 9)), deadline=self.deadline(0.6))
            self.trackable.append((kr, None))
            return kr
        m = r.choice(_METRICS)
        if roll < 0.12:
            base, _ = self.numbers(m)
            bound = "at_least" if m.direction == "increase" else "at_most"
            threshold = round(base * (0.95 if bound == "at_least" else 1.05), m.decimals)
            verb = "at least" if bound == "at_least" else "at most"
            kr = KeyResult(kr_id, f"Keep {m.name} {verb} {threshold:g} {m.unit}", "maintain", m.name, m.unit,
                           base, threshold, bound=bound, owner=owner, indicator="lagging",
                           confidence=float(r.randint(5, 9)))
            self.trackable.append((kr, m))
            return kr
        base, target = self.numbers(m)
        verb = "Raise" if m.direction == "increase" else "Cut"
        kr = KeyResult(kr_id, f"{verb} {m.name} from {base:g} to {target:g} {m.unit}", m.direction, m.name, m.unit,
                       base, target, weight=1.0 if r.random() < 0.8 else 2.0, owner=owner,
                       indicator="leading" if r.random() < 0.45 else "lagging",
                       confidence=float(r.randint(3, 9)),
                       deadline=self.period.end if r.random() < 0.3 else None)
        self.trackable.append((kr, m))
        return kr

    def objective(self, oid: str, title: str, level: str, owner: str, team: str | None, krs: tuple[int, int],
                  kr_owners: list[str]) -> Objective:
        n = self.rng.randint(*krs)
        o = Objective(oid, title, level, owner, team, self.period, approval=self.rng.choice(_APPROVALS),
                      key_results=[self.key_result(oid, i + 1, self.rng.choice(kr_owners)) for i in range(n)])
        self.objectives.append(o)
        return o

    def aspiration(self) -> str:
        return self.rng.choice(_ASPIRATIONS).format(x=self.rng.choice(_THEMES))

    # --- the levels ----------------------------------------------------------------------------
    def build(self) -> None:
        r = self.rng
        n_dept = max(1, round(self.people / _PEOPLE_PER_DEPARTMENT))
        n_team = max(n_dept, round(self.people / _PEOPLE_PER_TEAM))
        execs = ["ceo", "coo", "cfo", "cto", "cpo"]
        company = [self.objective(f"CO-{i + 1}", title, "company", execs[i % len(execs)], None, (3, 4), execs)
                   for i, title in enumerate(r.sample(_COMPANY_OBJECTIVES, r.randint(3, 5)))]
        company_krs = [kr.id for o in company for kr in o.key_results]

        dept_names = [_DEPARTMENTS[d % len(_DEPARTMENTS)] + (f" {d // len(_DEPARTMENTS) + 1}"
                                                              if d >= len(_DEPARTMENTS) else "")
                      for d in range(n_dept)]
        dept_krs: list[list[str]] = []
        for d, name in enumerate(dept_names):
            head = f"head-{d + 1}"
            krs: list[str] = []
            for k in range(r.randint(2, 3)):
                o = self.objective(f"D{d + 1}-O{k + 1}", f"{name}: {self.aspiration()}", "department", head, name,
                                   (2, 4), [head])
                self.link_some(o, company_krs, 2)
                for kr in o.key_results:
                    if r.random() < 0.7:
                        self.link_some(kr, company_krs, 2)
                    krs.append(kr.id)
            dept_krs.append(krs)

        for t in range(n_team):
            d = t * n_dept // n_team
            members = range(t * self.people // n_team, (t + 1) * self.people // n_team)
            self.team(t, dept_names[d], [self.person(p) for p in members] or [self.person(0)],
                      dept_krs[d], company_krs)

    def team(self, t: int, dept: str, members: list[str], dept_krs: list[str], company_krs: list[str]) -> None:
        r = self.rng
        name = f"{dept} {_CODENAMES[t % len(_CODENAMES)]} {t + 1}"
        key = f"T{t + 1}"
        lead = members[0]
        team_krs: list[str] = []
        for k in range(r.randint(1, 3)):
            o = self.objective(f"{key}-O{k + 1}", self.aspiration(), "team", lead, name, (2, 4), members)
            self.link_some(o, dept_krs, 2)
            for kr in o.key_results:
                if r.random() < 0.85:
                    self.link_some(kr, dept_krs + r.sample(company_krs, 1), 2)
                team_krs.append(kr.id)

        goals: list[str] = []
        for g in range(r.randint(2, 4)):
            goals.append(self.smart_goal(f"{key}-G{g + 1}", name, r.choice(members),
                                         team_krs, dept_krs, company_krs))

        for p in members:
            if r.random() < _PERSON_OBJECTIVE_SHARE:
                o = self.objective(f"{p.upper()}-O1", self.aspiration(), "person", p, name, (2, 3), [p])
                self.link_some(o, team_krs, 2)
                for kr in o.key_results:
                    if r.random() < 0.9:
                        self.link_some(kr, team_krs + goals, 2)

        for k in range(r.randint(1, 2)):
            self.kpi(f"KPI-{key}-{k + 1}", name, lead, team_krs + dept_krs)
        for k in range(r.randint(1, 3)):
            self.initiative(f"INI-{key}-{k + 1}", name, key, r.choice(members), team_krs + goals)

    def smart_goal(self, gid: str, team: str, owner: str, team_krs: list[str], dept_krs: list[str],
                   company_krs: list[str]) -> str:
        r = self.rng
        m = r.choice(_METRICS)
        base, target = self.numbers(m)
        deadline = self.deadline()
        verb = "Raise" if m.direction == "increase" else "Cut"
        unit = "" if m.unit == "%" else " "
        g = SmartGoal(gid, f"{verb} {m.name} from {base:g}{unit}{m.unit} to {target:g}{unit}{m.unit} "
                           f"by {deadline.isoformat()}",
                      team, owner, metric=m.name, unit=m.unit, baseline=base, target=target, deadline=deadline,
                      budget=float(r.randrange(0, 60_000, 500)), period=self.period,
                      confidence=float(r.randint(3, 9)), indicator="leading" if r.random() < 0.6 else "lagging",
                      approval=r.choice(_APPROVALS))
        self.smart_goals.append(g)
        self.trackable.append((g, m))
        self.link_some(g, team_krs + r.sample(dept_krs, min(2, len(dept_krs))) + r.sample(company_krs, 1), 3, 0.2)
        return gid

    def kpi(self, kid: str, team: str, owner: str, parents: list[str]) -> None:
        r = self.rng
        m = r.choice(_METRICS)
        base, target = self.numbers(m)
        up = m.direction == "increase"
        gap = abs(target - base)
        green = round(target - gap * 0.3 if up else target + gap * 0.3, m.decimals)
        amber = round(base - gap * 0.2 if up else base + gap * 0.2, m.decimals)
        start = self.window[0]
        values, v = [], base
        for w in range(self.weeks):
            v += (target - base) * r.uniform(-0.08, 0.2)
            values.append(KPIValue(start + timedelta(days=7 * (w + 1)), round(v, m.decimals)))
        k = KPI(kid, f"{team} {m.name}", m.name, m.unit, owner, team, target, m.direction, green, amber, "weekly",
                "leading" if r.random() < 0.5 else "lagging", values)
        self.kpis.append(k)
        if r.random() < 0.9:  # the rest are orphans, as in any real organisation
            self.link_some(k, parents, 2, 0.3)

    def initiative(self, iid: str, team: str, key: str, owner: str, parents: list[str]) -> None:
        r = self.rng
        status = r.choice(_INITIATIVE_STATUSES)
        title = r.choice(_INITIATIVES).format(t=r.choice(_THEMES))
        title = title[0].upper() + title[1:]
        if status == "candidate":
            ini = Initiative(iid, title, status, owner, team)
        else:
            start = self.period.start + timedelta(days=r.randint(0, 40))
            end = start + timedelta(days=r.randint(14, 80))
            progress = 1.0 if status == "done" else 0.0 if status == "approved" else round(r.uniform(0.05, 0.95), 2)
            ini = Initiative(iid, title, status, owner, team, start, end, progress, f"{key}-{r.randint(100, 999)}")
        self.initiatives.append(ini)
        self.link_some(ini, parents, 3, 0.1)

    # --- check-ins -------------------------------------------------------------------------------
    def check_ins(self, total: int | None) -> list[CheckIn]:
        """Check-ins spread evenly over the first ``weeks`` weeks; weekly when ``total`` is None."""
        r = self.rng
        items = self.trackable
        if total is None:
            counts = [self.weeks if r.random() < _CHECKIN_SHARE else 0 for _ in items]
        else:
            per, extra = divmod(total, len(items))
            counts = [per + (i < extra) for i in range(len(items))]
        start, end = self.window
        span = (end - start).days
        out: list[CheckIn] = []
        append = out.append
        rand, uniform = r.random, r.uniform
        one_day = timedelta(days=1)
        for (g, m), k in zip(items, counts, strict=True):
            if not k:
                continue
            owner = g.owner
            days = [start + one_day * max(1, round((j + 1) * span / k)) for j in range(k)]
            fate = rand()
            pace = 0.3 if fate < 0.15 else 0.7 if fate < 0.35 else 1.05 if fate < 0.85 else 1.4
            if m is None:  # milestone: the value is the share of checkpoints done
                done_at = sorted(uniform(0.1, 1.0) / pace for _ in g.checkpoints)
                confidence = float(min(10, round(3 + 4 * pace)))
                for day in days:
                    elapsed = (day - start).days / self.period.days
                    done = sum(x <= elapsed for x in done_at)
                    share = round(done / len(done_at), 2)
                    status = "done" if share == 1 else "on_track" if share >= 0.8 * elapsed else "at_risk"
                    append(CheckIn(g.id, day, share, confidence, status, None, None, owner))
                for cp, x in zip(g.checkpoints, done_at, strict=True):  # the file agrees with the last check-in
                    cp.done = x <= elapsed
                g.confidence = confidence
                continue
            base, target = g.baseline, g.target
            if g.direction == "maintain":
                good = 1 if g.bound == "at_least" else -1
                for day in days:
                    v = round(target + good * target * uniform(-0.03, 0.08), m.decimals)
                    ok = (v >= target) if good == 1 else (v <= target)
                    append(CheckIn(g.id, day, v, 8.0 if ok else 5.0, "on_track" if ok else "at_risk",
                                   None, None if ok else r.choice(_BLOCKERS), owner))
                continue
            for day in days:
                elapsed = (day - start).days / self.period.days
                # pace with some week-to-week wobble, so no series is a straight line
                progress = max(-0.1, min(1.3, pace * elapsed * (0.85 + 0.3 * rand()) + 0.04 * rand() - 0.02))
                ratio = min(1.5, progress / elapsed)
                if isinstance(g, SmartGoal) and progress >= 1:
                    status = "done"
                else:
                    status = "on_track" if ratio >= 0.85 else "at_risk" if ratio >= 0.55 else "off_track"
                confidence = float(min(10, max(0, round(1 + 6 * ratio + 2 * rand()))))
                wins = r.choice(_WINS) if rand() < 0.12 else None
                blockers = r.choice(_BLOCKERS) if status != "on_track" and status != "done" and rand() < 0.4 else None
                value = round(base + (target - base) * progress, m.decimals)
                if m.share:
                    value = min(value, 100.0)
                append(CheckIn(g.id, day, value, confidence, status, wins, blockers, owner))
            g.confidence = confidence
        return out


def generate_org(people: int, seed: int = 0, *, weeks: int = 8, period: str = "2027-Q1",
                 checkins: int | None = None) -> Goalbook:
    """A valid synthetic goalbook for an organisation of ``people`` people, the same for the same seed.

    ``weeks`` is how far into ``period`` the check-ins reach. By default 90% of key results and
    SMART goals get one check-in a week; ``checkins`` asks for exactly that many in total instead,
    spread evenly over every key result and goal (e.g. 500,000 for the store benchmark).
    """
    if people < 1:
        raise ValueError(f"people must be at least 1, not {people!r}")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks!r}")
    if checkins is not None and checkins < 0:
        raise ValueError(f"checkins must be zero or more, not {checkins!r}")
    org = _Org(people, random.Random(seed), Period.parse(period), weeks)
    org.build()
    check_ins = org.check_ins(checkins)
    links = [lk for per_kind in org.links.values() for lk in per_kind]
    return Goalbook(f"Synthetic Org ({people:,} people, seed {seed})", 1, org.objectives, org.smart_goals, org.kpis,
                    org.initiatives, links, check_ins)


def counts(book: Goalbook) -> dict[str, int]:
    """How many of each kind a goalbook holds, for reports and scale checks."""
    krs = sum(len(o.key_results) for o in book.objectives)
    out = {"objectives": len(book.objectives), "key_results": krs, "smart_goals": len(book.smart_goals),
           "kpis": len(book.kpis), "initiatives": len(book.initiatives)}
    out["goals"] = sum(out.values())
    out |= {"links": len(book.links), "check_ins": len(book.check_ins)}
    return out


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's safe dumper without anchors: a shared date must be written out, not aliased."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_yaml(book: Goalbook, path: str | Path) -> Path:
    """Write ``book`` as one goalbook YAML file, atomically, with the fast C dumper (a generated
    file has no comments to keep, so the comment-preserving writer is not needed)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            yaml.dump(to_data(book), fh, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.synthetic --people N --out FILE``: generate, report counts, write."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, required=True, help="size of the organisation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", type=int, default=8, help="weeks of check-ins (default 8)")
    parser.add_argument("--period", default="2027-Q1")
    parser.add_argument("--checkins", type=int, default=None, help="exact total of check-ins (default: weekly)")
    parser.add_argument("--out", type=Path, help="YAML file to write; omit to only report counts")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    book = generate_org(args.people, args.seed, weeks=args.weeks, period=args.period, checkins=args.checkins)
    took = time.perf_counter() - t0
    print(", ".join(f"{k} {v:,}" for k, v in counts(book).items()) + f" — generated in {took:.2f} s")
    if args.out:
        t0 = time.perf_counter()
        write_yaml(book, args.out)
        print(f"wrote {args.out} in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
