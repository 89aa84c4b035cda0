"""goalbook for an organisation on a real JupyterHub: people log in through Chromium, save goals and
check-ins through the widgets in their own servers, and the store records each change under its author;
roles from hub groups refuse what a person may not do; the review service is for logged-in members only."""

from __future__ import annotations

import http.client
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from hub_harness import PASSWORD, Hub
from voila_harness import new_context, wait_rendered

import goalbook

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.timeout(900)]

SPAWN_TIMEOUT = 120_000


def log_in(browser: Any, hub: Hub, user: str) -> Any:
    """A new browser context logged in as ``user`` through the hub's login form; returns a page on it."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(hub.url + "hub/login", timeout=60_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r"/(hub/(home|spawn-pending)|user/)"), timeout=SPAWN_TIMEOUT)
    return page


def open_page(page: Any, url: str) -> None:
    """Open a Voilà page (the person's own server or the review service) and wait until its widgets are drawn."""
    page.goto(url, timeout=SPAWN_TIMEOUT)
    wait_rendered(page, timeout=SPAWN_TIMEOUT)


def field(page: Any, label: str, kind: str = "input") -> Any:
    return page.locator(f".widget-inline-hbox:has(> label:text-is('{label}')) {kind}").first


def save_goal(page: Any, hub: Hub, user: str, values: dict[str, str]) -> str:
    open_page(page, f"{hub.url}user/{user}/voila/render/goal.ipynb")
    for label, value in values.items():
        field(page, label, "textarea" if label == "Statement" else "input").fill(value)
    page.locator(".goalbook-smart-goal-editor button", has_text=re.compile(r"^\s*Save\s*$")).click()
    message = page.locator(".goalbook-message-area")
    message.filter(has_text=re.compile("Saved|Not saved")).first.wait_for(timeout=60_000)
    return message.first.inner_text()


def save_check_in(page: Any, hub: Hub, user: str, goal: str, value: str) -> str:
    open_page(page, f"{hub.url}user/{user}/voila/render/checkin.ipynb?goal={goal}")
    field(page, "Value").fill(value)
    page.locator(".goalbook-check-in-form button", has_text="Save check-in").click()
    message = page.locator(".goalbook-message-area")
    message.filter(has_text=re.compile("saved|Not saved")).first.wait_for(timeout=60_000)
    return message.first.inner_text()


def get(hub: Hub, path: str, *, host: str | None = None, cookies: str | None = None) -> http.client.HTTPResponse:
    """One request to the hub's public address, redirects not followed, with a chosen ``Host`` header."""
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)
    headers = {"Host": host or f"127.0.0.1:{hub.port}"}
    if cookies:
        headers["Cookie"] = cookies
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def cookie_header(page: Any) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())


def test_an_organisation_on_jupyterhub(hub: Hub, browser: Any) -> None:
    maria, sam, rita = (log_in(browser, hub, u) for u in ("maria", "sam", "rita"))

    said = save_goal(maria, hub, "maria", {
        "Id": "WEB-9", "Statement": "Cut booking page load time from 4 s to 2 s by 2027-03-31", "Team": "Web",
        "Metric": "page load time", "Unit": "s", "Baseline": "4", "Target": "2", "Deadline": "2027-03-31"})
    assert said.startswith("Saved: WEB-9 saved to"), said
    said = save_check_in(maria, hub, "maria", "WEB-9", "3")
    assert "Check-in of" in said and "saved to" in said, said

    said = save_goal(sam, hub, "sam", {
        "Id": "SAL-1", "Statement": "Raise contract renewals from 70% to 80% by 2027-03-31", "Team": "Sales",
        "Metric": "renewal rate", "Unit": "%", "Baseline": "70", "Target": "80", "Deadline": "2027-03-31"})
    assert said.startswith("Saved: SAL-1 saved to"), said
    said = save_check_in(sam, hub, "sam", "SAL-1", "72")
    assert "Check-in of" in said and "saved to" in said, said

    with goalbook.open(hub.store, readonly=True) as store:
        web1_before = [c for c in store.load().check_ins if c.target_id == "WEB-1"]
    said = save_check_in(sam, hub, "sam", "WEB-1", "5")
    assert said == ("Not saved: sam may not edit goals of team Web: that needs the hub group goalbook-editors-web "
                    "(sam is in goalbook-editors-sales); check-in on WEB-1 not saved, nothing was written"), said

    with goalbook.open(hub.store, readonly=True) as store:
        book = store.load()
        assert store.history("WEB-9")[-1].author == "maria"
        assert store.history("SAL-1")[-1].author == "sam"
        assert [(c.target_id, c.value, c.author) for c in book.check_ins if c.target_id in ("WEB-9", "SAL-1")] == [
            ("WEB-9", 3, "maria"), ("SAL-1", 72, "sam")]
        assert [c for c in book.check_ins if c.target_id == "WEB-1"] == web1_before
        changes = store.diff("2000-01-01")
        assert changes.authors["WEB-9"][0] == "maria" and changes.authors["SAL-1"][0] == "sam"

    # the review service and the reader reach the store as a role that cannot write (checked at the server)
    assert hub.reader != hub.store
    with goalbook.open(hub.reader, readonly=True) as store:
        access = store.role_access()
        assert access.can_write == [] and access.cannot_read == []

    # the reader sees the review pages, with what the editors saved, and no editing control
    open_page(rita, f"{hub.url}services/goalbook-review/voila/render/team.ipynb?team=Web")
    assert rita.get_by_text("WEB-9").count() > 0
    assert rita.get_by_role("button", name=re.compile("^Save")).count() == 0
    assert rita.locator(".goalbook-smart-goal-editor:not(.goalbook-readonly), "
                        ".goalbook-objective-editor:not(.goalbook-readonly), "
                        ".goalbook-check-in-form:not(.goalbook-readonly)").count() == 0

    # no login: the person's server and the review service send the visitor to log in
    anon = new_context(browser).new_page()
    anon.goto(hub.url + "user/maria/lab", timeout=60_000)
    assert urlsplit(anon.url).path == "/hub/login", anon.url
    anon.goto(hub.url + "services/goalbook-review/voila/render/team.ipynb", timeout=60_000)
    assert urlsplit(anon.url).path == "/hub/login", anon.url
    assert anon.locator("input[name=password]").count() == 1
    resp = get(hub, "/services/goalbook-review/voila/render/team.ipynb")
    assert resp.status == 302 and "/hub/api/oauth2/authorize" in resp.getheader("Location", ""), resp.status

    # the review service answers only the hosts the hub is served as
    cookies = cookie_header(rita)
    assert get(hub, "/services/goalbook-review/voila/render/team.ipynb", cookies=cookies).status == 200
    assert get(hub, "/services/goalbook-review/voila/render/team.ipynb", cookies=cookies,
               host="goals.example.org").status == 200
    assert get(hub, "/services/goalbook-review/voila/render/team.ipynb", cookies=cookies,
               host="evil.example:80").status == 403

    # logged in, but in none of goalbook's groups: the service refuses
    eve = log_in(browser, hub, "eve")
    eve.goto(hub.url + "services/goalbook-review/voila/render/team.ipynb", timeout=60_000)
    assert "403" in eve.content() and eve.locator(".jupyter-widgets").count() == 0
