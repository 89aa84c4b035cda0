"""Analyses of the alignment graph: what serves the strategy, what does not, and what it hangs on.

Each analysis is a plain function of the graph returning a DataFrame (one row per finding, in the
goalbook's order unless said otherwise) or a dataclass. They run in a few linear passes over the
integer view of :func:`goalbook.alignment.graph.compiled`, so they stay fast at company scale; that
view is cached on a graph whose attributes are read-only (as ``alignment_graph`` builds it), and
built afresh for any other, so an analysis never sees stale attributes.

"The strategy" is the company-level objectives and their key results. Edges point from the goal
that serves to the goal it serves, so "reaching" a goal means following links upward.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from goalbook import scoring
from goalbook.alignment.graph import (
    EDGE_KINDS,
    INITIATIVE,
    KEY_RESULT,
    KINDS,
    KPI_,
    OBJECTIVE,
    PART_OF,
    SMART_GOAL,
    compiled,
    distinct,
    member,
    stable_order,
)
from goalbook.model import LEVELS, did_you_mean

AT_RISK = ("at_risk", "off_track")  # statuses of a goal that is being missed


def _columns(G: nx.DiGraph, *names: str) -> list[np.ndarray]:
    """Node attributes, one object array per name in node order, from :func:`compiled`'s snapshot."""
    c = compiled(G)
    out = []
    for name in names:
        col = c.attrs.get(name)
        if col is None:
            col = c.memo.get(f"column:{name}")
            if col is None:
                values = [d.get(name) for _, d in G.nodes(data=True)]
                col = c.memo[f"column:{name}"] = np.empty(len(values), dtype=object)
                col[:] = values
        out.append(col)
    return out


def _codes(G: nx.DiGraph, name: str) -> tuple[np.ndarray, np.ndarray]:
    """An attribute as integer codes (-1 for missing) and its sorted distinct values."""
    c = compiled(G)
    key = f"codes:{name}"
    if key not in c.memo:
        (col,) = _columns(G, name)
        codes, values = pd.factorize(col)
        try:  # sorting the few distinct values in Python beats factorize(sort=True) re-sorting them all
            order = np.array(sorted(range(len(values)), key=values.__getitem__), np.int64)
        except TypeError:  # values of mixed types: pandas' own safe sort
            c.memo[key] = tuple(pd.factorize(col, sort=True))
        else:
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            c.memo[key] = (np.where(codes >= 0, rank[codes] if len(rank) else codes, -1), values[order])
    return c.memo[key]


def _floats(G: nx.DiGraph, name: str) -> np.ndarray | None:
    """A numeric attribute as floats, NaN where it is missing; ``None`` when a value is no number."""
    c = compiled(G)
    key = f"floats:{name}"
    if key not in c.memo:
        (col,) = _columns(G, name)
        try:
            c.memo[key] = col.astype(float)
        except (TypeError, ValueError):
            c.memo[key] = None
    return c.memo[key]


_KIND_NAMES = np.array(KINDS, dtype=object)
_LEVEL_NAMES = np.array([*LEVELS, None], dtype=object)  # level code -1 picks the last: None


def _rows(G: nx.DiGraph, idx: np.ndarray | list[int], fields: tuple[str, ...]) -> dict[str, Any]:
    """Columns ``id`` and ``fields`` for the nodes at positions ``idx``."""
    c = compiled(G)
    at = np.asarray(idx, dtype=np.int64)
    ids = c.memo.get("ids")
    if ids is None:
        ids = c.memo["ids"] = np.array(c.ids, dtype=object)
    out: dict[str, Any] = {"id": ids[at].tolist()}
    for f in fields:
        if f == "kind":
            out[f] = _KIND_NAMES[c.kind[at]]
        elif f == "level":
            out[f] = _LEVEL_NAMES[c.level[at]]
        else:
            out[f] = _columns(G, f)[0][at]
    return out


def _status_in(G: nx.DiGraph, statuses: tuple[str, ...]) -> np.ndarray:
    """Mask of the nodes whose ``status`` is one of ``statuses``."""
    codes, values = _codes(G, "status")
    wanted = [i for i, v in enumerate(values) if v in statuses]
    return member(codes, wanted)


def _pairs(left: np.ndarray, right_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ``(i, j)`` with ``left[i] == right_sorted[j]``: an equi-join by binary search."""
    lo = np.searchsorted(right_sorted, left, side="left")
    count = np.searchsorted(right_sorted, left, side="right") - lo
    i = np.repeat(np.arange(len(left)), count)
    j = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(int(count.sum()))
    return i, j


def _frame(columns: dict[str, Any], names: list[str]) -> pd.DataFrame:
    """A DataFrame with exactly ``names`` as columns, empty ones too (so callers can rely on them)."""
    return pd.DataFrame({n: columns.get(n, []) for n in names}, columns=names)


def _some(items: list[str], n: int = 3) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


# --- orphans ---------------------------------------------------------------------------------------


def aligned_mask(G: nx.DiGraph) -> np.ndarray:
    """Which nodes serve the strategy, in ``compiled(G).ids`` order.

    A node is aligned when a path of links leads from it to a company objective or key result.
    An objective counts as aligned when it or any of its key results is, and then so do all of its
    key results: a team objective whose second key result links to the company serves the company
    through that key result, and so does everything linked to its first.
    """
    c = compiled(G)
    part = c.ekind == PART_OF
    a_src = np.concatenate([c.src, c.dst[part]])  # plus objective → its key results
    a_dst = np.concatenate([c.dst, c.src[part]])
    aligned = c.company.copy()
    while True:
        new = a_src[aligned[a_dst] & ~aligned[a_src]]
        if not new.size:
            return aligned
        aligned[new] = True


def orphans(G: nx.DiGraph) -> pd.DataFrame:
    """Goals that reach no company objective: they serve nothing the company has set out to do.

    Key results are not listed on their own: they are orphans exactly when their objective is.
    Columns: ``id, kind, title, owner, team, level, reason``; the reason says whether the goal has
    no link at all or links only to goals that are orphans themselves.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, KPI, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3"),
    ...                  SmartGoal("WEB-2", "Rewrite the style guide by June")],
    ...     kpis=[KPI("KPI-1", "Page speed")],
    ...     links=[Link("WEB-1", "CO-1.KR1"), Link("KPI-1", "WEB-2")])
    >>> orphans(alignment_graph(book, scores=[]))[["id", "reason"]].values.tolist()
    [['WEB-2', 'no link'], ['KPI-1', 'links to WEB-2, which serves no company objective either']]
    """
    c = compiled(G)
    aligned = aligned_mask(G)
    links = c.ekind != PART_OF
    out_links = np.bincount(c.src[links], minlength=len(c.ids))
    part = c.ekind == PART_OF
    np.add.at(out_links, c.dst[part], out_links[c.src[part]])  # an objective's key results' links count
    idx = np.flatnonzero(~aligned & (c.kind != KEY_RESULT) & ~c.company)
    cols = _rows(G, idx, ("kind", "title", "owner", "team", "level"))
    reasons = []
    for i in idx.tolist():
        if not out_links[i]:
            reasons.append("no link")
            continue
        node = c.ids[i]
        targets = [t for t, d in G.succ[node].items() if d.get("kind") != "part_of"]
        if c.kind[i] == OBJECTIVE:
            targets += [t for kr, d in G.pred[node].items() if d.get("kind") == "part_of"
                        for t, e in G.succ[kr].items() if e.get("kind") != "part_of"]
        verb = "serves" if len(targets) == 1 else "serve"
        reasons.append(f"links to {_some(targets)}, which {verb} no company objective either")
    cols["reason"] = reasons
    return _frame(cols, ["id", "kind", "title", "owner", "team", "level", "reason"])


# --- coverage --------------------------------------------------------------------------------------


def uncovered_key_results(G: nx.DiGraph) -> pd.DataFrame:
    """Company key results that nothing links to: no goal, KPI or initiative works toward them.

    Columns: ``id, title, owner, objective``.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...     KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3")],
    ...     links=[Link("WEB-1", "CO-1.KR1")])
    >>> list(uncovered_key_results(alignment_graph(book, scores=[]))["id"])
    ['CO-1.KR2']
    """
    c = compiled(G)
    supporters = np.bincount(c.dst[c.ekind != PART_OF], minlength=len(c.ids))
    idx = np.flatnonzero(c.company & (c.kind == KEY_RESULT) & (supporters == 0))
    return _frame(_rows(G, idx, ("title", "owner", "objective")), ["id", "title", "owner", "objective"])


def skipped_levels(G: nx.DiGraph) -> pd.DataFrame:
    """Links that jump over a level of the organisation where the team has a parent at that level.

    The goalbook has no organisation chart, so the chart is read from the links themselves: a
    team's *parent* at a level is a team (or department) at that level that one of its goals links
    to. A link from a goal of team T skips a level when it goes up two or more levels (company <
    department < team < person) — a team goal straight to a company key result — while a goal of
    one of T's parents at a level in between serves the same objective (links to it or to one of
    its key results), and the goal itself has no link through that level to the objective. That
    goal was the closer parent: linking through it keeps the department's roll-up honest. Goals
    without a team, KPIs and initiatives are left out.

    Columns: ``source, source_level, target, target_level, skipped, instead`` where ``instead``
    names up to three goals in between that serve the same objective; in the goalbook's order of
    the source, then the target.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[
    ...     Objective("CO-1", "Delight patients", key_results=[
    ...         KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...         KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")]),
    ...     Objective("DIG-1", "Digital front door", level="department", team="Digital", key_results=[
    ...         KeyResult("DIG-1.KR1", "App rating from 3 to 4.5", baseline=3, target=4.5)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3", team="Web"),
    ...                  SmartGoal("WEB-2", "App crashes from 5% to 1%", team="Web")],
    ...     links=[Link("DIG-1", "CO-1.KR1"), Link("WEB-2", "DIG-1.KR1"), Link("WEB-1", "CO-1.KR2")])
    >>> skipped_levels(alignment_graph(book, scores=[])).values.tolist()
    [['WEB-1', 'team', 'CO-1.KR2', 'company', 'department', 'DIG-1']]
    """
    c = compiled(G)
    names = ["source", "source_level", "target", "target_level", "skipped", "instead"]
    nl = len(LEVELS)
    team, team_values = _codes(G, "team")
    unit = np.arange(len(c.ids))
    part = c.ekind == PART_OF
    unit[c.src[part]] = c.dst[part]  # a key result stands for its objective
    link = np.flatnonzero((c.ekind != PART_OF) & (c.level[c.src] >= 0) & (c.level[c.dst] >= 0) & (team[c.src] >= 0))
    ls, ld = c.src[link], c.dst[link]
    rs, rd = c.level[ls].astype(np.int64), c.level[ld].astype(np.int64)
    skip = np.flatnonzero(rs - rd >= 2)
    if not skip.size:
        return _frame({}, names)
    n, teams = len(c.ids), max(1, len(team_values))
    # a team's parents: (team, level, parent team) whenever one of its goals links up to that level
    up = (rd < rs) & (team[ld] >= 0)
    parents = distinct(((team[ls] * nl + rd) * teams + team[ld])[up])
    # what serves each objective: (team, level, objective) → the serving goal (its objective, for a key result)
    serving_key = (team[ls] * nl + rs) * n + unit[ld]
    by_key = np.argsort(serving_key, kind="stable")
    # for every skipping link and level in between: a parent at that level serving the same objective?
    asked = [(skip[(rd[skip] < r) & (r < rs[skip])], r) for r in range(1, nl - 1)]
    edge = np.concatenate([e for e, _ in asked])
    level = np.concatenate([np.full(len(e), r) for e, r in asked])
    i, j = _pairs(team[ls[edge]] * nl + level, parents // teams)
    edge, level, parent = edge[i], level[i], parents[j] % teams
    i, j = _pairs((parent * nl + level) * n + unit[ld[edge]], serving_key[by_key])
    edge, level, goal = edge[i], level[i], unit[ls][by_key][j]
    # ... unless the goal also links through that level to the same objective
    hop = np.flatnonzero(member(ls, ls[edge]))
    by_goal = stable_order(unit[ls], n)
    i, j = _pairs(unit[ld[hop]], unit[ls][by_goal])
    through = (ls[hop][i] * nl + rs[by_goal][j]) * n + unit[ld][by_goal][j]
    keep = ~member((ls[edge] * nl + level) * n + unit[ld[edge]], through)
    edge, level, goal = edge[keep], level[keep], goal[keep]
    if not len(edge):
        return _frame({}, names)
    order = np.lexsort((goal, level, ls[edge] * n + ld[edge]))  # the goalbook's order of source, target
    edge, level, goal = edge[order], level[order], goal[order]
    starts = np.flatnonzero(np.r_[True, edge[1:] != edge[:-1]])
    ends = np.r_[starts[1:], len(edge)].tolist()
    first = edge[starts]
    gg = [c.ids[g] for g in goal.tolist()]
    skipped = np.bitwise_or.reduceat(np.left_shift(1, level), starts)  # the levels in between, as bits
    said = {m: ", ".join(lv for r, lv in enumerate(LEVELS) if m >> r & 1) for m in distinct(skipped).tolist()}
    rows = {"source": [c.ids[i] for i in ls[first].tolist()], "source_level": [LEVELS[r] for r in rs[first].tolist()],
            "target": [c.ids[i] for i in ld[first].tolist()], "target_level": [LEVELS[r] for r in rd[first].tolist()],
            "skipped": [said[m] for m in skipped.tolist()],
            "instead": [_some(list(dict.fromkeys(gg[a:b]))) for a, b in zip(starts.tolist(), ends, strict=True)]}
    return _frame(rows, names)


# --- people and teams ------------------------------------------------------------------------------


def owner_load(G: nx.DiGraph) -> pd.DataFrame:
    """How many goals each owner carries, by kind, and how many of them are being missed.

    A key result without its own owner counts for its objective's owner. Columns: ``owner,
    objectives, key_results, smart_goals, kpis, initiatives, total, at_risk, teams``, heaviest
    load first. Goals without an owner are not counted (the linter reports them).

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", owner="ceo", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3", owner="ana", team="Web")])
    >>> owner_load(alignment_graph(book, scores=[]))[["owner", "objectives", "key_results", "total"]].values.tolist()
    [['ceo', 1, 1, 2], ['ana', 0, 0, 1]]
    """
    c = compiled(G)
    names = ["owner", *(f"{k}s" for k in KINDS), "total", "at_risk", "teams"]
    oc, people = _codes(G, "owner")
    if not len(people):
        return _frame({}, names)
    n, k = len(people), len(KINDS)
    has = oc >= 0
    counts = np.bincount(oc[has] * k + c.kind[has], minlength=n * k).reshape(n, k)
    at_risk = np.bincount(oc[has & _status_in(G, AT_RISK)], minlength=n)
    tc, team_names = _codes(G, "team")
    both = has & (tc >= 0)
    n_teams = max(1, len(team_names))
    pairs = distinct(oc[both] * n_teams + tc[both])  # (owner, team), owners then teams in order
    owner_of, team_of = pairs // n_teams, pairs % n_teams
    team_text = np.full(n, "", dtype=object)
    first = np.r_[True, owner_of[1:] != owner_of[:-1]] if len(pairs) else np.zeros(0, bool)
    team_text[owner_of[first]] = np.asarray(team_names, dtype=object)[team_of[first]]
    for o, t in zip(owner_of[~first].tolist(), team_of[~first].tolist(), strict=True):  # a second team or more
        team_text[o] = f"{team_text[o]}, {team_names[t]}"
    total = counts.sum(axis=1)
    order = np.lexsort((np.arange(n), -total))
    rows: dict[str, Any] = {"owner": np.asarray(people, dtype=object)[order]}
    for j, kind in enumerate(KINDS):
        rows[f"{kind}s"] = counts[order, j]
    rows.update(total=total[order], at_risk=at_risk[order], teams=team_text[order])
    return _frame(rows, names)


def silos(G: nx.DiGraph) -> pd.DataFrame:
    """Teams whose goals link only among themselves: nothing they do reaches another team,
    a department or the company.

    A team is a silo when none of its goals links to a goal of another team or of no team (the
    company's goals usually have none). Columns: ``team, goals, internal_links, reason``.

    Examples
    --------
    >>> from goalbook.model import Goalbook, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(smart_goals=[SmartGoal("OPS-1", "Cut cost by 5%", team="Ops"),
    ...     SmartGoal("OPS-2", "Renegotiate 3 contracts", team="Ops")], links=[Link("OPS-2", "OPS-1")])
    >>> silos(alignment_graph(book, scores=[])).values.tolist()
    [['Ops', 2, 1, 'links only among its own goals']]
    """
    c = compiled(G)
    names = ["team", "goals", "internal_links", "reason"]
    codes, uniques = _codes(G, "team")
    n = len(uniques)
    if not n:
        return _frame({}, names)
    link = c.ekind != PART_OF
    ts, td = codes[c.src[link]], codes[c.dst[link]]
    internal = np.bincount(ts[(ts >= 0) & (ts == td)], minlength=n)
    leaving = np.bincount(ts[(ts >= 0) & (ts != td)], minlength=n)
    goals = np.bincount(codes[codes >= 0], minlength=n)
    order = np.flatnonzero(leaving == 0).tolist()
    rows = {"team": [uniques[t] for t in order], "goals": goals[order].tolist(),
            "internal_links": internal[order].tolist(),
            "reason": ["links only among its own goals" if internal[t] else "no links at all" for t in order]}
    return _frame(rows, names)


# --- what the strategy hangs on --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Reach:
    """Which company objectives and key results each node reaches, as a boolean matrix.

    ``matrix[i, j]`` is true when node ``i`` (in ``compiled(G).ids`` order) reaches
    ``targets[j]`` by following edges upward; a company goal reaches itself.
    """

    targets: list[str]
    target_kind: np.ndarray  # kind code of each target
    matrix: np.ndarray  # bool, nodes × targets


def reach(G: nx.DiGraph) -> Reach:
    """Compute :class:`Reach` in one pass over the edges, parents before children (bitsets of 64
    company goals per machine word), instead of one search per node. Cached on the graph like
    :func:`~goalbook.alignment.graph.compiled`."""
    c = compiled(G)
    if "reach" in c.memo:
        return c.memo["reach"]
    targets = np.flatnonzero(c.company)
    words = max(1, -(-len(targets) // 64))
    bits = np.zeros((len(c.ids), words), np.uint64)
    j = np.arange(len(targets))
    bits[targets, j // 64] = np.left_shift(np.uint64(1), (j % 64).astype(np.uint64))
    for group in c.by_generation(descending=True):
        np.bitwise_or.at(bits, c.src[group], bits[c.dst[group]])
    matrix = np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")[:, : len(targets)].astype(bool)
    r = c.memo["reach"] = Reach([c.ids[t] for t in targets.tolist()], c.kind[targets], matrix)
    return r


def leading_coverage(G: nx.DiGraph) -> pd.DataFrame:
    """For every company key result, how many leading and lagging measures work toward it.

    A measure is a key result, SMART goal or KPI; it works toward a company key result when a path
    of links leads from it there. A key result followed only by lagging measures is seen too late
    to steer: ``only_lagging`` is true when it has lagging measures and no leading one.
    Columns: ``id, title, leading, lagging, unclassified, only_lagging``.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, KPI, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Grow revenue", key_results=[
    ...     KeyResult("CO-1.KR1", "Revenue from 10 to 12 M", baseline=10, target=12)])],
    ...     kpis=[KPI("KPI-REV", "Monthly revenue", indicator="lagging")], links=[Link("KPI-REV", "CO-1.KR1")])
    >>> leading_coverage(alignment_graph(book, scores=[]))[["id", "leading", "lagging", "only_lagging"]].values.tolist()
    [['CO-1.KR1', 0, 1, True]]
    """
    c = compiled(G)
    r = reach(G)
    names = ["id", "title", "leading", "lagging", "unclassified", "only_lagging"]
    cols = np.flatnonzero(r.target_kind == KEY_RESULT)
    codes, values = _codes(G, "indicator")
    ind = np.full(len(c.ids), 2)  # 0 leading, 1 lagging, 2 neither
    for i, v in enumerate(values):
        ind[codes == i] = {"leading": 0, "lagging": 1}.get(v, 2)
    measure = (c.kind == KEY_RESULT) | (c.kind == SMART_GOAL) | (c.kind == KPI_)
    idx = [c.pos[r.targets[j]] for j in cols.tolist()]
    m = r.matrix[:, cols].copy()
    m[idx, np.arange(len(cols))] = False  # a key result is not its own measure
    counts = [m[measure & (ind == v)].sum(axis=0) for v in range(3)]
    rows = _rows(G, idx, ("title",))
    rows.update(leading=counts[0], lagging=counts[1], unclassified=counts[2],
                only_lagging=(counts[1] > 0) & (counts[0] == 0))
    return _frame(rows, names)


@dataclass(frozen=True)
class BlastRadius:
    """What a missed goal puts at risk: the company key results and objectives it feeds, and every
    goal on the way (in the goalbook's order)."""

    goal: str
    key_results: tuple[str, ...]
    objectives: tuple[str, ...]
    goals: tuple[str, ...]


def blast_radius(G: nx.DiGraph, goal: str) -> BlastRadius:
    """Which company key results are at risk when ``goal`` is missed.

    Follows every link upward, ``supports`` as well as ``contributes``: a goal shown as support
    is still one the company relies on.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Initiative, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...     KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3")],
    ...     initiatives=[Initiative("INI-1", "One-page booking")],
    ...     links=[Link("INI-1", "WEB-1"), Link("WEB-1", "CO-1.KR2")])
    >>> blast_radius(alignment_graph(book, scores=[]), "INI-1")
    BlastRadius(goal='INI-1', key_results=('CO-1.KR2',), objectives=('CO-1',), goals=('WEB-1',))
    """
    c = compiled(G)
    if goal not in c.pos:
        raise KeyError(f"no goal with id '{goal}'{did_you_mean(goal, c.ids)}")
    idx = sorted(c.pos[n] for n in nx.descendants(G, goal) | {goal})
    company = c.company
    krs = tuple(c.ids[i] for i in idx if company[i] and c.kind[i] == KEY_RESULT)
    objs = tuple(c.ids[i] for i in idx if company[i] and c.kind[i] == OBJECTIVE)
    goals = tuple(c.ids[i] for i in idx if not company[i] and c.ids[i] != goal)
    return BlastRadius(goal, krs, objs, goals)


def _joined(r: Reach, rows: np.ndarray, cols: np.ndarray) -> list[str]:
    """For each row, the ids of the targets it reaches among ``cols``, joined by ", "."""
    names = [r.targets[j] for j in cols.tolist()]
    if not len(rows) or not names:
        return [""] * len(rows)
    sub = r.matrix[np.ix_(rows, cols)]
    packed = np.packbits(sub, axis=1)  # each row's pattern as bytes: few distinct patterns, many rows
    if packed.shape[1] <= 8:  # up to 64 targets: each pattern one integer, sorted by radix
        key = np.zeros((len(rows), 8), np.uint8)
        key[:, : packed.shape[1]] = packed
        key = key.view(np.uint64).ravel()
    else:
        key = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    order = np.argsort(key, kind="stable")
    first = np.r_[True, key[order][1:] != key[order][:-1]]
    which = np.empty(len(rows), np.int64)
    which[order] = np.cumsum(first) - 1
    said = np.array([", ".join(compress(names, p)) for p in sub[order[first]].tolist()], dtype=object)
    return said[which].tolist()


def blast_radii(G: nx.DiGraph, *, statuses: tuple[str, ...] = AT_RISK) -> pd.DataFrame:
    """The blast radius of every goal whose status is in ``statuses`` (at risk or off track).

    Columns: ``id, kind, title, owner, status, key_results, objectives`` (company ids joined by
    ", "), the goals that put the most company key results at risk first. Company goals themselves
    are left out: they are the risk, not its cause.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3")], links=[Link("WEB-1", "CO-1.KR1")])
    >>> G = alignment_graph(book, scores=[]).copy()  # a copy's attributes can be edited
    >>> G.nodes["WEB-1"]["status"] = "off_track"
    >>> blast_radii(G)[["id", "key_results", "objectives"]].values.tolist()
    [['WEB-1', 'CO-1.KR1', 'CO-1']]
    """
    c = compiled(G)
    r = reach(G)
    names = ["id", "kind", "title", "owner", "status", "key_results", "objectives"]
    idx = np.flatnonzero(_status_in(G, statuses) & ~c.company)
    krs, objs = np.flatnonzero(r.target_kind == KEY_RESULT), np.flatnonzero(r.target_kind == OBJECTIVE)
    n = r.matrix[np.ix_(idx, krs)].sum(axis=1)
    idx = idx[np.argsort(-n, kind="stable")]
    rows = _rows(G, idx, ("kind", "title", "owner", "status"))
    rows["key_results"], rows["objectives"] = _joined(r, idx, krs), _joined(r, idx, objs)
    return _frame(rows, names)


def critical_goals(G: nx.DiGraph, *, top: int | None = 10) -> pd.DataFrame:
    """The goals below the company level that the most company key results depend on.

    Ranked by the number of company key results a goal reaches, then company objectives, then
    the number of goals it serves directly, then the goalbook's order. Columns: ``id, kind,
    title, owner, team, status, key_results`` (how many), ``depends`` (their ids). ``top=None``
    lists every goal that reaches a company key result.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...     KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")])],
    ...     smart_goals=[SmartGoal("DATA-1", "One patient record by June"), SmartGoal("WEB-1", "Booking in 3 steps")],
    ...     links=[Link("DATA-1", "CO-1.KR1"), Link("DATA-1", "CO-1.KR2"), Link("WEB-1", "CO-1.KR2")])
    >>> critical_goals(alignment_graph(book, scores=[]))[["id", "key_results", "depends"]].values.tolist()
    [['DATA-1', 2, 'CO-1.KR1, CO-1.KR2'], ['WEB-1', 1, 'CO-1.KR2']]
    """
    c = compiled(G)
    r = reach(G)
    names = ["id", "kind", "title", "owner", "team", "status", "key_results", "depends"]
    krs, objs = np.flatnonzero(r.target_kind == KEY_RESULT), np.flatnonzero(r.target_kind == OBJECTIVE)
    n_kr = r.matrix[:, krs].sum(axis=1)
    n_obj = r.matrix[:, objs].sum(axis=1)
    out_deg = np.bincount(c.src[c.ekind != PART_OF], minlength=len(c.ids))
    cand = np.flatnonzero(~c.company & (n_kr > 0))
    order = np.lexsort((cand, -out_deg[cand], -n_obj[cand], -n_kr[cand]))
    idx = cand[order][:top] if top is not None else cand[order]
    rows = _rows(G, idx, ("kind", "title", "owner", "team", "status"))
    rows["key_results"] = n_kr[idx]
    rows["depends"] = _joined(r, idx, krs)
    return _frame(rows, names)


# --- contribution roll-up --------------------------------------------------------------------------


def _progress_links(ekind: np.ndarray) -> np.ndarray:
    """A mask of the edges whose link kind counts toward progress (scoring's rule, asked once per kind)."""
    return np.array([scoring.counts_toward_progress(None, link_kind=k) for k in EDGE_KINDS], bool)[ekind]


def _drivers(G: nx.DiGraph) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Edges that feed a roll-up (``contributes`` links, and part_of into objectives driven by
    ``both``), sorted by target, with a mask of those that count, and the progress and driver
    columns.

    Whether an item counts is :func:`goalbook.scoring.counts_toward_progress`'s to say (KPIs and
    candidate ideas do not), asked once for each kind and each initiative stage, not once per edge.
    """
    c = compiled(G)
    progress, stage, driver = _columns(G, "progress", "stage", "driver")
    objectives = np.flatnonzero(c.kind == OBJECTIVE)
    initiatives = np.flatnonzero(c.kind == INITIATIVE)  # the only nodes with a stage
    both = np.zeros(len(c.ids), bool)
    both[objectives] = driver[objectives] == "both"
    feeds = _progress_links(c.ekind) | ((c.ekind == PART_OF) & both[c.dst])
    edges = np.flatnonzero(feeds)
    edges = edges[stable_order(c.dst[edges], len(c.ids))]
    counted = np.array([scoring.counts_toward_progress(kind) for kind in KINDS], bool)[c.kind]
    codes, stages = pd.factorize(stage[initiatives])  # code -1 (no stage) picks the last: None
    counted[initiatives] = np.array([scoring.counts_toward_progress(KINDS[INITIATIVE], s)
                                     for s in (*stages, None)], bool)[codes]
    return edges, counted[c.src[edges]], progress, driver


def contribution_rollup(G: nx.DiGraph) -> pd.DataFrame:
    """What the ``contributes`` links into each goal add up to, by :mod:`goalbook.scoring`'s rules.

    For every goal that something contributes to (and every objective driven by ``children`` or
    ``both``): ``contributors`` (links in), ``counted`` (those that count by
    :func:`goalbook.scoring.counts_toward_progress`: not KPIs, not candidate ideas),
    ``rolled_up`` (``scoring.weighted_mean`` of their progress with the links' weights, a
    contributor with nothing measured yet counting 0 as scoring counts it — for an objective
    driven by ``both``, of its key results' too) and ``progress`` as scored. Where the
    goal's progress comes from its contributors (an objective driven by children, a goal with no
    value of its own) the two agree.
    Columns: ``id, kind, title, level, driver, contributors, counted, rolled_up, progress``.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, Initiative, Link
    >>> from goalbook.alignment import alignment_graph
    >>> from datetime import date
    >>> book = Goalbook(objectives=[Objective("CO-1", "Open Leeds", driver="children")],
    ...     initiatives=[Initiative("INI-1", "Sign the lease", status="done"),
    ...                  Initiative("INI-2", "Hire staff", status="active", progress=0.5),
    ...                  Initiative("INI-3", "Open a cafe", status="candidate")],
    ...     links=[Link("INI-1", "CO-1"), Link("INI-2", "CO-1", weight=3), Link("INI-3", "CO-1")])
    >>> G = alignment_graph(book, today=date(2027, 2, 1))
    >>> contribution_rollup(G)[["id", "contributors", "counted", "rolled_up", "progress"]].values.tolist()
    [['CO-1', 3, 2, 0.625, 0.625]]
    """
    c = compiled(G)
    names = ["id", "kind", "title", "level", "driver", "contributors", "counted", "rolled_up", "progress"]
    edges, counts, progress, driver = _drivers(G)
    objectives = np.flatnonzero(c.kind == OBJECTIVE)
    by_children = np.zeros(len(c.ids), bool)
    by_children[objectives] = (driver[objectives] == "children") | (driver[objectives] == "both")
    dst, src = c.dst[edges], c.src[edges]
    numbers = _floats(G, "progress")  # scored progress, already clamped to 0..1
    if numbers is not None:  # nothing measured yet counts at its baseline, 0 (scoring's rule)
        value = np.nan_to_num(numbers[src], nan=0.0)
    else:
        value = progress[src]
        value[np.equal(value, None)] = 0.0
        value[~counts] = None
    known = counts
    links_in = np.bincount(dst[_progress_links(c.ekind[edges])], minlength=len(c.ids))
    n_counted = np.bincount(dst[known], minlength=len(c.ids))
    targets = np.flatnonzero((links_in > 0) | by_children)
    rows = _rows(G, targets, ("kind", "title", "level", "driver", "progress"))
    rows.update(contributors=links_in[targets], counted=n_counted[targets],
                rolled_up=_weighted_means(dst, value, c.weight[edges], known, targets))
    return _frame(rows, names)


def _weighted_means(dst: np.ndarray, value: np.ndarray, weight: np.ndarray, known: np.ndarray,
                    targets: np.ndarray) -> list[float | None]:
    """``scoring.weighted_mean`` of the ``(value, weight)`` pairs into each of ``targets``, for all
    of them in two ``bincount`` passes.

    ``dst`` is sorted and ``bincount`` adds each bin's terms in input order, so every sum is taken
    in the same order as ``weighted_mean`` takes it and the means are the same floats; values that
    are not plain numbers go through ``weighted_mean`` itself.
    """
    ok = known & (weight > 0) & np.isfinite(weight)
    try:
        v = value[ok].astype(float)
    except (TypeError, ValueError):
        starts = np.searchsorted(dst, targets, side="left").tolist()
        ends = np.searchsorted(dst, targets, side="right").tolist()
        pairs = list(zip(value.tolist(), weight.tolist(), strict=True))
        return [scoring.weighted_mean(pairs[a:b]) for a, b in zip(starts, ends, strict=True)]
    n = int(targets.max()) + 1 if len(targets) else 0
    w, at = weight[ok], dst[ok]
    total = np.bincount(at, weights=v * w, minlength=n)[targets]
    weight_sum = np.bincount(at, weights=w, minlength=n)[targets]
    has = weight_sum > 0
    mean = np.divide(total, weight_sum, out=np.zeros(len(targets)), where=has).astype(object)
    mean[~has] = None
    return mean.tolist()


def contributions(G: nx.DiGraph, goal: str) -> pd.DataFrame:
    """How each item feeding ``goal``'s roll-up adds to it: one row per ``contributes`` link in
    (and, for an objective driven by ``both``, per key result).

    Columns: ``source, link, weight, progress, counted, share`` (of the counted weight) and
    ``contribution`` (share × progress: what it adds to ``rolled_up``; they sum to it).

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, Initiative, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Open Leeds", driver="children")],
    ...     initiatives=[Initiative("INI-1", "Sign the lease", status="done"),
    ...                  Initiative("INI-2", "Hire staff", status="active", progress=0.5)],
    ...     links=[Link("INI-1", "CO-1"), Link("INI-2", "CO-1", weight=3)])
    >>> df = contributions(alignment_graph(book), "CO-1")
    >>> df[["source", "progress", "share", "contribution"]].values.tolist()
    [['INI-1', 1.0, 0.25, 0.25], ['INI-2', 0.5, 0.75, 0.375]]
    """
    c = compiled(G)
    if goal not in c.pos:
        raise KeyError(f"no goal with id '{goal}'{did_you_mean(goal, c.ids)}")
    names = ["source", "link", "weight", "progress", "counted", "share", "contribution"]
    edges, counts, progress, _ = _drivers(G)
    mine = c.dst[edges] == c.pos[goal]
    edges, counts = edges[mine], counts[mine]
    src = c.src[edges].tolist()
    weight = c.weight[edges].tolist()
    value = [scoring.clamp01(progress[s]) for s in src]
    counted = [ok and v is not None and w > 0 for ok, v, w in zip(counts.tolist(), value, weight, strict=True)]
    total = sum(w for w, ok in zip(weight, counted, strict=True) if ok)
    share = [w / total if ok and total else 0.0 for w, ok in zip(weight, counted, strict=True)]
    rows = {"source": [c.ids[s] for s in src], "link": [EDGE_KINDS[k] for k in c.ekind[edges].tolist()],
            "weight": weight, "progress": value, "counted": counted, "share": share,
            "contribution": [s * v if ok else 0.0 for s, v, ok in zip(share, value, counted, strict=True)]}
    return _frame(rows, names)
