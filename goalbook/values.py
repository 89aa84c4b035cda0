"""Numbers and dates as people type them, and values as goalbook shows them: one rule for each.

Reading (YAML text, spreadsheet cells, widget inputs alike): a number is digits with an optional
sign, decimal point and exponent; thousands may be grouped in threes with commas, spaces or
underscores, so ``1,200`` is 1200 wherever it is typed, while ``2,5`` is refused (is it 2.5 or 25?)
with a hint. A trailing ``%`` is accepted only where the caller says a percent sign may stand for
the unit. A date is ISO, ``2027-03-31``. A value that cannot be read raises :class:`BadValue`,
whose text completes "<what>: <field> ...".

Writing: :func:`number` writes a number back as one would type it (into a field). Showing values to a
reader (``38%``, ``6 min``, ``—`` for unknown) is :mod:`goalbook.display`'s; :func:`pct`, :func:`value`,
:func:`known` and :data:`UNKNOWN` here are that module's, kept under their old names.

Statements in words ("from 38% to 60% by Q1") are read by ``goalbook.smart.numbers``, a grammar for
prose whose digits go through :func:`read_number` too: ``2,5`` in a sentence is refused as in a field.

>>> read_number("1,200"), read_number(" 4.5 "), read_number("38%", percent=True)
(1200.0, 4.5, 38.0)
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from goalbook.display import UNKNOWN, known, pct, value

__all__ = ["UNKNOWN", "BadValue", "known", "number", "pct", "read_date", "read_number", "value"]

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+(?:_\d{3})*|\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?")
_NUMBERISH = re.compile(r"^[+-]?[\d.,_ ']+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d{1,2}$|^[+-]?\d+,\d{4,}$")


class BadValue(ValueError):
    """A value that cannot be read as the kind its field needs; the text says why and how to fix it."""


def _hint(text: str) -> str:
    s = text.strip()
    if s.endswith("%") and _NUMBERISH.match(s[:-1].strip() or "x"):
        return f"'{text}' is text, not a number — write the number {s[:-1].strip()} and put '%' in the unit field"
    if _DECIMAL_COMMA.match(s):
        return f"'{text}' is text, not a number — write decimals with a point ({s.replace(',', '.')})"
    if _NUMBERISH.match(s):
        digits = s.replace(",", "").replace("_", "").replace(" ", "").replace("'", "")
        digits = digits.replace(".", "") if digits.count(".") > 1 else digits
        return f"'{text}' is text, not a number — write it as the plain number {digits}, without separators"
    return f"'{text}' is text, not a number — write it in digits (e.g. 60 or 2.5)"


def read_number(text: str, *, percent: bool = False) -> float:
    """A finite number from typed text (see the module docstring); ``percent=True`` accepts and drops
    a trailing ``%``. :class:`BadValue` otherwise."""
    s = text.strip()
    core = s[:-1].rstrip() if percent and s.endswith("%") else s
    if core and any(c.isdigit() for c in core) and _NUMBER.fullmatch(core):
        x = float(core.replace(",", "").replace(" ", "").replace("_", ""))
    else:
        try:  # what Python reads that the pattern leaves out: "inf", "nan"
            x = float(core) if core.lower().lstrip("+-") in ("inf", "infinity", "nan") else None
        except ValueError:
            x = None
        if x is None:
            raise BadValue(_hint(text))
    if not math.isfinite(x):
        raise BadValue(f"'{text}' is not a finite number")
    return x


def read_date(text: str) -> date:
    """A calendar day written as ``YYYY-MM-DD`` (a date and time keeps only the day); :class:`BadValue` otherwise."""
    s = text.strip()
    try:
        return date.fromisoformat(s)
    except ValueError:
        try:
            return datetime.fromisoformat(s).date()
        except ValueError:
            raise BadValue(f"'{text}' is not a date — write it as YYYY-MM-DD, e.g. 2027-03-31") from None


def number(x: float | None) -> str:
    """A number as a person would type it back (``38``, ``4.5``); ``''`` for none."""
    return f"{x:g}" if known(x) else ""
