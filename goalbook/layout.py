"""A deterministic layered layout of the alignment graph: the strategy on top, the work at the bottom.

Rows, top to bottom: company objectives, their key results, department objectives and key
results, team objectives, key results and SMART goals, people's goals, then initiatives. A goal
always sits below everything it serves (a team goal serving another team goal drops a row), so
a goal with several parents sits under the lowest of them. KPIs sit just below what they feed.

Within each row, goals are ordered to reduce crossing lines (barycenter sweeps: each goal moves
to the mean position of its neighbours in the rows already placed, alternately downward and
upward, keeping the order with the fewest crossings), then spread so parents sit over their
children with at least one unit between neighbours (isotonic regression, pool adjacent
violators). Every step is linear or ``n log n`` in
the size of the graph; no force simulation, no graphviz. The same graph always gives the same
picture.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from goalbook.alignment.graph import (
    INITIATIVE,
    KEY_RESULT,
    KPI_,
    OBJECTIVE,
    SMART_GOAL,
    Compiled,
    compiled,
    dense_rank,
)

_INITIATIVE_ROW = 8  # below person key results (row 7)


def base_rows(c: Compiled) -> np.ndarray:
    """The row each node would take on its own: two rows per level (objectives, then their key
    results and the level's SMART goals), initiatives last. KPIs start at the top and are pushed
    down under what they feed; an unlinked KPI of a team sits with the team's goals."""
    level = c.level.astype(np.int64)
    row = np.zeros(len(c.ids), np.int64)
    row[c.kind == OBJECTIVE] = 2 * np.maximum(level[c.kind == OBJECTIVE], 0)
    measures = (c.kind == KEY_RESULT) | (c.kind == SMART_GOAL)
    row[measures] = 2 * np.maximum(level[measures], 0) + 1
    row[c.kind == INITIATIVE] = _INITIATIVE_ROW
    row[c.kind == KPI_] = 1
    return row


def rows(G: nx.DiGraph) -> np.ndarray:
    """Row of every node (``compiled(G).ids`` order), 0 at the top, empty rows removed."""
    c = compiled(G)
    row = base_rows(c)
    if len(c.ids):
        kpi_alone = (c.kind == KPI_) & (np.bincount(c.src, minlength=len(c.ids)) == 0)
        row[kpi_alone] = 5  # with the team's goals, rather than among the company's
    for group in c.by_generation(descending=True):  # parents are final before their children
        np.maximum.at(row, c.src[group], row[c.dst[group]] + 1)
    return dense_rank(row)


def inversions(values: np.ndarray) -> int:
    """Pairs ``i < j`` with ``values[i] > values[j]`` (bottom-up merge sort, one vectorised step per
    level: ``n log n``)."""
    a = dense_rank(values)
    n = len(a)
    big = n + 1
    total = 0
    width = 1
    index = np.arange(n)
    while width < n:
        block = index // (2 * width)
        right = (index % (2 * width)) >= width
        key = block * big + a  # sorted within each half-block already
        left_keys = key[~right]
        at_or_below = np.searchsorted(left_keys, key[right], side="right")
        block_end = np.searchsorted(left_keys, (block[right] + 1) * big, side="left")
        total += int((block_end - at_or_below).sum())
        a = np.sort(key) - block * big
        width *= 2
    return total


def crossings(c: Compiled, row: np.ndarray, pos: np.ndarray) -> int:
    """Pairs of edges between the same two rows whose ends are in opposite orders: they cross."""
    if not len(c.src):
        return 0
    n_rows = int(row.max()) + 1
    group = row[c.src] * n_rows + row[c.dst]
    order = np.lexsort((pos[c.dst], pos[c.src], group))
    rank = dense_rank(pos[c.dst])
    return inversions((group * (len(c.ids) + 1) + rank)[order])


def _sweep_order(c: Compiled, row: np.ndarray, passes: int) -> np.ndarray:
    """Position of every node within its row after up to ``passes`` barycenter sweeps (down, up,
    ...), keeping the order with the fewest crossings seen."""
    n = len(c.ids)
    n_rows = int(row.max()) + 1 if n else 0
    members = [np.flatnonzero(row == r) for r in range(n_rows)]  # goalbook order to start with
    pos = np.zeros(n)
    for m in members:
        pos[m] = (np.arange(len(m)) + 0.5) / max(len(m), 1)
    best, fewest = pos.copy(), crossings(c, row, pos)
    # edges seen from each row: looking up (to targets) in a down sweep, down (to sources) going up
    up_edges = [np.flatnonzero(row[c.src] == r) for r in range(n_rows)]
    down_edges = [np.flatnonzero(row[c.dst] == r) for r in range(n_rows)]
    for p in range(passes):
        downward = p % 2 == 0
        order = range(1, n_rows) if downward else range(n_rows - 2, -1, -1)
        for r in order:
            m = members[r]
            e = up_edges[r] if downward else down_edges[r]
            me, other = (c.src[e], c.dst[e]) if downward else (c.dst[e], c.src[e])
            total = np.bincount(me, weights=pos[other], minlength=n)[m]
            count = np.bincount(me, minlength=n)[m]
            bary = np.where(count > 0, total / np.maximum(count, 1), pos[m])
            m = m[np.lexsort((pos[m], bary))]
            members[r] = m
            pos[m] = (np.arange(len(m)) + 0.5) / len(m)
        now = crossings(c, row, pos)
        if now < fewest:
            best, fewest = pos.copy(), now
        elif now == fewest:
            break  # settled
    return best


def _isotonic(z: list[float]) -> list[float]:
    """Least-squares non-decreasing fit of ``z`` (pool adjacent violators), linear time."""
    sums: list[float] = []
    counts: list[int] = []
    for v in z:
        sums.append(v)
        counts.append(1)
        while len(sums) > 1 and sums[-2] * counts[-1] > sums[-1] * counts[-2]:
            s, k = sums.pop(), counts.pop()
            sums[-1] += s
            counts[-1] += k
    out: list[float] = []
    for s, k in zip(sums, counts, strict=True):
        out.extend([s / k] * k)
    return out


def _spread(desired: np.ndarray) -> np.ndarray:
    """Positions as close as possible to ``desired`` (already in order) with gaps of at least 1."""
    i = np.arange(len(desired), dtype=float)
    return np.asarray(_isotonic((desired - i).tolist())) + i


def layout_arrays(G: nx.DiGraph, *, passes: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` of every node, in ``compiled(G).ids`` order (see :func:`layered_layout`)."""
    c = compiled(G)
    n = len(c.ids)
    if not n:
        return np.zeros(0), np.zeros(0)
    row = rows(G)
    rank = _sweep_order(c, row, passes)
    n_rows = int(row.max()) + 1
    members = [np.flatnonzero(row == r) for r in range(n_rows)]
    members = [m[np.argsort(rank[m], kind="stable")] for m in members]
    x = np.zeros(n)
    widest = max(range(n_rows), key=lambda r: len(members[r]))
    x[members[widest]] = np.arange(len(members[widest])) - (len(members[widest]) - 1) / 2
    # place rows outward from the widest: each goal over (or under) the mean of its placed neighbours
    placed = np.zeros(n, bool)
    placed[members[widest]] = True
    for r in [*range(widest - 1, -1, -1), *range(widest + 1, n_rows)]:
        m = members[r]
        e = np.flatnonzero(((row[c.src] == r) & placed[c.dst]) | ((row[c.dst] == r) & placed[c.src]))
        me = np.where(row[c.src[e]] == r, c.src[e], c.dst[e])
        other = np.where(row[c.src[e]] == r, c.dst[e], c.src[e])
        total = np.bincount(me, weights=x[other], minlength=n)[m]
        count = np.bincount(me, minlength=n)[m]
        centred = np.arange(len(m)) - (len(m) - 1) / 2
        desired = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        # goals without placed neighbours keep their place between those that have them
        known = ~np.isnan(desired)
        desired = np.interp(np.arange(len(m)), np.flatnonzero(known), desired[known]) if known.any() else centred
        x[m] = _spread(desired)
        placed[m] = True
    return x, -row.astype(float)


def layered_layout(G: nx.DiGraph, *, passes: int = 6) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` for the alignment graph ``G``: rows top to bottom (``y`` is minus the row),
    ``x`` in units of the gap between neighbours.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> from goalbook.alignment import alignment_graph
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...     KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")])],
    ...     smart_goals=[SmartGoal("WEB-1", "Booking in 3 steps"), SmartGoal("OPS-1", "Wait under 10 min")],
    ...     links=[Link("WEB-1", "CO-1.KR1"), Link("OPS-1", "CO-1.KR2")])
    >>> pos = layered_layout(alignment_graph(book, scores=[]))
    >>> [pos[n][1] for n in ("CO-1", "CO-1.KR1", "WEB-1")]
    [-0.0, -1.0, -2.0]
    >>> pos["CO-1.KR1"][0] < pos["CO-1.KR2"][0] and pos["WEB-1"][0] < pos["OPS-1"][0]
    True
    """
    c = compiled(G)
    x, y = layout_arrays(G, passes=passes)
    return {n: (float(a), float(b)) for n, a, b in zip(c.ids, x.tolist(), y.tolist(), strict=True)}
