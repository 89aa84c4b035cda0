"""Every review page address the README prints, opened in headless Chromium over a store seeded as
``goalbook demo`` seeds it, after a facilitator's edits: each page answers with what it promises.

Issue 14, points 1, 9 and 10 as a reader sees them:

- the changes page lists the facilitator's edits first, grouped by goal, on the goalbook's clock (the
  README's own ``?since=2027-02-01`` finds them), the demo's seeded history folded under one counted line;
- each change names the person (``$GOALBOOK_AUTHOR``), never the computer account;
- the README's addresses work (under ``/voila/render/``) and the dashboard names its stale goals.

One ``goalbook review`` server, no ``$GOALBOOK_TODAY`` (as ``make demo`` runs it), every page loading
at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from voila_harness import ReviewServer, changes_groups, new_context, start_review, stop_review, wait_rendered

import goalbook
from goalbook.approvals import Flow
from goalbook.cli.demo import seed_store
from goalbook.model import CheckIn, Link
from goalbook.notebook import TODAY_ENV, open_book

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REVIEW_PAGES = ROOT / "notebooks" / "review"
README_URL = re.compile(r"`http://127\.0\.0\.1:8866(/voila/render/[^`\s]+)`")
PERSON = "Ada Lovelace"
TODAY = "2027-02-26"  # the example's latest check-in: the day every page reports as of
WEEK_AGO = "2027-02-19"


def readme_pages() -> list[str]:
    """The review page addresses the README prints (path and query, without the demo's host)."""
    return README_URL.findall((ROOT / "README.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example seeded as ``goalbook demo`` does, then a facilitator's edits made as :data:`PERSON`
    (configured by ``$GOALBOOK_AUTHOR``, no hub, whatever the OS account): a budget saved, a link
    applied, a check-in recorded for the Web team's lead, a review requested, in that order."""
    db = tmp_path_factory.mktemp("demo") / "goalbook.db"
    assert seed_store(db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOALBOOK_AUTHOR", PERSON)
        mp.delenv("JUPYTERHUB_USER", raising=False)
        ws = open_book(db)
        try:
            store = ws.store
            assert store.author == PERSON
            store.put(replace(store.get("WEB-1"), budget=20000))
            store.add_link(Link("CC-2", "CO-1.KR2", "supports"))
            ws.check_in(CheckIn("WEB-2", date(2027, 2, 26), 3.3, 8, author="web-lead"))
            Flow(store=store).request_review("CC-1")
        finally:
            ws.store.close()
    with goalbook.open(db, readonly=True) as store:
        assert store.latest_check_in() == date.fromisoformat(TODAY)
    return db


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Iterator[ReviewServer]:
    log = tmp_path_factory.mktemp("readme-pages") / "voila.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(TODAY_ENV, raising=False)  # as make demo: the pages pick their day themselves
        running = start_review(REVIEW_PAGES, log, store=demo_db)
    try:
        yield running
    finally:
        stop_review(running)


@pytest.fixture(scope="module")
def pages(browser: Any, server: ReviewServer) -> Iterator[dict[str, Any]]:
    """Each README address opened once, all loading at the same time."""
    paths = readme_pages()
    assert paths, "the README prints no review page address"
    context = new_context(browser)
    opened = {path: context.new_page() for path in paths}
    for path, page in opened.items():
        page.goto(server.url.rstrip("/") + path, wait_until="commit", timeout=120_000)
    for page in opened.values():
        wait_rendered(page, timeout=120_000)
    yield opened
    context.close()


def check_changes(page: Any, since: str) -> None:
    heading = page.inner_text(".goalbook-heading")
    assert heading == f"Northwind Clinics: what changed since {since}"
    text = page.inner_text("body")
    assert f"as of {TODAY}" in text  # the goalbook's day, as every other page
    assert "Nothing changed in this window" not in text
    shown = changes_groups(page)
    # the facilitator's goals only, the goal changed last first, each goal's newest change first
    assert [gid for gid, _ in shown] == ["CC-1", "WEB-2", "CC-2", "WEB-1"]
    by_goal = dict(shown)
    assert [(r["change"], r["what"], r["by"]) for r in by_goal["CC-1"]] == [("approval", "in review", PERSON)]
    assert [(r["change"], r["what"], r["by"]) for r in by_goal["CC-2"]] == [("link added", "supports CO-1.KR2", PERSON)]
    (checked,) = by_goal["WEB-2"]
    assert checked["by"] == f"web-lead (recorded by {PERSON})" and checked["what"].startswith("2027-02-26, value 3.3")
    (budget,) = by_goal["WEB-1"]
    assert (budget["change"], budget["what"], budget["by"]) == ("changed", "budget: 18000 → 20000", PERSON)
    for _, rows in shown:  # recorded today, shown on the goalbook's clock
        assert all(r["when"].startswith(TODAY) for r in rows), rows
    assert "ahead of the calendar" in page.inner_text(".goalbook-notice")
    # point 9: the person, never the computer account
    assert "(OS user)" not in text and not re.search(r"\broot\b", text)
    # the demo's seed: folded under one line with its count, listed once opened
    fold = page.locator("details.goalbook-changes-imported")
    summary = fold.locator("summary").inner_text()
    count = int(re.search(r"Imported history, folded: (\d+) changes on (\d+) goals", summary).group(1))
    assert count > 200 and "by goalbook-demo" in summary
    assert fold.get_attribute("open") is None and not fold.locator("tbody tr").first.is_visible()
    fold.locator("summary").click()
    assert fold.locator("tbody tr").count() == count and fold.locator("tbody tr").first.is_visible()


EXPECT = {
    "/voila/render/changes.ipynb": lambda page: check_changes(page, WEEK_AGO),
    "/voila/render/changes.ipynb?since=2027-02-01": lambda page: check_changes(page, "2027-02-01"),
}


def test_the_readme_lists_every_review_page_under_voila_render() -> None:
    paths = readme_pages()
    names = {p.split("?")[0].rsplit("/", 1)[-1] for p in paths}
    assert names == {p.name for p in REVIEW_PAGES.glob("*.ipynb")}
    assert set(EXPECT) <= set(paths)


def test_the_dashboard_names_its_stale_goals(pages: dict[str, Any]) -> None:
    page = pages["/voila/render/dashboard.ipynb"]
    assert page.locator(".goalbook-dashboard-objective").count() >= 3
    stale = page.inner_text(".goalbook-dashboard-stale")
    assert re.match(r"\d+ without a recent check-in \(stale\): ", stale)
    assert "PPL-2 Cut time-to-hire" in stale and "(people-lead)" in stale


def test_the_team_and_agenda_pages_answer_for_the_web_team(pages: dict[str, Any]) -> None:
    team = pages["/voila/render/team.ipynb?team=Web"]
    assert "· Web" in team.inner_text(".goalbook-dashboard-header")
    assert team.locator('.goalbook-dashboard-smart-goal[data-id="WEB-1"]').count() == 1
    agenda = pages["/voila/render/agenda.ipynb?team=Web"]
    assert f"check-in agenda, {TODAY}" in agenda.inner_text(".goalbook-agenda-title")


def test_the_alignment_page_draws_the_map(pages: dict[str, Any]) -> None:
    page = pages["/voila/render/alignment.ipynb"]
    page.wait_for_selector(".goalbook-alignment-figure .scatterlayer .point", timeout=60_000)
    assert page.locator(".goalbook-alignment-figure .scatterlayer .point").count() >= 30


@pytest.mark.parametrize("path", sorted(EXPECT))
def test_the_changes_page_answers_what_changed_since_the_last_review(pages: dict[str, Any], path: str) -> None:
    EXPECT[path](pages[path])


def test_every_readme_page_rendered_without_an_error(pages: dict[str, Any]) -> None:
    for path, page in pages.items():
        assert page.locator(".voila-error").count() == 0, path
        assert len(page.inner_text("body").strip()) > 100, path
