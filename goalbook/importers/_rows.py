"""Reading the rows of an export: CSV with repeated columns, JSON documents, dates in trackers' formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from dateutil import parser as dateparser

from goalbook.importers import TrackerFormatError


class Row:
    """One CSV record: every value of every column, a column may repeat (Jira writes one Labels per label)."""

    def __init__(self, where: str, values: dict[str, list[str]]) -> None:
        self.where = where
        self.values = values

    def get(self, column: str) -> str | None:
        """The first non-empty value of ``column``, stripped, or ``None``."""
        return next((v.strip() for v in self.values.get(column, ()) if v.strip()), None)

    def all(self, column: str) -> list[str]:
        """Every non-empty value of ``column`` (all the repeats)."""
        return [v.strip() for v in self.values.get(column, ()) if v.strip()]

    def need(self, column: str) -> str:
        """The value of ``column``; a clear error naming the row when it is empty."""
        v = self.get(column)
        if v is None:
            raise TrackerFormatError(f"{self.where}: '{column}' is empty — every row needs one")
        return v

    def day(self, column: str, *, dayfirst: bool = False) -> date | None:
        """The date in ``column`` (ISO, or a tracker's own format such as Jira's 07/Jan/27 10:15 AM)."""
        return parse_day(self.get(column), f"{self.where}: '{column}'", dayfirst=dayfirst)


def csv_rows(text: str, name: str, required: tuple[str, ...], tracker: str) -> Iterator[Row]:
    """The records of a CSV export, checking its header names ``required`` columns first."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TrackerFormatError(f"{name}: the file is empty — expected a {tracker} CSV export") from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise TrackerFormatError(f"{name}: line 1: no column {', '.join(repr(c) for c in missing)} — is this a "
                                 f"{tracker} CSV export? The header has: {', '.join(header[:12])}")
    n = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TrackerFormatError(f"{name}: line {reader.line_num}: {exc}") from None
        n += 1
        if not any(v.strip() for v in record):
            continue
        where = f"{name}: row {n} (line {reader.line_num})"
        if len(record) != len(header):
            raise TrackerFormatError(f"{where}: {len(record)} fields where the header has {len(header)} — "
                                     "a quote or comma is probably missing")
        values: dict[str, list[str]] = {}
        for h, v in zip(header, record, strict=True):
            values.setdefault(h, []).append(v)
        yield Row(where, values)


def json_document(text: str, name: str, tracker: str) -> Any:
    """The parsed JSON of an export, or an error naming the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TrackerFormatError(f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}) — "
                                 f"expected a {tracker} export") from None


def parse_day(value: Any, where: str, *, dayfirst: bool = False) -> date | None:
    """A date from an export's text (ISO 8601 or a tracker's own format); a clear error when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TrackerFormatError(f"{where}: {value!r} is not a date")
    try:
        return dateparser.parse(value, dayfirst=dayfirst).date()
    except (ValueError, OverflowError):
        raise TrackerFormatError(f"{where}: '{value}' is not a date") from None


def field_of(obj: Any, path: str, where: str, *, required: bool = False) -> Any:
    """``obj['a']['b']`` for ``path`` 'a.b', ``None`` along the way when missing (an error when ``required``)."""
    cur = obj
    for part in path.split("."):
        if cur is None:
            break
        if not isinstance(cur, dict):
            raise TrackerFormatError(f"{where}: '{path}' should be inside an object, found {type(cur).__name__}")
        cur = cur.get(part)
    if required and (cur is None or (isinstance(cur, str) and not cur.strip())):
        raise TrackerFormatError(f"{where}: no '{path}' — every item needs one")
    return cur


def text_of(obj: Any, path: str, where: str, *, required: bool = False) -> str | None:
    """A text field of a JSON item (see :func:`field_of`); a number or object where text belongs is an error."""
    v = field_of(obj, path, where, required=required)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, str | int):
        raise TrackerFormatError(f"{where}: '{path}' should be text, found {type(v).__name__}")
    return str(v)
