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
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from typing import Any

from goalbook.lint.context import BookIndex, text_of, what_is
from goalbook.lint.findings import RULES, Finding
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


def jaccard(a: frozenset[str], b: Collection[str]) -> float:
    """Shared words over all words of the two sets (``b`` may be any collection of distinct words)."""
    if not a and not b:
        return 1.0
    inter = len(a.intersection(b))
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


def groups_of(ix: BookIndex) -> dict[tuple[str, str], list[Goal]]:
    """The goals that can repeat each other, by :func:`group_of`, each group in book order."""
    groups: dict[tuple[str, str], list[Goal]] = defaultdict(list)
    for g in ix.goals.values():
        if g.kind != "initiative":
            groups[group_of(ix, g)].append(g)
    return groups


def check_duplicates(ix: BookIndex) -> Iterator[Finding]:
    """GB209: for each goal that nearly repeats an earlier one, say which and how close."""
    for goals in groups_of(ix).values():
        if len(goals) > 1:
            members = [(g.id, g.kind) for g in goals]
            yield from duplicates_in(members, [words_of(ix, g) for g in goals], similar_pairs,
                                     lambda a, b: _linked(ix, a, b))


def words_of(ix: BookIndex, g: Goal) -> frozenset[str]:
    """:func:`words` of a goal's text, kept on ``ix`` (each goal's words are made once per index)."""
    ws = ix.words.get(g.id)
    if ws is None:
        ws = ix.words[g.id] = words(text_of(g))
    return ws


def _linked(ix: BookIndex, a: str, b: str) -> bool:
    return any(lk.target == b for lk in ix.links_from.get(a, ())) or \
        any(lk.target == a for lk in ix.links_from.get(b, ()))


def duplicates_in(members: Sequence[tuple[str, str]], sets: Sequence[Hashable],
                  join: Callable[[list[Any]], Iterable[tuple[int, int, float]]],
                  linked: Callable[[str, str], bool]) -> Iterator[Finding]:
    """GB209 within one group: ``members`` are its goals' ``(id, kind)`` in book order, ``sets`` their word
    sets, or anything that stands for them one to one (empty for no words); ``join`` finds the similar
    pairs ``(i, j, similarity)`` among the distinct sets it is given (:func:`similar_pairs` for word sets);
    ``linked(a, b)`` says whether a link joins the two goals either way. The lint cache hands in each
    set as its words joined in one string, and a join that reuses last run's pairs."""
    first: dict[Hashable, int] = {}  # word set -> position of its first goal in `members`
    best: dict[int, tuple[float, int]] = {}  # later goal -> (similarity, earlier goal)
    for n, ws in enumerate(sets):
        if not ws:
            continue
        if ws in first:
            best[n] = (1.0, first[ws])
        else:
            first[ws] = n
    distinct = list(first)
    where = list(first.values())
    for a, b, sim in join(distinct):
        ga, gb = where[a], where[b]
        early, late = min(ga, gb), max(ga, gb)
        if late not in best or (sim, -early) > (best[late][0], -best[late][1]):
            best[late] = (sim, early)
    severity = RULES["GB209"].severity
    for n in sorted(best):
        sim, m = best[n]
        (gid, kind), (oid, okind) = members[n], members[m]
        what, other = what_is(kind, gid), what_is(okind, oid)
        how = "the same words" if sim >= 1.0 else f"{sim:.0%} of their words shared"
        field = "title" if kind != "smart_goal" else "statement"
        if linked(gid, oid):
            yield Finding("GB209", severity, f"{what} repeats {other}, which it is linked to, almost word for word "
                                             f"({how})",
                          "Say what this team will change to move the other, in its own terms, instead of copying it",
                          gid, field)
        else:
            yield Finding("GB209", severity, f"{what} {'says' if sim >= 1.0 else 'nearly says'} what {other} says "
                                             f"({how})",
                          "Merge them into one goal with one owner, or reword each to say what is different",
                          gid, field)
