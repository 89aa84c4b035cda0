"""What a reader sees, at a desktop's 1440 px and a phone's 390 px: pills that never wrap, one colour per
status across the dashboard widget, a dashboard figure and a styled page table, now/target phrased by
direction, advice and blockers never cut off, and every column of the review dashboard on a phone.

One page (``notebooks/look.ipynb``: the review dashboard page of the Northwind example, its progress
figure, a check-in form's history, a styled table of the week's blockers, SMART verdict and lint pills,
and hostile text in a styled table) is rendered once on the session's review server, then looked at
with the window at each width.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from voila_harness import ReviewServer, new_context, render

from goalbook import display
from goalbook.examples import load_example
from goalbook.figures.dashboard import progress_figure

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)
TODAY = date(2027, 2, 26)


def rgb(colour: str) -> str:
    """``#b35900`` as the browser reports it: ``rgb(179, 89, 0)``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.fixture(scope="module")
def rendered(browser: Any, review: ReviewServer) -> Iterator[Any]:
    """look.ipynb rendered once; the tests resize the window (CSS media queries follow), not reload it."""
    context = new_context(browser, viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    render(page, review.page_url("look.ipynb"), timeout=180_000)
    page.wait_for_selector(".js-plotly-plot .trace.bars path", state="attached", timeout=60_000)
    yield page
    context.close()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def look(request: pytest.FixtureRequest, rendered: Any) -> Any:
    """The page at one width, laid out again."""
    rendered.set_viewport_size({"width": request.param, "height": 900})
    rendered.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return rendered


LINES_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  const tops = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 0) tops.push(r.top);
  }
  tops.sort((a, b) => a - b);
  const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
  return [e.innerText.trim(), lines, e.getBoundingClientRect().height];
})"""
"""For each element matching a selector: its text, how many lines its content takes, its height."""


def lines(page: Any, selector: str) -> list[tuple[str, int, float]]:
    return [tuple(x) for x in page.evaluate(LINES_JS, selector)]


def test_no_pill_or_badge_wraps(look: Any) -> None:
    pills = lines(look, ".goalbook-tag")
    assert len(pills) > 40  # the dashboard's statuses and flags, the check-in history, verdicts, lint
    assert {t for t, n, h in pills if n != 1 or h > 20} == set(), "pills taller than one line"
    words = {t for t, _, _ in pills}
    assert {"off track", "at risk", "not measured yet", "GB215 warning", "pass", "warn"} <= words
    # the check-in history: date, value, confidence and status each on one line ("2027-02-/26" no more)
    history = lines(look, ".goalbook-history td:nth-child(-n+4)")
    assert len(history) == 24 and all(n == 1 for _, n, _ in history), history
    assert "2027-02-26" in [t for t, _, _ in history]
    # the SMART criteria and their verdicts ("Time-/bound" no more)
    criteria = lines(look, ".goalbook-verdict-table td:nth-child(-n+2)")
    assert ("Time-bound", 1) in [(t, n) for t, n, _ in criteria] and all(n == 1 for _, n, _ in criteria)


def test_a_status_has_one_colour_in_widget_figure_and_table(look: Any) -> None:
    amber, red, green = rgb(display.STATUS_COLOURS["at_risk"]), rgb(display.RED), rgb(display.GREEN)
    tags = look.evaluate("""() => Object.fromEntries(['at_risk', 'off_track', 'on_track'].map(s => [s,
        Array.from(new Set(Array.from(document.querySelectorAll('.goalbook-tag-' + s))
                                 .map(e => getComputedStyle(e).backgroundColor)))]))""")
    assert tags == {"at_risk": [amber], "off_track": [red], "on_track": [green]}
    # the styled table of the week (a pandas Styler): "At risk" in the same amber
    cells = look.evaluate("""() => Array.from(document.querySelectorAll('.goalbook-styled-table td'))
        .filter(e => ['At risk', 'Off track', 'On track'].includes(e.innerText.trim()))
        .map(e => [e.innerText.trim(), getComputedStyle(e).color])""")
    assert {tuple(c) for c in cells} == {("At risk", amber), ("Off track", red), ("On track", green)}
    # the dashboard figure: its at-risk bars (OPS-1, CO-3.KR1) and off-track bar drawn in the same colours
    fills = set(look.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot .trace.bars path'))
        .map(e => e.style.fill).filter(f => f)"""))
    assert {amber, red, green} <= fills
    drawn = progress_figure(load_example(), today=TODAY, team="Clinics Ops")  # the figure of look.ipynb
    figure = {t.name: t.marker.color for t in drawn.data if t.type == "bar"}
    assert figure["At risk"] == display.STATUS_COLOURS["at_risk"] and figure["Off track"] == display.RED


def test_now_and_target_read_by_direction(look: Any) -> None:
    def row(goal: str) -> str:
        return " ".join(look.inner_text(f'.goalbook-dashboard-objectives tr[data-id="{goal}"] td:nth-child(3)').split())

    assert row("CO-2.KR1") == "22 min, target ≤ 12 min"  # a decrease
    assert row("CO-1.KR3") == "6.8%, must stay ≤ 8%"  # a bound
    assert row("CO-2.KR3") == "3 of 5 checkpoints"  # a milestone
    assert row("CO-1.KR1") == "50%, target ≥ 60%"  # an increase
    assert " of 12 min" not in look.inner_text(".goalbook-dashboard")


def test_advice_and_blockers_are_whole(look: Any) -> None:
    book = load_example()
    blocker = next(c.blockers for c in reversed(book.check_ins) if c.target_id == "CO-2.KR1" and c.blockers)
    cells = look.evaluate("""() => Array.from(document.querySelectorAll(
        '.goalbook-styled-table td, .goalbook-verdict-table td, .goalbook-findings-table td'))
        .map(e => [e.innerText.trim(), e.scrollWidth - e.clientWidth])""")
    texts = [t for t, _ in cells]
    assert blocker in texts  # the whole blocker, not "Needs a decision on self…"
    assert any(t.startswith("add check-ins (history)") and t.endswith("the pace seen") for t in texts)
    assert [t for t, overflow in cells if overflow > 1] == []  # nothing runs out of its cell
    assert not any(t.endswith(("…", "...")) for t in texts)
    assert "NaN" not in look.inner_text("#rendered_cells") and "on_track" not in look.inner_text("#rendered_cells")


def test_user_text_in_a_styled_table_stays_text(look: Any) -> None:
    assert look.evaluate("() => window.__xss") is None
    assert look.locator('.goalbook-styled-table td:has-text("onerror=")').count() == 1


def test_every_column_of_the_dashboard_is_on_screen(look: Any) -> None:
    """At 390 px each goal is a card with every column labelled; at 1440 px a row of the table."""
    cells = look.evaluate("""() => Array.from(document.querySelectorAll(
          '.goalbook-dashboard-objectives tr[data-id="CO-2.KR1"] td')).map(e => {
        const r = e.getBoundingClientRect();
        return [e.dataset.label, Math.round(r.left), Math.round(r.right), r.width > 0 && r.height > 0,
                getComputedStyle(e, '::before').content];
    })""")
    assert [c[0] for c in cells] == ["goal", "owner", "now / target", "progress", "status", "score", "confidence",
                                     "history"]
    width = look.viewport_size["width"]
    assert all(visible and left >= 0 and right <= width for _, left, right, visible, _ in cells), cells
    if width == 390:
        assert [c[4] for c in cells[1:]] == [f'"{c[0]}"' for c in cells[1:]]  # each value says what it is
    dashboard = look.evaluate("""() => { const e = document.querySelector('.goalbook-dashboard');
        return [e.scrollWidth, e.clientWidth]; }""")
    assert dashboard[0] <= dashboard[1] + 1, "the dashboard runs off the side of the screen"
