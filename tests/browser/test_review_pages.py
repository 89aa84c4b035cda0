"""Review pages served by ``goalbook review``, checked in real headless Chromium: they render, show no code,
keep user text inert, refuse URL template switching, hide tracebacks, and survive forged widget messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    CELL_ERROR,
    GOALS,
    ReviewServer,
    forge_widget_update,
    new_context,
    render,
    script_effects,
    stored_title,
    wait_rendered,
)

pytestmark = pytest.mark.browser

PAYLOAD = ('<img src=x onerror="window.__xss=(window.__xss||0)+1">'
           '<script>window.__xss=(window.__xss||0)+1</script>')
"""The user text in xss_escaped.ipynb and xss_control.ipynb."""


@pytest.fixture(scope="module")
def label_page(browser: Any, review: ReviewServer) -> Iterator[Any]:
    """label.ipynb rendered once for the tests that only read it."""
    context = new_context(browser)
    page = context.new_page()
    render(page, review.page_url("label.ipynb"))
    yield page
    context.close()


def test_a_label_notebook_renders_as_a_review_page(label_page: Any) -> None:
    assert label_page.inner_text(".goalbook-test-label") == "Hello from goalbook"
    # the kernel knows it serves a review, both from Voilà itself and from goalbook review's environment
    assert label_page.inner_text(".goalbook-test-mode") == "in_voila=True review_mode=True GOALBOOK_READONLY=1"


def test_no_source_code_reaches_the_page(label_page: Any) -> None:
    assert "SOURCE-MARKER-7f3a" not in label_page.content()
    assert label_page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror").count() == 0


def test_template_and_theme_cannot_be_switched_from_the_url(page: Any, review: ReviewServer) -> None:
    render(page, review.page_url("label.ipynb", template="reveal", theme="dark"))
    assert "theme-light" in (page.get_attribute("body", "class") or "")
    assert page.locator(".reveal, .slides").count() == 0


def test_a_failing_cell_shows_no_traceback(page: Any, review: ReviewServer) -> None:
    page.goto(review.page_url("raises.ipynb"))
    wait_rendered(page, allow_cell_errors=True)  # the first cell's widget still renders
    text = page.inner_text("body")
    assert "before the error" in text
    assert CELL_ERROR in text
    assert "SECRET-IN-TRACEBACK" not in page.content()
    assert "Traceback" not in text and "RuntimeError" not in text


def test_escaped_user_text_stays_text(page: Any, review: ReviewServer) -> None:
    render(page, review.page_url("xss_escaped.ipynb"))
    assert script_effects(page) == {"ran": 0, "injected": 0}
    assert page.inner_text(".goalbook-test-xss-label") == PAYLOAD
    assert page.inner_text(".goalbook-test-xss-html") == PAYLOAD
    assert page.locator(".jp-OutputArea-output", has_text=PAYLOAD).count() >= 2  # HTML and Markdown outputs


def test_the_script_detector_sees_unescaped_html_run(page: Any, review: ReviewServer) -> None:
    """Negative control: without it, the test above could pass with a detector that sees nothing."""
    render(page, review.page_url("xss_control.ipynb"))
    effects = script_effects(page)
    assert effects["ran"] >= 1
    assert effects["injected"] >= 1


def test_a_forged_update_reaches_the_kernel_and_a_writable_store(page: Any, review: ReviewServer,
                                                                 store_db: Path) -> None:
    """Negative control: a disabled widget does not stop a forged message; only the store connection can."""
    render(page, review.page_url("forge_writable.ipynb"))
    forge_widget_update(page, "goalbook-test-title", {"value": "forged by the page"})
    page.wait_for_function("document.querySelector('.goalbook-test-echo').innerText !== 'untouched'")
    assert page.inner_text(".goalbook-test-echo") == "saved: forged by the page"
    assert stored_title(store_db, "G-2") == "forged by the page"


def test_a_forged_update_changes_nothing_in_a_readonly_store(page: Any, review: ReviewServer, store_db: Path) -> None:
    render(page, review.page_url("forge_readonly.ipynb"))
    forge_widget_update(page, "TextModel", {"value": "forged by the page"})
    page.wait_for_function("document.querySelector('.goalbook-test-echo').innerText !== 'untouched'")
    assert page.inner_text(".goalbook-test-echo").startswith("refused: attempt to write a readonly database")
    assert stored_title(store_db, "G-1") == GOALS["G-1"]
