"""What the linter says and the registry of everything it can say.

A :class:`Finding` is one thing a facilitator should look at, with a stable code (``GB101``), a
severity, the words that explain it and a suggestion to fix it, and where it is (entity id, field,
file and line). :data:`RULES` lists every code with its name, default severity and a one-line
summary: the docs, ``--select`` and ``--ignore`` all read it, so a code means the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from goalbook.model import did_you_mean

_ENDS = (".", "!", "?")

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the linter found, and where."""

    code: str
    severity: str  # "error" | "warning" | "info"
    message: str
    suggestion: str = ""
    entity: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None  # 1-based

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain data (for JSON), keys named like the fields, plus the rule's name."""
        out: dict[str, str | int | None] = asdict(self)
        rule = RULES.get(self.code)
        out["rule"] = rule.name if rule else None
        return out

    @property
    def where(self) -> str:
        """``file:line`` as far as it is known, or ``''``."""
        return ":".join(str(p) for p in (self.file, self.line) if p is not None)

    def __str__(self) -> str:
        text = f"{self.code} {self.severity}: {self.message}"
        if self.suggestion:
            text += f" — {self.suggestion}"
        return f"{self.where}: {text}" if self.where else text


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of finding: its stable code, a short name, default severity and what it checks."""

    code: str
    name: str
    severity: str
    summary: str


_RULES = (
    Rule("GB001", "invalid-goalbook", "error",
         "The goalbook cannot be loaded or fails validation (bad YAML, unknown field, broken link, impossible value)."),
    Rule("GB101", "not-specific", "error",
         "SMART: the statement does not name the concrete thing that changes (error when it fails, "
         "warning when doubtful)."),
    Rule("GB102", "not-measurable", "error",
         "SMART: no metric with a quantitative target."),
    Rule("GB103", "not-achievable", "error",
         "SMART: the numbers are impossible (share above 100%, target equal to baseline, deadline past) or the "
         "pace needed is far beyond the pace seen (info when there is no history yet to judge from)."),
    Rule("GB104", "not-relevant", "error",
         "SMART: the goal links to an id that does not exist (fail) or to nothing (warning)."),
    Rule("GB105", "not-time-bound", "error",
         "SMART: neither the statement nor its fields give a deadline or a finite window."),
    Rule("GB201", "key-result-count", "warning",
         "An objective has fewer than 2 or more than 5 key results (configurable)."),
    Rule("GB202", "owner-overload", "warning",
         "One owner holds more than 5 goals in one period (configurable): objectives, SMART goals, and key results "
         "they own under someone else's objective; a key result with no owner counts for nobody."),
    Rule("GB203", "task-as-key-result", "warning",
         "A key result reads as a task or output, not an outcome, wherever the task sits in its words: "
         "'Migrate ...', 'Dogfooding - Migrate ...', 'Execute the ... migration', '48 features delivered', "
         "'users can ...'."),
    Rule("GB204", "missing-baseline", "warning",
         "A key result or SMART goal that moves a number does not say where it starts."),
    Rule("GB205", "missing-owner", "warning",
         "Nobody owns the goal, KPI or initiative (a plain statement: no owner in its words or owner column)."),
    Rule("GB206", "missing-deadline", "warning",
         "No deadline: no deadline or period on a goal (a key result may take its objective's period), "
         "no end date on an approved or active initiative."),
    Rule("GB207", "no-leading-indicator", "warning",
         "Every key result of an objective is a lagging indicator: nothing shows progress early."),
    Rule("GB208", "not-aligned", "warning",
         "A team or department goal, KPI or initiative reaches no company objective through its links."),
    Rule("GB209", "near-duplicate", "warning",
         "Two goals of the same kind and period say nearly the same thing (85% or more of their words shared)."),
    Rule("GB210", "deadline-outside-period", "error",
         "A deadline falls outside the goal's own period (error) or after the period of what it serves (warning)."),
    Rule("GB211", "kpi-without-thresholds", "warning",
         "A KPI has no green/amber thresholds: nothing warns before it misses its target (or at all, without one)."),
    Rule("GB212", "initiative-without-link", "warning",
         "An initiative supports no key result, goal or objective."),
    Rule("GB213", "confidence-contradicts-status", "warning",
         "A check-in says on_track with confidence 0-3, or off_track with confidence 8-10."),
    Rule("GB214", "uncovered-key-result", "warning",
         "A company key result that no goal, KPI or initiative works toward."),
    Rule("GB215", "stale-check-in", "warning",
         "A key result, SMART goal or KPI has gone more than 1.5 cadences without a check-in while its period runs."),
    Rule("GB216", "quantified-objective", "info",
         "An objective's title carries the numbers; objectives inspire, key results measure."),
    Rule("GB217", "objective-without-outcome", "warning",
         "Every key result of an objective is a task or output (GB203): nothing says what should change."),
    Rule("GB218", "too-many-objectives", "warning",
         "The company, or one team, has more than 3 objectives in one period (configurable): the guides advise "
         "a few, one to three priorities."),
    Rule("GB219", "too-many-kpis", "warning",
         "One team watches more than 5 KPIs (configurable): the guides advise three to five."),
    Rule("GB220", "link-loop", "error",
         "Links lead from a goal back to itself (the loop is spelled out); `goalbook graph` refuses such a book."),
)

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
_BY_NAME: dict[str, str] = {r.name: r.code for r in _RULES}


def quote(text: str | None) -> str:
    """User text in typographic quotes, whole and on one line: a quote cut short misleads (a cut
    can fall inside a parenthesis or a word), so messages quote in full or not at all."""
    return "“" + " ".join((text or "").split()) + "”"


_QUOTED = re.compile(r"(?<![\w'’])'([^']+?)'(?![\w])")
_PAIRS = (("(", ")"), ("[", "]"))


def mend_quotes(text: str, source: str | None) -> str:
    """``text`` with every 'quoted' piece of ``source`` grown to whole words and whole brackets.

    The SMART reasons quote the part of a statement they are about, and a part can stop inside a
    word or a parenthesis ('Dev to start work on platform chat (' of "… chat (n)"): the quote is
    grown to the word's end and the closing bracket, so no message cuts the words it quotes.
    """
    if not source or "'" not in text:
        return text

    def grow(m: re.Match[str]) -> str:
        part = m.group(1).rstrip("…").rstrip()
        at = source.find(part) if part else -1
        if at < 0:
            return m.group(0)
        start, end = at, at + len(part)
        while start > 0 and source[start - 1].isalnum():
            start -= 1
        while end < len(source) and source[end].isalnum():
            end += 1
        for opening, closing in _PAIRS:
            while source.count(opening, start, end) > source.count(closing, start, end):
                close = source.find(closing, end)
                if close < 0:
                    break
                end = close + 1
            while source.count(closing, start, end) > source.count(opening, start, end):
                open_at = source.rfind(opening, 0, start)
                if open_at < 0:
                    break
                start = open_at
        if m.group(1).endswith("…"):
            end = len(source)
        return "'" + source[start:end].strip() + "'"

    return _QUOTED.sub(grow, text)


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter and a full stop at the end (a facilitator
    reads findings aloud; fragments read as notes)."""
    text = text.strip()
    if not text:
        return text
    if text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith(_ENDS) else text + "."


def rules_table() -> str:
    """The rule registry as a Markdown table (docs/LINT_RULES.md holds it verbatim)."""
    rows = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    rows += [f"| {r.code} | `{r.name}` | {r.severity} | {r.summary} |" for r in _RULES]
    return "\n".join(rows)


def resolve_codes(items: Iterable[str] | str | None) -> set[str]:
    """The rule codes named by ``items``: codes (``GB101``), prefixes (``GB1``, ``GB``) or rule names
    (``near-duplicate``), separated by commas or given as a list.

    Raises ``ValueError`` naming every item that matches no rule, with the closest code or name.
    """
    if items is None:
        return set()
    if isinstance(items, str):
        items = [items]
    out: set[str] = set()
    unknown: list[str] = []
    for item in items:
        for word in (w.strip() for w in str(item).split(",")):
            if not word:
                continue
            if word.lower() in _BY_NAME:
                out.add(_BY_NAME[word.lower()])
                continue
            hits = {code for code in RULES if code.startswith(word.upper())}
            if hits:
                out |= hits
            else:
                unknown.append(word)
    if unknown:
        choices = [*RULES, *_BY_NAME]
        said = [f"'{w}' is not a lint rule{did_you_mean(w.upper(), list(RULES)) or did_you_mean(w, choices)}"
                for w in unknown]
        raise ValueError("; ".join(said) + " — run 'goalbook lint --list-rules' to see them all")
    return out


def active_codes(select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None) -> set[str]:
    """Codes to report: every rule (or only ``select``ed ones) minus ``ignore``d ones."""
    chosen = resolve_codes(select) if select is not None else set(RULES)
    return chosen - resolve_codes(ignore)


def sort_key(f: Finding, order: dict[str, int] | None = None) -> tuple:
    """Findings read top to bottom: by file and line, then book order, then code."""
    pos = (order or {}).get(f.entity or "", len(order or {}))
    return (f.file is None, f.file or "", f.line or 0, pos, f.code, f.entity or "", f.message)
