"""How goalbook shows a value, a status or a table to a reader: one module for every view.

Widgets, figures, review pages, notebooks and the CLI all format through here, so a number, a date,
a status word and a status colour read the same wherever they appear:

- a value that is not known (``None``, NaN, pandas' missing markers) is :data:`UNKNOWN`, ``—``;
- a share (0.38) is a whole percentage, ``38%``; a number keeps at most two decimals, ``0.55``;
- a date is ISO, ``2027-02-26``;
- a status is a word from :data:`STATUS_WORDS` (``on track``, never ``on_track``) in its colour from
  :data:`STATUS_COLOURS` (one palette: *at risk* is the same amber in a pill, a bar and a chart);
- where a goal stands is phrased by its direction (:func:`now_and_target`): ``20 min, target ≤ 12 min``
  for a decrease, ``6.8%, must stay ≤ 8%`` for a bound, ``3 of 5 checkpoints`` for a milestone;
- a table (:func:`styled`) is a pandas ``Styler``: text left-aligned and wrapped, never cut off, numbers
  right-aligned and formatted, statuses in words and colour, headers in words; every cell escaped.

Reading what people type (``1,200``, ``2027-03-31``) is :mod:`goalbook.values`' job.

>>> pct(0.384), pct(None), value(6, "min"), value(38, "%"), number(0.545455)
('38%', '—', '6 min', '38%', '0.55')
>>> status_word("on_track"), status_word("at_risk", capital=True), header("time_bound")
('on track', 'At risk', 'Time-bound')
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported when a table is styled, not by every formatter
    import pandas as pd
    from pandas.io.formats.style import Styler

UNKNOWN = "—"
"""How a value that is not known is shown, everywhere."""

# --- one palette, one wording --------------------------------------------------------------------
# Colours readable as white text on a pill (contrast 4.5:1 or more) and as a bar or a line on white.
GREEN, AMBER, RED, BLUE, GREY, PURPLE = "#1a7f37", "#b35900", "#cf222e", "#0969da", "#6e7781", "#8250df"
LIGHT_GREY = "#d0d7de"

STATUS_COLOURS: Mapping[str, str] = {
    # a goal's pace, and its grade once the period is over
    "done": BLUE, "on_track": GREEN, "at_risk": AMBER, "off_track": RED, "not_started": GREY, "unknown": GREY,
    "achieved": GREEN, "partly": AMBER, "missed": RED, "dropped": GREY,
    # a score's band, a KPI against its thresholds
    "green": GREEN, "yellow": AMBER, "amber": AMBER, "red": RED, "grey": GREY,
    # SMART verdicts and lint severities
    "pass": GREEN, "warn": AMBER, "fail": RED, "error": RED, "warning": AMBER, "info": GREY,
    # flags beside a status
    "breached": RED, "wrong_way": AMBER, "not_measured": GREY, "overridden": PURPLE, "stale": GREY,
}
"""Status (or band, verdict, severity) → colour: the one palette of pills, bars, charts and tables."""

STATUS_WORDS: Mapping[str, str] = {
    "done": "done", "on_track": "on track", "at_risk": "at risk", "off_track": "off track",
    "not_started": "not started", "unknown": "unknown", "achieved": "achieved", "partly": "partly achieved",
    "missed": "missed", "dropped": "dropped", "green": "green", "yellow": "yellow", "amber": "amber", "red": "red",
    "grey": "grey", "pass": "pass", "warn": "warn", "fail": "fail", "error": "error", "warning": "warning",
    "info": "info", "breached": "bound breached", "wrong_way": "moving the wrong way",
    "not_measured": "not measured yet", "overridden": "set by hand", "stale": "stale",
}
"""Status → the words a reader sees."""

_BOUND_SIGN = {"at_least": "≥", "at_most": "≤", "above": ">", "below": "<"}


def status_colour(status: str | None) -> str:
    """The palette's colour for ``status``; grey for a status it does not know."""
    return STATUS_COLOURS.get(status or "unknown", GREY)


def tint(colour: str, alpha: float) -> str:
    """``#rrggbb`` as ``rgba(r,g,b,alpha)``: a palette colour as a light band behind a chart."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:g})"


def status_word(status: str | None, *, capital: bool = False) -> str:
    """``on_track`` → ``on track`` (``On track`` with ``capital``); an unknown code loses its underscores."""
    words = STATUS_WORDS.get(status or "unknown") or str(status).replace("_", " ")
    return words[:1].upper() + words[1:] if capital else words


def header(name: str) -> str:
    """A column name as a heading: ``last_check_in`` → ``Last check-in``, ``id`` → ``ID``."""
    words = {"id": "ID", "ids": "IDs", "time_bound": "Time-bound", "check_in": "check-in", "kpi": "KPI"}
    text = str(name)
    if text in words:
        return words[text]
    text = text.replace("check_in", "check-in").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# --- values ----------------------------------------------------------------------------------------

def known(x: Any) -> bool:
    """False for ``None``, NaN and pandas' missing values (``NA``, ``NaT``)."""
    if x is None:
        return False
    try:
        return not math.isnan(x)
    except TypeError:  # text, a date, a list; or pandas.NA / NaT, which refuse float conversion
        import pandas as pd

        missing = pd.isna(x)
        return not missing if isinstance(missing, bool) else True


def pct(x: Any) -> str:
    """A share (0.38) as a whole percentage (``38%``); :data:`UNKNOWN` when not known."""
    return f"{round(x * 100) + 0}%" if known(x) else UNKNOWN  # + 0: no "-0%" for a tiny negative share


def number(x: Any, decimals: int = 2) -> str:
    """A number for reading: thousands grouped, at most ``decimals`` decimals, no trailing zeros."""
    if not known(x):
        return UNKNOWN
    text = f"{round(x, decimals) + 0.0:,.{decimals}f}"  # + 0.0: no "-0" for a tiny negative number
    return text.rstrip("0").rstrip(".") if "." in text else text


def value(x: Any, unit: str | None = None) -> str:
    """A number with its unit for reading (``38%``, ``6 min``, ``1,200 calls``); :data:`UNKNOWN` when not known."""
    if not known(x):
        return UNKNOWN
    n = number(x)
    return f"{n}{unit}" if unit == "%" else f"{n} {unit}" if unit else n


def day(x: Any) -> str:
    """A date (or the day of a timestamp) as ``2027-02-26``; :data:`UNKNOWN` when not known."""
    if not known(x):
        return UNKNOWN
    if isinstance(x, datetime):
        return x.date().isoformat() if (x.hour, x.minute, x.second) == (0, 0, 0) else x.strftime("%Y-%m-%d %H:%M")
    return x.isoformat() if isinstance(x, date) else str(x)


def _direction(goal: Any) -> str | None:
    d = getattr(goal, "direction", None)
    if d is None and known(getattr(goal, "baseline", None)) and known(getattr(goal, "target", None)):
        d = "decrease" if goal.target < goal.baseline else "increase"  # a SMART goal's inferred direction
    return d


def target_text(goal: Any) -> str:
    """What a goal aims at, by its direction: ``target ≤ 12 min``, ``must stay ≤ 8%``, ``must stay 2–5 min``,
    ``3 checkpoints``; ``no target yet`` for a draft."""
    unit = getattr(goal, "unit", None)
    target = getattr(goal, "target", None)
    d = _direction(goal)
    if d == "milestone":
        points = getattr(goal, "checkpoints", None) or []
        return f"{len(points)} checkpoints" if points else "deliver"
    if d == "maintain":
        bound = getattr(goal, "bound", None)
        if bound == "band":
            return f"must stay {number(goal.low)}–{value(goal.high, unit)}"
        return f"must stay {_BOUND_SIGN.get(bound or 'at_least', '≥')} {value(target, unit)}"
    if not known(target):
        return "no target yet"
    sign = {"increase": "≥ ", "decrease": "≤ "}.get(d or "", "")
    return f"target {sign}{value(target, unit)}"


def now_and_target(goal: Any, current: Any) -> str:
    """Where ``goal`` stands (``current``, its latest value) against what it aims at, phrased by direction.

    >>> from types import SimpleNamespace as G
    >>> now_and_target(G(direction="decrease", unit="min", target=12, baseline=22), 20)
    '20 min, target ≤ 12 min'
    >>> now_and_target(G(direction="maintain", bound="at_most", unit="%", target=8), 6.8)
    '6.8%, must stay ≤ 8%'
    >>> cps = [G(done=True)] * 3 + [G(done=False)] * 2
    >>> now_and_target(G(direction="milestone", checkpoints=cps, unit=None, target=None), 0.6)
    '3 of 5 checkpoints'
    """
    d = _direction(goal)
    if d == "milestone":
        points = getattr(goal, "checkpoints", None) or []
        if points:
            return f"{sum(1 for p in points if p.done)} of {len(points)} checkpoints"
        if not known(current):
            return "not delivered yet"
        return "delivered" if current >= 1 else f"{pct(current)} delivered"
    return f"{value(current, getattr(goal, 'unit', None))}, {target_text(goal)}"


# --- tables ----------------------------------------------------------------------------------------

SHARE_COLUMNS = frozenset({"progress", "expected", "progress_before", "progress_raw", "rolled_up", "share"})
"""Columns holding a share 0..1, shown as a percentage."""
WORD_COLUMNS = frozenset({"status", "kind", "level", "relation", "direction", "severity", "colour",
                          "verdict", "specific", "measurable", "achievable", "relevant", "time_bound", "bound"})
"""Columns holding a code (``on_track``, ``key_result``) shown as words."""
WRAP_FROM = 28
"""A column whose longest cell is longer than this wraps (at word boundaries); shorter ones never wrap."""

TABLE_STYLES = [
    {"selector": "", "props": "border-collapse:collapse;font-size:13px;line-height:1.35;margin:4px 0"},
    {"selector": "th", "props": "text-align:left;font-weight:600;color:#57606a;white-space:nowrap;"
                                "border-bottom:1px solid #d0d7de;padding:4px 8px;vertical-align:bottom"},
    {"selector": "td", "props": "text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #eaeef2"},
    {"selector": "tbody tr:nth-child(even) td", "props": "background:#f6f8fa"},
]
"""The table's own CSS, carried inside its HTML: JupyterLab, Voilà and static pages show it alike."""


def cell(x: Any, column: str = "") -> str:
    """One table cell as plain text (not yet escaped), formatted by its column's name and its type."""
    if isinstance(x, list | tuple | set | frozenset):
        return ", ".join(cell(v) for v in x) or UNKNOWN
    if not known(x) or (isinstance(x, str) and not x.strip()):
        return UNKNOWN
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, date | datetime):
        return day(x)
    if isinstance(x, int | float) and not isinstance(x, bool):
        return pct(x) if column in SHARE_COLUMNS else number(x)
    if column in WORD_COLUMNS and isinstance(x, str):
        return status_word(x, capital=True)
    if hasattr(x, "item") and not isinstance(x, str):  # a numpy scalar
        return cell(x.item(), column)
    return str(x)


def _is_number_column(series: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def styled(frame: pd.DataFrame, *, index: bool | None = None, caption: str | None = None) -> Styler:
    """``frame`` as a readable table (see the module docstring), for a notebook or a page.

    The index is shown when it means something (named, or not the default 0, 1, 2, …) unless ``index``
    says otherwise. Every cell, index label and the caption are HTML-escaped: user text stays text.
    """
    import pandas as pd

    shown = {c: [cell(v, str(c)) for v in frame[c]] for c in frame.columns}
    default_index = frame.index.name is None and isinstance(frame.index, pd.RangeIndex)
    show_index = (not default_index) if index is None else index
    texts = pd.DataFrame(shown, index=frame.index, columns=frame.columns)
    css = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for c in frame.columns:
        longest = max((len(t) for t in shown[c]), default=0)
        if longest > WRAP_FROM:
            props = "white-space:normal;overflow-wrap:break-word;min-width:14em;max-width:42em"
        else:
            props = "white-space:nowrap"
        if _is_number_column(frame[c]):
            props += ";text-align:right;font-variant-numeric:tabular-nums"
        css[c] = props
        if str(c) in WORD_COLUMNS:
            css[c] = [f"{props};color:{STATUS_COLOURS[v]};font-weight:600" if isinstance(v, str) and v in STATUS_COLOURS
                      else props for v in frame[c]]
    out = (texts.style.format(html.escape).format_index(lambda h: html.escape(header(h)), axis=1)
           .format_index(lambda i: html.escape(cell(i)), axis=0)
           .apply(lambda _: css, axis=None).set_table_styles(TABLE_STYLES)
           .set_table_attributes('class="goalbook-table goalbook-styled-table"'))
    if frame.index.name is not None:
        out = out.format_index_names(lambda n: html.escape(header(n)), axis=0)
    if not show_index:
        out = out.hide(axis="index")
    if caption:
        out = out.set_caption(html.escape(caption))
    return out


def table_html(frame: pd.DataFrame, *, index: bool | None = None) -> str:
    """:func:`styled` as an HTML string, for a widget or a static page; wider than a phone's screen, it
    scrolls sideways inside its own box instead of pushing the page wider."""
    return ('<div class="goalbook-table-scroll" style="overflow-x:auto;max-width:100%">'
            + styled(frame, index=index).to_html() + "</div>")
