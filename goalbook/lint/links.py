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
    pos = ix.order  # goal id -> position: the graph is kept on integers
    src = [pos[kr_id] for kr_id in ix.objective_of if kr_id in pos]
    dst = [pos[ix.objective_of[kr_id].id] for kr_id in ix.objective_of if kr_id in pos]
    for lk in ix.book.links:
        s, t = pos.get(lk.source), pos.get(lk.target)
        if s is not None and t is not None and s != t:  # unknown ids and self-links are GB001's
            src.append(s)
            dst.append(t)
    left = _on_or_behind_loops(max(pos.values(), default=-1) + 1, src, dst)
    if not left:
        return
    import networkx as nx

    ids = {n: gid for gid, n in pos.items()}
    order = ix.order
    tangle = nx.DiGraph((ids[s], ids[t]) for s, t in zip(src, dst, strict=True) if s in left and t in left)
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


def _on_or_behind_loops(n: int, src: list[int], dst: list[int]) -> set[int]:
    """The nodes (of ``n``) Kahn's algorithm cannot order: those on a loop or leading out of one."""
    indeg = [0] * n
    for t in dst:
        indeg[t] += 1
    succ: dict[int, list[int]] = defaultdict(list)
    for s, t in zip(src, dst, strict=True):
        succ[s].append(t)
    todo = [u for u in range(n) if indeg[u] == 0]
    done = 0
    while todo:
        u = todo.pop()
        done += 1
        for v in succ.get(u, ()):
            indeg[v] -= 1
            if indeg[v] == 0:
                todo.append(v)
    if done == n:
        return set()
    return {u for u in range(n) if indeg[u] > 0}
