"""The workshop widgets render fast (issue 6: every widget in under a second on the example goalbook).

- Constructing each editing widget on the example goalbook, absolute bound 1 s; the floor is a
  plain ``ipywidgets.VBox`` holding as many ``Text`` children as the widget's tree has widgets.
- One keystroke in a key result's title (its verdicts and the objective's findings re-checked),
  absolute bound 0.1 s; floor: setting the value of a plain ``Text``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

import goalbook
from benchmarks._harness import Figure, absolute_figure, best_of
from goalbook.widgets import CheckInForm, LinkPicker, ObjectiveEditor, SmartGoalEditor

TODAY = date(2027, 3, 5)
RENDER_LIMIT_S = 1.0
KEYSTROKE_LIMIT_S = 0.1


def _count(w: widgets.Widget) -> int:
    return 1 + sum(_count(c) for c in getattr(w, "children", ()) or ())


def _floor(n: int) -> float:
    return best_of(lambda: widgets.VBox([widgets.Text() for _ in range(n)]), repeat=5)


def run() -> list[Figure]:
    book = goalbook.load_example()
    makers: dict[str, Callable[[], widgets.Widget]] = {
        "ObjectiveEditor(CO-1)": lambda: ObjectiveEditor(book, "CO-1", today=TODAY),
        "SmartGoalEditor(WEB-1)": lambda: SmartGoalEditor(book, "WEB-1", today=TODAY),
        "LinkPicker(KPI-SICK)": lambda: LinkPicker(book, "KPI-SICK", today=TODAY),
        "CheckInForm(CO-1.KR1)": lambda: CheckInForm(book, "CO-1.KR1", today=TODAY),
        "ObjectiveEditor(CO-1) read-only": lambda: ObjectiveEditor(book, "CO-1", today=TODAY, readonly=True),
    }
    figures = []
    for name, make in makers.items():
        n = _count(make())
        figures.append(absolute_figure(f"render {name}, {n} widgets", best_of(make, repeat=5),
                                       f"VBox of {n} Text", _floor(n), RENDER_LIMIT_S))
    editor = ObjectiveEditor(book, "CO-1", today=TODAY)
    title = editor.rows[0].title_input
    texts = iter(range(10**9))

    def keystroke() -> None:
        title.value = f"Raise online bookings from 38% to 60% of all visits {next(texts)}"

    plain = widgets.Text()

    def plain_keystroke() -> None:
        plain.value = f"x {next(texts)}"

    figures.append(absolute_figure("keystroke in a key result: verdicts + findings",
                                   best_of(keystroke, repeat=20), "set a plain Text's value",
                                   best_of(plain_keystroke, repeat=20), KEYSTROKE_LIMIT_S))
    return figures
