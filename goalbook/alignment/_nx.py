"""The one place goalbook relies on how networkx stores a graph.

networkx documents a ``DiGraph`` as a dict of dicts of dicts (node → neighbour →
edge data) but keeps them in private attributes (``_node``, ``_succ``, ``_pred``). Filling them
directly, after every check ``add_edges_from`` would make per edge was made in bulk, builds the
alignment graph at about half the cost (``make bench``: alignment build). :data:`DIRECT` is
true only when the installed networkx still has that layout; otherwise the public methods are
used. ``tests/test_library_adapters.py`` fails loudly when a networkx release changes the layout,
and pyproject pins networkx below its next major version.

The same layout lets :func:`seal` make a graph's node and edge attributes read-only
(``types.MappingProxyType`` over each dict, a C call apiece): the analyses cache a snapshot of the
attributes, and a graph nobody can edit in place can never make that snapshot stale.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import networkx as nx

CACHE_KEY = "goalbook.alignment"
"""Where the analyses' integer view is cached in ``G.__networkx_cache__``."""
SEALED_KEY = "goalbook.alignment.sealed"
"""Set in ``G.__networkx_cache__`` while every attribute dict of ``G`` is read-only; networkx empties
that cache on every change of nodes or edges, which may bring editable dicts in."""


def layout_ok() -> bool:
    """True when this networkx stores a DiGraph as the documented plain dicts."""
    G = nx.DiGraph()
    G.add_edge("a", "b", kind="x")
    inner = (getattr(G, "_node", None), getattr(G, "_succ", None), getattr(G, "_pred", None))
    return (all(type(d) is dict for d in inner) and G._adj is G._succ and G._succ["a"]["b"] is G._pred["b"]["a"]
            and G._node == {"a": {}, "b": {}})


DIRECT = layout_ok()


def node_dict(G: nx.DiGraph) -> dict[str, dict[str, Any]]:
    """Where to put the nodes' attribute dicts: ``G``'s own node dict when filling directly, else a
    new dict for :func:`fill` to add through the public methods."""
    return G._node if DIRECT else {}


def fill(G: nx.DiGraph, node: dict[str, dict[str, Any]], src: list[str], dst: list[str],
         data: list[MappingProxyType]) -> bool:
    """Give ``G`` the nodes of ``node`` (already in ``G`` when filled directly) and an edge
    ``src[i] → dst[i]`` with the read-only ``data[i]`` for each i; every check was made by the caller.
    Returns whether the attributes are read-only (filled directly) or copied into the dicts networkx
    makes through its public methods."""
    if not DIRECT:
        G.add_nodes_from(node.items())
        G.add_edges_from(zip(src, dst, data, strict=True))
        return False
    node.update(zip(list(node), map(MappingProxyType, list(node.values())), strict=True))
    succ, pred = G._succ, G._pred
    succ.update({n: {} for n in node})
    pred.update({n: {} for n in node})
    for s, t, d in zip(src, dst, data, strict=True):
        succ[s][t] = d
        pred[t][s] = d
    G.__networkx_cache__[SEALED_KEY] = True
    return True


def seal(G: nx.DiGraph) -> bool:
    """Make every node and edge attribute dict of ``G`` read-only, in place; ``False`` (nothing done)
    when this networkx stores graphs otherwise."""
    if not DIRECT:
        return False
    node, pred = G._node, G._pred
    node.update(zip(list(node), map(MappingProxyType, list(node.values())), strict=True))
    for u, nbrs in G._succ.items():
        for v, d in nbrs.items():
            if type(d) is not MappingProxyType:
                nbrs[v] = pred[v][u] = MappingProxyType(d)
    G.__networkx_cache__[SEALED_KEY] = True
    return True


def sealed(G: nx.DiGraph) -> bool:
    """Whether every attribute dict of ``G`` is still read-only (no node or edge added since)."""
    cache = getattr(G, "__networkx_cache__", None)
    return bool(cache and cache.get(SEALED_KEY))
