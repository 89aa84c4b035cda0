"""GB209: near-duplicate goals, found without comparing every pair.

Two goals are near-duplicates when they are of the same family (objectives; key results and SMART
goals together; KPIs), are set for the same period, and the Jaccard similarity of their word sets
is at least :data:`SIMILARITY` (0.85). Words are normalised first: lower case, function words
dropped, plurals folded, and the common verbs of change folded to one word each ("cut", "reduce"
and "lower" all read ``decrease``), so that "Cut churn to 3% by Q4" and "Reduce our churn to 3% by
Q4" are the same goal in other words. Numbers are kept: "from 30 to 40" and "from 30 to 45" are
different goals.

Scale: goals with the same word set are grouped by hashing (one pass), and the remaining distinct
sets are joined with *prefix filtering* (Bayardo et al., "Scaling up all pairs similarity search",
2007): words are ordered rarest first, and two sets with Jaccard >= t must share one of the first
``|x| - ceil(t·|x|) + 1`` words of the smaller — so each set is compared only with the few sets
that share one of its rarest words, never with all others. The join is exact: it finds every pair
above the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from goalbook.lint.context import BookIndex, text_of
from goalbook.lint.findings import Finding
from goalbook.lint.shape import make
from goalbook.model import Goal, KeyResult, SmartGoal

SIMILARITY = 0.85

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?|[$€£]")
_STOP = frozenset(("a", "an", "the", "of", "to", "from", "by", "for", "in", "on", "at", "and", "or", "our", "their",
                   "its", "we", "be", "is", "are", "with", "into", "per", "within", "over", "than", "as", "this",
                   "that", "all", "each", "every", "which", "who", "it", "them", "they", "us", "you", "your"))
_SYNONYMS = {
    **dict.fromkeys(("increase", "raise", "grow", "lift", "boost", "expand", "improve", "enhance", "rise", "up"),
                    "increase"),
    **dict.fromkeys(("decrease", "reduce", "cut", "lower", "shrink", "drop", "down", "slash", "minimise", "minimize"),
                    "decrease"),
    **dict.fromkeys(("keep", "maintain", "hold", "sustain", "stay", "remain"), "maintain"),
    **dict.fromkeys(("reach", "hit", "achieve", "attain", "get"), "reach"),
}


def _fold(word: str) -> str:
    if word[0].isdigit() or word in ("$", "€", "£"):
        return word.replace(",", "")
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            base = word[: -len(suffix)]
            for cand in (base, base + "e", base[:-1] if base[-1] == base[-2] else ""):
                if cand in _SYNONYMS:
                    return _SYNONYMS[cand]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> frozenset[str]:
    """The normalised set of words duplicates are judged on (see the module docstring)."""
    return frozenset(_fold(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all words of the two sets."""
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similar_pairs(sets: list[frozenset[str]], threshold: float = SIMILARITY) -> Iterator[tuple[int, int, float]]:
    """Every pair ``(i, j, similarity)`` of distinct, non-empty sets with Jaccard >= ``threshold``.

    Exact all-pairs join by prefix filtering with a length filter (module docstring); each pair
    once, ``i < j``.
    """
    freq: Counter[str] = Counter()
    for s in sets:
        freq.update(s)
    ranked = [sorted(s, key=lambda w: (freq[w], w)) for s in sets]
    order = sorted((i for i, s in enumerate(sets) if s), key=lambda i: len(sets[i]))
    index: dict[str, list[int]] = defaultdict(list)
    eps = 1e-9
    for i in order:
        x = sets[i]
        n = len(x)
        min_len = math.ceil(threshold * n - eps)
        prefix = ranked[i][: n - min_len + 1]
        seen: set[int] = set()
        for w in prefix:
            for j in index.get(w, ()):
                if j in seen:
                    continue
                seen.add(j)
                y = sets[j]
                if len(y) < min_len:
                    continue
                sim = jaccard(x, y)
                if sim >= threshold - eps:
                    yield (min(i, j), max(i, j), sim)
        for w in prefix:
            index[w].append(i)


def _family(g: Goal) -> str:
    return "measurable" if isinstance(g, KeyResult | SmartGoal) else g.kind


def group_of(ix: BookIndex, g: Goal) -> tuple[str, str]:
    """``(family, period name)``: only goals of one group can repeat each other."""
    p = ix.period_of(g)
    return (_family(g), p.name if p else "")


def check_duplicates(ix: BookIndex) -> Iterator[Finding]:
    """GB209: for each goal that nearly repeats an earlier one, say which and how close."""
    groups: dict[tuple[str, str], list[Goal]] = defaultdict(list)
    for g in ix.goals.values():
        if g.kind == "initiative":
            continue
        groups[group_of(ix, g)].append(g)
    for key, goals in groups.items():
        if len(goals) > 1:
            yield from _duplicates_in(ix, key, goals)


def words_of(ix: BookIndex, g: Goal) -> frozenset[str]:
    """:func:`words` of a goal's text, kept on ``ix`` (the lint cache fills it with last run's)."""
    ws = ix.words.get(g.id)
    if ws is None:
        ws = ix.words[g.id] = words(text_of(g))
    return ws


def _duplicates_in(ix: BookIndex, key: tuple[str, str], goals: list[Goal]) -> Iterator[Finding]:
    first: dict[frozenset[str], int] = {}  # word set -> position of its first goal in `goals`
    best: dict[int, tuple[float, int]] = {}  # later goal -> (similarity, earlier goal)
    for n, g in enumerate(goals):
        ws = words_of(ix, g)
        if not ws:
            continue
        if ws in first:
            best[n] = (1.0, first[ws])
        else:
            first[ws] = n
    distinct = list(first)
    where = list(first.values())
    pairs = ix.join(key, goals, distinct) if ix.join is not None else similar_pairs(distinct)
    for a, b, sim in pairs:
        ga, gb = where[a], where[b]
        early, late = min(ga, gb), max(ga, gb)
        if late not in best or (sim, -early) > (best[late][0], -best[late][1]):
            best[late] = (sim, early)
    for n in sorted(best):
        sim, m = best[n]
        g, other = goals[n], goals[m]
        linked = any(lk.target == other.id for lk in ix.links_from.get(g.id, ())) or \
            any(lk.target == g.id for lk in ix.links_from.get(other.id, ()))
        how = "the same words" if sim >= 1.0 else f"{sim:.0%} of their words shared"
        if linked:
            yield make("GB209", g, f"{ix.what(g)} repeats {ix.what(other)}, which it is linked to, almost word for "
                                   f"word ({how})",
                       "Say what this team will change to move the other, in its own terms, instead of copying it",
                       "title" if g.kind != "smart_goal" else "statement")
        else:
            yield make("GB209", g, f"{ix.what(g)} {'says' if sim >= 1.0 else 'nearly says'} what {ix.what(other)} "
                                   f"says ({how})",
                       "Merge them into one goal with one owner, or reword each to say what is different",
                       "title" if g.kind != "smart_goal" else "statement")
