"""``Store.load_team``: a team page reads its team's part of the store by index, and the team's dashboard
tables from that part equal those from the whole goalbook."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import goalbook
from benchmarks.synthetic import generate_org
from goalbook.examples import load_example
from goalbook.model import KPI, CheckIn, Checkpoint, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period
from goalbook.tables import goal_frame, kpi_frame, teams

TODAY = date(2027, 2, 26)
ORG_TODAY = date(2027, 2, 27)  # the synthetic check-ins run eight weeks into 2027-Q1


def same_team_view(full: Goalbook, part: Goalbook, team: str, today: date) -> None:
    """What the team's dashboard shows (goals with every score, KPIs with their values) is equal."""
    a, b = goal_frame(full, team=team, today=today), goal_frame(part, team=team, today=today)
    assert a["id"].tolist() == b["id"].tolist()
    assert a.equals(b), a.compare(b)
    ka = kpi_frame(full, team=team, today=today, shown=a["id"])
    kb = kpi_frame(part, team=team, today=today, shown=b["id"])
    assert ka.equals(kb)


def test_every_team_of_the_example_reads_the_same_view(store_url: str) -> None:
    book = load_example()
    with goalbook.open(store_url, author="seed") as store:
        store.import_book(book)
    with goalbook.open(store_url, readonly=True) as store:
        full = store.load()
        assert store.teams() == teams(full)
        assert store.latest_check_in() == max(c.date for c in full.check_ins)
        for team in teams(full):
            part = store.load_team(team, today=TODAY)
            same_team_view(full, part, team, TODAY)
            assert len(list(part.iter_goals())) < len(list(full.iter_goals()))


def test_a_team_reads_what_its_served_goals_roll_up_from_and_nothing_else(store_url: str) -> None:
    """A served goal's score comes from its contributors only when it has no value of its own on the day:
    no ``current``, no grade, no checkpoints on a milestone, no check-in with a value dated by then.
    Only those contributors are read (with their objective, for its period), and KPIs linked to a goal
    shown; the page's tables equal the whole store's."""
    q1 = Period.parse("2027-Q1")
    book = Goalbook(
        objectives=[
            Objective("CO-1", "Grow", period=q1, key_results=[
                KeyResult("CO-1.KR1", "Rolls up: nothing measured", baseline=0, target=10),
                KeyResult("CO-1.KR2", "Milestone with checkpoints", direction="milestone",
                          checkpoints=[Checkpoint("signed", True), Checkpoint("opened")]),
                KeyResult("CO-1.KR3", "Graded by hand", direction="milestone", grade=0.5),
                KeyResult("CO-1.KR4", "Measured only after the day", baseline=0, target=10),
                KeyResult("CO-1.KR5", "Measured before the day", baseline=0, target=10)]),
            Objective("WEB-O", "Web", level="team", team="Web", period=q1,
                      key_results=[KeyResult("WEB-O.KR1", "Web KR", baseline=0, target=5, current=2)]),
            Objective("HR-O", "HR", level="team", team="HR", period=q1, key_results=[
                KeyResult("HR-O.KR1", "Feeds KR1", baseline=0, target=10, current=4),
                KeyResult("HR-O.KR2", "Not needed", baseline=0, target=10, current=1)]),
            Objective("OPS-O", "Ops", level="team", team="Ops", period=q1,
                      key_results=[KeyResult("OPS-O.KR1", "Feeds the milestone", baseline=0, target=10, current=9)]),
        ],
        smart_goals=[SmartGoal("FIN-1", "Feeds the graded one", team="Fin", baseline=0, target=10, current=3,
                               period=q1),
                     SmartGoal("SAL-1", "Feeds KR4", team="Sales", baseline=0, target=10, current=6, period=q1),
                     SmartGoal("SAL-2", "Feeds KR5", team="Sales", baseline=0, target=10, current=6, period=q1)],
        kpis=[KPI("KPI-X", "Revenue", team="Ops", target=100, green=90, amber=80)],
        links=[Link("WEB-O", "CO-1"), Link("HR-O.KR1", "CO-1.KR1"), Link("OPS-O.KR1", "CO-1.KR2"),
               Link("FIN-1", "CO-1.KR3"), Link("SAL-1", "CO-1.KR4"), Link("SAL-2", "CO-1.KR5"),
               Link("KPI-X", "CO-1", "supports")],
        check_ins=[CheckIn("CO-1.KR4", date(2027, 3, 5), 7), CheckIn("CO-1.KR5", date(2027, 2, 5), 7),
                   CheckIn("CO-1.KR1", date(2027, 2, 5), None, 6, "on_track")],
    )
    with goalbook.open(store_url, author="seed") as store:
        store.import_book(book)
    with goalbook.open(store_url, readonly=True) as store:
        full = store.load()
        part = store.load_team("Web", today=TODAY)
    read = {g.id for g in part.iter_goals()}
    assert read == {"WEB-O", "WEB-O.KR1", "CO-1", "CO-1.KR1", "CO-1.KR2", "CO-1.KR3", "CO-1.KR4", "CO-1.KR5",
                    "HR-O", "HR-O.KR1", "SAL-1", "KPI-X"}
    assert {(lk.source, lk.target) for lk in part.links} == {("WEB-O", "CO-1"), ("HR-O.KR1", "CO-1.KR1"),
                                                             ("SAL-1", "CO-1.KR4"), ("KPI-X", "CO-1")}
    assert len(part.check_ins) == 3
    same_team_view(full, part, "Web", TODAY)


@pytest.fixture(scope="module")
def org_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Goalbook]:
    """A 400-person synthetic organisation (50 teams) in SQLite."""
    book = generate_org(400)
    db = tmp_path_factory.mktemp("org") / "org.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(book)
    return db, book


def test_a_team_of_a_large_organisation_reads_a_small_part_and_the_same_view(org_db: tuple[Path, Goalbook]) -> None:
    db, _ = org_db
    with goalbook.open(db, readonly=True) as store:
        full = store.load()
        names = teams(full)
        for team in names[:: max(1, len(names) // 6)]:
            part = store.load_team(team, today=ORG_TODAY)
            same_team_view(full, part, team, ORG_TODAY)
            read, total = len(list(part.iter_goals())), len(list(full.iter_goals()))
            assert read < total / 5, f"{team}: read {read} of {total} goals"
            checks = {c.target_id for c in part.check_ins}
            assert checks <= {g.id for g in part.iter_goals()}


def test_a_read_too_wide_for_one_statement_is_split_and_reads_the_same(org_db: tuple[Path, Goalbook],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Id lists longer than ``CHUNK`` go in several statements (SQLite caps bound parameters); the part
    read is the same, in the same order."""
    from goalbook.store import _team

    db, book = org_db
    team = next(g.team for g in book.smart_goals)
    with goalbook.open(db, readonly=True) as store:
        whole = store.load_team(team, today=ORG_TODAY)
        monkeypatch.setattr(_team, "CHUNK", 7)
        split = store.load_team(team, today=ORG_TODAY)
    assert len(list(whole.iter_goals())) > 3 * 7 and len(whole.check_ins) > 7
    assert split == whole


@pytest.mark.postgres
def test_a_team_of_a_large_organisation_in_postgresql_reads_the_same_view(org_db: tuple[Path, Goalbook],
                                                                        pg_url: str) -> None:
    """The same on PostgreSQL, whose statements pass ids as arrays (the path ``make bench`` times)."""
    _, book = org_db
    with goalbook.open(pg_url, author="seed") as store:
        store.import_book(book)
    with goalbook.open(pg_url, readonly=True) as store:
        full = store.load()
        names = teams(full)
        for team in names[:: max(1, len(names) // 3)]:
            part = store.load_team(team, today=ORG_TODAY)
            same_team_view(full, part, team, ORG_TODAY)
            assert len(list(part.iter_goals())) < len(list(full.iter_goals())) / 5


def test_no_query_of_a_team_read_scans_a_table(org_db: tuple[Path, Goalbook]) -> None:
    """Every statement ``load_team`` sends finds its rows of the store's tables through an index (SQLite's
    query plan searches them, never scans one): the team's page does not read the organisation to find
    its rows. Scanning what a statement itself gathered (the ids a level of the walk found) is fine."""
    db, book = org_db
    team = next(g.team for g in book.smart_goals)
    sent: list[tuple[str, Any]] = []
    with goalbook.open(db, readonly=True) as store:
        sa.event.listen(store.engine, "before_cursor_execute",
                        lambda conn, cursor, statement, params, context, many: sent.append((statement, params)))
        store.load_team(team, today=ORG_TODAY)
    reads = [(s, p) for s, p in sent if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) > 5
    stored = set(sa.inspect(sa.create_engine(f"sqlite:///{db}")).get_table_names())
    assert {"objectives", "key_results", "links", "check_ins", "goalbook_meta"} <= stored
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for statement, params in reads:
            plan = [row[-1] for row in con.execute(f"EXPLAIN QUERY PLAN {statement}", params)]
            searched = [step for step in plan if step.startswith("SEARCH") and step.split()[1] in stored]
            assert searched, f"{statement} reads no table by index: {plan}"
            scans = [step for step in plan if step.startswith("SCAN") and step.split()[1] in stored]
            assert not scans, f"{statement} scans: {plan}"
    finally:
        con.close()


def test_an_unknown_team_reads_nothing(store_url: str) -> None:
    with goalbook.open(store_url, author="seed") as store:
        store.import_book(load_example())
    with goalbook.open(store_url, readonly=True) as store:
        part = store.load_team("Nobody", today=TODAY)
    assert list(part.iter_goals()) == [] and part.check_ins == [] and part.links == []
