"""``LinkPicker``: choose the objective or key result a goal serves, seeing why each is suggested and
what the link changes before applying it.

Ranking and impact come from :mod:`goalbook.linking`; the picker only binds them to a dropdown.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets

from goalbook.errors import ConflictError, GoalbookError, ValidationError
from goalbook.linking import LinkImpact, LinkSuggestion, link_impact, suggest_links
from goalbook.model import LINK_KINDS, Goalbook, Link, is_external
from goalbook.widgets import _html
from goalbook.widgets._base import GoalbookWidget, short, style, workspace_for
from goalbook.workspace import Change, Workspace


class LinkPicker(GoalbookWidget):
    """Link a team goal (or any goal) to the company objective or key result it serves.

    Suggestions are ranked by text similarity and shown with why; the dropdown lists every
    eligible target, best first. Before applying, the picker says what the link changes: which
    uncovered key result becomes covered, which orphan stops being one, and the target's
    progress. Apply writes through ``workspace`` (shared by the notebook's widgets: the map and the
    dashboard redraw after it), or to ``store``, the YAML file at ``path``, or the goalbook in memory.
    """

    css_class = "goalbook-link-picker"

    def __init__(self, book: Goalbook | None = None, goal_id: str = "", *, store: Any = None,
                 path: str | os.PathLike | None = None, kind: str = "contributes", limit: int = 5,
                 levels: tuple[str, ...] | None = None, readonly: bool = False, today: date | None = None,
                 workspace: Workspace | None = None) -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        if kind not in LINK_KINDS:
            raise ValueError(f"kind must be one of {', '.join(LINK_KINDS)}, not {kind!r}")
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.goal_id = goal_id
        self.goal = self.book.get(goal_id)
        self.limit = limit
        self.levels = levels
        self.today = today or date.today()
        self.suggestions: list[LinkSuggestion] = []
        self.impact: LinkImpact | None = None
        self.header = widgets.Label(f"{goal_id} · {self.goal.title}")
        self.header.add_class("goalbook-title")
        self.current = widgets.HTML()
        self.current.add_class("goalbook-current-links")
        self.ranking = widgets.HTML()
        self.ranking.add_class("goalbook-suggestions")
        children: list[widgets.Widget] = [style(), self.header, self.current, self.ranking]
        if not self.readonly:
            self.destination = self.workspace
            self.target_input = widgets.Dropdown(options=[], description="Serves",
                                                 layout=widgets.Layout(width="min(100%, 640px)"))
            self.kind_input = widgets.ToggleButtons(
                options=list(LINK_KINDS), value=kind, description="Kind",
                tooltips=["counts toward the target's progress", "shown on the alignment map only"])
            self.weight_input = widgets.BoundedFloatText(1.0, min=0.01, max=100.0, step=0.5, description="Weight")
            self.impact_view = widgets.HTML()
            self.impact_view.add_class("goalbook-link-impact")
            self.apply_button = widgets.Button(description="Apply link", button_style="primary", icon="link")
            for w in (self.target_input, self.kind_input, self.weight_input):
                w.observe(self._refresh_impact, names="value")
            self.apply_button.on_click(lambda _b: self.apply())
            children += [self.target_input, widgets.HBox([self.kind_input, self.weight_input]), self.impact_view,
                         self.apply_button]
        children.append(self.message_area)
        self.children = children
        self._refresh()

    def follow(self, change: Change) -> None:
        """After any write on the workspace: current links, suggestions and the impact again."""
        self.goal = self.book.get(self.goal_id)
        self._refresh()

    # --- events ---
    def on_apply(self, callback: Callable[[Link], Any], remove: bool = False) -> None:
        """Call ``callback(link)`` after a link was applied."""
        self._on("apply", callback, remove)

    # --- state ---
    @property
    def link(self) -> Link | None:
        """The link the picker would apply now (``None`` when no target is chosen)."""
        if self.readonly or self.target_input.value is None:
            return None
        return Link(self.goal_id, self.target_input.value, self.kind_input.value, float(self.weight_input.value))

    def _refresh(self) -> None:
        every = suggest_links(self.book, self.goal_id, levels=self.levels)
        self.suggestions = every[: self.limit]
        self._show_current()
        self._show_ranking()
        if not self.readonly:
            keep = self.target_input.value
            options = [(f"{s.target} — {short(s.title)} (similarity {s.score:.2f})", s.target) for s in every]
            with self.hold_trait_notifications():
                self.target_input.options = options
                ids = [v for _, v in options]
                self.target_input.value = keep if keep in ids else (ids[0] if ids else None)
            self._refresh_impact()

    def _show_current(self) -> None:
        links = self.book.links_from(self.goal_id)
        if not links:
            self.current.value = _html.muted(f"{self.goal_id} serves nothing yet: it is an orphan until linked.")
            return
        items = []
        for lk in links:
            title = self.book.get(lk.target).title if lk.target in self.book else \
                "in another goalbook (external)" if is_external(lk.target) else "(unknown)"
            items.append(f"{lk.target} ({lk.kind}, weight {lk.weight:g}): {short(title)}")
        self.current.value = _html.muted("Serves now:") + _html.bullets(items)

    def _show_ranking(self) -> None:
        if not self.suggestions:
            self.ranking.value = _html.muted("No objective or key result above this goal's level to link to.")
            return
        rows = [[_html.esc(s.target), _html.esc(short(s.title)), _html.esc(s.level or ""),
                 _html.bar(s.score) + " " + _html.esc(f"{s.score:.2f}"), _html.esc("; ".join(s.reasons))]
                for s in self.suggestions]
        self.ranking.value = _html.table(["target", "title", "level", "similarity", "why"], rows,
                                         css="goalbook-table goalbook-suggestion-table")

    def _refresh_impact(self, _change: Any = None) -> None:
        link = self.link
        if link is None:
            self.impact = None
            self.impact_view.value = ""
            self.apply_button.disabled = True
            return
        self.impact = link_impact(self.book, link, today=self.today)
        self.impact_view.value = _html.muted("What this link changes:") + _html.bullets(self.impact.describe())
        unchanged = self.impact.replaces is not None and (self.impact.replaces.kind, self.impact.replaces.weight) == (
            link.kind, link.weight)
        self.apply_button.disabled = not self.impact.ok or unchanged

    # --- applying ---
    def apply(self) -> Link | None:
        """Apply the chosen link; on failure say why and change nothing. Returns the link, or ``None``."""
        if self.readonly:
            raise GoalbookError("this link picker is read-only")
        link = self.link
        if link is None:
            self.say("Choose what the goal serves first.", "warning")
            return None
        impact = link_impact(self.book, link, today=self.today)
        if not impact.ok:
            self.say("Not linked: " + " ".join(impact.describe()), "error")
            return None
        try:
            where = self.destination.add_link(link)
        except (ConflictError, ValidationError, GoalbookError, KeyError, OSError) as exc:
            self.say(f"Not linked: {exc.args[0] if isinstance(exc, KeyError) else exc}", "error")
            return None
        changes = " ".join(s for s in impact.describe() if not s.startswith("Coverage and orphans stay"))
        self.say(f"{link.source} now {'contributes to' if link.kind == 'contributes' else 'supports'} "
                 f"{link.target}, {where}. {changes}", "success")
        self._refresh()
        self._fire("apply", link)
        return link
