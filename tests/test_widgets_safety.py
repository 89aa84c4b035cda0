"""What every workshop widget promises: user text reaches it as inert text, read-only builds no
input at all, and each carries its stable CSS class."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
import pytest
from hostile_book import IMG, RAW_TAG, SCRIPT, hostile_book
from widget_tree import html_values, inputs, visible_text, walk

import goalbook
from goalbook.model import CheckIn
from goalbook.widgets import CheckInForm, LinkPicker, ObjectiveEditor, SmartGoalEditor

TODAY = date(2027, 3, 5)

WIDGETS = {
    "objective editor": (ObjectiveEditor, "CO-1", "goalbook-objective-editor"),
    "SMART goal editor": (SmartGoalEditor, "WEB-1", "goalbook-smart-goal-editor"),
    "link picker": (LinkPicker, "KPI-SICK", "goalbook-link-picker"),
    "check-in form": (CheckInForm, "CO-1.KR1", "goalbook-check-in-form"),
}


def _hostile_book() -> goalbook.Goalbook:
    """The shared hostile example, with markup also where the editors, picker and form read."""
    book = hostile_book()
    kr = book.get("CO-1.KR1")
    kr.title = f"{SCRIPT} Raise online bookings from 38% to 60% by 2027-03-31 {IMG}"
    kr.metric = IMG
    web = book.get("WEB-1")
    web.statement = f"{SCRIPT} Cut booking steps from 7 to 3 by 2027-02-28 {IMG}"
    web.metric, web.unit = IMG, SCRIPT
    book.get("KPI-SICK").name = IMG
    book.get("CO-3.KR2").title = f"{SCRIPT} staff {IMG}"
    book.check_ins.append(CheckIn("CO-1.KR1", date(2027, 3, 1), 52, 7, "on_track", IMG, SCRIPT, IMG))
    book.reindex()
    return book


def _build(name: str, book: goalbook.Goalbook, **kwargs: object) -> widgets.Widget:
    cls, goal_id, _ = WIDGETS[name]
    return cls(book, goal_id, today=TODAY, **kwargs)


def _assert_inert(w: widgets.Widget) -> None:
    for markup in html_values(w):
        assert not RAW_TAG.search(markup), markup
    for node in walk(w):
        assert not getattr(node, "description_allow_html", False), node
    shown = visible_text(w)
    assert IMG in shown or SCRIPT in shown  # the text arrived, shown as text


@pytest.mark.parametrize("readonly", [False, True], ids=["editable", "read-only"])
@pytest.mark.parametrize("name", list(WIDGETS))
def test_markup_in_goal_text_reaches_every_widget_as_inert_text(name, readonly):
    w = _build(name, _hostile_book(), readonly=readonly)
    _assert_inert(w)
    assert any("&lt;img" in m or "&lt;script" in m for m in html_values(w)) or any(
        isinstance(n, widgets.Label) and (IMG in n.value or SCRIPT in n.value) for n in walk(w))


def test_markup_typed_into_the_editors_stays_inert_in_verdicts_highlights_and_messages():
    editor = ObjectiveEditor(goalbook.load_example(), None, today=TODAY)
    editor.id_input.value = IMG
    editor.title_input.value = SCRIPT
    editor.period_input.value = IMG
    for row in editor.rows:
        row.title_input.value = f"Raise {IMG} from 3 to {SCRIPT} by 2027-03-31"
        row.baseline_input.value = SCRIPT
        row.fill_button.click()
    editor.save()
    assert editor.message_level == "error"
    _assert_inert(editor)
    goal = SmartGoalEditor(goalbook.load_example(), None, today=TODAY)
    goal.statement_input.value = f"{IMG} Cut {SCRIPT} booking steps from 7 to 3 by 2027-02-28 {IMG}"
    goal.deadline_input.value = SCRIPT
    goal.fill_button.click()
    goal.save()
    _assert_inert(goal)
    assert "&lt;img src=x onerror=alert(1)&gt;" in goal.statement_view.value
    form = CheckInForm(goalbook.load_example(), "CO-1.KR1", today=TODAY)
    form.value_input.value = IMG
    form.wins_input.value = SCRIPT
    form.save()
    assert form.message_level == "error"
    _assert_inert(form)


@pytest.fixture
def readonly_store(tmp_path):
    path = tmp_path / "g.db"
    with goalbook.open(path) as s:
        s.import_book(goalbook.load_example())
    with goalbook.open(path, readonly=True) as s:
        yield s


@pytest.mark.parametrize("name", list(WIDGETS))
def test_read_only_widgets_build_no_input_or_button_anywhere(name, readonly_store):
    cls, goal_id, css = WIDGETS[name]
    w = cls(None, goal_id, store=readonly_store, readonly=True, today=TODAY)
    assert inputs(w) == []
    assert not any(isinstance(n, widgets.Button | widgets.Text | widgets.Textarea | widgets.Dropdown)
                   for n in walk(w))
    assert {css, "goalbook-readonly"} <= set(w._dom_classes)
    assert w.readonly
    assert goal_id in visible_text(w) or readonly_store.get(goal_id).title in visible_text(w)


@pytest.mark.parametrize("name", list(WIDGETS))
def test_editable_widgets_carry_their_css_class_and_have_inputs(name):
    _, _, css = WIDGETS[name]
    w = _build(name, goalbook.load_example())
    assert css in w._dom_classes and "goalbook-readonly" not in w._dom_classes
    assert inputs(w)  # the walker does find inputs when there are some
    assert repr(w) == f"<{type(w).__name__}>"


def test_the_tree_walker_finds_inputs_inside_boxes_and_outputs():
    hidden = widgets.Output()
    hidden.append_display_data(widgets.VBox([widgets.Button(description="Delete everything")]))
    tree = widgets.VBox([widgets.HBox([widgets.Label("a"), widgets.HTML("b")]), hidden])
    assert [w.description for w in inputs(tree)] == ["Delete everything"]
    assert inputs(widgets.VBox([widgets.Label("a"), widgets.HTML("b")])) == []
