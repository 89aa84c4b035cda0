"""The two entry points: :func:`lint_book` over a whole goalbook, :func:`lint_statements` over plain
goal statements (a text file's lines, or a CSV with a ``statement`` column).

Both are pure: they take data already read and return findings sorted by file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import replace
from datetime import date
from typing import Any

from goalbook.collector import collector_paused
from goalbook.lint import checkins, duplicates, links, shape, statements
from goalbook.lint.config import DEFAULT, LintConfig
from goalbook.lint.context import BookIndex
from goalbook.lint.findings import Finding, active_codes, sentence, sort_key
from goalbook.model import Goalbook

Check = Callable[[BookIndex], Iterable[Finding]]

# Each set-level check and the codes it can emit; a check runs only when one of them is wanted. The
# third column says what a check reads: "file" when each finding about a goal depends only on what is
# written in that goal's own file (with the links and check-ins on it from elsewhere), "book" when it
# depends on goals elsewhere too (counts per owner or team, paths of links, pairs of goals). The lint
# cache (goalbook.cli._lint_cache) keeps the first kind per file and runs the second on the whole book.
CHECKS: tuple[tuple[frozenset[str], Check, str], ...] = (
    (frozenset({"GB201"}), shape.check_key_result_count, "file"),
    (frozenset({"GB202"}), shape.check_owner_load, "book"),
    (frozenset({"GB203", "GB217"}), shape.check_task_key_results, "file"),
    (frozenset({"GB204", "GB205", "GB206"}), shape.check_missing_fields, "file"),
    (frozenset({"GB207"}), shape.check_leading_indicators, "file"),
    (frozenset({"GB208", "GB212"}), links.check_alignment, "book"),
    (frozenset({"GB209"}), duplicates.check_duplicates, "book"),
    (frozenset({"GB210"}), shape.check_periods, "book"),
    (frozenset({"GB211"}), shape.check_kpi_thresholds, "file"),
    (frozenset({"GB213"}), checkins.check_confidence, "file"),
    (frozenset({"GB214"}), links.check_uncovered, "book"),
    (frozenset({"GB215"}), checkins.check_stale, "split"),  # see checkins.rolled_up_maybe
    (frozenset({"GB216"}), shape.check_quantified_objectives, "file"),
    (frozenset({"GB218", "GB219"}), shape.check_focus, "book"),
    (frozenset({"GB220"}), links.check_loops, "book"),
)
DUPLICATES = next(n for n, (_, rule, _) in enumerate(CHECKS) if rule is duplicates.check_duplicates)
VALIDATION, SMART = -2, -1  # the places of the model's problems and the SMART findings before the checks

# When both are reported for one entity, the first says all the second would: keep one finding
# per problem. (A goal that is not time-bound has no deadline; one that reaches no company
# objective through its links is, a fortiori, not shown as relevant.)
SUPERSEDES = {"GB105": ("GB206",), "GB208": ("GB104",), "GB212": ("GB104",)}


def lint_book(book: Goalbook, *, today: date | None = None, select: Iterable[str] | str | None = None,
              ignore: Iterable[str] | str | None = None, config: LintConfig | None = None,
              check: Callable[..., Any] | None = None) -> list[Finding]:
    """Every finding about ``book`` as of ``today`` (default: the real date), sorted by file and line.

    ``select`` keeps only the named rules and ``ignore`` drops some: codes (``GB209``), prefixes
    (``GB1`` for all SMART criteria) or rule names (``near-duplicate``); an unknown one raises
    ``ValueError``. Locations come from ``book.locations`` (filled by the YAML loader). Problems
    that :meth:`Goalbook.validate` reports are findings ``GB001``. ``config`` sets the thresholds
    of the set-level rules (:class:`~goalbook.lint.config.LintConfig`; default: the guides' advice).
    ``check`` stands in for :func:`goalbook.smart.check_smart` (:class:`goalbook.cli._lint_cache.LintCache`
    answers from its cache). Every message and suggestion is a sentence.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", owner="ceo", key_results=[
    ...     KeyResult("CO-1.KR1", "Launch the patient app", owner="cto")])])
    >>> [f.code for f in lint_book(book, select="GB201,GB203")]
    ['GB201', 'GB203']
    """
    codes = active_codes(select, ignore)
    with collector_paused():  # what is built below lives until the findings are made: nothing to collect
        return _lint(book, today or date.today(), codes, config or DEFAULT, check)


def _lint(book: Goalbook, today: date, codes: set[str], config: LintConfig,
          check: Callable[..., Any] | None = None) -> list[Finding]:
    ix = BookIndex.build(book, today, config)
    found: list[tuple[int, Finding]] = []
    if "GB001" in codes:
        found += ((VALIDATION, f) for f in validation_findings(book.validate(), codes))
    found += file_findings(ix, codes, check, scope=None)
    return finish([f for _, f in found], book.locations, ix.order)


def file_findings(ix: BookIndex, codes: set[str], check: Callable[..., Any] | None = None,
                  scope: str | None = "file") -> list[tuple[int, Finding]]:
    """The SMART findings and those of the checks of ``scope`` (``None``: all of them), each with its
    place (``SMART`` or the check's position in :data:`CHECKS`), in the order :func:`lint_book` makes
    them. With ``scope="file"`` a goal's staleness that may hang on contributors is left to the book."""
    found: list[tuple[int, Finding]] = []
    if codes & statements.CODES or codes & {"GB204", "GB205", "GB206"}:
        # the SMART reports also tell the missing-field rules what the words already say
        found += ((SMART, f) for f in statements.check_smart_in_book(ix, codes, check))
    for n, (emits, rule, reads) in enumerate(CHECKS):
        if not emits & codes or (scope is not None and reads not in (scope, "split")):
            continue
        if reads == "split" and scope == "file":
            rolled = checkins.rolled_up_maybe(ix)
            made: Iterable[Finding] = checkins.check_stale(ix, ix.goals.keys() - rolled)
        else:
            made = rule(ix)
        found += ((n, f) for f in made if f.code in codes)
    return found


def book_findings(ix: BookIndex, codes: set[str], rolled: Set[str]) -> list[tuple[int, Finding]]:
    """The findings of the checks that read the whole book (``"book"`` in :data:`CHECKS`), and the
    staleness of the goals in ``rolled`` (:func:`~goalbook.lint.checkins.rolled_up_maybe` of each file;
    only when the book's links form no loop: :func:`~goalbook.lint.checkins.check_stale_rolled`)."""
    found: list[tuple[int, Finding]] = []
    for n, (emits, rule, reads) in enumerate(CHECKS):
        if not emits & codes or reads == "file":
            continue
        made = checkins.check_stale_rolled(ix, rolled) if reads == "split" else rule(ix)
        found += ((n, f) for f in made if f.code in codes)
    return found


def finish(found: list[Finding], locations: dict[str, tuple[str, int]], order: dict[str, int]) -> list[Finding]:
    """Findings as reported: one per problem (:data:`SUPERSEDES`), infos folded into their goal's first
    finding, sentences, file and line, sorted by file and line. ``found`` is in the order
    :func:`lint_book` makes them (validation, SMART, then :data:`CHECKS` in order)."""
    found = _fold_infos(_drop_superseded(found))
    return sorted((_finished(f, locations) for f in found), key=lambda f: sort_key(f, order))


def validation_findings(problems: Iterable[Any], codes: set[str]) -> Iterator[Finding]:
    """The model's own problems, as GB001 (a deadline outside its period is GB210's to report)."""
    for p in problems:
        if p.field == "deadline" and "GB210" in codes:
            continue
        yield Finding("GB001", p.severity, p.message, "", p.entity, p.field, p.file, p.line)


def _drop_superseded(found: list[Finding]) -> list[Finding]:
    present = {(f.entity, f.code) for f in found}
    return [f for f in found
            if not any((f.entity, stronger) in present for stronger, weaker in SUPERSEDES.items() if f.code in weaker)]


def _fold_infos(found: list[Finding]) -> list[Finding]:
    """An info finding about a goal that has another finding says nothing new on its own ("cannot be
    judged achievable yet" beside "no baseline" or "no check-in"): it is folded into the first of
    them, as a closing sentence, instead of standing as one more line."""
    first: dict[str, int] = {}
    for n, f in enumerate(found):
        if f.severity != "info" and f.entity is not None:
            first.setdefault(f.entity, n)
    out = list(found)
    dropped: set[int] = set()
    for n, f in enumerate(found):
        if f.severity == "info" and f.entity in first:
            host = first[f.entity]
            out[host] = replace(out[host], message=f"{sentence(out[host].message)} {_aside(f)}")
            dropped.add(n)
    return [f for n, f in enumerate(out) if n not in dropped]


def _aside(info: Finding) -> str:
    if info.code == "GB103":
        return "Nor can it be judged achievable yet (GB103): there are no check-ins to compare the pace with."
    return f"Also ({info.code}): {sentence(info.message)}"


def _sentences(f: Finding) -> Finding:
    return _finished(f, {})


def _finished(f: Finding, locations: dict[str, tuple[str, int]]) -> Finding:
    """``f`` in sentences, with the file and line of its entity when it has none (built directly rather
    than by ``dataclasses.replace``, which costs several times as much over tens of thousands of findings)."""
    message, suggestion = sentence(f.message), sentence(f.suggestion)
    file, line = f.file, f.line
    if file is None and f.entity is not None:
        file, line = locations.get(f.entity, (None, line))
    if message == f.message and suggestion == f.suggestion and file is f.file and line is f.line:
        return f
    return Finding(f.code, f.severity, message, suggestion, f.entity, f.field, file, line)


def lint_statements(lines: Iterable[str] | str, *, today: date | None = None, source: str | None = None,
                    fiscal_year_start: int = 1, select: Iterable[str] | str | None = None,
                    ignore: Iterable[str] | str | None = None) -> list[Finding]:
    """SMART findings for plain goal statements, one per failing or doubtful criterion.

    ``lines`` is a text file's lines (one statement per line; blank lines and lines starting with
    ``#`` are skipped) or, when ``source`` ends in ``.csv``, a CSV's lines with a ``statement``
    column and optional ``owner``, ``deadline``, ``metric``, ``baseline``, ``target`` and ``unit``
    columns used as the statement's fields. Line numbers are kept (a CSV row's first line).
    ``source`` names the file in the findings; ``select`` and ``ignore`` work as in
    :func:`lint_book`. A CSV without a ``statement`` column, or with a cell that cannot be read,
    gives a ``GB001`` finding.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    codes = active_codes(select, ignore)
    wanted = codes & statements.CODES
    check = statements.smart_checker() if wanted else None
    day = today or date.today()
    found: list[Finding] = []
    items: Iterable[tuple[int, str, dict] | Finding]
    if source is not None and str(source).lower().endswith(".csv"):
        items = statements.csv_statements(lines, source)
    else:
        items = ((n, text, {}) for n, text in statements.text_statements(lines))
    for item in items:
        if isinstance(item, Finding):
            if item.code in codes:
                found.append(item)
            continue
        if check is None:
            continue
        n, text, fields = item
        report = check(text, today=day, fiscal_year_start=fiscal_year_start, **fields)
        who = statements.statement_name(text)
        found += (replace(_sentences(f), file=source, line=n)
                  for f in statements.report_findings(report, who=who, codes=wanted, plain=True, text=text))
    return sorted((_sentences(f) for f in found), key=sort_key)
