"""A goal's approval state, its history and its comment threads; in a workshop, the controls to
comment, reply, request a review, approve or request changes (the rules are :mod:`goalbook.approvals`')."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as widgets

from goalbook.approvals import ACTIONS, APPROVABLE, RefusedError, approvers_of, history, owner_of, thread
from goalbook.errors import ConflictError, GoalbookError
from goalbook.model import Goalbook
from goalbook.widgets import _html
from goalbook.widgets._base import GoalbookWidget, style, workspace_for
from goalbook.workspace import Workspace

THREAD_STYLE = """<style>
.goalbook-thread-comment{margin:2px 0;padding:2px 6px;border-left:3px solid #d0d7de}
.goalbook-thread-meta{color:#6e7781;font-size:12px}.goalbook-approval-steps{margin:2px 0 6px 0}
</style>"""
_WORDS = {"draft": "draft", "in_review": "in review", "approved": "approved", "changes_requested": "changes requested"}
_TAGS = {"draft": "not_started", "in_review": "at_risk", "approved": "on_track", "changes_requested": "off_track"}


def _when(at: Any) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else "—"


class ApprovalThread(GoalbookWidget):
    """One goal's approval flow and comments.

    ``readonly=True`` (the default, for review pages) builds no input: the state, who moved it when and
    why, and the threads, all escaped. Otherwise ``author`` is who acts; the steps are the workspace's
    (:meth:`goalbook.workspace.Workspace.step`, checked by :mod:`goalbook.approvals`' rules), written
    through ``workspace`` or to ``store``, the YAML file ``path``, or ``book`` in memory; a refused step
    is said in the message area and changes nothing.
    """

    css_class = "goalbook-approval-thread"

    def __init__(self, book: Goalbook | None = None, goal_id: str = "", *, store: Any = None,
                 path: str | os.PathLike[str] | None = None, readonly: bool = True, author: str | None = None,
                 workspace: Workspace | None = None) -> None:
        super().__init__(readonly=readonly or bool(workspace is not None and workspace.readonly))
        self._bind(workspace_for(book, store, path, workspace, self.readonly))
        self.goal_id = goal_id
        self.author = author
        self.body = widgets.HTML()
        self.body.add_class("goalbook-approval-body")
        children: list[widgets.Widget] = [style(), widgets.HTML(THREAD_STYLE, layout=widgets.Layout(display="none")),
                                          self.body]
        if not readonly:
            self.text = widgets.Textarea(placeholder="Comment, or the reason for changes", description="Text")
            self.reply_to = widgets.Dropdown(options=[("(new topic)", "")], value="", description="Reply to")
            self.buttons = {name: widgets.Button(description=label) for name, label in (
                ("comment", "Comment"), ("request_review", "Request review"), ("approve", "Approve"),
                ("request_changes", "Request changes"))}
            for name, button in self.buttons.items():
                button.add_class(f"goalbook-approval-{name.replace('_', '-')}")
                button.on_click(lambda _b, n=name: self.act(n))
            controls = widgets.VBox([widgets.HBox([self.text, self.reply_to]),
                                     widgets.HBox(list(self.buttons.values()))])
            controls.add_class("goalbook-approval-controls")
            children.append(controls)
        children.append(self.message_area)
        self.children = children
        self.refresh()

    def refresh(self) -> None:
        """Show the goal as the book now has it."""
        g = self.book.get(self.goal_id)
        state = getattr(g, "approval", None)
        head = _html.element("strong", _html.esc(g.id)) + " " + _html.esc(g.title)
        if state is not None:
            head += " " + _html.tag(_TAGS.get(state, "unknown"), _WORDS.get(state, state))
        who = approvers_of(self.book, g)
        approvers = f" · approvers {', '.join(who) or 'none set'}" if g.kind in APPROVABLE else ""
        facts = [_html.muted(f"owner {owner_of(self.book, g) or '—'}{approvers}")]
        steps = [f"{_when(a.at)} · {a.by or '?'} → {_WORDS.get(a.state, a.state)}"  # plain text: bullets() escapes
                 + (f": {a.reason}" if a.reason else "") for a in history(self.book, g.id)]
        parts = [_html.element("div", head), *(_html.element("div", f) for f in facts)]
        if steps:
            parts.append(_html.bullets(steps, css="goalbook-approval-steps"))
        items = thread(self.book, g.id)
        for t in items:
            c = t.comment
            meta = _html.element("div", _html.esc(f"{c.id or ''} {c.author or '?'} · {_when(c.at)}"
                                                  + (f" · reply to {c.reply_to}" if c.reply_to else "")),
                                 css="goalbook-thread-meta")
            parts.append(f'<div class="goalbook-thread-comment" style="margin-left:{16 * t.depth}px" '
                         f'data-depth="{t.depth}">{meta}{_html.esc(c.text)}</div>')
        if not items:
            parts.append(_html.muted("No comments yet."))
        self.body.value = "".join(parts)
        if not self.readonly:
            self.reply_to.options = [("(new topic)", ""), *((f"{t.comment.id} {t.comment.author or ''}: "
                                                             f"{t.comment.text[:40]}", t.comment.id)
                                                            for t in items if t.comment.id)]

    def act(self, action: str) -> None:
        """Comment (a reply when one is chosen) or take an approval step with the typed text as the reason."""
        if self.readonly or self.workspace is None:
            return
        text = self.text.value
        ws = self.workspace
        try:
            if action == "comment":
                c = ws.comment(self.goal_id, text, self.author, self.reply_to.value or None)
                said = f"{c.id} added"
            elif action in ACTIONS:
                step = ws.step(self.goal_id, action, self.author, text if action == "request_changes" else None)
                said = f"{self.goal_id} is now {_WORDS.get(step.state, step.state)}"
            else:
                raise ValueError(f"unknown action {action!r}")
        except (RefusedError, ConflictError, GoalbookError) as exc:
            self.say(str(exc), "error")
            return
        self.text.value = ""
        self.say(said, "success")
