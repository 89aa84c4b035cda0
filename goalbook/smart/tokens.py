"""Splitting a statement into tokens that keep their character offsets.

One compiled pattern, applied once from left to right: every alternative consumes at least one
character and none can backtrack over another (no nested quantifiers), so tokenising is linear in
the length of the text. Offsets refer to the original string, which is what highlighting needs.
"""

from __future__ import annotations

import re
from operator import attrgetter

from goalbook.smart.lexicon import ACH, FUNC, INTENT, MONTH, NUMWORD, PREP, QUANT, REL, SUBORD, VERB, tags_of

_KNOWN: dict[str, int] = {}  # every word's tags, as it is first met (bounded: cleared when large)


def _learn(word: str) -> int:
    if len(_KNOWN) > 200_000:
        _KNOWN.clear()
    t = _KNOWN[word] = tags_of(word)
    return t


#: endings of verbs made from nouns and adjectives: "Decarbonise own operations", "Digitalize records"
_VERB_SUFFIXES = ("ise", "ize", "ify", "ate")
_NOT_OBJECT = PREP | FUNC
#: what a statement's first word must not be to read as an imperative before a determiner
_NOT_IMPERATIVE = VERB | FUNC | PREP | MONTH | NUMWORD | QUANT | SUBORD | REL
_MODALS = frozenset({"will", "shall", "must", "can", "should", "'ll", "ll", "would", "could", "may"})
_TRIGGERS = _MODALS | {"to"}
_OPENERS = _MODALS | INTENT
_DETERMINERS = frozenset({"the", "a", "an", "our", "my", "your", "their", "its", "all", "every", "each", "this",
                          "these", "those", "more", "less", "fewer"})

_TOKEN = re.compile(
    r"([^\W\d_][^\W_]*(?:['’][^\W\d_]+)*)"  # 1: words, letter first: q4, fy27, p95, don't
    r"|(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?!\d)"  # 2: 2027-03-31, 2027/03/31
    r"|(\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2}))(?!\d)"  # 3: 31/03/2027, 31.03.27
    r"|(\d+(?:[.,]\d+)*)"  # 4: 1,200.50  3.2  10
    r"|(\S)"  # 5: any other visible character
)
#: the same pattern for text that is all ASCII (most statements): ASCII classes test faster
_TOKEN_ASCII = re.compile(_TOKEN.pattern, re.ASCII)
_KIND = (None, "w", "D", "d", "n", "p")
_Match = re.Match
#: ASCII characters ``str.split`` takes for white space and the pattern's ``\s`` (ASCII) does not
_SPLIT_DIFFERS = frozenset("\x1c\x1d\x1e\x1f")
_LASTINDEX = attrgetter("lastindex")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-", "‐": "-",
                              "‑": "-"})


def lower_same_length(text: str) -> str:
    """``text.lower()`` with every character kept at its offset (a few letters lower to two chars)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Tokens:
    """Parallel lists: lower-cased token text ``w``, start ``s`` and end ``e`` offsets, kind ``k``
    (``D`` ISO-like date, ``d`` day/month/year date, ``n`` number, ``w`` word, ``p`` symbol) and the
    lexicon tags ``t``."""

    __slots__ = ("e", "k", "n", "s", "t", "text", "w")

    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        low = text.lower()
        if low.isascii() and not _SPLIT_DIFFERS.intersection(low):
            w = self._split(low, start)
        else:  # curly quotes, dashes and letters that lower to two characters
            low = lower_same_length(text).translate(_APOSTROPHES)
            ms = list(_TOKEN.finditer(low, start))
            w = self.w = list(map(_Match.group, ms))
            self.s = list(map(_Match.start, ms))
            self.e = list(map(_Match.end, ms))
            self.k = list(map(_KIND.__getitem__, map(_LASTINDEX, ms)))
        t = self.t = list(map(_KNOWN.get, w))
        if None in t:
            self.t = [_learn(y) if x is None else x for x, y in zip(t, w, strict=True)]
        self.n = len(w)
        if "." in w:
            self._abbreviations(low)
        self._verbs_by_position()

    def _split(self, low: str, start: int) -> list[str]:
        """Tokens of ASCII text, the same as the pattern finds: no token spans white space, so each
        white-space-separated chunk that is a plain word or a plain number is one token, and only the
        other chunks ("3.2%", "q4,", "don't") go through the pattern."""
        w: list[str] = []
        s: list[int] = []
        e: list[int] = []
        k: list[str] = []
        find = low.find
        pos = start
        for chunk in low[start:].split():
            a = find(chunk, pos)
            pos = a + len(chunk)
            if chunk.isalnum() and (chunk[0].isalpha() or chunk.isdigit()):
                w.append(chunk)
                s.append(a)
                e.append(pos)
                k.append("w" if chunk[0].isalpha() else "n")
                continue
            for m in _TOKEN_ASCII.finditer(low, a, pos):
                w.append(m.group())
                s.append(m.start())
                e.append(m.end())
                k.append(_KIND[m.lastindex])
        self.w, self.s, self.e, self.k = w, s, e, k
        return w

    def _verbs_by_position(self) -> None:
        """A word the lexicon does not know is a deliverable verb where the syntax says so: after a
        modal ("I will *watch* less", "members can *make*"), after an intent verb and ``to`` ("I want
        to *cook*", "learn to *cook*"), first in the statement before a determiner ("*Redevelop* our
        ED") or as an opening gerund ("*Redeveloping* our Emergency Department")."""
        w, t, k, n = self.w, self.t, self.k, self.n
        if n and not t[0] & _NOT_IMPERATIVE and k[0] == "w" and len(w[0]) > 2:
            nxt = w[1] if n > 1 else ""
            if nxt in _DETERMINERS or (w[0].endswith("ing") and (nxt in _DETERMINERS or not nxt)) or (
                    not t[0] and n > 1 and w[0].endswith(_VERB_SUFFIXES) and k[1] == "w" and not t[1] & _NOT_OBJECT):
                t[0] |= ACH  # also a word the lexicon knows only as a noun: "*Repair* the", "*Survey* our"
        if _OPENERS.isdisjoint(w) and "able" not in w:
            return
        for i in [i for i, x in enumerate(w[:60]) if x in _TRIGGERS]:  # the opening only: bounded work
            j = i + 2 if i + 2 < n and w[i + 1].endswith("ly") and not t[i + 1] else i + 1  # "would quickly scale"
            if j < n and (w[i] != "to" or (i and (w[i - 1] in INTENT or w[i - 1] == "able"))) and not t[j] and \
                    k[j] == "w" and \
                    len(w[j]) > 2 and not w[j].endswith("ly"):
                t[j] = ACH

    def _abbreviations(self, low: str) -> None:
        """A dot glued to a word and followed by a lower-case word ("7-day avg. customer rating",
        "incl. staff") ends an abbreviation, not the sentence: it becomes the token ``·``."""
        w, k, s, e, text = self.w, self.k, self.s, self.e, self.text
        for i in [i for i, x in enumerate(w) if x == "." and 0 < i < self.n - 1]:
            if s[i] == e[i - 1] and k[i - 1] == "w" and len(w[i - 1]) <= 6 and \
                    text[s[i + 1]].islower() and s[i + 1] > e[i]:
                w[i] = "·"
                self.t[i] = 0

    def glued(self, i: int) -> bool:
        """True when token ``i`` touches the token before it (no space between)."""
        return 0 < i < self.n and self.s[i] == self.e[i - 1]

    def quote(self, i0: int, i1: int) -> str:
        """The original text of tokens ``i0`` up to (not including) ``i1``."""
        if i1 <= i0 or i0 >= self.n:
            return ""
        return self.text[self.s[i0]:self.e[min(i1, self.n) - 1]]

    def span(self, i0: int, i1: int) -> tuple[int, int]:
        """Character offsets of tokens ``i0`` up to (not including) ``i1``."""
        return self.s[i0], self.e[min(i1, self.n) - 1]

    def word(self, i: int) -> str:
        """Token text, or ``''`` outside the statement (saves bounds checks in the scanners)."""
        return self.w[i] if 0 <= i < self.n else ""

    def tag(self, i: int) -> int:
        return self.t[i] if 0 <= i < self.n else 0

    def kind(self, i: int) -> str:
        return self.k[i] if 0 <= i < self.n else ""

    def capitalised(self, i: int) -> bool:
        """True when token ``i`` starts with an upper-case letter in the original text."""
        return 0 <= i < self.n and self.text[self.s[i]].isupper()
