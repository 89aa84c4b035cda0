"""Ranking candidate ideas by ICE and promoting one to approved, in the table and the widget."""

from __future__ import annotations

from datetime import date

from goalbook.examples import load_example
from goalbook.model import Initiative, Link
from goalbook.priority import ranked_ideas
from goalbook.widgets.ideas import IdeaRanking


def book_with_ideas():
    book = load_example()
    book.initiatives += [
        Initiative("IDEA-1", "Text patients their place in the queue", owner="ops-lead", team="Clinics Ops",
                   impact=6, confidence=7, ease=8),
        Initiative("IDEA-2", "Evening phone booking line", owner="cc-lead", team="Contact Centre",
                   impact=4, confidence=6, ease=5),
        Initiative("IDEA-3", "Ask patients what a good wait is", owner="cx-lead", team="Clinics Ops"),  # unscored
        Initiative("IDEA-4", "Second triage nurse at Hull", owner="ops-lead", team="Clinics Ops",
                   impact=7, confidence=8, ease=6),
    ]
    book.links.append(Link("IDEA-1", "CO-2.KR1"))
    book.reindex()
    return book


def test_ideas_are_ranked_by_ice_with_unscored_ones_last():
    frame = ranked_ideas(book_with_ideas())
    # IDEA-1 and IDEA-4 tie at 336: the higher impact (IDEA-4, 7) goes first
    assert frame["id"].tolist() == ["IDEA-4", "IDEA-1", "INI-7", "IDEA-2", "IDEA-3"]
    assert frame["ice"].tolist()[:4] == [336, 336, 140, 120] and frame["ice"].isna().tolist()[-1]
    assert frame.loc[frame["id"] == "IDEA-1", "serves"].item() == "CO-2.KR1"


def test_the_widget_ranks_and_promotes_with_who_and_when():
    book = book_with_ideas()
    w = IdeaRanking(book, readonly=False, author="head-of-clinics", today=date(2027, 3, 1))
    assert "goalbook-idea-ranking" in w._dom_classes
    order = [o[1] for o in w.choice.options]
    assert order == ranked_ideas(book)["id"].tolist()
    w.choice.value = "IDEA-1"
    w.promote_button.click()
    promoted = w.book.get("IDEA-1")
    assert (promoted.status, promoted.approved_by, promoted.approved_on) == ("approved", "head-of-clinics",
                                                                             date(2027, 3, 1))
    assert w.message == "IDEA-1 promoted to approved by head-of-clinics on 2027-03-01"
    assert "IDEA-1" not in [o[1] for o in w.choice.options]  # no longer a candidate
    w.choice.value = "IDEA-2"
    w.promote_button.click()  # Contact Centre ideas are approved by coo or cdo
    assert w.message_level == "error" and "head-of-clinics is not an approver of IDEA-2" in w.message
    assert w.book.get("IDEA-2").status == "candidate"


def test_a_read_only_ranking_has_no_control():
    w = IdeaRanking(book_with_ideas())
    assert not hasattr(w, "choice") and not hasattr(w, "promote_button")
    assert 'data-id="IDEA-1"' in w.table.value and ">336</td>" in w.table.value and ">nan<" not in w.table.value
