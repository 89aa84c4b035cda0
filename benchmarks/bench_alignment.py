"""Alignment at company scale: the synthetic organisation of 10,000 people (~40,000 goals and key
results, ~60,000 links).

- Building the alignment graph and running every analysis (``analyse``) against networkx building
  a bare ``DiGraph`` from the same edge list (target: at most 3x), timed in alternation, best of
  15. ``analyse`` pauses the garbage collector while it works, so the floor is timed with it
  paused too (``nx.DiGraph`` makes as many dicts, and the collector's passes over them are no
  part of either's work); the floor with the collector running is printed beside it for scale.
  The timings start from a loaded goalbook with no graph alive, as a user's do: a second
  40,000-node graph left in memory changes how fast the allocator serves networkx's dicts (on
  these machines the floor took 53-58 ms with one alive, 63-70 ms without), so that case is
  measured after and reported on its own line, beside a floor taken in the same state. Scores
  are computed once by ``goalbook.scoring`` and passed in, as the command line and widgets do;
  scoring itself is measured on its own line (it reads 190,000 check-ins and belongs to the
  scoring budget).
- The layered layout (target: 3 s) beside networkx's topological generations, the layering step
  alone.
- The figure (target: 2 s), folded to fit by default and with every goal, beside plotly taking
  one WebGL trace of all the points.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import plotly.graph_objects as go

from benchmarks._harness import Figure, absolute_figure, best_of, best_of_each, ratio_figure
from benchmarks.synthetic import generate_org
from goalbook.alignment import alignment_graph, analyse
from goalbook.alignment.graph import collector_paused
from goalbook.figures.alignment import alignment_figure
from goalbook.layout import layered_layout, layout_arrays
from goalbook.model import Goalbook
from goalbook.scoring import score_book

PEOPLE = 10_000
TODAY = date(2027, 2, 26)


def run() -> list[Figure]:
    book = generate_org(PEOPLE)
    scores = score_book(book, today=TODAY)
    edge_list, size = _edges(book, scores)
    paused = "nx.DiGraph(edge_list), gc paused"
    floor, floor_collecting, everything, build = _graph_figures(book, scores, edge_list)
    scoring = best_of(lambda: score_book(book, today=TODAY), repeat=1)
    out = [
        ratio_figure(f"alignment graph + every analysis ({size})", everything, paused, floor, 3),
        Figure("  of which building the graph alone", build, paused, floor, "(reported)", True),
        Figure("  the floor with the garbage collector running", floor_collecting, paused, floor, "(reported)",
               True),
        Figure("  scoring the book, outside the graph budget", scoring, paused, floor, "(reported)", True),
    ]
    G = alignment_graph(book, scores=scores)
    beside_floor, _, beside, _ = _graph_figures(book, scores, edge_list, repeat=9)
    out.append(Figure("  the same with another such graph alive", beside, paused, beside_floor, "(reported)", True))
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


def _edges(book: Goalbook, scores: list) -> tuple[list[tuple[str, str]], str]:
    """The graph's edge list and size; the graph itself is let go, so that the timings start where
    a user starts, with a goalbook loaded and no graph built yet."""
    G = alignment_graph(book, scores=scores)
    return list(G.edges()), f"{G.number_of_nodes():,} goals, {G.number_of_edges():,} edges"


def _graph_figures(book: Goalbook, scores: list, edge_list: list[tuple[str, str]],
                   repeat: int = 15) -> tuple[float, float, float, float]:
    """Best times of the floor (gc paused, then running), ``analyse`` and the build alone, taken in
    alternation."""
    timed = best_of_each({
        "floor": lambda: _floor(edge_list),
        "floor collecting": lambda: nx.DiGraph(edge_list),
        "everything": lambda: analyse(book, scores=scores),  # builds the graph, then analyses
        "build": lambda: alignment_graph(book, scores=scores),
    }, repeat=repeat)
    return timed["floor"], timed["floor collecting"], timed["everything"], timed["build"]


def _floor(edge_list: list[tuple[str, str]]) -> nx.DiGraph:
    """``nx.DiGraph(edge_list)`` with the garbage collector paused the way ``analyse`` pauses it."""
    with collector_paused():
        return nx.DiGraph(edge_list)
