"""CheckInForm, driven as a user would: type a value, see the pace it produces, save, see it stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import ipywidgets as widgets
import pytest
from widget_tree import by_description, html_text, inputs, visible_text

import goalbook
from goalbook.io import load_goalbook, save_goalbook
from goalbook.scoring import Scorer
from goalbook.widgets import CheckInForm

TODAY = date(2027, 3, 5)


@pytest.fixture
def store(tmp_path):
    with goalbook.open(tmp_path / "g.db", author="maria") as s:
        s.import_book(goalbook.load_example())
        yield s


def test_the_form_shows_the_progress_a_check_in_will_produce_before_it_is_saved(store):
    form = CheckInForm(None, "CO-1.KR1", store=store, today=TODAY)
    assert "Progress 55% against 71% expected by now: 17% behind pace (on track)" in html_text(form.preview.value)
    form.value_input.value = "57"
    with_it = replace(store.load(), check_ins=[*store.load().check_ins, form.check_in])
    expected = Scorer(with_it, today=TODAY).score("CO-1.KR1")
    assert expected.progress == pytest.approx((57 - 38) / (60 - 38))
    shown = html_text(form.preview.value)
    assert "with this check-in 57%" in shown
    assert f"{expected.progress:.0%}" in shown and f"{expected.expected:.0%}" in shown
    assert "Progress 86% against 71% expected by now: 15% ahead of pace (on track)" in shown
    assert len(store.load().check_ins_for("CO-1.KR1")) == 8  # nothing written before saving


def test_a_saved_check_in_reaches_the_store_with_everything_typed(store):
    form = CheckInForm(None, "CO-1.KR1", store=store, today=TODAY)
    saved = []
    form.on_save(saved.append)
    form.value_input.value = "52.5"
    form.confidence_input.value = 6
    form.status_input.value = "at_risk"
    form.wins_input.value = "Two more clinics live"
    form.blockers_input.value = "Clinic IT on leave"
    by_description(form, "Save check-in").click()
    latest = store.load().check_ins_for("CO-1.KR1")[-1]
    assert (latest.date, latest.value, latest.confidence, latest.status) == (TODAY, 52.5, 6, "at_risk")
    assert (latest.wins, latest.blockers, latest.author) == ("Two more clinics live", "Clinic IT on leave", "maria")
    assert saved == [latest]
    assert form.message_level == "success" and "Check-in of 2027-03-05 on CO-1.KR1 saved to" in form.message
    assert "2027-03-05 52.5 6 at risk Two more clinics live Clinic IT on leave maria" in html_text(form.history.value)
    assert "now (2027-Q1) 52.5%" in html_text(form.preview.value)


def test_the_form_says_when_the_reported_status_disagrees_with_the_pace(store):
    form = CheckInForm(None, "CO-2.KR1", store=store, today=TODAY)
    form.value_input.value = "22"
    form.status_input.value = "on_track"
    assert "You report on track; the pace says off track." in html_text(form.preview.value)


def test_an_unreadable_value_is_refused_in_words_and_nothing_typed_is_lost(store):
    form = CheckInForm(None, "CO-1.KR1", store=store, today=TODAY)
    form.value_input.value = "about fifty"
    form.wins_input.value = "A long note I do not want to type again"
    assert "value 'about fifty' is text, not a number" in html_text(form.preview.value)
    form.save_button.click()
    assert form.message_level == "error"
    assert "Not saved: check-in on CO-1.KR1: value 'about fifty' is text, not a number" in form.message
    assert (form.value_input.value, form.wins_input.value) == ("about fifty", "A long note I do not want to type again")
    assert len(store.load().check_ins_for("CO-1.KR1")) == 8


def test_a_check_in_the_store_refuses_keeps_the_form_as_typed(store):
    form = CheckInForm(None, "CO-1.KR1", store=store, today=TODAY)
    store.delete("CO-1")  # someone removes the objective while the form is open
    form.value_input.value = "51"
    form.save_button.click()
    assert form.message_level == "error" and "Not saved" in form.message and "CO-1.KR1" in form.message
    assert form.value_input.value == "51"


def test_check_ins_save_into_a_yaml_goalbook(tmp_path):
    path = tmp_path / "goals.yaml"
    save_goalbook(goalbook.load_example(), path)
    form = CheckInForm(load_goalbook(path), "WEB-1", path=path, today=TODAY)
    form.value_input.value = "4"
    form.save_button.click()
    assert form.message_level == "success", form.message
    assert load_goalbook(path).check_ins_for("WEB-1")[-1].value == 4


def test_without_a_store_or_file_the_check_in_goes_to_the_goalbook_in_memory():
    book = goalbook.load_example()
    form = CheckInForm(book, "KPI-NPS", today=TODAY)
    form.value_input.value = "49"
    form.save_button.click()
    assert book.check_ins_for("KPI-NPS")[-1].value == 49
    assert "in memory" in form.message


def test_objectives_take_no_check_ins():
    with pytest.raises(ValueError, match="CO-1 is an objective: check-ins are recorded on key results"):
        CheckInForm(goalbook.load_example(), "CO-1")


def test_a_read_only_form_shows_the_pace_and_history_without_any_input(store):
    form = CheckInForm(None, "CO-1.KR1", store=store, today=TODAY, readonly=True)
    assert inputs(form) == []
    assert not hasattr(form, "save_button")
    text = visible_text(form)
    assert "Progress 55% against 71% expected by now" in text and "2027-02-26 50" in text
    with pytest.raises(goalbook.GoalbookError):
        form.save()


def test_the_form_carries_its_css_class():
    form = CheckInForm(goalbook.load_example(), "CO-1.KR1")
    assert "goalbook-check-in-form" in form._dom_classes
    assert isinstance(form, widgets.VBox)
