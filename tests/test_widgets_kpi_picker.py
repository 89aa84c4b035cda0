"""KPIPicker: search the KPI library, read a metric's card, and fill a key result's fields from it."""

from __future__ import annotations

from datetime import date

from widget_tree import html_text, visible_text

import goalbook
from goalbook.widgets import KPIPicker, ObjectiveEditor

TODAY = date(2027, 1, 5)


def test_typing_words_lists_matching_metrics_and_shows_the_first_ones_card():
    picker = KPIPicker()
    picker.search_input.value = "call handling time"  # as the browser would set it
    assert picker.query == "call handling time"
    assert picker.results.options[0] == ("Average handle time — customer success", "average_handle_time")
    assert picker.selected == "average_handle_time"
    card = html_text(picker.card.value)
    assert "formula (talk time + hold time + after-call work) / interactions handled" in card
    assert "good direction decrease (lower is better)" in card and "indicator leading" in card
    assert "source https://gotitsoftware.com/kpidef" in card
    picker.results.value = "service_level"  # the user picks the second match
    assert "Share of calls answered within a set number of seconds" in html_text(picker.card.value)
    picker.query = "NPS"  # state set from code shows in the view too
    assert picker.search_input.value == "NPS" and picker.selected == "net_promoter_score"


def test_using_a_metric_fills_metric_unit_direction_and_indicator_and_tells_listeners():
    picker = KPIPicker("no-show")
    picked = []
    picker.on_pick(picked.append)
    picker.use_button.click()
    assert (picker.metric, picker.unit, picker.direction, picker.indicator) == \
        ("appointment no-show rate", "%", "decrease", "lagging")
    assert [e.id for e in picked] == ["no_show_rate"]
    assert "Used 'Appointment no-show rate'." in visible_text(picker)


def test_the_domain_narrows_the_list_and_no_match_is_said():
    picker = KPIPicker("retention")
    picker.domain_input.value = "people"
    assert {value for _label, value in picker.results.options} <= {e.id for e in goalbook.kpi.library()
                                                                   if e.domain == "people"}
    picker.search_input.value = "zzzz"
    assert picker.results.options == () and picker.selected == ""
    assert "No KPI in the library matches 'zzzz'." in visible_text(picker)
    picker.use_button.click()
    assert picker.metric == "" and "Pick a metric first." in visible_text(picker)


def test_the_key_result_editor_opens_the_picker_and_the_pick_fills_the_row():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    row = editor.rows[0]
    assert row.kpi_picker is None  # built only when asked for
    row.kpi_button.value = True
    assert row.kpi_picker in row.children and row.kpi_picker.layout.display is None
    row.kpi_picker.search_input.value = "churn"
    row.kpi_picker.use_button.click()
    assert (row.metric_input.value, row.unit_input.value, row.direction_input.value, row.indicator_input.value) == \
        ("customer churn rate", "%", "decrease", "lagging")
    row.kpi_button.value = False
    assert row.kpi_picker.layout.display == "none"
