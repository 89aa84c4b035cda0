"""Roles from hub groups, enforced in the store's write path: a refused write names the user, the team
and the group it needs, and writes nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

import goalbook
from goalbook.model import CheckIn, Comment, Link, SmartGoal
from goalbook.store._authz import AccessDenied, Policy, team_slug


@pytest.fixture(autouse=True)
def _no_hub(monkeypatch):
    for key in ("JUPYTERHUB_USER", "GOALBOOK_GROUPS", "JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN",
                "GOALBOOK_EDITORS_PREFIX", "GOALBOOK_APPROVERS_GROUP"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def seeded(store_url, small_book):
    with goalbook.open(store_url, author="admin") as s:
        s.import_book(small_book)
    return store_url


def _as(monkeypatch, url, user, groups):
    monkeypatch.setenv("JUPYTERHUB_USER", user)
    monkeypatch.setenv("GOALBOOK_GROUPS", ",".join(groups))
    return goalbook.open(url)


def _counts(url):
    with goalbook.open(url, readonly=True) as s:
        book = s.load()
        return len(book.check_ins), len(book.comments), len(book.links), s.version("WEB-1"), s.version("CO-1")


def test_an_editor_of_the_team_writes_under_their_name(seeded, monkeypatch):
    with _as(monkeypatch, seeded, "maria", ["goalbook-editors-web"]) as s:
        goal = s.get("WEB-1")
        s.put(replace(goal, budget=20000))
        s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5, 7))
        s.check_in(CheckIn("WEB-O.KR1", date(2027, 1, 15), 7))  # a key result belongs to its objective's team
        s.comment(Comment("WEB-1", "on its way"))
        s.add_link(Link("WEB-1", "CO-1.KR1"))
        s.request_review("WEB-1")
        assert s.history("WEB-1")[-1].author == "maria"


def test_editing_another_teams_goal_is_refused_naming_user_team_and_group_and_nothing_is_written(seeded, monkeypatch):
    before = _counts(seeded)
    with _as(monkeypatch, seeded, "sam", ["goalbook-editors-sales", "goalbook-readers"]) as s:
        goal = s.get("WEB-1")
        with pytest.raises(AccessDenied) as err:
            s.put(replace(goal, budget=1))
        assert str(err.value) == ("sam may not edit goals of team Web: that needs the hub group goalbook-editors-web "
                                  "(sam is in goalbook-editors-sales, goalbook-readers); smart goal WEB-1 not saved, "
                                  "nothing was written")
        for write in (lambda: s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5)),
                      lambda: s.comment(Comment("WEB-1", "nope")),
                      lambda: s.add_link(Link("WEB-1", "CO-1.KR1")),
                      lambda: s.remove_link("WEB-1", "CO-1.KR2"),
                      lambda: s.delete("WEB-1"),
                      lambda: s.request_review("WEB-1"),
                      lambda: s.check_in(CheckIn("CO-1.KR1", date(2027, 1, 15), 44))):  # company objective
            with pytest.raises(AccessDenied, match=r"^sam may not edit goals of team (Web|company)"):
                write()
    assert _counts(seeded) == before


def test_moving_a_goal_to_your_team_needs_rights_on_the_team_it_leaves(seeded, monkeypatch):
    with _as(monkeypatch, seeded, "sam", ["goalbook-editors-sales"]) as s:
        with pytest.raises(AccessDenied, match="team Web"):
            s.put(replace(s.get("WEB-1"), team="Sales"))
        s.put(SmartGoal("SAL-1", "Raise renewals from 70% to 80% by 2027-03-31", team="Sales", metric="renewals",
                        baseline=70, target=80, unit="%", deadline=date(2027, 3, 31)), expected_version=0)
    with goalbook.open(seeded, readonly=True) as s:
        assert s.get("WEB-1").team == "Web"
        assert s.history("SAL-1")[-1].author == "sam"


def test_only_approvers_approve_and_readers_write_nothing(seeded, monkeypatch):
    with _as(monkeypatch, seeded, "maria", ["goalbook-editors-web"]) as s:
        s.request_review("WEB-1")
        with pytest.raises(AccessDenied, match=r"^maria may not approve goals .* goalbook-approvers"):
            s.approve("WEB-1")
    with _as(monkeypatch, seeded, "rita", ["goalbook-readers"]) as s:
        with pytest.raises(AccessDenied, match=r"^rita may not approve"):
            s.approve("WEB-1")
        with pytest.raises(AccessDenied, match=r"^rita may not edit .*\(rita is in goalbook-readers\)"):
            s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    with _as(monkeypatch, seeded, "alex", ["goalbook-approvers"]) as s:
        s.comment(Comment("WEB-1", "fine by me"))
        s.approve("WEB-1")
        assert s.approval("WEB-1").by == "alex"


def test_imports_are_for_admins(seeded, monkeypatch, small_book):
    with (_as(monkeypatch, seeded, "maria", ["goalbook-editors-web"]) as s,
          pytest.raises(AccessDenied, match=r"^maria may not import whole goalbooks.*goalbook-admins")):
        s.import_book(small_book)
    with _as(monkeypatch, seeded, "root", ["goalbook-admins"]) as s:
        assert s.import_book(small_book).created == 0


def test_group_names_are_configurable(seeded, monkeypatch):
    monkeypatch.setenv("GOALBOOK_EDITORS_PREFIX", "okr-")
    with (_as(monkeypatch, seeded, "maria", ["goalbook-editors-web"]) as s,
          pytest.raises(AccessDenied, match="needs the hub group okr-web")):
        s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    with _as(monkeypatch, seeded, "maria", ["okr-web"]) as s:
        s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))


def test_team_names_become_group_names():
    assert team_slug("Customer Care") == "customer-care"
    assert team_slug("R&D / Labs") == "r-d-labs"
    assert Policy().editor_group("Web") == "goalbook-editors-web"
    assert Policy().all_groups(["Web"]) == ["goalbook-admins", "goalbook-approvers", "goalbook-readers",
                                            "goalbook-editors-web"]


def test_an_unreachable_hub_refuses_the_write(seeded, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:9/hub/api")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    before = _counts(seeded)
    with goalbook.open(seeded) as s, pytest.raises(AccessDenied, match=r"cannot ask the hub .* nothing was written"):
        s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    assert _counts(seeded) == before


def test_in_a_hub_nobody_writes_under_another_name(seeded, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "sam")
    monkeypatch.setenv("GOALBOOK_GROUPS", "goalbook-editors-web")
    before = _counts(seeded)
    with (goalbook.open(seeded, author="maria") as s,
          pytest.raises(AccessDenied, match=r"logged in to the hub as sam, but .* as maria")):
        s.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5))
    assert _counts(seeded) == before
