"""Deadlines: finding every time expression in a statement and deciding which ones are deadlines.

A statement is time-bound when it carries a date, a period, a relative or recurring window, or an
event (see ``RULES.md``). Just as important are the time words that are *not* deadlines: rates
(``per month``), service levels (``within 4 hours``), durations that are the deliverable
(``a 10-day boot camp``), comparison bases (``year over year``) and period-qualified names
(``Q4 pipeline``). :func:`scan_times` finds both kinds; each :class:`TimeExpr` says which.

Resolution uses ``goalbook.period``: quarters and halves are fiscal and fiscal years are named by
the calendar year they end in. The scanner walks the tokens once; every matcher looks a bounded
number of tokens around its trigger, so the work is linear in the length of the statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.easter import easter
from dateutil.relativedelta import TH, relativedelta

from goalbook.period import Period, _add_months, fiscal_year_bounds, fiscal_year_of
from goalbook.smart.lexicon import (
    EVENT,
    FUNC,
    HANDLE,
    ITEM,
    MONTH,
    MONTHS,
    NUMBERS,
    NUMWORD,
    ONE_OFF_EVENTS,
    ORDINAL,
    ORDINALS,
    PLAN,
    PREP,
    RATE,
    REL,
    SEASON,
    SEASONS,
    SLA_VERBS,
    SUBORD,
    UNIT,
    UNITS,
    VERB,
    spelled_value,
)
from goalbook.smart.tokens import Tokens

#: kinds of time expression; only the first three make a statement time-bound
DEADLINE, EVENT_KIND, RECURRING = "deadline", "event", "recurring"
RATE_KIND, SLA, DURATION, COMPARISON, NAME = "rate", "sla", "duration", "comparison", "name"

_QHFY = re.compile(r"^(?:q([1-4])|h([12])|fy(\d{2}|\d{4})?|q([1-4])fy(\d{2}|\d{4})|fy(\d{2}|\d{4})q([1-4]))$")
_YY = re.compile(r"^\d{2}$")
_DAY_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_WINDOW_PREPS = frozenset({"within", "in", "inside", "over", "for", "during", "across", "throughout", "under"})
_EVENT_PREPS = frozenset({"by", "before", "ahead", "prior", "until", "till", "at", "for", "over", "during",
                          "after", "following"})
_COMPARE_PREPS = frozenset({"since", "than", "vs", "versus", "against", "compared", "relative", "over", "from",
                            "vs."})
_DATE_CONTEXT = frozenset({"by", "in", "until", "till", "before", "through", "throughout", "during", "from",
                           "between", "and", "of", "end", "mid", "early", "late", "next", "this", "since", "to",
                           "-", "after", "on", "within", "start", "beginning", "close", "than", "last", "the"})
_BASELINE_WORDS = frozenset({"levels", "level", "baseline", "baselines", "base", "figures", "values", "value",
                             "benchmark", "average", "averages", "rates", "rate", "outturn", "actuals"})
_PERIOD_SUFFIX = frozenset({"end", "close", "start"})
#: nouns that name the span itself, not a thing the span qualifies
_SPAN_NOUNS = frozenset({"period", "periods", "timeframe", "timescale", "horizon"})
_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "shall", "should", "must", "would"})
_PRONOUNS = frozenset({"it", "we", "they", "he", "she", "you", "i", "our", "the"})
_SLA_UNITS = frozenset({"hour"})
_BIZ = frozenset({"business", "working", "school", "calendar", "clear", "banking"})
_WINDOW_MODS = frozenset({"business", "working", "school", "calendar", "full", "consecutive", "additional",
                          "more", "further", "clear", "banking", "straight"})


@dataclass(slots=True)
class TimeExpr:
    """One time expression: tokens ``i0`` up to ``i1``, what it is, and the day it resolves to."""

    i0: int
    i1: int
    kind: str
    day: date | None = None
    why: str = ""

    @property
    def binding(self) -> bool:
        """True when this expression makes the statement time-bound."""
        return self.kind in (DEADLINE, EVENT_KIND, RECURRING)


@lru_cache(maxsize=4096)
def _sub_period(fy: int, months: int, n: int, fys: int) -> tuple[date, date]:
    """First and last day of fiscal quarter (``months`` 3) or half (6) ``n`` of fiscal year ``fy``:
    the same arithmetic as ``Period.parse("2027-Q3")``, cached because statements name few periods."""
    start = _add_months(fiscal_year_bounds(fy, fys)[0], months * (n - 1))
    return start, _add_months(start, months) - timedelta(days=1)


class _Scan:
    """State of one scan: the tokens, ``today``, the fiscal year start and what was found."""

    def __init__(self, tk: Tokens, today: date, fys: int) -> None:
        self.tk = tk
        self.today = today
        self.fys = fys
        self.used = bytearray(tk.n)  # 1: part of a time expression; 2: an SLA window (its number stays a quantity)
        self.found: list[TimeExpr] = []

    # --- periods --------------------------------------------------------------------------------
    def cur_fy(self) -> int:
        return fiscal_year_of(self.today, self.fys)

    def fy(self, y: int) -> tuple[date, date]:
        return fiscal_year_bounds(y, self.fys)

    def quarter(self, fy: int, q: int) -> tuple[date, date]:
        return _sub_period(fy, 3, q, self.fys)

    def half(self, fy: int, h: int) -> tuple[date, date]:
        return _sub_period(fy, 6, h, self.fys)

    def nearest(self, make, n: int) -> tuple[date, date]:
        """The fiscal quarter/half ``n`` (built by ``make``) that has not ended yet."""
        cur = self.cur_fy()
        for fy in (cur, cur + 1):
            start, end = make(fy, n)
            if end >= self.today:
                return start, end
        return make(cur + 1, n)

    @staticmethod
    def month(y: int, m: int) -> tuple[date, date]:
        start = date(y, m, 1)
        return start, _add_months(start, 1) - timedelta(days=1)

    def next_month(self, m: int, strictly_after: bool = False) -> tuple[date, date]:
        for y in (self.today.year, self.today.year + 1):
            start, end = self.month(y, m)
            if (start > self.today) if strictly_after else (end >= self.today):
                return start, end
        return self.month(self.today.year + 1, m)

    def season(self, y: int | None, first_month: int) -> tuple[date, date]:
        def make(year: int) -> tuple[date, date]:
            start = date(year, first_month, 1)
            return start, _add_months(start, 3) - timedelta(days=1)

        if y is not None:
            return make(y)
        for year in (self.today.year - 1, self.today.year, self.today.year + 1):
            start, end = make(year)
            if end >= self.today:
                return start, end
        return make(self.today.year + 1)

    def current(self, unit: str, offset: int = 0) -> tuple[date, date] | None:
        """The period of this kind containing today (``offset`` 1: the one after)."""
        t = self.today
        if unit in ("year", "fy"):
            return self.fy(self.cur_fy() + offset)
        if unit in ("quarter", "half"):
            months = 3 if unit == "quarter" else 6
            fy_start = self.fy(self.cur_fy())[0]
            k = ((t.year - fy_start.year) * 12 + t.month - fy_start.month) // months + offset
            start = _add_months(fy_start, months * k)
            return start, _add_months(start, months) - timedelta(days=1)
        if unit == "month":
            start = _add_months(date(t.year, t.month, 1), offset)
            return start, _add_months(start, 1) - timedelta(days=1)
        if unit in ("week", "fortnight"):
            start = t - timedelta(days=t.weekday()) + timedelta(days=7 * offset)
            return start, start + timedelta(days=6)
        if unit == "day":
            d = t + timedelta(days=offset)
            return d, d
        if unit == "decade":
            y = t.year // 10 * 10 + 10 * offset
            return date(y, 1, 1), date(y + 9, 12, 31)
        return None

    def add(self, unit: str, amount: int, n: float) -> date | None:
        """``today`` plus ``n`` units, or ``None`` when that is not a representable date."""
        if n != n or n < 0 or n > 1200:
            return None
        try:
            if unit == "month":
                return _add_months(self.today, round(n * amount))
            if unit == "day":
                return self.today + timedelta(days=round(n * amount))
        except (ValueError, OverflowError):
            return None
        return None

    # --- small token helpers --------------------------------------------------------------------
    def year_at(self, i: int) -> int | None:
        """A four-digit calendar year written at token ``i``."""
        tk = self.tk
        if 0 <= i < tk.n and tk.k[i] == "n" and len(tk.w[i]) == 4 and tk.w[i].isdigit():
            y = int(tk.w[i])
            if 1900 <= y <= 2150:
                return y
        return None

    def short_year_at(self, i: int) -> int | None:
        """A year at ``i`` written with four digits, or two digits (``27`` → 2027)."""
        y = self.year_at(i)
        if y is not None:
            return y
        tk = self.tk
        if 0 <= i < tk.n and tk.k[i] == "n" and _YY.match(tk.w[i]):
            return 2000 + int(tk.w[i])
        return None

    def small_int(self, i: int, lo: int, hi: int) -> int | None:
        tk = self.tk
        if 0 <= i < tk.n and tk.k[i] == "n" and tk.w[i].isdigit() and len(tk.w[i]) <= 2:
            v = int(tk.w[i])
            if lo <= v <= hi:
                return v
        return None

    def count_before(self, i: int) -> tuple[float | None, int]:
        """A count written just before token ``i`` (``90``, ``two``, ``twenty-five``, ``a``): (value, first index)."""
        tk = self.tk
        j = i - 1
        if j < 0:
            return None, i
        w = tk.w[j]
        if tk.k[j] == "n":
            try:
                return float(w.replace(",", "")), j
            except ValueError:
                return None, i
        if w in ("a", "an"):
            return 1.0, j
        if tk.t[j] & NUMWORD:
            k = j
            # walk back over a spelled number: "twenty - five", "one hundred and twenty"
            while k - 1 >= 0 and (tk.t[k - 1] & NUMWORD or tk.w[k - 1] in ("-", "and")) and j - k < 6:
                if tk.w[k - 1] == "and" and not (k - 2 >= 0 and tk.t[k - 2] & NUMWORD):
                    break
                k -= 1
            if tk.w[k] in ("-", "and"):
                k += 1
            return spelled_value([x for x in tk.w[k:j + 1] if x in NUMBERS]), k
        return None, i

    def clause_start(self, i: int) -> int:
        tk = self.tk
        j = i - 1
        while j >= 0 and j > i - 30:
            if tk.w[j] in (";", ".", "!", "?") or tk.t[j] & SUBORD:
                return j + 1
            j -= 1
        return max(j, 0)

    def nounish(self, j: int, prep: str) -> bool:
        """True when token ``j`` reads as a noun that a period qualifies ("Q4 *pipeline*")."""
        tk = self.tk
        if j >= tk.n or tk.k[j] != "w" or not tk.s[j] - tk.e[j - 1] <= 1:
            return False
        t = tk.t[j]
        if t & (FUNC | PREP | REL | UNIT | MONTH | SUBORD) or tk.w[j] in _PERIOD_SUFFIX or tk.w[j] in _AUX or \
                tk.w[j] in _SPAN_NOUNS:
            return False  # "this year *is* to read 50 books" is a clause; "over the 2025-2030 *period*" a window
        if t & VERB and not t & EVENT and tk.w[j][-1:] != "s":
            return False
        return not (prep in ("by", "in", "during", "until", "before", "through", "throughout", "within")
                    and tk.capitalised(j) and not tk.capitalised(j - 1))

    def mark(self, i0: int, i1: int, kind: str, day: date | None = None, why: str = "", used: int = 1) -> int:
        for j in range(max(i0, 0), min(i1, self.tk.n)):
            if not self.used[j]:
                self.used[j] = used
        self.found.append(TimeExpr(max(i0, 0), i1, kind, day, why))
        return i1

    # --- finishing a dated expression -----------------------------------------------------------
    def finish(self, a: int, b: int, start: date, end: date, gran: str) -> int:
        """Decide what the period ``start``-``end`` written at tokens ``a``..``b`` is: a deadline
        (and which day), a comparison base, or part of a name. Return the index after it."""
        tk, w = self.tk, self.tk.word
        j = b
        anchor = ""  # which day of the period: "" (its end, or the day before it for "before"), start, mid …
        # suffixes: "FY27 year-end", "2029/30 academic year", "quarter end"
        if w(j) in ("academic", "financial", "fiscal", "school", "calendar") and w(j + 1) in ("year", "years"):
            j += 2
        if w(j) == "year" and (w(j + 1) in ("end", "-") and w(j + 2) in ("end", "")):
            j += 3 if w(j + 1) == "-" else 2
        elif w(j) == "-" and w(j + 1) in ("end", "close"):
            anchor, j = "end", j + 2
        elif w(j) in ("end", "close") and gran != "day":
            anchor, j = "end", j + 1
        kind, why = DEADLINE, ""
        if w(j) in _BASELINE_WORDS or (w(j) == "'s" or (w(j) == "'" and w(j + 1) == "s")):
            kind, why = COMPARISON, "a comparison base"
            j += 1
        # what comes before: "the end of", "mid-", "early", a preposition
        p = a - 1
        if w(p) == "the":
            p -= 1
        if w(p) == "-" and w(p - 1) in ("mid", "end", "early", "late", "start"):
            anchor, p = w(p - 1), p - 2
        elif w(p) in ("mid", "early", "late", "end", "middle", "close"):
            anchor, p = w(p), p - 1
        elif w(p) == "of" and w(p - 1) in ("end", "close", "start", "beginning", "middle", "half"):
            anchor, p = w(p - 1), p - 2
            if w(p) == "-" and w(p - 1) in ("year", "quarter"):
                p -= 2
            if w(p) == "the":
                p -= 1
        if anchor == "close":
            anchor = "end"
        if anchor == "beginning":
            anchor = "start"
        prep = w(p)
        i0 = p if prep else p + 1
        no_later = prep in ("than", "before") and w(p - 1) == "later" and w(p - 2) in ("no", "not")
        if no_later or (prep == "before" and w(p - 1) == "or" and w(p - 2) == "on"):
            prep, i0 = "by", p - 2
        elif prep in ("of", "to") and w(p - 1) in ("ahead", "prior"):
            prep, i0 = "before", p - 1
        elif prep in ("to", "with") and w(p - 1) in ("compared", "relative", "comparison"):
            prep, i0 = "vs", p - 1
        elif prep == "with" and w(p - 1) == "compared":
            prep = "vs"
        elif prep in ("last", "previous", "prior", "same"):
            kind, why = COMPARISON, "a comparison base"
        if prep not in _TIME_PREPS and prep not in _COMPARE_PREPS and prep not in ("last", "previous", "prior",
                                                                                   "same", "next", "this"):
            i0 = p + 1
            prep = ""
        if kind == DEADLINE:
            if prep == "from" and gran == "year" and start.year == end.year and w(j) not in (
                    "to", "-", "until", "till", "through", "and", "thru"):
                kind, why = COMPARISON, "a starting point, not a deadline"  # "double expenditure from 2019"
            elif prep in ("since", "than", "vs", "versus", "against", "vs.") or (prep == "over" and end < self.today):
                kind, why = COMPARISON, "a comparison base"
            elif prep == "in" and self._after_baseline(p):
                kind, why = COMPARISON, "the date of the baseline"
            elif a >= 1 and tk.t[a - 1] & PLAN:
                kind, why = NAME, "part of a name"
            elif self.nounish(j, prep) and not (gran == "day" and prep in ("by", "before", "until", "on")):
                kind, why = NAME, "a period-qualified name"  # "by the June 1, 2012 assessment window" stays a date
        if kind == NAME:
            return self.mark(a, j, kind, None, why)
        if kind != DEADLINE:
            return self.mark(i0, j, kind, None, why)
        day_before = prep == "before"
        if gran == "day" or anchor == "start" or (not anchor and day_before):
            day = start - timedelta(days=1) if day_before else start
        elif anchor in ("mid", "middle"):
            day = _middle(start, end, gran)
        elif anchor == "early":
            day = _early(start, end, gran)
        else:  # the end of the period: "by 2030", "before the end of FY2027", "late 2027"
            day = end
        return self.mark(i0, j, DEADLINE, day)

    def _after_baseline(self, p: int) -> bool:
        """``in`` at ``p`` follows a baseline value: "from 40% *in* 2023", "(currently 12 in 2025)"."""
        w = self.tk.word
        q = p - 1
        if w(q) in ("%", "percent", "k", "m", "bn", "million") or self.tk.kind(q) == "n":
            for r in range(q - 1, max(q - 5, -1), -1):
                if w(r) in ("from", "currently", "baseline", "was", "vs", "versus", "against", "compared"):
                    return True
        return False

    # --- matchers: each returns the index after what it consumed, or None ------------------------
    def iso(self, i: int) -> int | None:
        y, m, d = (int(x) for x in re.split(r"[-/.]", self.tk.w[i]))
        try:
            day = date(y, m, d)
        except ValueError:
            return None
        return self.finish(i, i + 1, day, day, "day")

    def dmy(self, i: int) -> int | None:
        a, b, c = re.split(r"[/.]", self.tk.w[i])
        y = int(c) + (2000 if len(c) == 2 else 0)
        first, second = int(a), int(b)
        d, m = (second, first) if second > 12 >= first else (first, second)
        try:
            day = date(y, m, d)
        except ValueError:
            return None
        return self.finish(i, i + 1, day, day, "day")

    def month_word(self, i: int, day: int | None = None, i0: int | None = None) -> int | None:
        tk, w = self.tk, self.tk.word
        m = MONTHS[tk.w[i]]
        j = i + 1
        if w(j) == "." and tk.glued(j):
            j += 1
        if day is None:
            d = self.small_int(j, 1, 31)
            if d is not None and self.year_at(j) is None:
                day, j = d, j + 1
                if w(j) in _DAY_SUFFIX and tk.glued(j):
                    j += 1
        if w(j) == ",":
            j += 1 if (self.year_at(j + 1) or w(j + 1) == "'") else 0
        year = self.year_at(j)
        if year is not None:
            j += 1
        elif w(j) in ("next", "this") and w(j + 1) == "year":  # "by September next year"
            year, j = self.today.year + (w(j) == "next"), j + 2
        elif w(j) in ("-", "/") and tk.glued(j) and tk.glued(j + 1) and self.short_year_at(j + 1) is not None and \
                len(w(j + 1)) in (2, 4) and (day is not None or len(w(j + 1)) == 4):
            year, j = self.short_year_at(j + 1), j + 2  # "31-Mar-2027", "31-Mar-27", "Mar-2027"
        elif w(j) == "'" and self.short_year_at(j + 1) is not None and len(w(j + 1)) == 2:
            year, j = self.short_year_at(j + 1), j + 2
        start_i = i if i0 is None else i0
        if day is None and year is None:
            prev = w(start_i - 1)
            if prev == "the" and w(start_i - 2) == "of":
                prev = "of"
            if prev not in _DATE_CONTEXT or (tk.w[i] in ("may", "march") and prev in ("to", "and", "the", "-")):
                return None
        if w(j - 1) == "," and year is None:
            j -= 1
        try:
            if day is not None:
                if year is None:
                    year = self.today.year
                    if date(year, m, day) < self.today:
                        year += 1
                d0 = date(year, m, day)
                return self.finish(start_i, j, d0, d0, "day")
            if year is not None:
                start, end = self.month(year, m)
            else:
                start, end = self.next_month(m, strictly_after=w(start_i - 1) == "next")
                if w(start_i - 1) == "next":
                    start_i -= 1
        except ValueError:
            return None
        return self.finish(start_i, j, start, end, "month")

    def number(self, i: int) -> int | None:
        tk, w = self.tk, self.tk.word
        # day then month: "31 March 2027", "30th of April", "the 4th of July"
        d = self.small_int(i, 1, 31)
        if d is not None:
            j = i + 1
            if w(j) in _DAY_SUFFIX and tk.glued(j):
                j += 1
            if w(j) == "of":
                j += 1
            elif w(j) in ("-", "/") and tk.glued(j) and tk.glued(j + 1) and tk.tag(j + 1) & MONTH:
                j += 1  # "31-Mar-2027", "15/Jun/27"
            if tk.tag(j) & MONTH:
                return self.month_word(j, day=d, i0=i)
        # "4Q27", "2H 2027", "1H27"
        nxt = w(i + 1)
        if tk.glued(i + 1) and nxt[:1] in ("q", "h") and tk.w[i].isdigit() and len(tk.w[i]) == 1:
            rest = nxt[1:]
            which = int(tk.w[i])
            if (rest == "" or (rest.isdigit() and len(rest) in (2, 4))) and (
                    (nxt[0] == "q" and 1 <= which <= 4) or (nxt[0] == "h" and which in (1, 2) and (
                        rest or self.year_at(i + 2) is not None))):  # not "2hrs", "4qtrs"
                j, fy = i + 2, None
                if rest.isdigit() and len(rest) in (2, 4):
                    fy = int(rest) + (2000 if len(rest) == 2 else 0)
                elif not rest:
                    fy, j = self._fy_after(j)
                return self._qh(i, j, nxt[0], which, fy)
        y = self.year_at(i)
        if y is None:
            return None
        colon = _date_label_end(tk, i)
        if colon is not None:  # "2030 target: cut …", "Target 2030: …": a date label on the statement's own line
            return self.mark(0, colon + 1, DEADLINE, date(y, 12, 31))
        if tk.glued(i) and tk.k[i - 1] in ("w", "n"):
            return None
        prev = w(i - 1)
        if i >= 1 and tk.capitalised(i - 1) and tk.k[i - 1] == "w" and len(prev) > 2 and not tk.t[i - 1] & (
                MONTH | SEASON | EVENT | REL | UNIT | FUNC | PREP | VERB | PLAN) and prev not in _HOLIDAYS and \
                not _QHFY.match(prev):
            return self.mark(i - 1, i + 1, NAME, why="part of a name")  # "Project Soar 2025", "Foodbank 2020"
        if prev in ("$", "€", "£", "¥", "₹") or (tk.tag(i - 1) & VERB and not tk.tag(i - 1) & (FUNC | PREP) and not (
                prev in _PERIOD_SUFFIX and w(i - 2) in _TIME_PREPS)):
            return None
        if nxt == "s" and tk.glued(i + 1) and y % 10 == 0:  # "by the 2030s": that decade
            return self.finish(i, i + 2, date(y, 1, 1), date(y + 9, 12, 31), "decade")
        if nxt in ("%", "k", "m", "bn") or (nxt == "s" and tk.glued(i + 1)):
            return None
        j = i + 1
        fiscal = prev in ("fy", "fiscal", "financial") or (prev == "year" and w(i - 2) in ("fiscal", "financial"))
        a = i - 1 if prev in ("fy", "fiscal", "financial") else i
        if prev == "year" and w(i - 2) in ("fiscal", "financial"):
            a = i - 2
        elif prev == "year" and w(i - 2) in ("the", "calendar"):
            a = i - 1
        # "2027-06": a calendar month, as Period.parse reads it (a two-digit month that is not the next year)
        if w(j) == "-" and tk.glued(j) and tk.glued(j + 1) and tk.kind(j + 1) == "n" and len(w(j + 1)) == 2 and \
                w(j + 1).isdigit() and 1 <= int(w(j + 1)) <= 12 and int(w(j + 1)) != (y + 1) % 100 and \
                not tk.glued(j + 2):
            start, end = self.month(y, int(w(j + 1)))
            return self.finish(a, j + 2, start, end, "month")
        # "2026/27", "2026-27", "2026/2027": a fiscal year; "2025-2030", "2025 to 2030": a range
        if w(j) in ("/", "-") and tk.glued(j) and tk.glued(j + 1):
            y2 = self.short_year_at(j + 1)
            if y2 is not None and len(w(j + 1)) in (2, 4):
                if y2 == y + 1 or (len(w(j + 1)) == 2 and y2 % 100 == (y + 1) % 100):
                    m = _QHFY.match(w(j + 2))
                    if m and (m.group(1) or m.group(2)):  # "2027/28 Q2": a quarter of that fiscal year
                        return self._qh(a, j + 3, "q" if m.group(1) else "h", int(m.group(1) or m.group(2)), y + 1)
                    start, end = self.fy(y + 1)
                    return self.finish(a, j + 2, start, end, "year", )
                if len(w(j + 1)) == 4 and y2 > y:
                    start, end = date(y, 1, 1), date(y2, 12, 31)
                    return self.finish(a, j + 2, start, end, "year")
        if w(j) in ("to", "-") and self.year_at(j + 1) and self.year_at(j + 1) > y and not tk.glued(j):
            y2 = self.year_at(j + 1)
            return self.finish(a, j + 2, date(y, 1, 1), date(y2, 12, 31), "year")
        # "2027-Q3", "2027 Q3", "2027 H2"
        k = j + 1 if w(j) == "-" and tk.glued(j) else j
        m = _QHFY.match(w(k))
        if m and (m.group(1) or m.group(2)):
            return self._qh(a, k + 1, "q" if m.group(1) else "h", int(m.group(1) or m.group(2)), y)
        if fiscal:
            start, end = self.fy(y)
            return self.finish(a, j, start, end, "year", )
        return self.finish(a, j, date(y, 1, 1), date(y, 12, 31), "year")

    def _fy_after(self, j: int) -> tuple[int | None, int]:
        """A fiscal-year qualifier at ``j``: "FY27", "2027", "'27", "of 2027", "next year"."""
        tk, w = self.tk, self.tk.word
        k = j
        if w(k) in (",", "of"):
            k += 1
        if w(k) == "the":
            k += 1
        if w(k) in ("-", "/") and tk.glued(k) and tk.glued(k + 1) and self.year_at(k + 1) is not None:
            k += 1  # "Q1-2027", "Q3/2027"
        if w(k) in ("fiscal", "financial") and w(k + 1) == "year":
            k += 2
        elif w(k) in ("fiscal", "financial", "calendar"):
            k += 1
        if w(k) == "'" and tk.kind(k + 1) == "n":
            y = self.short_year_at(k + 1)
            if y is not None and len(w(k + 1)) == 2:
                return y, k + 2
        m = _QHFY.match(w(k))
        if m and m.group(3):
            return int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0), k + 1
        if w(k) == "fy" and self.short_year_at(k + 1) is not None:
            y = self.short_year_at(k + 1)
            if w(k + 2) in ("/", "-") and tk.glued(k + 2) and tk.glued(k + 3) and \
                    self.short_year_at(k + 3) is not None and len(w(k + 3)) in (2, 4):
                return y + 1, k + 4  # "FY 2017-18" is the fiscal year ending in 2018
            return y, k + 2
        y = self.year_at(k)
        if y is not None:
            if w(k + 1) in ("/", "-") and tk.glued(k + 1) and self.short_year_at(k + 2) is not None:
                return y + 1, k + 3
            return y, k + 1
        if (w(k) in ("next", "this") and w(k + 1) in ("year", "fy")) or (
                w(k) in ("next", "this") and w(k + 1) in ("fiscal", "financial") and w(k + 2) == "year"):
            step = 3 if w(k + 1) in ("fiscal", "financial") else 2
            return self.cur_fy() + (1 if w(k) == "next" else 0), k + step
        if w(k) == "'" and self.short_year_at(k + 1) is not None:
            return self.short_year_at(k + 1), k + 2
        return None, j

    def _qh(self, a: int, j: int, which: str, n: int, fy: int | None) -> int:
        try:
            if which == "q":
                start, end = self.quarter(fy, n) if fy is not None else self.nearest(self.quarter, n)
            else:
                start, end = self.half(fy, n) if fy is not None else self.nearest(self.half, n)
        except ValueError:
            return j
        return self.finish(a, j, start, end, "quarter" if which == "q" else "half", )

    def qhfy(self, i: int) -> int | None:
        tk, w = self.tk, self.tk.word
        m = _QHFY.match(tk.w[i])
        if not m:
            return None
        if m.group(4):  # q3fy27
            return self._qh(i, i + 1, "q", int(m.group(4)), int(m.group(5)) + (2000 if len(m.group(5)) == 2 else 0))
        if m.group(6):  # fy27q3
            return self._qh(i, i + 1, "q", int(m.group(7)), int(m.group(6)) + (2000 if len(m.group(6)) == 2 else 0))
        if m.group(1) or m.group(2):
            if tk.glued(i) and tk.k[i - 1] == "w":
                return None
            fy, j = self._fy_after(i + 1)
            return self._qh(i, j, "q" if m.group(1) else "h", int(m.group(1) or m.group(2)), fy)
        # FY, FY27, FY 2027, FY2026/27, FY 25-26
        j = i + 1
        if m.group(3):
            fy = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
            if w(j) in ("/", "-") and tk.glued(j) and self.short_year_at(j + 1) is not None:
                fy, j = self.short_year_at(j + 1), j + 2
        else:
            fy = self.short_year_at(j)
            if fy is not None:
                j += 1
                if w(j) in ("/", "-") and tk.glued(j) and self.short_year_at(j + 1) is not None:
                    fy, j = self.short_year_at(j + 1), j + 2
            elif w(j) == "'" and tk.glued(j) and len(w(j + 1)) == 2 and self.short_year_at(j + 1) is not None:
                fy, j = self.short_year_at(j + 1), j + 2  # "FY'24"
            else:
                fy = self.cur_fy() + (1 if w(i - 1) == "next" else 0)
                if w(i - 1) in ("next", "this", "current"):
                    i -= 1
        k = j + 1 if w(j) == "-" and tk.glued(j) else j
        mq = _QHFY.match(w(k))
        if mq and (mq.group(1) or mq.group(2)):
            return self._qh(i, k + 1, "q" if mq.group(1) else "h", int(mq.group(1) or mq.group(2)), fy)
        try:
            start, end = self.fy(fy)
        except ValueError:
            return j
        return self.finish(i, j, start, end, "year", )

    def season_word(self, i: int) -> int | None:
        tk, w = self.tk, self.tk.word
        first = SEASONS[tk.w[i]]
        j = i + 1
        y = self.year_at(j)
        if y is not None:
            j += 1
        elif w(j) == "of" and self.year_at(j + 1) is not None:  # "by the fall of 2026"
            y, j = self.year_at(j + 1), j + 2
        prev = w(i - 1)
        if prev == "the":
            prev = w(i - 2)
        if y is None and prev not in ("by", "in", "before", "until", "till", "this", "next", "during", "over",
                                      "through", "mid", "early", "late", "-", "of", "end", "after", "since"):
            return None
        if w(i - 1) in ("this", "next"):
            i -= 1
        try:
            start, end = self.season(y, first)
        except ValueError:
            return None
        if prev == "next" and y is None and start <= self.today:
            start, end = self.season(start.year + 1, first)
        return self.finish(i, j, start, end, "season")

    def ordinal_period(self, i: int) -> int | None:
        """"the third quarter (of 2027)", "second half of next year", "4th quarter"."""
        tk, w = self.tk, self.tk.word
        n = ORDINALS.get(w(i - 1))
        unit = tk.w[i]
        if n is None or (unit == "half" and n > 2):
            return None
        if w(i - 1) == "last" and w(i + 1) != "of":
            return None
        end = i + 2 if unit == "half" and w(i + 1) == "-" and w(i + 2) == "year" else i
        fy, j = self._fy_after(end + 1)  # "of 2027", "2027", "of next year", or nothing: the nearest
        if w(i - 2) == "-" and tk.glued(i - 1):
            return None  # "mid-second quarter"
        return self._qh(i - 1, j, "q" if unit in ("quarter", "quarters") else "h", n, fy)

    def unit_word(self, i: int) -> int | None:
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        unit, amount = UNITS[word]
        nxt = w(i + 1)
        if word in ("year", "month", "week") and w(i - 1) == "next" and w(i - 2) == "time" and w(i - 3) == "this":
            months = {"year": 12, "month": 1}.get(word)  # "this time next year": a year from today
            day = self.add("month", months, 1) if months else self.today + timedelta(days=7)
            return self.mark(i - 3, i + 1, DEADLINE, day)
        if nxt == "ahead" and w(i - 1) == "the" and w(i - 2) in ("in", "over", "during", "within", "for") and \
                word in ("year", "month", "week", "quarter"):  # "in the year ahead": the coming one, from today
            day = self.add("month", {"year": 12, "quarter": 3, "month": 1}[word], 1) if word != "week" else \
                self.today + timedelta(days=7)
            return self.mark(i - 2, i + 2, DEADLINE, day)
        if word == "year" and w(i - 1) == "-" and w(i - 2) == "mid" and tk.glued(i) and tk.glued(i - 1) and \
                self.year_at(i + 1) is None:
            return self.mark(i - 2, i + 1, DEADLINE, self.nearest(self.half, 1)[1])  # "by mid-year": the next one
        # "by week 12 (of the programme)": relative to an event; "the year 2030", "year 2": the number decides
        if nxt in ("one", "two", "three", "four", "five") and word in ("week", "month", "year") and w(i - 1) in (
                "by", "before", "until", "in", "during"):
            return self.mark(i - 1, i + 2, EVENT_KIND, why="an event")  # "in year one"
        ordinal_year = tk.tag(i - 1) & ORDINAL and word == "quarter" and self.year_at(i + 1) is not None
        if tk.kind(i + 1) == "n" and not (w(i + 2) in ("%", "percent") or tk.glued(i + 1)) and not ordinal_year:
            if (w(i - 1) in ("by", "before", "until", "in", "at", "during") or (
                    w(i - 1) == "of" and w(i - 2) in ("end", "close"))) and \
                    word in ("week", "day", "month", "year") and self.year_at(i + 1) is None:
                j = i + 2
                if w(j) == "of":
                    j = min(tk.n, j + (3 if w(j + 1) == "the" else 2))
                return self.mark(i - 1, j, EVENT_KIND, why="an event")
            return None
        if tk.tag(i - 1) & ORDINAL and word in ("quarter", "quarters"):
            j = self.ordinal_period(i)
            if j is not None:
                return j
        # "year over year", "year-on-year", "month over month", "quarter on quarter"
        if nxt in ("over", "on", "-") and word in ("year", "month", "quarter", "week"):
            if nxt == "-" and w(i + 2) in ("over", "on") and w(i + 3) == "-" and w(i + 4) == word:
                return self.mark(i, i + 5, COMPARISON, why="a comparison base")
            if nxt in ("over", "on") and w(i + 2) == word:
                return self.mark(i, i + 3, COMPARISON, why="a comparison base")
        # "year end", "year-end", "quarter end", "month-end"
        if word in ("year", "quarter", "month") and (nxt in ("end", "close") or (nxt == "-" and w(i + 2) == "end")):
            j = i + 2 if nxt != "-" else i + 3
            y = self.year_at(j) if word == "year" else None
            if y is not None and w(i - 1) not in ("of", "from", "after"):  # "by year-end 2027": that year's end
                return self.mark(self._lead(i), j + 1, DEADLINE, self.fy(y)[1])
            if self.nounish(j, "") and w(j) not in ("of",):
                return self.mark(self._lead(i), j, NAME, why="a period-qualified name")
            a = self._lead(i)
            if w(a) in ("of", "from", "after") or w(i - 1) == "of":
                return self.mark(a, j, SLA, why="a per-period window")
            per = self.current("fy" if word == "year" else word, 1 if w(i - 1) == "next" else 0)
            return self.mark(a, j, DEADLINE, per[1] if per else None)
        # walk back over modifiers and a count
        p = i - 1
        mods: set[str] = set()
        while p >= 0 and tk.w[p] in _WINDOW_MODS | {"academic", "financial", "fiscal", "school"}:
            mods.add(tk.w[p])
            p -= 1
        glued_count = tk.glued(p + 1) and w(p) == "-"
        if glued_count:
            p -= 1
        count, c0 = self.count_before(p + 1)
        if count is not None:
            p = c0 - 1
            if (w(p) in ("to", "or") and not tk.glued(p + 1)) or (w(p) == "-" and tk.glued(p) and tk.glued(p + 1)):
                # "in the next three to five years", "within 2-3 years": the far end
                low, c1 = self.count_before(p)
                if low is not None and low < count:
                    p = c1 - 1
        rel = ""
        if w(p) in ("next", "coming", "following", "first", "this", "current", "last", "previous", "prior", "same",
                    "each", "every", "per", "a", "an", "past", "remaining", "rest"):
            rel = w(p)
            p -= 1
            if rel in ("a", "an") and count is None:
                count = 1.0
        if w(p) == "the" and rel not in ("a", "an"):
            p -= 1
        prep = w(p)
        if unit == "hour" and word in ("second",) and count is None:
            return None
        # ages: "16-18 year olds", "children aged 5 years and under" describe a population
        if count is not None and (nxt in ("old", "olds") or w(c0 - 1) in ("aged", "age", "ages") or (
                nxt in ("and", "or") and w(i + 2) in ("over", "older", "above", "under", "younger"))):
            a = c0 - 2 if w(c0 - 1) in ("-", "to") and tk.k[c0 - 2] == "n" else c0
            return self.mark(a, i + 2, DURATION, why="an age that defines the population")
        # "in the first six months of 2027": counted from the year's start
        if rel == "first" and count is not None and nxt == "of" and word in ("months", "weeks", "quarters", "days") \
                and self.year_at(i + 2) is not None and count == int(count):
            start = date(self.year_at(i + 2), 1, 1)
            end = (_add_months(start, int(count) * amount) if unit == "month" else
                   start + timedelta(days=int(count) * amount)) - timedelta(days=1)
            return self.mark(p if prep in _TIME_PREPS else p + 1, i + 3, DEADLINE, end)
        # "the first week of March 2027"
        if rel in ("first", "second", "third", "fourth", "last") and word == "week" and nxt == "of" and \
                tk.tag(i + 2) & MONTH:
            before = len(self.found)
            j = self.month_word(i + 2)
            if j and len(self.found) > before and self.found[-1].kind == DEADLINE and self.found[-1].day:
                f = self.found[-1]
                end = f.day
                nth = ORDINALS.get(rel, 4)
                f.day = end if rel == "last" else min(end, end.replace(day=1) + timedelta(days=7 * nth - 1))
                f.i0 = p if prep in _TIME_PREPS else p + 1
                for k in range(f.i0, i + 2):
                    self.used[k] = 1
                return j
        # --- academic and school years are events (no fixed dates in a goalbook)
        if word in ("year", "years") and mods & {"academic", "school"}:
            a = p if prep in _EVENT_PREPS or prep in ("this", "next", "in", "of") else p + 1
            if prep == "of" and w(p - 1) in ("start", "end", "beginning"):
                a = self._lead(p - 1)
            return self.mark(a, i + 1, EVENT_KIND, why="an event")
        # --- "for 12 consecutive months", "a 10-day boot camp", "two-year-olds"
        if count is not None and ("consecutive" in mods or "straight" in mods):
            return self.mark(c0, i + 1, DURATION, why="a duration that is part of the metric")
        if glued_count:
            if count is None:
                return None  # "first-year", "multi-year": a compound adjective
            j = i + 3 if nxt == "-" and tk.glued(i + 1) else i + 1
            if w(j) in ("period", "window", "timeframe", "time-frame") and w(c0 - 1) in ("a", "the") and \
                    w(c0 - 2) in ("over", "within", "in", "during"):
                return self.mark(c0 - 2, j + 1, DEADLINE, self.add(unit, amount, count))  # "over a six-month period"
            return self.mark(c0, j, DURATION, why="a duration that describes the deliverable")
        # --- rates and recurring windows
        if not rel and w(i - 1) in ("a", "an") and c0 == i - 1 and i >= 2 and (tk.k[i - 2] == "w" or w(i - 2) == ")") \
                and w(i - 2) not in _WINDOW_PREPS and w(i - 2) not in ("by", "than", "of", "in", "half", "quarter",
                                                                       "third", "with", "for", "over", "once"):
            return self.mark(i - 1, i + 1, RATE_KIND, why="a rate")  # "4 blog posts a week", "4 days a week"
        if rel in ("per", "a", "an") and prep not in _WINDOW_PREPS and prep not in ("by", "than", "of", "in"):
            if rel in ("a", "an") and (p < 0 or tk.k[p] == "n" or prep in ("half", "quarter", "third", "with")):
                return None  # "a year" opening the statement, "2 a year" read with its number, "by a quarter"
            return self.mark(p + 1, i + 1, RATE_KIND, why="a rate")
        if w(i - 1) == "/" and tk.glued(i):
            return self.mark(i - 1, i + 1, RATE_KIND, why="a rate")
        if rel in ("each", "every"):
            j = i + 1
            if count is not None and count >= 2:
                day = self.add(unit, amount, count)
            else:
                per = self.current("fy" if word in ("year", "years") else _unit_name(word))
                day = per[1] if per else None
            return self.mark(p + 1, j, RECURRING, day)
        if rel in ("last", "previous", "prior", "same", "past") and count is None:
            return self.mark(p + 1, i + 1, COMPARISON, why="a comparison base")
        if rel in ("this", "current") and count is None:
            if "calendar" in mods and word == "year":
                return self.finish(p + 1, i + 1, date(self.today.year, 1, 1), date(self.today.year, 12, 31), "year")
            per = self.current("fy" if word in ("year", "years") else _unit_name(word))
            if per is None:
                return None
            return self.finish(p + 1, i + 1, per[0], per[1], _unit_name(word))
        if rel in ("next", "following", "coming") and count is None and word in ("year", "quarter", "month",
                                                                                  "week", "decade"):
            if rel == "coming" and word == "year":
                day = self.add(unit, amount, 1)
                return self.mark(p if prep in _WINDOW_PREPS or prep == "by" else p + 1, i + 1, DEADLINE, day)
            per = self.current("fy" if word == "year" else word, 1)
            if per is None:
                return None
            if prep in _WINDOW_PREPS and prep != "in" and not mods & {"financial", "fiscal", "calendar"} and (
                    word in ("year", "decade") or rel != "next"):
                day = self.add(unit, amount, 1)
                return self.mark(p, i + 1, DEADLINE, day)
            if "calendar" in mods and word == "year":
                y = self.today.year + 1
                return self.finish(p + 1, i + 1, date(y, 1, 1), date(y, 12, 31), "year")
            return self.finish(p + 1, i + 1, per[0], per[1], word)
        # --- "throughout the year", "during the quarter": the current period
        if count is None and not rel and prep in ("throughout", "during", "over", "across", "for", "within") and \
                w(i - 1) == "the" and word in ("year", "quarter", "month", "week"):
            if w(p - 1) in ("times", "once", "twice"):
                return self.mark(p, i + 1, RATE_KIND, why="a rate")  # "3 times during the week": a frequency
            per = self.current("fy" if word == "year" else word)
            if per is not None:
                return self.mark(p, i + 1, DEADLINE, per[1])
        # --- "end of the year", "by the end of the decade", "end of quarter"
        if count is None and not rel and prep == "of" and w(p - 1) in ("end", "close", "start", "beginning"):
            per = self.current("fy" if word == "year" else _unit_name(word))
            if per is None or word.endswith("s"):
                return None
            return self.finish(p + 1, i + 1, per[0], per[1], _unit_name(word))
        if count is None and rel in ("next", "following", "coming", "first", "remaining"):
            count = 1.0
        if count is None:
            return None
        # --- a window of N units
        after = w(i + 1)
        j = i + 1
        from_now = (after == "from" and w(i + 2) == "now") or (after in ("'", "'s") and w(i + 2) == "time") or \
            after == "time"
        if from_now:
            j = i + 3 if after != "time" else i + 2
        is_window = prep in _WINDOW_PREPS or rel in ("next", "following", "coming", "remaining") or from_now
        if not is_window:
            if not word.endswith("s") and self.nounish(i + 1, "") and not rel:
                a = c0 - 2 if w(c0 - 1) in ("-", "to") and tk.kind(c0 - 2) == "n" else c0
                # "a 3-5 year lease": the deliverable's length
                return self.mark(a, i + 1, DURATION, why="a duration that describes the deliverable")
            return None
        a = p if prep in _WINDOW_PREPS else p + 1
        if prep == "under" or (prep == "in" and w(p + 1) in ("under", "less")):
            return None
        # service levels: "within 4 hours", "within 5 business days of signing", "pay invoices within 30 days"
        if unit == "hour" or mods & _BIZ:
            return self.mark(a, j, SLA, why="a service-level window, part of the metric", used=2)
        if after in ("of", "from", "after", "following", "since", "upon") and not from_now:
            k, end = i + 2, min(i + 7, tk.n)
            while k < end and tk.w[k] not in (",", ";", ".") and not tk.t[k] & (UNIT | MONTH):
                if tk.w[k] in ONE_OFF_EVENTS or (tk.w[k] == "go" and w(k + 2) == "live"):
                    return self.mark(a, k + 1, EVENT_KIND, why="an event")
                if tk.w[k] == "this" and k > i + 2:  # "within one year of signing this document": one signing
                    return self.mark(a, min(k + 2, tk.n), EVENT_KIND, why="an event")
                k += 1
            return self.mark(a, j, SLA, why="a window that is part of the metric", used=2)
        if rel == "first" and word in ("year", "years", "quarter", "quarters") and prep in ("in", "during", "within",
                                                                                           "by", "over"):
            return self.mark(a, j, EVENT_KIND, why="an event")  # "in the first year" (of the plan)
        if rel in ("first",) or w(p) in ("their", "his", "her", "its"):
            return self.mark(a, j, SLA, why="a per-person window", used=2)
        if not rel and prep in ("within", "in", "inside") and self._sla_context(p):
            return self.mark(a, j, SLA, why="a service-level window, part of the metric", used=2)
        day = self.add(unit, amount, count)
        if day is None:
            return self.mark(a, j, DURATION, why="a window too long to be a date")
        return self.mark(a, j, DEADLINE, day)

    def _lead(self, i: int) -> int:
        """Start of a period phrase ending at ``i``: back over "the", "by the end of", "this"."""
        w = self.tk.word
        p = i - 1
        if w(p) in ("this", "next", "the", "current"):
            p -= 1
        if w(p) == "of" and w(p - 1) in ("end", "close"):
            p -= 2
            if w(p) == "the":
                p -= 1
        if w(p) in _TIME_PREPS:
            return p
        return p + 1

    def holiday(self, i: int) -> int | None:
        """Christmas, New Year's Eve, Halloween, Valentine's Day, Black Friday, Thanksgiving, Easter:
        the next one on or after today (or the one in the year written after it)."""
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        a, j = i, i + 1
        if word == "eve":
            word, a = ("christmas eve" if w(i - 1) == "christmas" else "new year's eve"), i - 1
            if w(a) == "year's" and w(a - 1) == "new":
                a -= 1
        elif word == "friday":
            word, a = "black friday", i - 1
        elif word == "christmas" and w(j) == "eve":
            return None
        if w(j) in ("day",):
            j += 1
        year = self.year_at(j)
        if year is not None:
            j += 1
        prev = w(a - 1)
        if year is None and prev not in ("by", "before", "until", "till", "at", "for", "over", "during", "of", "after"):
            return None
        make = _HOLIDAYS[word]
        if year is not None:
            day = make(year)
        else:
            day = make(self.today.year)
            if day < self.today:
                day = make(self.today.year + 1)
        return self.finish(a, j, day, day, "day")

    def _sla_context(self, p: int) -> bool:
        """True when the clause before ``p`` handles items one by one ("pay invoices", "resolve")."""
        tk = self.tk
        c = self.clause_start(p)
        verbs = items = False
        for k in range(c, p):
            if tk.w[k] in SLA_VERBS:
                return True
            t = tk.t[k]
            verbs = verbs or bool(t & HANDLE)
            items = items or bool(t & ITEM)
        return verbs and items

    def event_word(self, i: int, head: int | None = None) -> int | None:
        """"before launch", "by the mid-terms", "at the next inspection", "over this Parliament"."""
        tk, w = self.tk, self.tk.word
        j = i + 1
        if tk.w[i] in ("life", "lifetime") and w(j) == "of":
            j = min(tk.n, j + 4 if w(j + 1) == "the" else j + 3)
        elif tk.w[i] in ("life", "lifetime"):
            return None
        if w(j) == "'" and w(j + 1) in ("week", "day"):
            j += 2
        elif w(j) in ("week", "day", "season", "meeting", "review", "survey", "date", "deadline"):
            j += 1
        p, steps = (i if head is None else head) - 1, 0
        while p >= 0 and steps < 6:
            word, t = tk.w[p], tk.t[p]
            if word in _EVENT_PREPS:
                break
            if word in ("this", "next"):
                if w(p - 1) == "the" and w(p - 2) in _EVENT_PREPS:
                    p -= 2
                    break
                if w(p - 1) in _EVENT_PREPS or w(p - 1) in ("in", "during"):
                    p -= 1
                    break
                return self.mark(p, j, EVENT_KIND, why="an event") if word == "this" else None
            if self.used[p] == 1 and any(f.kind == NAME and f.i0 <= p < f.i1 for f in self.found[-3:]):
                p -= 1
                steps += 1
                continue
            if word in _DAY_SUFFIX and tk.glued(p) and tk.kind(p - 1) == "n" and tk.w[p - 1].isdigit():
                p -= 2  # an ordinal: "by our *10th* anniversary", "before the 3rd inspection"
                steps += 1
                continue
            if word in (",", ";", ".", "(", ")") or tk.k[p] in ("n", "D", "d") or (t & VERB and (
                    not t & (EVENT | FUNC) or word.endswith("ing")) and word not in ("end", "start", "year", "-")):
                return None
            if self.used[p] == 1 and not any(f.kind == NAME and f.i0 <= p < f.i1 for f in self.found[-3:]):
                return None
            p -= 1
            steps += 1
        else:
            return None
        if p < 0:
            return None
        prep = tk.w[p]
        if tk.w[i].endswith("ing") and p == i - 1 and prep == "by":
            return None  # "by launching a programme" says how, not when
        if prep in ("for",) and not (w(p - 1) == "time" and w(p - 2) == "in"):
            return None
        if prep in ("ahead", "prior") and w(p + 1) not in ("of", "to"):
            return None
        if prep in ("after", "following"):
            return None
        if prep in ("over", "during") and w(p + 1) not in ("this", "the", "next"):
            return None
        return self.mark(p - 2 if prep == "for" else p, j, EVENT_KIND, why="an event")


_TIME_PREPS = frozenset({"by", "in", "during", "until", "till", "before", "through", "throughout", "within", "over",
                         "for", "from", "to", "between", "and", "on", "at", "after", "since", "across", "than",
                         "vs", "versus", "against", "of", "into", "around", "starting", "beginning",
                         "ending", "due", "thru"})


def _thanksgiving(y: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    return date(y, 11, 1) + relativedelta(weekday=TH(4))


_HOLIDAYS = {
    "christmas": lambda y: date(y, 12, 25), "xmas": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's eve": lambda y: date(y, 12, 31),
    "halloween": lambda y: date(y, 10, 31), "thanksgiving": _thanksgiving,
    "black friday": lambda y: _thanksgiving(y) + timedelta(days=1), "easter": easter,
}


def _unit_name(word: str) -> str:
    unit, amount = UNITS.get(word, ("", 0))
    if unit == "month":
        return {1: "month", 3: "quarter", 12: "year", 120: "decade"}.get(amount, "month")
    if unit == "day":
        return {1: "day", 7: "week", 14: "fortnight"}.get(amount, "day")
    return unit


def _middle(start: date, end: date, gran: str) -> date:
    if gran == "month":
        return start.replace(day=15)
    if gran in ("year", "half", "quarter", "season", "decade"):
        return _add_months(start, max(1, ((end.year - start.year) * 12 + end.month - start.month + 1) // 2)) - \
            timedelta(days=1)
    return start + (end - start) // 2


def _early(start: date, end: date, gran: str) -> date:
    if gran == "month":
        return start.replace(day=10)
    if gran == "year":
        return _add_months(start, 3) - timedelta(days=1)
    return start + (end - start) // 3


def scan_times(tk: Tokens, today: date, fiscal_year_start: int = 1) -> tuple[list[TimeExpr], bytearray]:
    """Every time expression in ``tk`` and, per token, whether a time expression used it
    (1: consumed; 2: an SLA window whose number is still a quantity of the metric)."""
    sc = _Scan(tk, today, fiscal_year_start)
    w, k, t = tk.w, tk.k, tk.t
    trig = _TRIGGERS.get
    pos = 0
    for i in [i for i, x in enumerate(w) if trig(x, True)]:  # tokens that may start a time expression
        if i < pos or sc.used[i]:
            continue
        kind, tag, word = k[i], t[i], w[i]
        if kind in "wp":
            known = _TRIGGERS.get(word)
            if known is None:
                known = _TRIGGERS[word] = _time_trigger(word, tag)
            if not known:
                continue
        j: int | None = None
        try:
            if kind == "D":
                j = sc.iso(i)
            elif kind == "d":
                j = sc.dmy(i)
            elif kind == "n":
                j = sc.number(i)
            elif kind == "w":
                if tag & MONTH:
                    j = sc.month_word(i)
                elif word[0] in "qhf" and _QHFY.match(word):
                    j = sc.qhfy(i)
                elif tag & UNIT:
                    j = sc.unit_word(i)
                elif word == "half" and i > 0 and t[i - 1] & ORDINAL:
                    j = sc.ordinal_period(i)
                elif word == "half" and i > 0 and w[i - 1] in ("this", "current", "next"):
                    per = sc.current("half", 1 if w[i - 1] == "next" else 0)
                    j = sc.finish(i - 1, i + 1, per[0], per[1], "half") if per else None
                elif tag & SEASON:
                    j = sc.season_word(i)
                    if j is None and sc.nounish(i + 1, "") and w[i - 1] in ("the", "our", "a", "this", "next"):
                        sc.mark(i, i + 1, NAME, why="a period-qualified name")
                if j is None and (tag & (EVENT | RATE) or word in _SPECIAL_WORDS):
                    j = _words_only(sc, i, word, tag)
        except (ValueError, OverflowError):
            j = None
        pos = j if j and j > i else i + 1
    return sc.found, sc.used


_LABEL_WORDS = frozenset({"target", "targets", "goal", "goals", "objective", "objectives", "aim", "aims", "ambition",
                          "commitment", "commitments", "milestone", "deadline", "due", "kpi", "kr", "okr", "by", "in"})


def _date_label_end(tk: Tokens, i: int) -> int | None:
    """Index of the colon closing a label prefix that holds the year at ``i`` ("2030 target:",
    "Target 2030:", "By 2030:"), when every other word of the prefix is a label word."""
    for k in range(i + 1, min(tk.n, 4)):
        if tk.w[k] == ":":
            words = [tk.w[m] for m in range(k) if m != i]
            return k if words and all(x in _LABEL_WORDS for x in words) else None
        if tk.w[k] not in _LABEL_WORDS:
            return None
    return None


#: per word or symbol: can it start a time expression? (numbers are never stored: every one can)
#: The scan visits only those tokens, so a statement's other words cost one dict look-up each.
_TRIGGERS: dict[str, bool] = {}


def _time_trigger(word: str, tag: int) -> bool:
    """True when the word token ``word`` may start a time expression in :func:`scan_times`."""
    if len(_TRIGGERS) > 200_000:
        _TRIGGERS.clear()
    return bool(tag & (MONTH | UNIT | SEASON | EVENT | RATE)) or (word[0] in "qhf" and _QHFY.match(word) is not None) \
        or word == "half" or word in _SPECIAL_WORDS


#: work cycles of no fixed length: "by the end of every sprint" is a recurring deadline with no date
_CYCLES = frozenset({"sprint", "iteration", "release", "cycle", "term", "semester", "season", "shift", "increment"})
_SPECIAL_WORDS = _CYCLES | frozenset({"yoy", "qoq", "mom", "wow", "like", "eoy", "ye", "eoq", "eom", "eofy", "time",
                                     "live",
                            "terms", "eve", "friday", "before", "christmas", "xmas", "halloween", "thanksgiving",
                            "easter", "active", "period"})


#: a period named by these is another one, compared with: "over the same period"
_NOT_OWN_PERIOD = frozenset({"same", "comparable", "equivalent", "previous", "prior", "last", "corresponding"})


def _end_of_the(w, i: int) -> bool:
    """"the end of the (reporting | plan | current …) <i>" or "within the current <i>": a span named
    by what it belongs to, due when it closes."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if w(k) == "the" and ((w(k - 1) == "of" and w(k - 2) in ("end", "close", "start")) or
                              w(k - 1) in ("within", "during", "over", "throughout", "by")):
            return True
        if w(k) in (",", ";", ".", "of"):
            return False
    return False


def _words_only(sc: _Scan, i: int, word: str, tag: int) -> int | None:
    """Time words that are not periods: events, rates, comparison shorthands, ``on time``."""
    tk, w = sc.tk, sc.tk.word
    if word in ("yoy", "qoq", "mom", "wow") or (word == "like" and w(i + 1) == "-" and w(i + 2) == "for"):
        return sc.mark(i, i + 1, COMPARISON, why="a comparison base")
    if word in ("eoy", "ye", "eoq", "eom", "eofy") and (w(i - 1) in ("by", "at", "before", "until", "(") or i == 0):
        unit = {"eoy": "fy", "ye": "fy", "eofy": "fy", "eoq": "quarter", "eom": "month"}[word]
        y = sc.year_at(i + 1) if unit == "fy" else None
        if y is not None:  # "by EOY 2027", "EOFY 2028": the end of that (fiscal) year
            return sc.mark(i - 1 if i and w(i - 1) != "(" else i, i + 2, DEADLINE, sc.fy(y)[1])
        per = sc.current(unit)
        return sc.mark(i - 1 if i and w(i - 1) != "(" else i, i + 1, DEADLINE, per[1] if per else None)
    if word in _CYCLES and w(i - 1) in ("every", "each") and (
            w(i - 2) in ("by", "at", "before", "in", "within") or (w(i - 2) == "of" and w(i - 3) in ("end", "close"))):
        return sc.mark(i - 1, i + 1, EVENT_KIND, why="a recurring event")  # "by the end of every sprint"
    if tag & RATE:
        if not tk.glued(i) or w(i - 1) != "-":
            return sc.mark(i, i + 1, RATE_KIND, why="a rate")
        return None
    if word == "active" and w(i - 1) in ("weekly", "daily", "monthly"):
        return None
    if word == "time" and w(i - 1) == "on":
        sc.found.append(TimeExpr(i - 1, i + 1, RATE_KIND, None, "no date"))
        return i + 1
    if word == "live" and w(i - 1) == "-" and w(i - 2) == "go":
        return sc.event_word(i, i - 2)
    if word == "terms" and w(i - 1) == "-" and w(i - 2) == "mid":
        return sc.event_word(i, i - 2)
    if word in _HOLIDAYS or (word == "eve" and w(i - 1) in ("christmas", "year's")) or (
            word == "friday" and w(i - 1) == "black"):
        j = sc.holiday(i)
        if j is not None:
            return j
    if tag & EVENT:
        return sc.event_word(i)
    if word == "time" and w(i - 1) == "the" and w(i - 2) == "by" and tk.kind(i + 1) == "w" and \
            not tk.tag(i + 1) & PREP:
        return sc.mark(i - 2, min(tk.n, i + 4), EVENT_KIND, why="an event")  # "by the time the building opens"
    if word in ("period", "sprint") and w(i - 1) not in _NOT_OWN_PERIOD and _end_of_the(w, i):
        return sc.mark(i - 1, i + 1, EVENT_KIND, why="an event")  # "by the end of the plan period"
    if word == "before" and w(i + 1) in _PRONOUNS and w(i + 1) != "the" and w(i + 2)[-1:] in ("s", "h", "n", "e"):
        return sc.mark(i, i + 3, EVENT_KIND, why="an event")
    return None


def pick_deadline(found: list[TimeExpr]) -> TimeExpr | None:
    """The expression that bounds the statement: the latest dated deadline (or recurring window),
    else the first event."""
    best: TimeExpr | None = None
    event: TimeExpr | None = None
    for f in found:
        if f.kind in (DEADLINE, RECURRING) and f.day is not None:
            if best is None or f.day > best.day or (f.day == best.day and f.kind == DEADLINE):
                best = f
        elif f.kind == EVENT_KIND and event is None:
            event = f
    return best or event


def parse_deadline(value: object, today: date, fiscal_year_start: int = 1) -> tuple[date | None, str]:
    """A structured ``deadline`` field: a date, a datetime, an ISO string, a period name
    (``2027-Q1``, ``FY2027``) or a phrase (``by end of Q3``). Returns (day, message); day is
    ``None`` with a message saying why when it cannot be read."""
    if value is None:
        return None, ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value, ""
    if not isinstance(value, str):
        return None, f"deadline {value!r} is not a date"
    text = value.strip()
    try:
        if len(text) >= 10 and text[4:5] == "-":
            return date.fromisoformat(text[:10]), ""
        return Period.parse(text, fiscal_year_start).end, ""
    except ValueError:
        pass  # not an ISO date or a period name: read it as a phrase
    tk = Tokens(text[:1000])
    found, _ = scan_times(tk, today, fiscal_year_start)
    best = pick_deadline(found)
    if best is not None and best.day is not None:
        return best.day, ""
    return None, f"deadline '{text[:60]}' is not a date or period"
