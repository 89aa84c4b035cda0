"""``goalbook refresh``: key results and KPIs that take their values from SQL, CSV, Parquet and Python sources."""

from __future__ import annotations

import sqlite3
import sys
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import goalbook
from goalbook.cli import main
from goalbook.refresh import SourceError, parse_source, refreshed
from goalbook.refresh.run import refresh

TODAY, TOMORROW = date(2027, 2, 22), date(2027, 2, 23)


def _warehouse(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE bookings (week TEXT, online INTEGER, total INTEGER)")
        con.executemany("INSERT INTO bookings VALUES (?, ?, ?)", [("2027-W07", 510, 1000), ("2027-W08", 540, 1000)])


def _files(tmp_path: Path) -> None:
    pd.DataFrame({"minutes_to_book": [3.0, 4.0, 2.5, 5.0, 3.5]}).to_csv(tmp_path / "booking_times.csv", index=False)
    pd.DataFrame({"attended": [1, 1, 0, 1, 1, 1, 1, 1, 1, 0]}).to_parquet(tmp_path / "visits.parquet")
    (tmp_path / "nw_metrics_for_refresh.py").write_text("def calls_in_60s():\n    return 71.5\n", encoding="utf-8")


def _kr(kid: str, source: str, **extra: str) -> str:
    body = textwrap.indent(source.strip(), " " * 10)
    more = "".join(f"        {k}: {v}\n" for k, v in extra.items())
    return (f"      - id: {kid}\n        title: {kid} from a source\n        target: 100\n{more}"
            f"        source: |\n{body}\n")


def _book(tmp_path: Path, pg: str | None) -> Path:
    wh = tmp_path / "warehouse.db"
    krs = [
        _kr("KR-SQLITE", f"sql sqlite:///{wh}\nSELECT 100.0 * online / total FROM bookings ORDER BY week DESC LIMIT 1"),
        _kr("KR-CSV", 'csv booking_times.csv\ndf["minutes_to_book"].median()'),
        _kr("KR-RELATIVE", "sql sqlite:///warehouse.db\nSELECT count(*) FROM bookings"),  # next to the goalbook
        _kr("KR-PY", "python nw_metrics_for_refresh:calls_in_60s"),
        _kr("KR-BROKEN", f"sql sqlite:///{wh}\nSELECT share FROM no_such_table"),
        _kr("KR-SLOW", f"sql sqlite:///{wh}\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                       "SELECT count(*) FROM n"),
        _kr("KR-NOCRED", "sql postgresql://goalbook:${GOALBOOK_TEST_NOT_SET}@127.0.0.1:5432/goalbook_test\nSELECT 1"),
    ]
    if pg:
        krs.append(_kr("KR-PG", f"sql {pg}\nSELECT avg(score) FROM nps_answers"))
    text = ("goalbook: 1\norganisation: Refresh test\nobjectives:\n  - id: CO-1\n"
            "    title: Numbers from where they live\n    period: 2027-Q1\n    key_results:\n" + "".join(krs) +
            "kpis:\n  - id: KPI-ATTEND\n    name: Attendance\n    unit: '%'\n    source: |\n"
            "      parquet visits.parquet\n      100 * df['attended'].mean()\n")
    path = tmp_path / "goals.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _warehouse(tmp_path / "warehouse.db")
    _files(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("nw_metrics_for_refresh", None)


def _values(book: goalbook.Goalbook) -> dict[str, float]:
    return {c.target_id: c.value for c in book.check_ins if c.author == "refresh"}


def test_refresh_records_values_reports_each_failure_by_goal_and_carries_on(files, capsys):
    path = _book(files, None)
    assert main(["refresh", str(path), "--today", TODAY.isoformat(), "--timeout", "1"]) == 1
    out = capsys.readouterr().out
    book = goalbook.Goalbook.load(path)
    assert _values(book) == {"KR-SQLITE": 54.0, "KR-CSV": 3.5, "KR-RELATIVE": 2.0, "KR-PY": 71.5,
                              "KPI-ATTEND": 80.0}
    assert {c.date for c in book.check_ins} == {TODAY}
    assert f"FAILED KR-BROKEN (sql sqlite:///{files / 'warehouse.db'}): OperationalError: no such table: " \
           "no_such_table" in out
    assert f"FAILED KR-SLOW (sql sqlite:///{files / 'warehouse.db'}): timed out after 1 s" in out
    assert "FAILED KR-NOCRED (sql postgresql://goalbook:${GOALBOOK_TEST_NOT_SET}@127.0.0.1:5432/goalbook_test): " \
           "missing credential: environment variable GOALBOOK_TEST_NOT_SET is not set" in out
    assert "refreshed KR-CSV = 3.5 (csv booking_times.csv)" in out
    assert out.strip().endswith("5 refreshed, 0 already done today, 3 failed")
    assert refreshed(book)["KR-SQLITE"] == (TODAY, f"sql sqlite:///{files / 'warehouse.db'}")
    assert "KR-BROKEN" not in refreshed(book)


def test_running_twice_the_same_day_adds_nothing_and_the_next_day_adds_one_each(files, capsys):
    path = _book(files, None)
    main(["refresh", str(path), "--today", TODAY.isoformat(), "--timeout", "1"])
    text = path.read_text(encoding="utf-8")
    main(["refresh", str(path), "--today", TODAY.isoformat(), "--timeout", "1"])
    assert path.read_text(encoding="utf-8") == text
    assert capsys.readouterr().out.splitlines()[-1] == "0 refreshed, 5 already done today, 3 failed"
    with sqlite3.connect(files / "warehouse.db") as con:
        con.execute("INSERT INTO bookings VALUES ('2027-W09', 600, 1000)")
    main(["refresh", str(path), "--today", TOMORROW.isoformat(), "--timeout", "1"])
    book = goalbook.Goalbook.load(path)
    assert [(c.date, c.value) for c in book.check_ins_for("KR-SQLITE")] == [(TODAY, 54.0), (TOMORROW, 60.0)]
    assert len(book.check_ins) == 10


@pytest.mark.postgres
def test_refresh_reads_a_postgresql_warehouse_with_credentials_from_the_environment(files, pg_url, monkeypatch,
                                                                                   capsys):
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE nps_answers (score integer)"))
        conn.execute(sa.text("INSERT INTO nps_answers VALUES (40), (50), (60)"))
    engine.dispose()
    assert "goalbook:goalbook@" in pg_url
    monkeypatch.setenv("GOALBOOK_TEST_PG_PASSWORD", "goalbook")
    path = _book(files, pg_url.replace("goalbook:goalbook@", "goalbook:${GOALBOOK_TEST_PG_PASSWORD}@"))
    assert "goalbook:goalbook@" not in path.read_text(encoding="utf-8")  # no credential in the file
    assert main(["refresh", str(path), "--today", TODAY.isoformat(), "--timeout", "1"]) == 1
    out = capsys.readouterr().out
    assert _values(goalbook.Goalbook.load(path))["KR-PG"] == 50.0, out
    assert "refreshed KR-PG = 50 (sql postgresql://goalbook:${GOALBOOK_TEST_PG_PASSWORD}@" in out


@pytest.mark.postgres
def test_a_slow_postgresql_query_is_cancelled_by_the_server(files, pg_url):
    src = f"sql {pg_url.replace('goalbook:goalbook@', 'goalbook:${PW}@')}\nSELECT 1 FROM pg_sleep(5)"
    book = goalbook.model.Goalbook(objectives=[goalbook.model.Objective("CO-1", "x", key_results=[
        goalbook.model.KeyResult("CO-1.KR1", "slow", target=1, source=src)])])
    _, report = refresh(book, today=TODAY, timeout=0.5, env={"PW": "goalbook"})
    assert [o.error for o in report.failed] == ["timed out after 0.5 s"]


def test_refresh_into_a_store_appends_check_ins_once_a_day(files, tmp_path):
    db = tmp_path / "goals.db"
    with goalbook.open(db, author="maria") as store:
        store.import_book(goalbook.Goalbook.load(_book(files, None)))
    for _ in range(2):
        main(["refresh", str(db), "--today", TODAY.isoformat(), "--timeout", "1", "--base-dir", str(files)])
    with goalbook.open(db, readonly=True) as store:
        assert _values(store.load()) == {"KR-SQLITE": 54.0, "KR-CSV": 3.5, "KR-RELATIVE": 2.0, "KR-PY": 71.5,
                              "KPI-ATTEND": 80.0}
        assert len(store.load().check_ins) == 5


def test_a_source_with_a_password_in_the_file_is_refused():
    with pytest.raises(SourceError, match="the URL holds a password"):
        parse_source("sql postgresql://ana:hunter2@db/analytics\nSELECT 1")
    assert parse_source("sql postgresql://ana:${PW}@db/analytics\nSELECT 1").where == \
        "sql postgresql://ana:${PW}@db/analytics"
    with pytest.raises(SourceError, match="not one of sql, csv, parquet, python"):
        parse_source("excel book.xlsx\nA1")
    with pytest.raises(SourceError, match="needs the query"):
        parse_source("sql sqlite:///w.db")


def test_the_dashboard_says_when_and_from_where_a_value_was_last_refreshed(files):
    from widget_tree import html_text

    from goalbook.widgets.dashboard import Dashboard

    path = _book(files, None)
    main(["refresh", str(path), "--today", TODAY.isoformat(), "--timeout", "1"])
    board = Dashboard(goalbook.Goalbook.load(path), today=TODAY)
    text = html_text(board.objectives.value)
    assert f"54, target ≥ 100 refreshed 2027-02-22 from sql sqlite:///{files / 'warehouse.db'}" in text
    assert "refreshed 2027-02-22 from csv booking_times.csv" in text
    assert "KR-BROKEN" in text and text.count("refreshed 2027-02-22") == 4
    assert "refreshed 2027-02-22 from parquet visits.parquet" in html_text(board.kpis.value)
