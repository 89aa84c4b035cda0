"""The agenda review page (``notebooks/review/agenda.ipynb``) served by the real ``goalbook review`` over a
store, in headless Chromium: the agenda in order, the approval state and threads read-only, user text inert.

The store is the example goalbook in which CC-2 was sent back with a reason and put in review again, and a
comment thread on it holds an HTML/script payload, written through :class:`goalbook.approvals.Flow` as
users would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import ReviewServer, new_context, render, script_effects, start_review, stop_review

import goalbook
from goalbook.approvals import Flow
from goalbook.examples import load_example
from goalbook.notebook import TODAY_ENV

pytestmark = pytest.mark.browser

REVIEW_PAGES = Path(__file__).resolve().parents[2] / "notebooks" / "review"
TODAY = "2027-02-26"
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
# CC-2 and PPL-2 were never checked in: counted at their baseline, they are behind (off track), not stale
ORDER = ["CO-2.KR1", "CC-2", "PPL-2", "OPS-1", "CO-3.KR1", "CO-3.KR2", "CO-1.KR1", "CC-1", "CO-1.KR4", "CO-2.KR2",
         "CO-2.KR3", "PPL-1", "KPI-WAIT", "CC-2", "DEP-OPS-1", "DATA-2"]
# decisions, longest waiting first: both requests are in the store's log (DEP-OPS-1's came with the import, dated
# 2027-02-17 by the file); CC-2's latest was made by this test, stamped by the store's clock (today, before 2027)


@pytest.fixture(scope="module")
def agenda_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("agenda-store") / "agenda.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(load_example())
    with goalbook.open(db, author="coo") as store:
        flow = Flow(store=store)
        flow.request_changes("CC-2", reason=f"Say how the script is tested {PAYLOAD}")
        first = flow.comment("CC-2", f"Tested with real callers? {PAYLOAD}")
    with goalbook.open(db, author="cc-lead") as store:
        flow = Flow(store=store)
        flow.comment("CC-2", "Yes: twenty recorded calls.", reply_to=first.id)
        flow.request_review("CC-2")
    return db


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, agenda_db: Path) -> Iterator[ReviewServer]:
    log = tmp_path_factory.mktemp("agenda-page") / "voila.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, TODAY)
        srv = start_review(REVIEW_PAGES, log, store=agenda_db)
    try:
        yield srv
    finally:
        stop_review(srv)


@pytest.fixture(scope="module")
def agenda_page(browser: Any, server: ReviewServer) -> Iterator[Any]:
    context = new_context(browser)
    page = context.new_page()
    render(page, server.page_url("agenda.ipynb"))
    yield page
    context.close()


def test_the_agenda_page_lists_what_needs_the_room_in_order(agenda_page: Any) -> None:
    items = agenda_page.locator(".goalbook-agenda-item")
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == ORDER
    sections = agenda_page.locator(".goalbook-agenda-section")
    assert [sections.nth(i).get_attribute("data-section") for i in range(sections.count())] == [
        "off_track", "at_risk", "blocked", "breached", "decisions", "wins"]
    first = items.nth(0).inner_text()
    assert "head-of-clinics" in first and "forecast 19.8 min by 2027-03-31" in first and "5 min" in first
    assert "Suggested length: 53 minutes." in agenda_page.inner_text(".goalbook-agenda-length")
    assert f"check-in agenda, {TODAY}" in agenda_page.inner_text(".goalbook-agenda-title")


def test_approval_state_history_and_threads_are_shown_read_only(agenda_page: Any) -> None:
    thread = agenda_page.locator('.goalbook-approval-thread:has(strong:text-is("CC-2"))')
    assert thread.count() == 1
    text = thread.inner_text()
    assert "in review" in text and "approvers coo, cdo" in text and "owner cc-lead" in text
    steps = thread.locator(".goalbook-approval-steps li").all_inner_texts()
    assert [s.split(" · ", 1)[1] for s in steps] == [  # the file's own request came with the import
        "cc-lead → in review", f"coo → changes requested: Say how the script is tested {PAYLOAD}",
        "cc-lead → in review"]
    comments = thread.locator(".goalbook-thread-comment")
    assert comments.count() == 2
    assert comments.nth(0).get_attribute("data-depth") == "0" and PAYLOAD in comments.nth(0).inner_text()
    assert comments.nth(1).get_attribute("data-depth") == "1"
    assert "twenty recorded calls" in comments.nth(1).inner_text()
    kiosk = agenda_page.locator('.goalbook-approval-thread:has(strong:text-is("CO-2.KR1"))')
    assert "reply to C-1" in kiosk.locator(".goalbook-thread-comment").nth(1).inner_text()
    # read-only by construction: no control to comment or approve, no input of any kind
    assert agenda_page.locator(".goalbook-approval-controls, .goalbook-approval-approve").count() == 0
    assert agenda_page.locator("textarea, input, button").count() == 0
    assert script_effects(agenda_page) == {"ran": 0, "injected": 0}


def test_a_team_agenda_and_an_unknown_team(page: Any, server: ReviewServer) -> None:
    render(page, server.page_url("agenda.ipynb", team="Contact Centre"))
    items = page.locator(".goalbook-agenda-item")
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == ["CC-2", "CC-1", "CC-2"]
    render(page, server.page_url("agenda.ipynb", team="Nobody"))
    assert "There is no team 'Nobody'" in page.inner_text(".goalbook-notice")
    assert page.locator(".goalbook-agenda-item").count() == 0
