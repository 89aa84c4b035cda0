"""ObjectiveEditor and SmartGoalEditor, driven as a user would: type, read the verdicts and what the
validator understood, add and move key results, save, and meet a concurrent change."""

from __future__ import annotations

from datetime import date

import pytest
from widget_tree import by_description, html_text, visible_text

import goalbook
from goalbook.io import load_goalbook, save_goalbook
from goalbook.widgets import ObjectiveEditor, SmartGoalEditor

TODAY = date(2027, 1, 5)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "g.db"
    with goalbook.open(path, author="maria") as s:
        s.import_book(goalbook.load_example())
    return path


@pytest.fixture
def store(db):
    with goalbook.open(db, author="maria") as s:
        yield s


def _verdict_rows(panel) -> dict[str, str]:
    """criterion -> 'verdict why suggestion' as the user reads the verdict table."""
    text = html_text(panel.table.value)
    out = {}
    names = ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound", "Owner"]
    for i, name in enumerate(names):
        start = text.index(name + " ")
        end = min((text.index(n + " ", start) for n in names[i + 1:] if n + " " in text[start:]), default=len(text))
        out[name] = text[start + len(name) + 1:end].strip()
    return out


# --- ObjectiveEditor: live verdicts --------------------------------------------------------------


def test_a_vague_key_result_shows_failing_verdicts_with_reasons_and_suggestions():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    row = editor.rows[0]
    row.title_input.value = "Improve customer happiness"
    rows = _verdict_rows(row.verdicts)
    assert rows["Specific"].startswith("fail 'Improve' says no direction and amount")
    assert "'raise customer happiness from A to B by DATE'" in rows["Specific"]
    assert rows["Measurable"].startswith("fail no number or defined level")
    assert rows["Time-bound"].startswith("fail no deadline or time window")
    assert row.verdicts.verdicts["specific"] == "fail"


def test_the_verdicts_and_what_was_understood_follow_the_typing():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    row = editor.rows[0]
    row.title_input.set_state({"value": "Raise online bookings from 38% to 60% by 2027-03-31"})  # as the browser
    understood = html_text(row.verdicts.understood.value)
    assert understood == ("understood baseline target direction deadline from the words and fields "
                          "38% 60% increase 2027-03-31")
    rows = _verdict_rows(row.verdicts)
    assert rows["Specific"].startswith("pass") and rows["Time-bound"].startswith("pass")
    assert rows["Owner"].startswith("warn")
    editor.owner_input.value = "coo"  # the objective's owner owns its key results too
    assert _verdict_rows(row.verdicts)["Owner"].startswith("pass")
    row.target_input.value = "65"  # a structured field overrides the words
    assert "38% 65% increase" in html_text(row.verdicts.understood.value)


def test_what_the_words_say_fills_the_empty_fields_on_request_without_overwriting_any():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    row = editor.rows[0]
    row.title_input.value = "Cut complaints from 60 to 30 a month by 2027-03-31"
    row.target_input.value = "25"
    row.fill_button.click()
    assert (row.metric_input.value, row.baseline_input.value, row.target_input.value) == ("complaints", "60", "25")
    assert (row.direction_input.value, row.deadline_input.value) == ("decrease", "2027-03-31")
    assert editor.message == "O-1.KR1: filled metric, direction, baseline, deadline from the words."
    assert editor.rows[1].fill_from_words() == []


def test_an_empty_deadline_is_read_from_the_objectives_period():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    editor.rows[0].title_input.value = "Raise online bookings from 38% to 60%"
    assert _verdict_rows(editor.rows[0].verdicts)["Time-bound"].startswith("fail")
    editor.period_input.value = "2027-Q2"
    assert _verdict_rows(editor.rows[0].verdicts)["Time-bound"].startswith("pass")
    assert html_text(editor.rows[0].verdicts.understood.value).endswith("2027-06-30")


def test_objective_level_findings_show_beneath_and_unreadable_fields_are_named():
    editor = ObjectiveEditor(goalbook.load_example(), "CO-1", today=TODAY)
    assert "No findings on the objective as a whole." in html_text(editor.findings.value)
    for row in editor.rows:
        row.indicator_input.value = "lagging"
    assert any(line.startswith("GB207") for line in editor.finding_list)
    assert "GB207 warning" in html_text(editor.findings.value)
    editor.period_input.value = "next spring"
    editor.rows[1].baseline_input.value = "six"
    text = html_text(editor.findings.value)
    assert "objective CO-1: period 'next spring' is not a period" in text
    assert "key result CO-1.KR2: baseline 'six' is text, not a number — write it in digits" in text


# --- ObjectiveEditor: key-result rows ------------------------------------------------------------


def test_key_results_can_be_added_up_to_five_removed_down_to_two_and_reordered(store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    assert [r.id_label.value for r in editor.rows] == ["CO-1.KR1", "CO-1.KR2", "CO-1.KR3", "CO-1.KR4"]
    by_description(editor, "Add key result").click()
    assert len(editor.rows) == 5 and editor.rows[4].id_label.value == "CO-1.KR5"
    assert editor.add_button.disabled
    assert editor.add_key_result() is None and "at most 5 key results" in editor.message
    editor.rows[4].title_input.value = "Raise same-day appointments from 10% to 25%"
    editor.rows[4].fill_button.click()
    editor.rows[4].up_button.click()
    editor.rows[0].down_button.click()
    assert [kr.id for kr in editor.objective.key_results] == ["CO-1.KR2", "CO-1.KR1", "CO-1.KR3", "CO-1.KR5",
                                                            "CO-1.KR4"]
    editor.rows[0].remove_button.click()
    editor.rows[0].remove_button.click()
    editor.rows[0].remove_button.click()
    assert [kr.id for kr in editor.objective.key_results] == ["CO-1.KR5", "CO-1.KR4"]
    assert all(r.remove_button.disabled for r in editor.rows)
    editor.remove_key_result(0)
    assert len(editor.rows) == 2 and "at least 2 key results" in editor.message
    editor.save_button.click()
    assert editor.message_level == "success", editor.message
    saved = store.get("CO-1")
    assert [kr.id for kr in saved.key_results] == ["CO-1.KR5", "CO-1.KR4"]
    assert saved.key_results[0].title == "Raise same-day appointments from 10% to 25%"


def test_fields_the_editor_does_not_show_are_kept(store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    editor.rows[0].title_input.value = "Raise online bookings from 38% to 62% of all visits"
    editor.save()
    kr = store.get("CO-1.KR1")
    assert (kr.weight, kr.confidence, kr.title) == (2, 7, "Raise online bookings from 38% to 62% of all visits")
    assert store.get("CO-1").description.startswith("Patients tell us booking is the worst part")


# --- ObjectiveEditor: saving ---------------------------------------------------------------------


def test_saving_writes_the_objective_to_the_store(store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    saved = []
    editor.on_save(saved.append)
    editor.title_input.value = "Make booking a visit effortless for everyone"
    editor.rows[1].target_input.value = "1.5"
    editor.save_button.click()
    assert editor.message_level == "success"
    assert editor.message.startswith("Saved: CO-1 saved to") and "(version 2)" in editor.message
    assert store.get("CO-1").title == "Make booking a visit effortless for everyone"
    assert store.get("CO-1.KR2").target == 1.5
    assert [o.id for o in saved] == ["CO-1"]
    editor.title_input.value = "Booking in two minutes"  # a second save needs no reload
    editor.save()
    assert store.version("CO-1") == 3 and editor.message_level == "success"


def test_a_concurrent_change_is_reported_in_words_and_nothing_typed_is_lost(db, store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    with goalbook.open(db, author="bob") as other:
        theirs = other.get("CO-1")
        theirs.title = "Bob's title"
        other.put(theirs)
    editor.title_input.value = "Maria's title"
    editor.rows[0].target_input.value = "61"
    editor.save_button.click()
    assert editor.message_level == "error"
    assert "someone else changed it first" in editor.message
    assert "CO-1 changed to version 2 by bob" in editor.message and "while you edited version 1" in editor.message
    assert "Your edits are still here" in editor.message
    assert (editor.title_input.value, editor.rows[0].target_input.value) == ("Maria's title", "61")
    assert store.get("CO-1").title == "Bob's title"
    assert "someone else changed it first" in visible_text(editor)


def test_a_save_that_breaks_a_rule_is_refused_in_words_and_changes_nothing(store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    editor.rows[0].target_input.value = "38"
    editor.rows[1].deadline_input.value = "31/03/2027"
    editor.save_button.click()
    assert editor.message_level == "error" and editor.message.startswith("Not saved:")
    assert "key result CO-1.KR2: deadline '31/03/2027' is not a date — write it as YYYY-MM-DD" in editor.message
    assert "key result CO-1.KR1: target 38 equals baseline 38" in editor.message
    assert editor.rows[1].deadline_input.value == "31/03/2027"
    assert store.version("CO-1") == 1 and store.get("CO-1.KR1").target == 60


def test_a_new_objective_is_created_in_the_store_with_ids_for_its_key_results(store):
    editor = ObjectiveEditor(None, None, store=store, today=TODAY)
    editor.id_input.value = "CO-4"
    editor.title_input.value = "Become the clinic people recommend"
    editor.level_input.value = "company"
    editor.period_input.value = "2027-Q1"
    editor.owner_input.value = "ceo"  # an owner and a period: planned work, not a draft
    editor.rows[0].title_input.value = "Raise NPS from 41 to 55 by 2027-03-31"
    editor.rows[0].fill_button.click()
    editor.rows[1].title_input.value = "Cut complaints from 60 to 30 a month by 2027-03-31"
    editor.rows[1].direction_input.value = "decrease"
    editor.rows[1].baseline_input.value = "60"
    editor.rows[1].target_input.value = "30"
    assert editor.save() is not None, editor.message
    saved = store.get("CO-4")
    assert [kr.id for kr in saved.key_results] == ["CO-4.KR1", "CO-4.KR2"]
    assert saved.period.name == "2027-Q1" and saved.key_results[1].target == 30
    editor.title_input.value = "Be the clinic people recommend"
    editor.save()
    assert editor.message_level == "success" and store.version("CO-4") == 2


def test_a_new_objective_cannot_take_an_id_already_used(store):
    editor = ObjectiveEditor(None, None, store=store, today=TODAY)
    editor.id_input.value = "CO-1"
    editor.title_input.value = "A second CO-1"
    for row, text in zip(editor.rows, ("Raise NPS from 41 to 55", "Cut complaints from 60 to 30"), strict=True):
        row.title_input.value = text
    editor.save()
    assert editor.message_level == "error" and "id 'CO-1' is already used" in editor.message


def test_objectives_save_into_a_yaml_file_and_concurrent_edits_of_the_same_objective_conflict(tmp_path):
    path = tmp_path / "goals.yaml"
    save_goalbook(goalbook.load_example(), path)
    mine = ObjectiveEditor(load_goalbook(path), "CO-2", path=path, today=TODAY)
    theirs = ObjectiveEditor(load_goalbook(path), "CO-2", path=path, today=TODAY)
    other_goal = ObjectiveEditor(load_goalbook(path), "CO-3", path=path, today=TODAY)
    theirs.title_input.value = "Their title"
    theirs.save()
    other_goal.title_input.value = "A change to another objective"
    other_goal.save()
    assert theirs.message_level == other_goal.message_level == "success"
    mine.title_input.value = "My title"
    mine.save()
    assert mine.message_level == "error" and "CO-2 changed in" in mine.message
    on_disk = load_goalbook(path)
    assert (on_disk.get("CO-2").title, on_disk.get("CO-3").title) == ("Their title", "A change to another objective")
    assert mine.title_input.value == "My title"


def test_without_a_store_or_file_saving_updates_the_goalbook_in_memory():
    book = goalbook.load_example()
    editor = ObjectiveEditor(book, "CO-3", today=TODAY)
    editor.owner_input.value = "cmo"
    editor.save()
    assert book.get("CO-3").owner == "cmo" and "in memory" in editor.message


# --- SmartGoalEditor -------------------------------------------------------------------------------


def test_the_statement_is_shown_with_what_the_validator_read_highlighted():
    editor = SmartGoalEditor(goalbook.load_example(), None, today=TODAY)
    editor.statement_input.value = "Cut booking steps from 7 to 3 by 2027-02-28"
    view = editor.statement_view.value
    assert '<mark class="goalbook-mark" title="baseline">7</mark>' in view
    assert '<mark class="goalbook-mark" title="target">3</mark>' in view
    assert '<mark class="goalbook-mark" title="deadline">by 2027-02-28</mark>' in view
    assert html_text(view) == "Read as: Cut booking steps from 7 to 3 by 2027-02-28"
    assert "7 3 decrease 2027-02-28" in html_text(editor.verdicts.understood.value)


def test_the_goal_editor_shows_live_verdicts_and_structured_fields_count():
    editor = SmartGoalEditor(goalbook.load_example(), None, today=TODAY)
    editor.statement_input.value = "Grow our community"
    rows = _verdict_rows(editor.verdicts)
    assert rows["Specific"].startswith("fail") and rows["Measurable"].startswith("fail")
    assert rows["Relevant"].startswith("warn not linked")
    editor.deadline_input.value = "2027-06-30"
    assert _verdict_rows(editor.verdicts)["Time-bound"].startswith("pass")


def test_the_goal_editor_saves_to_the_store_and_reports_conflicts(db, store):
    editor = SmartGoalEditor(None, "WEB-1", store=store, today=TODAY)
    editor.budget_input.value = "20,000"
    editor.save_button.click()
    assert editor.message_level == "success", editor.message
    assert store.get("WEB-1").budget == 20000
    with goalbook.open(db, author="bob") as other:
        g = other.get("WEB-1")
        g.owner = "bob"
        other.put(g)
    editor.statement_input.value = "Ship one-page booking to all 14 clinics by 2027-03-15"
    editor.save()
    assert editor.message_level == "error" and "WEB-1 changed to version 3 by bob" in editor.message
    assert editor.statement_input.value == "Ship one-page booking to all 14 clinics by 2027-03-15"
    assert store.get("WEB-1").owner == "bob"


def test_the_goal_editor_refuses_unreadable_fields_in_words(store):
    editor = SmartGoalEditor(None, "WEB-1", store=store, today=TODAY)
    editor.deadline_input.value = "end of Feb"
    editor.save()
    assert editor.message_level == "error"
    assert "goal WEB-1: deadline 'end of Feb' is not a date" in editor.message
    assert editor.deadline_input.value == "end of Feb" and store.version("WEB-1") == 1


def test_a_new_goal_is_created_and_the_opened_goal_must_be_a_smart_goal(store):
    editor = SmartGoalEditor(None, None, store=store, today=TODAY)
    editor.id_input.value = "WEB-9"
    editor.statement_input.value = "Cut booking page load time from 3.1 s to 1.5 s by 2027-03-31"
    editor.team_input.value = "Web"
    assert editor.save() is not None, editor.message
    assert store.get("WEB-9").statement.startswith("Cut booking page load time")
    with pytest.raises(ValueError, match="CO-1 is not a SMART goal"):
        SmartGoalEditor(None, "CO-1", store=store)


def test_a_score_set_by_hand_is_saved_with_its_reason_and_refused_without_one(store):
    editor = ObjectiveEditor(None, "CO-1", store=store, today=TODAY)
    editor.rows[0].override_input.value = "0.3"
    editor.save_button.click()
    assert editor.message_level == "error"
    assert "key result CO-1.KR1: a score override needs a reason (score_reason)" in editor.message
    editor.rows[0].reason_input.value = "bookings were double-counted until February"
    editor.save_button.click()
    assert editor.message_level == "success", editor.message
    saved = store.get("CO-1.KR1")
    assert (saved.score_override, saved.score_reason) == (0.3, "bookings were double-counted until February")
    shown = ObjectiveEditor(None, "CO-1", store=store, today=TODAY, readonly=True)
    assert "0.3: bookings were double-counted until February" in html_text(shown.rows[0].summary.value)
