"""``SmartGoalEditor``: one goal statement plus its structured fields, judged as you type.

The statement is shown back with what :func:`goalbook.smart.check_smart` read in it highlighted
(the metric, baseline, target, deadline ...), beside the verdicts and the goal's findings. A
facilitator moves between goals with the *Goal* drop-down (no code to edit) and links the goal in
its *Supports* field, whose choices :func:`goalbook.linking.suggest_links` ranks and explains.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from goalbook.errors import Problem
from goalbook.linking import LinkSuggestion, link_impact, suggest_links
from goalbook.model import DIRECTIONS, LEVELS, Goalbook, Link, SmartGoal
from goalbook.widgets import _html
from goalbook.widgets._base import (
    FieldReader,
    GoalEditor,
    fmt_number,
    fmt_value,
    put_in_book,
    short,
    style,
    workspace_for,
)
from goalbook.widgets._verdicts import VerdictPanel, fill_from_words, finding_lines, findings_html, goal_report
from goalbook.workspace import Change, Workspace, draft_words, missing_for_plan

ROW_CODES = frozenset({"GB101", "GB102", "GB103", "GB104", "GB105"})  # shown in the verdicts already
SPAN_LABELS = {
    "verb": "the change", "metric": "metric", "baseline": "baseline", "target": "target", "change": "change",
    "deadline": "deadline", "owner": "owner", "placeholder": "placeholder: fill it in", "vague": "vague",
    "not_deadline": "not a deadline",
}
_NARROW = widgets.Layout(width="200px")
NEW = ""  # the goal picker's value for a goal not saved yet
SUGGESTIONS_SHOWN = 3
NOTHING_TYPED = "Nothing typed yet: write the goal above and the SMART checks start as you type."


def report_spans(report: Any) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` for each part the validator found in the statement."""
    spans = getattr(report, "spans", None) or {}
    return [(a, b, SPAN_LABELS.get(name, name.replace("_", " "))) for name, (a, b) in spans.items()]


class SmartGoalEditor(GoalEditor):
    """Edit one SMART goal: its statement, the fields that make it checkable, and what it supports.

    ``goal`` is a :class:`SmartGoal`, an id, or ``None`` for a new one (of ``team``, when given); the
    *Goal* drop-down then moves to any other goal of the book, or to a new one. The *Supports* field
    lists the objectives and key results the goal may serve, ranked by meaning (see
    :func:`goalbook.linking.suggest_links`) with the best three explained; *Save* writes the goal and
    that link together. A goal without an owner, a team or a deadline is saved as a *draft* and said
    to be one (the dashboard lists it under Drafts). Saving goes to ``workspace`` (shared by every
    widget of a notebook, which all redraw after it), or to ``store``, ``path`` or ``book`` in memory.
    ``readonly=True`` shows the statement highlighted, the verdicts and findings, with no input.
    """

    css_class = "goalbook-smart-goal-editor"

    goal_id = traitlets.Unicode(NEW, help="The id of the goal in the editor ('' while a new goal is unsaved)")
    supports = traitlets.Unicode(NEW, help="The objective or key result the goal will support once saved ('': none)")

    def __init__(self, book: Goalbook | None = None, goal: SmartGoal | str | None = None, *, store: Any = None,
                 path: str | os.PathLike | None = None, readonly: bool = False, today: date | None = None,
                 workspace: Workspace | None = None, team: str | None = None) -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.today = today or date.today()
        self.team = team
        self.suggestions: list[LinkSuggestion] = []
        self._loading = False
        self._original = self._open(goal)
        self.is_new = self._original.id not in self.book
        self.statement_view = widgets.HTML()
        self.statement_view.add_class("goalbook-statement")
        self.verdicts = VerdictPanel()
        self.findings = widgets.HTML()
        self.findings.add_class("goalbook-findings")
        g = self._original
        if self.readonly:
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
                style(), widgets.HBox([self.goal_input, self.id_input, self.id_label]), self.statement_input,
                widgets.HBox([self.statement_view, self.fill_button]),
                widgets.HBox([self.team_input, self.owner_input, self.level_input]),
                widgets.HBox([self.metric_input, self.unit_input, self.direction_input]),
                widgets.HBox([self.baseline_input, self.target_input, self.deadline_input]),
                widgets.HBox([self.period_input, self.budget_input]),
                self.serves_box, self.verdicts, self.findings, widgets.HBox([self.save_button]), self.message_area,
            ]
            self._show_id()
        self.goal_id = NEW if self.is_new else g.id
        self.refresh()

    # --- opening ---
    def _open(self, goal: SmartGoal | str | None) -> SmartGoal:
        return self._open_goal(goal, kind=SmartGoal, noun="SMART goal", prefix="G",
                               new=lambda id: SmartGoal(id, "", team=self.team))

    def _build_inputs(self, g: SmartGoal) -> None:
        self.goal_input = widgets.Dropdown(options=self._goal_options(), value=NEW if self.is_new else g.id,
                                           description="Goal", layout=widgets.Layout(width="min(100%, 520px)"))
        self.goal_input.add_class("goalbook-goal-picker")
        self.goal_input.observe(self._picked, names="value")
        self.id_input = widgets.Text(g.id, description="Id", layout=_NARROW)
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
        self.serves_input = widgets.Dropdown(options=[("(not linked yet)", NEW)], value=NEW, description="Supports",
                                             layout=widgets.Layout(width="min(100%, 720px)"))
        self.serves_input.add_class("goalbook-supports")
        self.serves_input.observe(self._serves_changed, names="value")
        self.serves_now = widgets.HTML()
        self.serves_now.add_class("goalbook-current-links")
        self.serves_why = widgets.HTML()
        self.serves_why.add_class("goalbook-suggestions")
        self.serves_box = widgets.VBox([self.serves_input, self.serves_now, self.serves_why])
        self.serves_box.add_class("goalbook-serves")
        self.save_button = widgets.Button(description="Save", button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save())
        self.fill_button = widgets.Button(description="Fill from words", icon="magic",
                                          tooltip="Copy what the validator read in the statement into the empty fields")
        self.fill_button.on_click(lambda _b: self.fill_from_words())
        for w in self.inputs:
            w.observe(self.refresh, names="value")

    def _goal_options(self) -> list[tuple[str, str]]:
        """``(label, id)`` for the goal picker: a new goal, then every SMART goal (the team's first)."""
        goals = sorted(self.book.smart_goals, key=lambda g: g.team != self.team) if self.team else \
            list(self.book.smart_goals)
        new = f"(new goal{' of ' + self.team if self.team else ''})"
        return [(new, NEW), *((f"{g.id} · {g.team or 'no team'} · {short(g.statement)}", g.id) for g in goals)]

    def _show_id(self) -> None:
        """A new goal's id can be typed; a saved goal's id is shown as a label."""
        self.id_input.layout.display = None if self.is_new else "none"
        self.id_label.layout.display = "none" if self.is_new else None
        self.id_label.value = self._original.id

    @property
    def inputs(self) -> list[widgets.Widget]:
        """The widgets a user types into or picks from (none when read-only)."""
        if self.readonly:
            return []
        return [self.id_input, self.statement_input, self.team_input, self.owner_input, self.level_input,
                self.metric_input, self.unit_input, self.direction_input, self.baseline_input, self.target_input,
                self.deadline_input, self.period_input, self.budget_input]

    # --- moving between goals ---
    def edit(self, goal: SmartGoal | str | None) -> None:
        """Show ``goal`` (an id, a goal, ``None`` for a new one) in the editor, as picking it does."""
        if self.readonly:
            raise ValueError("a read-only editor shows one goal: build another to show another")
        self._original = self._open(goal)
        self.is_new = self._original.id not in self.book
        g = self._original
        self._loading = True
        try:
            with self.hold_sync():
                for w, v in ((self.id_input, g.id), (self.statement_input, g.statement), (self.team_input, g.team),
                             (self.owner_input, g.owner), (self.metric_input, g.metric), (self.unit_input, g.unit),
                             (self.baseline_input, fmt_number(g.baseline)), (self.target_input, fmt_number(g.target)),
                             (self.deadline_input, g.deadline.isoformat() if g.deadline else ""),
                             (self.period_input, g.period.name if g.period else ""),
                             (self.budget_input, fmt_number(g.budget))):
                    w.value = v or ""
                self.level_input.value = g.level if g.level in LEVELS else "team"
                self.direction_input.value = g.direction if g.direction in DIRECTIONS else ""
                if self.goal_input.value != (NEW if self.is_new else g.id):
                    self.goal_input.value = NEW if self.is_new else g.id
                self.goal_id = NEW if self.is_new else g.id
                self._show_id()
        finally:
            self._loading = False
        self.say("")
        self.refresh()

    def _picked(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.edit(change["new"] or None)

    def follow(self, change: Change) -> None:
        """After any write on the workspace: the picker lists the goals as they are now, and the
        links, suggestions and verdicts are worked out again (what is typed stays as typed)."""
        if not self.readonly:
            self._loading = True
            try:
                keep = self.goal_input.value
                options = self._goal_options()
                self.goal_input.options = options
                self.goal_input.value = keep if keep in {v for _, v in options} else NEW
            finally:
                self._loading = False
        self.refresh()

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

    @property
    def pristine(self) -> bool:
        """True for a new goal nothing has been typed into yet (its checks are not shown as failures)."""
        return not self.readonly and self.is_new and not self.statement_input.value.strip()

    def _linked_now(self, gid: str) -> list[str]:
        return [lk.target for lk in self.book.links_from(gid)]

    # --- live checks ---
    def refresh(self, _change: Any = None) -> None:
        """Re-check the statement, the suggestions of what it supports and the goal's findings against the inputs."""
        from goalbook.lint import lint_book

        if self._loading:
            return
        goal, r = self._build()
        book = replace(self.book, smart_goals=list(self.book.smart_goals))
        put_in_book(book, goal)
        linked = self._linked_now(self._original.id)
        if not self.readonly:
            self._refresh_supports(book, goal.id, linked)
        chosen = [self.supports] if self.supports and self.supports not in linked else []
        report = goal_report(book, goal, self.today, aligned_to=[*linked, *chosen])
        self.report = report
        self.statement_view.value = (_html.muted("Read as:") + " " + _html.highlight(report.text, report_spans(report))
                                     if goal.statement else "")
        if self.pristine:
            self.verdicts.show(None)
            self.verdicts.understood.value = _html.muted(NOTHING_TYPED)
            self.finding_list = []
            self.findings.value = ""
            return
        self.verdicts.show(report)
        found = [f for f in lint_book(book, today=self.today) if f.entity == goal.id and f.code not in ROW_CODES]
        problems = [p for p in r.problems if not (p.field == "statement" and any(f.code == "GB001" for f in found))]
        self.finding_list = finding_lines(problems, found)
        self.findings.value = findings_html(problems, found, "No other findings on this goal.")

    def _refresh_supports(self, book: Goalbook, gid: str, linked: list[str]) -> None:
        """The *Supports* choices for the goal as typed, best first, and why the best three are suggested."""
        ranked = suggest_links(book, gid) if self.statement_input.value.strip() or self.metric_input.value.strip() \
            else []
        self.suggestions = ranked
        keep = self.serves_input.value
        options = [("(not linked yet)" if not linked else "(keep the links it has)", NEW)]
        options += [(f"{s.target} — {short(s.title)} ({'linked' if s.linked else f'match {s.score:.2f}'})", s.target)
                    for s in ranked]
        ids = {v for _, v in options}
        self._loading = True
        try:
            self.serves_input.options = options
            self.serves_input.value = keep if keep in ids else NEW
        finally:
            self._loading = False
        self.supports = self.serves_input.value
        if linked:
            self.serves_now.value = _html.muted("Supports now: ") + _html.esc(", ".join(linked))
        else:
            self.serves_now.value = _html.muted("Supports nothing yet: an orphan until it is linked.")
        best = [s for s in ranked if s.score > 0][:SUGGESTIONS_SHOWN]
        if not best:
            self.serves_why.value = (_html.muted("Write the statement and metric to see what it could support.")
                                     if not ranked else _html.muted("Nothing reads close to this goal yet."))
            return
        rows = [[_html.element("span", _html.esc(s.target), css="goalbook-nowrap"),  # an id never wraps at its "-"
                 _html.esc(short(s.title)), _html.esc(f"{s.score:.2f}"),
                 _html.esc("; ".join(s.reasons))] for s in best]
        self.serves_why.value = _html.muted("Closest by meaning:") + _html.table(
            ["supports", "title", "match", "why"], rows, css="goalbook-table goalbook-suggestion-table")

    def _serves_changed(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.supports = change["new"] or NEW
        self.refresh()

    # --- saving ---
    def save(self) -> SmartGoal | None:
        """Save the goal and the link its *Supports* field names; on failure say why and keep every input
        as typed. Fields left empty that the words state (a deadline written "by 2027-03-31", the
        numbers) are filled from the words first, and the message says so. A goal without owner,
        team or deadline is saved as a draft, and said to be one. Returns the goal, or ``None``."""
        filled: list[str] = []
        if not self.readonly:
            self._loading = True  # one check after filling, not one per field
            try:
                filled = fill_from_words(self.report, {
                    "metric": self.metric_input, "unit": self.unit_input, "baseline": self.baseline_input,
                    "target": self.target_input, "deadline": self.deadline_input})
            finally:
                self._loading = False
        goal, r = self._build()
        problems = list(r.problems)
        if self.is_new and goal.id in self.book:
            problems.append(Problem(f"id '{goal.id}' is already used in this goalbook — choose another",
                                    entity=goal.id, field="id"))
        links = []
        target = self.serves_input.value if not self.readonly else NEW
        if target and target not in self._linked_now(goal.id):
            link = Link(goal.id, target, "contributes", 1.0)
            book = replace(self.book, smart_goals=list(self.book.smart_goals))
            put_in_book(book, goal)
            impact = link_impact(book, link, today=self.today)
            if not impact.ok:
                problems += [Problem(p, entity=goal.id, field="supports") for p in impact.describe()]
            links.append(link)
        if not self._write(goal, problems, links=links):
            return None
        missing = missing_for_plan(goal)
        notes = [f"Filled {', '.join(filled)} from the words."] if filled else []
        notes += [f"It now supports {', '.join(lk.target for lk in links)}."] if links else []
        if missing:
            notes.append(f"Saved as a draft ({draft_words(missing)}): it is listed under Drafts until they are "
                         "filled in.")
        if notes:
            self.say(self.message + " " + " ".join(notes), "warning" if missing else "success")
        self.goal_id = goal.id
        self._loading = True
        try:
            self.goal_input.value = goal.id
        finally:
            self._loading = False
        return self._saved(goal)  # type: ignore[return-value]

    def _saved(self, goal: Any) -> Any:
        """A saved goal is no longer new: its id shows as a label, and the link just made is kept, not offered."""
        self._original = goal
        self.is_new = False
        self._show_id()
        self._loading = True
        try:
            self.serves_input.value = NEW
        finally:
            self._loading = False
        self.supports = NEW
        self.refresh()
        self._fire("save", goal)
        return goal
