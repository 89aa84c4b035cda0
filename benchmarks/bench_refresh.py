"""Refreshing key results from a warehouse (issue 15).

1,000 key results, each with an SQL ``source`` on one SQLite warehouse (a 50,000-row table of
daily metric values, indexed by key result), refreshed by :func:`goalbook.refresh.run.refresh`:
parse each source, run each query under the time limit, record one check-in each. The floor is
the same 1,000 queries run with plain ``sqlite3`` on one connection, fetching the first row of
each. The issue asks for at most 3x the floor.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks._harness import Figure, best_of_each, ratio_figure
from goalbook.model import Goalbook, KeyResult, Objective
from goalbook.refresh.run import refresh

KRS = 1_000
DAYS = 50
TODAY = date(2027, 2, 22)


def _warehouse(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE metric_values (kr TEXT, day TEXT, value REAL)")
        start = TODAY - timedelta(days=DAYS)
        con.executemany("INSERT INTO metric_values VALUES (?, ?, ?)",
                        ((f"KR-{i}", (start + timedelta(days=d)).isoformat(), float(i % 97 + d))
                         for i in range(KRS) for d in range(DAYS)))
        con.execute("CREATE INDEX metric_values_kr_day ON metric_values (kr, day)")


def _query(i: int) -> str:
    return f"SELECT value FROM metric_values WHERE kr = 'KR-{i}' ORDER BY day DESC LIMIT 1"


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        wh = Path(tmp) / "warehouse.db"
        _warehouse(wh)
        book = Goalbook(objectives=[Objective(f"CO-{n}", f"Objective {n}", key_results=[
            KeyResult(f"CO-{n}.KR{k}", f"Key result {n}.{k}", target=100,
                      source=f"sql sqlite:///{wh}\n{_query(n * 10 + k)}") for k in range(10)])
            for n in range(KRS // 10)])
        queries = [_query(i) for i in range(KRS)]

        def plain() -> None:
            con = sqlite3.connect(wh)
            try:
                for q in queries:
                    con.execute(q).fetchone()
            finally:
                con.close()

        def goalbook_refresh() -> None:
            _, report = refresh(book, today=TODAY, timeout=30)
            assert len(report.refreshed) == KRS, report.failed[:3]

        t = best_of_each({"plain": plain, "refresh": goalbook_refresh}, repeat=5)
    return [ratio_figure(f"refresh: {KRS:,} SQL-sourced key results, one SQLite warehouse", t["refresh"],
                         f"the same {KRS:,} queries with plain sqlite3", t["plain"], 3)]
