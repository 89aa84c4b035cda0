"""The site ``goalbook publish`` writes, served by a plain static file server and opened in headless Chromium
with every request off this machine refused: the same checks as the Voilà pages (every objective with
progress and status, every team's goals, the map drawn, no input, the hostile book's markup inert), and
the published dashboard shows what the Voilà dashboard shows for the same store and day."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hostile_book import IMG, SCRIPT, hostile_book
from voila_harness import new_context, render, start_review, stop_review

import goalbook
from goalbook.model import Goalbook
from goalbook.notebook import TODAY_ENV
from goalbook.publish import publish
from goalbook.tables import teams

pytestmark = pytest.mark.browser

REVIEW_PAGES = Path(__file__).resolve().parents[2] / "notebooks" / "review"
TODAY = "2027-02-26"
SHOTS = Path(__file__).resolve().parents[2] / "docs"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def book() -> Goalbook:
    return hostile_book()


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory, book: Goalbook) -> Path:
    db = tmp_path_factory.mktemp("publish-store") / "goals.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(book)
    return db


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_db: Path) -> Iterator[tuple[str, Any]]:
    """The published site on a static file server: (base URL, the Site)."""
    from datetime import date

    out = tmp_path_factory.mktemp("published") / "site"
    published = publish(store_db, out, today=date.fromisoformat(TODAY))
    handler = functools.partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", published
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def opened(browser: Any, site: tuple[str, Any]) -> Iterator[dict[str, Any]]:
    """Every page of the site opened once; dialogs (an ``alert`` from the payload) are recorded."""
    base, published = site
    context = new_context(browser, viewport={"width": 1400, "height": 1000})
    pages: dict[str, Any] = {}
    for name, file in published.pages.items():
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d, page=page: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(base + file, wait_until="load")
        pages[name] = page
    pages["alignment"].wait_for_selector(".goalbook-alignment-figure .scatterlayer .point", timeout=60_000)
    yield pages
    context.close()


def test_dashboard_shows_every_objective_with_progress_and_status(opened: dict[str, Any], book: Goalbook) -> None:
    page = opened["dashboard"]
    rows = page.locator(".goalbook-dashboard-objective")
    shown = {rows.nth(i).get_attribute("data-id"): rows.nth(i) for i in range(rows.count())}
    for objective in book.objectives:
        if objective.id not in shown:
            continue
        row = shown[objective.id]
        assert objective.title in row.inner_text()
        assert row.locator(".goalbook-bar").count() == 1
        assert row.locator(".goalbook-tag").first.inner_text().strip()
        assert "%" in row.inner_text()
    assert {o.id for o in book.objectives if o.level == "company"} <= set(shown)
    assert "as of " + TODAY in page.inner_text(".goalbook-dashboard-header")


def test_every_team_page_shows_its_goals(opened: dict[str, Any], book: Goalbook) -> None:
    for team in teams(book):
        page = opened[f"team:{team}"]
        assert f"· {team}" in page.inner_text(".goalbook-dashboard-header")
        rows = page.locator(".goalbook-dashboard-smart-goal")
        shown = {rows.nth(i).get_attribute("data-id") for i in range(rows.count())}
        assert shown == {g.id for g in book.smart_goals if g.team == team and g.period and g.period.name == "2027-Q1"}
        links = page.locator(".goalbook-page-links a")
        assert links.count() == len(teams(book))


def test_the_index_links_every_page(opened: dict[str, Any], site: tuple[str, Any], book: Goalbook) -> None:
    page = opened["index"]
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    _, published = site
    assert set(hrefs) == {f for name, f in published.pages.items() if name != "index"}
    assert IMG in page.inner_text(".goalbook-site-teams")  # a team named with markup, as text


def test_the_map_is_drawn_offline_from_the_sites_own_plotly(opened: dict[str, Any], book: Goalbook) -> None:
    page = opened["alignment"]
    points = page.locator(".goalbook-alignment-figure .scatterlayer .point").count()
    assert points >= len(book.objectives) + len(book.smart_goals)
    scripts = page.locator("script[src]").evaluate_all("s => s.map(x => x.getAttribute('src'))")
    assert scripts == ["plotly.min.js", "goalbook-plots.js"]


@pytest.mark.parametrize("name", ["index", "dashboard", "alignment", "changes", "team:Web"])
def test_no_input_and_no_script_from_the_book(opened: dict[str, Any], name: str) -> None:
    page = opened.get(name) or next(p for n, p in opened.items() if n.startswith("team:"))
    assert page.locator("input, select, textarea, form, [contenteditable=true]").count() == 0
    assert page.locator("button:not(.modebar-btn), [role=button]:not(.modebar-btn)").count() == 0
    assert page.evaluate("document.readyState") == "complete"
    assert page.dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    inline = page.locator("script:not([src])").evaluate_all("s => s.map(x => x.type)")
    assert set(inline) <= {"application/json"}


def test_the_payload_is_shown_as_text(opened: dict[str, Any]) -> None:
    row = opened["dashboard"].locator('.goalbook-dashboard-objective[data-id="CO-1"]')
    assert IMG in row.inner_text()
    assert SCRIPT in opened["dashboard"].inner_text(".goalbook-dashboard-header")


def goal_rows(page: Any) -> list[str]:
    """The visible text of the dashboard's header, summary, every goal row and every KPI tile, in order."""
    parts = [".goalbook-dashboard-header", ".goalbook-dashboard-summary", ".goalbook-dashboard tr[data-id]",
             ".goalbook-dashboard-kpi"]
    return [t.strip() for css in parts for t in page.locator(css).all_inner_texts()]


def test_published_dashboard_equals_the_voila_dashboard(browser: Any, opened: dict[str, Any], store_db: Path,
                                                        tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, TODAY)
        server = start_review(REVIEW_PAGES, tmp_path / "voila.log", store=store_db)
    context = new_context(browser)
    try:
        page = context.new_page()
        render(page, server.page_url("dashboard.ipynb"), timeout=120_000)
        voila = goal_rows(page)
    finally:
        context.close()
        stop_review(server)
    published = goal_rows(opened["dashboard"])
    assert len(voila) > 20
    assert published == voila


def test_screenshots(opened: dict[str, Any], tmp_path: Path) -> None:
    """Pictures of the published pages, to look at (kept under the test's temporary folder)."""
    for name in ("index", "dashboard", "alignment"):
        path = tmp_path / f"published-{name}.png"
        opened[name].screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    print(f"screenshots in {tmp_path}")
