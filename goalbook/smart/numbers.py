"""Quantities: the numbers, amounts and levels a statement commits to, and which role each plays.

Reads digits with thousands separators and decimals, percentages, currencies and magnitudes
(``$1.2M``, ``€40k``, ``3bn``, ``£2.5 million``), spelled numbers (``twenty-five``, ``ten percent``),
fractions (``a third``), factors (``double``, ``halve``, ``3x``), exact quantifiers (``all``,
``every``, ``zero``, ``no``), defined levels (``grade B``, ``carbon neutral``, ``ISO 27001
certification``), ranges and comparatives (``at least``, ``no more than``, ``≤``). It also finds
what looks like a number but is not one (ids such as ``ISO 27001`` or ``Scope 1 and 2``, descriptors
such as ``3-step``), placeholders (``X%``, ``TBD``) and vague amounts (``significantly``).

Each quantity gets a role: ``baseline``, ``target``, ``change`` (``by 20%``), ``count`` (the object
of a verb), ``window`` (an SLA such as ``within 4 hours``), ``denominator`` (``of 999 calls``),
``constraint`` (after ``while``) or ``other``. Work per token is bounded, so this is linear.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from goalbook.smart.lexicon import (
    ACH,
    AIM,
    BE,
    CURRENCIES,
    DEC,
    FINITE_FORMS,
    FRACTION,
    FRACTIONS,
    FUNC,
    HEDGE,
    IMPROVE,
    INC,
    INTENT,
    LABEL,
    LEVEL,
    MAGNITUDE,
    MAGNITUDES,
    MAINT,
    MONTH,
    MULT,
    MULTS,
    NUMBERS,
    NUMWORD,
    ORDINAL,
    PERCENT,
    PLACEHOLDER,
    PREP,
    QUANT,
    RATE,
    SUBORD,
    UNIT,
    VAGUE,
    VERB,
    spelled_value,
)
from goalbook.smart.tokens import Tokens
from goalbook.values import BadValue, read_number

_LY_NOUNS = frozenset({"early", "only", "family", "supply", "italy", "july", "assembly", "ally", "rally", "holy",
                       "ugly", "daily", "elderly", "friendly", "costly", "timely", "likely", "lovely", "lonely"})
_CURRENCY_SYMBOLS = frozenset({"$", "€", "£", "¥", "₹"})
_AT_LEAST = {("at", "least"), ("no", "less", "than"), ("not", "less", "than"), ("more", "than"),
             ("greater", "than"), ("higher", "than"), ("no", "fewer", "than"), ("a", "minimum", "of"),
             ("minimum", "of"), ("over",), ("above",), ("exceeding",), ("exceed",), ("beyond",), (">",), (">=",),
             ("≥",), ("minimum",), ("min",), ("upwards", "of"), ("in", "excess", "of"), ("north", "of")}
_AT_MOST = {("at", "most"), ("no", "more", "than"), ("not", "more", "than"), ("less", "than"), ("fewer", "than"),
            ("lower", "than"), ("no", "longer", "than"), ("no", "higher", "than"), ("a", "maximum", "of"),
            ("maximum", "of"), ("under",), ("below",), ("up", "to"), ("<",), ("<=",), ("≤",), ("maximum",),
            ("max",), ("within",), ("or", "under"), ("or", "below"), ("or", "less"), ("no", "worse", "than"),
            ("shorter", "than"), ("sub",)}
_AFTER_AT_LEAST = {("or", "more"), ("or", "higher"), ("or", "above"), ("or", "better"), ("or", "greater"),
                   ("and", "above"), ("and", "over"), ("+",), ("plus",), ("or", "over")}
_AFTER_AT_MOST = {("or", "less"), ("or", "fewer"), ("or", "lower"), ("or", "below"), ("or", "under"),
                  ("and", "below"), ("and", "under"), ("or", "shorter")}
_POINTS = {"pp": "pp", "ppt": "pp", "ppts": "pp", "pts": "points", "points": "points", "point": "points",
           "bps": "bps", "bp": "bps"}
_GRADES = {"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0, "e": 0.5, "f": 0.0}
_PERIOD_WORDS = frozenset({"day", "week", "month", "year", "quarter", "fortnight", "weekend", "semester", "term"})
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_NOT_UNIT = frozenset({"of", "by", "to", "from", "in", "on", "at", "for", "per", "a", "an", "the", "and", "or",
                       "within", "over", "under", "than", "each", "every", "this", "next", "until", "before",
                       "across", "through", "with", "while", "whilst", "is", "are", "will", "be", "as"})
_BASELINE_BEFORE = frozenset({"currently", "current", "baseline", "today", "vs", "versus", "against", "compared",
                              "was", "presently", "now"})
_TARGET_BEFORE = frozenset({"to", "reach", "reaches", "reaching", "hit", "hits", "hitting", "achieve", "achieving",
                            "at", "=", "attain", "of", "into", "toward", "towards", "target", "target:",
                            "meet", "score", "exceed", "equal"})
_NOT_PLACEHOLDER_BEFORE = frozenset({"gen", "generation", "product", "project", "company", "vendor", "model",
                                     "team", "plan", "option", "phase", "client", "customer", "site", "supplier",
                                     "partner", "region", "country", "city", "school", "department", "programme",
                                     "program", "brand", "platform", "version", "type", "series"})


@dataclass(slots=True)
class Quantity:
    """One amount in the statement: tokens ``i0`` up to ``i1`` (``c0`` includes a comparator before it)."""

    i0: int
    i1: int
    value: float | None
    unit: str | None = None
    kind: str = "number"  # number, percent, money, factor, fraction, quantifier, level, points, rank, rating
    bound: str | None = None  # at_least | at_most
    role: str = "other"
    high: float | None = None  # upper end of a range
    c0: int = -1

    def __post_init__(self) -> None:
        if self.c0 < 0:
            self.c0 = self.i0


@dataclass(slots=True)
class Marked:
    """A stretch of tokens the rules care about: a placeholder, a vague amount or an id."""

    i0: int
    i1: int
    slot: str = ""  # for placeholders: object, target, change, baseline, other


class Found:
    """Everything :func:`scan_quantities` found."""

    __slots__ = ("ids", "placeholders", "quantities", "vague")

    def __init__(self) -> None:
        self.quantities: list[Quantity] = []
        self.placeholders: list[Marked] = []
        self.vague: list[Marked] = []
        self.ids: list[Marked] = []


_PERCENT_WORDS = frozenset({"%", "percent", "per", "pct", "percentage"})


def parse_number(text: str) -> float | None:
    """A number token read by the one reader of typed numbers, :func:`goalbook.values.read_number`:
    ``1,200`` and ``1,200.50`` are read, ``2,5`` and ``1.200.000`` are refused (``None``: is it 2.5 or
    25?) in a sentence as in a field. A run of digits too long for a float becomes ``inf``."""
    if len(text) > 60:
        digits = text.replace(",", "").replace(".", "")
        return float("inf") if digits.isdigit() else None
    if text.isdecimal():  # plain digits (isdigit would also take '²', which float refuses)
        return float(text)
    try:
        return read_number(text)
    except BadValue:
        return None


def verb_at(tk: Tokens, i: int, start: int = 0) -> bool:
    """True when token ``i`` is a verb in the position of one: first in the statement, after
    ``to``/``will``/``and``/a comma, after an adverb, or after a hedging verb ("help *reduce*")."""
    if not 0 <= i < tk.n or not tk.t[i] & VERB:
        return False
    if i <= start:
        return True
    p = i - 1
    w = tk.w[p]
    if (tk.glued(i) and w in ("-", "/")) or (w == "to" and tk.glued(p) and tk.w[p - 1] == "-"):
        return False  # a compound: "trial-to-paid", "follow-up"
    if w == "to" and p > start:
        before = tk.t[p - 1]
        # "strive to cut", "continue to reduce", "been challenged to raise", "a pledge to add",
        # but "time to close", "adults to have": a noun's complement
        return bool(before & VERB and not before & FUNC) or tk.w[p - 1] in _TO_VERB or tk.w[p - 1] in INTENT or (
            tk.w[p - 1].endswith("ed") and not tk.w[p - 1].endswith("eed") and len(tk.w[p - 1]) > 5)
    if w == "," and tk.w[i].endswith("ing") and tk.word(i + 1) in ("and", ",", "or", ""):
        return False  # "reading, writing and maths": a list of nouns
    if w in ("we", "i", "they") and _relative_clause(tk, p, start):
        return False
    if w in ("of", "for") and p > start and tk.w[p - 1] in _TO_VERB and tk.w[i].endswith("ing"):
        return True  # "the ambitious goal of *increasing* the number", "targets for *reducing* levels"
    if w in ("to", "and", "&", "or", ",", ";", ":", "-", "(", "will", "shall", "would", "should", "can", "must", "we",
             "i", "they", "then", "also", "sure", "not", "and/or", "/", "who", "that", "will", "us", "also", "by"):
        return w != "by" or tk.w[i].endswith("ing")
    if w.endswith("ly") and tk.k[p] == "w" and not tk.t[p] & (VERB | FUNC | RATE) and w not in _LY_NOUNS:
        return p == start or verb_at(tk, p - 1, start) or tk.w[p - 1] in ("to", "will", ",", "and", "would", "could",
                                                                           "should", "must", "can", "shall")
    t = tk.t[p]
    if t & (HEDGE | BE) and not t & PREP and w not in ("be", "is", "are", "was", "were", "been", "being"):
        return True
    if w in ("be", "been", "being", "is", "are", "was", "were") and tk.w[i].endswith("ed"):
        return False
    if p == start and tk.w[p] in ("we", "i", "they", "please", "let's"):
        return True
    return i - start <= 10 and _finite_after_subject(tk, i, p, start)


def _finite_after_subject(tk: Tokens, i: int, p: int, start: int) -> bool:
    """A finite verb or participle right after its subject noun: "the fleet *becomes* …",
    "nightlies *published* (EOQ)", "emissions *fell* by 20%"; not a noun use ("increases *in* X")."""
    word = tk.w[i]
    if tk.k[p] != "w" or tk.t[p] & (FUNC | PREP | VERB | RATE | NUMWORD) or tk.word(i + 1) in ("of", "-"):
        return False
    if not (word.endswith("ed") or word in FINITE_FORMS or (word.endswith("s") and not word.endswith("ss"))):
        return False
    if word.endswith("s") and tk.word(i + 1) in ("in", "for", "and", ",", "are", "were"):
        return False
    # the subject is short and holds no verb of its own (bounded, so the reading stays linear)
    return i - start <= 10 and not any(tk.t[k] & VERB and not tk.t[k] & FUNC for k in range(start, p))


#: nouns and verbs of commitment whose "to" introduces the aim: "a pledge *to add*", "plans to cut"
_TO_VERB = frozenset({"and", ",", "is", "are", "will", "need", "needs", "plan", "plans", "pledge", "pledges",
                      "promise", "promises", "commitment", "commitments", "target", "targets", "goal", "goals", "aim",
                      "aims", "ambition", "ambitions", "duty", "bid", "mission", "intention", "going", "able",
                      "want", "wants", "objective", "priority", "effort", "efforts", "order", "way", "ways", "steps",
                      "measures", "action", "actions"})


def _relative_clause(tk: Tokens, p: int, start: int) -> bool:
    """``we`` at ``p`` follows a noun: "the apprentices *we* employ"."""
    q = p - 1
    return q >= start and tk.k[q] == "w" and not tk.t[q] & (FUNC | PREP | VERB) and tk.w[q] not in (",", ";")


_COMPARATOR_LAST = frozenset(ws[-1] for ws in _AT_LEAST | _AT_MOST)
_COMPARATOR_FIRST = frozenset(ws[0] for ws in _AFTER_AT_LEAST | _AFTER_AT_MOST)


def _comparator_before(tk: Tokens, i: int) -> tuple[str | None, int]:
    if i < 1 or tk.w[i - 1] not in _COMPARATOR_LAST:
        return None, i
    w = tk.w
    for n in (3, 2, 1):
        if i - n >= 0:
            words = tuple(w[i - n:i])
            if words in _AT_LEAST:
                return "at_least", i - n
            if words in _AT_MOST:
                return "at_most", i - n
    return None, i


def _comparator_after(tk: Tokens, j: int) -> tuple[str | None, int]:
    if j >= tk.n or tk.w[j] not in _COMPARATOR_FIRST:
        return None, j
    for n in (2, 1):
        if j + n > tk.n:
            continue
        words = tuple(tk.w[j:j + n])
        if words in _AFTER_AT_LEAST:
            return "at_least", j + n
        if words in _AFTER_AT_MOST:
            return "at_most", j + n
    return None, j


def _unit_after(tk: Tokens, j: int, used: bytearray) -> tuple[str | None, int]:
    """The counted noun or measure right after a number: "trees", "paying customers", "µg/m3", "days"."""
    if j >= tk.n or tk.k[j] != "w" or used[j] == 1:
        return None, j
    w0 = tk.w[j]
    if w0 in _NOT_UNIT or tk.t[j] & (PREP | SUBORD):
        return None, j
    if tk.t[j] & UNIT:
        return w0, j + 1
    words, k = [], j
    while k < tk.n and len(words) < 3 and used[k] != 1:
        word = tk.w[k]
        if tk.k[k] == "w" and word not in _NOT_UNIT and not tk.t[k] & (PREP | FUNC | SUBORD):
            words.append(tk.text[tk.s[k]:tk.e[k]])
            k += 1
        elif word == "/" and tk.glued(k) and k + 1 < tk.n and tk.glued(k + 1):  # µg/m3
            words[-1:] = [words[-1] + "/" + tk.text[tk.s[k + 1]:tk.e[k + 1]]] if words else []
            k += 2
        else:
            break
        if k < tk.n and tk.t[k - 1] & UNIT:
            break
    if not words:
        return None, j
    return " ".join(words), k


class _QScan:
    def __init__(self, tk: Tokens, used: bytearray, start: int) -> None:
        self.tk = tk
        self.used = used
        self.start = start
        self.out = Found()

    # --- helpers --------------------------------------------------------------------------------
    def aim_verb_before(self, i: int, reach: int = 8) -> bool:
        """An achieve-type verb governs token ``i``: "achieve ISO 27001 certification", "be carbon neutral"."""
        tk = self.tk
        for k in range(i - 1, max(self.start - 1, i - reach - 1), -1):
            w = tk.w[k]
            if w in (",", ";", ".") or tk.t[k] & SUBORD:
                return False
            if tk.t[k] & AIM and (verb_at(tk, k, self.start) or w in ("be", "become", "becoming", "is", "are")):
                return True
            if w in ("to", "at") and k == i - 1:
                return True
        return False

    def add(self, q: Quantity) -> int:
        bound, c0 = _comparator_before(self.tk, q.i0)
        if bound and q.bound is None:
            q.bound, q.c0 = bound, c0
        if q.bound is None:
            bound, j = _comparator_after(self.tk, q.i1)
            if bound:
                q.bound, q.i1 = bound, j
        if self.used[q.i0] == 2:
            q.role = "window"
            q.bound = q.bound or "at_most"
        self.out.quantities.append(q)
        return q.i1

    # --- digits ---------------------------------------------------------------------------------
    def number(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        prev = w(i - 1)
        if tk.glued(i) and (tk.k[i - 1] == "w" or (prev in ("-", ".", "/", "_") and tk.glued(i - 1)
                                                   and tk.k[i - 2] in ("w", "n"))):
            return self._id(i)
        if tk.t[i - 1] & LABEL and i - 1 >= self.start and not tk.glued(i) and prev not in ("step",):
            if prev == "grade" and self.aim_verb_before(i - 1):
                return self.add(Quantity(i - 1, i + 1, float(tk.w[i]) if tk.w[i].isdigit() else None,
                                         f"grade {tk.w[i]}", "level"))
            return self._id(i, chain=True)
        if w(i + 1) == "by" and tk.kind(i + 2) == "n" and tk.kind(i + 3) == "w" and len(tk.w[i]) <= 3 and \
                len(tk.w[i + 2]) <= 3 and not self.used[i + 2] and not self.used[i + 3] and \
                not tk.t[i + 3] & (UNIT | PERCENT | MAGNITUDE | FUNC | PREP | MONTH):
            self.out.ids.append(Marked(i, i + 3, "name"))
            return i + 3  # "the 50 by 50 challenge", "a 30 by 30 pledge": a name, not two numbers
        value = parse_number(tk.w[i])
        if value is None:
            if "," in tk.w[i] or "." in tk.w[i]:  # "2,5", "1.200.000": a number whose value is ambiguous
                return self.add(self._suffixes(Quantity(i, i + 1, None), i + 1))
            return self._id(i)
        if len(tk.w[i]) == 4 and 1900 <= value <= 2100 and i > self.start and tk.capitalised(i + 1) and \
                tk.k[i + 1] == "w" and \
                not tk.t[i + 1] & (MONTH | FUNC) and not (tk.tag(i - 1) & PREP and prev not in ("of",)):
            return self._id(i)  # "Deliver 2025 CIP projects", "Complete 2050 Parks System plan": a year in a name
        i0, j = i, i + 1
        unit: str | None = None
        kind = "number"
        # sign and currency
        minus_sign = prev == "-" and tk.glued(i) and (i - 2 < self.start or not tk.glued(i - 1) or w(i - 2) in (
            "(", "from"))
        if minus_sign or prev == "minus":
            value, i0 = -value, i - 1
            prev = w(i0 - 1)
        if prev in _CURRENCY_SYMBOLS:
            unit, kind, i0 = CURRENCIES[prev], "money", i0 - 1
            if w(i0 - 1) in ("us", "a", "au", "c", "nz") and tk.glued(i0):
                unit, i0 = tk.text[tk.s[i0 - 1]:tk.e[i0]].upper(), i0 - 1
        elif prev in CURRENCIES and prev.isalpha() and len(prev) == 3:
            unit, kind, i0 = CURRENCIES[prev], "money", i0 - 1
        # "top 100"
        if prev == "top" and i0 == i:
            q = Quantity(i - 1, i + 1, value, "rank", "rank", "at_most")
            return self.add(q)
        # magnitudes and glued suffixes: 10k, $1.2M, 3bn, 1st, 3x
        nxt = w(j)
        if tk.glued(j) and nxt in MAGNITUDES:
            value *= MAGNITUDES[nxt]
            j += 1
        elif tk.glued(j) and nxt in ("x", "×"):
            return self.add(Quantity(i0, j + 1, value, "x", "factor"))
        elif tk.glued(j) and nxt in _ORDINAL_SUFFIX:
            if tk.tag(j + 1) & LABEL or (w(j + 1) == "-" and tk.glued(j + 1)):
                return self._id(i)  # "in 3rd grade", "8th-graders": a name of a group, not a rank
            return self.add(Quantity(i0, j + 1, value, "rank", "rank"))
        elif (nxt in MAGNITUDES and nxt not in ("m", "b", "k")) or (nxt in ("k", "m") and kind == "money"):
            value *= MAGNITUDES[nxt]
            j += 1
        if w(j) == "-" and tk.glued(j) and j + 1 < tk.n and tk.glued(j + 1):
            k = j + 1
            if tk.k[k] == "n":  # a range: 40-60%
                high = parse_number(tk.w[k])
                if high is not None and high >= value:
                    q = self._suffixes(Quantity(i0, k + 1, value, unit, kind, high=high), k + 1)
                    return self.add(q)
            elif tk.k[k] == "w" and not tk.t[k] & (NUMWORD | PERCENT) and tk.w[k] not in ("fold", "point", "points"):
                # a descriptor: 3-step, 10-point (plan), 24-hour (service)
                return self._descriptor(i0, k + 1)
        q = self._suffixes(Quantity(i0, j, value, unit, kind), j)
        if q.kind in ("number", "money", "percent", "points") and w(q.i1) == "and" and \
                tk.kind(q.i1 + 1) == "n" and w(q.i0 - 1) == "between":  # "between 40 and 60%", "between 5% and 8%"
            high = parse_number(tk.w[q.i1 + 1])
            if high is not None and high > value:
                q2 = self._suffixes(Quantity(q.i1 + 1, q.i1 + 2, high, None, "number"), q.i1 + 2)
                if q.kind in ("number", "money") or q2.unit == q.unit:
                    q.high, q.i1 = high, q2.i1
                    q.unit, q.kind = q2.unit or q.unit, q2.kind if q2.kind != "number" else q.kind
        return self.add(q)

    def _suffixes(self, q: Quantity, j: int) -> Quantity:
        tk, w = self.tk, self.tk.word
        nxt = w(j)
        if nxt == "%" or (nxt in ("percent", "pct", "percentage") and w(j + 1) not in ("point", "points")):
            q.unit, q.kind, j = "%", "percent", j + 1
        elif nxt == "per" and w(j + 1) == "cent":
            q.unit, q.kind, j = "%", "percent", j + 2
        elif nxt in ("percentage", "percent") and w(j + 1) in ("point", "points"):
            q.unit, q.kind, j = "pp", "points", j + 2
        elif nxt == "basis" and w(j + 1) in ("point", "points"):
            q.unit, q.kind, j = "bps", "points", j + 2
        elif nxt in _POINTS:
            q.unit, q.kind, j = _POINTS[nxt], "points", j + 1
        elif nxt == "times" and (w(j + 1) in ("a", "an", "per", "each", "every") or tk.tag(j + 1) & RATE or (
                w(j + 1) in ("during", "in", "over") and w(j + 2) in ("the", "a") and w(j + 3) in _PERIOD_WORDS)):
            q.unit, q.kind, j = "times", "number", j + 1  # "three times a week": a frequency, not a factor
        elif nxt in ("x", "×", "times", "fold") or (nxt == "-" and w(j + 1) == "fold"):
            q.unit, q.kind, j = "x", "factor", j + (2 if nxt == "-" else 1)
        elif nxt in CURRENCIES and nxt.isalpha():
            q.unit, q.kind, j = CURRENCIES[nxt], "money", j + 1
        elif nxt == "/" and tk.glued(j) and tk.kind(j + 1) == "n":
            denominator = parse_number(tk.w[j + 1])
            if denominator and q.value is not None and q.value <= denominator and tk.glued(j + 1):
                q.unit, q.kind, j = f"/{tk.w[j + 1]}", "rating", j + 2
        elif nxt == "out" and w(j + 1) == "of" and tk.kind(j + 2) == "n":
            q.unit, q.kind, j = f"/{tk.w[j + 2]}", "rating", j + 3
        if q.unit is None:
            unit, k = _unit_after(tk, j, self.used)
            if unit:
                q.unit, j = unit, k
        q.i1 = max(q.i1, j)
        return q

    def _id(self, i: int, chain: bool = False) -> int:
        tk = self.tk
        j = i + 1
        while j < tk.n and (tk.glued(j) and tk.w[j] in (".", "-", "/") and j + 1 < tk.n and tk.glued(j + 1)):
            j += 2
        if chain:  # "Scope 1 and 2", "Key Stage 2 and 3", "levels 4, 5 or 6"
            while j + 1 < tk.n and tk.k[j + 1] == "n" and (tk.w[j] in ("and", "or", ",", "&", "-", "/") or (
                    tk.w[j] in ("to", "through", "thru") and tk.word(j + 2) not in _PERCENT_WORDS)):
                j += 2  # "from grade 6 to 12": a range of names, not a target
        self.out.ids.append(Marked(i, j))
        for k in range(i, j):
            self.used[k] = self.used[k] or 3
        return j

    def _descriptor(self, i0: int, j: int) -> int:
        self.out.ids.append(Marked(i0, j, "descriptor"))
        return j

    # --- words ----------------------------------------------------------------------------------
    def spelled(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        if word == "one" and (tk.tag(i - 1) & ORDINAL or w(i - 1) in ("right", "next", "other", "same", "new",
                                                                        "only", "last")) and w(i - 1) != "first" and \
                tk.kind(i + 1) != "w":
            return i + 1  # "a second one", "the right one": a pronoun
        if word == "one" and (w(i - 1) in ("day", "no", "any", "every", "this", "that", "which", "each", "year",
                                           "week", "phase", "stage", "level", "tier", "no-") or
                              (w(i + 1) in ("of", "another", "-", "way", "day") and w(i - 1) != "least") or
                              w(i - 1) == "-"):  # but "at least one of the hackathons" is a count
            if w(i + 1) == "-" and tk.glued(i + 1) and tk.kind(i + 2) == "w" and not tk.t[i + 2] & (NUMWORD | FRACTION):
                return self._descriptor(i, i + 3)
            return i + 1
        if word in ("hundred", "thousand", "million", "billion", "dozen", "trillion") and w(i - 1) not in ("a", "an"):
            return i + 1  # "hundreds of": vague, handled elsewhere; a lone scale word is no amount
        i0 = i - 1 if w(i - 1) in ("a", "an") and word in ("hundred", "thousand", "million", "billion", "dozen") \
            else i
        words, j = [], i
        while j < tk.n and (j - i) < 12:
            if tk.t[j] & NUMWORD and tk.w[j] in NUMBERS:
                words.append(tk.w[j])
                j += 1
            elif tk.w[j] in ("-", "and") and j + 1 < tk.n and tk.t[j + 1] & NUMWORD and words:
                if tk.w[j] == "and" and words[-1] not in ("hundred", "thousand", "million", "billion"):
                    break
                j += 1
            else:
                break
        value = spelled_value(words)
        if w(j) == "-" and tk.glued(j) and j + 1 < tk.n and tk.glued(j + 1) and tk.k[j + 1] == "w":
            if tk.t[j + 1] & FRACTION:  # two-thirds
                return self.add(Quantity(i0, j + 2, value * FRACTIONS[tk.w[j + 1]], "fraction", "fraction"))
            if tk.w[j + 1] not in ("fold",):
                return self._descriptor(i0, j + 2)
        if tk.tag(j) & FRACTION and (tk.w[j] != "quarter" or self.used[j] != 1):  # "two thirds", "three quarters"
            return self.add(Quantity(i0, j + 1, value * FRACTIONS[tk.w[j]], "fraction", "fraction"))
        return self.add(self._suffixes(Quantity(i0, j, value, None, "number"), j))

    def fraction(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        prev = w(i - 1)
        value = FRACTIONS[word]
        if word in ("half", "halves"):
            nxt = w(i + 1)
            if prev in ("a", "one") and tk.kind(i + 1) == "w" and not tk.t[i + 1] & (FUNC | PREP | NUMWORD) and \
                    nxt not in ("million", "billion", "thousand", "dozen", "hundred"):
                return i + 1  # "a half marathon", "a half day": a compound name, not a fraction
            if prev in ("by", "in", "a", "one") or nxt in ("of", "the", "a"):
                if w(i + 1) == "a" and w(i + 2) in ("million", "billion", "thousand", "dozen"):
                    return self.add(Quantity(i, i + 3, 0.5 * NUMBERS[w(i + 2)], None, "number"))
                i0 = i - 1 if prev in ("a", "one") else i
                return self.add(Quantity(i0, i + 1, 0.5, "fraction", "fraction"))
            return i + 1
        if prev in ("a", "an", "one") and self.used[i] != 1:
            return self.add(Quantity(i - 1, i + 1, value, "fraction", "fraction"))
        return i + 1

    def mult(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        if w(i + 1) == "-" and w(i + 2) in ("digit", "digits"):
            self.out.vague.append(Marked(i, i + 3))
            return i + 3
        if tk.w[i] == "twice" and _frequency_after(tk, i):
            return self.add(Quantity(i, i + 1, 2.0, "times", "number"))  # "twice a week": a frequency
        return self.add(Quantity(i, i + 1, MULTS[tk.w[i]], "x", "factor"))

    def quant(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        nxt = w(i + 1)
        if word == "zero":
            unit, j = _unit_after(tk, i + 1, self.used)
            return self.add(Quantity(i, j if unit else i + 1, 0.0, unit, "number"))
        if word == "none":
            return self.add(Quantity(i, i + 1, 0.0, None, "number", "at_most"))
        if word == "no":
            if nxt in ("more", "less", "fewer", "longer", "later", "one", "than", "matter", "higher", "worse", "-",
                       "earlier", "sooner", "net") or tk.kind(i + 1) != "w" or tk.t[i + 1] & (FUNC | PREP):
                return i + 1
            unit, j = _unit_after(tk, i + 1, self.used)
            return self.add(Quantity(i, j if unit else i + 1, 0.0, unit, "quantifier", "at_most"))
        if word == "each" and (i + 1 >= tk.n or self.used[i + 1] or w(i - 1) in ("per", "in", "within", "across")):
            return i + 1  # "per each family size", "in each of the four counties": scope, not coverage
        if word in ("every", "each") and (nxt == "other" or tk.tag(i + 1) & ORDINAL) and tk.tag(i + 2) & UNIT:
            return i + 3  # "every other year", "every third month": how often, not how many
        if word == "another":  # "add another truck to our fleet": one more
            unit, j = _unit_after(tk, i + 1, self.used)
            return self.add(Quantity(i, j if unit else i + 1, 1.0, unit, "number")) if unit else i + 1
        if nxt == "of" or (i + 1 < tk.n and tk.k[i + 1] in ("w", "n") and not tk.t[i + 1] & (PREP | SUBORD)
                           and nxt not in ("the", "that", "this", "these", "those", "in", "we", "our", "its")) or \
                (nxt in ("the", "our", "its", "their") and word in ("all", "both")):
            return self.add(Quantity(i, i + 1, None, None, "quantifier"))
        return i + 1

    def _grade(self, i: int) -> tuple[float, int] | None:
        """A letter grade at ``i`` ("a C+", "an A", "grade B-"): its points (A 4 … F 0) and the end."""
        tk, w = self.tk, self.tk.word
        if w(i) in ("a", "an", "grade") and len(w(i + 1)) == 1:
            i += 1
        x = w(i)
        if len(x) != 1 or x not in _GRADES or not tk.capitalised(i):
            return None
        points, j = _GRADES[x], i + 1
        if w(j) in ("+", "-") and tk.glued(j):
            points += 0.3 if w(j) == "+" else -0.3
            j += 1
        return points, j

    def grade_pair(self, i: int) -> int:
        """"from a C+ to a B+": a baseline and a target on the letter-grade scale."""
        first = self._grade(i + 1)
        if first is None or self.tk.word(first[1]) != "to":
            return i + 1
        second = self._grade(first[1] + 1)
        if second is None:
            return i + 1
        a, b = first[1], second[1]
        self.add(Quantity(i + 1, a, first[0], "grade", "level"))
        return self.add(Quantity(a + 1, b, second[0], "grade", "level"))

    def placeholder(self, i: int) -> int:
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        prev, nxt = w(i - 1), w(i + 1)
        if word in ("x", "y", "n", "z"):
            if tk.glued(i) and tk.k[i - 1] == "n":
                return i + 1  # 3x: a factor, read with the number
            if prev in _NOT_PLACEHOLDER_BEFORE or (tk.capitalised(i - 1) and i - 1 > self.start
                                                   and not tk.t[i - 1] & VERB):
                return i + 1  # "Product X", "Generation Z": a name
            numeric_slot = (nxt in ("%", "percent", "k", "m", "bn", "million", "points", "pp", "x", "days", "hours",
                                    "weeks", "months", "by", "to", "from") or
                            prev in ("by", "to", "from", "of", "at", "than", "=", "reach", "hit", "$", "€", "£")
                            or verb_at(tk, i - 1, self.start))
            if not numeric_slot:
                return i + 1
        i1 = i + 1
        if (w(i1) in ("%", "k", "m", "bn") and tk.glued(i1)) or w(i1) == "percent":
            i1 += 1
        self.out.placeholders.append(Marked(i - 1 if prev in _CURRENCY_SYMBOLS else i, i1, self._slot(i)))
        return i1

    def bracket(self, i: int) -> int:
        """"[target]", "<metric>", "{date}", "___", "?%"."""
        tk, w = self.tk, self.tk.word
        opener = tk.w[i]
        if opener == "?":
            if w(i + 1) == "%" or w(i - 1) in _CURRENCY_SYMBOLS or w(i + 1) == "?":
                self.out.placeholders.append(Marked(i, i + 1, self._slot(i)))
            return i + 1
        if opener == "_":
            j = i
            while j < tk.n and tk.w[j] == "_" and j - i < 50:
                j += 1
            if j - i >= 2:
                self.out.placeholders.append(Marked(i, j, self._slot(i)))
            return j
        closer = {"[": "]", "<": ">", "{": "}"}[opener]
        for j in range(i + 1, min(i + 8, tk.n)):
            if tk.w[j] == closer:
                if j > i + 1 and all(tk.k[k] == "w" or tk.w[k] in ("-", "/", "_", "%") for k in range(i + 1, j)):
                    self.out.placeholders.append(Marked(i, j + 1, self._slot(i)))
                    return j + 1
                break
            if tk.k[j] == "n" and opener == "<":
                break
        return i + 1

    def _slot(self, i: int) -> str:
        tk, w = self.tk, self.tk.word
        p = i - 1
        if w(p) in _CURRENCY_SYMBOLS:
            p -= 1
        prev = w(p)
        if prev == "by":
            return "change"
        if prev in _TARGET_BEFORE or _comparator_before(tk, p + 1)[0]:
            return "target"
        if prev in ("from", "currently", "baseline"):
            return "baseline"
        if verb_at(tk, p, self.start) or p < self.start:
            return "object"
        return "other"

    def level(self, i: int) -> int:
        """A defined level as the aim: "achieve ISO 27001 certification", "be carbon neutral",
        "get grade B", "an 'Outstanding' rating"."""
        tk, w = self.tk, self.tk.word
        word = tk.w[i]
        j = i + 1
        if word == "grade" and tk.kind(j) == "w" and len(tk.w[j]) <= 2:
            j += 1
        elif word == "grade":
            return i + 1
        if word == "standard" and w(i - 1) in ("expected", "the"):
            return i + 1
        a = i
        while a - 1 >= self.start and (tk.t[a - 1] & LEVEL or tk.w[a - 1] in ("'", '"', "“", "”", "-")
                                       or (tk.k[a - 1] == "w" and not tk.t[a - 1] & (FUNC | PREP | VERB))) \
                and i - a < 5:
            a -= 1
        if not self.aim_verb_before(a) or w(a - 1) in ("towards", "toward"):
            return i + 1  # "moving towards carbon neutrality" is not reaching it
        while j < tk.n and tk.t[j] & LEVEL:
            j += 1
        return self.add(Quantity(a, j, None, tk.quote(a, j), "level"))


def scan_quantities(tk: Tokens, used: bytearray, start: int = 0) -> Found:
    """Every quantity, placeholder, vague amount and id in ``tk`` outside time expressions."""
    sc = _QScan(tk, used, start)
    out = sc.out
    w, k, t, n = tk.w, tk.k, tk.t, tk.n
    trig = _TRIGGERS.get
    pos = start
    for i in [i for i, x in enumerate(w) if trig(x, True)]:  # tokens that may start a quantity
        if i < pos or used[i] == 1:
            continue
        kind, tag, word = k[i], t[i], w[i]
        if kind in "wp":
            known = trig(word)
            if known is None:
                known = _TRIGGERS[word] = _quantity_trigger(word, tag)
            if not known:
                continue
        j = i + 1
        if kind == "n":
            j = sc.number(i)
        elif kind == "w":
            if word == "from" and i + 3 < n:
                j = sc.grade_pair(i)
            elif tag & PLACEHOLDER:
                j = sc.placeholder(i)
            elif tag & NUMWORD:
                j = sc.spelled(i)
            elif tag & FRACTION:
                j = sc.fraction(i)
            elif tag & MULT:
                j = sc.mult(i)
            elif word in _FREQUENCY_WORDS and _frequency_after(tk, i):
                j = sc.add(Quantity(i, i + 1, _FREQUENCY_WORDS[word], "times", "number"))  # "once a week"
            elif tag & QUANT:
                j = sc.level(i) if word == "zero" and i > 0 and w[i - 1] == "net" else sc.quant(i)
            elif tag & LEVEL:
                j = sc.level(i)
            elif tag & VAGUE:
                if word in ("more", "fewer", "less", "higher", "lower", "greater") and (
                        i + 1 < n and w[i + 1] in ("than", "of")):
                    j = i + 1
                else:
                    out.vague.append(Marked(i, i + 1))
            elif (word in ("world", "best") and i + 2 < n and w[i + 1] in ("-", "in") and w[i + 2] == "class") or (
                    word == "best" and i + 3 < n and w[i + 1] == "-" and w[i + 3] == "class"):
                j = i + (3 if w[i + 1] != "-" or w[i + 2] == "class" else 5)
                out.vague.append(Marked(i, j))
            elif word == "top" and i + 1 < n and w[i + 1] in ("quartile", "decile", "tier", "third", "half",
                                                              "ten", "five", "three"):
                if w[i + 1] in ("ten", "five", "three"):
                    j = sc.add(Quantity(i, i + 2, float(NUMBERS[w[i + 1]]), "rank", "rank", "at_most"))
                else:
                    j = sc.add(Quantity(i, i + 2, None, tk.quote(i, i + 2), "level"))
            elif word in ("neutral", "carbon") or (word == "net" and i + 1 < n and w[i + 1] == "zero"):
                j = sc.level(i) if word != "carbon" else i + 1
            elif word in ("negative", "positive") and i > 0 and w[i - 1] in ("carbon", "climate", "nature", "water"):
                j = sc.level(i)
            elif word in ("free", "low") and i > 1 and w[i - 1] == "-" and tk.glued(i) and (
                    word == "free" or w[i - 2] == "ultra"):
                j = sc.level(i)  # "deforestation-free", "ultra-low emission": a state with a definition
            elif word in _DISTANCES and any(w[k] in _DISTANCE_VERBS for k in range(max(start, i - 4), i)):
                j = sc.add(Quantity(i - 1 if w[i - 1] in ("a", "the", "half") else i, i + 1, None, word, "level"))
        elif kind == "p" and word in _BRACKETS:
            j = sc.bracket(i)
        pos = max(j, i + 1)
    _assign_roles(tk, out.quantities, start)
    return out


#: per word or symbol: may it start a quantity, a placeholder or a vague amount? (numbers are never
#: stored: every one may). The scan visits only those tokens.
_TRIGGERS: dict[str, bool] = {}
_BRACKETS = frozenset({"[", "<", "{", "_", "?"})
_TRIGGER_WORDS = frozenset({"from", "world", "best", "top", "neutral", "carbon", "net", "negative", "positive", "free",
                            "low", "once", "thrice"})


def _quantity_trigger(word: str, tag: int) -> bool:
    """True when the token ``word`` may start something :func:`scan_quantities` reads."""
    if len(_TRIGGERS) > 200_000:
        _TRIGGERS.clear()
    return bool(tag & (PLACEHOLDER | NUMWORD | FRACTION | MULT | QUANT | LEVEL | VAGUE)) or word in _TRIGGER_WORDS \
        or word in _DISTANCES or word in _BRACKETS


#: counts of occurrences with no digit: "once a week", "thrice daily" (``twice`` is also a factor)
_FREQUENCY_WORDS = {"once": 1.0, "thrice": 3.0}


def _frequency_after(tk: Tokens, i: int) -> bool:
    """Token ``i`` counts occurrences in a period: "once *a* week", "twice *per* month", "once *daily*"."""
    return tk.word(i + 1) in ("a", "an", "per", "each", "every") or bool(tk.tag(i + 1) & RATE)


#: races of a defined distance: "run a marathon" is measurable, "train for a half marathon" is not
_DISTANCES = frozenset({"marathon", "triathlon", "ultramarathon", "5k", "10k", "half-marathon", "ironman"})
_DISTANCE_VERBS = frozenset(_w for _v in ("run", "complete", "finish", "do") for _w in
                            (_v, _v + "s", _v + "ed", _v + "ing", "ran", "did", "done", "running"))


def _prev_content(tk: Tokens, i: int, start: int) -> int:
    """Index of the token before ``i``, skipping an opening parenthesis."""
    p = i - 1
    while p >= start and tk.w[p] in ("(", '"', "'", "+"):
        p -= 1
    return p


def _in_time(tk: Tokens, k: int) -> bool:
    """Token ``k`` belongs to a period name ("FY26") or a date."""
    return tk.k[k] == "w" and (tk.w[k][:2] in ("fy", "q1", "q2", "q3", "q4", "h1", "h2") or tk.k[k] == "n")


def _assign_roles(tk: Tokens, qs: list[Quantity], start: int) -> None:
    """Give each quantity its role from the words around it (see the module docstring)."""
    w = tk.word
    if not qs:
        return
    subordinate = any(x & SUBORD for x in tk.t)  # else no quantity can sit in a constraint clause
    # "45 → 60", "$4.2M (FY26) → $6M (FY27)": an arrow joins a baseline to its target
    for q, q2 in pairwise(qs):
        k = q.i1
        while k < q2.c0 and (w(k) in ("(", ")") or tk.k[k] in ("D", "d") or _in_time(tk, k)):
            k += 1
        if w(k) in ("→", "⇒", "=>", "->", "⟶") or (w(k) == "-" and w(k + 1) == ">"):
            k += 2 if w(k) == "-" else 1
            if k == q2.c0:
                q.role, q2.role = "baseline", "target"
                if q.unit and not q2.unit:
                    q2.unit, q2.kind = q.unit, q.kind
                elif q2.unit and not q.unit:
                    q.unit, q.kind = q2.unit, q2.kind
    for idx, q in enumerate(qs):
        if q.role == "window" or (q.role in ("baseline", "target") and idx + 1 < len(qs) and qs[idx + 1].role ==
                                  "target" and q.role == "baseline"):
            continue
        p = _prev_content(tk, q.c0, start)
        prev = w(p)
        # a clause after while/whilst/without is a constraint on the aim, not the aim
        for k in range(q.c0 - 1, max(start - 1, q.c0 - 25), -1) if subordinate else ():
            if tk.w[k] in (";", ".") and k < q.c0 - 1:
                break
            if tk.t[k] & SUBORD:
                q.role = "constraint"
                break
        if q.role == "constraint":
            continue
        if q.kind == "quantifier":
            q.role = "count"
            continue
        if prev == "from" or (prev == "of" and w(p - 1) in ("baseline", "base")) or (
                prev in ("around", "about", "approximately", "roughly", "approx") and w(p - 1) == "from"):
            q.role = "baseline"
            # the target is the next quantity after "to" (or "-") close by
            for q2 in qs[idx + 1: idx + 3]:
                p2 = _prev_content(tk, q2.c0, start)
                if w(p2) in ("to", "-", "towards", "toward", "down", "up") and q2.c0 - q.i1 < 12:
                    q2.role = "target"
                    if (q2.unit and not q.unit) or (q.unit and q2.unit and q.unit != q2.unit and q.kind == "number"):
                        q.unit = q2.unit
                        q.kind = q2.kind if q2.kind != "number" else q.kind
                    elif q.unit and not q2.unit:
                        q2.unit, q2.kind = q.unit, q.kind
                    break
            continue
        if q.role == "target":
            continue
        if (prev in ("up", "down") and w(p + 1) == "from") or prev in _BASELINE_BEFORE or \
                (prev in ("of", "at") and w(p - 1) in ("target", "level", "baseline") and w(p - 2) in ("a", "the") and
                 w(p - 3) == "from") or any(w(k) in ("currently", "presently") for k in range(p - 3, p)) or \
                (prev == ":" and w(p - 1) in ("baseline", "currently")) or \
                (prev in ("with", "to") and w(p - 1) == "compared") or w(q.i1) in ("today", "now", "currently") or \
                (w(q.i1) == "at" and w(q.i1 + 1) == "present"):
            q.role = "baseline"
            continue
        if prev == "by":
            q.role = "change" if q.kind != "level" else "target"
            continue
        if prev in _TARGET_BEFORE or q.bound or q.kind in ("level", "rank", "rating"):
            if prev == "of" and (w(p - 1) == "%" or tk.kind(p - 1) == "n"):
                q.role = "denominator"
            else:
                q.role = "target"
            continue
        if q.kind == "percent" and w(q.i1) == "of":
            q.role = "target"
            continue
        if q.kind in ("factor", "fraction"):
            q.role = "change"
            continue
        # a bare amount after a change verb and its object: "reduce carbon emissions 68%", "grow revenue 20%"
        for k in range(p, max(start - 1, p - 8), -1):
            tag = tk.t[k]
            if tk.w[k] in (",", ";", ".") or (tag & PREP and tk.w[k] not in ("per",)):
                break
            if tag & (INC | DEC) and verb_at(tk, k, start) and k != p and q.kind in ("percent", "money", "number",
                                                                                     "points"):
                q.role = "change" if q.kind != "number" or q.unit in ("x",) else "count"
                if q.kind == "percent":
                    q.role = "change"
                break
            if tag & (ACH | MAINT | BE | IMPROVE | HEDGE | INC | DEC) and verb_at(tk, k, start):
                q.role = "count"
                break
        if q.role == "other" and (p < start or prev in ("(",) or (tk.t[p] & FUNC and prev not in ("of", "by"))):
            q.role = "count"
