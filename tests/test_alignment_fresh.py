"""No stale-cache trap (issue 13): an analysis never answers from attributes that changed since its
view of the graph was cached, whichever way the goalbook or the graph is edited in place."""

from __future__ import annotations

import copy
import pickle
from datetime import date

import networkx as nx
import pytest

from goalbook.alignment import alignment_graph, analyse, blast_radii, compiled, filtered, orphans, owner_load
from goalbook.model import Goalbook, KeyResult, Link, Objective, SmartGoal

TODAY = date(2027, 2, 26)


def book() -> Goalbook:
    return Goalbook(objectives=[Objective("CO-1", "Delight patients", level="company", key_results=[
        KeyResult("CO-1.KR1", "Raise NPS from 40 to 60", baseline=40, target=60)])],
        smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3", team="Web", owner="web-lead"),
                     SmartGoal("APP-1", "Ship the app by 2027-03-31", team="App", owner="app-lead")],
        links=[Link("WEB-1", "CO-1.KR1")])


def test_a_built_graph_refuses_an_edit_in_place_and_its_analyses_stay_right() -> None:
    G = alignment_graph(book(), scores=[])
    assert orphans(G)["id"].tolist() == ["APP-1"]  # the view is cached now
    with pytest.raises(TypeError):
        G.nodes["WEB-1"]["owner"] = "someone-else"
    with pytest.raises(TypeError):
        G.edges["WEB-1", "CO-1.KR1"]["kind"] = "supports"
    with pytest.raises((TypeError, AttributeError)):
        G.add_node("WEB-1", owner="someone-else")  # networkx's own way of editing attributes in place
    assert set(owner_load(G)["owner"]) == {"web-lead", "app-lead"}


def test_adding_an_edge_to_a_built_graph_is_seen_by_the_next_analysis() -> None:
    G = alignment_graph(book(), scores=[])
    assert orphans(G)["id"].tolist() == ["APP-1"]
    G.add_edge("APP-1", "CO-1.KR1", kind="contributes", weight=1.0)
    assert orphans(G)["id"].tolist() == []
    G.add_node("NEW-1", kind="smart_goal", title="A new goal", owner="x")
    assert orphans(G)["id"].tolist() == ["NEW-1"]
    G.nodes["NEW-1"]["owner"] = "y"  # an editable dict came in with the node: nothing is cached now
    assert "y" in set(owner_load(G)["owner"])


def test_an_edited_copy_is_analysed_afresh_after_every_edit() -> None:
    H = alignment_graph(book(), scores=[]).copy()
    assert blast_radii(H).empty
    H.nodes["WEB-1"]["status"] = "off_track"
    assert blast_radii(H)["id"].tolist() == ["WEB-1"]
    H.nodes["WEB-1"]["status"] = "on_track"
    assert blast_radii(H).empty
    H.edges["WEB-1", "CO-1.KR1"]["weight"] = 3.0
    assert compiled(H).weight.tolist() == [1.0, 3.0]


def test_a_view_of_a_graph_sees_the_graph_change() -> None:
    G = alignment_graph(book(), scores=[])
    view = G.subgraph(["APP-1", "WEB-1", "CO-1", "CO-1.KR1"])
    assert orphans(view)["id"].tolist() == ["APP-1"]
    G.add_edge("APP-1", "CO-1.KR1", kind="contributes", weight=1.0)
    assert orphans(view)["id"].tolist() == []


def test_editing_the_goalbook_in_place_gives_fresh_analyses() -> None:
    b = book()
    assert analyse(b, today=TODAY).orphans["id"].tolist() == ["APP-1"]
    b.links.append(Link("APP-1", "CO-1.KR1"))
    assert analyse(b, today=TODAY).orphans["id"].tolist() == []
    b.smart_goals[0].owner = "new-lead"
    assert "new-lead" in set(owner_load(alignment_graph(b, today=TODAY))["owner"])


def test_a_filtered_part_is_read_only_and_copies_of_every_kind_are_editable() -> None:
    G = alignment_graph(book(), scores=[])
    part = filtered(G, level="company")
    assert sorted(part) == ["CO-1", "CO-1.KR1"] and compiled(part) is compiled(part)  # cached: read-only
    with pytest.raises(TypeError):
        part.nodes["CO-1"]["title"] = "x"
    for H in (copy.deepcopy(G), pickle.loads(pickle.dumps(G)), G.to_directed(), G.reverse(), G.to_undirected()):
        assert nx.utils.nodes_equal(H, G)
        H.nodes["WEB-1"]["owner"] = "edited"  # each is a plain, editable graph
        assert G.nodes["WEB-1"]["owner"] == "web-lead"
