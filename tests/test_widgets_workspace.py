"""One workspace per notebook, observed by every widget on the page (issues 13 and 14): driven through
the widgets' own inputs and traits, as a facilitator would, without a browser.

A save, a link or a check-in in one widget redraws every other; the goal editor moves between goals
and links through its *Supports* field; a goal without owner, team or deadline is a listed draft; a
check-in on a day that already has one asks first; an empty editor is not a wall of fails."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from widget_tree import html_text, visible_text

import goalbook
from goalbook.io import load_goalbook
from goalbook.widgets import AlignmentExplorer, CheckInForm, Dashboard, LinkPicker, ObjectiveEditor, SmartGoalEditor
from goalbook.widgets.agenda import AgendaView
from goalbook.widgets.approvals import ApprovalThread
from goalbook.workspace import Workspace

TODAY = date(2027, 2, 26)  # the example's latest weekly check-in
GOOD = "Cut average call handling time from 7.5 to 5.5 minutes by 2027-03-31"


@pytest.fixture
def ws() -> Workspace:
    return Workspace(goalbook.load_example())


def _orphans(explorer: AlignmentExplorer) -> set[str]:
    """The goals the map rings in red as serving no company objective, found by the ring's position."""
    ring = [t for t in explorer.figure.data if t.name == "Serves no company objective"]
    if not ring:
        return set()
    at = {(x, y) for x, y in zip(ring[0].x, ring[0].y, strict=True)}
    return {i for t in explorer.figure.data if t.customdata is not None and t.hovertext is not None
            for i, x, y in zip(t.customdata, t.x, t.y, strict=True) if (x, y) in at}


def _details_fact(explorer: AlignmentExplorer, label: str) -> str:
    text = html_text(explorer.details.value)
    start = text.index(label + " ") + len(label) + 1
    following = [text.index(n, start) for n in ("Served by", "Last check-in") if n in text[start:]]
    return text[start:min(following, default=len(text))].strip()


def test_a_save_with_a_link_in_the_editor_redraws_the_map_and_the_dashboard(ws):
    editor = SmartGoalEditor(workspace=ws, today=TODAY, team="Contact Centre")
    dashboard = Dashboard(workspace=ws, team="Contact Centre", today=TODAY)
    explorer = AlignmentExplorer(workspace=ws, today=TODAY, team="Contact Centre")
    shown_before = len(explorer.shown())
    editor.statement_input.value = GOOD
    editor.owner_input.value = "cc-lead"
    editor.metric_input.value = "average handling time"
    editor.unit_input.value = "min"
    assert editor.serves_input.options[1][1] == "CO-1.KR4"  # the right target, first, by meaning
    assert "related metrics 'Average handle time → Service level" in html_text(editor.serves_why.value)
    editor.serves_input.value = "CO-1.KR4"
    assert editor.report.relevant.status == "pass"  # the verdict counts the link about to be made
    saved = editor.save()
    assert saved is not None and editor.message_level == "success", editor.message
    assert "now supports CO-1.KR4" in editor.message
    gid = saved.id
    assert [lk.target for lk in ws.book.links_from(gid)] == ["CO-1.KR4"]
    # the map: one more goal, not ringed as an orphan, its details say what it serves
    assert len(explorer.shown()) == shown_before + 1 and gid in explorer.shown()
    assert gid not in _orphans(explorer)
    assert explorer.selected == gid
    assert _details_fact(explorer, "Serves").startswith("CO-1.KR4")
    # the dashboard: the goal's row, serving the result
    assert f'data-id="{gid}"' in dashboard.goals.value
    assert "→ serves CO-1.KR4" in html_text(dashboard.goals.value)
    assert dashboard.revision == explorer.revision == 1
    # the editor itself: its picker lists the new goal, which it now shows
    assert editor.goal_input.value == gid == editor.goal_id and gid in dict(map(reversed, editor.goal_input.options))
    assert "Supports now: CO-1.KR4" in html_text(editor.serves_now.value)


def test_apply_link_in_the_picker_ends_the_orphan_ring_and_serves_nothing_on_the_same_page(ws):
    explorer = AlignmentExplorer(workspace=ws, today=TODAY)
    explorer.select("KPI-SICK")
    assert "KPI-SICK" in _orphans(explorer) and _details_fact(explorer, "Serves") == "nothing"
    picker = LinkPicker(goal_id="KPI-SICK", workspace=ws, today=TODAY)
    picker.target_input.value = "CO-3.KR2"
    assert picker.apply() is not None, picker.message
    assert "KPI-SICK" not in _orphans(explorer)
    assert _details_fact(explorer, "Serves").startswith("CO-3.KR2")


def test_the_editor_moves_between_goals_without_code(ws):
    editor = SmartGoalEditor(workspace=ws, today=TODAY)
    assert editor.is_new and editor.goal_id == ""
    editor.goal_input.value = "CC-2"
    assert editor.goal_id == "CC-2" and not editor.is_new
    assert editor.statement_input.value == ws.book.get("CC-2").statement
    assert editor.id_input.layout.display == "none" and editor.id_label.value == "CC-2"
    assert "Supports now: CO-1.KR4, DEP-DIG-1.KR2" in html_text(editor.serves_now.value)
    editor.goal_input.value = "WEB-1"
    assert editor.owner_input.value == ws.book.get("WEB-1").owner
    editor.goal_input.value = ""
    assert editor.is_new and editor.statement_input.value == "" and editor.id_input.layout.display is None


def test_the_editors_advice_names_the_link_field_one_way(ws):
    editor = SmartGoalEditor(workspace=ws, today=TODAY)
    editor.statement_input.value = "Grow our community"
    relevant = editor.report.relevant
    assert relevant.status == "warn" and "(supports: [ID])" in relevant.suggestion
    assert editor.serves_input.description == "Supports"
    assert "aligned_to" not in visible_text(editor)


def test_a_goal_without_owner_team_or_deadline_is_saved_as_a_listed_draft(ws):
    editor = SmartGoalEditor(workspace=ws, today=TODAY)
    dashboard = Dashboard(workspace=ws, today=TODAY)
    assert dashboard.drafts.value == ""
    editor.statement_input.value = "Make booking faster for patients"
    saved = editor.save()
    assert saved is not None
    assert editor.message_level == "warning"
    assert "Saved as a draft (no owner, team or deadline yet)" in editor.message
    text = html_text(dashboard.drafts.value)
    assert text.startswith("Drafts (1)") and saved.id in text and "no owner, team or deadline yet" in text
    editor.owner_input.value, editor.team_input.value, editor.deadline_input.value = "web-lead", "Web", "2027-03-31"
    editor.save()
    assert editor.message_level == "success" and dashboard.drafts.value == ""


def test_a_check_in_defaults_to_a_free_day_asks_before_a_second_on_one_day_and_shows_the_pace_status(ws):
    taken = {c.date for c in ws.book.check_ins_for("CO-2.KR1")}
    assert TODAY in taken
    form = CheckInForm(goal_id="CO-2.KR1", workspace=ws, today=TODAY, author="head-of-clinics")
    agenda = AgendaView(workspace=ws, today=TODAY)
    assert form.date_input.value == "2027-02-27"  # today has one already
    form.date_input.value = TODAY.isoformat()
    form.value_input.value = "19"
    before = len(ws.book.check_ins_for("CO-2.KR1"))
    assert form.save() is None and form.confirming
    assert form.message_level == "warning" and f"already has a check-in on {TODAY}" in form.message
    assert form.save_button.description == "Add a second check-in"
    assert len(ws.book.check_ins_for("CO-2.KR1")) == before
    form.value_input.value = "18"  # changing the form withdraws the question
    assert not form.confirming and form.save_button.description == "Save check-in"
    form.save_button.click()
    assert form.confirming
    form.save_button.click()
    assert not form.confirming and form.message_level == "success", form.message
    assert len(ws.book.check_ins_for("CO-2.KR1")) == before + 1
    preview_status = form.scores()[0].status  # where the goal stands now, as the preview says
    first_row = html_text(form.history.value).split("by ", 1)[1]
    assert first_row.startswith(f"{TODAY} 18 ") and preview_status.replace("_", " ") in first_row
    assert "(pace)" in first_row and "—" not in first_row.split("(pace)")[0]
    assert form.date_input.value == "2027-02-27" and agenda.revision == 1


def test_the_check_in_form_moves_between_goals(ws):
    form = CheckInForm(goal_id="CO-2.KR1", workspace=ws, today=TODAY)
    form.goal_input.value = "CC-2"
    assert form.goal_id == "CC-2" and form.header.value.startswith("CC-2 · ")
    assert TODAY not in {c.date for c in ws.book.check_ins_for("CC-2")} or form.date_input.value != str(TODAY)


def test_an_empty_new_objective_is_not_a_wall_of_fails_and_company_is_its_level_when_asked(ws):
    editor = ObjectiveEditor(workspace=ws, today=TODAY, level="company")
    assert editor.level_input.value == "company"
    assert editor.finding_list == []
    assert all(row.verdicts.report is None for row in editor.rows)
    assert "fail" not in visible_text(editor)
    editor.title_input.value = ""
    editor.rows[0].title_input.value = "Improve customer happiness"
    assert editor.rows[0].verdicts.verdicts["specific"] == "fail"
    assert editor.rows[1].verdicts.report is None  # the untouched row still only says what to type
    said = [line for line in editor.finding_list if "title is empty" in line or "the title is empty" in line]
    assert len([s for s in said if "O-1:" in s or "O-1 " in s]) == 1  # the empty objective title once, not twice


def test_approvals_live_in_the_workspace_and_reach_a_yaml_file(tmp_path):
    path = tmp_path / "nw.yaml"
    shutil.copy(goalbook.examples.example_path(), path)
    ws = Workspace(load_goalbook(path), path=path)
    approver = ApprovalThread(goal_id="CC-2", workspace=ws, readonly=False, author="cdo")
    watcher = ApprovalThread(goal_id="CC-2", workspace=ws)  # a read-only view of the same goal on the page
    assert ws.book.get("CC-2").approval == "in_review"
    approver.buttons["approve"].click()
    assert approver.message == "CC-2 is now approved", approver.message
    assert "approved" in html_text(watcher.body.value) and watcher.revision == 1
    kept = load_goalbook(path)
    assert kept.get("CC-2").approval == "approved"
    assert [(a.by, a.state) for a in kept.approvals if a.target_id == "CC-2"][-1] == ("cdo", "approved")
    approver.text.value = "Approved: twenty test calls first."
    approver.buttons["comment"].click()
    assert [c.text for c in load_goalbook(path).comments if c.target_id == "CC-2"][-1] == \
        "Approved: twenty test calls first."
    assert "Approved: twenty test calls first." in html_text(watcher.body.value)
