"""goalbook.workspace.Workspace: one widget-free place that knows where a goalbook lives, writes to it
with conflict detection, allocates ids and tells observers what changed. The editors' Destination
and the notebooks' Workspace are this class."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import goalbook
from goalbook import ConflictError, GoalbookError
from goalbook.io import load_goalbook
from goalbook.model import CheckIn, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.workspace import Change, Workspace, key_result_ids, next_id


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "goals.yaml"
    target.write_text(goalbook.example_path().read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_editors_and_notebooks_share_the_one_implementation() -> None:
    from goalbook import notebook
    from goalbook.widgets import _base

    assert _base.Destination is Workspace and notebook.Workspace is Workspace


def test_observers_hear_every_write_and_can_leave(path: Path) -> None:
    ws = Workspace(load_goalbook(path), path=path)
    heard: list[Change] = []
    ws.on_change(heard.append)
    goal = ws.fetch(ws.book.smart_goals[0].id)
    goal.owner = "someone-else"
    ws.put(goal)
    target = ws.book.key_results[0].id
    ws.check_in(CheckIn(target, date(2027, 2, 1), value=1.0))
    assert [(c.what, c.ids) for c in heard] == [("put", (goal.id,)), ("check_in", (target,))]
    assert heard[0].where == f"{goal.id} saved to {path}"
    ws.on_change(heard.append, remove=True)
    ws.put(goal)
    assert len(heard) == 2
    assert load_goalbook(path).get(goal.id).owner == "someone-else"


def test_a_refused_write_changes_nothing_and_tells_no_one(path: Path) -> None:
    mine, theirs = Workspace(load_goalbook(path), path=path), Workspace(load_goalbook(path), path=path)
    gid = mine.book.smart_goals[0].id
    a, b = mine.fetch(gid), theirs.fetch(gid)
    b.owner = "them"
    theirs.put(b)
    heard: list[Change] = []
    mine.on_change(heard.append)
    a.owner = "me"
    with pytest.raises(ConflictError, match=f"{gid} changed in"):
        mine.put(a)
    assert heard == [] and mine.book.get(gid).owner != "me" and load_goalbook(path).get(gid).owner == "them"


def test_a_read_only_workspace_refuses_writes() -> None:
    ws = Workspace(Goalbook(), "a review page", readonly=True)
    assert ws.saving == {"readonly": True}
    with pytest.raises(GoalbookError, match="read-only"):
        ws.put(SmartGoal("G-1", "Cut waiting time from 24 to 12 minutes by 2027-03-31"))
    with pytest.raises(GoalbookError, match="read-only"):
        ws.add_link(Link("G-1", "O-1"))


def test_ids_are_allocated_after_the_ones_taken() -> None:
    book = Goalbook(objectives=[Objective("O-1", "x", key_results=[KeyResult("O-1.KR1", "a"),
                                                                    KeyResult("O-1.KR3", "b")])],
                    smart_goals=[SmartGoal("G-1", "s"), SmartGoal("G-2", "s")])
    assert next_id(book, "G") == "G-3" and next_id(book, "O") == "O-2"
    assert key_result_ids(book, "O-1", ["O-1.KR1", None, None]) == ["O-1.KR1", "O-1.KR4", "O-1.KR5"]
    assert key_result_ids(book, "O-9", [None, "O-9.KR7", None]) == ["O-9.KR8", "O-9.KR7", "O-9.KR9"]
    assert Workspace(book).next_id("G") == "G-3"


def test_in_memory_writes_say_so() -> None:
    ws = Workspace(Goalbook())
    assert ws.put(SmartGoal("G-1", "s")) == "G-1 saved in the goalbook in memory (not to a file or store)"
    assert "G-1" in ws.book and ws.describe().startswith("the goalbook in memory")


def test_a_goal_and_its_link_are_one_write_and_one_event() -> None:
    ws = Workspace(Goalbook(objectives=[Objective("CO-1", "Delight patients", level="company", key_results=[
        KeyResult("CO-1.KR1", "Raise NPS from 41 to 55", baseline=41, target=55)])]))
    heard: list[Change] = []
    ws.on_change(heard.append)
    ws.put(SmartGoal("G-1", "Raise NPS at Leeds from 30 to 50 by 2027-03-31"), links=[Link("G-1", "CO-1.KR1")])
    assert [(c.what, c.ids) for c in heard] == [("put", ("G-1", "CO-1.KR1"))]
    assert [lk.target for lk in ws.book.links_from("G-1")] == ["CO-1.KR1"]
    with pytest.raises(KeyError, match="CO-9"):
        ws.put(SmartGoal("G-2", "x"), links=[Link("G-2", "CO-9")])
    assert "G-2" not in ws.book and len(heard) == 1


def test_drafts_are_goals_without_owner_team_or_deadline_and_say_what_they_lack() -> None:
    from goalbook.workspace import draft_words, drafts

    book = Goalbook(objectives=[Objective("CO-1", "Delight patients", level="company", owner="ceo")],
                    smart_goals=[SmartGoal("G-1", "Make booking faster"),
                                 SmartGoal("G-2", "Cut steps from 7 to 3", team="Web", owner="ana",
                                           deadline=date(2027, 3, 31))])
    assert [(g.id, draft_words(m)) for g, m in drafts(book)] == [
        ("CO-1", "no period yet"), ("G-1", "no owner, team or deadline yet")]


def test_a_check_in_day_defaults_past_the_days_taken_and_approvals_are_the_workspaces(path: Path) -> None:
    from goalbook.approvals import RefusedError
    from goalbook.workspace import free_day

    ws = Workspace(load_goalbook(path), path=path)
    taken = sorted({c.date for c in ws.book.check_ins_for("CO-2.KR1")})
    assert free_day(ws.book, "CO-2.KR1", taken[-1]) not in taken
    assert ws.check_ins_on("CO-2.KR1", taken[-1])
    with pytest.raises(RefusedError, match="nobody approves their own goal"):
        ws.step("CC-2", "approve", "cc-lead")
    event = ws.step("CC-2", "approve", "cdo")
    assert (event.target_id, event.state, event.by) == ("CC-2", "approved", "cdo")
    assert ws.book.get("CC-2").approval == "approved" == load_goalbook(path).get("CC-2").approval
