"""The view widgets in a real review page: the dashboard and the alignment explorer render in Voilà and
headless Chromium, a click on the map reaches the kernel and fills the details panel, and markup in
goal text runs nothing. ``docs/screenshots.py`` photographs the same pages for the README."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import nbformat
import pytest
from voila_harness import ReviewServer, new_context, render, review_server, script_effects

pytestmark = pytest.mark.browser

PAYLOAD = ('<img src=x onerror="window.__xss=(window.__xss||0)+1">'
           '<script>window.__xss=(window.__xss||0)+1</script>')
SETUP = f"""from datetime import date
import goalbook
book = goalbook.load_example()
today = date(2027, 2, 26)
if {{hostile}}:
    payload = {PAYLOAD!r}
    book.organisation = payload
    for goal_id in ("CO-1", "CO-2.KR1", "WEB-1", "KPI-WAIT", "INI-1"):
        goal = book.get(goal_id)
        setattr(goal, "name" if goal_id.startswith("KPI") else "statement" if goal_id == "WEB-1" else "title",
                payload)
    book.get("CO-2.KR1").owner = payload
    book.get("WEB-1").team = payload
"""
NOTEBOOKS = {
    "dashboard": "from goalbook.widgets.dashboard import Dashboard\nDashboard(book, today=today, readonly=True)",
    "dashboard_team": ("from goalbook.widgets.dashboard import Dashboard\n"
                       "from goalbook.runtime import query_params\n"
                       "Dashboard(book, today=today, team=query_params().get('team'), readonly=True)"),
    "explorer": "from goalbook.widgets.explorer import AlignmentExplorer\nAlignmentExplorer(book, today=today)",
    "explorer_filtered": ("from goalbook.widgets.explorer import AlignmentExplorer\n"
                          "explorer = AlignmentExplorer(book, today=today)\n"
                          "explorer.filter_inputs['team'].value = 'Web'\nexplorer"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewServer]:
    """``goalbook review`` over one notebook per widget, each on the example and on a hostile copy."""
    folder = tmp_path_factory.mktemp("views")
    for name, code in NOTEBOOKS.items():
        for hostile in (False, True):
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_code_cell(SETUP.format(hostile=hostile) + code)]
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nbformat.write(nb, folder / f"{name}{'_hostile' if hostile else ''}.ipynb")
    with review_server(folder, folder / "voila.log") as s:
        yield s


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def test_the_dashboard_renders_every_objective_in_a_review_page(page: Any, server: ReviewServer) -> None:
    render(page, server.page_url("dashboard.ipynb"))
    assert page.locator(".goalbook-dashboard.goalbook-readonly").count() == 1
    assert page.locator(".goalbook-dashboard-objective").count() == 5
    assert page.locator(".goalbook-dashboard-key-result").count() == 16
    assert page.locator(".goalbook-dashboard-kpi").count() == 5
    assert page.locator(".goalbook-dashboard :is(select, input, button, textarea)").count() == 0
    row = page.locator('.goalbook-dashboard-key-result[data-id="CO-2.KR1"]').inner_text()
    assert "17%" in row and "off track" in row


def test_a_review_page_takes_the_team_from_its_url(page: Any, server: ReviewServer) -> None:
    render(page, server.page_url("dashboard_team.ipynb", team="Web"))
    assert page.locator(".goalbook-dashboard-smart-goal").count() == 3
    assert page.locator(".goalbook-dashboard-objective").count() == 2


def test_clicking_a_goal_on_the_map_shows_its_details(page: Any, server: ReviewServer) -> None:
    render(page, server.page_url("explorer.ipynb"))
    points = page.locator(".goalbook-alignment-explorer .js-plotly-plot .scatterlayer .point")
    points.first.wait_for(timeout=60_000)
    labels = page.locator(".goalbook-alignment-explorer .scatterlayer .textpoint text")
    assert labels.count() == 46  # every goal's dot carries its id
    label = labels.filter(has_text="CO-2.KR1").first.bounding_box()
    lx, ly = label["x"] + label["width"] / 2, label["y"] + label["height"] / 2
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    box = min(boxes, key=lambda b: (b["x"] + b["width"] / 2 - lx) ** 2 + (b["y"] + b["height"] / 2 - ly) ** 2)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly clicks the point it hovers
    page.mouse.click(x, y)
    details = page.locator(".goalbook-alignment-details")
    details.get_by_text("Cut median waiting-room time from 24 to 12 minutes").wait_for(timeout=30_000)
    assert "head-of-clinics" in details.inner_text() and "off track" in details.inner_text()


def test_a_map_filtered_before_it_is_shown_shows_the_filtered_goals(page: Any, server: ReviewServer) -> None:
    render(page, server.page_url("explorer_filtered.ipynb"))
    labels = page.locator(".goalbook-alignment-explorer .scatterlayer .textpoint text")
    labels.first.wait_for(timeout=60_000)
    assert sorted(labels.all_text_contents()) == ["CO-1", "CO-1.KR1", "CO-1.KR2", "DEP-DIG-1", "DEP-DIG-1.KR1",
                                                  "INI-1", "WEB-1", "WEB-2", "WEB-3"]
    assert page.locator(".goalbook-alignment-filters select").first.input_value() == "Web"


@pytest.mark.parametrize("name", ["dashboard", "explorer"])
def test_markup_in_goal_text_runs_nothing_in_the_browser(page: Any, server: ReviewServer, name: str) -> None:
    render(page, server.page_url(f"{name}_hostile.ipynb"))
    widget = page.locator(f".goalbook-{'dashboard' if name == 'dashboard' else 'alignment-explorer'}")
    assert widget.count() == 1
    if name == "explorer":
        page.locator(".goalbook-alignment-explorer .js-plotly-plot .scatterlayer .point").first.wait_for()
    assert PAYLOAD[:20] in widget.inner_text()  # shown as the text it is
    assert script_effects(page) == {"ran": 0, "injected": 0}
