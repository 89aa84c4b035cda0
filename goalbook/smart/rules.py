"""The SMART criteria, one function each, applied to a statement already read into tokens,
time expressions and quantities (see ``RULES.md`` for every decision made here).

:class:`Reading` works out the grammar the criteria need and nothing more: the main verb, the
verb a hedge governs ("strive to *cut*"), the object noun phrase and its head word, the main
quantified aim (a from–to pair first, then a target level, a change, a count), and the direction.
"""

from __future__ import annotations

import math
from collections.abc import Set
from datetime import date
from functools import lru_cache
from itertools import pairwise

from goalbook.forecast import Forecast, forecast_series, value_bounds
from goalbook.model import did_you_mean, is_external
from goalbook.period import Period, fiscal_year_of
from goalbook.smart.dates import EVENT_KIND, NAME, RATE_KIND, RECURRING, TimeExpr
from goalbook.smart.lexicon import (
    ABSTRACT,
    ACH,
    AIM,
    BAD,
    BE,
    DEC,
    DIR_DOWN,
    DIR_UP,
    FUNC,
    GENERIC,
    HEDGE,
    IMPROVE,
    INC,
    INTENT,
    LABEL,
    MAINT,
    NUMWORD,
    PLAN,
    PREP,
    QUANT,
    STATES,
    SUBORD,
    TAGS,
    VAGUE,
    VAGUE_ADJ,
    VERB,
)
from goalbook.smart.numbers import Found, Quantity, verb_at
from goalbook.smart.report import Criterion
from goalbook.smart.tokens import Tokens

_QUANTITY_HEADS = frozenset({"number", "numbers", "proportion", "share", "percentage", "percent", "rate", "rates",
                             "level", "levels", "amount", "volume", "count", "total", "ratio", "majority", "value",
                             "cost", "costs", "time", "times", "uptake", "use", "usage", "coverage", "length",
                             "speed", "size", "age", "frequency", "quality"})
_POPULATION_HEADS = frozenset({"proportion", "number", "percentage", "share", "rate", "percent", "count",
                               "fraction", "prevalence"})
_TARGET_MARKS = frozenset({"=", ":", "at", "reach"})
_AUXILIARIES = frozenset({"is", "are", "was", "were", "will", "be", "been", "have", "has", "had", "shall", "should",
                          "would", "can", "could", "must", "do", "does"})
_FOR_VERBS = frozenset(f"{stem}{end}" for stem, ends in (
    ("train", ("", "s", "ed", "ing")), ("prepar", ("e", "es", "ed", "ing")), ("qualif", ("y", "ies", "ied", "ying")),
    ("register", ("", "s", "ed", "ing")), ("appl", ("y", "ies", "ied", "ying")), ("compet", ("e", "es", "ed", "ing")))
    for end in ends)
#: verbs whose first object receives what follows "with": "provide *the public* with opportunities"
_AND_OR = frozenset({"and", "or", ",", ";", "&"})
_DISTRIBUTIVE = frozenset({"each", "every", "any", "either", "none", "one"})
_ENDOW = frozenset({"provide", "provides", "provided", "providing", "equip", "equips", "supply", "supplies",
                    "furnish", "furnishes"})
_CHANGE_HEADS = frozenset({"growth", "increase", "reduction", "improvement", "decline", "decrease"})
_PARTICLES = frozenset({"out", "up", "down", "forward", "back", "off", "on"})
_GOVERN_SKIP = frozenset({"to", "towards", "toward", "on", "in", "that", "sure", "at", "for", "by"})
_ENSURE = frozenset({"ensure", "ensures", "ensured", "ensuring", "sure"})
_SCOPE_PREPS = frozenset({"for", "across", "among", "amongst", "throughout", "with", "around", "about"})
_ROLE_RANK = {"target": 0, "change": 1, "count": 2, "other": 3}
_NOT_METRIC = frozenset({"x", "y", "n", "tbd", "tbc", "tba", "xx", "we", "our", "goal", "target", "aim", "objective",
                         "kr", "okr", "key", "result", "results"})
#: levels of a skill a learner reaches: "become fluent in Spanish" names the skill and the end state
_PROFICIENT = frozenset({"fluent", "proficient", "competent", "conversational", "literate", "qualified"})
#: verbs whose object is money itself: the amount names the metric ("save $5,000": savings)
_MONEY_VERBS = frozenset({"save", "saves", "saved", "saving", "raise", "raises", "raised", "raising", "earn", "earns",
                          "earned", "earning", "fundraise", "fundraising", "donate", "donates", "donated", "invest",
                          "invests", "invested", "investing", "spend", "spends", "spent", "spending", "generate",
                          "generates", "generated", "generating", "collect", "collects", "collected", "secure",
                          "secures", "secured", "pay", "pays", "paid", "repay", "repaid", "bank"})
_NEGATIVE_OK = ("nps", "net promoter", "profit", "margin", "ebitda", "income", "temperature", "°", "balance",
                "cash", "flow", "growth", "change", "score", "index", "return", "surplus", "deficit", "result")
_SHARE_EXCEPT = ("of target", "quota", "of plan", "of budget", "of goal", "baseline", "last year", "capacity",
                 "forecast", "net revenue", "net dollar", "nrr", "ndr", "return", "roi", "yield", "markup")
_SHARE_WORDS = ("share", "proportion", "percentage", "% of", "percent of", "coverage", "uptime", "availability",
                "completion", "compliance", "attendance", "occupancy", "satisfaction", "conversion", "participation",
                "utilisation", "utilization", "uptake", "accuracy", "retention", "response rate", "pass rate",
                "success rate", "on-time", "on time")


class Reading:
    """The grammar of one statement as far as the SMART rules need it."""

    def __init__(self, tk: Tokens, start: int, times: list[TimeExpr], used: bytearray, found: Found,
                 metric_field: str | None) -> None:
        self.tk = tk
        self.start = start
        self.times = times
        self.used = used
        self.found = found
        self.metric_field = metric_field
        # tokens of time expressions that are only modifiers of a noun ("Q4 pipeline", "monthly churn")
        self.modifier = bytearray(tk.n)
        for f in times:
            if f.kind in (NAME, RATE_KIND, "duration") or f.why == "a window that is part of the metric":
                for k in range(f.i0, min(f.i1, tk.n)):
                    self.modifier[k] = 1
        self._has_metric: bool | None = None
        self.in_quantity = bytearray(tk.n)  # tokens that belong to a quantity ("$", "2", "M" of "$2M")
        for q in found.quantities:
            for k in range(q.c0, min(q.i1, tk.n)):
                self.in_quantity[k] = 1
        self.placeholder = bytearray(tk.n)
        for p in found.placeholders:
            for k in range(p.i0, min(p.i1, tk.n)):
                self.placeholder[k] = 1
        self.commits = not _COMMIT_NOUNS.isdisjoint(tk.w)
        self.populations: bool | None = None
        self.main_verb = self._first_verb()
        self.verb = self._govern(self.main_verb)
        self.pair: tuple[Quantity, Quantity] | None = None
        self.aim = self._aim()
        self.aim_verb = None
        if self.aim is not None:
            self.aim_verb = self.aim.c0 if verb_at(tk, self.aim.c0, start) else self._verb_before(self.aim.c0)
        if self.aim_verb is not None:
            self.aim_verb = self._govern(self.aim_verb)
        self.object = self._object(self.aim_verb if self.aim_verb is not None else self.verb)

    # --- verbs ----------------------------------------------------------------------------------
    def _first_verb(self) -> int | None:
        tk = self.tk
        for i in range(self.start, min(tk.n, self.start + 40)):
            if self.used[i] == 1 and not self.modifier[i]:
                continue
            if tk.w[i] in (";", ".") and i > self.start + 2:
                break
            if verb_at(tk, i, self.start):
                if tk.w[i] in ("make", "makes") and tk.word(i + 1) == "sure":
                    return i + 1
                return i
        return None

    def _govern(self, v: int | None) -> int | None:
        """A hedge that governs another verb hands over to it: "strive to *cut*", "help *reduce*",
        "continue to *grow*", "work with partners to *reduce*"."""
        for _ in range(4):  # "help to support to reduce …": follow a few hops, never a long chain
            nxt = self._govern_once(v)
            if nxt == v:
                return v
            v = nxt
        return v

    def _govern_once(self, v: int | None) -> int | None:
        tk = self.tk
        if v is None or tk.w[v] in _ENSURE:
            return v
        if tk.w[v] in ("am", "is", "are", "was", "were", "be", "been") and tk.word(v + 1) in INTENT:
            return v + 1  # "we are aiming to release …", "I am going to walk …"
        if tk.t[v] & BE and tk.word(v + 1) in ("able", "ready") and tk.word(v + 2) == "to" and \
                tk.tag(v + 3) & VERB and not tk.tag(v + 3) & FUNC:
            return v + 3  # "students will be able to *identify* the main idea of a story"
        if self.commits and not tk.t[v] & (INC | DEC | IMPROVE):
            for k in range(v + 1, min(tk.n - 2, v + 6)):  # "set in statute targets to reduce child poverty"
                if tk.w[k] in _COMMIT_NOUNS and tk.w[k + 1] in ("to", "of", "for") and tk.t[k + 2] & (
                        INC | DEC | MAINT) and (
                        tk.w[k + 1] == "to" or tk.w[k + 2].endswith("ing")):
                    return k + 2
                if tk.w[k] in (",", ";", ".") or tk.t[k] & (SUBORD | VERB):
                    break
        if not tk.t[v] & (HEDGE | BE) and tk.w[v] not in ("continue", "continues", "continuing") and \
                tk.w[v] not in INTENT:
            return v
        k = v + 1
        if tk.word(k) in ("with", "alongside") and tk.t[v] & HEDGE:
            m = k + 1
            while m < min(tk.n, k + 6) and tk.w[m] != "to" and not tk.t[m] & (PREP | SUBORD):
                m += 1
            if tk.word(m) == "to":
                k = m
        while k < tk.n and tk.w[k] in _GOVERN_SKIP and k - v < 4:
            k += 1
        if k < tk.n and k > v and tk.t[k] & VERB and not tk.t[k] & FUNC and tk.w[k - 1] != "the":
            if tk.t[v] & BE and not tk.t[v] & HEDGE and tk.w[k - 1] not in ("to",):
                return v
            return k
        return v

    def _verb_before(self, i: int) -> int | None:
        tk = self.tk
        for k in range(i - 1, max(self.start - 1, i - 30), -1):
            if tk.w[k] in (";", ".") or tk.t[k] & SUBORD:
                return None
            if verb_at(tk, k, self.start) and not (self.used[k] == 1 and not self.modifier[k]):
                if tk.word(k - 1) in ("who", "which", "that") and k - 1 > self.start:
                    continue  # a relative clause's verb: "adults who *exercise* 3 times a week"
                if tk.w[k] in ("make", "makes", "made", "making") and tk.word(k + 1) == "sure":
                    return k + 1
                return k
        return None

    # --- the aim --------------------------------------------------------------------------------
    def _valid(self, q: Quantity) -> bool:
        """A quantifier ("all", "every") counts only when it quantifies what a concrete verb acts on;
        a number inside "the proportion of <population>" after a change verb describes the
        population, unless "to", "by" or "from" makes it the aim."""
        if self._in_population(q):
            return False
        tk = self.tk
        if q.bound and tk.word(q.i1 - 2) == "or" and tk.word(q.c0 - 1) in ("with", "having", "where") and (
                (self.main_verb is not None and self.main_verb > q.i1) or self._plural_noun(q.c0 - 2)):
            return False  # "schools with 50 or fewer pupils (will share a head)": the scope, not the aim
        if tk.word(q.c0 - 1) == "the" and tk.word(q.c0 - 2) == "of" and tk.word(q.c0 - 3) in _DISTRIBUTIVE:
            return False  # "in each of the four counties": the aim holds in each, the number counts the scope
        if q.kind != "quantifier" or q.value == 0.0:
            return True
        v = self._verb_before(q.c0)
        prev = tk.word(q.c0 - 1)
        if prev in _SCOPE_PREPS and not (prev == "for" and v is not None and tk.t[v] & ACH and not tk.t[v] & HEDGE):
            return False  # "improve communication across all teams"; but "complete QBRs for all tier-1 accounts"
        if prev == "of" and self._noun_before(q.c0 - 2):
            return False  # "an inventory of all emissions": what the noun covers, not a coverage to reach
        if v is None:
            return q.c0 <= self.start + 1 or tk.word(q.c0 - 1) in (",", "that")
        t = tk.t[v]
        if tk.w[v] in _ENSURE:
            return True
        if t & (IMPROVE | HEDGE | VAGUE) or (t & BE and tk.w[v] in ("make", "makes", "made", "be", "become")):
            return False  # "maximise … in all fleet vehicles": the scope of a vague verb
        return bool(t & (ACH | INC | DEC | MAINT | BE))

    def _noun_before(self, k: int) -> bool:
        """Token ``k`` is a content word not in a verb's position (the noun a phrase hangs on: "an
        *audit* of all vehicles", though "audit" can be a verb)."""
        tk = self.tk
        return k >= self.start and tk.kind(k) == "w" and not tk.t[k] & (FUNC | PREP | SUBORD) and \
            not self.used[k] and not verb_at(tk, k, self.start)

    def _plural_noun(self, k: int) -> bool:
        """Token ``k`` is a plural noun outside time expressions ("*schools* with 50 or fewer pupils",
        "*households* with 3 or more children"): what follows "with" describes which ones."""
        tk = self.tk
        return k >= self.start and tk.kind(k) == "w" and tk.w[k].endswith("s") and len(tk.w[k]) > 3 and \
            not tk.t[k] & (FUNC | PREP | VERB) and not self.used[k]

    def _in_population(self, q: Quantity) -> bool:
        tk = self.tk
        if self.populations is None:
            self.populations = not _POPULATION_HEADS.isdisjoint(tk.w)
        if not self.populations:
            return False
        p = q.c0 - 1
        while p > self.start and tk.w[p] in ('"', "'", "("):
            p -= 1
        prev = tk.word(p)
        if prev == "to" and tk.kind(q.c0 - 2) == "n" and (not self.in_quantity[q.c0 - 2] or tk.tag(q.c0 - 3) & LABEL):
            pass  # "from grade 6 to 12": a range of names, part of the population
        elif q.role == "baseline" or prev in ("to", "by", "from", "towards", "toward") or (
                q.role == "target" and prev in _TARGET_MARKS):
            return False
        for k in range(q.c0 - 1, max(self.start, q.c0 - 14) - 1, -1):
            w = tk.w[k]
            if w in (";", ".", ",") or tk.t[k] & SUBORD:
                return False
            if w == "of" and tk.word(k - 1) in _POPULATION_HEADS:
                m = k - 2 if tk.word(k - 2) not in ("the", "a") else k - 3
                return m >= self.start and bool(tk.t[m] & (INC | DEC | IMPROVE)) and verb_at(tk, m, self.start)
        return False

    def _aim(self) -> Quantity | None:
        qs = [q for q in self.found.quantities if self._valid(q)]
        # quantities in a "by doing …" clause are the method, not the aim ("improve reading levels by
        # implementing a daily 30-minute programme tailored to each student")
        means = means_clause(self.tk, self.start + 1) if qs else None
        if means is not None and any(q.i1 <= means for q in qs):
            qs = [q for q in qs if q.i1 <= means]
        elif means is not None:
            qs = [q for q in qs if q.i1 <= means or q.kind != "quantifier"]
        # a compound statement is judged on its first clause's aim when that clause has one
        # ("reduce emissions 50% by 2030 …; maintain 40% tree canopy")
        semi = _clause_break(self.tk, self.start)
        if semi is not None and any(q.i1 <= semi and q.role in _ROLE_RANK for q in qs):
            qs = [q for q in qs if q.i1 <= semi]
        for idx, q in enumerate(qs):
            if q.role == "baseline":
                for q2 in qs[idx + 1:idx + 3]:
                    if q2.role == "target" and q2.c0 > q.i1 - 1 and q2.c0 - q.i1 < 12:
                        self.pair = (q, q2)
                        return q2
        best: Quantity | None = None
        for q in qs:
            rank = _ROLE_RANK.get(q.role)
            if rank is None:
                continue
            if q.kind == "percent" and q.role in ("count", "other"):
                rank = 0
            if best is None or rank < _ROLE_RANK.get(best.role, 9) - (
                    1 if best.kind == "percent" and best.role in ("count", "other") else 0):
                best = q
        if best is not None:
            return best
        for role in ("window", "constraint", "denominator"):
            for q in qs:
                if q.role == role:
                    return q
        return None

    # --- the object noun phrase -----------------------------------------------------------------
    def _object(self, v: int | None) -> tuple[int, int, int] | None:
        """(first token, head token, end) of the noun phrase the verb acts on; without a verb,
        the statement's first noun phrase."""
        tk = self.tk
        k = self.start if v is None else v + 1
        if v is not None and tk.word(k) in ("and", "&", "or") and verb_at(tk, k + 1, self.start):
            k += 2  # "agree & document the metrics", "launch and grow Staked podcast": the shared object
        if v is not None and tk.word(k) in _PARTICLES and tk.t[v] & (ACH | DEC | INC):
            k += 1
        elif v is not None and tk.word(k) == "for" and tk.w[v] in _FOR_VERBS:
            k += 1  # "train for a half marathon", "qualify for the regional finals": the object follows "for"
        if v is not None and v > self.start and (k >= tk.n or tk.k[k] != "w" or tk.t[k] & (PREP | FUNC)) and \
                not tk.t[v - 1] & (FUNC | PREP | VERB) and tk.k[v - 1] == "w":
            k = self.start  # a passive or finite verb after its subject: "Linux64 Nightlies *published*"
            v = None
        first = head = -1
        end = min(tk.n, k + 20)
        while k < end:
            w, t = tk.w[k], tk.t[k]
            if self.in_quantity[k]:
                if first < 0:
                    first = k
                k += 1
                if tk.word(k) == "of":  # "$2M of Q4 pipeline", "95% of invoices"
                    k += 1
                continue
            if self.used[k] == 1 and not self.modifier[k]:
                break
            if w in _AUXILIARIES:
                break
            if tk.k[k] == "p" and w not in ("-", "'", "&", "/", "%", "$", "€", "£"):
                if w == "(" or w == ")":
                    k += 1
                    continue
                break
            if w == "of" and head >= 0 and tk.w[head] in _QUANTITY_HEADS:
                k += 1
                continue
            if w == "with" and v is not None and tk.w[v] in _ENDOW and head >= 0 and head == k - 1 and \
                    tk.word(k + 1) not in ("a", "an"):
                first = head = -1  # "provide the public with educational opportunities": the thing follows
                k += 1
                continue
            if (t & PREP and w not in ("and",)) or t & SUBORD or w in ("that", "which", "who"):
                break
            if w == "and" and head >= 0 and (k + 1 >= tk.n or tk.k[k + 1] != "w"):
                break
            if w == "and" and verb_at(tk, k + 1, self.start):
                break
            if k > (v if v is not None else self.start - 1) + 1 and verb_at(tk, k, self.start) and tk.w[k - 1] != "-":
                break
            if head >= 0 and t & VERB and w.endswith("ed") and not tk.glued(k):
                break  # "an environment *supported* by clean energy": a reduced relative clause
            if tk.k[k] == "w" and not t & FUNC and w not in ("and",):
                if first < 0:
                    first = k
                if head < 0 or tk.w[head] not in _QUANTITY_HEADS or tk.word(head + 1) != "of":
                    head = k
            elif tk.k[k] == "n" and first < 0:
                first = k
            k += 1
        if head < 0:
            return None
        return (first if first >= 0 else head), head, k

    def metric_span(self) -> tuple[int, int] | None:
        """Tokens naming the metric: the object phrase without the amount ("*Q4 pipeline*" in
        "close $2M of Q4 pipeline"); ``None`` when only the amount's unit names it."""
        if self.object is None:
            return None
        first, head, end = self.object
        tk = self.tk
        while first <= head and (self.in_quantity[first] or tk.k[first] != "w" or tk.w[first] == "of"):
            first += 1
        while end - 1 > head and (tk.k[end - 1] != "w" or tk.t[end - 1] & FUNC):
            end -= 1
        return (first, end) if first <= head else None

    def metric_text(self) -> str | None:
        span = self.metric_span()
        if span is not None:
            return self.tk.quote(*span)
        aim = self.aim
        if aim is not None and aim.unit and aim.kind not in ("percent", "money", "factor", "fraction", "points",
                                                              "rank", "rating", "level"):
            return aim.unit
        return None

    # --- facts the criteria use -----------------------------------------------------------------
    def has_metric(self) -> bool:
        """A noun that could be measured, outside time expressions and the verb itself."""
        if self._has_metric is None:
            self._has_metric = self._find_metric() or self._money_is_the_metric()
        return self._has_metric

    def _money_is_the_metric(self) -> bool:
        """A sum of money right after a verb of money names its own metric: "save $5,000" (savings),
        "raise £2M" (funds raised), "earn $300 a month" (earnings)."""
        aim, v = getattr(self, "aim", None), getattr(self, "aim_verb", None)
        return aim is not None and aim.kind == "money" and v is not None and self.tk.w[v] in _MONEY_VERBS and \
            0 < aim.c0 - v <= 2

    def _find_metric(self) -> bool:
        if self.metric_field:
            return True
        tk = self.tk
        for i in range(self.start, tk.n):
            if tk.k[i] != "w" or (self.used[i] == 1 and not self.modifier[i]):
                continue
            t = tk.t[i]
            if t & (FUNC | PREP | SUBORD | VAGUE | NUMWORD | QUANT) or tk.w[i] in _NOT_METRIC or (len(tk.w[i]) < 2 and \
                    tk.w[i] not in ("%",)):
                continue
            if t & VERB and verb_at(tk, i, self.start):
                continue
            if self.placeholder[i]:
                continue
            return True
        return False

    def named(self, first: int, head: int) -> bool:
        """The words before a generic head name it ("the *access and participation* plan")."""
        tk = self.tk
        for k in range(first, head):
            if tk.k[k] == "w" and not tk.t[k] & (FUNC | VAGUE_ADJ) and tk.w[k] not in ("and",):
                return True
            if tk.k[k] == "n" or self.modifier[k]:
                return True
            if tk.w[k] in ("the",) and k == first and tk.w[head] not in ("way", "thing", "things"):
                return True
        return False

    def counted(self, first: int, end: int) -> bool:
        return any(first <= q.i0 < end or first <= q.c0 < end for q in self.found.quantities)


def _q(tk: Tokens, i0: int, i1: int) -> str:
    return f"'{tk.quote(i0, i1)}'"


# --- Specific ---------------------------------------------------------------------------------
def judge_specific(r: Reading, target_field: float | None) -> Criterion:
    tk = r.tk
    core = [p for p in r.found.placeholders if p.slot in ("object", "target", "change")]
    if core:
        p = core[0]
        return Criterion("specific", "fail", f"{_q(tk, p.i0, p.i1)} is a placeholder where the "
                         f"{'metric' if p.slot == 'object' else 'target'} should be",
                         "replace the placeholder with the real metric and number: "
                         "'raise <metric> from <baseline> to <target> by <date>'")
    if r.tk.n <= r.start:
        return Criterion("specific", "fail", "the statement is empty",
                         "write what changes: 'raise <metric> from <baseline> to <target> by <date>'")
    aim, v = r.aim, (r.aim_verb if r.aim is not None else r.verb)
    obj = r.object
    if aim is not None:
        if not r.has_metric():
            return Criterion("specific", "fail", f"{_q(tk, aim.c0, aim.i1)} of what? no metric is named",
                             f"name the metric the number belongs to: 'raise <metric> to {tk.quote(aim.c0, aim.i1)}'")
        if obj is not None and v is not None and tk.t[obj[1]] & GENERIC and not r.named(obj[0], obj[1]) and \
                not r.counted(obj[0], obj[2]) and tk.w[obj[0]] in ("a", "an", "new", "some"):
            return Criterion("specific", "fail", f"{_q(tk, obj[0], obj[1] + 1)} is unnamed: which one?",
                             f"name it: '{tk.quote(v, v + 1)} the <name> {tk.w[obj[1]]}'")
        thing = _quote_thing(r, obj, aim)
        return Criterion("specific", "pass", f"names {thing} and the aim {_q(tk, aim.c0, aim.i1)}")
    if r.metric_field and target_field is not None:
        return Criterion("specific", "pass", f"the metric field names '{r.metric_field}' with a target")
    if v is None:
        text = tk.quote(r.start, min(tk.n, r.start + 8))
        return Criterion("specific", "fail", f"'{text}' names no change or end state",
                         f"say what changes and how: 'raise <metric> from <baseline> to <target> by <date>'"
                         f" instead of '{text}'")
    main = r.main_verb if r.main_verb is not None else v
    if tk.w[main] in INTENT and main != v:
        main = v  # "I want to lose weight": judged on "lose weight"
    if tk.t[main] & HEDGE or tk.w[main] in _ENSURE:
        hedge = tk.quote(main, main + 1)
        return Criterion("specific", "fail", f"'{hedge}' commits to no change you can check",
                         f"replace '{hedge}' with the change it should bring: "
                         f"'raise <metric> from <baseline> to <target> by <date>'")
    verb = tk.quote(v, v + 1)
    t = tk.t[v]
    if t & HEDGE or tk.w[v] in _ENSURE:
        return Criterion("specific", "fail", f"'{verb}' commits to no change you can check",
                         f"replace '{verb}' with the change it should bring: "
                         f"'raise <metric> from <baseline> to <target> by <date>'")
    if t & IMPROVE:
        what = tk.quote(obj[0], obj[2]) if obj else "it"
        change = "cut" if good_when_low(r) else "raise"
        return Criterion("specific", "fail", f"'{verb}' says no direction and amount",
                         f"'{verb} {what}' says no direction and amount: '{change} {what} from A to B by DATE'")
    if tk.w[v] in ("feel", "feels", "feeling", "felt") and tk.kind(v + 1) == "w":
        return Criterion("specific", "fail", f"'{tk.quote(v, v + 2)}' is a feeling with no measure",
                         "name the measure that shows it: e.g. 'raise the share of residents who say they feel "
                         "safe from 61% to 70% in the 2027 survey'")
    if tk.word(v + 1) in STATES and (v + 2 >= tk.n or tk.k[v + 2] != "w" or tk.t[v + 2] & (PREP | FUNC)):
        return Criterion("specific", "fail", f"'{tk.quote(v, v + 2)}' is a state with no measure",
                         "name the measure that shows it: e.g. 'run 5 km in under 30 minutes by <date>'")
    if t & BE and tk.word(v + 1) in _PROFICIENT and tk.word(v + 2) in ("in", "at") and tk.kind(v + 3) == "w" and \
            not tk.tag(v + 3) & (FUNC | PREP | ABSTRACT | VAGUE | VAGUE_ADJ):
        return Criterion("specific", "pass", f"names the skill '{tk.quote(v + 3, v + 4)}' and the level to reach "
                         f"'{tk.quote(v + 1, v + 2)}'")  # "become proficient in Python": Measurable asks how
    opening = _comparative_subject(r)
    if opening is not None and aim is None:  # "Fewer young people will be out of work in 2028": a count of them
        return Criterion("specific", "pass", f"names '{tk.quote(opening + 1, _subject_end(r, opening + 1))}' "
                         f"and the change '{tk.w[opening]}'")
    if t & BE and _passive_be(tk, v) and _concrete_subject(r, v):  # "a reduction of GHG emissions will be achieved"
        return Criterion("specific", "pass", f"names '{tk.quote(r.start, v - 1)}' and the change "
                         f"'{tk.quote(v + 1, v + 2)}'")
    if t & BE and not t & (ACH | INC | DEC | MAINT):
        what = tk.quote(v, min(tk.n, (obj[2] if obj else v + 4)))
        return Criterion("specific", "fail", f"'{what}' is an end state with no metric",
                         "name the metric that shows it: e.g. 'reach 30% market share in <region> by <date>'")
    if r.metric_field:
        return Criterion("specific", "pass", f"the metric field names '{r.metric_field}'; the verb '{verb}' the change")
    if obj is None and r.main_verb is not None and tk.w[r.main_verb] in ("learn", "learning") and r.main_verb != v:
        return Criterion("specific", "pass", f"names the skill '{tk.quote(r.main_verb, v + 1)}'")  # "learn to cook"
    subject = _subject(r, v) if obj is None else None
    if subject is not None:  # "commercial batch production is expected to *commence* in FY27"
        return Criterion("specific", "pass", f"names '{tk.quote(*subject)}' and the change '{verb}'")
    if obj is None:
        return Criterion("specific", "fail", f"'{verb}' has no object: {verb} what?",
                         f"name the thing that changes: '{verb} <metric> from <baseline> to <target>'")
    first, head, end = obj
    head_word = tk.w[head]
    phrase = tk.quote(first, head + 1)
    if tk.t[head] & VAGUE and not r.counted(first, end):  # "stress less", "finish more of what I started"
        return Criterion("specific", "fail", f"'{verb} {phrase}' names no thing that changes",
                         f"name what changes and by how much: '{verb} <metric> from <baseline> to <target>'")
    if tk.t[head] & ABSTRACT and head_word not in _QUANTITY_HEADS and not _proper_name(r, head) and not (
            head_word in _CHANGE_HEADS and _concrete_after(r, head + 1)) and not (
            head_word in _CHANGE_HEADS and any(tk.k[k] == "w" and not tk.t[k] & (ABSTRACT | FUNC | VAGUE | VAGUE_ADJ)
                                               and not r.modifier[k] for k in range(first, head))):
        return Criterion("specific", "fail", f"'{phrase}' is an abstract aim with no metric",
                         f"name how '{phrase}' is measured: e.g. 'raise <{tk.quote(head, head + 1)} score> "
                         f"from A to B by DATE'")
    vague = next((k for k in range(first, head) if tk.w[k] in _VAGUE_MODIFIERS), None)
    if vague is not None and not r.counted(first, end) and not tk.t[v] & (INC | DEC) and tk.w[v] not in (
            "get", "gets", "getting"):  # "get better grades": a change in a metric
        return Criterion("specific", "fail", f"'{verb} {phrase}' is a vague end state: "
                         f"'{tk.w[vague]}' by what measure?",
                         f"name the measure and the level: '{verb} <metric> to <target> by <date>'")
    if tk.t[head] & GENERIC and not r.named(first, head) and not r.counted(first, end):
        if tk.word(first - 1) in ("a", "an", "some"):
            phrase = tk.quote(first - 1, head + 1)
        return Criterion("specific", "fail", f"'{phrase}' is unnamed: which one?",
                         f"name it: '{verb} the <name> {head_word}'")
    return Criterion("specific", "pass", f"names '{tk.quote(first, end)}' and the change '{verb}'")


#: modifiers that make an object a vague end state when no number pins them ("build *better* places",
#: "create a *greater* sense of belonging", "provide *enough* food for all")
_VAGUE_MODIFIERS = frozenset({"better", "greater", "stronger", "enhanced", "improved", "enough", "sufficient",
                              "adequate", "bigger", "higher-quality", "best"})


def _clause_break(tk: Tokens, start: int) -> int | None:
    """Where the first clause ends: a semicolon, a dash standing free ("by 2030 – and is the only …")
    or the end of the first sentence; the statement's main aim is its first clause's when it has one."""
    w, s, e = tk.w, tk.s, tk.e
    for k in range(start + 1, tk.n - 1):
        x = w[k]
        if x == ";" or (x == "-" and s[k] > e[k - 1] and s[k + 1] > e[k]) or (
                x == "." and s[k + 1] > e[k] and tk.text[s[k + 1]].isupper()):
            return k
    return None


def _proper_name(r: Reading, head: int) -> bool:
    """A capitalised head inside a sentence-case statement names a defined measure or programme
    ("reduce humankind's Ecological Footprint"), unlike the same word in a Title Case heading."""
    tk = r.tk
    if head <= r.start or not tk.capitalised(head):
        return False
    words = [k for k in range(r.start + 1, tk.n) if tk.k[k] == "w" and not tk.t[k] & (FUNC | PREP) and len(tk.w[k]) > 3]
    return sum(not tk.capitalised(k) for k in words) * 2 >= len(words)


def _concrete_word(r: Reading, k: int) -> bool:
    """Token ``k`` is a content word that names a thing, not an abstraction, a vague word or a verb."""
    tk = r.tk
    return tk.kind(k) == "w" and not tk.t[k] & (FUNC | PREP | SUBORD | ABSTRACT | VAGUE | VAGUE_ADJ | VERB | GENERIC) \
        and not r.used[k] and tk.w[k] not in _NOT_METRIC and len(tk.w[k]) > 1


def _concrete_after(r: Reading, k: int) -> bool:
    """A change noun followed by what changes: "the decline *in species abundance*", "growth of
    *hydrogen output*" (the noun phrase after "in"/"of" names the metric)."""
    tk = r.tk
    if tk.word(k) not in ("in", "of"):
        return False
    for m in range(k + 1, min(tk.n, k + 5)):
        if _concrete_word(r, m):
            return True
        if tk.t[m] & (PREP | SUBORD) or tk.k[m] != "w":
            return False
    return False


def _comparative_subject(r: Reading) -> int | None:
    """Index of "More"/"Fewer"/"Less" opening the statement before a concrete plural subject and its
    verb ("Fewer young people will be out of work", "More residents will recycle"): the count changes."""
    tk, k = r.tk, r.start
    if tk.word(k) not in ("more", "fewer", "less") or r.verb is None or r.verb <= k + 1:
        return None
    end = _subject_end(r, k + 1)
    if end != r.verb and tk.word(end) not in _AUXILIARIES:
        return None
    return k if any(_concrete_word(r, m) for m in range(k + 1, end)) else None


def _subject_end(r: Reading, k: int) -> int:
    """Where the noun phrase from ``k`` ends: at an auxiliary, a verb, a preposition or a clause mark."""
    tk = r.tk
    while k < tk.n and tk.k[k] == "w" and tk.w[k] not in _AUXILIARIES and not tk.t[k] & (PREP | SUBORD) and \
            not verb_at(tk, k, r.start):
        k += 1
    return k


def _concrete_subject(r: Reading, v: int) -> bool:
    """The subject before a passive "will be <done>" names a concrete thing (a word that is no
    abstraction, or a change noun with its metric)."""
    tk = r.tk
    for k in range(r.start, v):
        if _concrete_word(r, k) or (tk.w[k] in _CHANGE_HEADS and _concrete_after(r, k + 1)):
            return True
    return False


def _subject(r: Reading, v: int) -> tuple[int, int] | None:
    """The noun phrase before an intransitive verb, when the statement opens with one."""
    tk = r.tk
    k = r.start
    if tk.word(k) in ("the", "a", "an", "our", "its", "their"):
        k += 1
    first = k
    while k < v and tk.k[k] == "w" and not tk.t[k] & (FUNC | PREP | VERB | ABSTRACT) and tk.w[k] not in _NOT_METRIC:
        k += 1
    return (first, k) if k > first and tk.word(k) in _AUXILIARIES | {"to", "expected"} else None


def _quote_thing(r: Reading, obj: tuple[int, int, int] | None, aim: Quantity) -> str:
    text = r.metric_text() or r.metric_field
    return f"'{text}'" if text else "the metric"


# --- Measurable ---------------------------------------------------------------------------------
def judge_measurable(r: Reading, target_field: float | None, target_problem: str) -> Criterion:
    tk = r.tk
    if r.found.placeholders:
        p = r.found.placeholders[0]
        return Criterion("measurable", "fail", f"{_q(tk, p.i0, p.i1)} is a placeholder, not a number",
                         f"replace {_q(tk, p.i0, p.i1)} with the actual value")
    metric = r.has_metric()
    if target_field is not None and metric:
        return Criterion("measurable", "pass", f"the target field gives {target_field:g}",
                         "" if r.pair else "add a baseline: from what value?")
    aim = r.aim
    if aim is not None and metric:
        hint = "" if r.pair or any(q.role == "baseline" for q in r.found.quantities) else \
            "add a baseline: from what value?"
        return Criterion("measurable", "pass", f"{_q(tk, aim.c0, aim.i1)} is a quantitative target", hint)
    if aim is not None:
        return Criterion("measurable", "fail", f"{_q(tk, aim.c0, aim.i1)} of what? no metric is named",
                         f"name the metric: 'raise <metric> to {tk.quote(aim.c0, aim.i1)}'")
    extra = f" ({target_problem})" if target_problem else ""
    if r.found.vague:
        vq = r.found.vague[0]
        words = ", ".join(f"'{tk.quote(m.i0, m.i1)}'" for m in r.found.vague[:3])
        return Criterion("measurable", "fail", f"{words} {'is' if len(r.found.vague) == 1 else 'are'} not a number"
                         f"{extra}", f"replace {_q(tk, vq.i0, vq.i1)} with the amount you commit to: "
                         f"'from <baseline> to <target>'")
    v = r.verb
    if v is not None and tk.t[v] & ACH and not tk.t[v] & (INC | DEC):
        obj = r.object
        what = tk.quote(v, obj[2]) if obj else tk.quote(v, v + 1)
        return Criterion("measurable", "fail", f"'{what}' is a milestone with no number{extra}",
                         "add a count or a defined level: 'in all 14 clinics', 'for 3 enterprise customers', "
                         "'3 of 5 checkpoints done'")
    return Criterion("measurable", "fail", f"no number or defined level{extra}",
                     "add the target: 'from <baseline> to <target>' or 'to <target>'")


# --- Time-bound ---------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _deadline_examples(today: date, fiscal_year_start: int) -> str:
    """Deadlines a facilitator could write today: the end of next quarter, as a date and by name."""
    fy = fiscal_year_of(today, fiscal_year_start)
    for year in (fy, fy + 1):
        for q in (1, 2, 3, 4):
            p = Period.parse(f"{year}-Q{q}", fiscal_year_start)
            if p.start > today:
                name = f"Q{q} FY{year % 100:02d}" if fiscal_year_start != 1 else f"Q{q} {year}"
                return f"'by {p.end.day} {p.end:%B %Y}' or 'by {name}'"
    return "'by <date>'"


def judge_time_bound(r: Reading, best: TimeExpr | None, field_day: date | None, field_problem: str,
                     period_day: date | None, today: date, fiscal_year_start: int = 1) -> Criterion:
    tk = r.tk
    examples = _deadline_examples(today, fiscal_year_start)
    if field_day is not None:
        return Criterion("time_bound", "pass", f"the deadline field gives {field_day.isoformat()}")
    if best is not None:
        text = tk.quote(best.i0, best.i1)
        if best.kind == EVENT_KIND:
            return Criterion("time_bound", "pass", f"'{text}' is an event deadline",
                             "the deadline has no date: add the expected date of the event if it is known")
        if best.kind == RECURRING:
            return Criterion("time_bound", "pass", f"'{text}' is a recurring window (first due {best.day})")
        return Criterion("time_bound", "pass", f"'{text}' is the deadline ({best.day})")
    if period_day is not None:
        return Criterion("time_bound", "pass", f"the goal's period ends {period_day.isoformat()}",
                         "say the date in the statement too: 'by <date>'")
    traps = [f for f in r.times if not f.binding]
    extra = f" ({field_problem})" if field_problem else ""
    if traps:
        f = traps[0]
        text = tk.quote(f.i0, f.i1)
        return Criterion("time_bound", "fail", f"'{text}' is {f.why}, not a deadline{extra}",
                         f"'{text}' is {f.why}, not a deadline: add one, e.g. {examples}")
    return Criterion("time_bound", "fail", f"no deadline or time window{extra}",
                     f"add a deadline, e.g. {examples} or 'within the next 90 days'")


# --- Achievable -------------------------------------------------------------------------------
def _pace_per_day(points: list[tuple[date, float]], up: bool) -> float | None:
    best = None
    for (d1, v1), (d2, v2) in pairwise(points):
        days = (d2 - d1).days
        if days <= 0:
            continue
        pace = (v2 - v1) / days * (1 if up else -1)
        best = pace if best is None else max(best, pace)
    return best


def accepted(target: float, direction: str, baseline: float | None = None, bound: str | None = None,
             target_range: tuple[float, float] | None = None, good_when_low: bool = False) -> tuple[float, float]:
    """The values that meet the target, as ``(lowest, highest)`` (``±inf`` for no limit).

    increase: the target or above; decrease: the target or below. For a level to hold or reach
    (maintain, achieve, none): a stated band (``between 5 and 8%``) is met inside it; an ``at_most``
    bound (``at most 8%``, ``below``) at or below the target, an ``at_least`` bound at or above it;
    otherwise a baseline on the other side of the target says which way the goal moves, and failing
    that, the metric: at or below the target when it is good when low (churn, cost, wait), at or
    above it when not.
    """
    inf = math.inf
    if direction == "increase":
        return target, inf
    if direction == "decrease":
        return -inf, target
    if target_range is not None:
        return target_range
    if bound in ("at_most", "at_least"):
        return (-inf, target) if bound == "at_most" else (target, inf)
    if direction != "maintain" and baseline is not None and baseline != target:
        return (target, inf) if target > baseline else (-inf, target)
    return (-inf, target) if good_when_low else (target, inf)


def _met(lo: float, hi: float) -> str:
    if math.isinf(lo):
        return f"at or below {hi:g}"
    if math.isinf(hi):
        return f"at or above {lo:g}"
    return f"between {lo:g} and {hi:g}"


def judge_achievable(baseline: float | None, target: float | None, unit: str | None, direction: str,
                     deadline: date | None, today: date, history: list[tuple[date, float]],
                     text_direction: str, context: str, bound: str | None,
                     target_range: tuple[float, float] | None = None, good_when_low: bool = False) -> Criterion:
    low = context.lower()
    for name, x in (("target", target), ("baseline", baseline)):
        if x is not None and not math.isfinite(x):
            return Criterion("achievable", "fail", f"the {name} is not a finite number",
                             f"write the {name} as an ordinary number", "numbers")
    if target is not None and unit == "%" and target > 100 and any(w in low for w in _SHARE_WORDS) and \
            not any(w in low for w in _SHARE_EXCEPT) and direction != "decrease":
        return Criterion("achievable", "fail", f"a share of {target:g}% is above 100%",
                         "a share cannot pass 100%: check the number or the unit", "numbers")
    if target is not None and target < 0 and not (unit or "").startswith(("%", "$", "€", "£")) and \
            not any(w in low for w in _NEGATIVE_OK):
        return Criterion("achievable", "fail", f"a negative target ({target:g}) for a count",
                         "a count cannot go below zero: check the sign", "numbers")
    if target is not None and baseline is not None:
        if target == baseline and direction not in ("maintain",):
            return Criterion("achievable", "fail", f"the target {target:g} equals the baseline",
                             "a goal must move: change the target, or say 'keep … at' to hold the level", "numbers")
        if text_direction == "increase" and target < baseline:
            return Criterion("achievable", "fail", f"says increase but the target {target:g} is below the "
                             f"baseline {baseline:g}", "swap the numbers or use 'reduce'", "numbers")
        if text_direction == "decrease" and target > baseline:
            return Criterion("achievable", "fail", f"says decrease but the target {target:g} is above the "
                             f"baseline {baseline:g}", "swap the numbers or use 'increase'", "numbers")
    if deadline is not None and deadline < today:
        return Criterion("achievable", "fail", f"the deadline {deadline.isoformat()} is already past "
                         f"(today is {today.isoformat()})", "set a deadline in the future", "deadline")
    if target is None:
        return Criterion("achievable", "warn", "no target number to judge",
                         "state the target so its pace can be checked against history", "missing")
    if not history:
        return Criterion("achievable", "warn", "no history of values to compare the required pace with",
                         "add check-ins (history) so the pace the target needs can be compared with the pace seen",
                         "missing")
    if deadline is None:
        return Criterion("achievable", "warn", "no dated deadline, so no required pace",
                         "give a date so the pace the target needs can be computed", "missing")
    points = sorted(history)
    last_day, last = points[-1]
    # the pace a history shows is its forecast (a robust trend with an interval), not its best week
    lo, hi = accepted(target, direction, baseline, bound, target_range, good_when_low)
    if lo <= last <= hi:
        band = f" ({_met(lo, hi)})" if target_range is not None else ""
        return Criterion("achievable", "pass", f"the latest value {last:g} already meets the target {target:g}{band}")
    aim = lo if last < lo else hi
    up = aim > last
    gap = abs(aim - last)
    start_day = max(last_day, today)
    days = (deadline - start_day).days
    if days <= 0:
        return Criterion("achievable", "fail", "no time left before the deadline", "move the deadline", "deadline")
    need = gap / days
    per_week = 7
    trend = forecast_series(points, deadline, accepted=(lo, hi),
                            bounds=value_bounds(unit, [v for _, v in points], target))
    if trend is not None and trend.probability is not None:
        return _judge_forecast(trend, need * per_week, gap, up, start_day, target)
    best = _pace_per_day(points, up)  # two check-ins: one pace, too few for a trend
    if best is None:
        return Criterion("achievable", "warn", "the history has a single date, so no pace to compare",
                         "add at least two dated values", "missing")
    if best <= 0:
        return Criterion("achievable", "warn", f"the target needs {need * per_week:.3g}/week but the history never "
                         f"moved that way", "check the target, or show what will change the trend",
                         "pace")
    if need > 2 * best:
        return Criterion("achievable", "warn", f"the target needs {need * per_week:.3g}/week, more than twice the "
                         f"pace of the two check-ins ({best * per_week:.3g}/week)",
                         "lower the target or move the deadline" + _reach(start_day, gap, best), "pace")
    return Criterion("achievable", "pass", f"the target needs {need * per_week:.3g}/week; the two check-ins "
                     f"moved {best * per_week:.3g}/week (too few for a trend)")


UNLIKELY = 0.25  # a forecast chance of meeting the target below this makes achievable doubtful


def _reach(start: date, gap: float, pace_per_day: float) -> str:
    reach = start.toordinal() + math.ceil(gap / pace_per_day)
    return f" to about {date.fromordinal(reach).isoformat()}" if reach <= date.max.toordinal() else ""


def _judge_forecast(f: Forecast, need_per_week: float, gap: float, up: bool, start: date,
                    target: float) -> Criterion:
    """Achievable from the forecast (:mod:`goalbook.forecast`): the chance the trend of the check-ins
    meets the target by the deadline, not the best single week seen."""
    p = f.probability or 0.0
    toward = f.slope_per_week * (1 if up else -1)
    said = (f"the trend of {f.points} check-ins ({f.slope_per_week:+.3g}/week) reaches about {f.value:.3g} by "
            f"{f.at.isoformat()} ({f.level:.0%} interval {f.low:.3g}–{f.high:.3g}): a {p:.0%} chance of meeting "
            f"the target {target:g}")
    if p >= UNLIKELY:
        return Criterion("achievable", "pass", f"the target needs {need_per_week:.3g}/week; {said}")
    if toward <= 0:
        return Criterion("achievable", "warn", f"the target needs {need_per_week:.3g}/week but the trend moves the "
                         f"other way; {said}", "check the target, or show what will change the trend", "pace")
    return Criterion("achievable", "warn", f"the target needs {need_per_week:.3g}/week, more than the trend; {said}",
                     "lower the target or move the deadline" + _reach(start, gap, toward / 7), "pace")


# --- Relevant and owner -------------------------------------------------------------------------
def judge_relevant(aligned_to: list[str], known_ids: Set[str] | None) -> Criterion:
    if not aligned_to:
        return Criterion("relevant", "warn", "not linked to any objective or key result",
                         "link it to the company objective or key result it serves (supports: [ID])")
    if known_ids is None:
        return Criterion("relevant", "pass", f"linked to {', '.join(aligned_to)}")
    unknown = [a for a in aligned_to if a not in known_ids and not is_external(a)]  # FILE#ID: another goalbook
    if unknown:
        hints = "".join(did_you_mean(u, sorted(known_ids)) for u in unknown[:1])
        return Criterion("relevant", "fail", f"linked to {', '.join(repr(u) for u in unknown)}, which does not "
                         f"exist{hints}", "link to an existing objective or key result id")
    return Criterion("relevant", "pass", f"linked to {', '.join(aligned_to)}")


def judge_owner(owner: str | None, source: str) -> Criterion:
    if owner:
        return Criterion("owner", "pass", f"owned by '{owner}' ({source})")
    return Criterion("owner", "warn", "no owner named", "name one owner: 'Sales: …', '@maria - …' or owner=")


# --- Direction ----------------------------------------------------------------------------------
def direction(r: Reading, recurring: bool) -> str:
    """increase / decrease / maintain / achieve / none, per SMART_RULES 'Direction'."""
    tk = r.tk
    aim, pair = r.aim, r.pair
    v = r.aim_verb if aim is not None else r.verb
    t = tk.t[v] if v is not None else 0
    numbers = None
    if pair and pair[0].value is not None and pair[1].value is not None and pair[0].value != pair[1].value:
        numbers = "increase" if pair[1].value > pair[0].value else "decrease"
    changed = _change_verb_of(r)
    if changed:
        return changed
    opening = _comparative_subject(r)
    if opening is not None and aim is None:
        return "increase" if tk.w[opening] == "more" else "decrease"  # "fewer young people will be out of work"
    if v is not None and _passive_be(tk, v) and tk.tag(v + 1) & (INC | DEC) and not tk.tag(v + 1) & MAINT:
        if tk.word(v - 1) in ("not", "never"):
            return "maintain"  # "fees will not be increased": a level held
        return "increase" if tk.tag(v + 1) & INC and not tk.tag(v + 1) & DEC else "decrease" if \
            tk.tag(v + 1) & DEC and not tk.tag(v + 1) & INC else "increase"  # "rough sleeping will be ended"
    if v is not None and aim is None and tk.w[v] in ("add", "adds", "added", "adding"):
        return "achieve"  # "add a new schema": a deliverable; "add 3 new partners" is a change
    if v is not None and t & (INC | DEC) and (tk.word(v - 1) in ("not", "never") or (
            tk.word(v - 2) in ("not", "never") and tk.word(v - 1).endswith("ly"))):
        return "maintain"  # "will not increase significantly from current levels": a level held
    if v is not None and aim is not None and aim.role in ("count", "other") and aim.c0 > v and \
            (aim.unit == "times" or _per_period(r)) and not _more_after(tk, aim):
        return "maintain"  # "lift weights 3 days/week": how often an activity is done, whatever its verb
    if v is not None and t & (INC | DEC | MAINT) and tk.w[v] not in ("raise", "raised", "raising", "bring"):
        if t & MAINT:
            if tk.word(v - 1) == "and" and tk.tag(v - 2) & AIM:
                return "achieve"  # "reach and remain at zero": a level to reach, then hold
            return "maintain"
        return "increase" if t & INC and not t & DEC else "decrease" if t & DEC and not t & INC else (
            numbers or "increase")
    if v is not None and tk.w[v] in ("raise", "raised", "raising"):
        if aim is not None and aim.kind == "money" and aim.c0 == v + 1:
            return "achieve"
        return "increase"
    if numbers:
        return numbers
    if v is not None and not t & (INC | DEC):
        stop = aim.c0 if aim is not None else min(tk.n, v + 8)
        for k in range(v + 1, min(stop, v + 8)):
            if tk.word(k - 1) == "-" and tk.glued(k):
                continue  # "sign-up form", "follow-up": a compound, not a direction
            if tk.w[k] == "down":
                return "decrease"
            if tk.w[k] == "up" and tk.w[v] not in ("set", "sets", "setting", "sign", "signs", "signing"):
                return "increase"
    if v is not None and t & IMPROVE:
        return "decrease" if good_when_low(r) else "increase"
    if _limit_held(r):
        return "maintain"
    # a change noun decides a statement with no change verb: "a 60% emissions reduction by 2035",
    # "revenue growth of 10%", "weekly active users up 10% over last quarter"
    span_end = aim.i1 if aim is not None else (r.object[2] if r.object else tk.n)
    if v is None or not t & ACH:
        span_end = _clause_end(tk, r.start if v is None else v)
    passive = v is not None and (tk.word(v - 1) in ("be", "been", "is", "are", "was", "were") or _passive_be(tk, v))
    for k in range((v if v is not None and not passive else r.start), min(tk.n, span_end + 3)):
        if v is None and tk.w[k] in ("up", "down") and ((k and r.in_quantity[k - 1]) or (
                k + 1 < tk.n and r.in_quantity[k + 1])):
            return "increase" if tk.w[k] == "up" else "decrease"  # "weekly active users up 10%"
        if not tk.t[k] & (DIR_DOWN | DIR_UP) or tk.k[k] != "w" or verb_at(tk, k, r.start) or _modifier(tk, k):
            continue
        if aim is not None and aim.role == "target" and k < aim.c0 and not _AND_OR.isdisjoint(tk.w[k + 1:aim.c0]):
            continue  # "5% revenue growth and a margin of 13.5% to 15%": the change noun is another conjunct's
        if tk.t[k] & DIR_UP and tk.w[k].startswith("improvement") and names_bad(tk, k + 1, _phrase_end(tk, k + 1)):
            return "decrease"  # "a 5% annual improvement in spills": improve follows the metric
        return "decrease" if tk.t[k] & DIR_DOWN else "increase"
    habit = aim is not None and aim.role != "change" and (recurring or aim.unit == "times" or _per_period(r))
    if v is None:
        if aim is None:
            return "none"
        if _more_after(tk, aim):
            return "increase"
        if _more_after(tk, aim, _LESS):
            return "decrease"  # "30% less plastic packaging by 2028"
        if aim.kind == "rank":
            return "achieve"
        if aim.value == 0.0:  # "zero landfill waste (by 2030)" is a level to reach; held each period, maintain
            return "maintain" if recurring or any(f.binding and f.day and not _dated_by(r) for f in r.times) \
                else "achieve"
        if (aim.bound == "at_most" or habit) and not (_dated_by(r) and not recurring and not habit):
            return "maintain"  # "time to fill ≤ 45 days"; but "LTIFR < 1.0 by 2022" is a level to reach
        return "achieve"
    if aim is not None and (aim.bound and recurring and t & BE and not t & ACH):
        return "maintain"
    if aim is not None and (tk.word(aim.c0 - 1) in ("additional", "extra") or _more_after(tk, aim)):
        return "increase"  # "handle an additional 40,000 appointments each week", "100,000 more people"
    if habit and not t & (INC | DEC | IMPROVE):
        return "maintain"  # a habit or a level held each period: "publish four posts every month"
    if aim is not None and aim.role != "change" and not t & (INC | DEC | IMPROVE) and (
            _held_for(r) or (aim.bound and _rate_after(r, aim) and not _dated_by(r))):
        return "maintain"  # "on time for the next 30 days", "≥ 4 engineers per squad per quarter"
    if aim is None and tk.w[v] not in _MAKERS:
        for k in range(v + 1, min(tk.n, v + 3)):  # "study more", "stress less", "get better grades"
            if tk.w[k] in ("more", "better", "higher"):
                return "increase"
            if tk.w[k] in ("less", "fewer", "lower"):
                return "decrease"
    if t & HEDGE or tk.w[v] in _ENSURE:
        return "achieve" if aim is not None else "none"
    if any(tk.w[k] in ("more", "additional", "extra") and tk.word(k + 1) not in ("than", "of", "and", "or") and
           tk.word(k - 1) != "or" and tk.kind(k + 1) == "w" for k in range(v, min(_clause_end(tk, v), v + 10))):
        return "increase"  # "hire 10 more engineers", "get IF integrated into more production systems"
    if aim is not None and tk.word(aim.i1) in ("more", "additional", "extra"):
        return "increase"  # "100,000 more people … will get a diagnosis"
    if t & BE and not t & ACH and tk.w[v] in ("have", "has", "had", "is", "are", "was", "were") and aim is None:
        return "none"
    return "achieve"


def _change_verb_of(r: Reading) -> str | None:
    """The change verb an amount of change ("by 20%") belongs to decides the direction, wherever the
    verb stands: "a target to *reduce* emissions by 68%", "habitats certified *increased* by 20%",
    "sales to *grow* by $5,000/month" (SMART_RULES: a change verb decides even with no baseline)."""
    aim, tk = r.aim, r.tk
    if aim is None or aim.role != "change" or aim.kind in ("factor", "fraction") or tk.word(aim.c0 - 1) != "by":
        return None
    for k in range(aim.c0 - 2, max(r.start - 1, aim.c0 - 10), -1):
        w, t = tk.w[k], tk.t[k]
        if w in (";", ".", ",") or t & SUBORD:
            return None
        if t & (INC | DEC) and not t & MAINT and tk.k[k] == "w" and (t & VERB or w.endswith("ed")):
            if tk.word(k - 1) in ("not", "never"):
                return None
            if t & INC and not t & DEC:
                return "increase"
            if t & DEC and not t & INC:
                return "decrease"
            return None
    return None


_MORE = ("more", "additional", "extra")
_LESS = ("less", "fewer")


def _more_after(tk: Tokens, q: Quantity, words: tuple[str, ...] = _MORE) -> bool:
    """"100,000 more people", "two billion extra trees": an amount added, not a level ("50 or more" is a
    bound); with ``_LESS``, an amount taken away ("30% less packaging")."""
    for k in (q.i1, q.i0 + 1, q.i0 + 2):
        if k < min(q.i1 + 1, tk.n) and tk.w[k] in words and tk.w[k - 1] != "or" and \
                tk.word(k + 1) != "than":
            return True
    return False


def _held_for(r: Reading) -> bool:
    """A window the aim is held over, "for the next 30 days", "for 12 consecutive months": a condition kept."""
    tk = r.tk
    return any((f.binding and tk.word(f.i0) == "for" and "next" in tk.w[f.i0 + 1:f.i0 + 3]) or
               "consecutive" in tk.w[f.i0 + 1:f.i1] for f in r.times)


def _rate_after(r: Reading, q: Quantity) -> bool:
    """A rate right after a bounded amount: "≥ 4 engineers per squad per quarter", "at most 2 per month"."""
    tk = r.tk
    return any(f.kind == RATE_KIND and q.i1 <= f.i0 <= q.i1 + 4 and tk.word(f.i1 - 1) not in _SHORT_UNITS
               for f in r.times)


_NEGATORS = frozenset({"no", "never", "none", "nobody", "single"})
_COMMIT_NOUNS = frozenset({"steps", "measures", "action", "actions", "target", "targets", "goal", "goals", "aim",
                           "aims", "ambition", "ambitions", "pledge",
                           "pledges", "commitment", "commitments", "objective", "objectives", "plan", "plans"})
_SHORT_UNITS = frozenset({"hour", "hours", "hr", "minute", "minutes", "second", "seconds"})
_MAKERS = frozenset({"build", "create", "develop", "design", "establish", "produce", "make", "deliver", "provide"})
_COMPARATIVES = frozenset({"less", "fewer", "higher", "lower", "worse", "better", "earlier", "sooner", "than"})
_EXCEEDS = frozenset({"more", "longer", "beyond", "exceed", "exceeds", "over", "without", "greater", "later", "above",
                      "after"})


def _limit_held(r: Reading) -> bool:
    """A negated limit held over time: "no customer goes more than 30 days without contact",
    "not a single release to go beyond planned date", "never lose functionality for more than …"."""
    tk = r.tk
    if _NEGATORS.isdisjoint(tk.w):
        return False
    end = _clause_end(tk, r.start)
    neg = next((k for k in range(r.start, min(end, r.start + 12)) if tk.w[k] in _NEGATORS and (
        tk.w[k] != "single" or tk.word(k - 2) == "not") and tk.word(k + 1) not in _EXCEEDS | _COMPARATIVES), None)
    return neg is not None and any(tk.w[k] in _EXCEEDS for k in range(neg + 1, end))


def _phrase_end(tk: Tokens, i: int) -> int:
    """End of the noun phrase from ``i``: before "and", a comma or a verb, at most 7 tokens on."""
    for k in range(i, min(tk.n, i + 7)):
        if tk.w[k] in ("and", ",", ";", ".") or (tk.t[k] & VERB and tk.w[k].endswith("ing")):
            return k
    return min(tk.n, i + 7)


def means_clause(tk: Tokens, start: int) -> int | None:
    """Index of "by" opening a "by doing …" clause (the method, not the aim), if there is one."""
    w = tk.w
    if "by" not in w:
        return None
    for k in [k for k, x in enumerate(w) if x == "by" and k >= start]:
        if k + 1 < tk.n and w[k + 1].endswith("ing") and len(w[k + 1]) > 5 and tk.t[k + 1] & VERB:
            return k
    return None


def _modifier(tk: Tokens, k: int) -> bool:
    """A change noun that only qualifies the next noun: "waste *reduction* targets", "growth plan"."""
    nxt = k + 1
    if tk.word(nxt) == "and":  # "energy reduction and greenhouse gas plan"
        for m in range(nxt + 1, min(tk.n, nxt + 6)):
            if tk.t[m] & (PREP | FUNC) or tk.k[m] != "w":
                return False
            if tk.t[m] & (GENERIC | PLAN) or tk.w[m] in ("targets", "target", "goals"):
                return True
        return False
    return nxt < tk.n and tk.k[nxt] == "w" and not tk.t[nxt] & (FUNC | PREP | VERB) and not tk.glued(nxt)


def _per_period(r: Reading) -> bool:
    """A count per period right after it ("3 days per week", "two essays per month", "6 days/week")
    or an adverb of frequency ("repair 90% of concerns annually"), with no "by <date>" to reach it
    by: a habit held, not a level reached. A rate inside a description ("a supply of 25 litres per
    person per day") or a throughput ("500 downloads per hour") is a level."""
    tk, aim = r.tk, r.aim
    if aim is None or _dated_by(r):
        return False
    counts = [q for q in r.found.quantities if q.role in ("count", "other", "target") and q.kind != "percent" and
              not _in_parens(tk, q.c0)]  # "1,600 new homes (400 per quarter)": an aside, not the habit
    for f in r.times:
        if f.kind != RATE_KIND:
            continue
        first, last = tk.word(f.i0), tk.word(f.i1 - 1)
        if first in ("per", "a", "an", "/", "each") and last not in _SHORT_UNITS and any(
                q.i1 <= f.i0 <= q.i1 + 4 and not any(tk.w[k] in ("per", "/", ",", "(") or tk.k[k] == "n"
                                                     for k in range(q.i1, f.i0)) for q in counts):
            return True  # "3 days per week", "two essays per month", "4 days a week"
        if first.endswith("ly") and f.i1 - 1 == f.i0 and (f.i1 >= tk.n or tk.k[f.i1] != "w" or tk.t[f.i1] & PREP):
            return True
    return False


def _in_parens(tk: Tokens, i: int) -> bool:
    """Token ``i`` sits inside an aside in parentheses opened a few tokens before."""
    for k in range(i - 1, max(-1, i - 8), -1):
        if tk.w[k] == ")":
            return False
        if tk.w[k] == "(":
            return True
    return False


def _clause_end(tk: Tokens, i: int) -> int:
    """Index of the first clause break (";", ".", "while", "which" …) at or after ``i``."""
    for k in range(i, tk.n):
        if tk.w[k] in (";", ".", "!", "?", "which") or tk.t[k] & SUBORD or (
                tk.w[k] == "," and k + 1 < tk.n and tk.w[k + 1].endswith("ing") and tk.t[k + 1] & VERB):
            return k  # ", boosting …": a trailing participle clause is commentary, not the aim
    return tk.n


def _passive_be(tk: Tokens, v: int) -> bool:
    """Token ``v`` is the "be" of a passive ("a reduction of emissions *will be achieved*"): the
    subject before it carries the aim."""
    return v > 0 and tk.w[v] in ("be", "been", "is", "are", "was", "were") and tk.word(v - 1) in _AUXILIARIES | {
        "not"} and tk.word(v + 1).endswith("ed") and tk.kind(v + 1) == "w"


def _dated_by(r: Reading) -> bool:
    """The statement has a "by <date>" deadline (a level to reach), not a period it holds over."""
    return any(f.binding and f.day is not None and r.tk.word(f.i0) in ("by", "before", "until") for f in r.times)


def good_when_low(r: Reading) -> bool:
    """True when the metric the statement names is good when low (churn, cost, wait, errors ...)."""
    tk = r.tk
    lo = r.object[0] if r.object else r.start
    hi = r.object[2] if r.object else tk.n
    return names_bad(tk, lo, min(hi + 1, tk.n))


#: words that make "time" a quality, not a duration: "on-time delivery", "full-time staff", "real-time data"
_TIME_QUALIFIERS = frozenset({"on", "full", "part", "real", "first", "all", "one", "just", "any"})


def _time_as_modifier(tk: Tokens, k: int) -> bool:
    """``time`` in "on-time", "on time", "full-time", "real-time" qualifies a noun (good when high,
    like any count or share), unlike "wait time" or "time to hire"."""
    if tk.w[k] != "time" or k == 0:
        return False
    if tk.w[k - 1] == "on":
        return True
    return tk.w[k - 1] == "-" and tk.glued(k) and tk.glued(k - 1) and tk.word(k - 2) in _TIME_QUALIFIERS


def names_bad(tk: Tokens, lo: int = 0, hi: int | None = None) -> bool:
    """True when tokens ``lo`` to ``hi`` hold a word for something good when low, hyphenated ones
    (``no-show``, ``lead-time``) included."""
    hi = tk.n if hi is None else hi
    t = tk.t
    for k in range(lo, hi):
        if t[k] & BAD and not _time_as_modifier(tk, k):
            return True
    if "-" not in tk.w[max(lo - 1, 0):hi + 1]:
        return False
    for k in range(lo, hi):
        for h in (k - 1, k + 1):  # the hyphen before or after this word
            if 0 < h < tk.n - 1 and tk.w[h] == "-" and tk.glued(h) and tk.glued(h + 1) and \
                    TAGS.get(f"{tk.w[h - 1]}-{tk.w[h + 1]}", 0) & BAD:
                return True
    return False
