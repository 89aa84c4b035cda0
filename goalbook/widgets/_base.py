"""What every goalbook widget shares: the read-only switch, the CSS class, events, a message area
and reading typed fields.

Widgets only bind: they read inputs, call the analysis layer and show what it returns; where and
how a change is written is :class:`goalbook.workspace.Workspace`'s. A failed write changes
nothing: the workspace refuses first, and neither the goalbook in memory nor the widget's inputs
are touched, so nothing typed is lost.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget import CallbackDispatcher

from goalbook.errors import ConflictError, GoalbookError, Problem, ValidationError
from goalbook.model import Goal, Goalbook, Link, with_article
from goalbook.period import Period
from goalbook.values import BadValue, number, read_date, read_number, value
from goalbook.widgets import _html
from goalbook.workspace import Change, Workspace, put_in_book

MESSAGE_LEVELS = ("info", "success", "warning", "error")


class GoalbookWidget(widgets.VBox):
    """Base of every goalbook composite: a stable CSS class, ``readonly``, ``on_<event>`` callbacks
    and a message area (``message`` / ``message_level``) that says what happened in words."""

    css_class: ClassVar[str] = "goalbook-widget"

    # --- public traits ---
    message = traitlets.Unicode("", help="The last thing the widget has to say (plain text)")
    message_level = traitlets.Enum(MESSAGE_LEVELS, "info", help="How the message is shown")
    revision = traitlets.Int(0, help="How many changes of the workspace this widget has redrawn after")

    workspace: Workspace | None = None

    def __init__(self, *, readonly: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._readonly = bool(readonly)
        self._dispatchers: dict[str, CallbackDispatcher] = {}
        self.message_area = widgets.HTML()
        self.message_area.add_class("goalbook-message-area")
        self.add_class("goalbook-widget")
        self.add_class(self.css_class)
        if self._readonly:
            self.add_class("goalbook-readonly")
        self.observe(self._show_message, names=["message", "message_level"])

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{' read-only' if self._readonly else ''}>"

    @property
    def readonly(self) -> bool:
        """True when the widget was built without any input or save control (fixed at construction)."""
        return self._readonly

    def say(self, text: str, level: str = "info") -> None:
        """Show ``text`` in the message area."""
        with self.hold_trait_notifications():
            self.message_level = level
            self.message = text

    def _show_message(self, _change: Any = None) -> None:
        self.message_area.value = _html.message(self.message, self.message_level)

    # --- the workspace every widget on the page observes ---
    def _bind(self, workspace: Workspace) -> Workspace:
        """Observe ``workspace``: after every write anywhere on the page, :meth:`follow` redraws this view."""
        self.workspace = workspace
        self.book = workspace.book
        workspace.on_change(self._heard)
        return workspace

    def _heard(self, change: Change) -> None:
        self.book = self.workspace.book  # type: ignore[union-attr]  # a reload replaces it
        try:
            with self.hold_sync():
                self.follow(change)
        except Exception as exc:  # the write itself succeeded: say why this view lags behind
            self.say(f"{change.what} of {', '.join(change.ids) or 'the goalbook'} was saved, but this view could "
                     f"not be redrawn: {exc}", "error")
        self.revision += 1

    def follow(self, change: Change) -> None:
        """Redraw after ``change`` (a save, link, check-in ... by any widget on the workspace)."""
        refresh = getattr(self, "refresh", None)
        if refresh is not None:
            refresh()

    def close(self) -> None:
        """Stop observing the workspace, then close as any widget."""
        if self.workspace is not None:
            self.workspace.on_change(self._heard, remove=True)
        super().close()

    # --- events (ipyleaflet style) ---
    def _on(self, event: str, callback: Callable[..., Any], remove: bool = False) -> None:
        self._dispatchers.setdefault(event, CallbackDispatcher()).register_callback(callback, remove=remove)

    def _fire(self, event: str, *args: Any) -> None:
        dispatcher = self._dispatchers.get(event)
        if dispatcher is not None:
            dispatcher(*args)


def style() -> widgets.HTML:
    """The goalbook CSS, once per widget (a page with several widgets repeats identical rules)."""
    return widgets.HTML(_html.STYLE, layout=widgets.Layout(display="none"))


# --- reading typed fields ---------------------------------------------------------------------------

class FieldReader:
    """Turns what someone typed into model values, collecting a :class:`Problem` for each field it
    cannot read instead of stopping at the first."""

    def __init__(self, entity: str | None, what: str) -> None:
        self.entity = entity
        self.what = what
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        """Record that ``field`` cannot be used, saying why."""
        name = f"{self.what} {self.entity}" if self.entity else self.what
        self.problems.append(Problem(f"{name}: {field} {message}", entity=self.entity, field=field))

    @staticmethod
    def text(value: str | None) -> str | None:
        """Stripped text, ``None`` when empty."""
        value = (value or "").strip()
        return value or None

    def number(self, value: str | None, field: str, *, lo: float | None = None,
               hi: float | None = None) -> float | None:
        """A number written as ``1200``, ``1,200``, ``38%`` or ``4.5`` (read by :func:`goalbook.values.read_number`,
        next to a unit, so ``%`` may stand for it); ``None`` when empty."""
        raw = (value or "").strip()
        if not raw:
            return None
        try:
            x = read_number(raw, percent=True)
        except BadValue as exc:
            self.add(field, str(exc))
            return None
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            self.add(field, f"{x:g} is outside {lo:g}-{hi:g}")
            return None
        return x

    def day(self, value: str | None, field: str) -> date | None:
        """A date written as ``2027-03-31``; ``None`` when empty."""
        raw = (value or "").strip()
        if not raw:
            return None
        try:
            return read_date(raw)
        except BadValue as exc:
            self.add(field, str(exc))
            return None

    def period(self, value: str | None, field: str, fiscal_year_start: int = 1) -> Period | None:
        """A period such as ``2027-Q1``; ``None`` when empty."""
        raw = (value or "").strip()
        if not raw:
            return None
        try:
            return Period.parse(raw, fiscal_year_start)
        except ValueError as exc:
            self.add(field, str(exc))
            return None

    def required(self, value: str | None, field: str) -> str:
        """Text that must be given."""
        text = self.text(value)
        if text is None:
            self.add(field, "is empty")
        return text or ""


fmt_number = number
"""A number as a person would type it back: :func:`goalbook.values.number`."""
fmt_value = value
"""A number with its unit for reading: :func:`goalbook.values.value`."""


# --- where changes are written: goalbook.workspace (one implementation for widgets, notebooks and the CLI) ---
Destination = Workspace
"""Where a widget writes: the widget-free :class:`goalbook.workspace.Workspace` (each editor opens its own)."""


def workspace_for(book: Goalbook | None, store: Any = None, path: Any = None,
                  workspace: Workspace | None = None, readonly: bool = False) -> Workspace:
    """The workspace a widget observes: the one given (shared by every widget of a notebook), else one of
    its own on ``book`` (or ``store``'s goalbook) writing to ``store``, ``path`` or memory."""
    if workspace is not None:
        if book is not None and book is not workspace.book:
            raise ValueError("give a workspace or a goalbook, not both (the workspace holds its goalbook)")
        if store is not None or path is not None:
            raise ValueError("a workspace already says where changes go: give it, or store=/path=, not both")
        return workspace
    return Workspace(load_book(book, store), store=store, path=path, readonly=readonly)


def load_book(book: Goalbook | None, store: Any) -> Goalbook:
    """The goalbook a widget works on: the one given, else the store's, else an empty one."""
    if book is not None:
        return book
    if store is not None:
        return store.load()
    return Goalbook()


def short(text: str | None, n: int = 70) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis: a title in a drop-down or a table cell."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def problems_text(problems: list[Problem]) -> str:
    """Problems one per line, for the message area."""
    return "\n".join(f"• {p.message}" for p in problems)


class GoalEditor(GoalbookWidget):
    """What the objective and SMART goal editors share: saving through a :class:`Destination` and
    saying in words why a save was refused, with every input left as it was."""

    destination: Destination | None = None

    def on_save(self, callback: Callable[[Goal], Any], remove: bool = False) -> None:
        """Call ``callback(goal)`` after the goal was saved."""
        self._on("save", callback, remove)

    def _as_typed(self, noun: str) -> Goal:
        """The goal as typed; ``ValidationError`` naming every field that cannot be read."""
        goal, r = self._build()
        if r.problems:
            raise ValidationError(r.problems, f"{noun} {goal.id} cannot be read")
        return goal

    def _open_goal(self, goal: Goal | str | None, *, kind: type, noun: str, new: Callable[[str], Goal],
                   prefix: str) -> Goal:
        """The goal this editor shows, of type ``kind`` (called ``noun`` in messages).

        A read-only editor shows the goal as given (an id is looked up). A writable one reads ids
        through its workspace, which remembers the version read so a save detects a concurrent
        change; a new goal gets the first free id ``PREFIX-n``; a given goal is copied, so nothing
        typed touches the caller's object before a save.
        """
        ws = self.workspace
        assert ws is not None, "bind the widget to a workspace first"
        if self.readonly:
            if goal is None:
                raise ValueError(f"a read-only editor shows an existing {noun}: pass the {noun} or its id")
            if isinstance(goal, str):
                return ws.store.get(goal) if ws.store is not None else self.book.get(goal)
            return goal
        self.destination = ws
        if isinstance(goal, str):
            found = ws.fetch(goal)
            if not isinstance(found, kind):
                raise ValueError(f"{goal} is not {with_article(noun)} (it is a {found.kind.replace('_', ' ')})")
            return found
        goal = new(ws.next_id(prefix)) if goal is None else copy.deepcopy(goal)
        ws.track(goal.id)
        return goal

    def _saved(self, goal: Goal) -> Goal:
        """After a save: the saved goal becomes the one edited, a new goal's id input turns into its
        label, the checks are redrawn and ``on_save`` callbacks are called."""
        self._original = goal
        if self.is_new:
            self.is_new = False
            self.id_label.value = goal.id
            self.children = [self.id_label if c is self.id_input else c for c in self.children]
        self.refresh()
        self._fire("save", goal)
        return goal

    def _write(self, goal: Goal, problems: list[Problem], links: Iterable[Link] = ()) -> bool:
        """Validate and write ``goal`` (with ``links`` from it); ``problems`` are those found reading the
        inputs. True when saved."""
        if self._readonly or self.destination is None:
            raise GoalbookError(f"this {type(self).__name__} is read-only")
        book = Goalbook(fiscal_year_start=self.destination.book.fiscal_year_start)
        put_in_book(book, goal)
        problems = [*problems, *(p for p in book.validate() if p.severity == "error" and p not in problems)]
        if problems:
            self.say("Not saved:\n" + problems_text(problems), "error")
            return False
        try:
            where = self.destination.put(goal, links=links)
        except ConflictError as exc:
            self.say(f"Not saved: someone else changed it first. {exc}.\nYour edits are still here: copy what you "
                     "need, reopen the editor to see their version, and apply your changes again.", "error")
            return False
        except ValidationError as exc:
            self.say("Not saved:\n" + problems_text(exc.problems), "error")
            return False
        except (GoalbookError, KeyError, OSError) as exc:
            self.say(f"Not saved: {exc.args[0] if isinstance(exc, KeyError) else exc}", "error")
            return False
        self.say(f"Saved: {where}.", "success")
        return True
