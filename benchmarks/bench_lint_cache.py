"""Incremental lint of goals as code at organisation scale (issue 16).

The synthetic 10,000-person organisation written as a ``goalbook.yaml`` and 500 team files
(:mod:`benchmarks.team_files`), linted with ``goalbook lint`` (every rule) twice with one cache
folder, in this process (interpreter start and imports, a second or so, are not timed): cold (empty
cache: the floor), then after one team file's goal statement changed. Targets: the run after the
change ≤ 2 s, and ≤ 0.1 × the cold run measured in the same run. That the cached findings equal an
uncached run's is the tests' to show (tests/test_lint_cache.py), not timed here.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._harness import Figure, absolute_figure, ratio_figure
from benchmarks.synthetic import generate_org
from benchmarks.team_files import write_team_files
from goalbook.cli import main

PEOPLE = 10_000
FILES = 500
TODAY = "2027-02-27"  # the day after the synthetic org's last weekly check-in


def _lint(folder: Path, cache: Path) -> float:
    out = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out):
        main(["lint", str(folder), "--today", TODAY, "--cache-dir", str(cache), "--format", "text"])
    elapsed = time.perf_counter() - t0
    if "problems found" not in out.getvalue() and "Found " not in out.getvalue():
        raise RuntimeError(f"goalbook lint printed no findings: {out.getvalue()[:200]}")
    return elapsed


def run() -> list[Figure]:
    book = generate_org(PEOPLE)
    with tempfile.TemporaryDirectory(prefix="goalbook-bench-") as tmp:
        folder, cache = Path(tmp) / "goals", Path(tmp) / "cache"
        parts = write_team_files(book, folder, FILES)
        cold = _lint(folder, cache)
        changed = parts[len(parts) // 2]
        text = changed.read_text(encoding="utf-8")
        # a new word, not a synonym: the goal's word set is new, so near-duplicates compare it with all others
        changed.write_text(text.replace("statement: Raise ", "statement: Steadily raise ", 1), encoding="utf-8")
        warm = _lint(folder, cache)
        print(f"# bench_lint_cache: cold {cold:.1f} s, one file changed {warm:.2f} s", file=sys.stderr)
    goals = sum(1 for _ in book.iter_goals())
    name = f"lint: {goals:,} goals as {FILES} team files, one changed, cached"
    return [absolute_figure(name, warm, "the cold run (empty cache)", cold, 2),
            ratio_figure(name + " (vs cold)", warm, "the cold run (empty cache)", cold, 0.1)]
