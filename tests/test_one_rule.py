"""Rules that used to live in two places and drifted, now in one: what a valid link is (the model's
validate and the alignment graph agree, NaN weight included) and pausing the cycle collector."""

from __future__ import annotations

import gc
import math

import pytest

from goalbook import ValidationError
from goalbook.alignment import alignment_graph
from goalbook.collector import collector_paused
from goalbook.model import Goalbook, KeyResult, Link, Objective, SmartGoal


def book_with(link: Link) -> Goalbook:
    kr = KeyResult("CO-1.KR1", "k", baseline=1, target=2)
    return Goalbook(objectives=[Objective("CO-1", "Delight patients", key_results=[kr])],
                    smart_goals=[SmartGoal("WEB-1", "Ship it")], links=[link])


@pytest.mark.parametrize(("link", "words"), [
    (Link("WEB-1", "CO-1.KR1", weight=math.nan), "weight nan must be above 0"),
    (Link("WEB-1", "CO-1.KR1", weight=0), "weight 0 must be above 0"),
    (Link("WEB-1", "CO-9"), "'CO-9' does not exist (did you mean 'CO-1'?)"),
    (Link("WEB-1", "WEB-1"), "a goal cannot support itself"),
    (Link("WEB-1", "CO-1.KR1", kind="feeds"), "kind 'feeds' is not one of contributes, supports"),
])
def test_validate_and_the_graph_refuse_the_same_links_in_the_same_words(link: Link, words: str) -> None:
    book = book_with(link)
    mine = [p.message for p in book.errors() if p.field.startswith("link")]
    with pytest.raises(ValidationError) as graph:
        alignment_graph(book)
    assert any(words in m for m in mine), mine
    assert [p.message for p in graph.value.problems] == mine


def test_a_weight_written_as_text_is_refused_by_the_graph_as_by_validate() -> None:
    book = book_with(Link("WEB-1", "CO-1.KR1", weight="2"))  # type: ignore[arg-type]  # numpy reads "2" as 2.0
    with pytest.raises(ValidationError) as graph:
        alignment_graph(book, scores=[])
    assert [p.message for p in graph.value.problems] == [p.message for p in book.errors()] == [
        "link WEB-1 → CO-1.KR1: weight '2' must be a number above 0"]


@pytest.mark.parametrize("target", ["CO-1", "CO-1.KR1"])
def test_a_text_weight_is_named_even_when_the_graph_scores_the_book_itself(target: str) -> None:
    """Without ``scores=`` the graph scores the book first; a text weight must still come back as the
    graph's ValidationError naming the link, not a TypeError from inside scoring's roll-up."""
    book = book_with(Link("WEB-1", target, weight="2"))  # type: ignore[arg-type]
    book.objectives[0].driver = "children"  # the objective rolls its contributors up: scoring reads the weight
    with pytest.raises(ValidationError) as graph:
        alignment_graph(book)
    assert [p.message for p in graph.value.problems] == [f"link WEB-1 → {target}: weight '2' must be a number above 0"]


def test_a_weight_that_is_not_a_number_is_named() -> None:
    book = book_with(Link("WEB-1", "CO-1.KR1", weight="heavy"))  # type: ignore[arg-type]
    assert "weight 'heavy' must be a number above 0" in book.errors()[0].message


def test_a_good_link_passes_both() -> None:
    book = book_with(Link("WEB-1", "CO-1.KR1", weight=0.5))
    assert book.errors() == []
    assert alignment_graph(book).edges["WEB-1", "CO-1.KR1"]["weight"] == 0.5


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause leaves an outer one alone
    assert gc.isenabled()
