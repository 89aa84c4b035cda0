"""The layered layout: the strategy on top, every goal under what it serves, few crossing lines."""

from __future__ import annotations

import doctest
import itertools
from collections import defaultdict
from datetime import date

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goalbook.layout
from benchmarks.synthetic import generate_org
from goalbook.alignment import alignment_graph
from goalbook.examples import load_example
from goalbook.layout import inversions, layered_layout
from goalbook.model import Goalbook, Initiative, KeyResult, Link, Objective, SmartGoal


@pytest.fixture(scope="module")
def example() -> nx.DiGraph:
    return alignment_graph(load_example(), today=date(2027, 2, 26))


@pytest.fixture(scope="module")
def org() -> nx.DiGraph:
    return alignment_graph(generate_org(200, seed=3), scores=[])


def crossings(G: nx.DiGraph, pos: dict[str, tuple[float, float]]) -> int:
    """Pairs of lines between the same two rows that cross."""
    by_rows: dict[tuple[float, float], list[tuple[float, float]]] = defaultdict(list)
    for u, v in G.edges():
        by_rows[pos[u][1], pos[v][1]].append((pos[u][0], pos[v][0]))
    total = 0
    for lines in by_rows.values():
        a = np.array(lines)
        du = a[:, 0][:, None] - a[:, 0][None, :]
        dv = a[:, 1][:, None] - a[:, 1][None, :]
        total += int(np.triu(du * dv < 0).sum())
    return total


@pytest.mark.parametrize("name", ["example", "org"])
def test_every_goal_sits_below_what_it_serves(name: str, request: pytest.FixtureRequest) -> None:
    G = request.getfixturevalue(name)
    pos = layered_layout(G)
    assert set(pos) == set(G)
    assert all(pos[u][1] < pos[v][1] for u, v in G.edges())


def test_the_company_is_on_top_and_initiatives_at_the_bottom(example: nx.DiGraph) -> None:
    pos = layered_layout(example)
    ys = sorted({y for _, y in pos.values()}, reverse=True)
    top = {n for n, (_, y) in pos.items() if y == ys[0]}
    assert top == {"CO-1", "CO-2", "CO-3"}
    assert {n for n, (_, y) in pos.items() if y == ys[-1]} == {
        n for n, k in example.nodes(data="kind") if k == "initiative"}
    depts = {n for n, d in example.nodes(data=True) if d["level"] == "department" and d["kind"] == "objective"}
    assert {pos[n][1] for n in depts} == {ys[2]}


def test_a_goal_with_parents_on_two_rows_sits_under_the_lower_one() -> None:
    book = Goalbook(objectives=[
        Objective("CO-1", "Grow", key_results=[KeyResult("CO-1.KR1", "Deals")]),
        Objective("DEP-1", "Sell more", level="department", key_results=[KeyResult("DEP-1.KR1", "Calls")])],
        smart_goals=[SmartGoal("T-1", "Team goal"), SmartGoal("T-2", "Helps T-1")],
        initiatives=[Initiative("INI-1", "Tool")],
        links=[Link("DEP-1", "CO-1.KR1"), Link("T-1", "CO-1.KR1"), Link("T-1", "DEP-1.KR1"), Link("T-2", "T-1"),
               Link("INI-1", "CO-1.KR1")])
    pos = layered_layout(alignment_graph(book, scores=[]))
    assert pos["T-1"][1] < pos["DEP-1.KR1"][1] < pos["DEP-1"][1]
    assert pos["T-2"][1] < pos["T-1"][1]  # a team goal serving a team goal drops a row
    assert pos["INI-1"][1] < pos["T-2"][1]  # initiatives stay at the bottom even when they serve the top


def test_neighbours_keep_at_least_one_unit_apart(org: nx.DiGraph) -> None:
    rows: dict[float, list[float]] = defaultdict(list)
    for x, y in layered_layout(org).values():
        rows[y].append(x)
    for xs in rows.values():
        assert np.all(np.diff(sorted(xs)) >= 1 - 1e-9)


def test_sweeps_reduce_crossings_and_never_make_them_worse(org: nx.DiGraph, example: nx.DiGraph) -> None:
    for G in (org, example):
        counts = [crossings(G, layered_layout(G, passes=p)) for p in (0, 1, 2, 4, 6)]
        assert counts == sorted(counts, reverse=True) and counts[-1] < 0.7 * counts[0]
    assert crossings(example, layered_layout(example)) <= 2


@given(st.lists(st.integers(0, 9), max_size=60))
def test_inversions_are_counted_exactly(values: list[int]) -> None:
    naive = sum(1 for i, j in itertools.combinations(range(len(values)), 2) if values[i] > values[j])
    assert inversions(np.array(values, dtype=np.int64)) == naive


def test_the_same_goalbook_always_gives_the_same_picture(example: nx.DiGraph) -> None:
    again = alignment_graph(load_example(), today=date(2027, 2, 26))
    assert layered_layout(example) == layered_layout(again) == layered_layout(example.copy())


def test_an_empty_graph_has_an_empty_layout() -> None:
    assert layered_layout(alignment_graph(Goalbook(), scores=[])) == {}


def test_docstring_examples_run() -> None:
    result = doctest.testmod(goalbook.layout)
    assert result.attempted > 0 and result.failed == 0
