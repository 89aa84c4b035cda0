"""One reader of typed numbers and dates (goalbook.values) behind the YAML and table readers and the
widgets, and one way to show a value that is not known."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from goalbook.io import load_goalbook
from goalbook.io._values import to_date, to_number
from goalbook.values import UNKNOWN, BadValue, pct, read_date, read_number, value
from goalbook.widgets._base import FieldReader

READ = [("1,200", 1200.0), ("1 200", 1200.0), ("1_200", 1200.0), ("1200", 1200.0), ("-3.5", -3.5),
        ("1,200.50", 1200.5), (".5", 0.5), ("1e3", 1000.0), (" 60 ", 60.0)]
REFUSED = [("2,5", "write decimals with a point (2.5)"), ("1.200.000", "plain number 1200000"),
           ("sixty", "write it in digits"), ("inf", "not a finite number"), ("12,00,000", "without separators")]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_a_number_reads_the_same_in_files_and_widgets(text: str, expected: float) -> None:
    reader = FieldReader("G-1", "goal")
    assert read_number(text) == to_number(text) == reader.number(text, "target") == expected
    assert reader.problems == []


@pytest.mark.parametrize(("text", "hint"), REFUSED)
def test_an_unreadable_number_is_refused_the_same_way_everywhere(text: str, hint: str) -> None:
    with pytest.raises(BadValue, match=re.escape(hint)) as direct:
        read_number(text)
    with pytest.raises(BadValue) as io:
        to_number(text)
    reader = FieldReader("G-1", "goal")
    assert reader.number(text, "target") is None
    assert str(direct.value) == str(io.value) and reader.problems[0].message == f"goal G-1: target {direct.value}"


def test_a_percent_sign_stands_for_the_unit_only_beside_a_unit_field() -> None:
    assert FieldReader("G-1", "goal").number("38%", "target") == 38.0 == read_number("38 %", percent=True)
    with pytest.raises(BadValue, match="put '%' in the unit field"):
        to_number("38%")


def test_a_yaml_target_written_with_a_thousands_comma(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text('goalbook: 1\nsmart_goals:\n  - id: S-1\n    statement: Train 1,200 health workers by 2027-06-30\n'
                    '    baseline: "0"\n    target: "1,200"\n    deadline: 2027-06-30\n', encoding="utf-8")
    assert load_goalbook(path).get("S-1").target == 1200.0


def test_dates() -> None:
    assert read_date("2027-03-31") == to_date("2027-03-31") == FieldReader(None, "x").day("2027-03-31", "d")
    assert read_date("2027-03-31T10:00") == date(2027, 3, 31)
    reader = FieldReader("G-1", "goal")
    with pytest.raises(BadValue) as io:
        to_date("31/03/2027")
    assert reader.day("31/03/2027", "deadline") is None
    assert reader.problems[0].message == f"goal G-1: deadline {io.value}"


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, float("nan")])
def test_one_spelling_of_unknown(missing: object) -> None:
    assert pct(missing) == value(missing, "%") == UNKNOWN == "—"


def test_percentages_round_and_never_show_minus_zero() -> None:
    assert (pct(0.384), pct(-0.0), pct(1), value(38, "%"), value(6, "min"), value(4.5)) == \
        ("38%", "0%", "100%", "38%", "6 min", "4.5")
