"""Preheated review pages (``goalbook review --preheat N``): kernels that ran a review notebook before
anyone asked still show each reader the page they asked for, and the store as it is when they ask.

One server over a folder holding ``notebooks/review/team.ipynb`` (only it: every notebook served gets
a pool, and starting ten kernels would cost the suite time) and the example goalbook in a SQLite
store, two kernels in the pool. The tests wait until ``team.ipynb``'s pool is full before they load anything, so every
page they load comes from a kernel that was started, ran the notebook's imports and waited before
the request (and before the store was changed); the server's log says each load used one.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from voila_harness import ReviewServer, new_context, render, start_review, stop_review

import goalbook
from goalbook.examples import load_example
from goalbook.model import Goalbook

pytestmark = pytest.mark.browser

REVIEW_PAGES = Path(__file__).resolve().parents[2] / "notebooks" / "review"
POOL = 2
TEAM = "Web"
CHANGED = "WEB-1"
NEW_STATEMENT = "Ship one-page booking to all 14 clinics by 2027-02-28, now written after the pool warmed"
USED = re.compile(r"Using pre-heated kernel: (\S+) for team\.ipynb")


def wait_for_log(server: ReviewServer, pattern: str, timeout: float = 240.0) -> None:
    """Block until the server's log says ``pattern`` (a regular expression); fail with the log's tail."""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, server.log.read_text(errors="replace")):
        assert server.process.poll() is None, f"the review server exited:\n{server.log_tail()}"
        assert time.monotonic() < deadline, f"no {pattern!r} in the log after {timeout:.0f} s:\n{server.log_tail()}"
        time.sleep(0.5)


def preheated_loads(server: ReviewServer) -> int:
    return len(USED.findall(server.log.read_text(errors="replace")))


@pytest.fixture(scope="module")
def example() -> Goalbook:
    return load_example()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, example: Goalbook) -> Path:
    db = tmp_path_factory.mktemp("preheat-store") / "goals.db"
    with goalbook.open(db, author="seed") as s:
        s.import_book(example)
    return db


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory, store: Path) -> Iterator[ReviewServer]:
    """The server, once ``team.ipynb``'s pool holds :data:`POOL` kernels waiting for readers."""
    folder = tmp_path_factory.mktemp("preheat")
    pages = folder / "pages"
    pages.mkdir()
    shutil.copy(REVIEW_PAGES / "team.ipynb", pages / "team.ipynb")
    server = start_review(pages, folder / "voila.log", store=store, preheat=POOL)
    try:
        wait_for_log(server, rf"Kernel pool of team\.ipynb is filled with {POOL} kernel")
        yield server
    finally:
        stop_review(server)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def test_a_preheated_team_page_shows_the_team_asked_for(page: Any, warm: ReviewServer, example: Goalbook) -> None:
    before = preheated_loads(warm)
    render(page, warm.page_url("team.ipynb", team=TEAM), timeout=120_000)
    assert preheated_loads(warm) == before + 1, "the page was not served by a preheated kernel"
    assert f"· {TEAM}" in page.inner_text(".goalbook-dashboard-header")
    rows = page.locator(".goalbook-dashboard-smart-goal")
    shown = {rows.nth(i).get_attribute("data-id") for i in range(rows.count())}
    assert shown == {g.id for g in example.smart_goals if g.team == TEAM}


@pytest.fixture(scope="module")
def changed(browser: Any, warm: ReviewServer, store: Path) -> Iterator[tuple[Any, Any, str, int]]:
    """Web's page opened after :data:`CHANGED` was rewritten in the store (the pool had warmed before):
    its browser context, the page, the kernel that served it, and how many preheated loads came before."""
    with goalbook.open(store, author="lead") as s:
        s.put(replace(s.get(CHANGED), statement=NEW_STATEMENT))
    before = preheated_loads(warm)
    context = new_context(browser)
    page = context.new_page()
    render(page, warm.page_url("team.ipynb", team=TEAM), timeout=120_000)
    kernel_id = USED.findall(warm.log.read_text(errors="replace"))[-1]
    yield context, page, kernel_id, before
    context.close()


def test_a_change_after_the_pool_warmed_is_on_the_next_page(changed: tuple[Any, Any, str, int], warm: ReviewServer,
                                                           example: Goalbook) -> None:
    _, page, _, before = changed
    assert preheated_loads(warm) == before + 1, "the page was not served by a preheated kernel"
    row = page.locator(f'.goalbook-dashboard-smart-goal[data-id="{CHANGED}"]')
    assert NEW_STATEMENT in row.inner_text()
    assert example.get(CHANGED).statement not in page.inner_text("#rendered_cells")


def kernel_running(server: ReviewServer, kernel_id: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}api/kernels/{kernel_id}", timeout=30):
            return True
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def test_a_reader_who_leaves_frees_the_kernel(changed: tuple[Any, Any, str, int], warm: ReviewServer) -> None:
    context, _, kernel_id, _ = changed
    assert kernel_running(warm, kernel_id)
    context.close()  # the reader leaves: the page's websocket closes
    deadline = time.monotonic() + 60  # leave_grace is 10 s
    while kernel_running(warm, kernel_id):
        assert time.monotonic() < deadline, f"the kernel of a closed page still runs:\n{warm.log_tail()}"
        time.sleep(1)
