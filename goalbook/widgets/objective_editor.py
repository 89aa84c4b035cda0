"""``ObjectiveEditor``: draft an objective and its 2–5 key results with SMART verdicts as you type.

Each key-result row shows :func:`goalbook.smart.check_smart`'s verdicts and what it understood;
the objective's findings from :func:`goalbook.lint.lint_book` show beneath. Saving goes through
:class:`~goalbook.widgets._base.Destination`: a refused save (a conflict, a rule broken) is said in
words and leaves every input as it was.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

import ipywidgets as widgets

from goalbook.errors import Problem
from goalbook.model import DIRECTIONS, INDICATORS, LEVELS, Goalbook, KeyResult, Objective
from goalbook.widgets import _html
from goalbook.widgets._base import (
    FieldReader,
    GoalEditor,
    fmt_number,
    fmt_value,
    put_in_book,
    style,
    workspace_for,
)
from goalbook.widgets._verdicts import (
    VerdictPanel,
    fill_from_words,
    finding_lines,
    findings_html,
    key_result_report,
)
from goalbook.widgets.kpi_picker import KPIPicker
from goalbook.workspace import Workspace, draft_words, missing_for_plan

MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5
ROW_CODES = frozenset({"GB101", "GB102", "GB103", "GB104", "GB105"})  # shown in the rows' verdicts already
_NARROW = widgets.Layout(width="170px")
_WIDE = widgets.Layout(width="min(100%, 720px)")


class KeyResultRow(widgets.VBox):
    """One key result in the editor: its fields, move and remove buttons, and its SMART verdicts."""

    def __init__(self, kr: KeyResult | None, *, readonly: bool = False) -> None:
        super().__init__()
        self.add_class("goalbook-key-result-row")
        self.original = kr  # the key result as loaded: fields the row does not edit are kept from it
        self.readonly = readonly
        self.verdicts = VerdictPanel()
        kr = kr or KeyResult("", "")
        self.id_label = widgets.Label(kr.id or "new key result")
        self.id_label.add_class("goalbook-id")
        if readonly:
            set_by_hand = "—" if kr.score_override is None else f"{kr.score_override:g}: {kr.score_reason or ''}"
            self.summary = widgets.HTML(_html.table(
                ["metric", "direction", "baseline", "target", "deadline", "owner", "indicator", "score set by hand"],
                [[_html.esc(kr.metric or "—"), _html.esc(kr.direction), _html.esc(fmt_value(kr.baseline, kr.unit)),
                  _html.esc(fmt_value(kr.target, kr.unit)), _html.esc(kr.deadline or "—"),
                  _html.esc(kr.owner or "—"), _html.esc(kr.indicator or "—"), _html.esc(set_by_hand)]],
                css="goalbook-table"))
            self.title_label = widgets.Label(kr.title)
            self.children = [widgets.HBox([self.id_label, self.title_label]), self.summary, self.verdicts]
            return
        self.title_input = widgets.Text(kr.title, description="Key result", layout=_WIDE,
                                        placeholder="Raise online bookings from 38% to 60% by 2027-03-31")
        self.metric_input = widgets.Text(kr.metric or "", description="Metric", placeholder="online booking share")
        self.unit_input = widgets.Text(kr.unit or "", description="Unit", placeholder="%", layout=_NARROW)
        self.direction_input = widgets.Dropdown(options=DIRECTIONS, value=kr.direction if kr.direction in DIRECTIONS
                                                else "increase", description="Direction",
                                                layout=widgets.Layout(width="220px"))
        self.baseline_input = widgets.Text(fmt_number(kr.baseline), description="Baseline", layout=_NARROW)
        self.target_input = widgets.Text(fmt_number(kr.target), description="Target", layout=_NARROW)
        self.deadline_input = widgets.Text(kr.deadline.isoformat() if kr.deadline else "", description="Deadline",
                                           placeholder="YYYY-MM-DD", layout=widgets.Layout(width="240px"))
        self.owner_input = widgets.Text(kr.owner or "", description="Owner", layout=widgets.Layout(width="260px"))
        self.indicator_input = widgets.Dropdown(options=[("—", ""), *((i, i) for i in INDICATORS)],
                                                value=kr.indicator if kr.indicator in INDICATORS else "",
                                                description="Indicator", layout=_NARROW)
        # the end-of-period score set by hand counts in the objective; it needs its reason (validation says so)
        self.override_input = widgets.Text(fmt_number(kr.score_override), description="Score by hand",
                                           placeholder="0.0-1.0", layout=widgets.Layout(width="220px"),
                                           style={"description_width": "initial"})  # whole, not "Score by ..."
        self.reason_input = widgets.Text(kr.score_reason or "", description="Reason", layout=widgets.Layout(
            width="min(100%, 500px)"), placeholder="why the score is set by hand")
        self.up_button = widgets.Button(description="Up", icon="arrow-up", tooltip="Move this key result up",
                                        layout=widgets.Layout(width="70px"))
        self.down_button = widgets.Button(description="Down", icon="arrow-down", tooltip="Move this key result down",
                                          layout=widgets.Layout(width="80px"))
        self.remove_button = widgets.Button(description="Remove", icon="trash", button_style="danger",
                                            tooltip="Remove this key result", layout=widgets.Layout(width="90px"))
        self.fill_button = widgets.Button(description="Fill from words", icon="magic",
                                          tooltip="Copy what the validator read in the title into the empty fields")
        self.kpi_button = widgets.ToggleButton(description="KPI library", icon="book",
                                               tooltip="Pick the metric from goalbook's KPI library")
        self.kpi_picker: KPIPicker | None = None  # built when first opened
        self.kpi_button.observe(self._toggle_kpi_picker, "value")
        self.children = [
            widgets.HBox([self.id_label, self.up_button, self.down_button, self.remove_button, self.fill_button,
                          self.kpi_button]),
            self.title_input,
            widgets.HBox([self.metric_input, self.unit_input, self.direction_input]),
            widgets.HBox([self.baseline_input, self.target_input, self.deadline_input]),
            widgets.HBox([self.owner_input, self.indicator_input]),
            widgets.HBox([self.override_input, self.reason_input]),
            self.verdicts,
        ]

    def _toggle_kpi_picker(self, change: Any) -> None:
        """Show the KPI library picker under the title (built on first use); its pick fills this row."""
        if self.kpi_picker is None:
            self.kpi_picker = KPIPicker(self.metric_input.value)
            self.kpi_picker.fill(metric=self.metric_input, unit=self.unit_input, direction=self.direction_input,
                                 indicator=self.indicator_input)
            kids = list(self.children)
            self.children = [*kids[:2], self.kpi_picker, *kids[2:]]
        self.kpi_picker.layout.display = None if change["new"] else "none"

    @property
    def inputs(self) -> list[widgets.Widget]:
        """The widgets a user types into or picks from."""
        if self.readonly:
            return []
        return [self.title_input, self.metric_input, self.unit_input, self.direction_input, self.baseline_input,
                self.target_input, self.deadline_input, self.owner_input, self.indicator_input, self.override_input,
                self.reason_input]

    def fill_from_words(self) -> list[str]:
        """Copy what the validator read in the title into the fields left empty; returns the names filled."""
        if self.readonly:
            return []
        return fill_from_words(self.verdicts.report, {
            "metric": self.metric_input, "unit": self.unit_input, "direction": self.direction_input,
            "baseline": self.baseline_input, "target": self.target_input, "deadline": self.deadline_input})

    def read(self, r: FieldReader, kr_id: str, objective_id: str) -> KeyResult:
        """The key result the row holds, keeping what it does not edit from the original."""
        if self.readonly:
            return replace(self.original, objective_id=objective_id)  # type: ignore[arg-type]
        edited = {
            "id": kr_id,
            "title": r.required(self.title_input.value, "title"),
            "metric": r.text(self.metric_input.value),
            "unit": r.text(self.unit_input.value),
            "direction": self.direction_input.value,
            "baseline": r.number(self.baseline_input.value, "baseline"),
            "target": r.number(self.target_input.value, "target"),
            "deadline": r.day(self.deadline_input.value, "deadline"),
            "owner": r.text(self.owner_input.value),
            "indicator": self.indicator_input.value or None,
            "score_override": r.number(self.override_input.value, "score_override"),
            "score_reason": r.text(self.reason_input.value),
            "objective_id": objective_id,
        }
        return replace(self.original, **edited) if self.original is not None else KeyResult(**edited)


class ObjectiveEditor(GoalEditor):
    """Edit one objective (title, level, owner, team, period) and its 2–5 key results.

    ``objective`` is an :class:`Objective`, an id to open from ``store`` or ``book``, or ``None`` for
    a new one at ``level`` (``team`` unless said). Save writes through ``workspace`` (shared by the
    notebook's widgets, which redraw after it), or to ``store`` (with the version read, so a
    concurrent change is refused as a conflict), to the YAML file at ``path``, or to ``book`` in
    memory. A new objective with nothing typed yet shows no verdicts, only what to type; one saved
    without an owner or a period is a draft, and said to be one. ``readonly=True`` shows the
    objective, the verdicts and the findings with no input or button at all.
    """

    css_class = "goalbook-objective-editor"

    def __init__(self, book: Goalbook | None = None, objective: Objective | str | None = None, *,
                 store: Any = None, path: str | os.PathLike | None = None, readonly: bool = False,
                 today: date | None = None, workspace: Workspace | None = None, level: str = "team") -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.today = today or date.today()
        self.level = level
        obj = self._open(objective)
        self.is_new = obj.id not in self.book
        self.findings = widgets.HTML()
        self.findings.add_class("goalbook-findings")
        self.rows: list[KeyResultRow] = []
        self.rows_box = widgets.VBox()
        self.rows_box.add_class("goalbook-key-results")
        self._original = obj
        if readonly:
            self.header = widgets.Label(f"{obj.id} · {obj.title}")
            self.header.add_class("goalbook-title")
            details = [obj.level, obj.owner or "no owner", obj.team or "",
                       obj.period.name if obj.period else "no period"]
            self.details = widgets.Label(" · ".join(d for d in details if d))
            self.description_view = widgets.HTML(_html.muted(obj.description or ""))
            for kr in obj.key_results:
                self.rows.append(KeyResultRow(kr, readonly=True))
            self.children = [style(), self.header, self.details, self.description_view, self.rows_box, self.findings]
        else:
            self._build_inputs(obj)
            for kr in obj.key_results or [None] * MIN_KEY_RESULTS:
                self._add_row(kr, refresh=False)
            self.children = [style(), self.id_input if self.is_new else self.id_label, self.title_input,
                             widgets.HBox([self.level_input, self.owner_input]),
                             widgets.HBox([self.team_input, self.period_input]),
                             self.rows_box, self.add_button, self.findings,
                             widgets.HBox([self.save_button]), self.message_area]
        self._layout_rows()
        self.refresh()

    # --- opening ---
    def _open(self, objective: Objective | str | None) -> Objective:
        return self._open_goal(objective, kind=Objective, noun="objective", prefix="O",
                               new=lambda id: Objective(id, "", level=self.level))

    def _build_inputs(self, obj: Objective) -> None:
        self.id_input = widgets.Text(obj.id, description="Id")
        self.id_label = widgets.Label(obj.id)
        self.id_label.add_class("goalbook-id")
        self.title_input = widgets.Text(obj.title, description="Objective", layout=_WIDE,
                                        placeholder="Make booking a visit effortless for every patient")
        self.level_input = widgets.Dropdown(options=LEVELS, value=obj.level if obj.level in LEVELS else "team",
                                            description="Level")
        self.owner_input = widgets.Text(obj.owner or "", description="Owner")
        self.team_input = widgets.Text(obj.team or "", description="Team")
        self.period_input = widgets.Text(obj.period.name if obj.period else "", description="Period",
                                         placeholder="2027-Q1")
        self.add_button = widgets.Button(description="Add key result", icon="plus")
        self.save_button = widgets.Button(description="Save", button_style="primary", icon="save")
        self.add_button.on_click(lambda _b: self.add_key_result())
        self.save_button.on_click(lambda _b: self.save())
        for w in (self.id_input, self.title_input, self.level_input, self.owner_input, self.team_input,
                  self.period_input):
            w.observe(self._on_objective_change, names="value")

    # --- rows ---
    def _add_row(self, kr: KeyResult | None, *, refresh: bool = True) -> KeyResultRow:
        row = KeyResultRow(kr)
        for w in row.inputs:
            w.observe(lambda _c, row=row: self._on_row_change(row), names="value")
        row.up_button.on_click(lambda _b, row=row: self.move_key_result(self.rows.index(row), -1))
        row.down_button.on_click(lambda _b, row=row: self.move_key_result(self.rows.index(row), 1))
        row.remove_button.on_click(lambda _b, row=row: self.remove_key_result(self.rows.index(row)))
        row.fill_button.on_click(lambda _b, row=row: self._say_filled(row.fill_from_words(), row.id_label.value))
        self.rows.append(row)
        if refresh:
            self._layout_rows()
            self.refresh()
        return row

    def add_key_result(self) -> KeyResultRow | None:
        """Add an empty key-result row (at most five)."""
        if self.readonly or len(self.rows) >= MAX_KEY_RESULTS:
            self.say(f"An objective has at most {MAX_KEY_RESULTS} key results: focus on the ones that matter.",
                     "warning")
            return None
        return self._add_row(None)

    def remove_key_result(self, index: int) -> None:
        """Remove the key-result row at ``index`` (at least two stay)."""
        if self.readonly or len(self.rows) <= MIN_KEY_RESULTS:
            self.say(f"An objective needs at least {MIN_KEY_RESULTS} key results.", "warning")
            return
        del self.rows[index]
        self._layout_rows()
        self.refresh()

    def move_key_result(self, index: int, offset: int) -> None:
        """Move the key-result row at ``index`` up (``-1``) or down (``+1``)."""
        to = index + offset
        if self.readonly or not 0 <= to < len(self.rows):
            return
        self.rows[index], self.rows[to] = self.rows[to], self.rows[index]
        self._layout_rows()
        self.refresh()

    def _say_filled(self, filled: list[str], what: str) -> None:
        if filled:
            self.say(f"{what}: filled {', '.join(filled)} from the words.", "info")
        else:
            self.say(f"{what}: the words give nothing for the empty fields.", "info")

    def _layout_rows(self) -> None:
        self.rows_box.children = self.rows
        if self.readonly:
            return
        last = len(self.rows) - 1
        for i, row in enumerate(self.rows):
            row.up_button.disabled = i == 0
            row.down_button.disabled = i == last
            row.remove_button.disabled = len(self.rows) <= MIN_KEY_RESULTS
        self.add_button.disabled = len(self.rows) >= MAX_KEY_RESULTS

    # --- building the objective ---
    def _key_result_ids(self, objective_id: str) -> list[str]:
        """Ids of the rows: kept for loaded key results, the next free ``<objective>.KR<n>`` for new ones."""
        kept = [r.original.id if r.original is not None and r.original.id else None for r in self.rows]
        return self.workspace.key_result_ids(objective_id, kept)  # type: ignore[union-attr]

    def _build(self) -> tuple[Objective, FieldReader]:
        """The objective the inputs describe, reading leniently: unreadable fields are left out and listed."""
        if self.readonly:
            return self._original, FieldReader(self._original.id, "objective")
        oid = (self.id_input.value.strip() if self.is_new else self._original.id) or self._original.id
        r = FieldReader(oid, "objective")
        fys = int(self.book.fiscal_year_start or 1)
        fields = {
            "id": oid,
            "title": r.required(self.title_input.value, "title"),
            "level": self.level_input.value,
            "owner": r.text(self.owner_input.value),
            "team": r.text(self.team_input.value),
            "period": r.period(self.period_input.value, "period", fys),
        }
        krs = []
        for row, kid in zip(self.rows, self._key_result_ids(oid), strict=True):
            sub = FieldReader(kid, "key result")
            krs.append(row.read(sub, kid, oid))
            r.problems += sub.problems
        obj = replace(self._original, key_results=krs, **fields)
        return obj, r

    @property
    def objective(self) -> Objective:
        """The objective as typed; ``ValidationError`` naming every field that cannot be read."""
        return self._as_typed("objective")  # type: ignore[return-value]

    def _draft_book(self, obj: Objective) -> Goalbook:
        book = replace(self.book, objectives=list(self.book.objectives))
        put_in_book(book, obj)
        return book

    # --- live checks ---
    @property
    def pristine(self) -> bool:
        """True for a new objective nothing has been typed into yet: its checks are not shown as failures."""
        return not self.readonly and self.is_new and not self.title_input.value.strip() and all(
            not row.title_input.value.strip() for row in self.rows)

    def _show_row(self, row: KeyResultRow, book: Goalbook, obj: Objective, kr: KeyResult) -> None:
        """A row's verdicts; a new row with no title yet says what to type instead of failing every criterion."""
        if not row.readonly and row.original is None and not row.title_input.value.strip():
            row.verdicts.show(None)
            row.verdicts.understood.value = _html.muted(
                "Write the key result: a number that says, without discussion, whether the objective was reached.")
            return
        row.verdicts.show(key_result_report(book, obj, kr, self.today))

    def _on_row_change(self, row: KeyResultRow) -> None:
        obj, r = self._build()
        book = self._draft_book(obj)
        i = self.rows.index(row)
        self._show_row(row, book, obj, obj.key_results[i])
        self._show_findings(book, obj, r)

    def _on_objective_change(self, _change: Any = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-check every key result and the objective's findings against the inputs."""
        obj, r = self._build()
        book = self._draft_book(obj)
        for row, kr in zip(self.rows, obj.key_results, strict=True):
            self._show_row(row, book, obj, kr)
            row.id_label.value = kr.id
        self._show_findings(book, obj, r)

    def _show_findings(self, book: Goalbook, obj: Objective, r: FieldReader) -> None:
        from goalbook.lint import lint_book

        if self.pristine:
            self.finding_list = []
            self.findings.value = _html.muted("Nothing typed yet: write the objective and its key results; the "
                                              "checks start as you type.")
            return
        ids = {kr.id for kr in obj.key_results}
        found = [f for f in lint_book(book, today=self.today)
                 if f.entity == obj.id or (f.entity in ids and f.code not in ROW_CODES)]
        # a field left empty is said once: by the linter's GB001 when it says it, else by the reader
        said = {f.entity for f in found if f.code == "GB001"}
        problems = [p for p in r.problems if not (p.message.endswith("is empty") and p.entity in said)]
        self.finding_list = finding_lines(problems, found)
        self.findings.value = findings_html(problems, found, "No findings on the objective as a whole.")

    # --- saving ---
    def save(self) -> Objective | None:
        """Save the objective; on failure say why and keep every input as typed. Returns it, or ``None``."""
        obj, r = self._build()
        problems = list(r.problems)
        if not MIN_KEY_RESULTS <= len(obj.key_results) <= MAX_KEY_RESULTS:
            problems.append(Problem(f"objective {obj.id}: needs {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS} key results, "
                                    f"has {len(obj.key_results)}", entity=obj.id, field="key_results"))
        if self.is_new and obj.id in self.book:
            problems.append(Problem(f"id '{obj.id}' is already used in this goalbook — choose another",
                                    entity=obj.id, field="id"))
        if not self._write(obj, problems):
            return None
        for row, kr in zip(self.rows, obj.key_results, strict=True):
            row.original = kr
        missing = missing_for_plan(obj)
        if missing:
            self.say(f"{self.message} Saved as a draft ({draft_words(missing)}): it is listed under Drafts until "
                     "they are filled in.", "warning")
        return self._saved(obj)  # type: ignore[return-value]
