"""The store under real concurrency and crashes, with separate OS processes, on SQLite and PostgreSQL:
two writers on the same goal (one conflict, no lost update, every check-in kept) and an import
killed with SIGKILL half-way (the store is unchanged and usable)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

import goalbook
from goalbook.model import CheckIn

ROOT = Path(__file__).resolve().parents[1]
CHECK_INS_EACH = 150
# ``goalbook import`` itself, with its progress bar made to hold still once rows are written inside
# the transaction, so the kill lands half-way however fast or loaded the machine is.
KILLABLE_IMPORT = r"""
import sys, time
from goalbook.cli import import_, main
show = import_.ProgressBar.__call__
def hold_half_way(self, done, total):
    show(self, done, total)
    if 0 < done < total:
        time.sleep(600)
import_.ProgressBar.__call__ = hold_half_way
sys.exit(main(sys.argv[1:]))
"""

# One writer: read WEB-1, wait for the starting signal, change one field and save it (reloading and
# saving again on a conflict), then record its check-ins. Prints one JSON line with what happened.
WRITER = r"""
import json, sys, time
from datetime import date, timedelta
from pathlib import Path
import goalbook
from goalbook.errors import ConflictError
from goalbook.model import CheckIn

url, name, field, value, ready, go, n = sys.argv[1:8]
with goalbook.open(url, author=name) as store:
    goal = store.get("WEB-1")
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.002)
    setattr(goal, field, float(value) if field == "budget" else value)
    conflict = None
    try:
        store.put(goal)
    except ConflictError as exc:
        conflict = str(exc)
        goal = store.get("WEB-1")
        setattr(goal, field, float(value) if field == "budget" else value)
        store.put(goal)
    for i in range(int(n)):
        store.check_in(CheckIn("WEB-1", date(2027, 1, 1) + timedelta(days=i % 60), float(i), 5, author=name))
print(json.dumps({"name": name, "conflict": conflict}))
"""


def _run_writers(url: str, tmp: Path) -> list[dict]:
    go = tmp / "go"
    procs, ready = [], []
    for name, field, value in (("proc-a", "owner", "alice"), ("proc-b", "budget", "99000")):
        flag = tmp / f"{name}.ready"
        ready.append(flag)
        procs.append(subprocess.Popen([sys.executable, "-c", WRITER, url, name, field, value, str(flag), str(go),
                                       str(CHECK_INS_EACH)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    deadline = time.monotonic() + 60
    while not all(f.exists() for f in ready):
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        assert time.monotonic() < deadline, "writers never became ready"
        time.sleep(0.01)
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_processes_writing_one_goal_lose_nothing(store_url, small_book, tmp_path):
    with goalbook.open(store_url, author="setup") as store:
        store.import_book(small_book)
    results = _run_writers(store_url, tmp_path)

    conflicts = [r for r in results if r["conflict"]]
    assert len(conflicts) == 1, results  # both read version 1: exactly one of them had to be told
    loser = conflicts[0]
    winner = next(r for r in results if r is not loser)
    assert f"WEB-1 changed to version 2 by {winner['name']}" in loser["conflict"]
    assert "while you edited version 1" in loser["conflict"]

    with goalbook.open(store_url, readonly=True) as store:
        goal = store.get("WEB-1")
        assert (goal.owner, goal.budget) == ("alice", 99000)  # no update lost
        assert [(v.version, v.author) for v in store.history("WEB-1")] == [
            (1, "setup"), (2, winner["name"]), (3, loser["name"])]
        got = [(c.author, c.value) for c in store.load().check_ins_for("WEB-1") if c.author in ("proc-a", "proc-b")]
    expected = {(name, float(i)) for name in ("proc-a", "proc-b") for i in range(CHECK_INS_EACH)}
    assert sorted(got) == sorted(expected)  # every check-in, each once


@pytest.fixture(scope="module")
def big_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic organisation as YAML, large enough that its import takes a while."""
    from benchmarks.synthetic import generate_org, write_yaml

    return write_yaml(generate_org(60, checkins=20_000), tmp_path_factory.mktemp("big") / "org.yaml")


def _row_counts(store: goalbook.store.Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("goalbook_meta", "entities", "events", "objectives", "key_results", "smart_goals", "kpis",
                          "initiatives", "links", "check_ins", "comments")}


def test_an_import_killed_half_way_leaves_the_store_unchanged_and_usable(store_url, small_book, big_yaml):
    with goalbook.open(store_url, author="setup") as store:
        store.import_book(small_book)
        before, counts = store.load(), _row_counts(store)

    proc = subprocess.Popen([sys.executable, "-c", KILLABLE_IMPORT, "import", str(big_yaml), "--into", store_url],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen = []
    for line in proc.stderr:  # progress lines come after rows are written, inside the transaction
        seen.append(line)
        if line.startswith("importing:") and "(100%)" not in line and not line.startswith("importing: 0/"):
            proc.send_signal(signal.SIGKILL)
            break
    else:
        proc.kill()
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the import was not killed half-way: {seen}"

    with goalbook.open(store_url, author="after") as store:
        assert store.load() == before
        assert _row_counts(store) == counts
        store.check_in(CheckIn("WEB-1", date(2027, 1, 20), 4))  # still writable
        goal = store.get("WEB-1")
        goal.owner = "after"
        assert store.put(goal) == 2
        if store.backend == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
