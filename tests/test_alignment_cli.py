"""``goalbook graph``: the analyses in a terminal, as JSON, and the figure as an offline web page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from goalbook.cli import main
from goalbook.examples import example_path
from goalbook.model import Goalbook, KeyResult, Link, Objective, SmartGoal

EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"

LOOP = """\
goalbook: 1
organisation: Loop Ltd
objectives:
  - id: CO-1
    title: Grow
    level: company
    period: 2027-Q1
    key_results:
      - {id: CO-1.KR3, title: Close 40 deals, baseline: 10, target: 40}
smart_goals:
  - id: SALES-2
    statement: Close 40 deals by June
    team: Sales
    supports: [CO-1.KR3]
links:
  - {from: CO-1.KR3, to: SALES-2}
"""


def test_text_report_and_offline_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures" / "alignment.html"
    code = main(["graph", str(example_path()), "--today", "2027-02-26", "--html", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "Orphans — goals that serve no company objective (1)\n  KPI-SICK (kpi" in text
    assert "Company key results nothing works toward (1)\n  CO-3.KR4" in text
    assert f"Figure written to {out}" in text
    page = out.read_text(encoding="utf-8")
    assert len(page) > 1_000_000  # plotly.js is inlined ...
    assert not re.search(r"<script[^>]+src=", page)  # ... so nothing is fetched from a CDN
    assert "KPI-SICK" in page and "Northwind Clinics: how every goal serves the strategy" in page
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in out.parent.iterdir()] == ["alignment.html"]  # no temporary file left


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(example_path()), "--format", "json", "--today", "2027-02-26"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["organisation"] == "Northwind Clinics"
    assert [o["id"] for o in data["orphans"]] == ["KPI-SICK"]
    assert {"uncovered", "skipped_levels", "silos", "leading_coverage", "at_risk", "critical", "owner_load",
            "rollup"} <= set(data)
    assert all(r["rolled_up"] is None or isinstance(r["rolled_up"], float) for r in data["rollup"])


def test_focus_team_and_depth_shape_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "web.html"
    assert main(["graph", str(example_path()), "--html", str(out), "--team", "Web", "--depth", "3",
                 "--color-by", "score"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "team Web" in page and "Score 0.7 or more" in page and "INI-8" not in page


def test_an_unknown_focus_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.html"
    assert main(["graph", str(example_path()), "--html", str(out), "--focus", "WEB-9"]) == 2
    assert "goalbook graph: no goal with id 'WEB-9' (did you mean 'WEB-" in capsys.readouterr().err
    assert not out.exists()
    assert main(["graph", str(example_path()), "--depth", "9"]) == 2


def test_a_loop_is_rejected_with_the_loop_spelled_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    assert main(["graph", str(path)]) == 1
    assert "SALES-2 → CO-1.KR3 → SALES-2" in capsys.readouterr().err


@pytest.mark.browser
def test_the_page_renders_offline_in_chromium_and_user_text_stays_inert(tmp_path: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    from playwright.sync_api import sync_playwright

    book = Goalbook(organisation=EVIL, objectives=[Objective("CO-1", EVIL, owner=EVIL, key_results=[
        KeyResult("CO-1.KR1", EVIL, baseline=1, target=2)])],
        smart_goals=[SmartGoal("WEB-1", EVIL, team=EVIL, owner=EVIL)], links=[Link("WEB-1", "CO-1.KR1")])
    src, out = tmp_path / "evil.yaml", tmp_path / "evil.html"
    book.save(src)
    assert main(["graph", str(src), "--html", str(out)]) == 0
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                           "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            page.wait_for_selector("g.scatterlayer .point", timeout=30_000)
            points = page.locator("g.scatterlayer .point")
            assert points.count() == 3
            points.nth(0).hover(force=True)
            page.wait_for_selector("g.hoverlayer text", timeout=10_000)
            hover = page.locator("g.hoverlayer").text_content()
            title = page.locator("g.g-gtitle").text_content()
            images = page.evaluate("document.querySelectorAll('img').length")
        finally:
            browser.close()
    assert "<img src=x onerror=alert(1)>" in hover and "<script>alert(2)</script>" in title  # shown as text
    assert images == 0 and dialogs == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests)
