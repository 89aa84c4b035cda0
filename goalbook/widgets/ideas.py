"""Candidate ideas ranked by ICE, and promoting one to approved (who and when recorded)."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import ipywidgets as widgets

from goalbook.approvals import RefusedError
from goalbook.display import cell
from goalbook.errors import ConflictError, GoalbookError
from goalbook.model import Goalbook
from goalbook.priority import ranked_ideas
from goalbook.widgets import _html
from goalbook.widgets._base import GoalbookWidget, style, workspace_for
from goalbook.workspace import Workspace

HEADER = ("#", "idea", "owner", "impact", "confidence", "ease", "ICE", "serves")


class IdeaRanking(GoalbookWidget):
    """The candidate initiatives in ICE order (:func:`goalbook.priority.ranked_ideas`), unscored ones last.

    Not read-only: choose an idea and *Promote* it to approved as ``author`` (an approver of it who does not
    own it); the promotion is the workspace's (:meth:`goalbook.workspace.Workspace.promote`), written
    through ``workspace`` or to ``store``, the YAML file ``path``, or ``book`` in memory.
    """

    css_class = "goalbook-idea-ranking"

    def __init__(self, book: Goalbook | None = None, *, store: Any = None, path: str | os.PathLike[str] | None = None,
                 readonly: bool = True, author: str | None = None, today: date | None = None,
                 workspace: Workspace | None = None) -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.author, self.today = author, today
        self.table = widgets.HTML()
        self.table.add_class("goalbook-idea-table")
        children: list[widgets.Widget] = [style(), self.table]
        if not readonly:
            self.choice = widgets.Dropdown(description="Idea")
            self.promote_button = widgets.Button(description="Promote to approved")
            self.promote_button.add_class("goalbook-idea-promote")
            self.promote_button.on_click(lambda _b: self.promote())
            children.append(widgets.HBox([self.choice, self.promote_button]))
        children.append(self.message_area)
        self.children = children
        self.refresh()

    def refresh(self) -> None:
        """Rank the candidate ideas of the goalbook as it is now."""
        frame = ranked_ideas(self.book)
        rows = []
        for n, r in enumerate(frame.itertuples(index=False), start=1):
            rows.append(("goalbook-idea-row", r.id, [str(n), _html.element("strong", _html.esc(r.id)) + " "
                                                      + _html.esc(r.title), _html.esc(cell(r.owner)),
                                                      *(_html.esc(cell(x)) for x in (r.impact, r.confidence, r.ease,
                                                                                     r.ice)),
                                                      _html.esc(cell(r.serves))]))
        self.table.value = (_html.row_table(HEADER, rows) if rows else _html.muted("No candidate ideas."))
        if not self.readonly:
            self.choice.options = [(f"{r.id} {r.title[:40]}", r.id) for r in frame.itertuples(index=False)]

    def promote(self) -> None:
        if self.readonly or self.workspace is None or not self.choice.value:
            return
        try:
            i = self.workspace.promote(self.choice.value, self.author, self.today)
        except (RefusedError, ConflictError, GoalbookError) as exc:
            self.say(str(exc), "error")
            return
        self.say(f"{i.id} promoted to approved by {i.approved_by} on {i.approved_on}", "success")
