"""The real review pages (``notebooks/review``) served by the real ``goalbook review`` over a real goal store,
checked in headless Chromium: each page shows what a reviewer needs, no code and no control that could
change anything, keeps user-written titles as text, and a message forged from the page writes nothing.

The store is the example goalbook with an HTML/script payload in a company objective's title and in a
SMART goal's statement and owner (ids kept), as someone with write access to the store could write it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    ReviewServer,
    changes_groups,
    forge_widget_update,
    new_context,
    render,
    script_effects,
    start_review,
    stop_review,
    wait_rendered,
)

import goalbook
from goalbook.alignment import alignment_graph
from goalbook.display import STATUS_WORDS
from goalbook.examples import load_example
from goalbook.io import to_data
from goalbook.model import Goalbook, Link
from goalbook.notebook import TODAY_ENV
from goalbook.resources import plotly_js
from goalbook.tables import teams

pytestmark = pytest.mark.browser

REVIEW_PAGES = Path(__file__).resolve().parents[2] / "notebooks" / "review"
TODAY = "2027-02-26"
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
OBJECTIVE = "CO-1"
GOAL = "WEB-1"
TEAM = "Web"
PAGES = ("dashboard", "team", "alignment", "changes")
LINK_ADDED = ("WEB-1", "CO-1.KR1")
LINK_REMOVED = ("WEB-2", "CO-1.KR1")
DIALOGS: dict[int, list[str]] = {}
"""The messages of dialogs (``alert``, ``confirm``...) each page of :func:`rendered` opened, by ``id(page)``."""


def hostile_book() -> Goalbook:
    """The example goalbook with :data:`PAYLOAD` in an objective's title and a SMART goal's statement and owner."""
    book = load_example()
    objective = book.get(OBJECTIVE)
    objective.title = f"Booking {PAYLOAD} for all"
    goal = book.get(GOAL)
    goal.statement = f"Ship {PAYLOAD} booking by 2027-02"
    goal.owner = PAYLOAD
    book.reindex()
    return book


def store_state(db: Path) -> dict[str, Any]:
    """Everything a write could change: the goalbook read back, every goal's version, and each table's rows."""
    with goalbook.open(db, readonly=True) as store:
        book = store.load()
        versions = {g.id: store.version(g.id) for g in book.iter_goals()}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        rows = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        last_event = con.execute("select max(seq) from events").fetchone()[0]
    finally:
        con.close()
    return {"book": to_data(book), "versions": versions, "rows": rows, "last_event": last_event}


@pytest.fixture(scope="module")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile goalbook imported two days ago, then one link added and one removed now by an author
    whose name is :data:`PAYLOAD`: the changes page lists the links, the import folded below them."""
    db = tmp_path_factory.mktemp("review-store") / "review.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("goalbook.store._store.utc_now", lambda: datetime.now(UTC).replace(tzinfo=None) - timedelta(days=2))
        with goalbook.open(db, author="seed") as store:
            store.import_book(hostile_book())
    with goalbook.open(db, author=PAYLOAD) as store:
        store.add_link(Link(*LINK_ADDED, "supports"))
        store.remove_link(*LINK_REMOVED)
    return db


@pytest.fixture(scope="module")
def pages_server(tmp_path_factory: pytest.TempPathFactory, review_db: Path) -> Iterator[ReviewServer]:
    """``goalbook review notebooks/review --store review.db``, its kernels dated :data:`TODAY`."""
    log = tmp_path_factory.mktemp("review-pages") / "voila.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, TODAY)  # the server and its kernels inherit it when they start
        server = start_review(REVIEW_PAGES, log, store=review_db)
    try:
        yield server
    finally:
        stop_review(server)


@pytest.fixture(scope="module")
def rendered(browser: Any, pages_server: ReviewServer) -> Iterator[dict[str, Any]]:
    """Each review page opened once, all loading at the same time, for the tests that only read them."""
    context = new_context(browser)
    since = (date.fromisoformat(TODAY) - timedelta(days=3)).isoformat()  # on the goalbook's clock: before the import
    urls = {"dashboard": pages_server.page_url("dashboard.ipynb"),
            "team": pages_server.page_url("team.ipynb", team=TEAM),
            "unknown-team": pages_server.page_url("team.ipynb", team="Nobody's team"),
            "alignment": pages_server.page_url("alignment.ipynb"),
            "changes": pages_server.page_url("changes.ipynb", since=since)}
    pages = {name: context.new_page() for name in urls}
    for page in pages.values():
        page.on("dialog", lambda d, page=page: (DIALOGS.setdefault(id(page), []).append(d.message), d.dismiss()))
    for name, url in urls.items():
        pages[name].goto(url, wait_until="commit", timeout=120_000)
    for page in pages.values():
        wait_rendered(page, timeout=120_000)
    yield pages
    context.close()


@pytest.fixture(scope="module")
def example() -> Goalbook:
    """The goalbook in the store, as seeded."""
    return hostile_book()


def test_dashboard_shows_every_company_objective_with_progress_and_status(rendered: dict[str, Any],
                                                                          example: Goalbook) -> None:
    page = rendered["dashboard"]
    rows = page.locator(".goalbook-dashboard-objective")
    shown = {rows.nth(i).get_attribute("data-id"): rows.nth(i) for i in range(rows.count())}
    company = [o for o in example.objectives if o.level == "company"]
    assert company and {o.id for o in company} <= set(shown)
    for objective in company:
        row = shown[objective.id]
        assert objective.title in row.inner_text()
        assert row.locator(".goalbook-bar").count() == 1
        assert row.locator(".goalbook-tag").count() >= 1
        assert row.locator(".goalbook-tag").first.inner_text().strip()
        assert "%" in row.inner_text()
    assert "as of " + TODAY in page.inner_text(".goalbook-dashboard-header")


def test_team_page_shows_the_teams_goals(rendered: dict[str, Any], example: Goalbook) -> None:
    page = rendered["team"]
    assert f"· {TEAM}" in page.inner_text(".goalbook-dashboard-header")
    rows = page.locator(".goalbook-dashboard-smart-goal")
    shown = {rows.nth(i).get_attribute("data-id") for i in range(rows.count())}
    assert shown == {g.id for g in example.smart_goals if g.team == TEAM}


def test_an_unknown_team_is_named_with_the_teams_there_are(rendered: dict[str, Any], example: Goalbook) -> None:
    page = rendered["unknown-team"]
    message = page.inner_text(".goalbook-notice")
    assert "There is no team 'Nobody's team'" in message
    assert all(team in message for team in teams(example))
    assert page.locator(".goalbook-dashboard").count() == 0
    links = page.locator(".goalbook-page-links a")
    assert links.count() == len(teams(example))


def test_alignment_page_draws_the_map(rendered: dict[str, Any], example: Goalbook) -> None:
    page = rendered["alignment"]
    page.wait_for_selector(".goalbook-alignment-figure .scatterlayer .point", timeout=60_000)
    points = page.locator(".goalbook-alignment-figure .scatterlayer .point").count()
    assert points >= len(example.objectives) + len(example.smart_goals)
    assert "Click a goal on the map" in page.inner_text(".goalbook-alignment-details")


def test_the_map_loads_plotly_js_as_a_file_browsers_cache_and_no_page_loads_plotlys_renderer(
        browser: Any, pages_server: ReviewServer) -> None:
    """The alignment page draws with the basic plotly.js bundle, served by the review server as a file whose
    URL carries its content's hash and which a browser may keep for a year (the kernel sends none); no review
    page downloads plotly's 4.8 MB renderer, and a page without an anywidget not anywidget's extension either.
    (Playwright turns the browser's cache off in a context that routes requests, as every test context does,
    so the headers that let a browser cache it are what is checked.)"""
    context = new_context(browser)
    try:
        page = context.new_page()
        fetched: list[Any] = []
        page.on("response", lambda response: fetched.append(response))
        render(page, pages_server.page_url("alignment.ipynb"), timeout=120_000)
        page.wait_for_selector(".goalbook-alignment-figure .scatterlayer .point", timeout=60_000)
        plotly = [r for r in fetched if "/goalbook/static/" in r.url]
        assert [r.url.split("/goalbook/static/")[1].split("?v=")[0] for r in plotly] == ["plotly-basic.min.js"]
        digest = hashlib.sha256(plotly_js("basic").read_bytes()).hexdigest()[:16]
        assert plotly[0].url.endswith(f"?v={digest}") and plotly[0].status == 200
        assert int(plotly[0].headers["cache-control"].split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
        assert not [r.url for r in fetched if "jupyterlab-plotly" in r.url]
        shown = len(fetched)
        render(page, pages_server.page_url("dashboard.ipynb"), timeout=120_000)
        dashboard = [r.url for r in fetched[shown:]]
        assert any("/labextensions/@jupyter-widgets/" in url for url in dashboard)  # the page loads its widgets
        assert not [url for url in dashboard if any(
            part in url for part in ("jupyterlab-plotly", "/labextensions/anywidget/", "/goalbook/static/"))]
    finally:
        context.close()


def test_changes_page_lists_what_the_store_recorded(rendered: dict[str, Any], example: Goalbook) -> None:
    page = rendered["changes"]
    assert page.inner_text(".goalbook-heading").endswith("what changed since 2027-02-23")
    assert [gid for gid, _ in changes_groups(page)] == [LINK_REMOVED[0], LINK_ADDED[0]]  # the links, the last first
    fold = page.locator("details.goalbook-changes-imported")  # the seeding import two days ago, folded
    summary = fold.locator("summary").inner_text()
    assert "Imported history, folded: " in summary and "by seed" in summary
    text = fold.locator("table").text_content()
    assert OBJECTIVE in text and GOAL in text and "contributes DEP-DIG-1.KR1" in text


def test_changes_page_says_who_added_and_removed_each_link_and_when(rendered: dict[str, Any]) -> None:
    shown = changes_groups(rendered["changes"])
    assert [(gid, r["change"], r["what"]) for gid, rows in shown for r in rows] == [
        (LINK_REMOVED[0], "link removed", f"no longer contributes {LINK_REMOVED[1]}"),
        (LINK_ADDED[0], "link added", f"supports {LINK_ADDED[1]}")]
    for _, rows in shown:
        for row in rows:
            assert row["by"] == PAYLOAD  # the author's name as text, not markup
            assert row["when"].startswith(TODAY)  # recorded now, on the goalbook's clock (GOALBOOK_TODAY)


@pytest.mark.parametrize("name", [*PAGES, "unknown-team"])
def test_no_code_and_no_control_on_the_page(rendered: dict[str, Any], name: str) -> None:
    page = rendered[name]
    assert page.locator(".jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror").count() == 0
    text = page.inner_text("body")
    assert "import goalbook" not in text and "open_book" not in page.content()
    inputs = page.locator("input, select, textarea")
    filters = page.locator(f"{FILTERS} select, {FILTERS} input")
    assert inputs.count() == filters.count(), "an input outside the map's filters"
    assert (filters.count() > 0) == (name == "alignment")
    assert page.locator("[contenteditable=true]").count() == 0
    buttons = page.locator("button:not(.modebar-btn), [role=button]:not(.modebar-btn)")
    assert buttons.count() == 0, buttons.first.evaluate("b => b.outerHTML")
    for word in ("Save", "Apply", "Submit", "Approve"):
        assert page.get_by_role("button", name=word).count() == 0


@pytest.mark.parametrize("name", [*PAGES, "unknown-team"])
def test_no_script_from_the_store_runs(rendered: dict[str, Any], name: str) -> None:
    page = rendered[name]
    assert script_effects(page) == {"ran": 0, "injected": 0}
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator('img[src="x"]').count() == 0
    assert DIALOGS.get(id(page), []) == []


def test_the_payload_is_shown_as_text_where_titles_are(rendered: dict[str, Any]) -> None:
    dashboard = rendered["dashboard"].locator(f'.goalbook-dashboard-objective[data-id="{OBJECTIVE}"]')
    assert PAYLOAD in dashboard.inner_text()
    goal = rendered["team"].locator(f'.goalbook-dashboard-smart-goal[data-id="{GOAL}"]')
    assert goal.inner_text().count(PAYLOAD) == 2  # statement and owner
    # the goal's statement and owner above its changes, and the author of the link added
    assert rendered["changes"].inner_text(f'.goalbook-changes-goal[data-id="{GOAL}"]').count(PAYLOAD) == 3


def test_the_maps_filters_redraw_the_drawn_map_clicks_show_details_and_nothing_is_written(
        browser: Any, pages_server: ReviewServer, review_db: Path, example: Goalbook) -> None:
    """Each filter a reader picks redraws the map's drawn points and ids; a click on a dot shows its goal;
    a page may send any widget message (a forged click, forged state): the kernel acts on it, the store stays."""
    before = store_state(review_db)
    context = new_context(browser, viewport={"width": 1440, "height": 1000})
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        render(page, pages_server.page_url("alignment.ipynb"), timeout=120_000)
        page.wait_for_selector(f"{MAP} .scatterlayer .textpoint text", state="attached", timeout=60_000)
        everything = drawn_ids(page)
        assert everything <= {g.id for g in example.iter_goals()} and len(everything) >= 40  # ids that fit
        selects = page.locator(f"{FILTERS} select")

        selects.nth(0).select_option(label=TEAM)
        web = {g.id for g in example.iter_goals() if getattr(g, "team", None) == TEAM}
        redrawn = wait_drawn(page, lambda ids: ids != everything)
        assert web <= redrawn < everything and "CO-3" not in redrawn  # the team's goals and what they serve
        assert count_shown(page) == len(redrawn)
        selects.nth(0).select_option(index=0)
        assert wait_drawn(page, lambda ids: ids == everything) == everything

        selects.nth(2).select_option(label=STATUS_WORDS["at_risk"])
        at_risk = wait_drawn(page, lambda ids: ids != everything)
        graph = alignment_graph(example, today=date.fromisoformat(TODAY))
        assert at_risk == {n for n, status in graph.nodes(data="status") if status == "at_risk"} != set()
        selects.nth(2).select_option(index=0)
        wait_drawn(page, lambda ids: ids == everything)

        selects.nth(1).select_option(label="company")
        company = wait_drawn(page, lambda ids: ids != everything)
        assert OBJECTIVE in company and GOAL not in company
        selects.nth(1).select_option(index=0)
        wait_drawn(page, lambda ids: ids == everything)

        find = page.locator(f"{FILTERS} input[type=text]")
        find.fill(GOAL)
        find.press("Enter")  # the goal found: its details and the map around it
        around = wait_drawn(page, lambda ids: ids != everything)
        assert GOAL in around and "CO-3" not in around and len(around) < 10
        assert page.get_by_label("Around the selected goal").is_checked()
        details = page.locator(".goalbook-alignment-details")
        details.locator(f"[data-id='{GOAL}']").wait_for(timeout=30_000)
        assert PAYLOAD in details.inner_text()  # the payload in its statement, as text
        page.get_by_text("Around the selected goal").click()
        wait_drawn(page, lambda ids: ids == everything)

        box = page.evaluate(POINT_JS, [MAP, "CO-3.KR1"])  # a real click on a dot of the redrawn map
        page.mouse.move(box[0], box[1])
        page.mouse.click(box[0], box[1])
        details.locator("[data-id='CO-3.KR1']").wait_for(timeout=30_000)

        assert page.evaluate(SEND_JS, ["goalbook-alignment-figure", {"event": "click", "id": OBJECTIVE}])
        details.locator(f"[data-id='{OBJECTIVE}']").wait_for(timeout=30_000)
        assert PAYLOAD in details.inner_text()
        forge_widget_update(page, "goalbook-alignment-details", {"value": "<b>forged</b>"})
        forge_widget_update(page, "goalbook-alignment-figure", {"spec": {"data": [], "layout": {"title": "forged"}}})
        assert script_effects(page) == {"ran": 0, "injected": 0}
        assert page.locator('img[src="x"]').count() == 0
    finally:
        context.close()
    assert dialogs == []
    assert store_state(review_db) == before


MAP = ".goalbook-alignment-figure"
FILTERS = ".goalbook-alignment-filters"
"""The alignment page's filters: drop-downs, a goal finder and check boxes that only redraw the map."""
DRAWN_JS = "(map) => Array.from(document.querySelectorAll(map + ' .scatterlayer .textpoint text'), t => t.textContent)"
"""The id written beside every dot drawn in the map's SVG."""
POINT_JS = """([map, id]) => {
  const mid = el => { const r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; };
  const label = Array.from(document.querySelectorAll(map + ' .scatterlayer .textpoint text'))
    .find(t => t.textContent === id);
  const [lx, ly] = mid(label);
  const dots = Array.from(document.querySelectorAll(map + ' .scatterlayer .points .point'), mid);
  return dots.reduce((a, b) => (Math.hypot(a[0] - lx, a[1] - ly) <= Math.hypot(b[0] - lx, b[1] - ly) ? a : b));
}"""
SEND_JS = """async ([match, content]) => {
  const manager = await window.jupyterapp.widgetManagerPromise.promise;
  const models = await Promise.all(Object.values(manager._models));
  const hits = models.filter(m => (m.get('_dom_classes') || []).includes(match));
  for (const model of hits) model.send(content);
  return hits.length;
}"""
"""Send a custom widget message from the page, as the map does on a click (and as a hostile page could)."""


def drawn_ids(page: Any) -> set[str]:
    return set(page.evaluate(DRAWN_JS, MAP))


def wait_drawn(page: Any, done: Any, timeout: float = 30.0) -> set[str]:
    """The ids drawn once ``done(ids)`` holds (the map redraws after a round trip to the kernel)."""
    end = time.monotonic() + timeout
    while True:
        ids = drawn_ids(page)
        if done(ids) or time.monotonic() > end:
            assert done(ids), f"the drawn map did not change as expected: {sorted(ids)}"
            return ids
        page.wait_for_timeout(200)


def count_shown(page: Any) -> int:
    return int(page.inner_text(".goalbook-alignment-legend").split(" of ")[0].split()[-1])


def test_a_forged_dashboard_update_writes_nothing(page: Any, pages_server: ReviewServer, review_db: Path) -> None:
    before = store_state(review_db)
    render(page, pages_server.page_url("dashboard.ipynb"))
    for part in ("goalbook-dashboard-objectives", "goalbook-dashboard-goals", "goalbook-dashboard-header"):
        forge_widget_update(page, part, {"value": f'<span class="forged">forged {PAYLOAD}</span>'})
    assert forge_widget_update(page, "goalbook-dashboard", {"_dom_classes": ["goalbook-dashboard", "forged"]})
    page.wait_for_load_state("networkidle")
    assert store_state(review_db) == before


def test_ten_simultaneous_dashboard_loads_all_render(browser: Any, pages_server: ReviewServer,
                                                     example: Goalbook) -> None:
    """Ten reviewers at once, each in its own context, all navigating before any page renders.

    Every page must render; how fast is `make bench`'s (a timed test would fail on a busy machine):
    ten kernels starting at once on two cores, beside the other test worker, take minutes here."""
    company = {o.id for o in example.objectives if o.level == "company"}
    contexts = [new_context(browser) for _ in range(10)]
    try:
        pages = [ctx.new_page() for ctx in contexts]
        for p in pages:
            p.goto(pages_server.page_url("dashboard.ipynb"), wait_until="commit", timeout=300_000)
        for p in pages:
            wait_rendered(p, timeout=300_000)
            rows = p.locator(".goalbook-dashboard-objective")
            assert company <= {rows.nth(i).get_attribute("data-id") for i in range(rows.count())}
    finally:
        for ctx in contexts:
            ctx.close()


MAP_BOXES_JS = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const fig = document.querySelector('.goalbook-alignment-figure');
  const labels = Array.from(fig.querySelectorAll('.scatterlayer .textpoint text'))
    .filter(t => t.getClientRects().length && getComputedStyle(t).display !== 'none'
                 && getComputedStyle(t.parentNode).display !== 'none')
    .map(t => [t.textContent, box(t)]);
  const markers = Array.from(fig.querySelectorAll('.scatterlayer .points .point'))
    .filter(m => m.getClientRects().length && getComputedStyle(m).fill !== 'none'
                 && getComputedStyle(m).fillOpacity !== '0')
    .map(box);
  const legend = document.querySelector('.goalbook-alignment-legend');
  const [l, t, r, b] = box(legend);
  const hit = document.elementFromPoint((l + r) / 2, (t + b) / 2);
  return {labels, markers, plot: box(fig.querySelector('.nsewdrag')), figure: box(fig), legend: box(legend),
          legendOnTop: legend.contains(hit) || hit === legend,
          details: box(document.querySelector('.goalbook-alignment-details')),
          width: document.documentElement.clientWidth, text: document.body.innerText};
}"""
"""Where the map's parts are drawn: every id shown beside a dot, every filled marker (rings are
outlines), the plot area, the page's legend (and whether it is what a click at its middle reaches), the
details panel."""


def overlaps(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    """Whether two boxes ``[left, top, right, bottom]`` share more than ``slack`` px each way."""
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


@pytest.mark.parametrize("width", [1440, 390])
def test_the_map_is_readable_at_desktop_and_phone_width(browser: Any, pages_server: ReviewServer,
                                                        width: int) -> None:
    """No id overlaps another id or a marker, or is cut at the plot's edge, the legend is never under the
    details panel,
    the title is shown once, and on a wide screen the map takes most of the width."""
    context = new_context(browser, viewport={"width": width, "height": 1000})
    try:
        page = context.new_page()
        render(page, pages_server.page_url("alignment.ipynb"), timeout=120_000)
        page.wait_for_selector(".goalbook-alignment-figure .scatterlayer .textpoint text", state="attached",
                               timeout=60_000)
        page.wait_for_load_state("networkidle")
        seen = page.evaluate(MAP_BOXES_JS)
    finally:
        context.close()
    labels = seen["labels"]
    assert len(labels) >= 20, f"only {len(labels)} ids shown"
    plot = seen["plot"]
    for text, b in labels:
        assert plot[0] - 1 <= b[0] and b[2] <= plot[2] + 1, f"{text} is cut at the plot's edge: {b} vs {plot}"
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:] if overlaps(a[1], b[1])]
    assert clashes == []
    covered = [text for text, b in labels if any(overlaps(b, m, slack=1.0) for m in seen["markers"])]
    assert covered == [], f"ids under a marker at {width} px"
    assert seen["legendOnTop"], "something covers the legend"
    assert not overlaps(seen["legend"], seen["details"]) and not overlaps(seen["legend"], seen["figure"])
    assert seen["legend"][2] <= seen["width"] + 1 and seen["figure"][2] <= seen["width"] + 1
    assert seen["text"].count("how every goal serves the strategy") == 1
    if width >= 1000:
        assert seen["figure"][2] - seen["figure"][0] >= 0.6 * width
        assert len(labels) == len({b[0] for b in labels}) >= 40  # room for nearly every id
