"""Is a key result a task or an output posing as a key result? Read from its whole statement.

A key result is an outcome: something measured that changes (or holds) and that finishing the work
does not by itself guarantee. A task or output is met by the team doing or delivering something:
a thing built, launched, migrated, written, hired, held or added, whatever the count. Real OKR sets
hide tasks in many shapes, so the whole statement is read, not only its first word:

- a task verb leads the main clause, after any label ("KR2:", "Dogfooding - Migrate …",
  "Support documentation [COMMITTED]: Create …", "Dev to start work on …");
- a nominalised task leads it ("Execute the billing migration", "Alpha release of …");
- an output is counted with a task participle ("48 features delivered", "stable 1.0 version
  released", "2 PRs merged");
- a feature is described as what people can now do ("users can create clones of projects").

What makes it an outcome instead, even in a task's words: a change from one number to another
("Build pipeline from €1M to €2M"), an outcome clause ("… and achieve ≥ 80% accuracy",
"resulting in …", "as measured by …"), a comparison people feel ("in less time"), or a main verb
of change (raise, reduce, reach, keep, get N subscribers …). A leading "no"/"zero" is a limit to
hold. Words are compared by their Snowball stems (``snowballstemmer``), so "migration", "migrated"
and "migrating" all read as "migrate".

Pure and fast: one pass over at most the first dozen words of a statement; stems are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (cached: goal statements repeat their words)."""
    return _STEMMER.stemWord(word)


# Verbs whose completion is the whole of the result: doing or delivering something.
TASK_VERBS = _list(
    "launch implement migrate build ship create hire deploy develop release design redesign rebuild write "
    "deliver install introduce integrate upgrade replace document draft publish complete finish organise "
    "organize conduct establish prepare define start begin adopt automate refactor rewrite train add "
    "record interview recruit onboard plan learn schedule perform report submit execute hold host attend "
    "apply align enable export display generate produce update finalise finalize validate test evaluate "
    "research investigate identify analyse analyze review audit translate describe explore collect gather "
    "prototype pilot run fix dogfood consolidate standardise standardize port enforce externalize "
    "externalise track source curate"
)
# Several words: the first word is matched by stem, the rest literally.
TASK_PHRASES = {"roll": ("out",), "set": ("up",), "kick": ("off",), "move": ("to",), "switch": ("to",),
                "come": ("up", "with"), "sign": ("off",), "stand": ("up",)}
# Participles that count an output when they follow what was delivered ("48 features delivered").
_IRREGULAR = {"built": "build", "written": "write", "wrote": "write", "began": "begin", "begun": "begin",
              "held": "hold", "ran": "run", "rolled": "roll", "specd": "spec", "spec'd": "spec", "done": "do"}
OUTPUT_PARTICIPLES = _words(
    "delivered launched shipped published released migrated merged completed finished implemented "
    "deployed created documented added drafted installed integrated hired onboarded submitted upgraded "
    "refactored rewritten built written specd spec'd done rolled"
)
# Main verbs of change, or of reaching or holding a level: the result is an outcome.
OUTCOME_VERBS = _list(
    "increase raise grow improve boost double triple halve reduce decrease cut lower shorten save earn "
    "sell win retain convert attract gain achieve reach hit maintain keep sustain exceed surpass get "
    "acquire optimise optimize minimise minimize maximise maximize eliminate prevent avoid resolve "
    "respond answer lift accelerate speed"
)
# "Get feedback" or "get approval" is an activity, not people won over.
_ACTIVITY_OBJECTS = _words(
    "feedback approval sign-off signoff agreement buy-in input review reviews"
)
# A word that reads as a verb but heads a metric here ("release frequency", "deployment lead time").
_METRIC_NOUNS = _words(
    "rate rates time times frequency coverage quality velocity cadence cycle lead latency success "
    "adoption count volume speed score satisfaction reliability throughput duration share ratio"
)
# Who can do something new: a feature described by its users.
_PEOPLE = _words(
    "users user members member customers customer people clients client visitors visitor admins "
    "administrators developers teams team everyone anyone patients staff students readers players editors "
    "contributors"
)
# People won over, counted: "Add 10,000 paying customers" is an outcome in a task's words.
_AUDIENCE = _words(
    "customers users subscribers members readers listeners viewers visitors followers signups sign-ups "
    "downloads installs clients accounts buyers donors subscriptions registrations volunteers givers "
    "partners ambassadors carers mentors trustees jobs"
)
_COMPARATIVE = re.compile(r"\b(?:less|fewer|faster|quicker|quickly|sooner|more easily|under \d|within \d|"
                          r"in (?:under|less than) \d|compared (?:to|with))\b", re.I)
_STOP = _words(
    "which that who whom whose where when if because so while whereas unless than"
)
_PREPOSITIONS = _words(
    "of for on in at with across from by after before per within among into onto over under between "
    "through towards toward via"
)
_SKIP = _words(
    "successfully fully first also then all every each the a an our their its new to"
)
_NEGATION = _words(
    "no zero none never nothing without"
)

_LABEL = re.compile(
    r"^\s*(?:"
    r"(?:kr|key\s+result|o|objective|goal)\s*[\d.]*\s*[.:)\-–—]\s*"  # KR2: / O1) / Key result 1.2 -
    r"|@\S+\s*[-–—:]\s*"  # @owner:
    r"|[^\s:\[\]]+(?:\s+[^\s:\[\]]+){0,4}\s*(?:\[[^\]]{1,30}\])?\s*:\s+"  # Short name [KIND]: …
    r"|[^\s\-–—:]+(?:\s+[^\s\-–—:]+){0,2}\s+[-–—]\s+"  # Dogfooding - Migrate …
    r")", re.I)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|`[^`]*`")
_WORD = re.compile(r"[a-z][a-z'’\-]*|\d[\d,.]*%?|[$€£]\s?\d[\d,.]*|≥|<|>|≤|\+")
_CHANGE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|~)?[$€£]?\d[\d.,]*.*?\bto\s+(?:about\s+)?[$€£]?\d|"
                     r"\b(?:up|down)\s+from\s+[$€£]?\d|\bfrom\s+\S+\s*(?:→|->)\s*\S+", re.I)
_OUTCOME_CLAUSE = re.compile(
    r"\b(?:and|to|then|while|so as to)\s+(?:also\s+)?(?:achieve|reach|hit|increase|raise|reduce|decrease|cut|"
    r"grow|improve|lower|maintain|keep|get)\b[^.;]*?(?:\d|\bzero\b|\ball\b)|"
    r"\bresulting in\b|\bas measured by\b|\bmeasured by\b|\bso that\s+\d", re.I)
# Money moved: "Deliver £5m of cost savings" is an outcome whatever the verb.
_AMOUNT = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn)?\s?(?:usd|eur|gbp|dollars|euros|pounds)\b|"
                     r"\b(?:revenue|sales|profit|margin)\s+growth\b", re.I)
# Holding a level: "Hold average wait time at or under 10 minutes" (but "Hold quarterly town halls").
_LEVEL = re.compile(r"\b(?:at|under|below|above|within|to)\s+(?:or\s+\w+\s+)?(?:most\b|least\b|\d)", re.I)
# A service level: "Deliver 95% of orders within 2 days", "… within 1% of forecast".
_SERVICE = re.compile(r"\d\s*%\s+of\s+(?:\w+\s+){1,3}?(?:within|on time|in under|in less than)\b|"
                      r"\bwithin\s+\d[\d.]*\s*%\s+of\b", re.I)
_QUANTIFIED = _words("zero all every no none")
_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn)?\s?(?:usd|eur|gbp|dollars|euros|pounds)\b|"
                    r"\b(?:arr|mrr|revenue|profit|sales|bookings)\b", re.I)
_NUMBER = re.compile(r"\d")


def _base(word: str) -> str:
    """The stem a word is compared by (irregular past forms first)."""
    w = word.replace("’", "'")
    return stem(_IRREGULAR.get(w, w))


_TASK_STEMS = {stem(v): v for v in TASK_VERBS}
_PHRASE_STEMS = {stem(v): (v, rest) for v, rest in TASK_PHRASES.items()}
_OUTCOME_STEMS = {stem(v): v for v in OUTCOME_VERBS}


def main_clause(title: str) -> str:
    """The statement without its label ("KR2:", "Dogfooding -", "Short name [KIND]:") and with
    bracketed asides taken out: the words whose verb says what the result is. Words before a colon
    that start with a verb are a clause, not a label ("Implement the pipeline: retrieve → verify")."""
    text = title or ""
    m = _LABEL.match(text)
    if m and not (m.group(0).rstrip().endswith(":") and _starts_with_verb(m.group(0))):
        text = text[m.end():]
    previous = None
    while previous != text:  # nested brackets: innermost first
        previous, text = text, _BRACKETS.sub(" ", text)
    return text


def _starts_with_verb(label: str) -> bool:
    first = _WORD.search(label.lower())
    return bool(first) and _base(first.group(0)) in _TASK_STEMS.keys() | _OUTCOME_STEMS.keys()


@dataclass(frozen=True, slots=True)
class TaskReading:
    """Why a key result reads as a task: the verb (``migrate``) and the words as written
    (``Migration``), which a finding quotes."""

    verb: str
    words: str


def read_task(title: str) -> TaskReading | None:
    """How a key result's words describe a task or output, or ``None`` when they describe an
    outcome (see the module docstring for how the whole statement is read).

    >>> read_task("Dogfooding - Migrate the build farm to the new runners")
    TaskReading(verb='migrate', words='Migrate')
    >>> read_task("48 features delivered").words
    'delivered'
    >>> read_task("Raise repeat visits from 20% to 30%") is None
    True
    """
    text = title or ""
    if _CHANGE.search(text):
        return None
    clause = main_clause(text)
    low = clause.lower()
    if len(low) != len(clause):  # a character whose lower case is longer: keep positions aligned
        low = "".join(c.lower()[:1] for c in clause)
    spans = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(low)][:14]
    words = [w for w, _, _ in spans]

    def written(i: int, n: int = 1) -> str:
        return clause[spans[i][1]:spans[min(i + n, len(spans)) - 1][2]]

    if not words or words[0] in _NEGATION:
        return None  # "No PRs merged after the freeze": a limit to hold
    if words[0] in _PEOPLE and len(words) > 1 and words[1] in ("can", "could", "will"):
        if _COMPARATIVE.search(text) or _OUTCOME_CLAUSE.search(text):
            return None
        return TaskReading("a feature delivered", written(0, 2))
    found = _leading_verb(words)
    if found is None:
        return None
    kind, verb, at, n = found
    if kind == "outcome":
        obj = next((i for i in range(at + 1, min(at + 3, len(words))) if words[i] not in _SKIP), None)
        if verb == "get" and obj is not None and words[obj] in _ACTIVITY_OBJECTS:
            return TaskReading("get feedback", written(at, obj - at + 1))
        return None
    if _OUTCOME_CLAUSE.search(text) or _AMOUNT.search(text) or _SERVICE.search(text) or (
            verb == "make" and _MONEY.search(text)):
        return None
    if verb == "ensure" and (_NUMBER.search(text) or any(w in _QUANTIFIED for w in words[at + 1:at + 3])):
        return None  # "Ensure 100% of outputs cite a source", "Ensure zero never events"
    if verb == "hold" and _LEVEL.search(text):
        return None
    if _counts_audience(words[at + 1:at + 6]):
        return None
    return TaskReading(verb, written(at, n))


def task_verb(title: str) -> str | None:
    """The verb of the task or output a key result's words describe ("launch", "migrate",
    "delivered" …), or ``None`` when they describe an outcome (:func:`read_task`).

    >>> task_verb("Execute the billing database migration")
    'execute'
    """
    reading = read_task(title)
    return reading.verb if reading else None


def _counts_audience(words: list[str]) -> bool:
    """True when the words after the verb count people won over ("10,000 paying customers")."""
    for i, w in enumerate(words):
        if w[0].isdigit():
            return any(x in _AUDIENCE for x in words[i + 1:i + 4])
    return False


def _leading_verb(words: list[str]) -> tuple[str, str, int, int] | None:
    """``(kind, verb, position, number of words)`` of the first verb of the main clause: ``kind`` is
    ``task`` or ``outcome``; a participle counts an output ("48 features delivered")."""
    for i, w in enumerate(words):
        if w in _STOP or (w in _PREPOSITIONS and i > 0 and words[i - 1] not in ("to",)):
            return None
        if w in _SKIP or not w[0].isalpha():
            continue
        if i > 0 and (w.endswith("ing") or words[i - 1][0].isdigit()):
            continue  # "planning applications", "3 design partners": a noun's modifier, not the verb
        s = _base(w)
        if w == "live" and i > 0 and words[i - 1] in ("go", "goes", "going", "went", "is", "are", "be", "been"):
            return "task", "go live", i - 1, 2
        if w == "ensure":
            return "task", "ensure", i, 1
        if s in _OUTCOME_STEMS:
            return "outcome", _OUTCOME_STEMS[s], i, 1
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in _METRIC_NOUNS:
            return None  # "release frequency", "deployment time": a metric named by its noun
        if i > 0 and (w in OUTPUT_PARTICIPLES or (w.endswith("ed") and s in _TASK_STEMS)):
            return "task", w, i, 1  # "48 features delivered"
        if s in _PHRASE_STEMS:
            verb, rest = _PHRASE_STEMS[s]
            if tuple(words[i + 1:i + 1 + len(rest)]) == rest:
                return "task", " ".join((verb, *rest)), i, 1 + len(rest)
        if s in _TASK_STEMS:
            return "task", _TASK_STEMS[s], i, 1
    return None
