"""What the dashboard and team review pages show of a score, checked in headless Chromium on the real pages
(``notebooks/review``) served by the real ``goalbook review`` over a real store (issue 12): a breached bound
in red, a score set by hand with its reason, a dropped key result struck through with its reason, "not
measured yet", a final status once the period is over, and an objective's worst key result."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from voila_harness import ReviewServer, new_context, start_review, stop_review, wait_rendered

import goalbook
from goalbook.model import Goalbook, KeyResult, Objective
from goalbook.notebook import TODAY_ENV
from goalbook.period import Period

pytestmark = pytest.mark.browser

REVIEW_PAGES = Path(__file__).resolve().parents[2] / "notebooks" / "review"
TODAY = "2027-02-14"  # half of 2027-Q1 gone; 2026-Q4 is over
TEAM = "Platform"
RED = "rgb(207, 34, 46)"  # _html.STATUS_COLOURS["off_track"], "missed", "red"
GREEN = "rgb(26, 127, 55)"


def scoring_book() -> Goalbook:
    q1, q4 = Period.parse("2027-Q1"), Period.parse("2026-Q4")
    current = Objective("P-1", "Make the platform dependable", level="team", team=TEAM, owner="sre-lead", period=q1,
                        key_results=[
        KeyResult("P-1.KR1", "Keep p95 API latency below 50 ms", direction="maintain", bound="below", target=50,
                  current=57, unit="ms"),
        KeyResult("P-1.KR2", "Raise weekly sign-ups from 0 to 10 thousand", baseline=0, target=10, current=9,
                  score_override=0.3, score_reason="half the sign-ups were test accounts"),
        KeyResult("P-1.KR3", "Migrate the old cluster", direction="milestone", dropped=date(2027, 2, 1),
                  dropped_reason="the vendor retired the cluster"),
        KeyResult("P-1.KR4", "Cut unplanned upgrade stops from 12 to 3", direction="decrease", baseline=12, target=3),
        KeyResult("P-1.KR5", "Run 4 game days", baseline=0, target=4, current=4)])
    last = Objective("P-0", "Ship the new deploy pipeline", level="team", team=TEAM, owner="sre-lead", period=q4,
                     key_results=[
        KeyResult("P-0.KR1", "Move 20 services to the pipeline", baseline=0, target=20, current=17),
        KeyResult("P-0.KR2", "Cut deploy time from 30 to 10 minutes", direction="decrease", baseline=30, target=10,
                  current=14)])
    return Goalbook(organisation="Scoring review", objectives=[current, last])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewServer]:
    db = tmp_path_factory.mktemp("scoring-store") / "scoring.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(scoring_book())
    log = tmp_path_factory.mktemp("scoring-review") / "voila.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, TODAY)
        srv = start_review(REVIEW_PAGES, log, store=db)
    try:
        yield srv
    finally:
        stop_review(srv)


@pytest.fixture(scope="module")
def pages(browser: Any, server: ReviewServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    context = new_context(browser, viewport={"width": 1500, "height": 900})
    urls = {"dashboard": server.page_url("dashboard.ipynb"),
            "team": server.page_url("team.ipynb", team=TEAM),
            "last-quarter": server.page_url("dashboard.ipynb", period="2026-Q4")}
    opened = {name: context.new_page() for name in urls}
    for name, url in urls.items():
        opened[name].goto(url, wait_until="commit", timeout=120_000)
    for page in opened.values():
        wait_rendered(page, timeout=120_000)
    shots = tmp_path_factory.mktemp("scoring-screenshots")  # to look at by hand: pytest prints nothing of them
    for name, page in opened.items():
        page.screenshot(path=str(shots / f"scoring-{name}.png"), full_page=True)
    yield opened
    context.close()


def row(page: Any, goal: str) -> Any:
    return page.locator(f'tr[data-id="{goal}"]')


def colour(locator: Any, prop: str = "background-color") -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


@pytest.mark.parametrize("name", ["dashboard", "team"])
def test_a_breached_bound_is_red_and_off_track(pages: dict[str, Any], name: str) -> None:
    r = row(pages[name], "P-1.KR1")
    status = r.locator(".goalbook-tag-off_track").first
    assert status.inner_text() == "off track" and colour(status) == RED
    flag = r.locator(".goalbook-flag-breached .goalbook-tag")
    assert flag.inner_text() == "bound breached by 7" and colour(flag) == RED
    assert r.locator(".goalbook-score").inner_text() == "0.0"


@pytest.mark.parametrize("name", ["dashboard", "team"])
def test_a_score_set_by_hand_shows_its_reason(pages: dict[str, Any], name: str) -> None:
    r = row(pages[name], "P-1.KR2")
    assert r.locator(".goalbook-score").inner_text() == "0.3" and colour(r.locator(".goalbook-score"), "color") == RED
    assert r.locator(".goalbook-tag-missed").inner_text() == "missed"  # a grade set by hand is final
    assert r.locator(".goalbook-override").inner_text() == "set by hand: half the sign-ups were test accounts"
    assert "90%" in r.inner_text()  # the progress stays what was measured


@pytest.mark.parametrize("name", ["dashboard", "team"])
def test_a_dropped_key_result_is_struck_through_with_its_reason(pages: dict[str, Any], name: str) -> None:
    r = row(pages[name], "P-1.KR3")
    struck = r.locator(".goalbook-dropped")
    assert "Migrate the old cluster" in struck.inner_text()
    assert "line-through" in colour(struck, "text-decoration-line")
    assert "dropped 2027-02-01: the vendor retired the cluster" in r.inner_text()
    assert r.locator(".goalbook-tag-dropped").inner_text() == "dropped"


@pytest.mark.parametrize("name", ["dashboard", "team"])
def test_a_key_result_with_no_value_says_not_measured_yet(pages: dict[str, Any], name: str) -> None:
    r = row(pages[name], "P-1.KR4")
    assert r.locator(".goalbook-flag-not_measured").inner_text() == "not measured yet"
    assert "0%" in r.inner_text()  # it counts at its baseline


@pytest.mark.parametrize("name", ["dashboard", "team"])
def test_an_objective_names_its_worst_key_result(pages: dict[str, Any], name: str) -> None:
    r = row(pages[name], "P-1")
    assert r.locator(".goalbook-worst").inner_text() == "· 2 key results off track, 1 missed"
    # 1.0 (game days) + 0.3 (set by hand) + 0 (breached) + 0 (not measured) over 4: the dropped one counts nowhere
    assert "32%" in r.inner_text()


def test_after_the_period_the_status_is_final(pages: dict[str, Any]) -> None:
    page = pages["last-quarter"]
    assert "2026-Q4" in page.inner_text(".goalbook-dashboard-header")
    achieved = row(page, "P-0.KR1").locator(".goalbook-tag-achieved")
    assert achieved.inner_text() == "achieved" and colour(achieved) == GREEN
    assert row(page, "P-0.KR2").locator(".goalbook-tag-achieved").inner_text() == "achieved"
    objective = row(page, "P-0").locator(".goalbook-tag").first
    assert objective.inner_text() == "achieved"
    assert row(page, "P-0").locator(".goalbook-tag-on_track, .goalbook-tag-at_risk").count() == 0
