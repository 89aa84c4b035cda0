"""``goalbook score PATH... [--today DATE] [--format text|json]``: progress, score and status of every goal.

Text is a table grouped by objective (each objective, then its key results indented), followed by
SMART goals, initiatives and KPIs; the STATUS column carries an objective's worst key result
("on track · 1 key result off track") and NOTES every flag a reader must see: a score set by hand
and its reason, a dropped key result and why, a breached bound, "not measured yet", a value moving
the wrong way, a draft, stale. JSON is ``{"today": ..., "scores": [GoalScore as a dict plus
"status_text" and "flags", ...]}``.
The formulas live in :mod:`goalbook.scoring`; this module only loads, calls and formats.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from goalbook.cli._args import iso_date
from goalbook.display import UNKNOWN, pct
from goalbook.model import Goalbook
from goalbook.scoring import SCORE_COLUMNS, GoalScore, ScoringConfig, score_book

TITLE_WIDTH = 48
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_COLUMNS = ("ID", "TITLE", "PROGRESS", "EXPECTED", "SCORE", "STATUS", "CONF", "LAST CHECK-IN", "NOTES")
NOTE_WIDTH = 90
_RIGHT = {"PROGRESS", "EXPECTED", "SCORE", "CONF"}



def register(subparsers: Any) -> None:
    """Add the ``score`` command."""
    p = subparsers.add_parser(
        "score", help="progress, score and status of every goal",
        description="Print every objective with its key results, then SMART goals, initiatives and KPIs, "
                    "with progress, expected progress (pace), score (0.0-1.0) and status.")
    p.add_argument("path", nargs="+", help="a goalbook YAML file, a folder of them, or several files")
    p.add_argument("--today", type=iso_date, default=None, help="score as of this day (YYYY-MM-DD; default today)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the goalbook, score it and print the result; exit 0."""
    from goalbook.io import load_goalbook

    paths: Sequence[str] = args.path
    book = load_goalbook(paths[0] if len(paths) == 1 else list(paths))
    today = args.today or date.today()
    print(render(book, today=today, fmt=args.format))
    return 0


def render(book: Goalbook, *, today: date, fmt: str = "text", config: ScoringConfig | None = None) -> str:
    """The scores of ``book`` as of ``today`` in ``fmt`` (``text`` or ``json``)."""
    scores = score_book(book, today=today, config=config)
    if fmt == "json":
        from goalbook.forecast import forecast_goal
        from goalbook.scoring import Scorer

        scorer = Scorer(book, today=today, config=config)
        forecasts = {s.id: forecast_goal(book, s.id, today=today, scorer=scorer) for s in scores
                     if s.kind in ("key_result", "smart_goal", "kpi")}
        return format_json(scores, today, {k: f.to_dict() for k, f in forecasts.items() if f is not None})
    return format_text(scores, today, book.organisation)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def format_json(scores: list[GoalScore], today: date, forecasts: dict[str, dict] | None = None) -> str:
    """JSON with one object per goal, keys named like :class:`GoalScore`'s fields, plus ``status_text``,
    ``flags`` and ``forecast`` (the value expected at the period's end, its interval and the chance of
    meeting the target, or null)."""
    rows = [{**{c: _plain(getattr(s, c)) for c in SCORE_COLUMNS}, "status_text": s.status_text, "flags": s.flags}
            for s in scores]
    if forecasts is not None:
        for row in rows:
            row["forecast"] = forecasts.get(row["id"])
    return json.dumps({"today": today.isoformat(), "scores": rows}, indent=2, ensure_ascii=False)


def _text(value: str | None, width: int = TITLE_WIDTH) -> str:
    """User text on one line without control characters (no terminal escapes), cut to ``width``."""
    s = _CONTROL.sub(" ", value or "").strip()
    return s if len(s) <= width else s[: width - 1] + "…"


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return UNKNOWN if x is None else fmt.format(x)


def _notes(s: GoalScore) -> str:
    notes = [*s.flags, *(["stale"] if s.stale else [])]
    return _text("; ".join(notes), NOTE_WIDTH)


def _row(s: GoalScore, indent: str = "") -> list[str]:
    status = s.status_text
    if s.kind == "kpi":
        progress = UNKNOWN if s.current is None else f"{s.current:g}"
        return [indent + _text(s.id, 40), _text(s.title), progress, UNKNOWN, UNKNOWN, status,
                _num(s.confidence, "{:g}"), _plain(s.last_check_in) or UNKNOWN, _notes(s)]
    score = _num(s.score) + ("*" if s.overridden else "")  # * : set by hand, the reason is in NOTES
    progress, expected = (UNKNOWN, UNKNOWN) if s.dropped is not None else (pct(s.progress), pct(s.expected))
    return [indent + _text(s.id, 40), _text(s.title), progress, expected, score, status,
            _num(s.confidence, "{:g}"), _plain(s.last_check_in) or UNKNOWN, _notes(s)]


def _table(groups: list[tuple[str, list[list[str]]]]) -> list[str]:
    widths = [len(c) for c in _COLUMNS]
    for _, rows in groups:
        for row in rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        out = [cell.rjust(w) if name in _RIGHT else cell.ljust(w) for name, cell, w in zip(_COLUMNS, cells, widths,
                                                                                               strict=True)]
        return "  ".join(out).rstrip()

    lines = [line(_COLUMNS)]
    for heading, rows in groups:
        if not rows:
            continue
        lines.append("")
        if heading:
            lines.append(heading)
        lines += [line(r) for r in rows]
    return lines


def format_text(scores: list[GoalScore], today: date, organisation: str = "") -> str:
    """An aligned table: each objective with its key results beneath it, then goals, initiatives and KPIs."""
    groups: list[tuple[str, list[list[str]]]] = []
    by_kind: dict[str, list[list[str]]] = {"smart_goal": [], "initiative": [], "kpi": []}
    objective_rows: list[list[str]] | None = None
    orphans: list[list[str]] = []
    for s in scores:
        if s.kind == "objective":
            objective_rows = [_row(s)]
            groups.append(("", objective_rows))
        elif s.kind == "key_result":
            (objective_rows if objective_rows is not None else orphans).append(_row(s, "  "))
        else:
            by_kind.setdefault(s.kind, []).append(_row(s))
    if orphans:
        groups.append(("Key results", orphans))
    groups += [("SMART goals", by_kind.pop("smart_goal")), ("Initiatives", by_kind.pop("initiative")),
               ("KPIs (latest value, status from thresholds)", by_kind.pop("kpi"))]
    groups += [(kind, rows) for kind, rows in by_kind.items()]
    title = f"Scores as of {today.isoformat()}"
    if organisation:
        title = f"{_text(organisation, 80)} — {title}"
    if not scores:
        return f"{title}\n\n(no goals)"
    return "\n".join([title, "", *_table(groups)])
