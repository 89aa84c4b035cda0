"""``CheckInForm``: a weekly update on a key result, SMART goal or KPI, with its effect shown before saving.

The preview is :mod:`goalbook.scoring` run twice on the day of the check-in: on the goalbook as it
is, and on a copy holding the prospective check-in. The form computes no score itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from goalbook.errors import ConflictError, GoalbookError, ValidationError
from goalbook.model import CHECKIN_STATUSES, KPI, CheckIn, Goalbook, KeyResult, SmartGoal
from goalbook.scoring import GoalScore, Scorer
from goalbook.values import UNKNOWN
from goalbook.values import pct as _pct
from goalbook.widgets import _html
from goalbook.widgets._base import FieldReader, GoalbookWidget, fmt_value, style, workspace_for
from goalbook.workspace import Change, Workspace, free_day

HISTORY_ROWS = 6


def score_with(book: Goalbook, check_in: CheckIn | None, goal_id: str, day: date) -> GoalScore:
    """Where ``goal_id`` stands on ``day`` by :mod:`goalbook.scoring`, with ``check_in`` added to a copy of the book."""
    if check_in is not None:
        book = replace(book, check_ins=[*book.check_ins, check_in])
    return Scorer(book, today=day).score(goal_id)


def _score_cells(s: GoalScore, unit: str | None) -> list[str]:
    value = _html.esc(fmt_value(s.current, unit))
    expected = (_html.bar(s.expected, "#8c959f") + " " + _html.esc(_pct(s.expected))
                if s.expected is not None else UNKNOWN)
    progress = _html.bar(s.progress, s.colour) + " " + _html.esc(_pct(s.progress))
    score = UNKNOWN if s.score is None else _html.esc(f"{s.score:.1f}")
    confidence = UNKNOWN if s.confidence is None else _html.esc(f"{s.confidence:g}/10")
    return [value, progress if s.progress is not None else UNKNOWN, expected, _html.tag(s.status), score, confidence]


class CheckInForm(GoalbookWidget):
    """Record a check-in (value, confidence 0–10, status, wins, blockers) on one goal.

    Before saving it shows the expected-versus-actual pace and the progress, status and score the
    check-in will produce. The *Goal* drop-down moves to another goal (no code to edit); the date
    starts on ``today``, or the first day after it with no check-in on the goal. A check-in on a
    day that already has one is not added at once: the form asks, and a second *Save* adds it.
    Save writes through ``workspace`` (shared by the notebook's widgets, which redraw after it), or
    to ``store``, the YAML file at ``path``, or the goalbook in memory. ``readonly=True`` shows where
    the goal stands and its recent check-ins, with no input or button at all.
    """

    css_class = "goalbook-check-in-form"

    goal_id = traitlets.Unicode(help="The key result, SMART goal or KPI checked in on")
    confirming = traitlets.Bool(False, help="True while a save waits for a yes: the day already has a check-in")

    def __init__(self, book: Goalbook | None = None, goal_id: str = "", *, store: Any = None,
                 path: str | os.PathLike | None = None, readonly: bool = False, today: date | None = None,
                 author: str | None = None, workspace: Workspace | None = None) -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.goal = self._checkable(goal_id)
        self.goal_id = goal_id
        self.today = today or date.today()
        self.author = author
        self.unit = getattr(self.goal, "unit", None)
        self.header = widgets.Label(f"{goal_id} · {self.goal.title}")
        self.header.add_class("goalbook-title")
        self.preview = widgets.HTML()
        self.preview.add_class("goalbook-check-in-preview")
        self.history = widgets.HTML()
        self.history.add_class("goalbook-check-in-history")
        children: list[widgets.Widget] = [style(), self.header]
        if not self.readonly:
            self.destination = self.workspace
            latest = Scorer(self.book, today=self.today).confidence(goal_id)[0]
            self.goal_input = widgets.Dropdown(options=self._goal_options(), value=goal_id, description="Goal",
                                               layout=widgets.Layout(width="min(100%, 520px)"))
            self.goal_input.add_class("goalbook-goal-picker")
            self.goal_input.observe(lambda c: self.show_goal(c["new"]), names="value")
            children.append(self.goal_input)
            self.date_input = widgets.Text(free_day(self.book, goal_id, self.today).isoformat(), description="Date",
                                           placeholder="YYYY-MM-DD")
            self.value_input = widgets.Text("", description="Value",
                                            placeholder=f"e.g. 42{' ' + self.unit if self.unit else ''}")
            self.confidence_input = widgets.IntSlider(round(latest) if latest is not None else 5, min=0,
                                                      max=10, description="Confidence")
            self.status_input = widgets.Dropdown(
                options=[("(from pace)", ""), *((s.replace("_", " "), s) for s in CHECKIN_STATUSES)],
                value="", description="Status")
            self.wins_input = widgets.Textarea("", description="Wins", placeholder="What went well")
            self.blockers_input = widgets.Textarea("", description="Blockers", placeholder="What is in the way")
            self.save_button = widgets.Button(description="Save check-in", button_style="primary", icon="check")
            for w in self._inputs():
                w.observe(self._refresh_preview, names="value")
            self.save_button.on_click(lambda _b: self.save())
            children += [widgets.HBox([self.date_input, self.value_input]),
                         widgets.HBox([self.confidence_input, self.status_input]),
                         widgets.HBox([self.wins_input, self.blockers_input])]
        children += [self.preview, *([] if self.readonly else [self.save_button]), self.message_area, self.history]
        self.children = children
        self._refresh_preview()
        self._refresh_history()

    def _checkable(self, goal_id: str) -> KeyResult | SmartGoal | KPI:
        goal = self.book.get(goal_id)
        if not isinstance(goal, KeyResult | SmartGoal | KPI):
            raise ValueError(f"{goal_id} is {'an' if goal.kind[0] in 'aeiou' else 'a'} "
                             f"{goal.kind.replace('_', ' ')}: check-ins are recorded on key results, "
                             "SMART goals and KPIs")
        return goal

    def _goal_options(self) -> list[tuple[str, str]]:
        goals = [g for g in self.book.iter_goals() if isinstance(g, KeyResult | SmartGoal | KPI)]
        return [(f"{g.id} · {' '.join(g.title.split())[:60]}", g.id) for g in goals]

    def show_goal(self, goal_id: str) -> None:
        """Check in on ``goal_id`` instead, as picking it does: the date moves to its first free day."""
        if goal_id == self.goal_id:
            return
        self.goal = self._checkable(goal_id)
        with self.hold_sync():
            self.goal_id = goal_id
            self.unit = getattr(self.goal, "unit", None)
            self.header.value = f"{goal_id} · {self.goal.title}"
            if not self.readonly:
                if self.goal_input.value != goal_id:
                    self.goal_input.value = goal_id
                latest = Scorer(self.book, today=self.today).confidence(goal_id)[0]
                self.confirming = False
                self.date_input.value = free_day(self.book, goal_id, self.today).isoformat()
                self.value_input.placeholder = f"e.g. 42{' ' + self.unit if self.unit else ''}"
                self.confidence_input.value = round(latest) if latest is not None else 5
            self.say("")
        self._refresh_preview()
        self._refresh_history()

    def follow(self, change: Change) -> None:
        """After any write on the workspace: where the goal stands, its history and the preview again."""
        self.goal = self.book.get(self.goal_id)
        self._refresh_preview()
        self._refresh_history()

    def _inputs(self) -> list[widgets.Widget]:
        return [self.date_input, self.value_input, self.confidence_input, self.status_input, self.wins_input,
                self.blockers_input]

    # --- events ---
    def on_save(self, callback: Callable[[CheckIn], Any], remove: bool = False) -> None:
        """Call ``callback(check_in)`` after a check-in was saved."""
        self._on("save", callback, remove)

    # --- reading the form ---
    def _read(self) -> tuple[CheckIn | None, FieldReader]:
        r = FieldReader(self.goal_id, "check-in on")
        day = r.day(self.date_input.value, "date")
        if day is None and not r.problems:
            r.add("date", "is empty")
        value = r.number(self.value_input.value, "value")
        if day is None:
            return None, r
        return CheckIn(self.goal_id, day, value, float(self.confidence_input.value), self.status_input.value or None,
                       r.text(self.wins_input.value), r.text(self.blockers_input.value), self.author), r

    @property
    def check_in(self) -> CheckIn:
        """The check-in the form holds now; ``ValidationError`` naming each field that cannot be read."""
        ci, r = self._read()
        if r.problems or ci is None:
            raise ValidationError(r.problems, "the check-in cannot be read")
        return ci

    def scores(self) -> tuple[GoalScore, GoalScore | None]:
        """Where the goal stands now and where the check-in will put it (``None`` while the form cannot be read)."""
        if self.readonly:
            return Scorer(self.book, today=self.today).score(self.goal_id), None
        ci, r = self._read()
        day = ci.date if ci is not None else self.today
        now = score_with(self.book, None, self.goal_id, day)
        return now, (score_with(self.book, ci, self.goal_id, day) if ci is not None and not r.problems else None)

    # --- showing ---
    def _refresh_preview(self, _change: Any = None) -> None:
        if _change is not None and self.confirming:  # the form changed: the question asked no longer stands
            self.confirming = False
            self.save_button.description = "Save check-in"
            self.say("")
        now, after = self.scores()
        header = ["", "value", "progress", "expected by now", "status", "score", "confidence"]
        rows = [[_html.esc(f"now ({now.period or 'no period'})"), *_score_cells(now, self.unit)]]
        notes: list[str] = []
        if after is not None:
            rows.append([_html.esc("with this check-in"), *_score_cells(after, self.unit)])
            notes.append(self._pace_sentence(after))
            reported = self.status_input.value
            if reported and after.status not in ("unknown", reported):
                notes.append(f"You report {reported.replace('_', ' ')}; the pace says "
                             f"{after.status.replace('_', ' ')}.")
        elif not self.readonly:
            _, r = self._read()
            notes += [p.message for p in r.problems]
        else:
            notes.append(self._pace_sentence(now))
        self.preview.value = _html.table(header, rows, css="goalbook-table goalbook-pace") + _html.bullets(notes)

    def _pace_sentence(self, s: GoalScore) -> str:
        if s.progress is None:
            return "Progress is unknown: the goal has no value to measure yet."
        if s.expected is None:
            return f"Progress {_pct(s.progress)}; no period or deadline to pace it against."
        gap = s.progress - s.expected
        where = "ahead of" if gap > 0.005 else "behind" if gap < -0.005 else "on"
        return (f"Progress {_pct(s.progress)} against {_pct(s.expected)} expected by now: "
                f"{abs(gap):.0%} {where} pace ({s.status.replace('_', ' ')})." if where != "on" else
                f"Progress {_pct(s.progress)}, exactly on pace ({s.status.replace('_', ' ')}).")

    def _refresh_history(self) -> None:
        recent = self.book.check_ins_for(self.goal_id)[-HISTORY_ROWS:]
        if not recent:
            self.history.value = _html.muted("No check-ins yet.")
            return
        rows = [[_html.esc(c.date.isoformat()), _html.esc(fmt_value(c.value)),
                 _html.esc(UNKNOWN if c.confidence is None else f"{c.confidence:g}"), self._status_of(c),
                 _html.esc(c.wins), _html.esc(c.blockers), _html.esc(c.author)] for c in reversed(recent)]
        self.history.value = _html.table(["date", "value", "confidence", "status", "wins", "blockers", "by"], rows,
                                         css="goalbook-table goalbook-history")

    def _status_of(self, c: CheckIn) -> str:
        """The status a check-in reported, else the one the pace gave on its day (what the preview said)."""
        if c.status:
            return _html.tag(c.status)
        status = Scorer(self.book, today=c.date).score(self.goal_id).status
        return _html.tag(status) + " " + _html.muted("(pace)") if status != "unknown" else UNKNOWN

    # --- saving ---
    def save(self) -> CheckIn | None:
        """Save the check-in; on failure say why and keep everything typed. Returns it as stored, or ``None``.

        When the day already has a check-in on the goal, the first call only asks (``confirming``
        turns true, the button says *Add a second check-in*); the next call, with nothing changed,
        adds it."""
        if self.readonly:
            raise GoalbookError("this check-in form is read-only")
        ci, r = self._read()
        if r.problems or ci is None:
            self.say("Not saved: " + "; ".join(p.message for p in r.problems), "error")
            return None
        same_day = self.workspace.check_ins_on(self.goal_id, ci.date)  # type: ignore[union-attr]
        if same_day and not self.confirming:
            c = same_day[-1]
            self.confirming = True
            self.save_button.description = "Add a second check-in"
            self.say(f"{self.goal_id} already has a check-in on {ci.date} (value {fmt_value(c.value, self.unit)}"
                     f"{', by ' + c.author if c.author else ''}). Click \u201cAdd a second check-in\u201d to add "
                     "this one as well, or change the date.", "warning")
            return None
        self.confirming = False
        self.save_button.description = "Save check-in"
        try:
            stored, where = self.destination.check_in(ci)
        except (ConflictError, ValidationError, GoalbookError, KeyError, OSError) as exc:
            self.say(f"Not saved: {exc.args[0] if isinstance(exc, KeyError) else exc}", "error")
            return None
        with self.hold_trait_notifications():
            for w in (self.value_input, self.wins_input, self.blockers_input):
                w.value = ""
            self.status_input.value = ""
            self.date_input.value = free_day(self.book, self.goal_id, self.today).isoformat()
            self.confirming = False
        self.say(f"Check-in of {stored.date} on {self.goal_id} {where}.", "success")
        self._refresh_preview()
        self._refresh_history()
        self._fire("save", stored)
        return stored
