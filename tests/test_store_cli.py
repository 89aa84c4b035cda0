"""``goalbook import`` and ``goalbook export`` between files and a store, lossless both ways."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import goalbook
from goalbook.cli import main
from goalbook.io import load_goalbook, save_goalbook
from goalbook.model import CheckIn


def test_yaml_goes_into_the_store_and_comes_back_the_same(store_url, small_book, tmp_path, capsys):
    source = tmp_path / "goals.yaml"
    save_goalbook(small_book, source)
    assert main(["import", str(source), "--into", store_url, "--author", "facilitator"]) == 0
    out, err = capsys.readouterr()
    assert "9 created" in out and "2 check-ins" in out
    assert "importing: " in err and "(100%)" in err  # the progress bar
    target = tmp_path / "out.yaml"
    assert main(["export", store_url, "--to", str(target)]) == 0
    assert load_goalbook(target) == load_goalbook(source)
    with goalbook.open(store_url) as store:
        assert store.load() == load_goalbook(source)
        assert store.history("CO-1")[0].author == "facilitator"


def test_export_as_of_a_date_writes_the_goalbook_as_it_stood(store_url, small_book, tmp_path):
    with goalbook.open(store_url) as store:
        store.import_book(small_book)
        store.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    target = tmp_path / "then.yaml"
    assert main(["export", store_url, "--to", str(target), "--as-of", "2000-01-01"]) == 0
    assert load_goalbook(target).objectives == []


def test_a_file_with_errors_is_refused_and_the_store_is_untouched(store_url, small_book, tmp_path, capsys):
    with goalbook.open(store_url) as store:
        store.import_book(small_book)
    bad = tmp_path / "bad.yaml"
    bad.write_text("goalbook: 1\nsmart_goals:\n  - id: X-1\n    statement: Grow\n    baseline: 5\n    target: 5\n"
                   "    supports: [NOPE-1]\n")
    assert main(["import", str(bad), "--into", store_url]) == 1
    assert "bad.yaml" in capsys.readouterr().err
    with goalbook.open(store_url) as store:
        assert store.load() == small_book


@pytest.mark.parametrize("name", ["tables", "book.xlsx"])
def test_tables_go_into_the_store_and_come_back_the_same(store_url, small_book, tmp_path, name):
    tables = pytest.importorskip("goalbook.io.tables", reason="goalbook.io.tables (CSV/Excel) is not there yet")
    source: Path = tmp_path / name
    tables.export_tables(small_book, source)
    assert main(["import", str(source), "--into", store_url, "--quiet"]) == 0
    target = tmp_path / f"out-{name}"
    assert main(["export", store_url, "--to", str(target)]) == 0
    assert tables.import_tables(target) == tables.import_tables(source)
