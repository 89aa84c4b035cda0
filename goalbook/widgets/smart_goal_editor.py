"""``SmartGoalEditor``: one goal statement plus its structured fields, judged as you type.

The statement is shown back with what :func:`goalbook.smart.check_smart` read in it highlighted
(the metric, baseline, target, deadline ...), beside the verdicts and the goal's findings.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

import ipywidgets as widgets

from goalbook.errors import Problem
from goalbook.model import DIRECTIONS, LEVELS, Goalbook, SmartGoal
from goalbook.widgets import _html
from goalbook.widgets._base import (
    FieldReader,
    GoalEditor,
    fmt_number,
    fmt_value,
    load_book,
    put_in_book,
    style,
)
from goalbook.widgets._verdicts import VerdictPanel, fill_from_words, finding_lines, findings_html, goal_report

ROW_CODES = frozenset({"GB101", "GB102", "GB103", "GB104", "GB105"})  # shown in the verdicts already
SPAN_LABELS = {
    "verb": "the change", "metric": "metric", "baseline": "baseline", "target": "target", "change": "change",
    "deadline": "deadline", "owner": "owner", "placeholder": "placeholder: fill it in", "vague": "vague",
    "not_deadline": "not a deadline",
}
_NARROW = widgets.Layout(width="200px")


def report_spans(report: Any) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` for each part the validator found in the statement."""
    spans = getattr(report, "spans", None) or {}
    return [(a, b, SPAN_LABELS.get(name, name.replace("_", " "))) for name, (a, b) in spans.items()]


class SmartGoalEditor(GoalEditor):
    """Edit one SMART goal: its statement and the fields that make it checkable.

    ``goal`` is a :class:`SmartGoal`, an id to open from ``store`` or ``book``, or ``None`` for a
    new one. Saving works as in :class:`~goalbook.widgets.ObjectiveEditor`. ``readonly=True``
    shows the statement highlighted, the verdicts and findings, with no input or button.
    """

    css_class = "goalbook-smart-goal-editor"

    def __init__(self, book: Goalbook | None = None, goal: SmartGoal | str | None = None, *, store: Any = None,
                 path: str | os.PathLike | None = None, readonly: bool = False, today: date | None = None) -> None:
        super().__init__(readonly=readonly)
        self.book = load_book(book, store)
        self.today = today or date.today()
        self._original = self._open(goal, store, path)
        self.is_new = self._original.id not in self.book
        self.statement_view = widgets.HTML()
        self.statement_view.add_class("goalbook-statement")
        self.verdicts = VerdictPanel()
        self.findings = widgets.HTML()
        self.findings.add_class("goalbook-findings")
        g = self._original
        if readonly:
            self.header = widgets.Label(g.id)
            self.header.add_class("goalbook-id")
            details = [g.team or "", g.owner or "no owner", g.period.name if g.period else ""]
            self.details = widgets.Label(" · ".join(d for d in details if d))
            self.fields_view = widgets.HTML(_html.table(
                ["metric", "baseline", "target", "deadline", "budget", "serves"],
                [[_html.esc(g.metric or "—"), _html.esc(fmt_value(g.baseline, g.unit)),
                  _html.esc(fmt_value(g.target, g.unit)), _html.esc(g.deadline or "—"),
                  _html.esc(fmt_value(g.budget)), _html.esc(", ".join(lk.target for lk in self.book.links_from(g.id))
                                                             or "nothing yet")]], css="goalbook-table"))
            self.children = [style(), self.header, self.details, self.statement_view, self.fields_view,
                             self.verdicts, self.findings]
        else:
            self._build_inputs(g)
            self.children = [
                style(), self.id_input if self.is_new else self.id_label, self.statement_input,
                widgets.HBox([self.statement_view, self.fill_button]),
                widgets.HBox([self.team_input, self.owner_input, self.level_input]),
                widgets.HBox([self.metric_input, self.unit_input, self.direction_input]),
                widgets.HBox([self.baseline_input, self.target_input, self.deadline_input]),
                widgets.HBox([self.period_input, self.budget_input]),
                self.verdicts, self.findings, widgets.HBox([self.save_button]), self.message_area,
            ]
        self.refresh()

    # --- opening ---
    def _open(self, goal: SmartGoal | str | None, store: Any, path: Any) -> SmartGoal:
        return self._open_goal(goal, store, path, kind=SmartGoal, noun="SMART goal", prefix="G",
                               new=lambda id: SmartGoal(id, ""))

    def _build_inputs(self, g: SmartGoal) -> None:
        self.id_input = widgets.Text(g.id, description="Id")
        self.id_label = widgets.Label(g.id)
        self.id_label.add_class("goalbook-id")
        self.statement_input = widgets.Textarea(
            g.statement, description="Statement", layout=widgets.Layout(width="min(100%, 720px)", height="4em"),
            placeholder="Cut booking steps from 7 to 3 at all 14 clinics by 2027-02-28")
        self.team_input = widgets.Text(g.team or "", description="Team", layout=_NARROW)
        self.owner_input = widgets.Text(g.owner or "", description="Owner", layout=_NARROW)
        self.level_input = widgets.Dropdown(options=LEVELS, value=g.level if g.level in LEVELS else "team",
                                            description="Level", layout=_NARROW)
        self.metric_input = widgets.Text(g.metric or "", description="Metric", placeholder="booking steps")
        self.unit_input = widgets.Text(g.unit or "", description="Unit", layout=_NARROW)
        self.direction_input = widgets.Dropdown(options=[("(from the numbers)", ""), *((d, d) for d in DIRECTIONS)],
                                                value=g.direction if g.direction in DIRECTIONS else "",
                                                description="Direction", layout=widgets.Layout(width="260px"))
        self.baseline_input = widgets.Text(fmt_number(g.baseline), description="Baseline", layout=_NARROW)
        self.target_input = widgets.Text(fmt_number(g.target), description="Target", layout=_NARROW)
        self.deadline_input = widgets.Text(g.deadline.isoformat() if g.deadline else "", description="Deadline",
                                           placeholder="YYYY-MM-DD", layout=widgets.Layout(width="240px"))
        self.period_input = widgets.Text(g.period.name if g.period else "", description="Period",
                                         placeholder="2027-Q1", layout=_NARROW)
        self.budget_input = widgets.Text(fmt_number(g.budget), description="Budget", layout=_NARROW)
        self.save_button = widgets.Button(description="Save", button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save())
        self.fill_button = widgets.Button(description="Fill from words", icon="magic",
                                          tooltip="Copy what the validator read in the statement into the empty fields")
        self.fill_button.on_click(lambda _b: self.fill_from_words())
        for w in self.inputs:
            w.observe(self.refresh, names="value")

    @property
    def inputs(self) -> list[widgets.Widget]:
        """The widgets a user types into or picks from (none when read-only)."""
        if self.readonly:
            return []
        return [self.id_input, self.statement_input, self.team_input, self.owner_input, self.level_input,
                self.metric_input, self.unit_input, self.direction_input, self.baseline_input, self.target_input,
                self.deadline_input, self.period_input, self.budget_input]

    def fill_from_words(self) -> list[str]:
        """Copy what the validator read in the statement into the fields left empty; returns the names filled."""
        if self.readonly:
            return []
        filled = fill_from_words(self.report, {
            "metric": self.metric_input, "unit": self.unit_input, "direction": self.direction_input,
            "baseline": self.baseline_input, "target": self.target_input, "deadline": self.deadline_input})
        self.say(f"Filled {', '.join(filled)} from the words." if filled
                 else "The words give nothing for the empty fields.", "info")
        return filled

    # --- building the goal ---
    def _build(self) -> tuple[SmartGoal, FieldReader]:
        """The goal the inputs describe, reading leniently: unreadable fields are left out and listed."""
        if self.readonly:
            return self._original, FieldReader(self._original.id, "goal")
        gid = (self.id_input.value.strip() if self.is_new else self._original.id) or self._original.id
        r = FieldReader(gid, "goal")
        goal = replace(
            self._original, id=gid,
            statement=r.required(self.statement_input.value, "statement"),
            team=r.text(self.team_input.value), owner=r.text(self.owner_input.value), level=self.level_input.value,
            metric=r.text(self.metric_input.value), unit=r.text(self.unit_input.value),
            direction=self.direction_input.value or None,
            baseline=r.number(self.baseline_input.value, "baseline"),
            target=r.number(self.target_input.value, "target"),
            deadline=r.day(self.deadline_input.value, "deadline"),
            period=r.period(self.period_input.value, "period", int(self.book.fiscal_year_start or 1)),
            budget=r.number(self.budget_input.value, "budget"),
        )
        return goal, r

    @property
    def goal(self) -> SmartGoal:
        """The goal as typed; ``ValidationError`` naming every field that cannot be read."""
        return self._as_typed("goal")  # type: ignore[return-value]

    # --- live checks ---
    def refresh(self, _change: Any = None) -> None:
        """Re-check the statement and the goal's findings against the inputs."""
        from goalbook.lint import lint_book

        goal, r = self._build()
        book = replace(self.book, smart_goals=list(self.book.smart_goals))
        put_in_book(book, goal)
        report = goal_report(book, goal, self.today, aligned_to=[lk.target for lk in self.book.links_from(
            self._original.id)])
        self.report = report
        self.verdicts.show(report)
        self.statement_view.value = (_html.muted("Read as:") + " " + _html.highlight(report.text, report_spans(report))
                                     if goal.statement else "")
        found = [f for f in lint_book(book, today=self.today) if f.entity == goal.id and f.code not in ROW_CODES]
        self.finding_list = finding_lines(r.problems, found)
        self.findings.value = findings_html(r.problems, found, "No other findings on this goal.")

    # --- saving ---
    def save(self) -> SmartGoal | None:
        """Save the goal; on failure say why and keep every input as typed. Returns it, or ``None``."""
        goal, r = self._build()
        problems = list(r.problems)
        if self.is_new and goal.id in self.book:
            problems.append(Problem(f"id '{goal.id}' is already used in this goalbook — choose another",
                                    entity=goal.id, field="id"))
        if not self._write(goal, problems):
            return None
        return self._saved(goal)  # type: ignore[return-value]
