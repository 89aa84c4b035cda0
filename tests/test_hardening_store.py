"""Finding 4 of issue 11: a stale editor must not revert a colleague's change, in separate OS processes.

The editor process reads objective CO-1 through the widgets' :class:`Destination` (as the objective
editor does), then the kernel reads the store again (a dashboard's ``load()``) after a colleague's
process changed one of CO-1's key results. Saving the editor's (stale) copy must be a conflict,
not a silent revert. The second case is a read-modify-write increment from two processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import goalbook

ROOT = Path(__file__).resolve().parents[1]

EDITOR = r"""
import json, sys, time
from pathlib import Path
import goalbook
from goalbook.errors import ConflictError
from goalbook.widgets._base import Destination

url, ready, go = sys.argv[1:4]
with goalbook.open(url, author="editor") as store:
    dest = Destination(store.load(), store=store)
    goal = dest.fetch("CO-1")
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.01)
    store.load()  # another read in the same kernel (the dashboard refreshing)
    goal.title = "Make booking a visit effortless, everywhere"
    try:
        print(json.dumps({"saved": dest.put(goal)}))
    except ConflictError as exc:
        print(json.dumps({"conflict": str(exc)}))
"""

COLLEAGUE = r"""
import sys, time
from pathlib import Path
import goalbook

url, ready, go = sys.argv[1:4]
while not Path(ready).exists():
    time.sleep(0.01)
with goalbook.open(url, author="colleague") as store:
    kr = store.get("CO-1.KR1")
    kr.title = "Raise online bookings from 38% to 65% of all visits"
    store.put(kr)
Path(go).touch()
"""

INCREMENT = r"""
import json, sys, time
from pathlib import Path
import goalbook
from goalbook.errors import ConflictError

url, name, ready, turn, done = sys.argv[1:6]
with goalbook.open(url, author=name) as store:
    kr = store.get("CO-1.KR1")
    Path(ready).touch()
    while not Path(turn).exists():
        time.sleep(0.01)
    conflicts = 0
    while True:
        kr.current = kr.current + 1
        try:
            store.put(kr)
            break
        except ConflictError:
            conflicts += 1
            kr = store.get("CO-1.KR1")
    Path(done).touch()
    print(json.dumps({"conflicts": conflicts}))
"""


def _wait(path: Path, procs: list[subprocess.Popen], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        for proc in procs:
            if proc.poll() not in (None, 0):
                raise AssertionError(proc.stderr.read() if proc.stderr else f"exit {proc.returncode}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def _run(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_stale_editor_cannot_revert_a_colleagues_key_result(store_url, small_book, tmp_path):
    with goalbook.open(store_url, author="setup") as store:
        store.import_book(small_book)
    ready, go = tmp_path / "ready", tmp_path / "go"
    editor = _run(EDITOR, store_url, str(ready), str(go))
    colleague = _run(COLLEAGUE, store_url, str(ready), str(go))
    assert colleague.wait(timeout=120) == 0, colleague.stderr.read()
    out, err = editor.communicate(timeout=120)
    assert editor.returncode == 0, err
    result = json.loads(out)
    assert "conflict" in result, f"the stale editor saved: {result}"
    assert "CO-1.KR1" in result["conflict"] and "colleague" in result["conflict"]
    with goalbook.open(store_url, readonly=True) as store:
        kept = store.get("CO-1")
    assert kept.key_results[0].title == "Raise online bookings from 38% to 65% of all visits"
    assert kept.title == small_book.objectives[0].title


def test_read_modify_write_increments_from_two_processes_are_both_kept(store_url, small_book, tmp_path):
    with goalbook.open(store_url, author="setup") as store:
        store.import_book(small_book)
        start = store.get("CO-1.KR1").current
    flags = {n: (tmp_path / f"{n}-ready", tmp_path / f"{n}-turn", tmp_path / f"{n}-done") for n in ("a", "b")}
    procs = {n: _run(INCREMENT, store_url, n, *map(str, f)) for n, f in flags.items()}
    for ready, _, _ in flags.values():
        _wait(ready, list(procs.values()))
    flags["a"][1].touch()  # both read the same version; a writes first, then b from its stale reading
    _wait(flags["a"][2], list(procs.values()))
    flags["b"][1].touch()
    results = {}
    for n, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results[n] = json.loads(out)
    assert results == {"a": {"conflicts": 0}, "b": {"conflicts": 1}}
    with goalbook.open(store_url, readonly=True) as store:
        assert store.get("CO-1.KR1").current == start + 2
