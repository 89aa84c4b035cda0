"""Alignment at company scale: the synthetic organisation of 10,000 people (~40,000 goals and key
results, ~60,000 links).

- Building the alignment graph and running every analysis (``analyse``) against networkx building
  a bare ``DiGraph`` from the same edge list (target: at most 3x). ``analyse`` pauses the garbage
  collector while it works, so the floor is timed with it paused too (``nx.DiGraph`` makes as many
  dicts, and the collector's passes over them are no part of either's work); the floor with the
  collector running is printed beside it for scale. Scores are computed once by
  ``goalbook.scoring`` and passed in, as the command line and widgets do; scoring itself is
  measured on its own line (it reads 190,000 check-ins and belongs to the scoring budget).
- The layered layout (target: 3 s) beside networkx's topological generations, the layering step
  alone.
- The figure (target: 2 s), folded to fit by default and with every goal, beside plotly taking
  one WebGL trace of all the points.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date

import networkx as nx
import plotly.graph_objects as go

from benchmarks._harness import Figure, absolute_figure, best_of, ratio_figure
from benchmarks.synthetic import generate_org
from goalbook.alignment import alignment_graph, analyse
from goalbook.figures.alignment import alignment_figure
from goalbook.layout import layered_layout, layout_arrays
from goalbook.scoring import score_book

PEOPLE = 10_000
TODAY = date(2027, 2, 26)


def run() -> list[Figure]:
    book = generate_org(PEOPLE)
    scores = score_book(book, today=TODAY)
    G = alignment_graph(book, scores=scores)
    edge_list = list(G.edges())
    size = f"{G.number_of_nodes():,} goals, {G.number_of_edges():,} edges"
    floor = best_of(lambda: _collector_paused(nx.DiGraph, edge_list), repeat=7)
    floor_collecting = best_of(lambda: nx.DiGraph(edge_list), repeat=7)
    everything = best_of(lambda: analyse(book, scores=scores), repeat=7)  # builds the graph, then analyses
    build = best_of(lambda: alignment_graph(book, scores=scores), repeat=7)
    scoring = best_of(lambda: score_book(book, today=TODAY), repeat=1)
    paused = "nx.DiGraph(edge_list), gc paused"
    out = [
        ratio_figure(f"alignment graph + every analysis ({size})", everything, paused, floor, 3),
        Figure("  of which building the graph alone", build, paused, floor, "(reported)", True),
        Figure("  the floor with the garbage collector running", floor_collecting, paused, floor, "(reported)",
               True),
        Figure("  scoring the book, outside the graph budget", scoring, paused, floor, "(reported)", True),
    ]
    layering = best_of(lambda: list(nx.topological_generations(G)), repeat=3)
    layout = best_of(lambda: layered_layout(G), repeat=3)
    out.append(absolute_figure("alignment layered layout", layout, "nx.topological_generations", layering, 3))
    x, y = layout_arrays(G)
    points = best_of(lambda: go.Figure(go.Scattergl(x=x, y=y, mode="markers")), repeat=3)
    folded = best_of(lambda: alignment_figure(G), repeat=3)
    full = best_of(lambda: alignment_figure(G, max_nodes=None), repeat=3)
    out.append(absolute_figure("alignment figure, folded to fit (default)", folded, "go.Scattergl of all points",
                               points, 2))
    out.append(absolute_figure("alignment figure, every goal (WebGL)", full, "go.Scattergl of all points",
                               points, 2))
    return out


def _collector_paused(fn: Callable[[list], object], arg: list) -> object:
    """``fn(arg)`` with the garbage collector paused, as ``analyse`` runs, and restored after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return fn(arg)
    finally:
        if collecting:
            gc.enable()
