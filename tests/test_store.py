"""The goal store, run on SQLite and on PostgreSQL: round trips, versions and conflicts, history,
changes since a date, past states, approval, validation before writing, read-only stores."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

import goalbook
from goalbook.errors import ConflictError, GoalbookError, ValidationError
from goalbook.model import CheckIn, Comment, Goalbook, KeyResult, Link, Objective, SmartGoal


def _tick() -> datetime:
    """An instant strictly between the writes before and after it."""
    time.sleep(0.005)
    at = datetime.now(UTC)
    time.sleep(0.005)
    return at


@pytest.fixture
def store(store_url, small_book):
    with goalbook.open(store_url, author="ann") as s:
        s.import_book(small_book)
        yield s


def test_a_goalbook_comes_back_exactly_as_imported(store_url, small_book):
    with goalbook.open(store_url, author="ann") as s:
        summary = s.import_book(small_book)
        assert (summary.created, summary.links, summary.check_ins, summary.comments) == (9, 4, 2, 1)
    with goalbook.open(store_url) as s:
        assert s.load() == small_book
        assert s.get("CO-1") == small_book.get("CO-1")
        assert s.get("CO-1.KR3").checkpoints == small_book.get("CO-1.KR3").checkpoints
        assert s.get("KPI-NPS").values == small_book.get("KPI-NPS").values


def test_importing_the_same_book_twice_adds_nothing(store, small_book):
    before = store.load()
    summary = store.import_book(small_book)
    assert (summary.created, summary.updated, summary.check_ins, summary.comments, summary.links) == (0, 0, 0, 0, 0)
    assert store.load() == before
    assert store.version("CO-1") == 1


def test_an_import_updates_changed_goals_and_drops_key_results_the_book_no_longer_has(store, small_book):
    small_book.objectives[0].title = "Booking in two minutes"
    del small_book.objectives[0].key_results[2]
    small_book.check_ins.append(CheckIn("WEB-1", date(2027, 1, 15), 5))
    small_book.reindex()
    summary = store.import_book(small_book)
    assert (summary.updated, summary.check_ins) == (1, 1)
    assert store.load() == small_book
    assert store.version("CO-1") == 2
    with pytest.raises(KeyError, match=r"CO-1.KR3 was deleted"):
        store.get("CO-1.KR3")


def test_put_creates_then_updates_and_counts_versions(store_url):
    with goalbook.open(store_url, author="ann") as s:
        goal = SmartGoal("OPS-1", "Cut invoice time from 9 to 4 days by 2027-03-31", baseline=9, target=4)
        assert s.put(goal) == 1
        goal.owner = "ops-lead"
        assert s.put(goal) == 2
        assert s.put(goal) == 2  # nothing changed: no new version
        assert s.version("OPS-1") == 2
        assert s.get("OPS-1") == goal


def test_the_second_writer_gets_a_conflict_naming_both_versions_and_who(store_url, small_book):
    with goalbook.open(store_url, author="ann") as ann, goalbook.open(store_url, author="maria") as maria:
        ann.import_book(small_book)
        mine, hers = ann.get("WEB-1"), maria.get("WEB-1")
        hers.owner = "maria"
        assert maria.put(hers) == 2
        mine.budget = 20000
        with pytest.raises(ConflictError) as err:
            ann.put(mine)
        assert "WEB-1 changed to version 2 by maria" in str(err.value)
        assert "while you edited version 1" in str(err.value)
        assert (err.value.your_version, err.value.current_version, err.value.by) == (1, 2, "maria")
        assert ann.get("WEB-1").owner == "maria"  # her change stands
        fresh = ann.get("WEB-1")
        fresh.budget = 20000
        assert ann.put(fresh) == 3
        final = maria.get("WEB-1")
        assert (final.owner, final.budget) == ("maria", 20000)


def test_overwriting_a_goal_never_read_is_a_conflict_unless_the_version_is_given(store_url, small_book):
    with goalbook.open(store_url, author="ann") as s:
        s.import_book(small_book)
    with goalbook.open(store_url, author="bob") as s:
        blind = replace(small_book.get("WEB-1"), budget=1)
        with pytest.raises(ConflictError, match=r"you have not read it"):
            s.put(blind)
        with pytest.raises(ConflictError, match=r"while you created it"):
            s.put(blind, expected_version=0)
        with pytest.raises(ConflictError, match=r"while you edited version 7"):
            s.put(blind, expected_version=7)
        assert s.put(blind, expected_version=1) == 2


def test_an_objective_is_saved_with_its_key_results(store):
    obj = store.get("CO-1")
    obj.key_results[0].target = 65
    obj.key_results.pop(1)
    obj.key_results.append(KeyResult("CO-1.KR4", "Answer every booking email within a day", baseline=40,
                                     target=100, unit="%"))
    assert store.put(obj) == 1  # the objective's own fields did not change
    again = store.get("CO-1")
    assert [kr.id for kr in again.key_results] == ["CO-1.KR1", "CO-1.KR3", "CO-1.KR4"]
    assert again.key_results[0].target == 65
    assert store.version("CO-1.KR1") == 2
    assert "CO-1.KR2" not in store.load()
    assert all("CO-1.KR2" not in (lk.source, lk.target) for lk in store.load().links)


def test_a_key_result_is_saved_on_its_own_under_its_objective(store):
    kr = KeyResult("CO-1.KR9", "Double repeat bookings", baseline=10, target=20, objective_id="CO-1")
    assert store.put(kr) == 1
    assert store.get("CO-1").key_results[-1] == kr
    orphan = KeyResult("X.KR1", "Nobody's", baseline=1, target=2, objective_id="NOPE")
    with pytest.raises(ValidationError, match=r"objective 'NOPE' does not exist"):
        store.put(orphan)


def test_invalid_goals_links_and_check_ins_are_refused_and_nothing_is_written(store):
    before = store.load()
    bad = SmartGoal("OPS-2", "Grow", baseline=5, target=5, confidence=12)
    with pytest.raises(ValidationError) as err:
        store.put(bad)
    assert {p.field for p in err.value.problems} == {"target", "confidence"}
    late = KeyResult("CO-1.KR9", "Late", baseline=1, target=2, deadline=date(2027, 6, 1), objective_id="CO-1")
    with pytest.raises(ValidationError, match=r"outside its period 2027-Q1"):
        store.put(late)
    with pytest.raises(ValidationError, match=r"already used by a SMART goal"):
        store.put(Objective("WEB-1", "Same id as a goal"))
    with pytest.raises(ValidationError, match=r"'CO-9' does not exist"):
        store.add_link(Link("WEB-1", "CO-9"))
    with pytest.raises(ValidationError, match=r"cannot support itself"):
        store.add_link(Link("WEB-1", "WEB-1"))
    with pytest.raises(ValidationError, match=r"'CO-1.KR7' does not exist"):
        store.check_in(CheckIn("CO-1.KR7", date(2027, 1, 9), 1))
    with pytest.raises(ValidationError, match=r"status 'fine'"):
        store.check_in(CheckIn("CO-1.KR1", date(2027, 1, 9), 1, status="fine"))
    with pytest.raises(ValidationError, match=r"'CO-1.KR7' does not exist"):
        store.comment(Comment("CO-1.KR7", "hello"))
    with pytest.raises(TypeError, match=r"not Goalbook"):
        store.put(Goalbook())
    assert store.load() == before


def test_links_are_added_changed_and_removed(store):
    store.add_link(Link("INI-7", "CO-1.KR1"))
    store.add_link(Link("WEB-1", "CO-1.KR2", "supports", 3))
    links = {(lk.source, lk.target): lk for lk in store.load().links}
    assert links["INI-7", "CO-1.KR1"].kind == "contributes"
    assert (links["WEB-1", "CO-1.KR2"].kind, links["WEB-1", "CO-1.KR2"].weight) == ("supports", 3)
    store.remove_link("INI-7", "CO-1.KR1")
    assert ("INI-7", "CO-1.KR1") not in {(lk.source, lk.target) for lk in store.load().links}
    with pytest.raises(KeyError, match=r"no link INI-7 → CO-1.KR1"):
        store.remove_link("INI-7", "CO-1.KR1")


def test_check_ins_and_comments_are_appended_with_their_author(store):
    stored = store.check_in(CheckIn("CO-1.KR1", date(2027, 1, 15), 44, 8))
    assert stored.author == "ann"
    note = store.comment(Comment("WEB-1", "Looks late"))
    assert note.author == "ann" and note.at is not None
    book = store.load()
    assert book.check_ins_for("CO-1.KR1")[-1] == stored
    assert book.comments[-1] == note


def test_deleting_keeps_history_and_a_recreated_goal_continues_its_versions(store):
    store.get("CO-1")
    assert store.delete("CO-1") == 2
    book = store.load()
    assert "CO-1" not in book and "CO-1.KR1" not in book
    assert not [c for c in book.check_ins if c.target_id == "CO-1.KR1"]
    assert not [lk for lk in book.links if "CO-1" in (lk.source, lk.target) or lk.target.startswith("CO-1.")]
    with pytest.raises(KeyError, match=r"CO-1 was deleted .* by ann"):
        store.get("CO-1")
    with pytest.raises(KeyError, match=r"no goal with id 'WEB-2' \(did you mean 'WEB-"):
        store.version("WEB-2")
    assert [v.change for v in store.history("CO-1")] == ["create", "delete"]
    assert store.put(Objective("CO-1", "Start again")) == 3


def test_history_gives_every_version_with_who_when_and_what_changed(store_url, small_book):
    with goalbook.open(store_url, author="ann") as ann, goalbook.open(store_url, author="maria") as maria:
        ann.import_book(small_book)
        goal = maria.get("WEB-1")
        goal.target = 2
        maria.put(goal)
        ann.get("WEB-1")
        ann.request_review("WEB-1")
        obj = ann.get("CO-1")
        obj.title = "Booking in minutes"
        ann.put(obj)
        history = ann.history("WEB-1")
        assert [(v.version, v.change, v.author) for v in history] == [
            (1, "create", "ann"), (2, "update", "maria"), (3, "approval", "ann")]
        assert history[1].fields == {"target": (3.0, 2.0)}
        assert history[1].goal.target == 2
        assert history[2].fields == {"approval": ("draft", "in_review")}
        assert history[0].at <= history[1].at <= history[2].at
        objective = ann.history("CO-1")
        assert [len(v.goal.key_results) for v in objective] == [3, 3]
        assert objective[1].fields == {"title": ("Make booking a visit effortless for every patient",
                                                 "Booking in minutes")}


def test_diff_says_what_was_added_changed_and_removed_since_an_instant(store):
    since = _tick()
    goal = store.get("WEB-1")
    goal.budget = 25000
    store.put(goal)
    store.put(SmartGoal("OPS-1", "Cut invoice time from 9 to 4 days", baseline=9, target=4))
    store.get("INI-7")
    store.delete("INI-7")
    store.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    store.comment(Comment("CO-1", "On track"))
    store.add_link(Link("OPS-1", "CO-1.KR2"))
    changes = store.diff(since)
    assert [g.id for g in changes.added] == ["OPS-1"]
    assert [(c.id, c.fields, c.by) for c in changes.changed] == [("WEB-1", {"budget": (18000.0, 25000.0)}, "ann")]
    assert [g.id for g in changes.removed] == ["INI-7"]
    assert {gid: by for gid, (by, _) in changes.authors.items()} == {"OPS-1": "ann", "INI-7": "ann"}
    assert all(at > since for _, at in changes.authors.values())
    assert [(c.target_id, c.value) for c in changes.check_ins] == [("WEB-1", 5)]
    assert [c.text for c in changes.comments] == ["On track"]
    assert [(lk.source, lk.target) for lk in changes.links_added] == [("OPS-1", "CO-1.KR2")]
    assert [(lk.source, lk.target) for lk in changes.links_removed] == [("INI-7", "CO-1.KR2")]
    assert {pair: by for pair, (by, _) in changes.links_added_by.items()} == {("OPS-1", "CO-1.KR2"): "ann"}
    assert {pair: by for pair, (by, _) in changes.links_removed_by.items()} == {("INI-7", "CO-1.KR2"): "ann"}
    assert not store.diff(datetime.now(UTC))


def test_diff_says_who_recorded_each_check_in_and_when(store_url, small_book):
    with goalbook.open(store_url, author="ann") as ann, goalbook.open(store_url, author="omar") as omar:
        ann.import_book(small_book)
        since = _tick()
        ann.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5, author="web-lead"))  # recorded by ann for web-lead
        middle = _tick()
        omar.check_in(CheckIn("CO-1.KR1", date(2027, 1, 15), 44))
        omar.check_in(CheckIn("WEB-1", date(2027, 1, 22), 4))
        until = _tick()
        changes = omar.diff(since)
    assert [(c.target_id, c.date, c.author) for c in changes.check_ins] == [
        ("WEB-1", date(2027, 1, 15), "web-lead"), ("CO-1.KR1", date(2027, 1, 15), "omar"),
        ("WEB-1", date(2027, 1, 22), "omar")]
    assert [by for by, _ in changes.check_ins_recorded] == ["ann", "omar", "omar"]
    first, *rest = [at for _, at in changes.check_ins_recorded]
    assert first.tzinfo is not None and since < first < middle
    assert all(middle < at < until for at in rest)


def test_diff_names_who_added_and_who_removed_each_link_and_when(store_url, small_book):
    with (goalbook.open(store_url, author="ann") as ann, goalbook.open(store_url, author="maria") as maria,
          goalbook.open(store_url, author="omar") as omar):
        ann.import_book(small_book)
        since = _tick()
        maria.add_link(Link("KPI-NPS", "CO-1.KR2"))
        maria.remove_link("KPI-NPS", "CO-1.KR1")
        maria.remove_link("WEB-1", "CO-1.KR2")
        middle = _tick()
        omar.add_link(Link("WEB-1", "CO-1.KR2", "supports"))  # back, as another kind: maria removed, omar added
        omar.add_link(Link("INI-7", "CO-1.KR2", "supports", 1))  # a new weight: the old link goes, the new comes
        until = _tick()
        changes = omar.diff(since)
        later = omar.diff(middle)
    added = {(lk.source, lk.target, lk.kind, lk.weight) for lk in changes.links_added}
    assert added == {("KPI-NPS", "CO-1.KR2", "contributes", 1), ("WEB-1", "CO-1.KR2", "supports", 1),
                     ("INI-7", "CO-1.KR2", "supports", 1)}
    removed = {(lk.source, lk.target, lk.kind, lk.weight) for lk in changes.links_removed}
    assert removed == {("KPI-NPS", "CO-1.KR1", "contributes", 1), ("WEB-1", "CO-1.KR2", "contributes", 1),
                       ("INI-7", "CO-1.KR2", "supports", 2)}
    assert {pair: by for pair, (by, _) in changes.links_added_by.items()} == {
        ("KPI-NPS", "CO-1.KR2"): "maria", ("WEB-1", "CO-1.KR2"): "omar", ("INI-7", "CO-1.KR2"): "omar"}
    assert {pair: by for pair, (by, _) in changes.links_removed_by.items()} == {
        ("KPI-NPS", "CO-1.KR1"): "maria", ("WEB-1", "CO-1.KR2"): "maria", ("INI-7", "CO-1.KR2"): "omar"}
    for by, at in [*changes.links_added_by.values(), *changes.links_removed_by.values()]:
        assert at.tzinfo is not None
        assert since < at < middle if by == "maria" else middle < at < until
    assert {pair: by for pair, (by, _) in later.links_added_by.items()} == {
        ("WEB-1", "CO-1.KR2"): "omar", ("INI-7", "CO-1.KR2"): "omar"}
    assert {pair: by for pair, (by, _) in later.links_removed_by.items()} == {("INI-7", "CO-1.KR2"): "omar"}


def test_the_whole_goalbook_can_be_read_as_it_stood_at_any_past_instant(store, small_book):
    first = _tick()
    goal = store.get("WEB-1")
    goal.owner = "new-lead"
    store.put(goal)
    store.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    second = _tick()
    store.get("CO-1")
    store.delete("CO-1")
    assert store.as_of(first) == small_book
    assert store.load(as_of=first) == small_book
    then = store.as_of(second)
    assert then.get("WEB-1").owner == "new-lead" and "CO-1" in then
    assert len(then.check_ins) == 3
    assert store.as_of(datetime.now(UTC)) == store.load()
    assert store.as_of(date(2000, 1, 1)) == Goalbook()


def test_approval_moves_from_draft_through_review_with_who_and_when(store_url, small_book):
    with goalbook.open(store_url, author="lead") as lead, goalbook.open(store_url, author="ceo") as ceo:
        lead.import_book(small_book)
        assert lead.approval("CO-1").state == "draft"
        with pytest.raises(ValidationError, match=r"request a review before approving"):
            ceo.approve("CO-1")
        lead.request_review("CO-1")
        ceo.request_changes("CO-1", "Key result 2 needs a baseline source")
        state = lead.approval("CO-1")
        assert (state.state, state.by, state.reason) == ("changes_requested", "ceo",
                                                         "Key result 2 needs a baseline source")
        lead.request_review("CO-1")
        ceo.approve("CO-1")
        state = ceo.approval("CO-1")
        assert (state.state, state.by) == ("approved", "ceo") and state.at is not None
        assert lead.get("CO-1").approval == "approved"
        with pytest.raises(ValidationError, match=r"no approval of its own"):
            ceo.approve("CO-1.KR1")
        with pytest.raises(ValidationError, match=r"say what should change"):
            ceo.request_changes("CO-1", " ")


def test_a_newer_schema_is_refused_with_a_clear_error(store_url):
    with goalbook.open(store_url) as s, s.engine.begin() as conn:
        conn.execute(sa.text("UPDATE goalbook_meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(GoalbookError, match=r"schema version 99, newer than this goalbook understands"):
        goalbook.open(store_url)


def test_a_read_only_store_reads_but_the_database_refuses_every_write(store_url, small_book):
    with goalbook.open(store_url, author="ann") as s:
        s.import_book(small_book)
    with goalbook.open(store_url, readonly=True) as ro:
        assert ro.load() == small_book
        for statement in ("INSERT INTO check_ins (target_id, recorded_at) VALUES ('WEB-1', '2027-01-01 00:00:00')",
                          "UPDATE smart_goals SET budget = 0",
                          "DELETE FROM events",
                          "CREATE TABLE intruder (x INTEGER)"):
            with pytest.raises(sa.exc.DBAPIError), ro.engine.begin() as conn:
                conn.exec_driver_sql(statement)
        goal = ro.get("WEB-1")
        goal.budget = 1
        with pytest.raises(GoalbookError, match=r"read-only"):
            ro.put(goal)
        with pytest.raises(GoalbookError, match=r"read-only"):
            ro.check_in(CheckIn("WEB-1", date(2027, 1, 9), 5))
    with goalbook.open(store_url) as s:
        assert s.load() == small_book


def test_a_read_only_store_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(GoalbookError, match=r"no store there"):
        goalbook.open(tmp_path / "missing.db", readonly=True)


def test_a_failed_import_leaves_the_store_exactly_as_it_was(store, small_book):
    before = store.load()
    with store.engine.connect() as conn:
        rows_before = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                       for t in ("events", "entities", "check_ins", "links")}
    book = Goalbook(objectives=[Objective("NEW-1", "Fresh", key_results=[KeyResult("NEW-1.KR1", "k", baseline=1,
                                                                                   target=2)])],
                    kpis=[replace(small_book.kpis[0], id="CO-1")],  # an objective's id: refused half-way
                    check_ins=[CheckIn("NEW-1.KR1", date(2027, 1, 8), 1)] * 3)
    with pytest.raises(ValidationError, match=r"already used by an objective"):
        store.import_book(book)
    assert store.load() == before
    with store.engine.connect() as conn:
        assert rows_before == {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in rows_before}


def test_a_book_with_errors_is_not_imported_at_all(store_url, small_book):
    small_book.links.append(Link("WEB-1", "CO-7"))
    with goalbook.open(store_url) as s:
        with pytest.raises(ValidationError, match=r"'CO-7' does not exist"):
            s.import_book(small_book)
        assert s.load() == Goalbook()


def test_sqlite_store_refuses_a_database_of_something_else(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(GoalbookError, match=r"an SQLite database of something else"):
        goalbook.open(path)


def test_a_store_made_before_a_model_field_existed_gains_its_column_when_opened_writable(store_url, small_book):
    with goalbook.open(store_url) as s:
        s.import_book(small_book)
        with s.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE initiatives DROP COLUMN external_ref")
    with pytest.raises(GoalbookError, match="table initiatives lacks column external_ref"):
        goalbook.open(store_url, readonly=True)
    with goalbook.open(store_url) as s:
        assert s.get("INI-7").external_ref is None
        goal = s.get("INI-7")
        goal.external_ref = "WEB-124"
        s.put(goal)
    with goalbook.open(store_url, readonly=True) as s:
        assert s.get("INI-7").external_ref == "WEB-124"


def test_a_writer_kept_waiting_by_another_process_gets_a_clear_error_and_readers_go_on(tmp_path, small_book,
                                                                                       monkeypatch):
    import sqlite3

    monkeypatch.setattr("goalbook.store._engine.BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "goals.db"
    with goalbook.open(path) as s:
        s.import_book(small_book)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
        try:
            with pytest.raises(GoalbookError, match="is busy"):
                s.check_in(CheckIn("WEB-1", date(2027, 1, 9), 5))
            assert s.load() == small_book
        finally:
            other.execute("ROLLBACK")
            other.close()
        s.check_in(CheckIn("WEB-1", date(2027, 1, 9), 5))
        assert len(s.load().check_ins) == 3
