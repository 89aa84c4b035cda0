"""What the notebooks and review pages share (goalbook.notebook): a review page opens the store
read-only and builds nothing that saves; URL parameters and user text reach the page escaped;
the day and the changes shown are the ones a reader expects."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hostile_book import IMG, RAW_TAG, SCRIPT

import goalbook
from goalbook.errors import GoalbookError, ValidationError
from goalbook.lint import lint_book
from goalbook.model import CheckIn, Comment, Goalbook, Link, Objective, SmartGoal
from goalbook.notebook import (
    changes_since,
    choose_team,
    findings_frame,
    goal_verdicts,
    heading,
    notice,
    open_book,
    page_links,
    query_date,
    query_param,
    smart_verdicts,
    table,
    today_from_env,
)

TODAY = date(2027, 2, 26)
WORKSHOP: dict[str, str] = {}
REVIEW = {"GOALBOOK_READONLY": "1"}


@pytest.fixture(scope="module")
def example() -> Goalbook:
    return goalbook.load_example()


@pytest.fixture
def store_path(tmp_path: Path, example: Goalbook) -> Path:
    path = tmp_path / "goals.db"
    with goalbook.open(path, author="seed") as store:
        store.import_book(example)
    return path


# --- opening ---------------------------------------------------------------------------------------
def test_a_workshop_without_a_store_edits_the_example_in_memory() -> None:
    ws = open_book(env=WORKSHOP)
    assert ws.book.organisation == "Northwind Clinics" and not ws.readonly
    assert ws.store is None and ws.path is None and ws.saving == {}
    assert "example" in ws.source


def test_a_review_page_is_read_only_even_when_its_code_asks_otherwise() -> None:
    ws = open_book(readonly=False, env=REVIEW)
    assert ws.readonly and ws.saving == {"readonly": True}
    assert open_book(env={"SERVER_SOFTWARE": "voila/0.5.13"}).readonly


def test_a_review_page_opens_the_store_read_only_at_the_database_level(store_path: Path) -> None:
    ws = open_book(env={**REVIEW, "GOALBOOK_STORE": str(store_path)})
    try:
        assert ws.readonly and ws.store.readonly and ws.saving == {"readonly": True}
        assert len(ws.book.smart_goals) == 12
        goal = ws.store.get("WEB-1")
        with pytest.raises(GoalbookError, match="read-only"):
            ws.store.put(replace(goal, statement="changed from a review page"))
    finally:
        ws.store.close()
    with goalbook.open(store_path, readonly=True) as store:
        assert store.get("WEB-1").statement == goal.statement


def test_a_workshop_store_is_where_the_widgets_save(store_path: Path) -> None:
    ws = open_book(store_path, env=WORKSHOP)
    try:
        assert not ws.readonly and ws.saving == {"store": ws.store}
        ws.store.put(replace(ws.store.get("WEB-1"), owner="ana"))
        assert ws.reload().get("WEB-1").owner == "ana"
    finally:
        ws.store.close()


def test_a_yaml_file_is_saved_back_only_when_writable(tmp_path: Path) -> None:
    path = tmp_path / "goals.yaml"
    path.write_bytes(goalbook.example_path().read_bytes())
    assert open_book(path, env=WORKSHOP).saving == {"path": path}
    assert open_book(path, env=REVIEW).saving == {"readonly": True}


def test_a_missing_goalbook_is_named_and_no_store_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(FileNotFoundError, match=r"typo\.db"):
        open_book(missing, env=WORKSHOP)
    assert not missing.exists()


def test_a_writable_store_is_refused_for_reading_only(store_path: Path) -> None:
    with goalbook.open(store_path) as store, pytest.raises(GoalbookError, match="readonly=True"):
        open_book(store, env=REVIEW)


# --- the day and the URL ---------------------------------------------------------------------------
def test_today_comes_from_the_environment_or_the_data(example: Goalbook) -> None:
    assert today_from_env(env={"GOALBOOK_TODAY": "2027-03-31"}) == date(2027, 3, 31)
    with pytest.raises(GoalbookError, match="GOALBOOK_TODAY"):
        today_from_env(env={"GOALBOOK_TODAY": "31/03/2027"})
    assert today_from_env(env={}) == date.today()
    # a goalbook checked in ahead of the calendar (the example, a seeded demo) is shown as of its last check-in
    assert today_from_env(example, env={}) == max(date.today(), TODAY)
    late = Goalbook(check_ins=[CheckIn("X", date.today() + timedelta(days=30), 1.0)])
    assert today_from_env(late, env={}) == date.today() + timedelta(days=30)


def test_query_parameters_are_read_from_voilas_query_string() -> None:
    env = {"QUERY_STRING": "team=Contact%20Centre&since=&x=%3Cb%3E"}
    assert query_param("team", env=env) == "Contact Centre"
    assert query_param("x", env=env) == "<b>"
    assert query_param("since", "none", env=env) == "none"  # blank counts as absent
    assert query_param("period", env={}) is None


def test_a_date_parameter_that_is_not_a_date_is_ignored_with_a_reason() -> None:
    assert query_date("since", env={"QUERY_STRING": "since=2027-02-01"}) == (date(2027, 2, 1), "")
    assert query_date("since", date(2027, 1, 1), env={}) == (date(2027, 1, 1), "")
    day, problem = query_date("since", env={"QUERY_STRING": "since=last%20week"})
    assert day is None and "last week" in problem and "YYYY-MM-DD" in problem


def test_a_team_page_takes_a_known_team_or_says_which_exist(example: Goalbook) -> None:
    assert choose_team(example, "Web") == ("Web", "")
    assert choose_team(example, None) == ("Clinical Operations", "")  # the first, alphabetically
    team, problem = choose_team(example, "Wbe")
    assert team is None and "'Wbe'" in problem and "Contact Centre" in problem and "Web" in problem
    assert choose_team(Goalbook(), None) == (None, "This goalbook has no teams yet.")


# --- showing things safely -------------------------------------------------------------------------
def test_user_text_reaches_the_page_escaped() -> None:
    frame = pd.DataFrame({"id": ["G-1"], "title": [IMG], "owner": [SCRIPT]})
    shown = [notice(f"no team {SCRIPT}").value, heading(IMG).value, table(frame).value,
             page_links([IMG, "Web"], "team", SCRIPT).value]
    assert not any(RAW_TAG.search(html) for html in shown)
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[2]
    assert 'href="?team=%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"' in shown[3]


def test_an_empty_table_says_so() -> None:
    assert "Nothing changed" in table(pd.DataFrame(columns=["id"]), empty="Nothing changed.").value


# --- tables the notebooks show ---------------------------------------------------------------------
def test_findings_become_one_row_each(example: Goalbook) -> None:
    findings = lint_book(example, today=TODAY)
    frame = findings_frame(findings)
    assert list(frame.columns) == ["code", "severity", "entity", "message", "suggestion"]
    assert frame["code"].tolist() == [f.code for f in findings]


def test_smart_verdicts_separate_a_wish_from_a_goal() -> None:
    frame = smart_verdicts(["Improve the booking website",
                            "Ship one-page booking to all 14 clinics by 2027-02-28, cutting booking steps from 7 to 3"],
                           today=TODAY)
    wish, goal = frame.to_dict("records")
    assert wish["measurable"] == "fail" and wish["time_bound"] == "fail" and wish["advice"]
    assert goal["measurable"] == goal["time_bound"] == goal["specific"] == "pass"
    assert goal["score"] > wish["score"]


def test_goal_verdicts_check_each_goal_with_its_own_fields(example: Goalbook) -> None:
    frame = goal_verdicts(example, ["CO-1.KR1", "WEB-1"], today=TODAY)
    assert frame.index.tolist() == ["CO-1.KR1", "WEB-1"]
    assert frame.loc["WEB-1", "statement"] == example.get("WEB-1").statement
    assert (frame["relevant"] == "pass").all()  # both serve something in the book
    with pytest.raises(ValueError, match="an objective"):
        goal_verdicts(example, ["CO-1"], today=TODAY)


# --- what changed ----------------------------------------------------------------------------------
def test_without_a_store_the_changes_are_the_check_ins_of_the_window(tmp_path: Path) -> None:
    book = Goalbook(objectives=[Objective("O-1", "Grow")], smart_goals=[
        SmartGoal("G-1", "Raise X from 0 to 10 by 2027-03-31", baseline=0, target=10, deadline=date(2027, 3, 31),
                  owner="ana")],
        check_ins=[CheckIn("G-1", date(2027, 2, 12), 2.0, 6), CheckIn("G-1", date(2027, 2, 24), 5.0, 4,
                                                                      blockers=f"waiting {SCRIPT}", author="ana")])
    book.save(tmp_path / "book.yaml")
    ws = open_book(tmp_path / "book.yaml", env=WORKSHOP)
    changed = changes_since(ws, today=TODAY)
    assert changed.since == date(2027, 2, 19)
    (row,) = changed.frame.to_dict("records")
    assert row["change"] == "check-in" and row["goal"] == "G-1" and row["by"] == "ana"
    assert row["when"] == "2027-02-24"  # the check-in's own day: the goalbook's clock
    assert "progress 20% → 50%" in row["what"] and "confidence 6 → 4" in row["what"] and "waiting" in row["what"]
    assert changes_since(ws, date(2027, 2, 25), today=TODAY).frame.empty
    assert "no history" in changed.note


def _seeded(path: Path, example: Goalbook, at: datetime) -> None:
    """The example imported at ``at`` (real time) by ``goalbook-demo``, as ``goalbook demo`` seeds it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("goalbook.store._store.utc_now", lambda: at.replace(tzinfo=None))
        with goalbook.open(path, author="goalbook-demo") as store:
            store.import_book(example)


def test_with_a_store_people_s_changes_come_grouped_by_goal_on_the_goalbook_s_clock(tmp_path: Path,
                                                                                      example: Goalbook) -> None:
    """A store seeded from the example today: the import folds away, people's edits show by goal, newest
    first, each imported goal a person edited as the change it was, dated on the goalbook's clock."""
    now = datetime.now(UTC)
    path = tmp_path / "goals.db"
    _seeded(path, example, now - timedelta(hours=1))
    with goalbook.open(path, author="maria") as store:
        store.put(replace(store.get("WEB-2"), owner="new-lead"))
        store.add_link(Link("WEB-1", "CO-1.KR1", "supports"))
    with goalbook.open(path, author="omar") as store:
        store.remove_link("WEB-2", "CO-1.KR1")
        store.comment(Comment("WEB-2", "Who owns this now?"))
        store.check_in(CheckIn("WEB-2", date(2027, 2, 26), 4.0, 5, author="web-lead"))
    ws = open_book(env={**REVIEW, "GOALBOOK_STORE": str(path)})
    try:
        changed = changes_since(ws, date(2027, 2, 1), today=TODAY)  # the README's own URL
        rows = changed.frame.to_dict("records")
        assert [(r["goal"], r["change"], r["by"]) for r in rows] == [
            ("WEB-2", "check-in", "web-lead (recorded by omar)"), ("WEB-2", "comment", "omar"),
            ("WEB-2", "link removed", "omar"), ("WEB-2", "changed", "maria"), ("WEB-1", "link added", "maria")]
        assert rows[3]["what"] == "owner: web-lead → new-lead"  # an imported goal edited: changed, not added
        assert rows[0]["what"].startswith("2027-02-26, value 4")  # the day the check-in reports on
        ahead = TODAY - now.date()
        for row in rows:  # recorded today (real time), shown on the goalbook's clock: today is 2027-02-26
            assert row["when"].startswith(TODAY.isoformat()), row
        assert f"{ahead.days} days ahead of the calendar" in changed.note
        assert str(path) not in changed.note
        imported = changed.imported
        assert len(imported) > 200 and set(imported["by"]) >= {"goalbook-demo"}
        assert ("CO-1", "added") in set(zip(imported["goal"], imported["change"], strict=True))
        assert changed.imports and "by goalbook-demo" in changed.imports[0]
        # the default window: a week before today on the goalbook's clock, the import in it, folded
        week = changes_since(ws, today=TODAY)
        assert week.since == TODAY - timedelta(days=7) and "no review is recorded" in week.window
        assert len(week.frame) == 5 and len(week.imported) == len(imported)
        assert changes_since(ws, TODAY + timedelta(days=1), today=TODAY).frame.empty
    finally:
        ws.store.close()


def test_the_window_starts_at_the_last_recorded_review(tmp_path: Path, example: Goalbook,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from goalbook.cli import main

    path = tmp_path / "goals.db"
    _seeded(path, example, datetime.now(UTC) - timedelta(days=2))
    monkeypatch.setenv("GOALBOOK_AUTHOR", "coo")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert main(["reviewed", str(path), "--today", TODAY.isoformat()]) == 0
    assert "review as of 2027-02-26 recorded by coo" in capsys.readouterr().out
    assert main(["reviewed", str(tmp_path / "goals.yaml")]) == 1  # a file keeps no history to start from
    with goalbook.open(path, readonly=True) as store:
        (review,) = store.reviews()
        assert (review.as_of, review.by) == (TODAY, "coo")
    with goalbook.open(path, author="coo") as store, pytest.raises(ValidationError, match="not a date"):
        store.record_review("2027-02-26")  # type: ignore[arg-type]
    with goalbook.open(path, author="maria") as store:
        store.put(replace(store.get("WEB-2"), budget=9000))
    ws = open_book(env={**REVIEW, "GOALBOOK_STORE": str(path)})
    try:
        changed = changes_since(ws, today=TODAY)
        assert changed.since == TODAY and "last review, as of 2027-02-26 (recorded by coo)" in changed.window
        assert [(r["goal"], r["change"], r["by"]) for r in changed.frame.to_dict("records")] == [
            ("WEB-2", "changed", "maria")]
        assert changed.imported.empty  # the seed came before the review
    finally:
        ws.store.close()
