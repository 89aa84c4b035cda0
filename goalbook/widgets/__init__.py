"""Workshop widgets: thin ipywidgets composites over goalbook's analyses.

Each widget binds inputs to the analysis layer and holds no business logic; each has
``readonly=True`` (no input or save control is built at all), a stable CSS class
(``goalbook-objective-editor`` ...) and ``on_<event>(callback, remove=False)`` callbacks.
Every string a user wrote is escaped before it reaches HTML (``goalbook.widgets._html``).
"""

from __future__ import annotations

from goalbook.widgets._base import GoalbookWidget
from goalbook.widgets._verdicts import VerdictPanel
from goalbook.widgets.check_in_form import CheckInForm
from goalbook.widgets.dashboard import Dashboard
from goalbook.widgets.explorer import AlignmentExplorer
from goalbook.widgets.kpi_picker import KPIPicker
from goalbook.widgets.link_picker import LinkPicker
from goalbook.widgets.objective_editor import KeyResultRow, ObjectiveEditor
from goalbook.widgets.smart_goal_editor import SmartGoalEditor

__all__ = [
    "AlignmentExplorer",
    "CheckInForm",
    "Dashboard",
    "GoalbookWidget",
    "KPIPicker",
    "KeyResultRow",
    "LinkPicker",
    "ObjectiveEditor",
    "SmartGoalEditor",
    "VerdictPanel",
]
