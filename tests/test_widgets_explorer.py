"""The alignment explorer as a user drives it: filter the map, click a goal, read its details;
markup in goal text stays text; read-only builds no input."""

from __future__ import annotations

import json
from datetime import date

import ipywidgets as widgets
import pytest
from hostile_book import IMG, RAW_TAG, SCRIPT, hostile_book
from widget_tree import html_values, inputs, visible_text, walk

import goalbook
from goalbook.widgets.explorer import MAP_MAX_NODES, AlignmentExplorer, point_ids
from goalbook.widgets.figure_view import FigureView

TODAY = date(2027, 2, 26)


@pytest.fixture(scope="module")
def book():
    return goalbook.load_example()


@pytest.fixture
def explorer(book):
    return AlignmentExplorer(book, today=TODAY)


def click(e: AlignmentExplorer, goal_id: str) -> None:
    """Send the message the map's page sends on a click on ``goal_id``'s dot (its ``customdata``)."""
    assert goal_id in {gid for trace in e.figure.data for gid in point_ids(trace)}, f"{goal_id} is not on the map"
    e.figure._message(e.figure, {"event": "click", "id": goal_id}, [])


def test_the_map_shows_every_goal_with_a_legend_counting_them(explorer, book):
    assert sorted(explorer.shown()) == sorted(g.id for g in book.iter_goals())
    legend = visible_text(explorer.legend)
    # policy changed (issue 12): CC-2 and PPL-2, never measured, count at their baseline and are off track
    assert "46 of 46 goals shown" in legend and "Done 7" in legend and "Off track (KPI red) 4" in legend
    assert "No progress data" not in legend
    assert "Northwind Clinics: how every goal serves the strategy" in visible_text(explorer.header)
    assert sum(isinstance(w, FigureView) for w in walk(explorer)) == 1


def test_team_filter_keeps_the_teams_goals_and_what_they_serve(explorer):
    explorer.filter_inputs["team"].value = "Web"
    assert set(explorer.shown()) == {"WEB-1", "WEB-2", "WEB-3", "INI-1", "CO-1", "CO-1.KR1", "CO-1.KR2",
                                     "DEP-DIG-1", "DEP-DIG-1.KR1"}
    assert explorer.filters["team"] == "Web"
    assert "9 of 46 goals shown" in visible_text(explorer.legend)
    explorer.filter_inputs["team"].set_state({"index": 0})  # back to "All teams", as the browser sends it
    assert len(explorer.shown()) == 46


def test_status_level_and_period_filters(explorer):
    explorer.filter_inputs["status"].value = "off_track"
    assert set(explorer.shown()) == {"CO-2.KR1", "CC-2", "PPL-2"}  # the last two: not measured yet (issue 12)
    explorer.filter_inputs["status"].value = ""
    explorer.filter_inputs["level"].value = "department"
    assert set(explorer.shown()) == {"DEP-DIG-1", "DEP-DIG-1.KR1", "DEP-DIG-1.KR2", "DEP-OPS-1", "DEP-OPS-1.KR1",
                                     "DEP-OPS-1.KR2"}
    explorer.filter_inputs["level"].value = ""
    explorer.filter_inputs["period"].value = "2027-Q1"
    shown = set(explorer.shown())
    assert {"CO-1", "WEB-1", "KPI-NPS", "INI-1"} <= shown  # KPIs and initiatives feeding the period's goals stay
    assert "KPI-SICK" not in shown  # an orphan KPI feeds nothing in the period


def test_filters_that_match_nothing_say_so(explorer):
    explorer.filter_inputs["team"].value = "Web"
    explorer.filter_inputs["status"].value = "off_track"
    assert explorer.shown() == []
    assert explorer.message == "No goal matches these filters." and explorer.message_level == "warning"
    explorer.filter_inputs["status"].value = ""
    assert explorer.shown() and explorer.message == ""


def test_clicking_a_goal_shows_its_details(explorer):
    click(explorer, "CO-1.KR2")
    assert explorer.selected == "CO-1.KR2"
    details = visible_text(explorer.details)
    assert "CO-1.KR2 Key result Cut median time-to-book from 6 minutes to 2 minutes" in details
    assert "Owner web-lead" in details and "Now / target 3.1 min of 2 min" in details
    assert "Progress 72% (on pace: 63%)" in details and "Status on track" in details and "Score 0.7" in details
    assert "Confidence 8/10" in details and "History progress from 2027-01-01 to 2027-02-26" in details
    assert "Serves CO-1 Make booking a visit effortless for every patient (key result of)" in details
    assert "WEB-1 Ship one-page booking" in details and "(counts toward it)" in details
    assert "WEB-3 Cut the 75th-percentile load time" in details and "(supports it, not counted)" in details
    assert "Last check-in 2027-02-26: 3.1 min" in details
    assert "<svg" in explorer.details.value


def test_a_message_that_is_no_click_on_a_goal_changes_nothing(explorer):
    explorer.select("CO-2")
    for forged in ({"event": "click", "id": "NOPE-1"}, {"event": "click", "id": ["CO-1"]}, {"event": "click"},
                   {"event": "select", "id": "CO-1"}, "click CO-1", None):  # what a hostile page could send
        explorer.figure._message(explorer.figure, forged, [])
        assert explorer.selected == "CO-2"



def test_select_does_what_a_click_does_and_tells_listeners(explorer):
    heard = []
    explorer.on_select(heard.append)
    explorer.select("KPI-NPS")
    details = visible_text(explorer.details)
    assert "KPI-NPS KPI Patient NPS (rolling four weeks)" in details and "Latest 46 points on 2027-02-26" in details
    assert "Status amber" in details and "(feeds, not counted)" in details
    click(explorer, "INI-7")
    assert "candidate idea, not counted yet" in visible_text(explorer.details)
    assert heard == ["KPI-NPS", "INI-7"]
    with pytest.raises(KeyError, match=r"did you mean 'CO-1\.KR4'"):
        explorer.select("CO-1.KR9")
    explorer.select(None)
    assert "Click a goal on the map" in visible_text(explorer.details)


def test_around_the_selected_goal_keeps_only_its_chain(explorer):
    explorer.select("INI-1")
    explorer.focus_input.value = True
    assert set(explorer.shown()) == {"INI-1", "CO-1.KR2", "WEB-1", "CO-1"}
    click(explorer, "WEB-1")
    assert set(explorer.shown()) == {"WEB-1", "INI-1", "CO-1.KR2", "CO-1"}
    explorer.focus_input.value = False
    assert len(explorer.shown()) == 46


def test_read_only_with_filters_builds_only_filters_that_redraw_the_map(book):
    e = AlignmentExplorer(book, today=TODAY, readonly=True, filters=True)
    controls = inputs(e, allow=(FigureView,))
    assert controls and all(isinstance(w, widgets.Dropdown | widgets.Checkbox | widgets.Combobox) for w in controls)
    assert not any(isinstance(n, widgets.Button | widgets.Textarea) for n in walk(e))
    e.filter_inputs["team"].value = "Web"
    assert len(e.shown()) == 9
    e.filter_inputs["team"].value = ""
    e.orphans_input.value = True
    assert e.shown() == ["KPI-SICK"] and "1 of 46 goals shown" in visible_text(e.legend)
    e.orphans_input.value = False
    e.find_input.value = "WEB-1"  # a goal found by id: its details, and the map around it
    assert e.selected == "WEB-1" and e.focus_input.value
    assert set(e.shown()) == {"WEB-1", "INI-1", "CO-1.KR2", "CO-1"}


def test_orphans_only_keeps_what_serves_no_company_objective_with_its_key_results():
    cut = goalbook.load_example()
    cut.links = [link for link in cut.links if link.source != "DEP-DIG-1"]  # its only way to the company
    cut.reindex()
    e = AlignmentExplorer(cut, today=TODAY, orphans=True)
    assert set(e.shown()) == {"KPI-SICK", "DEP-DIG-1", "DEP-DIG-1.KR1", "DEP-DIG-1.KR2"}
    assert e.orphans_input.value is True


def test_read_only_builds_no_input_only_the_map(book):
    e = AlignmentExplorer(book, today=TODAY, readonly=True)
    assert inputs(e, allow=(FigureView,)) == []
    assert not any(isinstance(n, widgets.Dropdown | widgets.Checkbox | widgets.Button | widgets.Text) for n in walk(e))
    assert {"goalbook-alignment-explorer", "goalbook-readonly"} <= set(e._dom_classes)
    assert len(e.shown()) == 46 and "46 of 46 goals shown" in visible_text(e.legend)
    click(e, "CO-3.KR1")  # reading a goal's details writes nothing and needs no input widget
    assert "Raise patient NPS from 41 to 55" in visible_text(e.details)


def test_filters_can_be_given_up_front_and_bad_ones_are_refused(book):
    e = AlignmentExplorer(book, today=TODAY, readonly=True, team="Web")
    assert len(e.shown()) == 9
    editable = AlignmentExplorer(book, today=TODAY, status="at_risk")
    assert editable.filter_inputs["status"].value == "at_risk"
    assert set(editable.shown()) == {"CO-3.KR1", "OPS-1"}
    with pytest.raises(ValueError, match="no team 'Wbe'"):
        AlignmentExplorer(book, today=TODAY, team="Wbe")


@pytest.mark.parametrize("readonly", [True, False], ids=["read-only", "editable"])
def test_markup_in_goal_text_reaches_the_explorer_as_inert_text(readonly):
    e = AlignmentExplorer(hostile_book(), today=TODAY, readonly=readonly)
    for goal_id in ("CO-1", "CO-1.KR1", "CO-1.KR2", "WEB-1", "KPI-NOSHOW", "INI-1"):
        click(e, goal_id)
        assert e.selected == goal_id
        for markup in html_values(e):
            assert not RAW_TAG.search(markup), markup
        shown = visible_text(e)
        assert IMG in shown or SCRIPT in shown
    assert SCRIPT in visible_text(e.header)
    hover = [h for t in e.figure.data if t.hovertext is not None for h in t.hovertext]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hover)
    assert not RAW_TAG.search(json.dumps(e.figure.spec))
    if not readonly:
        team = e.filter_inputs["team"]
        assert IMG in [label for label, _ in team.options]  # a Dropdown shows its labels as text
        team.value = IMG
        assert "WEB-1" in e.shown()
        assert not RAW_TAG.search(json.dumps(e.figure.spec))


def test_a_big_organisation_is_folded_to_a_small_map_and_a_goal_found_by_id_opens_its_chain():
    from benchmarks.synthetic import generate_org

    big = generate_org(400, seed=2)
    e = AlignmentExplorer(big, today=TODAY, readonly=True, filters=True)
    total = e.graph.number_of_nodes()
    assert total > MAP_MAX_NODES and 0 < len(e.shown()) <= MAP_MAX_NODES
    assert "pick a goal or a team" in " ".join(e.figure.layout.title.text.replace("<br>", " ").split())
    deep = next(n for n, d in e.graph.nodes(data=True) if d.get("kind") == "initiative" and e.graph.succ[n])
    assert deep not in e.shown()
    e.find_input.value = deep
    assert deep in e.shown() and set(e.graph.succ[deep]) <= set(e.shown())


def test_what_the_page_receives_follows_the_filters_with_plotly_js_apart(book):
    e = AlignmentExplorer(book, today=TODAY, readonly=True, filters=True)

    def on_page() -> set[str]:  # the goal ids in the figure JSON synced to the page
        return {i for t in e.figure.spec["data"] for i in t.get("customdata") or () if i is not None}

    assert len(on_page()) == 46 and e.figure.config["displaylogo"] is False
    e.filter_inputs["team"].value = "Web"
    assert on_page() == set(e.shown()) and len(on_page()) == 9
    assert "window.Plotly" in e.figure.plotly_js[-4000:]  # run once by the page, as a script, not the module
