"""Hostile input files for issue 11, finding 6: each kind the red team used, built fresh.

``KINDS[kind](folder, book)`` writes one and returns the path to give ``goalbook lint/score/import/convert``,
the name of the file the error must name, and its line (or row; None: the file as a whole). The entity bomb is the
"billion laughs" of https://en.wikipedia.org/wiki/Billion_laughs_attack in a worksheet's XML; the
zip bomb a worksheet of a few MB of one repeated row that inflates ~1000x.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from goalbook.io.tables import export_tables

GOOD_YAML = ("goalbook: 1\norganisation: Acme\nobjectives:\n  - id: CO-1\n    title: Grow bookings\n"
             "    period: 2027-Q1\n    key_results:\n      - id: CO-1.KR1\n        title: Raise bookings from 1 to 2\n"
             "        baseline: 1\n        target: {target}\n        deadline: {deadline}\n")


def _yaml(folder: Path, target: str = "2", deadline: str = "2027-03-31") -> Path:
    path = folder / "goals.yaml"
    path.write_text(GOOD_YAML.format(target=target, deadline=deadline), encoding="utf-8")
    return path


def _tables(folder: Path, small_book) -> Path:
    return export_tables(small_book, folder / "tables")


def impossible_date(folder: Path, book) -> tuple[Path, str, int | None]:
    return _yaml(folder, deadline="2027-13-01"), "goals.yaml", 12


def huge_number(folder: Path, book) -> tuple[Path, str, int | None]:
    return _yaml(folder, target="9" * 400), "goals.yaml", 11


def bad_yaml(folder: Path, book) -> tuple[Path, str, int | None]:
    path = _yaml(folder)
    path.write_text(path.read_text(encoding="utf-8").replace("    period:", "\tperiod:"), encoding="utf-8")
    return path, "goals.yaml", 6  # a tab indents line 6


def malformed_csv(folder: Path, book) -> tuple[Path, str, int | None]:
    tables = _tables(folder, book)
    (tables / "objectives.csv").write_bytes(b'id,title\r\n"CO-1,"unterminated\r\nCO-2,"x"y"\r\n')
    return tables, "objectives.csv", 2


def latin1_csv(folder: Path, book) -> tuple[Path, str, int | None]:
    tables = _tables(folder, book)
    text = (tables / "objectives.csv").read_text(encoding="utf-8")
    text = text.replace("effortless", "effortless f\u00fcr M\u00fcnchen")
    (tables / "objectives.csv").write_bytes(text.encode("latin-1"))
    return tables, "objectives.csv", 2


def empty_csv(folder: Path, book) -> tuple[Path, str, int | None]:
    tables = _tables(folder, book)
    (tables / "kpis.csv").write_bytes(b"")
    return tables, "kpis.csv", None


def junk_xlsx(folder: Path, book) -> tuple[Path, str, int | None]:
    path = folder / "goals.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook " * 50)
    return path, path.name, None


def _workbook_with(folder: Path, book, sheet_xml: bytes) -> Path:
    good = export_tables(book, folder / "good.xlsx")
    path = folder / "goals.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet2.xml" else src.read(item)
            dst.writestr(item.filename, data)
    good.unlink()
    return path


def entity_bomb_xlsx(folder: Path, book) -> tuple[Path, str, int | None]:
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                     for i in range(1, 10)]
    xml = ('<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(lol) + ']>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return _workbook_with(folder, book, xml.encode()), "goals.xlsx", None


def zip_bomb_xlsx(folder: Path, book) -> tuple[Path, str, int | None]:
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    buffer = io.BytesIO()
    buffer.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b"<sheetData>")
    buffer.write(row.encode() * 3_000_000)  # ~150 MB of XML, a few hundred kB zipped
    buffer.write(b"</sheetData></worksheet>")
    return _workbook_with(folder, book, buffer.getvalue()), "goals.xlsx", None


KINDS: dict[str, Callable] = {
    "impossible date": impossible_date, "400-digit number": huge_number, "bad YAML": bad_yaml,
    "malformed CSV": malformed_csv,
    "Latin-1 CSV": latin1_csv, "empty CSV": empty_csv, "junk xlsx": junk_xlsx,
    "entity-bomb xlsx": entity_bomb_xlsx, "zip-bomb xlsx": zip_bomb_xlsx,
}
