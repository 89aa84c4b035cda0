"""Finding 6 of issue 11: hostile files get one clear line naming the file (and line), never a traceback,
quickly and in bounded memory, and nothing is written. Plus a hypothesis fuzz of the YAML and CSV readers.

Exit codes: a file goalbook cannot read at all (not UTF-8, not valid YAML or CSV, empty, not a workbook, an
entity or zip bomb, an unquoted '2027-13-01' or a 400-digit number, values YAML itself cannot hold) is
refused like a missing file, exit 2, by every command (``goalbook.errors.UnreadableFileError``); a readable
file whose goals are wrong stays exit 1 (a quoted '2027-13-01' is such a bad *value*). ``lint`` and
``score`` read goalbooks as YAML, so the table kinds go to ``import`` and ``convert``.

The 10 s and 500 MB bounds are measured from outside, interpreter start and imports included: a small
wrapper process runs ``python -m goalbook.cli`` and reads its CPU time and peak RSS with
``resource.getrusage(RUSAGE_CHILDREN)``, which then covers that one child only. The 10 s bound is on
CPU time (user + system), what the command costs whatever else the machine runs; the wall clock is
bounded at 30 s, which a runaway (the zip bomb ran past 150 s) still fails on a machine shared by
many test runs (here each command's start alone took 4-11 s of wall clock at a load average of 15).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import GOOD_YAML, KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalbook.errors import GoalbookError, UnreadableFileError
from goalbook.io import load_goalbook
from goalbook.io.tables import export_tables, import_tables

ROOT = Path(__file__).resolve().parents[1]
YAML_KINDS = {"impossible date", "400-digit number", "bad YAML"}
MEASURE = """
import json, resource, subprocess, sys, time
began = time.monotonic()
done = subprocess.run([sys.executable, "-m", "goalbook.cli", *sys.argv[1:]], capture_output=True, text=True)
wall = time.monotonic() - began
child = resource.getrusage(resource.RUSAGE_CHILDREN)  # this wrapper's one child
print(json.dumps({"code": done.returncode, "wall": wall, "cpu": child.ru_utime + child.ru_stime,
                  "rss_mb": child.ru_maxrss / 1024, "out": done.stdout, "err": done.stderr}))  # ru_maxrss: kB
"""

CASES = [(kind, command) for kind in KINDS for command in
         (("lint", "score", "import", "convert") if kind in YAML_KINDS else ("import", "convert"))]


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


@pytest.mark.parametrize(("kind", "command"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
def test_a_hostile_file_gets_one_line_and_exit_2_and_nothing_is_written(kind, command, small_book, tmp_path):
    path, named, line = KINDS[kind](tmp_path, small_book)
    out = tmp_path / "out"
    argv = {"lint": [str(path)], "score": [str(path)], "import": [str(path), "--into", str(out / "goals.db")],
            "convert": [str(path), str(out / "goals.yaml")]}[command]
    work = tmp_path / "cwd"  # where lint would keep its cache
    work.mkdir()
    before = files_under(tmp_path)
    result = subprocess.run([sys.executable, "-c", MEASURE, command, *argv], cwd=work, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stats = json.loads(result.stdout)
    told = stats["err"] + stats["out"]
    assert "Traceback" not in told
    assert stats["code"] == 2, told
    where = f"{named}:{line}:" if line else f"{named}:"
    said = told.strip().splitlines()
    assert len(said) == 1 and said[0].startswith(f"goalbook {command}: ") and where in said[0], told
    assert stats["cpu"] < 10 and stats["wall"] < 30 and stats["rss_mb"] < 500, stats
    assert files_under(tmp_path) == before  # no store, no converted file, no lint cache


def test_lint_refuses_a_statements_csv_that_is_not_utf8_with_exit_2(tmp_path, capsys):
    from goalbook.cli import main

    path = tmp_path / "goals.csv"
    path.write_bytes("statement\nRaise NPS from 40 to 60 by 2027-03-31\nGr\u00fcn M\u00fcnchen by 2027-06-30\n"
                     .encode("latin-1"))
    assert main(["lint", str(path), "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == (f"goalbook lint: {path}:3: the file is not UTF-8 text (byte 0xfc) — save it "
                                         "as UTF-8")


def test_a_goalbook_whose_goals_are_wrong_still_exits_1_and_lint_reports_it_as_a_finding(tmp_path, capsys):
    from goalbook.cli import main

    path = tmp_path / "goals.yaml"
    path.write_text(GOOD_YAML.format(target="2", deadline="'2027-13-01'"), encoding="utf-8")  # quoted: a bad value
    assert main(["score", str(path)]) == 1
    assert "deadline '2027-13-01' is not a date" in capsys.readouterr().err
    assert main(["lint", str(path), "--no-cache", "--select", "GB001"]) == 1
    assert f"{path}:12:" in capsys.readouterr().out


def test_every_unreadable_value_of_a_file_is_named_at_once(tmp_path):
    path = tmp_path / "goals.yaml"
    path.write_text(GOOD_YAML.format(target="9" * 400, deadline="2027-02-30"), encoding="utf-8")
    with pytest.raises(UnreadableFileError) as err:
        load_goalbook(path)
    assert [(p.line, p.field) for p in err.value.problems] == [(11, "target"), (12, "deadline")]
    assert str(err.value).splitlines() == [
        f"{path}:11:17: target '999999999999…' is a number of 400 digits, more than any goal can hold — check "
        "it, or put it in quotes if it is text",
        f"{path}:12:19: deadline '2027-02-30' reads as a date but is no date (day is out of range for month) — "
        "write a real day as YYYY-MM-DD, or put text in quotes"]


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


def test_a_timestamp_tag_on_text_that_is_no_date_is_refused_at_its_line(tmp_path):
    """Found by the fuzz test above: PyYAML's timestamp constructor raised AttributeError on it."""
    path = tmp_path / "goals.yaml"
    path.write_text("goalbook: 1\nobjectives:\n  - id: CO-1\n    title: !!timestamp goalbook\n"
                    "    period: 2027-Q1\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as err:
        load_goalbook(path)
    [p] = err.value.problems
    assert (p.line, p.field) == (4, "title") and p.message.startswith("title 'goalbook' reads as a date but is no date")
