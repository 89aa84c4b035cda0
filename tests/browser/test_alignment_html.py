"""``goalbook graph --html``: the standalone map opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from goalbook.cli import main
from goalbook.model import Goalbook, KeyResult, Link, Objective, SmartGoal

EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.mark.browser
def test_the_page_renders_offline_in_chromium_and_user_text_stays_inert(tmp_path: Path, context: Any) -> None:
    book = Goalbook(organisation=EVIL, objectives=[Objective("CO-1", EVIL, owner=EVIL, key_results=[
        KeyResult("CO-1.KR1", EVIL, baseline=1, target=2)])],
        smart_goals=[SmartGoal("WEB-1", EVIL, team=EVIL, owner=EVIL)], links=[Link("WEB-1", "CO-1.KR1")])
    src, out = tmp_path / "evil.yaml", tmp_path / "evil.html"
    book.save(src)
    assert main(["graph", str(src), "--html", str(out)]) == 0
    dialogs: list[str] = []
    requests: list[str] = []
    page = context.new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
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
    assert "<img src=x onerror=alert(1)>" in hover and "<script>alert(2)</script>" in title  # shown as text
    assert images == 0 and dialogs == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests)
