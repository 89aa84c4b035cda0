"""A preheated review kernel reads nothing of the request or the store before its reader arrives.

Voilà runs a review notebook in pooled kernels ahead of any request; :func:`goalbook.notebook.wait_for_reader`
is where such a kernel stops until a page claims it. Here Voilà's wait is replaced by one that records
the moment and hands over a query string, as the server would, so the order can be checked without a
server (``tests/browser/test_review_preheat_browser.py`` checks the same through a real one).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import goalbook
from goalbook.examples import load_example
from goalbook.notebook import open_book, query_param, wait_for_reader
from goalbook.pages import open_team


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run as a preheated kernel whose reader asks for ``?team=Web``; what happened, in order."""
    happened: list[str] = []

    def wait_for_request() -> None:
        happened.append("request")
        os.environ["QUERY_STRING"] = "team=Web"

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr("goalbook.notebook._claimed", False)  # a fresh kernel: no reader yet
    monkeypatch.setattr("voila.utils.wait_for_request", wait_for_request)
    original = goalbook.open

    def opened(*args, **kwargs):
        happened.append("store")
        return original(*args, **kwargs)

    monkeypatch.setattr(goalbook, "open", opened)
    return happened


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "goals.db"
    with goalbook.open(db, author="seed") as s:
        s.import_book(load_example())
    monkeypatch.setenv("GOALBOOK_STORE", str(db))
    return db


def test_outside_a_preheated_kernel_nothing_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setattr("voila.utils.wait_for_request", lambda: pytest.fail("waited outside a preheated kernel"))
    wait_for_reader()


def test_open_book_reads_the_store_only_after_the_request(store: Path, events: list[str]) -> None:
    ws = open_book(readonly=True)
    assert events == ["request", "store"]
    assert ws.book.get("WEB-1") is not None


def test_a_team_page_reads_the_query_and_the_store_after_the_request(store: Path, events: list[str]) -> None:
    source = open_team(query_param("team"))
    assert events == ["request", "store"]
    assert source.requested == "Web" and {g.team for g in source.book.smart_goals} >= {"Web"}


def test_the_wait_happens_once(store: Path, events: list[str]) -> None:
    assert query_param("team") == "Web" and query_param("period") is None
    assert events == ["request"]


def test_a_refilled_kernel_waits_though_it_carries_the_last_readers_query(store: Path, events: list[str],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Voilà refills a pool with the environment of the request that emptied it: the new kernel starts
    with that reader's ``QUERY_STRING`` and must still wait for its own reader before reading the store."""
    monkeypatch.setenv("QUERY_STRING", "team=Web")
    open_book(readonly=True)
    assert events == ["request", "store"]
