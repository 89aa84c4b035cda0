"""The KPI picker in a real page: words typed in Chromium reach the kernel, the card shows the metric and its
source, and "Use this metric" fills the fields; every user-visible string is the library's, shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import nbformat
import pytest
from voila_harness import ReviewServer, new_context, render, review_server

pytestmark = pytest.mark.browser

CODE = """from goalbook.widgets import KPIPicker
import ipywidgets as widgets
picker = KPIPicker()
filled = widgets.Label("")
filled.add_class("filled")
picker.on_pick(lambda e: setattr(filled, "value", f"{picker.metric} | {picker.unit} | {picker.direction} | "
                                                  f"{picker.indicator}"))
widgets.VBox([picker, filled])
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewServer]:
    folder = tmp_path_factory.mktemp("picker")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "picker.ipynb")
    with review_server(folder, folder / "voila.log") as s:
        yield s


def test_typing_in_the_browser_finds_the_metric_and_using_it_fills_the_fields(browser: Any,
                                                                              server: ReviewServer) -> None:
    context = new_context(browser)
    page = context.new_page()
    try:
        render(page, server.page_url("picker.ipynb"))
        box = page.locator(".goalbook-kpi-picker input[type=text]").first
        box.fill("no-show")
        box.press("Enter")
        card = page.locator(".goalbook-kpi-picker-card")
        card.get_by_text("Appointment no-show rate").wait_for(timeout=30_000)
        assert "appointments not attended / appointments booked x 100" in card.inner_text()
        assert "digital.nhs.uk" in card.inner_text()
        page.get_by_role("button", name="Use this metric").click()
        filled = page.locator(".filled")
        filled.get_by_text("appointment no-show rate | % | decrease | lagging").wait_for(timeout=30_000)
    finally:
        context.close()
