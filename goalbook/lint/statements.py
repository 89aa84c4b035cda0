"""Per-statement findings: each SMART criterion that fails or warns becomes one finding.

The verdicts are :func:`goalbook.smart.check_smart`'s, asked with what
:func:`goalbook.smart.in_book.check_arguments` passes for a goal in a book (the editors ask the
same, so both show one verdict per goal); this module turns each report into findings:

====================  =======  ============================================================
criterion             code     severity
====================  =======  ============================================================
specific              GB101    fail: error, warn: warning
measurable            GB102    fail: error, warn: warning
achievable            GB103    fail: error, warn: warning; a warn with no history to judge
                               pace from is ``info`` in a book and left out for plain text;
                               once a goal's deadline has come, only its numbers are judged
relevant              GB104    as above; not judged for plain text (it has no links)
time_bound            GB105    fail: error, warn: warning
owner                 GB205    warn: warning (the set-level "missing owner" code, which in a
                               book reports it once, reading this report for an owner named
                               in the words)
====================  =======  ============================================================
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from goalbook.lint.context import BookIndex, text_of
from goalbook.lint.findings import Finding, mend_quotes, quote
from goalbook.model import KeyResult, Objective, SmartGoal

CRITERIA = (("specific", "GB101", "specific"), ("measurable", "GB102", "measurable"),
            ("achievable", "GB103", "achievable"), ("relevant", "GB104", "relevant"),
            ("time_bound", "GB105", "time-bound"), ("owner", "GB205", "owned"))
CODES = frozenset(code for _, code, _ in CRITERIA)
_SEVERITY = {"fail": "error", "warn": "warning"}


def smart_checker() -> Callable[..., Any]:
    """``goalbook.smart.check_smart``, imported on first use (the lexicon is built at import)."""
    from goalbook.smart import check_smart

    return check_smart


QUOTE_AT_MOST = 100  # a plain statement longer than this is named by its line, not quoted


def statement_name(text: str) -> str:
    """How a plain statement is named in a finding: quoted whole when short, else "this statement"
    (the finding's file and line say which): never a quote cut short."""
    text = " ".join((text or "").split())
    return quote(text) if len(text) <= QUOTE_AT_MOST else "this statement"


def report_findings(report: Any, *, who: str, codes: set[str], entity: str | None = None,
                    field: str | None = None, has_history: bool = False, plain: bool = False,
                    judge_pace: bool = True, text: str | None = None) -> Iterator[Finding]:
    """One finding per failing or doubtful criterion of a SMART report.

    ``judge_pace`` false (a goal whose deadline has come) leaves out an achievable verdict unless
    it is about impossible numbers: one about pace, missing history or the deadline itself has
    nothing left to judge.
    """
    for criterion, code, words in CRITERIA:
        if code not in codes:
            continue
        verdict = getattr(report, criterion, None)
        status = getattr(verdict, "status", "pass")
        if status not in _SEVERITY:
            continue
        severity = _SEVERITY[status]
        if criterion == "achievable" and not judge_pace and getattr(verdict, "cause", "") != "numbers":
            continue
        if criterion == "achievable" and status == "warn" and not has_history:
            if plain:
                continue  # nothing to judge pace from, and plain text cannot carry any
            severity = "info"
        if criterion == "relevant" and plain:
            continue
        reason = mend_quotes((getattr(verdict, "reason", "") or "").strip(), text)
        if criterion == "owner":
            said = f"{who} names no owner"
            reason = "" if reason.startswith("no owner") else reason
        elif severity == "info":
            said = f"{who} cannot be judged {words} yet"
        else:
            said = f"{who} is {'not' if status == 'fail' else 'perhaps not'} {words}"
        yield Finding(code, severity, f"{said}: {reason}" if reason else said,
                      mend_quotes((getattr(verdict, "suggestion", "") or "").strip(), text), entity, field)


# --- goals in a book -------------------------------------------------------------------------------------------
def check_smart_in_book(ix: BookIndex, codes: set[str], check: Callable[..., Any] | None = None) -> Iterator[Finding]:
    """Run the SMART check on every goal statement and key result title; keep the reports on ``ix``
    (other rules read what the words say: a baseline, a deadline, an owner).

    Each goal is checked with :func:`goalbook.smart.in_book.check_arguments`, what the editors ask
    too, so a finding here is a verdict the editor shows for the same goal in the same book.
    """
    from goalbook.smart.in_book import check_arguments

    check = check or smart_checker()
    history: dict[str, list[tuple[date, float]]] = {}
    for c in sorted(ix.book.check_ins, key=lambda c: c.date):
        if c.value is not None and c.date <= ix.today:
            history.setdefault(c.target_id, []).append((c.date, c.value))
    known = ix.known_ids if ix.known_ids is not None else ix.goals.keys()  # shared by all goals, not copied
    goals: list[tuple[KeyResult | SmartGoal, Objective | None, str]] = [
        (kr, o, "title") for o in ix.book.objectives for kr in o.key_results]
    goals += [(g, None, "statement") for g in ix.book.smart_goals]
    for g, objective, field in goals:
        args = check_arguments(ix.book, g, ix.today, objective=objective,
                               aligned_to=[lk.target for lk in ix.links_from.get(g.id, ())],
                               history=history.get(g.id, ()), known_ids=known)
        report = check(**args)
        ix.reports[g.id] = report
        # Once the deadline judged has come, whether the goal was met is for the review, not a flaw in
        # how it is set: only impossible numbers are reported as not achievable.
        due = report.deadline or ix.due(g)
        past = args.get("history", ())
        # the owner is the set-level GB205 check's to report (it reads this report for an owner in the words)
        yield from report_findings(report, who=ix.what(g), codes=codes - {"GB205"}, entity=g.id, field=field,
                                   has_history=len({d for d, _ in past}) > 1,
                                   judge_pace=due is None or due > ix.today, text=text_of(g))


# --- plain statements ------------------------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*•–]\s+|\d{1,3}[.)]\s+)")
_CSV_FIELDS = ("owner", "deadline", "metric", "baseline", "target", "unit")


def text_statements(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(line number, statement)`` for each line that holds one: blank lines and ``#`` comments are
    skipped, list bullets (``-``, ``*``, ``1.``) are taken off."""
    for n, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        yield n, _BULLET.sub("", line, count=1).strip()


def csv_statements(lines: Iterable[str], source: str | None) -> Iterator[tuple[int, str, dict[str, Any]] | Finding]:
    """``(line, statement, fields)`` per CSV row with a statement, or a :class:`Finding` for a row (or
    a header) that cannot be read."""
    reader = csv.reader(line.lstrip("\ufeff") if n == 0 else line for n, line in enumerate(lines))
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip().lower() for h in header]
    if "statement" not in names:
        yield Finding("GB001", "error", f"the CSV has no 'statement' column (its columns: {', '.join(header)})",
                      "Name the column that holds the goals 'statement'", None, "statement", source, 1)
        return
    col = {name: names.index(name) for name in ("statement", *_CSV_FIELDS) if name in names}
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Finding("GB001", "error", f"this CSV row cannot be read: {exc}", "Check its quotes", None, None,
                          source, start)
            return
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        text = cells.pop("statement")
        if not text:
            continue
        fields: dict[str, Any] = {}
        bad = False
        for name, value in cells.items():
            if not value:
                continue
            try:
                fields[name] = _csv_value(name, value)
            except ValueError as exc:
                bad = True
                yield Finding("GB001", "error", f"column {name}: {exc}", "", None, name, source, start)
        if not bad:
            yield start, text, fields


def _csv_value(name: str, value: str) -> Any:
    if name == "deadline":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None
    if name in ("baseline", "target"):
        try:
            return float(value.replace(",", "").rstrip("%").strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
    return value
