"""The shipped Northwind example under the linter: it finds the loose ends the example carries on
purpose, and nothing on its good goals is an error."""

from __future__ import annotations

from datetime import date

import pytest

from goalbook.examples import example_path, load_example
from goalbook.lint import lint_book

TODAY = date(2027, 2, 26)  # the last weekly check-in of the example


@pytest.fixture(scope="module")
def findings():
    return lint_book(load_example(), today=TODAY)


def test_the_deliberate_loose_ends_are_found(findings):
    got = {(f.code, f.entity) for f in findings if not f.code.startswith("GB1")}
    assert got == {
        ("GB208", "KPI-SICK"),  # the orphan KPI
        ("GB214", "CO-3.KR4"),  # nothing planned against complaints
        ("GB215", "CC-2"),  # no check-in yet, so stale
        ("GB215", "PPL-2"),
    }


def test_findings_point_at_the_example_file_and_line(findings):
    orphan = next(f for f in findings if f.code == "GB208")
    lines = example_path().read_text(encoding="utf-8").splitlines()
    assert orphan.file == str(example_path())
    assert lines[orphan.line - 1].strip() == "- id: KPI-SICK"


def test_nothing_in_the_example_is_an_error(findings):
    assert [str(f) for f in findings if f.severity == "error"] == []
