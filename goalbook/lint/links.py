"""Rules about alignment: goals that serve no company objective, initiatives that serve nothing, and
company key results nothing works toward.

"Aligned" means what :func:`goalbook.alignment.analyses.aligned_mask` means: a path of links leads
from the goal to a company objective or one of its key results; an objective is aligned when it or
any of its key results is, and then so are all its key results. It is computed here again, in one
breadth-first pass over the book's own lists, because the linter must also run on books the
alignment graph refuses (links to unknown ids, loops): finding those is part of its job.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator

from goalbook.lint.context import BookIndex
from goalbook.lint.findings import Finding
from goalbook.lint.shape import make
from goalbook.model import Initiative, KeyResult, Objective


def aligned_ids(ix: BookIndex) -> set[str]:
    """Ids of every goal that reaches the company's objectives through links (see module docstring)."""
    aligned = {gid for gid, g in ix.goals.items() if ix.is_company(g)}
    queue = deque(aligned)
    while queue:
        gid = queue.popleft()
        more = [lk.source for lk in ix.links_to.get(gid, ())]
        g = ix.goals.get(gid)
        if isinstance(g, Objective):
            more += [kr.id for kr in g.key_results]
        elif isinstance(g, KeyResult) and gid in ix.objective_of:
            more.append(ix.objective_of[gid].id)
        for other in more:
            if other not in aligned and other in ix.goals:
                aligned.add(other)
                queue.append(other)
    return aligned


def _targets(ix: BookIndex, gid: str) -> list[str]:
    """What a goal links to, an objective's key results' links included."""
    out = [lk.target for lk in ix.links_from.get(gid, ())]
    g = ix.goals.get(gid)
    if isinstance(g, Objective):
        out += [lk.target for kr in g.key_results for lk in ix.links_from.get(kr.id, ())]
    return list(dict.fromkeys(out))


def _some(items: list[str], n: int = 3) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def check_alignment(ix: BookIndex) -> Iterator[Finding]:
    """GB208 for team goals, KPIs and linked initiatives that reach no company objective; GB212 for
    initiatives with no link at all."""
    aligned = aligned_ids(ix)
    for gid, g in ix.goals.items():
        if gid in aligned or isinstance(g, KeyResult) or ix.is_company(g):
            continue
        targets = _targets(ix, gid)
        what = ix.what(g)
        if isinstance(g, Initiative) and not targets:
            yield make("GB212", g, f"initiative {gid} supports nothing: no key result, goal or objective says "
                                   "why it is worth doing",
                       "Link it to the key result or goal it should move (supports: [ID]), or drop it", "supports")
            continue
        if not targets:
            yield make("GB208", g, f"{what} serves no company objective: it has no link",
                       "Link it to the company key result or objective it moves (supports: [ID]); if it "
                       "serves none, ask whether it is worth the effort", "supports")
        else:
            verb = "serves" if len(targets) == 1 else "serve"
            yield make("GB208", g, f"{what} serves no company objective: it links to {_some(targets)}, which "
                                   f"{verb} no company objective either",
                       "Link it, or what it links to, up to a company key result or objective", "supports")


def check_uncovered(ix: BookIndex) -> Iterator[Finding]:
    """GB214: company key results that nothing is planned against."""
    for o in ix.book.objectives:
        if o.level != "company":
            continue
        for kr in o.key_results:
            if not ix.links_to.get(kr.id):
                yield make("GB214", kr, f"company key result {kr.id} has nothing working toward it: no goal, KPI "
                                        "or initiative links to it",
                           "Plan a team goal or initiative against it (supports: [" + kr.id + "]), or say why it "
                           "will move on its own", "supports")


def check_loops(ix: BookIndex) -> Iterator[Finding]:
    """GB220: links that lead from a goal back to itself, one finding per tangle with one loop
    spelled out, as ``goalbook graph`` reports them (a key result is part of its objective, so a
    link from an objective to its own key result is a loop too).

    Kahn's pruning finds the goals on or behind a loop in one linear pass over plain lists (the
    alignment package would pull in pandas for this); networkx spells a loop out only where one is.
    """
    succ: dict[str, list[str]] = defaultdict(list)
    for kr_id, o in ix.objective_of.items():
        succ[kr_id].append(o.id)
    for lk in ix.book.links:
        if lk.source in ix.goals and lk.target in ix.goals and lk.source != lk.target:  # the rest is GB001's
            succ[lk.source].append(lk.target)
    left = _on_or_behind_loops(succ)
    if not left:
        return
    import networkx as nx

    order = {gid: n for n, gid in enumerate(ix.goals)}
    tangle = nx.DiGraph((u, v) for u in left for v in succ.get(u, ()) if v in left)
    comps = [c for c in nx.strongly_connected_components(tangle) if len(c) > 1]
    for comp in sorted(comps, key=lambda c: min(order[n] for n in c)):
        loop = [u for u, _ in nx.find_cycle(tangle.subgraph(comp))]
        start = min(range(len(loop)), key=lambda i: order[loop[i]])  # start from the goal first in the book
        loop = loop[start:] + loop[:start]
        text = " → ".join([*loop, loop[0]])
        yield make("GB220", ix.goals[loop[0]],
                   f"The links form a loop: {text}. A goal cannot serve itself, and `goalbook graph` refuses "
                   "this book until the loop is broken.",
                   "Remove one of these links (usually the one that points down, from a company goal to a "
                   "team's).", "supports")


def _on_or_behind_loops(succ: dict[str, list[str]]) -> set[str]:
    """The nodes Kahn's algorithm cannot order: those on a loop or leading into one."""
    indeg: dict[str, int] = defaultdict(int)
    for u, vs in succ.items():
        indeg.setdefault(u, 0)
        for v in vs:
            indeg[v] += 1
    todo = [u for u, d in indeg.items() if d == 0]
    while todo:
        u = todo.pop()
        del indeg[u]
        for v in succ.get(u, ()):
            indeg[v] -= 1
            if indeg[v] == 0:
                todo.append(v)
    return set(indeg)
