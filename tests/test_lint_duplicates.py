"""Near-duplicate detection: the word normalisation, and the blocked join finds exactly the pairs
comparing every pair would find."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from goalbook.lint.duplicates import SIMILARITY, jaccard, similar_pairs, words


def test_rewordings_of_one_goal_have_the_same_words():
    assert words("Cut churn to 3% by Q4") == words("Reduce our churn to 3% by Q4")
    assert words("Raising weekly active users from 1,200 to 2,000") == words("Raise weekly active user from 1200 "
                                                                             "to 2000")
    assert words("Cut churn to 3% by Q4") != words("Cut churn to 4% by Q4")  # numbers are kept


def test_function_words_do_not_count():
    assert words("the number of the clinics") == {"number", "clinic"}


def brute_force(sets: list[frozenset[str]], t: float) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(sets)), 2)
            if sets[i] and sets[j] and jaccard(sets[i], sets[j]) >= t - 1e-9}


word_sets = st.lists(st.frozensets(st.sampled_from("abcdefghijkl"), max_size=9), max_size=30, unique=True)


@settings(max_examples=200, deadline=None)
@given(word_sets, st.sampled_from([0.5, 0.7, SIMILARITY, 1.0]))
def test_the_blocked_join_finds_exactly_the_pairs_all_pairs_would(sets, t):
    got = {(i, j) for i, j, _ in similar_pairs(sets, t)}
    assert got == brute_force(sets, t)


def test_similarity_is_reported_with_each_pair():
    sets = [frozenset("abcdefg"), frozenset("abcdefgh"), frozenset("xyz")]
    assert list(similar_pairs(sets)) == [(0, 1, 7 / 8)]
