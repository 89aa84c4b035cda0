"""The SMART verdict panel both editors show under a statement: one row per criterion with its
verdict, reason and suggestion, and a line saying what the validator understood.

The verdicts are :func:`goalbook.smart.check_smart`'s; the panel only lays them out. Everything
that came from the user's text (reasons quote it) goes through :mod:`goalbook.widgets._html`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets

from goalbook.errors import Problem
from goalbook.model import Goalbook, KeyResult, Objective, SmartGoal
from goalbook.widgets import _html
from goalbook.widgets._base import fmt_number, fmt_value

CRITERIA = (
    ("specific", "Specific"),
    ("measurable", "Measurable"),
    ("achievable", "Achievable"),
    ("relevant", "Relevant"),
    ("time_bound", "Time-bound"),
    ("owner", "Owner"),
)


def words_fill(report: Any) -> dict[str, Any]:
    """What the words say that a structured field could take: ``metric``, ``unit``, ``baseline``,
    ``target``, ``deadline`` (only a deadline written in the words) and ``direction`` (when it is one
    a key result can have)."""
    if report is None:
        return {}
    out = {k: getattr(report, k, None) for k in ("metric", "unit", "baseline", "target")}
    out["deadline"] = report.deadline if getattr(report, "deadline_text", None) else None
    direction = getattr(report, "direction", None)
    out["direction"] = direction if direction in ("increase", "decrease", "maintain") else None
    return {k: v for k, v in out.items() if v is not None}


def fill_from_words(report: Any, inputs: dict[str, widgets.Widget]) -> list[str]:
    """Copy what the words say into the given inputs (field name -> widget); returns the names filled.

    Text fields are filled only when empty, so nothing typed is overwritten; the direction
    dropdown takes the direction the words give.
    """
    found = words_fill(report)
    filled = []
    for name, w in inputs.items():
        if name not in found:
            continue
        value = found[name]
        if name == "direction":
            if w.value != value:
                w.value = value
                filled.append(name)
        elif not str(w.value).strip():
            w.value = value.isoformat() if isinstance(value, date) else fmt_number(value) if isinstance(
                value, int | float) else str(value)
            filled.append(name)
    return filled


def understood(report: Any) -> list[tuple[str, str]]:
    """What the validator read from the words and fields, as ``(label, value)`` pairs of plain text."""
    if report is None:
        return []
    unit = getattr(report, "unit", None)
    deadline = getattr(report, "deadline", None)
    written = getattr(report, "deadline_text", None)
    if deadline is not None:
        when = deadline.isoformat() + (f" (“{written}”)" if written and deadline.isoformat() not in written else "")
    else:
        when = f"“{written}” (an event, no date)" if written else "—"
    return [
        ("baseline", fmt_value(getattr(report, "baseline", None), unit)),
        ("target", fmt_value(getattr(report, "target", None), unit)),
        ("direction", getattr(report, "direction", None) or "—"),
        ("deadline", when),
    ]


class VerdictPanel(widgets.VBox):
    """The SMART verdicts of one statement; call :meth:`show` with a new report as the user types."""

    def __init__(self, report: Any = None, **kwargs: Any) -> None:
        self.table = widgets.HTML()
        self.understood = widgets.HTML()
        super().__init__([self.understood, self.table], **kwargs)
        self.add_class("goalbook-verdicts")
        self.report: Any = None
        self.show(report)

    @property
    def verdicts(self) -> dict[str, str]:
        """``criterion -> pass | warn | fail`` as shown (empty before the first report)."""
        if self.report is None:
            return {}
        return {name: getattr(getattr(self.report, name, None), "status", "pass") for name, _ in CRITERIA
                if getattr(self.report, name, None) is not None}

    def show(self, report: Any) -> None:
        """Lay out ``report`` (a :class:`~goalbook.smart.SmartReport`, or ``None`` to clear)."""
        self.report = report
        if report is None:
            self.table.value = ""
            self.understood.value = ""
            return
        rows = []
        for name, label in CRITERIA:
            verdict = getattr(report, name, None)
            if verdict is None:
                continue
            rows.append([_html.esc(label), _html.tag(verdict.status), _html.esc(verdict.reason),
                         _html.muted(verdict.suggestion) if verdict.status != "pass" else ""])
        self.table.value = _html.table(["criterion", "verdict", "why", "suggestion"], rows,
                                       css="goalbook-table goalbook-verdict-table")
        pairs = understood(report)
        self.understood.value = _html.table(["understood", *(k for k, _ in pairs)],
                                            [[_html.muted("from the words and fields"),
                                              *(_html.esc(v) for _, v in pairs)]],
                                            css="goalbook-table goalbook-understood")


# --- asking the validator -----------------------------------------------------------------------
# goalbook.smart.check_goal decides what the check is given for a goal in a book, and
# ``goalbook lint`` asks it too, so the editor's verdicts and the linter's findings always agree.


def key_result_report(book: Goalbook, objective: Objective, kr: KeyResult, today: date) -> Any:
    """The SMART report of a key result being edited in ``objective`` (which may not be saved yet)."""
    from goalbook.smart import check_goal

    return check_goal(book, kr, today, objective=objective)


def goal_report(book: Goalbook, goal: SmartGoal, today: date, aligned_to: list[str] | None = None) -> Any:
    """The SMART report of a goal being edited, aligned to ``aligned_to`` (default: its links in ``book``)."""
    from goalbook.smart import check_goal

    return check_goal(book, goal, today, aligned_to=aligned_to)


_FINDING_TAGS = {"error": "fail", "warning": "warn", "info": "unknown"}


def finding_lines(problems: list[Problem], findings: list[Any]) -> list[str]:
    """Plain-text lines of what cannot be read and what the linter found, in the order shown."""
    return [p.message for p in problems] + [f"{f.code} {f.message}" for f in findings]


def findings_html(problems: list[Problem], findings: list[Any], empty: str) -> str:
    """Fields that cannot be read (``problems``) and lint findings, as one table; ``empty`` when there are none."""
    rows = [[_html.tag("fail", "cannot read"), _html.esc(p.message), ""] for p in problems]
    rows += [[_html.tag(_FINDING_TAGS.get(f.severity, "unknown"), f"{f.code} {f.severity}"), _html.esc(f.message),
              _html.muted(f.suggestion)] for f in findings]
    if not rows:
        return _html.muted(empty)
    return _html.table(["finding", "what", "suggestion"], rows, css="goalbook-table goalbook-findings-table")
