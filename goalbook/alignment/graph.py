"""The alignment graph: every goal a node, every "A serves B" an edge from A to B.

Edges point from the child to the parent it serves: a key result is ``part_of`` its objective,
and the goalbook's links give ``contributes`` (counts toward the parent's progress) and
``supports`` (shown only) edges with a weight. The graph is a ``networkx.DiGraph`` so any
networkx algorithm works on it; the analyses in :mod:`goalbook.alignment.analyses` read its
structure through :func:`compiled`, an integer view built once and cached on the graph.

The graph is a snapshot of the goalbook: its node and edge attributes are read-only, so the cached
view can never go stale. To change a goal, change the goalbook and build the graph again; to
experiment on the graph itself, ``G.copy()`` gives an editable one (analysed afresh on every call).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np

from goalbook.alignment import _nx
from goalbook.alignment._nx import CACHE_KEY, sealed
from goalbook.collector import collector_paused
from goalbook.errors import Problem, ValidationError
from goalbook.model import LEVELS, LINK_KINDS, Goalbook, is_external, link_problems

KINDS = ("objective", "key_result", "smart_goal", "kpi", "initiative")
EDGE_KINDS = ("part_of", *LINK_KINDS)  # part_of, contributes, supports
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
EDGE_CODE = {k: i for i, k in enumerate(EDGE_KINDS)}
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}  # company 0 ... person 3
OBJECTIVE, KEY_RESULT, SMART_GOAL, KPI_, INITIATIVE = range(len(KINDS))
PART_OF, CONTRIBUTES, SUPPORTS = range(len(EDGE_KINDS))
NODE_ATTRIBUTES = ("kind", "title", "owner", "team", "level", "period", "weight", "indicator", "objective",
                   "driver", "stage", "progress", "status", "score", "colour")
SNAPSHOT = ("title", "owner", "team", "indicator", "objective", "driver", "stage", "progress", "status")


class AlignmentGraph(nx.DiGraph):
    """A ``networkx.DiGraph`` whose node and edge attributes are read-only mappings.

    Editing one in place (``G.nodes[n]["status"] = ...``) raises ``TypeError`` instead of leaving the
    analyses' cached view stale; adding or removing nodes and edges works and empties that cache, as
    networkx does for its own. ``G.copy()`` is editable, and what deep-copies attributes (``copy.deepcopy``,
    pickling, ``to_undirected()``, ``to_directed()``, ``reverse()``) gets an editable plain ``DiGraph``.
    """

    def thawed(self) -> nx.DiGraph:
        """A plain ``DiGraph`` equal to this one, with editable attribute dicts of its own."""
        H = nx.DiGraph()
        H.graph.update(self.graph)
        H.add_nodes_from(self.nodes(data=True))
        H.add_edges_from(self.edges(data=True))
        return H

    def __reduce__(self) -> Any:  # pickling and copy.deepcopy: a plain DiGraph with editable attributes
        return nx.DiGraph, (self.thawed(),)

    def to_undirected(self, reciprocal: bool = False, as_view: bool = False) -> nx.Graph:
        """As ``DiGraph.to_undirected``; a copy (not a view) has editable attributes."""
        if as_view:
            return super().to_undirected(reciprocal=reciprocal, as_view=True)
        return self.thawed().to_undirected(reciprocal=reciprocal)

    def to_directed(self, as_view: bool = False) -> nx.DiGraph:
        """As ``DiGraph.to_directed``; a copy (not a view) has editable attributes."""
        return super().to_directed(as_view=True) if as_view else self.thawed()

    def reverse(self, copy: bool = True) -> nx.DiGraph:
        """As ``DiGraph.reverse``; a copy (not a view) has editable attributes."""
        return self.thawed().reverse(copy=True) if copy else super().reverse(copy=False)


def alignment_graph(book: Goalbook, *, scores: Any = None, today: date | None = None) -> AlignmentGraph:
    """Build the alignment graph of ``book``; reject it when its links are broken.

    Every objective, key result, SMART goal, KPI and initiative becomes a node with the
    attributes ``kind``, ``title``, ``owner``, ``team``, ``level``, ``period``, ``weight`` and,
    from :mod:`goalbook.scoring`, ``progress``, ``status``, ``score`` and ``colour`` (``None``
    when unknown); key results, SMART goals and KPIs add ``indicator``, key results their
    ``objective``, objectives their ``driver`` and initiatives their ``stage`` (candidate, approved,
    active, done). A key result without an owner shows its objective's. Pass
    ``scores`` (``score_book``'s list, or a mapping id → score) to reuse scores already computed;
    otherwise they are computed for ``today``.

    Edges carry ``kind`` (``part_of``, ``contributes``, ``supports``) and ``weight`` (a key
    result's weight in its objective, or the link's). A link given twice in the same way is one
    edge.

    Raises :class:`~goalbook.errors.ValidationError` naming every link to an unknown id, every
    self-link, every pair linked twice in different ways and every loop ("SALES-2 → CO-1.KR3 →
    SALES-2"), so all can be fixed in one pass.

    The graph's attributes are read-only (see :class:`AlignmentGraph`): it is a snapshot of
    ``book``; after editing the goalbook, build it again.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60)])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3", team="Web")],
    ...     links=[Link("WEB-1", "CO-1.KR1")])
    >>> G = alignment_graph(book, scores=[])
    >>> sorted(G.edges(data="kind"))
    [('CO-1.KR1', 'CO-1', 'part_of'), ('WEB-1', 'CO-1.KR1', 'contributes')]
    >>> G.nodes["WEB-1"]["team"], G.nodes["CO-1.KR1"]["level"]
    ('Web', 'company')
    """
    if scores is None:
        from goalbook.scoring import score_book

        try:
            scores = score_book(book, today=today)
        except (TypeError, ValueError):  # a malformed goal or link trips scoring first:
            _build(book, [])  # the graph's own check names it (file, goal, field), as validate() does
            raise
    external = [lk for lk in book.links if is_external(lk.target)]  # to another goalbook: listed, not drawn
    if external:
        book = replace(book, links=[lk for lk in book.links if not is_external(lk.target)])
    with collector_paused():
        G = _build(book, scores)
    G.graph["external_links"] = external
    return G


def _build(book: Goalbook, scores: Any) -> AlignmentGraph:
    G = AlignmentGraph(organisation=book.organisation)
    node: dict[str, dict[str, Any]] = _nx.node_dict(G)
    rows, score_ids = _score_rows(book, scores)
    nodes = _Nodes(book, rows, node)
    ids = tuple(node)
    if score_ids is not None and score_ids != ids:  # not in the goalbook's order: match them by id
        node.clear()
        by_id = dict(zip(score_ids, rows, strict=True))
        nodes = _Nodes(book, [by_id.get(g.id, _NO_SCORE) for g in book.iter_goals()], node)
        ids = tuple(node)
    pos = dict(zip(ids, range(len(ids)), strict=True))
    problems: list[Problem] = []
    if nodes.count != len(ids):
        problems += _duplicate_problems(book, [g.id for g in book.iter_goals()])
    links = _Links(book.links, pos)
    lsrc, ldst, lkind, lweight = links.src, links.dst, links.kind, links.weight
    bad = (lsrc < 0) | (ldst < 0) | (lsrc == ldst) | (lkind <= PART_OF) | ~(lweight > 0)
    for n in np.flatnonzero(bad).tolist():
        problems += _bad_link(book, n, pos)
    n_part = len(nodes.part_src)
    src = np.concatenate([nodes.part_src, lsrc])
    dst = np.concatenate([nodes.part_dst, ldst])
    ekind = np.concatenate([np.zeros(n_part, np.int64), lkind])
    weight = np.concatenate([nodes.part_weight, lweight])
    keep = _first_of_each_pair(len(ids), src, dst)
    if keep is not None:
        problems += _conflicting_links(book, src, dst, ekind, weight, n_part)
        src, dst, ekind, weight = src[keep], dst[keep], ekind[keep], weight[keep]
    if problems:
        raise ValidationError(problems, _summary(problems, "the alignment graph cannot be built"))
    gen, left = generations(len(ids), src, dst)
    if left.any():
        on = left[src] & left[dst]
        problems = _loop_problems(book, ids, src[on], dst[on])
        raise ValidationError(problems, _summary(problems, "the links form loops"))
    if _assemble(G, book, node, nodes, links, None if keep is None else keep[n_part:].tolist()):  # read-only
        G.__networkx_cache__[CACHE_KEY] = Compiled(ids, pos, nodes.kind, nodes.level, src, dst, ekind.astype(np.int8),
                                                    weight, gen, nodes.attrs, {"ids": nodes.ids})
    return G


@dataclass(frozen=True, eq=False)
class Compiled:
    """The graph as integers and columns, for linear-time analyses.

    Node ``i`` is ``ids[i]``; edge ``e`` runs ``src[e]`` → ``dst[e]`` with kind code ``ekind[e]``
    (``EDGE_KINDS``). ``gen`` is each node's topological generation: every edge goes from a lower
    generation to a higher one. ``attrs`` holds the node attributes the analyses read, as they were
    when this view was made.
    """

    ids: tuple[str, ...]
    pos: dict[str, int]
    kind: np.ndarray  # KIND_CODE per node
    level: np.ndarray  # LEVEL_RANK per node, -1 when the node has no level
    src: np.ndarray
    dst: np.ndarray
    ekind: np.ndarray
    weight: np.ndarray
    gen: np.ndarray
    attrs: dict[str, np.ndarray]  # SNAPSHOT attributes, one object array per name in node order
    memo: dict[str, Any] = field(default_factory=dict)  # results derived from the above, kept with them

    @property
    def company(self) -> np.ndarray:
        """Mask of company objectives and their key results: the strategy everything serves."""
        return (self.level == 0) & (self.kind <= KEY_RESULT)

    def by_generation(self, descending: bool = True) -> list[np.ndarray]:
        """Edge indices grouped by their source's generation; with ``descending`` the groups nearest
        the top come first, so a node's parents are final before its own group is processed."""
        g = self.gen[self.src]
        top = int(self.gen.max()) if len(self.gen) else 0
        g = top - g if descending else g
        order = stable_order(g, top + 1)
        cuts = np.flatnonzero(np.diff(g[order])) + 1
        return np.split(order, cuts) if len(order) else []


def compiled(G: nx.DiGraph) -> Compiled:
    """The integer view of an alignment graph, cached on it while nothing can make it stale.

    The view also holds the node attributes the analyses read (title, owner, team, indicator,
    objective, driver, stage, progress, status), because reading 40,000 scattered dicts is most of an
    analysis' time. It is cached (in ``G.__networkx_cache__``) only while every attribute dict of ``G``
    is read-only, as :func:`alignment_graph` and :func:`filtered` make them; networkx empties that cache
    whenever nodes or edges are added or removed. Any other graph (a copy, a graph made by hand) may be
    edited in place at any time, so its view is built afresh on every call: never stale, only slower.
    (Watching every attribute dict for edits instead was measured: about 25% slower to build.)
    """
    cache = getattr(G, "__networkx_cache__", None)
    if cache is not None and CACHE_KEY in cache:
        return cache[CACHE_KEY]
    ids = tuple(G)
    pos = {n: i for i, n in enumerate(ids)}
    datas = [d for _, d in G.nodes(data=True)]
    kind = np.array([KIND_CODE.get(d.get("kind"), INITIATIVE) for d in datas], np.int8)
    level = np.array([LEVEL_RANK.get(d.get("level"), -1) for d in datas], np.int8)
    attrs = {name: _objects([d.get(name) for d in datas]) for name in SNAPSHOT}
    edges = list(G.edges(data=True))
    src = np.array([pos[u] for u, _, _ in edges], np.int64)
    dst = np.array([pos[v] for _, v, _ in edges], np.int64)
    ekind = np.array([EDGE_CODE.get(d.get("kind"), CONTRIBUTES) for _, _, d in edges], np.int8)
    weight = np.array([d.get("weight", 1.0) for _, _, d in edges], float)
    gen, left = generations(len(ids), src, dst)
    if left.any():
        raise ValueError("the graph has a loop; build it with goalbook.alignment_graph to see where")
    c = Compiled(ids, pos, kind, level, src, dst, ekind, weight, gen, attrs)
    if sealed(G):
        cache[CACHE_KEY] = c
    return c


def refresh(G: nx.DiGraph) -> None:
    """Forget what the analyses cached about ``G``. Never needed for correctness any more (a graph
    whose attributes can be edited is not cached); kept so code that calls it still runs."""
    cache = getattr(G, "__networkx_cache__", None)
    if cache is not None:
        cache.pop(CACHE_KEY, None)


def filtered(G: nx.DiGraph, *, level: str | None = None, status: str | None = None,
             period: str | None = None) -> nx.DiGraph:
    """The part of ``G`` whose goals have this ``level``, ``status`` and ``period`` (``None``: any),
    as a new graph (``G`` itself when everything is kept).

    KPIs and initiatives have no period: with a period asked for, those feeding a kept goal are
    kept too (when no level is asked for, and if they have the status asked for).

    >>> from goalbook.model import Goalbook, Objective, KeyResult, KPI, Link
    >>> from goalbook.period import Period
    >>> q1, q2 = Period.parse("2027-Q1"), Period.parse("2027-Q2")
    >>> book = Goalbook(objectives=[Objective("A", "a", period=q1), Objective("B", "b", period=q2)],
    ...                 kpis=[KPI("K", "k")], links=[Link("K", "A", kind="supports")])
    >>> sorted(filtered(alignment_graph(book, scores=[]), period="2027-Q1"))
    ['A', 'K']
    """
    wanted = {"level": level, "status": status, "period": period}
    keep = {n for n, d in G.nodes(data=True) if all(v is None or d.get(k) == v for k, v in wanted.items())}
    if period is not None and level is None:
        keep |= {u for u, v in G.edges() if v in keep and G.nodes[u].get("kind") in ("kpi", "initiative")
                 and (status is None or G.nodes[u].get("status") == status)}
    if len(keep) == G.number_of_nodes():
        return G
    H = G.subgraph(keep).copy()
    if sealed(G):  # a part of a snapshot is one too, and keeps its view cached
        _nx.seal(H)
    return H


def generations(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topological generation of each of ``n`` nodes (Kahn's algorithm, one vectorised step per
    generation) and the mask of nodes left over because they sit on or behind a loop."""
    indeg = np.bincount(dst, minlength=n)
    gen = np.full(n, -1, np.int64)
    frontier = np.flatnonzero(indeg == 0)
    todo = np.ones(len(src), bool)
    g = 0
    while frontier.size:
        gen[frontier] = g
        hit = np.zeros(n, bool)
        hit[frontier] = True
        out = hit[src] & todo
        todo &= ~out
        reached = dst[out]
        indeg -= np.bincount(reached, minlength=n)
        frontier = distinct(reached[indeg[reached] == 0])
        g += 1
    return gen, gen < 0


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique`` without its hashing overhead on small int arrays)."""
    s = np.sort(values)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def member(values: np.ndarray, among: np.ndarray | list[int]) -> np.ndarray:
    """Mask of the ``values`` found in ``among`` (``np.isin`` by binary search, without hashing)."""
    pool = np.sort(np.asarray(among, dtype=np.int64))
    if not len(pool):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(pool, values), len(pool) - 1)
    return pool[at] == values


def stable_order(keys: np.ndarray, bound: int) -> np.ndarray:
    """Indices that sort ``keys`` (integers in ``0 .. bound - 1``), equal keys left in their order:
    numpy's linear-time radix sort when they fit in 16 bits (node positions below 65,536 do),
    else its merge sort."""
    return np.argsort(keys.astype(np.uint16) if bound <= 2**16 else keys, kind="stable")


def dense_rank(values: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values (0 for the smallest); equal values share a rank."""
    order = np.argsort(values, kind="stable")
    s = values[order]
    rank = np.empty(len(values), np.int64)
    rank[order] = np.cumsum(np.r_[False, s[1:] != s[:-1]]) if len(s) else []
    return rank


# --- building ----------------------------------------------------------------------------------------


class _Unscored:
    """The scores of a goal that has none: everything unknown."""

    progress = status = score = colour = None


_NO_SCORE = _Unscored()


def _score_rows(book: Goalbook, scores: Any) -> tuple[list[Any], tuple[str, ...] | None]:
    """The score of each goal (anything with ``progress``, ``status``, ``score`` and ``colour``),
    in the goalbook's order when the scores come in it (``score_book``'s list does) — then also
    their ids, to check — else looked up by id."""
    if isinstance(scores, Mapping):
        return [scores.get(g.id, _NO_SCORE) for g in book.iter_goals()], None
    scores = list(scores)
    return scores, tuple(map(attrgetter("id"), scores))


class _Nodes:
    """Fills ``node`` with id → attributes for every entity in the goalbook's order, taking each
    one's scores from ``rows`` by position; keeps their kind and level codes, the attributes the
    analyses read (``SNAPSHOT``) as columns, and each key result's part_of edge as positions and
    weight. Attributes that do not apply to a kind are left out."""

    def __init__(self, book: Goalbook, rows: list[Any], node: dict[str, dict[str, Any]]) -> None:
        objs, sgs, kpis, inis = book.objectives, book.smart_goals, book.kpis, book.initiatives
        sizes = np.array([len(o.key_results) for o in objs], np.int64)
        n_okr = len(objs) + int(sizes.sum())
        n = self.count = n_okr + len(sgs) + len(kpis) + len(inis)
        if len(rows) != n:
            rows = (rows + [_NO_SCORE] * n)[:n]
        snap: list[tuple] = []  # (title, owner, team, indicator, progress, status) per entity, in order
        note = snap.append
        part_weight: list[float] = []
        weigh = part_weight.append
        scored = iter(rows).__next__
        for o in objs:
            period = o.period.name if o.period else None
            oid, lead, team, level = o.id, o.owner, o.team, o.level  # read once, shared with its key results
            sc = scored()
            p, st = sc.progress, sc.status
            node[oid] = {"kind": "objective", "title": o.title, "owner": lead, "team": team, "level": level,
                         "period": period, "weight": 1.0, "driver": o.driver, "progress": p, "status": st,
                         "score": sc.score, "colour": sc.colour}
            note((o.title, lead, team, None, p, st))
            for kr in o.key_results:
                sc = scored()
                p, st = sc.progress, sc.status
                w = 1.0 if kr.weight is None else kr.weight
                title, owner, indicator = kr.title, kr.owner or lead, kr.indicator
                weigh(w)
                node[kr.id] = {"kind": "key_result", "title": title, "owner": owner, "team": team, "level": level,
                               "period": period, "weight": w, "indicator": indicator, "objective": oid,
                               "progress": p, "status": st, "score": sc.score, "colour": sc.colour}
                note((title, owner, team, indicator, p, st))
        for g in sgs:
            sc = scored()
            p, st = sc.progress, sc.status
            node[g.id] = {"kind": "smart_goal", "title": g.statement, "owner": g.owner, "team": g.team,
                          "level": g.level, "period": g.period.name if g.period else None,
                          "weight": 1.0 if g.weight is None else g.weight, "indicator": g.indicator,
                          "progress": p, "status": st, "score": sc.score, "colour": sc.colour}
            note((g.statement, g.owner, g.team, g.indicator, p, st))
        for k in kpis:
            sc = scored()
            p, st = sc.progress, sc.status
            node[k.id] = {"kind": "kpi", "title": k.name, "owner": k.owner, "team": k.team, "level": None,
                          "period": None, "weight": 1.0, "indicator": k.indicator, "progress": p, "status": st,
                          "score": sc.score, "colour": sc.colour}
            note((k.name, k.owner, k.team, k.indicator, p, st))
        for i in inis:
            sc = scored()
            p, st = sc.progress, sc.status
            node[i.id] = {"kind": "initiative", "title": i.title, "owner": i.owner, "team": i.team, "level": None,
                          "period": None, "weight": 1.0, "stage": i.status, "progress": p, "status": st,
                          "score": sc.score, "colour": sc.colour}
            note((i.title, i.owner, i.team, None, p, st))
        # positions: each objective is followed by its key results, then come the other kinds
        objectives = np.arange(len(objs)) + np.cumsum(sizes) - sizes
        part_dst = np.repeat(objectives, sizes)
        part_src = np.arange(len(part_dst)) + np.repeat(np.arange(1, len(objs) + 1), sizes)
        kind = np.full(n, OBJECTIVE, np.int8)
        kind[part_src] = KEY_RESULT
        kind[n_okr:] = np.repeat(np.array([SMART_GOAL, KPI_, INITIATIVE], np.int8), (len(sgs), len(kpis), len(inis)))
        rank = LEVEL_RANK.get
        level = np.full(n, -1, np.int8)
        level[objectives] = [rank(o.level, -1) for o in objs]
        level[part_src] = level[part_dst]
        level[n_okr:n_okr + len(sgs)] = [rank(g.level, -1) for g in sgs]
        self.kind, self.level = kind, level
        self.part_src, self.part_dst, self.part_weight = part_src, part_dst, np.array(part_weight, float)
        title, owner, team, indicator, progress, status = zip(*snap, strict=True) if snap else ((),) * 6
        ids = self.ids = _objects(node) if len(node) == n else None  # with duplicate ids the build fails anyway
        self.attrs = {
            "title": _objects(title), "owner": _objects(owner), "team": _objects(team),
            "indicator": _objects(indicator), "progress": _objects(progress), "status": _objects(status),
            "objective": _sparse(n, part_src if ids is not None else part_src[:0],
                                 ids[part_dst] if ids is not None else []),
            "driver": _sparse(n, objectives, [o.driver for o in objs]),
            "stage": _sparse(n, np.arange(n - len(inis), n), [i.status for i in inis]),
        }


def _sparse(n: int, at: np.ndarray, values: Any) -> np.ndarray:
    """An object array of ``n`` Nones with ``values`` at positions ``at``."""
    arr = np.full(n, None, dtype=object)
    if len(at):
        arr[at] = values
    return arr


def _objects(values: Any) -> np.ndarray:
    """``values`` as a numpy object array: picked from by index arrays, and never rescanned by the
    cycle collector the way a tuple or list of 40,000 entries is."""
    return np.fromiter(values, dtype=object, count=len(values))


_PLAIN_WEIGHTS = {float, int, bool, type(None)}


class _Links:
    """The goalbook's links as columns, each link object visited once: ends as node positions (-1
    when unknown), kind codes (-1 when unknown) and weights (``None`` counts as 1)."""

    def __init__(self, links: list[Any], pos: Mapping[str, int]) -> None:
        n = len(links)
        self.sources = [lk.source for lk in links]
        self.targets = [lk.target for lk in links]
        self.kinds = [lk.kind for lk in links]
        weights = [lk.weight for lk in links]
        self.src = _positions(self.sources, pos)
        self.dst = _positions(self.targets, pos)
        self.kind = np.fromiter(map(EDGE_CODE.get, self.kinds, repeat(-1, n)), np.int64, n)
        if set(map(type, weights)) <= _PLAIN_WEIGHTS:
            self.weight = np.array([1.0 if w is None else w for w in weights] if None in weights else weights, float)
        else:  # only numbers are weights, as link_problems says: numpy would read the text "2" as 2.0
            self.weight = np.array([1.0 if w is None else w if isinstance(w, int | float) else np.nan
                                    for w in weights], float)
        self.weights = weights if set(map(type, weights)) <= {float} else self.weight.tolist()


def _positions(ids: list[Any], pos: Mapping[str, int]) -> np.ndarray:
    """The position of each of ``ids``, -1 for an id that is not there."""
    n = len(ids)
    if n > 1:  # one look-up of them all in C; it stops at the first unknown id, then the way below
        try:
            return np.fromiter(itemgetter(*ids)(pos), np.int64, n)
        except KeyError:
            pass
    return np.fromiter(map(pos.get, ids, repeat(-1, n)), np.int64, n)


def _assemble(G: nx.DiGraph, book: Goalbook, node: dict[str, dict[str, Any]], nodes: _Nodes, links: _Links,
              keep_links: list[bool] | None) -> bool:
    """Fill ``G`` with the nodes and edges already checked (directly when networkx allows, see
    :mod:`goalbook.alignment._nx`); whether its attributes were made read-only."""
    sources, targets, kinds, weights = links.sources, links.targets, links.kinds, links.weights
    if keep_links is not None:
        sources, targets, kinds, weights = (list(compress(column, keep_links))
                                            for column in (sources, targets, kinds, weights))
    # read-only edge data, one mapping per distinct (kind, weight) shared by every edge that has it: cheaper
    # than a dict per edge, and safe to share since nothing can change it
    pairs = [("part_of", w) for w in nodes.part_weight.tolist()]
    pairs += zip(kinds, weights, strict=True)
    shared = {pair: MappingProxyType({"kind": pair[0], "weight": pair[1]}) for pair in set(pairs)}
    data = list(map(shared.__getitem__, pairs))
    src = nodes.ids[nodes.part_src].tolist()  # every id is distinct here: duplicates were refused above
    src += sources
    dst = nodes.ids[nodes.part_dst].tolist()
    dst += targets
    return _nx.fill(G, node, src, dst, data)


# --- problems ----------------------------------------------------------------------------------------


def _where(book: Goalbook, entity: str | None, problem: Problem) -> Problem:
    loc = book.locations.get(entity) if entity else None
    return problem.located(*loc) if loc else problem


def _duplicate_problems(book: Goalbook, ids: list[str]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for n in ids:
        if n in seen:
            out.append(_where(book, n, Problem(f"id '{n}' is used twice — every id must be unique",
                                               entity=n, field="id")))
        seen.add(n)
    return out


def _first_of_each_pair(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray | None:
    """Mask keeping the first edge of every (source, target) pair, or ``None`` when all are distinct."""
    ok = (src >= 0) & (dst >= 0)
    key = np.where(ok, src * n + dst, -1 - np.arange(len(src)))  # broken links never collide
    ordered = np.sort(key)
    if not (ordered[1:] == ordered[:-1]).any():
        return None
    order = np.argsort(key, kind="stable")
    dup = np.zeros(len(key), bool)
    dup[order[1:]] = key[order[1:]] == key[order[:-1]]
    return ~dup if dup.any() else None


def _conflicting_links(book: Goalbook, src: np.ndarray, dst: np.ndarray, ekind: np.ndarray, weight: np.ndarray,
                       n_part: int) -> list[Problem]:
    """A problem for every link repeating a pair already linked in another way (kind or weight),
    or linking a key result to its own objective."""
    first: dict[tuple[int, int], int] = {}
    out = []
    for e, pair in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        if pair[0] < 0 or pair[1] < 0:
            continue
        f = first.setdefault(pair, e)
        if f == e or (ekind[f] == ekind[e] and weight[f] == weight[e]):
            continue
        n = e - n_part
        lk = book.links[n]
        what = (f"{lk.source} is already a key result of {lk.target}" if ekind[f] == PART_OF else
                f"it is already linked as '{EDGE_KINDS[ekind[f]]}' with weight {weight[f]:g}")
        out.append(_where(book, lk.source, Problem(
            f"link {lk.source} → {lk.target} ({lk.kind}, weight {weight[e]:g}): {what}",
            entity=lk.source, field="link.target", path=("links", n))))
    return out


def _bad_link(book: Goalbook, n: int, pos: Mapping[str, int]) -> list[Problem]:
    """Why link ``n`` was flagged by the bulk check in :func:`_build` (which restates
    :func:`goalbook.model.link_problems` on arrays, for speed), in that rule's words."""
    return [_where(book, book.links[n].source, p) for p in link_problems(book.links[n], n, pos)]


def _loop_problems(book: Goalbook, ids: list[str], src: np.ndarray, dst: np.ndarray) -> list[Problem]:
    """One problem per tangle of links that loops back on itself, with one loop spelled out."""
    H = nx.DiGraph()
    H.add_edges_from((ids[s], ids[t]) for s, t in zip(src.tolist(), dst.tolist(), strict=True))
    order = {n: i for i, n in enumerate(ids)}
    out = []
    comps = [c for c in nx.strongly_connected_components(H) if len(c) > 1]
    for comp in sorted(comps, key=lambda c: min(order[n] for n in c)):
        loop = [u for u, _ in nx.find_cycle(H.subgraph(comp))]
        start = max(range(len(loop)), key=lambda i: order[loop[i]])  # start from the lowest goal
        loop = loop[start:] + loop[:start]
        text = " → ".join([*loop, loop[0]])
        out.append(_where(book, loop[0], Problem(f"links form a loop: {text} — a goal cannot serve itself, "
                                                 "remove one of these links", entity=loop[0], field="link")))
    return out


def _summary(problems: list[Problem], what: str) -> str:
    n = len(problems)
    return f"{what}: {n} problem{'s' if n != 1 else ''}"
