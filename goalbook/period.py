"""Periods: the named time boxes goals live in (``2026-Q4``, ``2027-H1``, ``FY2027``, ``2026-11``).

Fiscal years are named after the calendar year in which they **end** (the common convention:
with a fiscal year starting in July, ``FY2027`` runs 2026-07-01 to 2027-06-30). Quarter and half
names are fiscal too: ``2027-Q1`` is the first quarter of ``FY2027``. With the default fiscal-year
start of January, fiscal and calendar names coincide. A month (``2026-11``) is always a calendar
month, and an explicit range (``2026-01-15..2026-03-31``) is taken as written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(?:FY)?\s*(\d{4}|\d{2})\s*[-/ ]?\s*Q([1-4])$", re.I)
_QUARTER_REV = re.compile(r"^Q([1-4])\s*[-/ ]?\s*(?:FY)?\s*(\d{4}|\d{2})$", re.I)
_HALF = re.compile(r"^(?:FY)?\s*(\d{4}|\d{2})\s*[-/ ]?\s*H([12])$", re.I)
_HALF_REV = re.compile(r"^H([12])\s*[-/ ]?\s*(?:FY)?\s*(\d{4}|\d{2})$", re.I)
_YEAR = re.compile(r"^(?:FY\s*(\d{4}|\d{2})|(\d{4}))$", re.I)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/|–|—| to )\s*(\d{4}-\d{2}-\d{2})$")


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def fiscal_year_bounds(fiscal_year: int, fiscal_year_start: int = 1) -> tuple[date, date]:
    """First and last day of the fiscal year named ``fiscal_year`` (named by its ending year)."""
    if not 1 <= fiscal_year_start <= 12:
        raise ValueError(f"fiscal_year_start must be a month 1-12, not {fiscal_year_start!r}")
    start_year = fiscal_year if fiscal_year_start == 1 else fiscal_year - 1
    start = date(start_year, fiscal_year_start, 1)
    return start, _add_months(start, 12) - timedelta(days=1)


def fiscal_year_of(day: date, fiscal_year_start: int = 1) -> int:
    """The name (ending year) of the fiscal year containing ``day``."""
    if fiscal_year_start == 1 or day.month < fiscal_year_start:
        return day.year
    return day.year + 1


@dataclass(frozen=True, slots=True)
class Period:
    """A named, inclusive span of days."""

    name: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period {self.name!r} ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def parse(cls, text: str | Period, fiscal_year_start: int = 1) -> Period:
        """Parse a period name; raise ``ValueError`` with the accepted forms when it is not one."""
        if isinstance(text, Period):
            return text
        if not isinstance(text, str):
            raise ValueError(f"a period is written as text such as '2026-Q4', not {text!r}")
        s = text.strip()
        if m := _QUARTER.match(s) or _QUARTER_REV.match(s):
            y, q = (m.group(1), m.group(2)) if m.re is _QUARTER else (m.group(2), m.group(1))
            fy, q = _year(y), int(q)
            start = _add_months(fiscal_year_bounds(fy, fiscal_year_start)[0], 3 * (q - 1))
            return cls(f"{fy}-Q{q}", start, _add_months(start, 3) - timedelta(days=1))
        if m := _HALF.match(s) or _HALF_REV.match(s):
            y, h = (m.group(1), m.group(2)) if m.re is _HALF else (m.group(2), m.group(1))
            fy, h = _year(y), int(h)
            start = _add_months(fiscal_year_bounds(fy, fiscal_year_start)[0], 6 * (h - 1))
            return cls(f"{fy}-H{h}", start, _add_months(start, 6) - timedelta(days=1))
        if m := _YEAR.match(s):
            fy = _year(m.group(1) or m.group(2))
            start, end = fiscal_year_bounds(fy, fiscal_year_start)
            return cls(f"FY{fy}", start, end)
        if m := _MONTH.match(s):
            y, mo = int(m.group(1)), int(m.group(2))
            if 1 <= mo <= 12:
                return cls(f"{y}-{mo:02d}", date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
        if m := _RANGE.match(s):
            try:
                a, b = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
            except ValueError as exc:
                raise ValueError(f"period {text!r}: {exc}") from None
            return cls(f"{a.isoformat()}..{b.isoformat()}", a, b)
        raise ValueError(
            f"{text!r} is not a period; write a quarter '2026-Q4', a half '2027-H1', a fiscal year "
            f"'FY2027', a month '2026-11' or a range '2026-01-01..2026-03-31'"
        )

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """True when ``day`` falls inside the period (both ends included)."""
        return self.start <= day <= self.end

    def elapsed(self, today: date) -> float:
        """Share of the period that has passed at the end of ``today``, in 0..1."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days

    def __str__(self) -> str:
        return self.name
