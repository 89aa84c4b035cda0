"""Goalbooks as tables: frames with stable columns and types, CSV folders and Excel workbooks that
read back to the same goalbook, and bad cells reported by file, sheet, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from goalbook.cli import main
from goalbook.errors import ValidationError
from goalbook.examples import example_path, load_example
from goalbook.io import load_goalbook
from goalbook.io.tables import KINDS, export_tables, import_tables, to_frame


@pytest.fixture(scope="module")
def book():
    return load_example()


def test_every_kind_has_stable_columns_and_types(book):
    kr = to_frame(book, "key_results")
    assert list(kr.columns)[:8] == ["id", "objective_id", "title", "metric", "direction", "bound", "baseline",
                                    "target"]
    assert len(kr) == len(book.key_results)
    assert pd.api.types.is_string_dtype(kr["id"]) and pd.api.types.is_string_dtype(kr["objective_id"])
    assert pd.api.types.is_float_dtype(kr["target"])
    assert pd.api.types.is_datetime64_dtype(kr["deadline"])
    row = kr.set_index("id").loc["CO-1.KR1"]
    assert (row["objective_id"], row["baseline"], row["target"], row["weight"]) == ("CO-1", 38.0, 60.0, 2.0)
    assert pd.isna(kr.set_index("id").loc["CO-1.KR2", "deadline"])
    objectives = to_frame(book, "objectives")
    assert pd.api.types.is_datetime64_dtype(objectives["period_start"])
    assert objectives.loc[0, "period"] == "2027-Q1" and objectives.loc[0, "period_end"] == pd.Timestamp("2027-03-31")
    check_ins = to_frame(book, "check_ins")
    assert list(check_ins.columns) == ["target_id", "date", "value", "confidence", "status", "wins", "blockers",
                                       "author"]
    assert pd.api.types.is_datetime64_dtype(check_ins["date"]) and len(check_ins) == len(book.check_ins)
    comments = to_frame(book, "comments")
    assert comments.loc[0, "at"] == pd.Timestamp("2027-02-12 16:30:00")
    assert list(to_frame(book, "links").columns) == ["source", "target", "kind", "weight"]
    values = to_frame(book, "kpi_values")
    assert len(values) == sum(len(k.values) for k in book.kpis)
    for kind in KINDS:  # the model's own entry point gives the same table
        pd.testing.assert_frame_equal(book.to_frame(kind), to_frame(book, kind))


def test_an_unknown_kind_names_the_close_one(book):
    with pytest.raises(ValueError, match="no table 'key_result' \\(did you mean 'key_results'\\?\\)"):
        to_frame(book, "key_result")


def test_a_csv_folder_reads_back_to_the_same_goalbook(book, tmp_path):
    folder = export_tables(book, tmp_path / "tables")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{k}.csv" for k in ("goalbook", *KINDS))
    header = (folder / "key_results.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,objective_id,title,")
    back = import_tables(folder)
    assert back == book
    assert back.organisation == "Northwind Clinics"


def test_a_workbook_reads_back_to_the_same_goalbook(book, tmp_path):
    path = export_tables(book, tmp_path / "book.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["goalbook", *KINDS]
    assert import_tables(path) == book


def rewrite_csv(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fields)
        out.writeheader()
        out.writerows(rows)


def test_bad_cells_in_csv_files_are_all_reported_with_row_and_column(book, tmp_path):
    folder = export_tables(book, tmp_path / "tables")

    def krs(rows):
        rows[0]["target"] = "sixty"  # CO-1.KR1, row 2
        rows[2]["deadline"] = "soon"  # CO-1.KR3, row 4

    def check_ins(rows):
        rows[4]["confidence"] = "14"  # row 6

    def links(rows):
        rows[1]["target"] = "CO-9.KR1"  # row 3

    rewrite_csv(folder / "key_results.csv", krs)
    rewrite_csv(folder / "check_ins.csv", check_ins)
    rewrite_csv(folder / "links.csv", links)
    with pytest.raises(ValidationError) as err:
        import_tables(folder)
    found = {(Path(p.file).name, p.line, p.column, p.field): p.message for p in err.value.problems}
    assert found[("key_results.csv", 2, 8, "target")] == (
        "key result CO-1.KR1: target 'sixty' is text, not a number — write it in digits (e.g. 60 or 2.5)")
    assert found[("key_results.csv", 4, 17, "deadline")].startswith(
        "key result CO-1.KR3: deadline 'soon' is not a date")
    assert found[("check_ins.csv", 6, 4, "confidence")].endswith("confidence 14 is outside 0-10")
    assert "'CO-9.KR1' does not exist" in found[("links.csv", 3, 2, "link.target")]
    assert len(err.value.problems) == 4


def test_bad_cells_in_a_workbook_name_the_sheet(book, tmp_path):
    path = export_tables(book, tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["smart_goals"]["A3"] = "WEB-1"  # a second WEB-1
    wb["key_results"].cell(row=1, column=8, value="tagret")
    wb.save(path)
    with pytest.raises(ValidationError) as err:
        import_tables(path)
    found = {(p.file, p.line, p.column): p.message for p in err.value.problems}
    assert found[(f"{path} (sheet key_results)", 1, 8)] == (
        "key_results: unknown column 'tagret' (did you mean 'target'?)")
    assert found[(f"{path} (sheet smart_goals)", 3, 1)].startswith("id 'WEB-1' is used twice")


def test_a_failed_export_leaves_the_old_workbook(book, tmp_path, monkeypatch):
    path = export_tables(book, tmp_path / "book.xlsx")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_excel", broken)
    with pytest.raises(OSError, match="disk full"):
        export_tables(book, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_convert_command_goes_from_yaml_to_tables_and_back(book, tmp_path):
    assert main(["convert", str(example_path()), str(tmp_path / "book.xlsx")]) == 0
    assert main(["convert", str(tmp_path / "book.xlsx"), str(tmp_path / "csv")]) == 0
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "back.yaml")]) == 0
    back = load_goalbook(tmp_path / "back.yaml")
    assert back.objectives == book.objectives and back.check_ins == book.check_ins
    assert sorted(back.links, key=str) == sorted(book.links, key=str)
