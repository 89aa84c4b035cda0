"""Comments and approvals: the rules (approvers by level or team, nobody approves their own goal, a
reason for changes) and every step kept with who and when — in a YAML file, SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

import goalbook
from goalbook.approvals import Flow, RefusedError, approvers_of, pending_reviews, thread
from goalbook.examples import example_path, load_example
from goalbook.io import load_goalbook
from goalbook.model import Approvers

APPROVERS = Approvers(levels={"company": ["ceo"], "department": ["coo"], "team": ["coo"]},
                      teams={"Contact Centre": ["coo", "cdo"], "Clinics Ops": ["head-of-clinics"]})
TICK = iter(datetime(2027, 3, 1, 9, n) for n in range(60))


def clock() -> datetime:
    return next(TICK)


@pytest.fixture
def yaml_book(tmp_path: Path) -> Path:
    path = tmp_path / "northwind.yaml"
    shutil.copy(example_path(), path)
    book = load_goalbook(path)
    book.approvers = APPROVERS
    book.save(path)
    return path


def test_approvers_come_from_the_team_else_the_level():
    book = load_example()
    book.approvers = APPROVERS
    assert approvers_of(book, book.get("CC-2")) == ["coo", "cdo"]  # team Contact Centre
    assert approvers_of(book, book.get("WEB-1")) == ["coo"]  # team Web has none: level team
    assert approvers_of(book, book.get("CO-1")) == ["ceo"]
    assert approvers_of(book, book.get("DEP-OPS-1")) == ["coo"]


def run_the_flow(flow: Flow, as_: dict[str, str | None]) -> None:
    """CC-2 (owner cc-lead, in review): the owner and a non-approver are refused; changes need a reason;
    changes requested, review requested again, approved."""
    with pytest.raises(RefusedError, match="nobody approves their own goal"):
        flow.approve("CC-2", as_["cc-lead"])
    with pytest.raises(RefusedError, match="web-lead is not an approver of CC-2; its approvers are coo, cdo"):
        flow.approve("CC-2", as_["web-lead"])
    with pytest.raises(RefusedError, match="reason"):
        flow.request_changes("CC-2", as_["coo"], "  ")
    flow.request_changes("CC-2", as_["coo"], "Say how the new script is tested before it goes live")
    with pytest.raises(RefusedError, match="request a review first"):
        flow.approve("CC-2", as_["coo"])
    flow.request_review("CC-2", as_["cc-lead"])
    flow.approve("CC-2", as_["cdo"])
    with pytest.raises(RefusedError, match="objectives and SMART goals are approved"):
        flow.approve("CO-1.KR1", as_["coo"])


def assert_recorded(book: goalbook.Goalbook, expected_by: list[str]) -> None:
    steps = [a for a in book.approvals if a.target_id == "CC-2"]
    steps = steps[-3:]  # a YAML file keeps the example's own history before them
    assert [a.state for a in steps] == ["changes_requested", "in_review", "approved"]
    assert [a.by for a in steps] == expected_by
    assert all(a.at is not None for a in steps)
    assert [a.at for a in steps] == sorted(a.at for a in steps)
    assert steps[0].reason == "Say how the new script is tested before it goes live"
    assert book.get("CC-2").approval == "approved"


def test_the_flow_on_a_yaml_file_is_kept_in_the_file(yaml_book):
    flow = Flow(load_goalbook(yaml_book), path=yaml_book, clock=clock)
    run_the_flow(flow, {n: n for n in ("cc-lead", "web-lead", "coo", "cdo")})
    again = load_goalbook(yaml_book)  # read back from the file
    assert_recorded(again, ["coo", "cc-lead", "cdo"])
    text = yaml_book.read_text()
    assert "approvers:\n  levels:\n    company: [ceo]" in text
    assert ("  CC-2:\n    - {at: 2027-02-22T15:00:00, by: cc-lead, state: in_review}\n"
            "    - {at: 2027-03-01T09:") in text  # each step one line, after the history already there
    assert "by: coo, state: changes_requested, reason: Say how the new script is tested" in text
    assert "# Northwind Clinics: a worked example goalbook" in text  # the file's own comments are kept


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_flow_on_a_store_records_who_and_when(backend, tmp_path, request):
    url = str(tmp_path / "goals.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    book = load_example()
    book.approvers = APPROVERS
    with goalbook.open(url, author="setup") as s:
        s.import_book(book)
    stores = {name: goalbook.open(url, author=name) for name in ("cc-lead", "web-lead", "coo", "cdo")}
    try:
        flows = {name: Flow(store=s) for name, s in stores.items()}

        class Router:  # each person acts through their own store connection
            def __getattr__(self, action):
                return lambda gid, who, *rest: getattr(flows[who], action)(gid, None, *rest)

        run_the_flow(Router(), {n: n for n in stores})  # type: ignore[arg-type]
        with pytest.raises(RefusedError, match="records every step as coo"):
            flows["coo"].approve("WEB-1", "cdo")
        with goalbook.open(url, readonly=True) as ro:
            loaded = ro.load()
            assert_recorded(loaded, ["coo", "cc-lead", "cdo"])
            assert all(a.at.tzinfo is not None and a.at.tzinfo.utcoffset(a.at) == UTC.utcoffset(None)
                       for a in loaded.approvals)
            assert loaded.approvers == APPROVERS
            assert ro.approval("CC-2").by == "cdo"
    finally:
        for s in stores.values():
            s.close()


@pytest.mark.parametrize("backend", ["yaml", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_comments_are_threads_with_replies(backend, tmp_path, request, yaml_book):
    if backend == "yaml":
        flow = Flow(load_goalbook(yaml_book), path=yaml_book, clock=clock)
        reload = lambda: load_goalbook(yaml_book)  # noqa: E731
    else:
        url = str(tmp_path / "goals.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
        store = goalbook.open(url, author="coo")
        request.addfinalizer(store.close)
        store.import_book(load_example())
        flow = Flow(store=store)
        reload = store.load
    first = flow.comment("CC-2", "Is the new script tested with real callers?", "coo")
    flow.comment("CC-2", "A separate point: the budget line looks low.", "coo")
    reply = flow.comment("CC-2", "Yes: twenty calls recorded last week.", "coo", reply_to=first.id)
    flow.comment("CC-2", "Thanks, approving.", "coo", reply_to=reply.id)
    with pytest.raises(RefusedError, match="no comment C-99"):
        flow.comment("CC-2", "?", "coo", reply_to="C-99")
    with pytest.raises(RefusedError, match="empty"):
        flow.comment("CC-2", "   ", "coo")
    shown = [(t.depth, t.comment.text[:9]) for t in thread(reload(), "CC-2")]
    assert shown == [(0, "Is the ne"), (1, "Yes: twen"), (2, "Thanks, a"), (0, "A separat")]


def test_pending_reviews_are_the_goals_waiting_for_a_decision():
    book = load_example()
    assert [g.id for g, _ in pending_reviews(book)] == ["DEP-OPS-1", "CC-2"]


def test_a_candidate_idea_is_promoted_by_an_approver_with_who_and_when(yaml_book):
    flow = Flow(load_goalbook(yaml_book), path=yaml_book, clock=clock)
    with pytest.raises(RefusedError, match="nobody approves their own goal"):
        flow.promote("INI-7", "ops-lead")  # owner of the idea
    with pytest.raises(RefusedError, match="coo is not an approver"):
        flow.promote("INI-7", "coo")  # Clinics Ops ideas are approved by head-of-clinics
    flow.promote("INI-7", "head-of-clinics")
    kept = load_goalbook(yaml_book).get("INI-7")
    assert (kept.status, kept.approved_by, kept.approved_on.isoformat()) == ("approved", "head-of-clinics",
                                                                             kept.approved_on.isoformat())
    assert kept.approved_on is not None
    with pytest.raises(RefusedError, match="already approved"):
        flow.promote("INI-7", "head-of-clinics")


def test_the_command_line_comments_approves_and_refuses(yaml_book, capsys):
    from goalbook.cli import main

    src = str(yaml_book)
    assert main(["approve", src, "CC-2", "--as", "cc-lead"]) == 1
    assert "refused: CC-2 is owned by cc-lead: nobody approves their own goal" in capsys.readouterr().err
    assert main(["approve", src, "CC-2", "--as", "web-lead"]) == 1
    assert "web-lead is not an approver of CC-2" in capsys.readouterr().err
    assert main(["comment", src, "CC-2", "Tested with real callers?", "--as", "coo"]) == 0
    assert capsys.readouterr().out == "C-3: comment by coo on CC-2 recorded\n"  # C-1 and C-2 are the example's
    assert main(["comment", src, "CC-2", "Yes, twenty calls.", "--as", "cc-lead", "--reply-to", "C-1"]) == 1
    assert "no comment C-1 on it" in capsys.readouterr().err  # C-1 is about another goal
    assert main(["comment", src, "CC-2", "Yes, twenty calls.", "--as", "cc-lead", "--reply-to", "C-3"]) == 0
    assert main(["request-changes", src, "CC-2", "--as", "coo", "--reason", "Add the test plan"]) == 0
    assert main(["request-review", src, "CC-2", "--as", "cc-lead"]) == 0
    assert main(["approve", src, "CC-2", "--as", "cdo"]) == 0
    capsys.readouterr()
    assert main(["thread", src, "CC-2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("— approved")
    assert [line.split("  ")[-1] for line in out[1:5]] == [
        "cc-lead → in review", "coo → changes requested: Add the test plan", "cc-lead → in review",
        "cdo → approved"]
    assert out[5] == "Comments:" and out[6].startswith("  C-3 coo (") and out[7].startswith("    C-4 cc-lead (")
