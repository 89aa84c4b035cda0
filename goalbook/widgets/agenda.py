"""The check-in meeting's agenda as a view: read-only by construction (it has no input at all)."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from goalbook.agenda import Agenda, build_agenda, to_html
from goalbook.model import Goalbook
from goalbook.widgets._base import GoalbookWidget, style, workspace_for
from goalbook.workspace import Workspace

AGENDA_STYLE = """<style>
.goalbook-agenda h2{font-size:18px;margin:4px 0}.goalbook-agenda h3{font-size:15px;margin:10px 0 2px}
.goalbook-agenda ol{margin:0 0 4px 0}.goalbook-agenda-number{font-weight:600}
.goalbook-agenda-why,.goalbook-agenda-minutes,.goalbook-agenda-length{color:#6e7781}
</style>"""


class AgendaView(GoalbookWidget):
    """The agenda of :func:`goalbook.agenda.build_agenda` for ``today`` and ``team``, as HTML (every user
    string escaped). ``agenda`` holds what is shown; bound to a notebook's ``workspace`` it is rebuilt after
    every write on the page (a check-in, a link ...), else :meth:`refresh` rebuilds it."""

    css_class = "goalbook-agenda-view"

    def __init__(self, book: Goalbook | None = None, *, today: date, team: str | None = None,
                 workspace: Workspace | None = None) -> None:
        super().__init__(readonly=True)
        self._bind(workspace_for(book, None, None, workspace, True))
        self.today, self.team = today, team
        self.body = widgets.HTML()
        self.body.add_class("goalbook-agenda-body")
        self.agenda: Agenda = build_agenda(self.book, today=today, team=team)
        self.children = [style(), widgets.HTML(AGENDA_STYLE, layout=widgets.Layout(display="none")),
                         self.message_area, self.body]
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the agenda from the goalbook."""
        self.agenda = build_agenda(self.book, today=self.today, team=self.team)
        self.body.value = to_html(self.agenda, self.book.organisation, page=False)
