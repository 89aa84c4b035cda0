"""Workshop widgets: thin ipywidgets composites over goalbook's analyses.

Each widget binds inputs to the analysis layer and holds no business logic; each has
``readonly=True`` (no input or save control is built at all), a stable CSS class
(``goalbook-objective-editor`` ...) and ``on_<event>(callback, remove=False)`` callbacks.
Every string a user wrote is escaped before it reaches HTML (``goalbook.widgets._html``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goalbook.widgets._base import GoalbookWidget
    from goalbook.widgets._verdicts import VerdictPanel
    from goalbook.widgets.check_in_form import CheckInForm
    from goalbook.widgets.dashboard import Dashboard
    from goalbook.widgets.explorer import AlignmentExplorer
    from goalbook.widgets.kpi_picker import KPIPicker
    from goalbook.widgets.link_picker import LinkPicker
    from goalbook.widgets.objective_editor import KeyResultRow, ObjectiveEditor
    from goalbook.widgets.smart_goal_editor import SmartGoalEditor

_HOMES = {
    "AlignmentExplorer": "explorer", "CheckInForm": "check_in_form", "Dashboard": "dashboard",
    "GoalbookWidget": "_base", "KPIPicker": "kpi_picker", "KeyResultRow": "objective_editor",
    "LinkPicker": "link_picker", "ObjectiveEditor": "objective_editor", "SmartGoalEditor": "smart_goal_editor",
    "VerdictPanel": "_verdicts",
}
"""Each widget's module, imported when the widget is first asked for (PEP 562): a review page that shows a
dashboard imports neither plotly nor networkx, which only the alignment explorer draws with."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'goalbook.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"goalbook.widgets.{home}"), name)
    globals()[name] = value
    return value


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
