"""Finding 6 of issue 11: hostile files get one clear line naming the file (and line), never a traceback,
quickly and in bounded memory, and nothing is written. Plus a hypothesis fuzz of the YAML and CSV readers.

Exit codes: a file that is not what its name says (not UTF-8, not CSV, empty, not a workbook, an
entity or zip bomb) is refused like a missing file, exit 2. An impossible date or a 400-digit number
is a bad *value* in a readable file: reported at its line like any other bad value (as the quoted
'2027-13-01' always was), exit 1. ``lint`` and ``score`` read YAML only, so the table kinds go to
``import`` and ``convert``.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import GOOD_YAML, KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalbook.errors import GoalbookError
from goalbook.io import load_goalbook
from goalbook.io.tables import export_tables, import_tables

ROOT = Path(__file__).resolve().parents[1]
YAML_KINDS = {"impossible date", "400-digit number"}
RUN = """
import json, sys, time
import goalbook.io.tables, goalbook.store  # imported before the clock starts: on a loaded machine pandas
from goalbook.cli import main               # alone can take seconds, and the bound is on the file's handling
began = time.monotonic()
code = main(sys.argv[1:])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))  # not inherited over exec
print(json.dumps({"code": code, "seconds": time.monotonic() - began, "rss_mb": int(peak.split()[1]) / 1024}),
      file=sys.stderr)
"""

CASES = [(kind, command) for kind in KINDS for command in
         (("lint", "score", "import", "convert") if kind in YAML_KINDS else ("import", "convert"))]


@pytest.mark.parametrize(("kind", "command"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
def test_a_hostile_file_gets_one_line_and_nothing_is_written(kind, command, small_book, tmp_path):
    path, named, line = KINDS[kind](tmp_path, small_book)
    out = tmp_path / "out"
    argv = {"lint": [str(path)], "score": [str(path)], "import": [str(path), "--into", str(out / "goals.db")],
            "convert": [str(path), str(out / "goals.yaml")]}[command]
    result = subprocess.run([sys.executable, "-c", RUN, command, *argv], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    *said, stats_line = result.stderr.strip().splitlines()
    stats = json.loads(stats_line)
    told = "\n".join([*said, result.stdout])
    assert "Traceback" not in told
    assert stats["code"] == (1 if kind in YAML_KINDS else 2), told
    where = f"{named}:{line}" if line else named
    lines = [text for text in told.splitlines() if where in text]
    assert lines, f"no line names {where}:\n{told}"
    assert stats["seconds"] < 10 and stats["rss_mb"] < 500, stats
    assert not out.exists()


# --- fuzzing the readers -----------------------------------------------------------------------------
YAML_TOKENS = ["2027-13-01", "2027-02-30", "9" * 400, "-" + "9" * 5000, "1e999", ".nan", "-.inf", "0x", "0o9",
               "!!binary x", "!!timestamp 2027-99-99", "&a [*a]", "*undefined", "{", "? ", "'", "\t", "\u2028"]
"""Values YAML's own constructors choke on, or that pass it and reach goalbook's."""


def _mutated(text: str) -> st.SearchStrategy[str]:
    """``text`` with a random slice replaced by random text or a hostile token: mostly-valid files, where
    readers break."""
    insert = st.one_of(st.text(max_size=40), st.sampled_from(YAML_TOKENS))
    return st.tuples(st.integers(0, len(text)), st.integers(0, 40), insert).map(
        lambda cut: text[:cut[0]] + cut[2] + text[cut[0] + cut[1]:])


TEMPLATE = GOOD_YAML + (
    "smart_goals:\n  - {{id: WEB-1, statement: Cut steps from 7 to 3 by 2027-03-01, baseline: {baseline}, target: 3}}\n"
    "check_ins:\n  CO-1.KR1:\n    - {{date: {date}, value: {value}, confidence: {confidence}}}\n")
VALUES = {"target": "2", "deadline": "2027-03-31", "baseline": "7", "date": "2027-01-08", "value": "1.5",
          "confidence": "7"}
YAML_TEXT = TEMPLATE.format(**VALUES)
_valued = st.fixed_dictionaries({key: st.one_of(st.just(good), st.sampled_from(YAML_TOKENS), st.text(max_size=20))
                                 for key, good in VALUES.items()}).map(lambda values: TEMPLATE.format(**values))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_valued, _mutated(YAML_TEXT), st.text(max_size=200)))
def test_the_yaml_reader_never_raises_anything_but_a_goalbook_error(text, tmp_path):
    path = tmp_path / "goals.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(GoalbookError):
        load_goalbook(path)


@pytest.fixture(scope="module")
def objectives_csv(tmp_path_factory) -> tuple[Path, bytes]:
    from small_book import make_small_book

    folder = export_tables(make_small_book(), tmp_path_factory.mktemp("fuzz") / "tables")
    return folder, (folder / "objectives.csv").read_bytes()


@settings(max_examples=150, deadline=None)
@given(cut=st.tuples(st.integers(0, 400), st.integers(0, 30), st.binary(max_size=30)))
def test_the_csv_reader_never_raises_anything_but_a_goalbook_error(cut, objectives_csv):
    folder, good = objectives_csv
    at, drop, insert = cut
    (folder / "objectives.csv").write_bytes(good[:at] + insert + good[at + drop:])
    with contextlib.suppress(GoalbookError):
        import_tables(folder)


def test_a_timestamp_tag_on_text_that_is_no_date_is_read_as_that_text(tmp_path):
    """Found by the fuzz test above: PyYAML's timestamp constructor raised AttributeError on it."""
    path = tmp_path / "goals.yaml"
    path.write_text("goalbook: 1\nobjectives:\n  - id: CO-1\n    title: !!timestamp goalbook\n"
                    "    period: !!timestamp 2027-Q1\n", encoding="utf-8")
    book = load_goalbook(path)
    assert book.objectives[0].title == "goalbook" and book.objectives[0].period.name == "2027-Q1"
