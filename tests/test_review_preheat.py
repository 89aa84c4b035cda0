"""A preheated review kernel reads nothing of the request or the store before its reader arrives.

Voilà runs a review notebook in pooled kernels ahead of any request; :func:`goalbook.notebook.wait_for_reader`
is where such a kernel stops until a page claims it. Here Voilà's wait is replaced by one that records
the moment and hands over a query string, as the server would, so the order can be checked without a
server (``tests/browser/test_review_preheat_browser.py`` checks the same through a real one).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import goalbook
from goalbook.examples import load_example
from goalbook.model import CheckIn, Comment
from goalbook.notebook import ReviewPage, open_book, query_param, wait_for_reader
from goalbook.pages import open_team, team_review

NEW_STATEMENT = "Ship one-page booking to all 14 clinics by 2027-02-28, rewritten after the page was built"


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


# --- pages built ahead of their reader (ReviewPage) ---------------------------------------------------------
def _shown(widget: Any) -> str:
    """Every HTML a page's widget tree shows, joined (what the reader would read)."""
    parts = [getattr(widget, "value", "") if isinstance(getattr(widget, "value", None), str) else ""]
    return "".join([*parts, *(_shown(child) for child in getattr(widget, "children", ()))])


@pytest.fixture
def team_page(store: Path, events: list[str], monkeypatch: pytest.MonkeyPatch) -> ReviewPage:
    """Web's team page built by a refilled pool kernel whose last reader asked for Web too."""
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/voila/render/team.ipynb?team=Web")
    monkeypatch.setenv("GOALBOOK_TODAY", "2027-02-26")
    page = ReviewPage(team_review, params=("team", "period"))
    assert events[0] == "store" and "request" not in events, "the page was not built before its reader came"
    return page


def test_a_page_built_ahead_is_shown_as_built_when_nothing_changed(team_page: ReviewPage, events: list[str]) -> None:
    built = team_page.view.children[0]
    team_page.claim()
    assert "request" in events and team_page.builds == 1
    assert team_page.view.children[0] is built
    assert "· Web" in _shown(built)


def test_a_change_after_the_page_was_built_rebuilds_it(team_page: ReviewPage, store: Path) -> None:
    built = team_page.view.children[0]
    with goalbook.open(store, author="lead") as s:
        s.put(replace(s.get("WEB-1"), statement=NEW_STATEMENT))
    team_page.claim()
    assert team_page.builds == 2
    assert NEW_STATEMENT in _shown(team_page.view) and NEW_STATEMENT not in _shown(built)
    assert built.comm is None, "the page built ahead was not closed: the browser would fetch its widgets too"


def test_a_check_in_after_the_page_was_built_rebuilds_it(team_page: ReviewPage, store: Path) -> None:
    with goalbook.open(store, author="lead") as s:
        s.check_in(CheckIn("WEB-1", date(2027, 2, 25), 4, confidence=8))
    team_page.claim()
    assert team_page.builds == 2


def test_a_reader_asking_for_another_team_gets_that_team(team_page: ReviewPage, monkeypatch: pytest.MonkeyPatch,
                                                         events: list[str]) -> None:
    monkeypatch.setattr("voila.utils.wait_for_request",
                        lambda: (events.append("request"), os.environ.update(QUERY_STRING="team=Data")))
    team_page.claim()
    assert team_page.builds == 2
    assert "· Data" in _shown(team_page.view) and "· Web" not in _shown(team_page.view)


def test_a_new_day_rebuilds_the_page(team_page: ReviewPage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALBOOK_TODAY", "2027-02-27")
    team_page.claim()
    assert team_page.builds == 2


def test_outside_a_preheated_kernel_the_page_is_built_once_for_its_request(store: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "team=Web")
    page = ReviewPage(team_review, params=("team",))
    page.claim()
    assert page.builds == 1 and "· Web" in _shown(page.view)


def test_the_store_stamp_moves_with_every_kind_of_write(tmp_path: Path) -> None:
    with goalbook.open(tmp_path / "s.db", author="seed") as s:
        s.import_book(load_example())
        stamps = [s.stamp()]
        s.load()
        assert s.stamp() == stamps[-1], "reading changed the stamp"
        for write in (lambda: s.put(replace(s.get("WEB-1"), statement="Ship it by 2027-03-31")),
                      lambda: s.check_in(CheckIn("WEB-1", date(2027, 2, 25), 4)),
                      lambda: s.comment(Comment("WEB-1", "Looks good", author="ana")),
                      lambda: s.remove_link("WEB-1", s.load().links_from("WEB-1")[0].target)):
            write()
            assert s.stamp() not in stamps
            stamps.append(s.stamp())
