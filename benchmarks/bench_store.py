"""The goal store at organisation scale (issue 5).

- Importing the 10,000-person organisation with 500,000 check-ins into SQLite, against a floor of
  plain ``sqlite3`` ``executemany`` of exactly the rows the store wrote (read back from it), into
  the same tables and indexes, in one transaction, with the same journal and sync settings.
- Loading the whole current state back (absolute bound 1.5 s; floor: plain ``sqlite3`` fetching
  every row of the current-state tables as tuples).
- One check-in write, 99th percentile (absolute bound 20 ms; floor: a plain ``sqlite3`` insert
  and commit of the same row).
"""

from __future__ import annotations

import gc
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

import goalbook
from benchmarks._harness import Figure, absolute_figure, best_of, ratio_figure
from benchmarks.synthetic import generate_org
from goalbook.model import CheckIn

PEOPLE = 10_000
CHECKINS = 500_000
WRITES = 1_000


def _floor_import(source: Path, target: Path) -> float:
    """Seconds for plain sqlite3 to write the same rows into the same schema in one transaction."""
    src = sqlite3.connect(source)
    ddl = [sql for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")]
    tables = [name for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = {t: src.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = FULL")
    for sql in ddl:
        dst.execute(sql)
    gc.collect()
    t0 = time.perf_counter()
    dst.execute("BEGIN IMMEDIATE")
    for t, data in rows.items():
        if data:
            dst.executemany(f'INSERT INTO "{t}" VALUES ({", ".join("?" * len(data[0]))})', data)
    dst.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    dst.close()
    return elapsed


def _floor_load(path: Path) -> float:
    """Seconds for plain sqlite3 to fetch every current-state row as tuples."""
    conn = sqlite3.connect(path)
    tables = ("goalbook_meta", "entities", "objectives", "key_results", "smart_goals", "kpis", "initiatives",
              "links", "check_ins", "comments")

    def fetch() -> None:
        for t in tables:
            conn.execute(f'SELECT * FROM "{t}"').fetchall()

    elapsed = best_of(fetch)
    conn.close()
    return elapsed


def _p99(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def _floor_check_in(path: Path, target: str) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    samples = []
    for i in range(WRITES):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO check_ins (target_id, date, value, confidence, status, author, recorded_at, "
                     "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (target, "2027-03-01", float(i), 7.0, "on_track", "bench", "2027-03-01 10:00:00", "bench"))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - t0)
    conn.close()
    return _p99(samples)


def run() -> list[Figure]:
    book = generate_org(PEOPLE, checkins=CHECKINS)
    rows = len(book.check_ins)
    with tempfile.TemporaryDirectory(prefix="goalbook-bench-") as tmp:
        db = Path(tmp) / "org.db"
        with goalbook.open(db, author="bench") as store:
            gc.collect()
            t0 = time.perf_counter()
            store.import_book(book)
            imported = time.perf_counter() - t0
        floor = _floor_import(db, Path(tmp) / "floor.db")

        with goalbook.open(db, readonly=True) as store:
            loaded = best_of(store.load)
        load_floor = _floor_load(db)

        target = book.key_results[0].id
        samples = []
        with goalbook.open(db, author="bench") as store:
            for i in range(WRITES):
                t0 = time.perf_counter()
                store.check_in(CheckIn(target, date(2027, 3, 1), float(i), 7, "on_track"))
                samples.append(time.perf_counter() - t0)
        write_floor = _floor_check_in(db, target)

    goals = sum(1 for _ in book.iter_goals())
    return [
        ratio_figure(f"store: import {goals:,} goals + {rows:,} check-ins (SQLite)", imported,
                     "sqlite3 executemany, same rows", floor, 3),
        absolute_figure("store: load whole current state (SQLite)", loaded, "sqlite3 fetch of all rows",
                        load_floor, 1.5),
        absolute_figure("store: one check-in write, p99 (SQLite)", _p99(samples) * 1000, "sqlite3 insert+commit p99",
                        write_floor * 1000, 20, unit="ms"),
    ]
