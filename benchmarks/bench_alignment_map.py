"""The alignment map a review page draws, at 50, 500 and 5,000 goals (issue 14): the time to build the
figure the explorer shows (no title, no legend: the page has its own; folded above
``MAP_MAX_NODES`` goals) and the size of its JSON, which is what the page sends to the browser.

Organisations from ``benchmarks.synthetic.generate_org`` (10, 125 and 1,250 people: 49, 495 and
4,831 goals). The floor is plotly building one ``Scattergl`` of every goal's position, the least a
figure of those goals costs; targets are absolute: at most 2 s to build, at most 400 KB of JSON.
"""

from __future__ import annotations

import networkx as nx

from benchmarks._harness import Figure, absolute_figure, best_of
from benchmarks.synthetic import generate_org
from goalbook.alignment import alignment_graph
from goalbook.figures.alignment import alignment_figure
from goalbook.layout import layout_arrays
from goalbook.widgets.explorer import MAP_MAX_NODES

PEOPLE = (10, 125, 1250)
FLOOR = "go.Scattergl of every goal's position"


def run() -> list[Figure]:
    out: list[Figure] = []
    for people in PEOPLE:
        out += _measure(alignment_graph(generate_org(people, seed=1), scores=[]))
    return out


def _measure(G: nx.DiGraph) -> list[Figure]:
    import plotly.graph_objects as go

    x, y = layout_arrays(G)
    floor = best_of(lambda: go.Figure(go.Scattergl(x=x, y=y, mode="markers")), repeat=3)

    def draw() -> go.Figure:
        return alignment_figure(G, title=False, legend=False, max_nodes=MAP_MAX_NODES)

    took = best_of(draw, repeat=3)
    fig = draw()
    size = len(fig.to_json()) / 1024
    what = f"{G.number_of_nodes():,} goals, {fig.layout.meta['nodes']:,} drawn"
    return [absolute_figure(f"review map figure, {what}", took, FLOOR, floor, 2),
            absolute_figure(f"  its JSON, {sum(fig.layout.meta['labels'].values())} ids written", size,
                            "(size)", None, 400, "KB")]
