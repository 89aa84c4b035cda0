"""The one place goalbook relies on how networkx stores a graph, and the attribute dicts that keep
the analyses' cache honest.

**Direct fill.** networkx documents a ``DiGraph`` as a dict of dicts of dicts (node → neighbour →
edge data) but keeps them in private attributes (``_node``, ``_succ``, ``_pred``). Filling them
directly, after every check ``add_edges_from`` would make per edge was made in bulk, builds the
alignment graph at about half the cost (``make bench``: alignment build). :data:`DIRECT` is
true only when the installed networkx still has that layout; otherwise the public methods are
used. ``tests/test_library_adapters.py`` fails loudly when a networkx release changes the layout,
and pyproject pins networkx below its next major version.

**No stale cache.** The analyses read a snapshot of node and edge attributes cached in the graph's
``__networkx_cache__`` (which networkx empties when nodes or edges are added or removed). Every
attribute dict of a graph built by goalbook is a :class:`WatchedAttrs`, which empties that cache
entry when changed in place (``G.nodes[n]["status"] = ...``), so the next analysis sees the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

CACHE_KEY = "goalbook.alignment"


class WatchedAttrs(dict):
    """A node's or edge's attribute dict that forgets the graph's cached view when changed in place."""

    __slots__ = ("_cache",)

    def _forget(self) -> None:
        cache = getattr(self, "_cache", None)
        if cache:
            cache.pop(CACHE_KEY, None)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._forget()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._forget()
        dict.__delitem__(self, key)

    def __ior__(self, other: Any) -> WatchedAttrs:
        self._forget()
        return dict.__ior__(self, other)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._forget()
        dict.update(self, *args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self._forget()
        return dict.setdefault(self, key, default)

    def pop(self, *args: Any) -> Any:
        self._forget()
        return dict.pop(self, *args)

    def popitem(self) -> tuple[Any, Any]:
        self._forget()
        return dict.popitem(self)

    def clear(self) -> None:
        self._forget()
        dict.clear(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return _restore, (dict(self), getattr(self, "_cache", None))


def _restore(items: dict[Any, Any], cache: dict[str, Any] | None) -> WatchedAttrs:
    out = WatchedAttrs(items)
    if cache is not None:
        out._cache = cache
    return out


def watch(G: nx.DiGraph, dicts: Iterable[WatchedAttrs]) -> None:
    """Tie attribute dicts made for ``G`` to its cache, and make networkx's own methods create such
    dicts for whatever is added later (its documented ``*_attr_dict_factory`` hooks)."""
    cache = G.__networkx_cache__
    for d in dicts:
        d._cache = cache
    G.node_attr_dict_factory = G.edge_attr_dict_factory = _Factory(cache)


class _Factory:
    """Makes empty watched dicts tied to one cache (a class, not a closure, so the graph still pickles)."""

    __slots__ = ("cache",)

    def __init__(self, cache: dict[str, Any]) -> None:
        self.cache = cache

    def __call__(self) -> WatchedAttrs:
        return _restore({}, self.cache)


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


def fill(G: nx.DiGraph, node: dict[str, WatchedAttrs], src: list[str], dst: list[str],
         data: list[WatchedAttrs]) -> None:
    """Give ``G`` the nodes of ``node`` (already in ``G`` when filled directly) and an edge
    ``src[i] → dst[i]`` with ``data[i]`` for each i; every check was made by the caller."""
    if not DIRECT:
        G.add_nodes_from(node.items())
        G.add_edges_from(zip(src, dst, data, strict=True))
        return
    succ, pred = G._succ, G._pred
    succ.update({n: {} for n in node})
    pred.update({n: {} for n in node})
    for s, t, d in zip(src, dst, data, strict=True):
        succ[s][t] = d
        pred[t][s] = d
