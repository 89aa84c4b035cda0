"""``check_smart``: read one statement (plus structured fields) and judge it against SMART_RULES.

Reading happens in three linear passes over the tokens: time expressions (``dates``), quantities
(``numbers``), then the grammar the criteria need (``rules.Reading``). Structured fields override
or complement what the text says. Nothing here touches files, the network or a model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Set
from datetime import date, datetime

from goalbook.model import did_you_mean
from goalbook.period import Period
from goalbook.smart.dates import EVENT_KIND, RECURRING, parse_deadline, pick_deadline, scan_times
from goalbook.smart.lexicon import FUNC, VERB
from goalbook.smart.numbers import Quantity, parse_number, scan_quantities
from goalbook.smart.report import Criterion, SmartReport
from goalbook.smart.rules import (
    Reading,
    good_when_low,
    judge_achievable,
    judge_measurable,
    judge_owner,
    judge_relevant,
    judge_specific,
    judge_time_bound,
    means_clause,
    names_bad,
)
from goalbook.smart.rules import direction as read_direction
from goalbook.smart.tokens import Tokens
from goalbook.values import BadValue, read_number

_PREFIX = re.compile(r"\s*(?:(@[\w.\-]{1,64})\s*[-–—:,]?\s*|([^\W\d_][\w&/.'’ ()#-]{0,48}?)\s*:\s+)")
_LABEL = re.compile(r"^(?:(?:[a-z]+ )?(?:kr|o|obj|okr|g|goal|key result|objective|target|kpi|smart goal|aim|outcome|"
                    r"initiative|measure|metric|note|result|priority|pillar|theme|commitment|action|task|"
                    r"stretch goal)\s*#?[\w.]{0,6}|[a-z]?\d+(?:\.\d+)*)$", re.I)
_YEAR_IN_LABEL = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TRAILING_OWNER = re.compile(r"\b(?:owner|owned by|accountable)\s*[:=-]\s*"
                             r"([^\s,;)\]][^,;)\]\n]{0,40}?)\s*[)\]]?\s*\.?\s*$", re.I)
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][\w.\-]{0,63}")
_NOT_OWNER_START = frozenset({"by", "in", "before", "until", "during", "from", "q1", "q2", "q3", "q4", "h1", "h2",
                              "fy", "note", "why", "how", "what", "when", "where", "deadline", "date", "status",
                              "baseline", "target", "metric", "currently", "update", "e.g", "eg", "i.e", "ie"})
_IGNORED_FIELDS = frozenset({"id", "team", "level", "budget", "current", "weight", "confidence", "indicator",
                             "score_override", "score_reason", "approval", "statement", "title", "kind", "name",
                             "bound", "low", "high", "checkpoints", "objective_id", "supports", "start", "end",
                             "status", "progress", "external_ref", "frequency", "green", "amber", "values"})
_DIRECTIONS = {"increase": "increase", "decrease": "decrease", "maintain": "maintain", "milestone": "achieve",
               "achieve": "achieve", "none": "none"}


def _owner_prefix(text: str) -> tuple[int, str | None, tuple[int, int] | None]:
    """Where the statement proper starts, the owner a prefix names, and the owner's span."""
    if ":" not in text and "@" not in text:
        return 0, None, None  # no prefix can match: the pattern needs a colon or a handle
    m = _PREFIX.match(text)
    if not m:
        return 0, None, None
    if m.group(1):
        return m.end(), m.group(1), m.span(1)
    cand = m.group(2).strip()
    low = cand.lower()
    if _LABEL.match(low):
        if _YEAR_IN_LABEL.search(low):
            return 0, None, None  # "Target 2030:", "2030 goal:": a prefix holding a date is part of the statement
        return m.end(), None, None
    words = low.split()
    if not words or len(words) > 4 or any(c.isdigit() for c in low) or words[0] in _NOT_OWNER_START:
        return 0, None, None
    rest = Tokens(text[m.end():m.end() + 40])
    if not rest.n or not rest.t[0] & VERB or rest.t[0] & FUNC:
        return 0, None, None
    return m.end(), cand, m.span(2)


def _field_number(name: str, value: object) -> tuple[float | None, str]:
    """A number from a structured field: 3.2, "3.2%", "$1.2M", "40k"; (None, why) when unreadable."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, f"{name} {value!r} is not a number"
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return float("inf"), ""
        return (x, "") if not math.isnan(x) else (None, f"{name} is NaN")
    if isinstance(value, str):
        text = value.strip()[:200]
        x = parse_number(text.replace(" ", ""))
        if x is not None:
            return x, ""
        tk = Tokens(text)
        found = scan_quantities(tk, bytearray(tk.n))
        for q in found.quantities:
            if q.value is not None:
                return q.value, ""
    return None, f"{name} {str(value)[:40]!r} is not a number"


def _unreadable(tk: Tokens, quantities: list[Quantity]) -> str:
    """Why a number in the text has no value ("2,5", "1.200.000"), in the words of the one number
    reader, so the statement is read as the same figure would be in a field."""
    for q in quantities:
        if q.value is None and tk.k[q.i0] == "n":
            try:
                read_number(tk.w[q.i0])
            except BadValue as exc:
                return str(exc)
    return ""


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _history(values: object) -> list[tuple[date, float]]:
    """(date, value) pairs from tuples, dicts or objects with ``date`` and ``value`` (KPIValue, CheckIn)."""
    out: list[tuple[date, float]] = []
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        return out
    for item in values:
        if isinstance(item, dict):
            d, v = item.get("date"), item.get("value")
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            d, v = item
        else:
            d, v = getattr(item, "date", None), getattr(item, "value", None)
        day = _as_date(d)
        x, _ = _field_number("value", v)
        if day is not None and x is not None and math.isfinite(x):
            out.append((day, x))
    return sorted(out)


def _bad_metric_field(metric: str | None) -> bool:
    """True when the metric field names something good when low ("weekly no-show rate", "wait time")."""
    return bool(metric) and names_bad(Tokens(metric[:200]))


def _ids(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        value = [value.get("id")]
    if isinstance(value, Iterable):
        out = []
        for v in value:
            v = v.get("id") if isinstance(v, dict) else getattr(v, "id", v)
            if v is not None and str(v).strip():
                out.append(str(v))
        return out
    return [str(value)]


def _target_from_change(baseline: float, change: Quantity, dirn: str) -> float | None:
    c = change.value
    if c is None:
        return None
    down = dirn == "decrease"
    if change.kind == "percent":
        return baseline * (1 - c / 100 if down else 1 + c / 100)
    if change.kind == "factor":
        return baseline * c
    if change.kind == "fraction":
        return baseline * (1 - c if down else 1 + c)
    return baseline - c if down else baseline + c


def _outside_means(tk: Tokens, times: list) -> list:
    """Time expressions before a "by <doing>" clause: "raise my grade … by the end of the semester
    *by reviewing notes every day*" — the habit is the method, the semester's end the deadline."""
    k = means_clause(tk, 0)
    if k is None or not times:
        return times
    before = [f for f in times if f.i0 < k]
    return before if any(f.binding for f in before) else times


def check_smart(text: str | None, *, today: date | str | None = None, fiscal_year_start: int = 1,
                metric: str | None = None, baseline: object = None, target: object = None, unit: str | None = None,
                deadline: object = None, owner: str | None = None, aligned_to: object = None,
                history: object = None, known_ids: Iterable[str] | None = None, period: object = None,
                direction: str | None = None, **fields: object) -> SmartReport:
    """Judge one goal statement against the SMART rules and read its numbers and deadline.

    Parameters
    ----------
    text:
        The statement. Any string is accepted (empty, very long, any script); ``None`` is empty.
    today:
        The day relative deadlines are resolved against (default: the real today).
    fiscal_year_start:
        Month (1-12) the fiscal year starts; quarters, halves and ``FY27`` are fiscal.
    metric, baseline, target, unit, deadline, owner, aligned_to, history, period, direction:
        Structured fields of the goal; they override or complement the text. ``history`` is a list
        of ``(date, value)`` pairs (or objects with ``date`` and ``value``).
    known_ids:
        Ids that exist in the goalbook: Relevant passes for a link to one of them and fails for a
        link to anything else. ``None`` means "do not check existence". A set (or a dict's keys) is
        used as it is, not copied, so a caller checking every goal of a large book can share one.
    fields:
        Other goal fields (``id``, ``team``, ``budget`` …) are accepted and ignored.

    Examples
    --------
    >>> r = check_smart("Cut churn from 4% to 3% by Q2 2027", today=date(2026, 11, 24))
    >>> r.specific.status, r.measurable.status, r.time_bound.status, r.deadline
    ('pass', 'pass', 'pass', datetime.date(2027, 6, 30))
    >>> r.baseline, r.target, r.unit, r.direction
    (4.0, 3.0, '%', 'decrease')
    """
    unknown = [k for k in fields if k not in _IGNORED_FIELDS] if fields else None
    if unknown:
        allowed = ["metric", "baseline", "target", "unit", "deadline", "owner", "aligned_to", "history",
                   "known_ids", "period", "direction", "today", "fiscal_year_start"]
        raise TypeError(f"check_smart() got an unexpected field {unknown[0]!r}{did_you_mean(unknown[0], allowed)}")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise TypeError(f"check_smart() takes the statement as a str, not {type(text).__name__}")
    if not isinstance(fiscal_year_start, int) or not 1 <= fiscal_year_start <= 12:
        raise ValueError(f"fiscal_year_start must be a month 1-12, not {fiscal_year_start!r}")
    day0 = _as_date(today) if today is not None else date.today()
    if day0 is None:
        raise ValueError(f"today {today!r} is not a date")
    fys = fiscal_year_start

    # --- read the text --------------------------------------------------------------------------
    start, owner_name, owner_span = _owner_prefix(text)
    end = len(text)
    trailing = _TRAILING_OWNER.search(text, start) if "wner" in text or "ccountable" in text else None
    if trailing and trailing.start() > start:
        owner_name = owner_name or trailing.group(1).strip()
        owner_span = owner_span or trailing.span(1)
        end = trailing.start()
        while end > start and text[end - 1] in " \t([,;-–—":
            end -= 1
    if owner_name is None and "@" in text:
        m = _MENTION.search(text)
        if m:
            owner_name, owner_span = m.group(), m.span()
    tk = Tokens(text[:end], start)
    times, used = scan_times(tk, day0, fys)
    found = scan_quantities(tk, used)
    metric_field = metric.strip() if isinstance(metric, str) and metric.strip() else None
    r = Reading(tk, 0, times, used, found, metric_field)
    best = pick_deadline(_outside_means(tk, times))

    # --- structured fields ----------------------------------------------------------------------
    base_f, base_problem = _field_number("baseline", baseline) if baseline is not None else (None, "")
    target_f, target_problem = _field_number("target", target) if target is not None else (None, "")
    field_day, field_problem = parse_deadline(deadline, day0, fys) if deadline is not None else (None, "")
    period_day = None
    if period is not None:
        try:
            period_day = Period.parse(period, fys).end
        except ValueError:
            period_day = None
    hist = _history(history) if history is not None else []

    # --- numbers the text gives -------------------------------------------------------------------
    aim = r.aim
    text_base = r.pair[0] if r.pair else next((q for q in found.quantities if q.role == "baseline"), None) if \
        found.quantities else None
    text_target = aim if aim is not None and aim.role not in ("change",) and aim.kind not in (
        "factor", "fraction") else None
    change = aim if aim is not None and (aim.role == "change" or aim.kind in ("factor", "fraction")) else None
    dirn = _DIRECTIONS.get(str(direction).lower()) if direction else None
    text_dirn = read_direction(r, bool(times) and any(f.kind == RECURRING or f.why == "a recurring event"
                                                      for f in times))
    dirn = dirn or text_dirn
    base_v = base_f if base_f is not None else (text_base.value if text_base else None)
    tgt_v = target_f if target_f is not None else (text_target.value if text_target else None)
    target_range = None
    if text_target is not None and text_target.high is not None and target_f is None:
        target_range = (text_target.value, text_target.high)
        tgt_v = text_target.high if dirn == "decrease" else text_target.value
    if tgt_v is None and change is not None and base_v is not None and math.isfinite(base_v):
        tgt_v = _target_from_change(base_v, change, dirn)
    unit_v = unit if isinstance(unit, str) and unit else ((text_target or change or text_base).unit
                                                         if (text_target or change or text_base) else None)
    if change is not None and change.kind == "percent" and text_target is None and base_v is not None and \
            text_base is not None:
        unit_v = text_base.unit
    deadline_v = field_day if field_day is not None else (best.day if best is not None else period_day)
    deadline_text = None
    if field_day is None and best is not None:
        deadline_text = tk.quote(best.i0, best.i1)
    elif field_day is not None:
        deadline_text = str(deadline)

    # --- the verdicts ---------------------------------------------------------------------------
    specific = judge_specific(r, target_f)
    measurable = judge_measurable(r, target_f, target_problem)
    time_bound = judge_time_bound(r, best, field_day, field_problem, period_day, day0, fys)
    achievable = judge_achievable(base_v, tgt_v, unit_v, dirn, deadline_v if (best is None or best.kind !=
                                                                              EVENT_KIND or field_day) else None,
                                  day0, hist, text_dirn, text, (text_target or change).bound if
                                  (text_target or change) else None, target_range,
                                  # which way is good matters only to a pace judged from history
                                  bool(hist) and tgt_v is not None and (good_when_low(r) or
                                                                        _bad_metric_field(metric_field)))
    problem = base_problem or _unreadable(tk, found.quantities)
    if problem and achievable.status != "fail":
        achievable = Criterion("achievable", achievable.status, f"{achievable.reason}; {problem}",
                               achievable.suggestion, achievable.cause)
    known = None if known_ids is None else known_ids if isinstance(known_ids, Set) else set(known_ids)
    relevant = judge_relevant(_ids(aligned_to) if aligned_to is not None else [], known)
    owner_v = owner if isinstance(owner, str) and owner.strip() else None
    owner_crit = judge_owner(owner_v or owner_name, "owner field" if owner_v else "named in the statement")

    # --- spans for highlighting ---------------------------------------------------------------------
    spans: dict[str, tuple[int, int]] = {}
    if owner_span and not owner_v:
        spans["owner"] = owner_span
    v = r.aim_verb if aim is not None else r.verb
    if v is not None:
        spans["verb"] = tk.span(v, v + 1)
    metric_text = metric_field or r.metric_text()
    metric_span = r.metric_span()
    if metric_span is not None:
        spans["metric"] = tk.span(*metric_span)
    if text_base is not None:
        spans["baseline"] = tk.span(text_base.i0, text_base.i1)
    if text_target is not None:
        spans["target"] = tk.span(text_target.c0, text_target.i1)
    if change is not None:
        spans["change"] = tk.span(change.c0, change.i1)
    if best is not None and field_day is None:
        spans["deadline"] = tk.span(best.i0, best.i1)
    elif times and best is None:
        trap = next((f for f in times if not f.binding), None)
        if trap is not None:
            spans["not_deadline"] = tk.span(trap.i0, trap.i1)
    if found.placeholders:
        p = found.placeholders[0]
        spans["placeholder"] = tk.span(p.i0, p.i1)
    if found.vague:
        m = found.vague[0]
        spans["vague"] = tk.span(m.i0, m.i1)

    return SmartReport(
        text=text, specific=specific, measurable=measurable, achievable=achievable, relevant=relevant,
        time_bound=time_bound, owner=owner_crit, baseline=base_v, target=tgt_v, unit=unit_v, direction=dirn,
        deadline=deadline_v, deadline_text=deadline_text, metric=metric_text,
        change=change.value if change is not None else None, change_unit=change.unit if change is not None else None,
        bound=(text_target.bound if text_target is not None else None), target_range=target_range,
        owner_name=owner_v or owner_name, spans=spans, today=day0,
    )
