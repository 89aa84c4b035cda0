"""Fixtures for browser tests: one ``goalbook review`` server over ``tests/browser/notebooks`` and one
headless Chromium for the session, a fresh page per test. Helpers live in ``voila_harness``; test
modules here set ``pytestmark = pytest.mark.browser``.

The test notebooks are served, not collected: nbval must not run them on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import CHROMIUM, NOTEBOOKS, ReviewServer, chromium, make_goal_store, new_context, review_server

collect_ignore_glob = ["notebooks/*"]


@pytest.fixture(scope="session")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SQLite store the review server passes to its kernels as ``GOALBOOK_STORE``."""
    return make_goal_store(tmp_path_factory.mktemp("store") / "goals.db")


@pytest.fixture(scope="session")
def review(tmp_path_factory: pytest.TempPathFactory, store_db: Path) -> Iterator[ReviewServer]:
    """``goalbook review tests/browser/notebooks --store <store_db>`` on a free port, stopped at the end."""
    log = tmp_path_factory.mktemp("review") / "voila.log"
    with review_server(NOTEBOOKS, log, store=store_db) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian (``make test`` installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)")
    with chromium() as b:
        yield b


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test, closed at the end (Voilà then shuts the page's kernel down)."""
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, review: ReviewServer) -> Any:
    """A blank page in its own context, with the session's review server running."""
    return context.new_page()
