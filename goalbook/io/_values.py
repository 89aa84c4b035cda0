"""Single values as people write them (YAML scalars, spreadsheet cells) turned into model values.

Each converter returns the model value or raises :class:`BadValue` whose text finishes the
sentence "<what>: <field> ...", e.g. "'sixty' is text, not a number — write it in digits".
YAML and table readers share them, and numbers and dates written as text are read by
:mod:`goalbook.values`, as the widgets read them, so a value reads the same wherever it was typed.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

from goalbook.period import Period
from goalbook.values import BadValue, read_date, read_number

_TRUE = frozenset({"true", "yes", "y", "on", "1", "done", "x"})
_FALSE = frozenset({"false", "no", "n", "off", "0", "", "open"})


def describe(value: Any) -> str:
    """A value in words, for messages: "a list", "the text 'abc'", "true"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, int | float):
        return f"the number {value:g}" if isinstance(value, float) else f"the number {value}"
    return f"the text '{value}'"


def _yes_no(value: bool) -> str:
    return (f"is {'true' if value else 'false'} — YAML reads yes/no/on/off/true/false as a yes-or-no value; "
            "put the text in quotes if you meant text")


def to_text(value: Any) -> str:
    """Text; numbers and dates are accepted as the text they were written as."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        raise BadValue(_yes_no(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    raise BadValue(f"should be text, not {describe(value)}")


def to_number(value: Any) -> float:
    """A finite number (int or float); numeric text such as "60" or "1,200" is accepted, "sixty" is not."""
    if isinstance(value, bool):
        raise BadValue(f"{_yes_no(value).split(' — ')[0]}, not a number — write a number")
    if isinstance(value, int | float):
        try:
            v = float(value)
        except OverflowError:  # an int of hundreds of digits
            raise BadValue(f"has {len(str(abs(value)))} digits, more than any goal needs — check the number") from None
        if math.isfinite(v):
            return v
        raise BadValue(f"is {value}, which is not a finite number")
    if isinstance(value, str):
        return read_number(value)
    raise BadValue(f"should be a number, not {describe(value)}")


def to_integer(value: Any) -> int:
    """A whole number."""
    v = to_number(value)
    if not v.is_integer():
        raise BadValue(f"is {v:g}; it must be a whole number")
    return int(v)


def to_date(value: Any) -> date:
    """A calendar day; ISO text (2027-03-31) is accepted, a date and time keeps only the day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return read_date(value)
    raise BadValue(f"should be a date written as YYYY-MM-DD, not {describe(value)}")


def to_datetime(value: Any) -> datetime:
    """A moment; a plain date means its midnight."""
    if isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                        value.microsecond, value.tzinfo)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise BadValue(f"'{value}' is not a date and time — write it as 2027-01-08T10:00:00") from None
    raise BadValue(f"should be a date and time such as 2027-01-08T10:00:00, not {describe(value)}")


def to_bool(value: Any) -> bool:
    """Yes or no; the words spreadsheets use (TRUE, yes, x, 1) are accepted."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise BadValue(f"should be true or false, not {describe(value)}")


def to_period(value: Any, fiscal_year_start: int = 1) -> Period:
    """A named period (2027-Q1, FY2027, ...), fiscal names read with ``fiscal_year_start``."""
    if isinstance(value, Period):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadValue(f"should be a period such as 2027-Q1, not {describe(value)}")
    try:
        return Period.parse(str(value), fiscal_year_start)
    except ValueError as exc:
        text = str(exc)
        raise BadValue(text[len("period "):] if text.startswith("period ") else text) from None
