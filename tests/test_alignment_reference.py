"""The fast analyses agree with plain, obviously-correct versions written with networkx searches.

The analyses use bitsets and vectorised passes to stay linear at company scale; here each is
checked against a direct transcription of its definition (one search per goal) on synthetic
organisations and on the example goalbook, where no answer is hand-picked.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from benchmarks.synthetic import generate_org
from goalbook.alignment import (
    AT_RISK,
    alignment_graph,
    blast_radii,
    blast_radius,
    contribution_rollup,
    critical_goals,
    leading_coverage,
    orphans,
    owner_load,
    silos,
    skipped_levels,
    uncovered_key_results,
)
from goalbook.examples import load_example
from goalbook.model import LEVELS
from goalbook.scoring import Scorer

TODAY = date(2027, 2, 26)


def _books() -> list[tuple[str, object]]:
    return [("northwind", load_example()), ("org-150-seed-1", generate_org(150, seed=1)),
            ("org-400-seed-7", generate_org(400, seed=7))]


@pytest.fixture(scope="module", params=_books(), ids=lambda p: p[0])
def case(request: pytest.FixtureRequest) -> tuple[object, nx.DiGraph]:
    book = request.param[1]
    return book, alignment_graph(book, today=TODAY)


def company(G: nx.DiGraph) -> set[str]:
    return {n for n, d in G.nodes(data=True) if d["level"] == "company" and d["kind"] in ("objective", "key_result")}


def company_krs(G: nx.DiGraph) -> list[str]:
    return [n for n in G if n in company(G) and G.nodes[n]["kind"] == "key_result"]


def links(G: nx.DiGraph) -> list[tuple[str, str]]:
    return [(u, v) for u, v, k in G.edges(data="kind") if k != "part_of"]


def test_orphans(case) -> None:
    _, G = case
    H = G.copy()  # an objective is aligned through any of its key results
    H.add_edges_from((v, u) for u, v, k in G.edges(data="kind") if k == "part_of")
    top = company(G)
    expected = [n for n in G if n not in top and G.nodes[n]["kind"] != "key_result"
                and not (nx.descendants(H, n) & top)]
    assert orphans(G)["id"].tolist() == expected


def test_uncovered_key_results(case) -> None:
    _, G = case
    fed = {v for _, v in links(G)}
    assert uncovered_key_results(G)["id"].tolist() == [k for k in company_krs(G) if k not in fed]


def test_leading_coverage_and_critical_goals_and_blast_radii(case) -> None:
    _, G = case
    krs = company_krs(G)
    up = {n: nx.descendants(G, n) for n in G}
    measures = [n for n in G if G.nodes[n]["kind"] in ("key_result", "smart_goal", "kpi")]
    cov = leading_coverage(G).set_index("id")
    for k in krs:
        by = Counter(G.nodes[m]["indicator"] for m in measures if m != k and k in up[m])
        assert (cov.loc[k, "leading"], cov.loc[k, "lagging"]) == (by["leading"], by["lagging"])
        assert cov.loc[k, "unclassified"] == sum(by.values()) - by["leading"] - by["lagging"]
    top = company(G)
    n_kr = {n: len(up[n] & set(krs)) for n in G if n not in top}
    crit = critical_goals(G, top=None)
    assert set(crit["id"]) == {n for n, k in n_kr.items() if k}
    assert crit["key_results"].tolist() == sorted(crit["key_results"], reverse=True)
    assert all(n_kr[n] == k for n, k in zip(crit["id"], crit["key_results"], strict=True))
    risky = blast_radii(G).set_index("id")
    expected = {n for n, s in G.nodes(data="status") if s in AT_RISK and n not in top}
    assert set(risky.index) == expected
    for n in expected:
        got = risky.loc[n, "key_results"]
        got = [] if pd.isna(got) or not got else got.split(", ")
        assert got == [k for k in krs if k in up[n]]
        assert list(blast_radius(G, n).key_results) == got


def test_owner_load_and_silos(case) -> None:
    _, G = case
    load = owner_load(G).set_index("owner")
    total = Counter(o for _, o in G.nodes(data="owner") if o is not None)
    assert load["total"].to_dict() == dict(total)
    teams = {t for _, t in G.nodes(data="team") if t is not None}
    leaving = {G.nodes[u]["team"] for u, v in links(G) if G.nodes[u]["team"] != G.nodes[v]["team"]}
    assert silos(G)["team"].tolist() == sorted(teams - leaving)


def test_skipped_levels(case) -> None:
    _, G = case
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    level = {n: rank.get(d["level"], -1) for n, d in G.nodes(data=True)}
    unit = {n: d.get("objective") or n for n, d in G.nodes(data=True)}
    team = dict(G.nodes(data="team"))
    placed = [(u, v) for u, v in links(G) if level[u] >= 0 and level[v] >= 0 and team[u] is not None]
    parents = {(team[u], level[v], team[v]) for u, v in placed if level[v] < level[u] and team[v] is not None}
    serves = {(team[u], level[u], unit[v]) for u, v in placed}
    through = {(u, level[m], unit[w]) for u, m in placed for m2, w in placed if unit[m2] == unit[m]}
    expected = []
    for u, v in placed:
        between = [r for r in range(level[v] + 1, level[u])
                   if any((team[u], r, p) in parents and (p, r, unit[v]) in serves for p in set(team.values()))
                   and (u, r, unit[v]) not in through]
        if level[u] - level[v] >= 2 and between:
            expected.append((u, v))
    order = {n: i for i, n in enumerate(G)}
    expected.sort(key=lambda e: (order[e[0]], order[e[1]]))
    got = skipped_levels(G)
    assert list(zip(got["source"], got["target"], strict=True)) == expected


def test_rollup_matches_scoring_where_progress_comes_from_contributors(case) -> None:
    book, G = case
    scorer = Scorer(book, today=TODAY)
    df = contribution_rollup(G)
    checked = 0
    for row in df.itertuples(index=False):
        from_children = row.kind == "objective" and row.driver == "children"
        if from_children or (row.kind in ("key_result", "smart_goal") and scorer.rolled_up(row.id)):
            want = scorer.progress(row.id)
            assert (pd.isna(row.rolled_up) and want is None) or row.rolled_up == pytest.approx(want)
            checked += 1
    fed = Counter(v for u, v, k in G.edges(data="kind") if k == "contributes")
    assert dict(zip(df["id"], df["contributors"], strict=True)) == {
        n: fed[n] for n in df["id"]}
    assert checked or book.organisation == "Northwind Clinics"
