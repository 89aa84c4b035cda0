"""Which goal a goal should serve, and what a new link would change: the analysis behind the link picker.

Pure: takes a :class:`~goalbook.model.Goalbook` and returns dataclasses.

Suggestions
    Every objective and key result the goal could serve (a level above its own, no loop, not the
    goal itself or its own parts) is ranked by how close it is in meaning, from four kinds of
    evidence, each scored 0..1 and combined as independent evidence (``1 - Π(1 - wᵢ·sᵢ)``, so one
    strong reason is enough and weak ones only add a little):

    - *words*: the cosine of TF-IDF vectors of lightly stemmed words from the title or statement
      and the metric (metric words count twice). Rare words weigh more, so "no-show" says more
      than "patients"; words that only name a dimension ("time", "minutes", "level") weigh a
      quarter, so "handling time" and "waiting-room time" are not close for sharing "time";
    - *metric*: the metrics the KPI library (:mod:`goalbook.kpi`) recognises in each: the same
      metric, or two the library says drive each other, so "average handling time" meets "calls
      answered within 60 seconds" (the service level it drives) with no word in common;
    - *unit*: the same unit (``minutes`` and ``min`` are one) — a weak hint on its own;
    - *team*: the target belongs to the goal's own team.

    Direction is not evidence: cutting handling time serves raising the share answered. Each
    suggestion says why: the words it shares, the library metrics, the unit, the team.

Impact
    :func:`link_impact` compares the alignment graph before and after the link: which company key
    results become covered, which goals stop being orphans, whether the goal still serves nothing,
    and (for a ``contributes`` link) the target's progress before and after, from
    :mod:`goalbook.scoring`. A link that cannot be made (a loop, a self-link, an unknown id) is
    reported with the reason instead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import networkx as nx

from goalbook.errors import ValidationError
from goalbook.kpi import get as library_kpi
from goalbook.kpi import recognise
from goalbook.model import LEVELS, LINK_KINDS, Goal, Goalbook, Initiative, KeyResult, Link, Objective, SmartGoal
from goalbook.scoring import Scorer, counts_toward_progress
from goalbook.values import pct as _pct

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)  # hyphenated words count as their parts

_STOP_TEXT = """
a about above across after again against all also am an and any are as at be been before being below between both
but by can could did do does doing down during each every few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
our ours out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with within would you
your per via across end start least most week weeks month months quarter quarters year years day days date today
raise raising increase increasing grow growing cut cutting reduce reducing decrease decreasing lower improve
improving keep keeping hold make making get getting reach reaching achieve achieving deliver ensure maintain
maintaining move moving drive driving bring take put set new better best every everyone one two three four five
six seven eight nine ten percent share rate number total median mean average
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_DIMENSION_TEXT = "time times level count volume value ratio minute minutes hour hours second seconds"
DIMENSION_WEIGHT = 0.25  # a word that names only a dimension, not what is measured, weighs this much
WORDS_WEIGHT, SAME_METRIC, RELATED_METRIC, UNIT_WEIGHT, TEAM_WEIGHT = 0.9, 0.7, 0.4, 0.08, 0.15

_UNIT_ALIASES = {
    "%": "%", "percent": "%", "pct": "%", "per cent": "%", "percentage points": "pp", "points": "points",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "d": "days", "day": "days", "days": "days", "wk": "weeks", "week": "weeks", "weeks": "weeks",
}


def stem(word: str) -> str:
    """A light English stem, enough to match "bookings", "booking" and "booked"."""
    w = word.lower().replace("’", "'").replace("'", "")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def words(text: str | None) -> list[tuple[str, str]]:
    """``(stem, word)`` for each meaningful word of ``text``: stop words and one- or two-letter words dropped."""
    out = []
    for m in _WORD.finditer(text or ""):
        word = m.group(0)
        low = word.lower()
        if len(low) < 3 or low in STOP_WORDS:
            continue
        out.append((stem(low), low))
    return out


def normal_unit(unit: str | None) -> str | None:
    """A unit in one spelling (``minutes`` and ``min`` are the same), or ``None``."""
    if unit is None or not str(unit).strip():
        return None
    u = str(unit).strip().lower()
    return _UNIT_ALIASES.get(u, u)


@dataclass(frozen=True)
class LinkSuggestion:
    """One objective or key result a goal could serve, with how similar it reads and why."""

    target: str
    kind: str  # objective | key_result
    title: str
    level: str | None
    score: float  # 0..1, text similarity
    shared_words: tuple[str, ...]  # the words it shares with the goal, most telling first
    same_unit: str | None  # the unit both use, when they use the same one
    linked: str | None = None  # the kind of the link the goal already has to it, if any
    shared_metrics: tuple[str, ...] = ()  # KPI library metrics both measure, then "its → the target's" related ones
    same_team: str | None = None  # the team both belong to, when the target is the goal's own team's
    related_metrics: tuple[str, ...] = ()  # of shared_metrics, the related pairs ("its → the target's")

    @property
    def reasons(self) -> list[str]:
        """Why it was suggested, in words."""
        out = []
        if self.shared_words:
            out.append("shares " + ", ".join(f"'{w}'" for w in self.shared_words))
        same = [m for m in self.shared_metrics if m not in self.related_metrics]
        if same:
            out.append("same metric " + ", ".join(f"'{m}'" for m in same))
        if self.related_metrics:
            out.append("related metrics " + ", ".join(f"'{m}'" for m in self.related_metrics))
        if self.same_unit:
            out.append(f"same unit ({self.same_unit})")
        if self.same_team:
            out.append(f"same team ({self.same_team})")
        if self.linked:
            out.append(f"already linked ({self.linked})")
        return out or ["nothing in common in words or unit"]


@dataclass(frozen=True)
class LinkImpact:
    """What adding ``link`` changes, worked out before it is applied."""

    link: Link
    replaces: Link | None = None  # the existing link between the same two goals, if any
    covers: tuple[str, ...] = ()  # company key results nothing served before
    adopts: tuple[str, ...] = ()  # goals that were orphans and now serve the company
    still_orphan: bool = False  # the goal still reaches no company objective
    progress_before: float | None = None  # the target's progress (contributes links only)
    progress_after: float | None = None
    counts: bool = False  # the source counts toward the target's progress (scoring skips KPIs, candidate ideas)
    target_rolls_up: bool = False  # the target's progress comes from its contributors
    problems: tuple[str, ...] = ()  # why the link cannot be made

    @property
    def ok(self) -> bool:
        """True when the link can be made."""
        return not self.problems

    @property
    def counts_toward_progress(self) -> bool:
        """True when the source will count toward the target's progress."""
        return self.counts

    def describe(self) -> list[str]:
        """The changes as sentences a facilitator reads before applying."""
        lk = self.link
        if self.problems:
            return [f"Cannot link {lk.source} to {lk.target}: {p}" for p in self.problems]
        out = []
        if self.replaces is not None:
            r = self.replaces
            if (r.kind, r.weight) == (lk.kind, lk.weight):
                out.append(f"{lk.source} already {_verb(r.kind)} {lk.target}: nothing changes.")
                return out
            out.append(f"Replaces the existing link ({r.kind}, weight {r.weight:g}) with {lk.kind}, "
                       f"weight {lk.weight:g}.")
        if self.covers:
            out.append(f"Covers {_and(self.covers)}: nothing served {'it' if len(self.covers) == 1 else 'them'} "
                       "before.")
        if self.adopts:
            out.append(f"{_and(self.adopts)} {'is' if len(self.adopts) == 1 else 'are'} no longer "
                       f"{'an orphan' if len(self.adopts) == 1 else 'orphans'}: "
                       f"{'it serves' if len(self.adopts) == 1 else 'they serve'} a company objective now.")
        if self.still_orphan:
            out.append(f"{lk.source} still serves no company objective: {lk.target} does not lead to one.")
        before, after = _pct(self.progress_before), _pct(self.progress_after)
        if self.counts_toward_progress:
            if before != after:
                out.append(f"Counts toward the progress of {lk.target}: {before} → {after}.")
            elif self.target_rolls_up:
                out.append(f"Counts toward the progress of {lk.target}, which stays {after} for now.")
            else:
                out.append(f"Contributes to {lk.target}, but its progress ({after}) comes from its own values or key "
                           "results, so this link does not move it.")
        elif counts_toward_progress(None, link_kind=lk.kind):
            out.append(f"Shown as contributing to {lk.target}; KPIs and candidate ideas do not count toward "
                       "progress.")
        elif before != after:
            out.append(f"Stops counting toward the progress of {lk.target}: {_pct(self.progress_before)} → "
                       f"{_pct(self.progress_after)}.")
        else:
            out.append(f"Shown on the alignment map only; does not count toward the progress of {lk.target}.")
        if not (self.covers or self.adopts or self.still_orphan):
            out.append("Coverage and orphans stay as they are.")
        return out


def _verb(kind: str) -> str:
    return "contributes to" if kind == "contributes" else "supports"


def _and(ids: Iterable[str]) -> str:
    items = list(ids)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- eligibility --------------------------------------------------------------------------------


def goal_level(book: Goalbook, goal: Goal) -> str | None:
    """The level a goal sits at: its own, its objective's for a key result, ``None`` for KPIs and initiatives."""
    if isinstance(goal, Objective | SmartGoal):
        return goal.level
    if isinstance(goal, KeyResult):
        o = book.objective_of(goal)
        return o.level if o is not None else None
    return None


def _levels_above(level: str | None) -> tuple[str, ...]:
    if level not in LEVELS:
        return LEVELS
    return LEVELS[: LEVELS.index(level)] or (LEVELS[0],)


def _graph(book: Goalbook) -> nx.DiGraph:
    """The links as a plain graph (source → target), cheap and never raising. An objective and its key
    results are joined both ways: whatever serves one of them serves the whole objective."""
    G = nx.DiGraph()
    for o in book.objectives:
        G.add_edges_from((kr.id, o.id) for kr in o.key_results)
        G.add_edges_from((o.id, kr.id) for kr in o.key_results)
    G.add_edges_from((lk.source, lk.target) for lk in book.links)
    return G


def link_targets(book: Goalbook, goal_id: str, *, levels: Iterable[str] | None = None) -> list[Goal]:
    """Objectives and key results ``goal_id`` may serve: at ``levels`` (default: the levels above its own),
    not itself, not its own objective or key results, and none that already serves it (a loop)."""
    goal = book.get(goal_id)
    allowed = tuple(levels) if levels is not None else _levels_above(goal_level(book, goal))
    G = _graph(book)
    below = nx.ancestors(G, goal_id) if goal_id in G else set()  # everything that serves the goal
    own = {goal_id, getattr(goal, "objective_id", None), *(kr.id for kr in getattr(goal, "key_results", ())),
           *(kr.id for kr in shared_key_results(book, goal_id))}
    out: list[Goal] = []
    for o in book.objectives:
        if o.level not in allowed:
            continue
        for g in (o, *o.key_results):
            if g.id not in own and g.id not in below:
                out.append(g)
    return out


def shared_key_results(book: Goalbook, objective_id: str) -> list[KeyResult]:
    """Key results of other objectives shared with ``objective_id`` (their ``shared_with``): one result two
    teams own together, counted in its own objective's progress and listed in the sharing team's."""
    return [kr for kr in book.key_results if kr.shared_with == objective_id and kr.objective_id != objective_id]


# --- similarity ---------------------------------------------------------------------------------


_DIMENSIONS = frozenset(stem(w) for w in _DIMENSION_TEXT.split())


def _terms(goal: Goal) -> tuple[Counter[str], dict[str, str]]:
    """Word-stem counts (metric words twice) and a stem → word map of the goal's words."""
    text = getattr(goal, "statement", None) or getattr(goal, "title", None) or getattr(goal, "name", "")
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for s, w in words(text):
        counts[s] += 1
        surface.setdefault(s, w)
    for s, w in words(getattr(goal, "metric", None)):
        counts[s] += 2
        surface.setdefault(s, w)
    return counts, surface


@dataclass(frozen=True)
class _Profile:
    """What a goal is about, for matching: its words, library metrics, unit and team."""

    counts: Counter[str]
    surface: dict[str, str]
    named: frozenset[str]  # library metrics the goal names
    related: frozenset[str]  # library metrics those drive or are driven by
    unit: str | None
    team: str | None


@lru_cache(maxsize=4096)
def _recognised(text: str, metric: str | None) -> frozenset[str]:
    """The library metrics named in ``text`` and ``metric`` (kept by value: the editor asks again on every key)."""
    return frozenset(recognise(text, metric))


def _profile(book: Goalbook, goal: Goal) -> _Profile:
    counts, surface = _terms(goal)
    text = getattr(goal, "statement", None) or getattr(goal, "title", None) or getattr(goal, "name", "")
    named = _recognised(text or "", getattr(goal, "metric", None))
    related = frozenset(r for k in named for r in library_kpi(k).related) - named
    team = getattr(goal, "team", None)
    if team is None and isinstance(goal, KeyResult):
        o = book.objective_of(goal)
        team = o.team if o is not None else None
    return _Profile(counts, surface, named, related, normal_unit(getattr(goal, "unit", None)), team)


def suggest_links(book: Goalbook, goal_id: str, *, limit: int | None = None,
                  levels: Iterable[str] | None = None) -> list[LinkSuggestion]:
    """The objectives and key results ``goal_id`` could serve, closest in meaning first, each saying why.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "Cut waiting-room time from 25 to 15 minutes", unit="min"),
    ...     KeyResult("CO-1.KR2", "Raise online bookings from 38% to 60%", unit="%"),
    ...     KeyResult("CO-1.KR3", "Answer 90% of calls within 60 seconds", unit="%",
    ...               metric="calls answered within 60 seconds")])],
    ...     smart_goals=[SmartGoal("WEB-1", "Online bookings on mobile from 20% to 35%", unit="%"),
    ...                  SmartGoal("CC-1", "Cut average handling time from 7 to 5 minutes", unit="min")])
    >>> s = suggest_links(book, "WEB-1")[0]
    >>> s.target, s.shared_words, s.same_unit
    ('CO-1.KR2', ('bookings', 'online'), '%')
    >>> s.shared_metrics[0]  # "online bookings" is the library's digital channel share
    'Digital channel share'

    Sharing "time" and "minutes" with the waiting room says less than the service level that
    handling time drives:

    >>> for s in suggest_links(book, "CC-1")[:2]:
    ...     print(s.target, s.reasons[0])
    CO-1.KR3 related metrics 'Average handle time → Service level (calls answered within a time)'
    CO-1.KR1 shares 'minutes', 'time'
    """
    goal = book.get(goal_id)
    targets = link_targets(book, goal_id, levels=levels)
    me = _profile(book, goal)
    docs = [_profile(book, t) for t in targets]
    n = len(docs) + 1
    df: Counter[str] = Counter(me.counts.keys())
    for d in docs:
        df.update(d.counts.keys())
    idf = {t: (math.log((1 + n) / (1 + c)) + 1) * (DIMENSION_WEIGHT if t in _DIMENSIONS else 1.0)
           for t, c in df.items()}

    def vector(counts: Counter[str]) -> tuple[dict[str, float], float]:
        v = {t: c * idf[t] for t, c in counts.items()}
        return v, math.sqrt(sum(x * x for x in v.values()))

    mv, mnorm = vector(me.counts)
    linked = {lk.target: lk.kind for lk in book.links if lk.source == goal_id}
    ranked = []
    for pos, (target, d) in enumerate(zip(targets, docs, strict=True)):
        tv, tnorm = vector(d.counts)
        shared = {t: mv[t] * tv[t] for t in mv.keys() & tv.keys()}
        text = sum(shared.values()) / (mnorm * tnorm) if mnorm and tnorm else 0.0
        same = sorted(me.named & d.named)
        pairs = [(a, b) for a in sorted(me.named) for b in sorted(d.named - me.named)
                 if b in library_kpi(a).related or a in library_kpi(b).related]
        metric = SAME_METRIC if same else RELATED_METRIC if pairs else 0.0
        unit = d.unit if d.unit is not None and d.unit == me.unit else None
        team = d.team if d.team is not None and d.team == me.team else None
        evidence = (WORDS_WEIGHT * min(1.0, text), metric, UNIT_WEIGHT if unit else 0.0, TEAM_WEIGHT if team else 0.0)
        score = 1.0 - math.prod(1.0 - e for e in evidence)
        telling = sorted(shared, key=lambda t: (-shared[t], me.surface[t]))
        related = tuple(f"{library_kpi(a).name} → {library_kpi(b).name}" for a, b in pairs)
        suggestion = LinkSuggestion(
            target=target.id, kind=target.kind, title=target.title, level=goal_level(book, target),
            score=round(min(1.0, score), 4), shared_words=tuple(me.surface[t] for t in telling[:4]),
            same_unit=unit, linked=linked.get(target.id),
            shared_metrics=(*(library_kpi(k).name for k in same), *related)[:3], same_team=team,
            related_metrics=related[:3])
        ranked.append((-suggestion.score, pos, suggestion))
    ranked.sort(key=lambda r: (r[0], r[1]))
    out = [s for _, _, s in ranked]
    return out[:limit] if limit is not None else out


# --- impact -------------------------------------------------------------------------------------


def with_link(book: Goalbook, link: Link) -> Goalbook:
    """A copy of ``book`` (sharing its goals) with ``link`` added, or replacing the link between the same goals."""
    links = [lk for lk in book.links if (lk.source, lk.target) != (link.source, link.target)]
    return replace(book, links=[*links, link])


def _orphans_and_uncovered(book: Goalbook) -> tuple[set[str], set[str]]:
    from goalbook.alignment import alignment_graph, orphans, uncovered_key_results

    G = alignment_graph(book, scores=[])
    return set(orphans(G)["id"]), set(uncovered_key_results(G)["id"])


def link_impact(book: Goalbook, link: Link, *, today: date | None = None) -> LinkImpact:
    """What adding ``link`` to ``book`` would change: coverage, orphans and the target's progress.

    ``book`` is not changed. A link that cannot be made comes back with ``problems`` and no changes.
    """
    problems = []
    for gid in (link.source, link.target):
        if gid not in book:
            try:
                book.get(gid)
            except KeyError as exc:
                problems.append(str(exc.args[0]))
    if link.source == link.target:
        problems.append("a goal cannot serve itself")
    if link.kind not in LINK_KINDS:
        problems.append(f"kind '{link.kind}' is not one of {', '.join(LINK_KINDS)}")
    if not (link.weight is not None and link.weight > 0):
        problems.append(f"weight {link.weight} must be above 0")
    existing = next((lk for lk in book.links if (lk.source, lk.target) == (link.source, link.target)), None)
    if problems:
        return LinkImpact(link, existing, problems=tuple(problems))
    G = _graph(book)
    if link.target in G and link.source in G and nx.has_path(G, link.target, link.source):
        path = nx.shortest_path(G, link.target, link.source)
        return LinkImpact(link, existing, problems=(
            f"it would make a loop: {' → '.join([link.source, *path])}",))
    after = with_link(book, link)
    try:
        orphans_before, uncovered_before = _orphans_and_uncovered(book)
        orphans_after, uncovered_after = _orphans_and_uncovered(after)
    except ValidationError as exc:
        return LinkImpact(link, existing, problems=tuple(p.message for p in exc.problems))
    source = book.get(link.source)
    serving = getattr(source, "objective_id", None) if isinstance(source, KeyResult) else link.source
    order = [g.id for g in book.iter_goals()]
    progress_before = progress_after = None
    rolls_up = False
    if counts_toward_progress(None, link_kind=link.kind) or (
            existing is not None and counts_toward_progress(None, link_kind=existing.kind)):
        progress_before = Scorer(book, today=today).progress(link.target)
        scorer = Scorer(after, today=today)
        progress_after = scorer.progress(link.target)
        target = book.get(link.target)
        rolls_up = scorer.rolled_up(link.target) or (isinstance(target, Objective) and target.driver != "key_results")
    counts = counts_toward_progress(source.kind, source.status if isinstance(source, Initiative) else None,
                                    link_kind=link.kind)
    return LinkImpact(
        link, existing,
        covers=tuple(i for i in order if i in uncovered_before - uncovered_after),
        adopts=tuple(i for i in order if i in orphans_before - orphans_after),
        still_orphan=serving in orphans_after,
        progress_before=progress_before, progress_after=progress_after, counts=counts, target_rolls_up=rolls_up,
    )
