"""The alignment figure: what a reader sees, what they can filter, and that user text stays text."""

from __future__ import annotations

import doctest
import json
import re
from datetime import date

import networkx as nx
import plotly.graph_objects as go
import pytest

import goalbook.figures.alignment as figure_module
from benchmarks.synthetic import generate_org
from goalbook import display, scoring
from goalbook.alignment import alignment_graph
from goalbook.examples import load_example
from goalbook.figures import alignment_figure
from goalbook.model import Goalbook, Initiative, KeyResult, Link, Objective, SmartGoal

TODAY = date(2027, 2, 26)
EVIL = '<img src=x onerror=alert(1)><script>alert("x")</script>'


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return alignment_graph(load_example(), today=TODAY)


def dots(fig: go.Figure) -> dict[str, dict]:
    """Every goal drawn, by id, with the trace (legend entry) it is in and its marker."""
    out = {}
    for t in fig.data:
        if t.mode == "lines" or t.hovertext is None:
            continue
        for i, h in enumerate(t.hovertext):
            goal = h.split("</b>")[0].removeprefix("<b>")
            out[goal] = {"trace": t.name, "hover": h, "size": t.marker.size[i], "symbol": t.marker.symbol,
                         "opacity": t.marker.opacity, "at": (t.x[i], t.y[i])}
    return out


def words(markup: str) -> str:
    """A title as read: its line breaks and superscripts as spaces."""
    return " ".join(re.sub(r"<br>|</?sup>", " ", markup).split())


def lines(fig: go.Figure, name: str) -> go.Scatter:
    (trace,) = [t for t in fig.data if t.mode == "lines" and t.name == name]
    return trace


def test_every_goal_is_a_dot_coloured_by_how_it_is_doing(G: nx.DiGraph) -> None:
    fig = alignment_figure(G)
    seen = dots(fig)
    assert set(seen) == set(G)
    assert seen["CO-2.KR1"]["trace"] == "Off track (KPI red)"
    assert seen["CO-3.KR1"]["trace"] == "At risk (KPI amber)"
    assert seen["INI-7"]["trace"] == "Not started yet"
    assert seen["KPI-SICK"]["symbol"] == "triangle-up" and seen["CO-1"]["symbol"] == "circle"
    assert seen["CO-1.KR1"]["size"] > seen["CO-1.KR2"]["size"]  # weight 2 against 1
    assert isinstance(fig.data[0], go.Scatter)  # small: SVG, not WebGL


def test_orphans_are_ringed(G: nx.DiGraph) -> None:
    fig = alignment_figure(G)
    (ring,) = [t for t in fig.data if t.name == "Serves no company objective"]
    assert [(x, y) for x, y in zip(ring.x, ring.y, strict=True)] == [dots(fig)["KPI-SICK"]["at"]]


def test_hover_tells_title_owner_and_progress(G: nx.DiGraph) -> None:
    hover = dots(alignment_figure(G))["CO-1.KR1"]["hover"]
    assert "Raise online bookings from 38% to 60% of all visits" in hover
    assert "Owner: cdo" in hover and "Progress: " in hover and "Status: " in hover


def test_a_legend_a_reader_understands(G: nx.DiGraph) -> None:
    fig = alignment_figure(G)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == ["Key result of its objective", "Counts toward progress (contributes)",
                      "Supports, shown but not counted", "Done", "On track (KPI green)", "At risk (KPI amber)",
                      "Off track (KPI red)", "Not started yet", "No progress data", "Objective", "Key result",
                      "SMART goal", "KPI", "Initiative", "Serves no company objective"]
    titles = [t.legendgrouptitle.text for t in fig.data if t.legendgrouptitle.text]
    assert titles == ["Lines", "Colour: how it is doing", "Shape: what it is"]
    rows = [t.replace("<br>", " ") for t in fig.layout.yaxis.ticktext]
    assert rows[:2] == ["Company objectives", "Company key results"]


def test_line_style_says_what_kind_of_link_it_is(G: nx.DiGraph) -> None:
    fig = alignment_figure(G)
    kinds = [k for _, _, k in G.edges(data="kind")]
    for name, kind, dash in (("Counts toward progress (contributes)", "contributes", "solid"),
                             ("Supports, shown but not counted", "supports", "dot"),
                             ("Key result of its objective", "part_of", "solid")):
        trace = lines(fig, name)
        assert trace.line.dash == dash
        assert len(trace.x) == 3 * kinds.count(kind)  # from, to, gap
    part_of, contributes = lines(fig, "Key result of its objective"), lines(fig, "Counts toward progress (contributes)")
    assert part_of.line.width < contributes.line.width and part_of.line.color != contributes.line.color


def test_color_by_score_uses_the_score_colours(G: nx.DiGraph) -> None:
    seen = dots(alignment_figure(G, color_by="score"))
    colour_name = {"green": "Score 0.7 or more", "yellow": "Score 0.4 to 0.6", "red": "Score below 0.4",
                   "grey": "No score yet"}
    for n, c in G.nodes(data="colour"):
        assert seen[n]["trace"] == colour_name[c]


def test_focus_shows_a_goals_path_up_and_down(G: nx.DiGraph) -> None:
    fig = alignment_figure(G, focus="DEP-DIG-1.KR1")
    seen = dots(fig)
    assert set(seen) == {"DEP-DIG-1.KR1", "DEP-DIG-1", "CO-1.KR1", "CO-1"} | nx.ancestors(G, "DEP-DIG-1.KR1")
    assert "WEB-2" in seen and "OPS-1" not in seen and "DEP-DIG-1.KR2" not in seen
    (ring,) = [t for t in fig.data if t.name == "The goal in focus"]
    assert (ring.x[0], ring.y[0]) == seen["DEP-DIG-1.KR1"]["at"] and ring.marker.symbol == "circle-open"
    assert "around DEP-DIG-1.KR1" in fig.layout.title.text


def test_team_shows_its_goals_and_what_they_serve_the_rest_faded(G: nx.DiGraph) -> None:
    seen = dots(alignment_figure(G, team="Web"))
    web = {n for n, t in G.nodes(data="team") if t == "Web"}
    assert web <= set(seen) and "CO-1" in seen and "OPS-1" not in seen
    assert all(seen[n]["opacity"] == 1.0 for n in web)
    assert seen["CO-1"]["opacity"] < 1.0


def test_depth_folds_lower_levels_into_counts(G: nx.DiGraph) -> None:
    fig = alignment_figure(G, depth=1)
    seen = dots(fig)
    assert all(G.nodes[n]["level"] == "company" for n in seen)
    below = len(nx.ancestors(G, "CO-1.KR1"))
    assert f"+{below} goals below, folded away" in seen["CO-1.KR1"]["hover"]
    assert "down to the company level" in fig.layout.title.text
    assert set(dots(alignment_figure(G, depth=2))) == {n for n, lv in G.nodes(data="level")
                                                        if lv in ("company", "department")}


def test_a_large_graph_is_drawn_with_webgl_and_folded_to_fit() -> None:
    G = alignment_graph(generate_org(400, seed=2), scores=[])
    full = alignment_figure(G, max_nodes=None)
    assert isinstance(full.data[0], go.Scattergl) and full.layout.meta["nodes"] == G.number_of_nodes()
    assert all(t.text is None for t in full.data)  # no labels on thousands of dots
    folded = alignment_figure(G, max_nodes=500)
    assert folded.layout.meta["nodes"] <= 500
    assert "pick a goal or a team to see those below" in words(folded.layout.title.text)


def test_user_text_reaches_the_figure_as_inert_text() -> None:
    book = Goalbook(organisation=EVIL, objectives=[Objective("CO-1", EVIL, owner=EVIL, key_results=[
        KeyResult("CO-1.KR1", EVIL, baseline=1, target=2)])],
        smart_goals=[SmartGoal("<b>X</b>", EVIL, team=EVIL, owner=EVIL)],
        initiatives=[Initiative("INI-1", EVIL, status=EVIL)],
        links=[Link("<b>X</b>", "CO-1.KR1"), Link("INI-1", "<b>X</b>")])
    fig = alignment_figure(book, today=TODAY)
    strings = [fig.layout.title.text, *fig.layout.yaxis.ticktext]
    for t in fig.data:
        strings += [t.name or "", *(t.hovertext or ()), *(t.text or ())]
    text = "\n".join(strings)
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;" in text
    assert "<img" not in text and "<script" not in text and "<b>X" not in text
    assert "&lt;b&gt;X&lt;/b&gt;" in text
    assert "<script" not in json.dumps(fig.to_plotly_json()["layout"], default=str)


def test_the_figure_is_pure(G: nx.DiGraph) -> None:
    before = (list(G.nodes(data=True)), list(G.edges(data=True)))
    alignment_figure(G, focus="WEB-1", depth=3)
    alignment_figure(G, team="Web", color_by="score")
    assert (list(G.nodes(data=True)), list(G.edges(data=True))) == before


def test_mistakes_are_reported_in_words(G: nx.DiGraph) -> None:
    with pytest.raises(KeyError, match="no goal with id 'WEB-9' \\(did you mean"):
        alignment_figure(G, focus="WEB-9")
    with pytest.raises(ValueError, match="no team 'Webb' \\(did you mean 'Web'\\?\\); teams: "):
        alignment_figure(G, team="Webb")
    with pytest.raises(ValueError, match="color_by must be 'status' or 'score'"):
        alignment_figure(G, color_by="owner")
    with pytest.raises(ValueError, match="depth must be 1"):
        alignment_figure(G, depth=0)


def test_an_empty_goalbook_gives_an_empty_figure() -> None:
    fig = alignment_figure(Goalbook(), today=TODAY)
    assert dots(fig) == {} and fig.layout.meta["nodes"] == 0


def test_docstring_examples_run() -> None:
    result = doctest.testmod(figure_module)
    assert result.attempted > 0 and result.failed == 0


def test_the_map_colours_and_words_statuses_from_the_one_palette():
    """At risk is the same amber on the map as in a pill or a bar (issue 14); the words are display's."""
    colours = {label: colour for label, colour, _ in figure_module.STATUS_GROUPS}
    assert colours["At risk (KPI amber)"] == display.STATUS_COLOURS["at_risk"] == display.STATUS_COLOURS["amber"]
    assert colours["Off track (KPI red)"] == display.STATUS_COLOURS["off_track"]
    assert colours["On track (KPI green)"] == display.STATUS_COLOURS["on_track"]
    fig = alignment_figure(load_example(), today=date(2027, 2, 26))
    at_risk = [t for t in fig.data if t.name and t.name.startswith("At risk")]
    assert at_risk and all(t.marker.color == display.STATUS_COLOURS["at_risk"] for t in at_risk)
    assert scoring.STATUS_WORDS is display.STATUS_WORDS
