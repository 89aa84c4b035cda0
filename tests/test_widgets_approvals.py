"""The approval thread widget: comment, reply, request changes with a reason and approve through its
buttons; refusals shown, nothing changed; read-only builds no control."""

from __future__ import annotations

import shutil

from goalbook.examples import example_path, load_example
from goalbook.io import load_goalbook
from goalbook.widgets.agenda import AgendaView
from goalbook.widgets.approvals import ApprovalThread


def test_the_thread_widget_works_a_yaml_file(tmp_path):
    path = tmp_path / "nw.yaml"
    shutil.copy(example_path(), path)
    owner = ApprovalThread(load_goalbook(path), "CC-2", path=path, readonly=False, author="cc-lead")
    owner.buttons["approve"].click()
    assert owner.message_level == "error" and "nobody approves their own goal" in owner.message
    coo = ApprovalThread(load_goalbook(path), "CC-2", path=path, readonly=False, author="coo")
    coo.text.value = "Is the script tested? <b>bold</b>"
    coo.buttons["comment"].click()
    assert coo.message == "C-3 added" and coo.text.value == ""
    coo.buttons["request_changes"].click()  # no reason typed
    assert coo.message_level == "error" and "reason" in coo.message
    coo.text.value = "Add the test plan"
    coo.buttons["request_changes"].click()
    assert coo.message == "CC-2 is now changes requested"
    owner = ApprovalThread(load_goalbook(path), "CC-2", path=path, readonly=False, author="cc-lead")
    owner.reply_to.value = "C-3"
    owner.text.value = "Yes, twenty calls."
    owner.buttons["comment"].click()
    owner.buttons["request_review"].click()
    ApprovalThread(load_goalbook(path), "CC-2", path=path, readonly=False, author="cdo").buttons["approve"].click()
    kept = load_goalbook(path)
    assert kept.get("CC-2").approval == "approved"
    assert [(a.by, a.state) for a in kept.approvals if a.target_id == "CC-2"][-3:] == [
        ("coo", "changes_requested"), ("cc-lead", "in_review"), ("cdo", "approved")]
    view = ApprovalThread(kept, "CC-2")
    assert "&lt;b&gt;bold&lt;/b&gt;" in view.body.value and "<b>bold" not in view.body.value
    assert 'data-depth="1"' in view.body.value and "reply to C-3" in view.body.value
    assert "cdo → approved" in view.body.value


def test_read_only_widgets_build_no_control():
    book = load_example()
    thread = ApprovalThread(book, "CO-2.KR1")
    assert thread.readonly and not hasattr(thread, "buttons") and not hasattr(thread, "text")
    assert "reply to C-1" in thread.body.value
    from datetime import date

    agenda = AgendaView(book, today=date(2027, 2, 26))
    assert agenda.agenda.ids[0] == "CO-2.KR1" and 'data-section="off_track"' in agenda.body.value


def test_in_a_store_the_thread_acts_as_you_unless_told_otherwise(tmp_path, monkeypatch):
    """Notebook 04 leaves ``reviewer = None``: in a store that is the person at the keyboard (here
    $GOALBOOK_AUTHOR=coo, CC-2's approver), while naming somebody else is refused with the reason."""
    import goalbook
    from goalbook.notebook import open_book

    db = tmp_path / "goals.db"
    with goalbook.open(db, author="setup") as s:
        s.import_book(load_example())
    monkeypatch.setenv("GOALBOOK_AUTHOR", "coo")
    ws = open_book(str(db), readonly=False)
    other = ApprovalThread(goal_id="CC-2", workspace=ws, author="cdo", readonly=False)
    other.buttons["approve"].click()
    assert other.message_level == "error" and "records every step as coo" in other.message
    you = ApprovalThread(goal_id="CC-2", workspace=ws, author=None, readonly=False)
    you.buttons["approve"].click()
    assert you.message == "CC-2 is now approved"
    with goalbook.open(db, readonly=True) as ro:
        assert ro.approval("CC-2").by == "coo"
