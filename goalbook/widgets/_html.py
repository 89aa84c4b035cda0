"""The one place widgets turn data into HTML.

``widgets.HTML`` assigns innerHTML unsanitised and Voilà trusts every output (PITFALLS.md), so
every string a user wrote goes through :func:`esc` here, and widgets build HTML only with these
helpers. Markup is static and styled by the ``goalbook-*`` CSS classes in :data:`STYLE`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from goalbook import display

STATUS_COLOURS = display.STATUS_COLOURS
"""The one palette (:data:`goalbook.display.STATUS_COLOURS`): pills, bars and sparklines."""
STATUS_LABELS = display.STATUS_WORDS
"""The one wording (:data:`goalbook.display.STATUS_WORDS`)."""

STYLE = """<style>
.goalbook-tag{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:11px;line-height:18px;
white-space:nowrap}
.goalbook-table th,.goalbook-nowrap{white-space:nowrap}
.goalbook-table th{text-align:left}
.goalbook-history td:nth-child(-n+4),.goalbook-verdict-table td:nth-child(-n+2),.goalbook-findings-table td:first-child,
.goalbook-pace td{white-space:nowrap}
.goalbook-table td{text-align:left;vertical-align:top}
.goalbook-bar{display:inline-block;width:120px;height:10px;background:#eaeef2;border-radius:5px;vertical-align:middle}
.goalbook-bar>span{display:block;height:10px;border-radius:5px}
.goalbook-muted{color:#6e7781}
.goalbook-mark{background:#fff8c5;border-radius:3px;padding:0 1px}
.goalbook-message{padding:4px 8px;border-radius:4px;border-left:4px solid #0969da;background:#f6f8fa}
.goalbook-message-success{border-color:#1a7f37}.goalbook-message-warning{border-color:#b35900}
.goalbook-message-error{border-color:#cf222e;background:#fff5f5}
</style>"""


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute context; ``None`` becomes an empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def tag(status: str | None, text: str | None = None) -> str:
    """A coloured status pill; unknown statuses are grey. ``text`` is escaped."""
    key = status or "unknown"
    colour = STATUS_COLOURS.get(key, "#6e7781")
    label = text if text is not None else STATUS_LABELS.get(key, key)
    return f'<span class="goalbook-tag goalbook-tag-{esc(key)}" style="background:{colour}">{esc(label)}</span>'


def bar(progress: float | None, colour: str | None = None) -> str:
    """A small progress bar for a value in 0..1 (``None`` draws an empty bar)."""
    pct = 0.0 if progress is None else max(0.0, min(1.0, float(progress))) * 100
    fill = STATUS_COLOURS.get(colour or "", colour if colour and colour.startswith("#") else "#0969da")
    return f'<span class="goalbook-bar"><span style="width:{pct:.0f}%;background:{esc(fill)}"></span></span>'


def table(header: Iterable[str], rows: Iterable[Iterable[str]], *, css: str = "goalbook-table") -> str:
    """An HTML table; header cells are escaped, row cells must already be safe HTML from these helpers."""
    header = list(header)
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + _cells(header, row) + "</tr>" for row in rows)
    return f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cells(header: Sequence[str], cells: Iterable[str]) -> str:
    """``<td>`` cells, each labelled with its column (``data-label``) for the phone-width card layout."""
    labels = [esc(h) for h in header]
    return "".join(f'<td data-label="{labels[i]}">{c}</td>' if i < len(labels) else f"<td>{c}</td>"
                   for i, c in enumerate(cells))


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` escaped, with the given ``(start, end, label)`` spans wrapped in ``<mark>``.

    Overlapping or out-of-range spans are skipped, so a parser's spans can be passed as they are.
    """
    out, pos = [], 0
    for start, end, label in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="goalbook-mark" title="{esc(label)}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def message(text: str | None, level: str = "info") -> str:
    """A message box (``info``, ``success``, ``warning`` or ``error``); ``text`` is escaped, its lines kept."""
    if not text:
        return ""
    body = "<br>".join(esc(line) for line in str(text).splitlines())
    return f'<div class="goalbook-message goalbook-message-{esc(level)}">{body}</div>'


def bullets(items: Iterable[str], *, css: str = "goalbook-list") -> str:
    """A bulleted list of plain-text ``items``, each escaped; empty when there are none."""
    rows = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f'<ul class="{esc(css)}">{rows}</ul>' if rows else ""


def muted(text: object) -> str:
    """Grey secondary text, escaped."""
    return f'<span class="goalbook-muted">{esc(text)}</span>'


# --- views: AlignmentExplorer and Dashboard ---------------------------------------------------------

VIEW_STYLE = """<style>
.goalbook-view-table{border-collapse:collapse;width:100%;font-size:13px;margin-bottom:6px}
.goalbook-view-table th{text-align:left;font-weight:600;color:#57606a;border-bottom:1px solid #d0d7de;padding:3px 6px}
.goalbook-view-table td{padding:3px 6px;border-bottom:1px solid #eaeef2;vertical-align:middle}
.goalbook-dashboard-objective td{background:#f6f8fa;font-weight:600}
.goalbook-dashboard-key-result td:first-child{padding-left:20px}
.goalbook-section-title{font-size:14px;font-weight:600;margin:12px 0 4px}
.goalbook-view-header{font-size:16px;font-weight:600}
.goalbook-tiles{display:flex;flex-wrap:wrap;gap:8px}
.goalbook-tile{border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;min-width:200px;font-size:12px}
.goalbook-tile-value{font-size:20px;font-weight:600;margin-right:6px}
.goalbook-legend-item{white-space:nowrap}
.goalbook-swatch{display:inline-block;width:10px;height:10px;border-radius:5px;margin:0 3px 0 10px}
.goalbook-pace-bar{position:relative}
.goalbook-pace-bar>i{position:absolute;top:-2px;width:2px;height:14px;background:#24292f}
.goalbook-sparkline{vertical-align:middle}
.goalbook-view-table td:not(:first-child){white-space:nowrap}
.goalbook-details{font-size:13px;line-height:1.4}
.goalbook-facts{border-collapse:collapse}
.goalbook-facts th{text-align:left;font-weight:normal;color:#57606a;padding:2px 10px 2px 0;vertical-align:top}
.goalbook-facts td{padding:2px 0;vertical-align:top}
.goalbook-facts ul{margin:0;padding-left:16px}
.goalbook-dropped{text-decoration:line-through;color:#6e7781}
.goalbook-worst{color:#cf222e;font-size:12px;margin-left:4px}
.goalbook-flag{font-size:11px;margin-left:4px}
.goalbook-reason{display:block;font-size:11px;color:#8250df;white-space:normal}
.goalbook-refreshed{white-space:normal}
@media (max-width:640px){
.goalbook-view-table thead{display:none}
.goalbook-view-table,.goalbook-view-table tbody,.goalbook-view-table tr,
.goalbook-view-table td{display:block;width:auto}
.goalbook-view-table tr{border:1px solid #d0d7de;border-radius:6px;margin:0 0 8px;padding:4px 0}
.goalbook-view-table td,.goalbook-view-table td:not(:first-child){border:none;padding:2px 8px;white-space:normal}
.goalbook-view-table td[data-label]:not(:first-child)::before{content:attr(data-label);display:inline-block;
min-width:9em;margin-right:4px;color:#57606a;font-size:12px}
.goalbook-dashboard-key-result td:first-child{padding-left:8px}
.goalbook-tile{min-width:0;flex:1 1 100%}
}
</style>"""
"""Phone width (640 px and less): a view table's rows become cards, each cell labelled with its column,
so every column stays readable at 390 px instead of running off the screen."""

_ELEMENTS = frozenset({"div", "span", "p", "h3", "h4", "strong", "small", "section", "ul", "li"})


def element(name: str, inner: str = "", *, css: str | None = None, title: str | None = None,
            data_id: str | None = None) -> str:
    """``<name class="css" title="…" data-id="…">inner</name>``: attributes escaped, ``inner`` must
    already be safe HTML from these helpers (pass user text through :func:`esc`)."""
    if name not in _ELEMENTS:
        raise ValueError(f"element {name!r} is not one of {', '.join(sorted(_ELEMENTS))}")
    attrs = "".join(f' {k}="{esc(v)}"' for k, v in (("class", css), ("title", title), ("data-id", data_id)) if v)
    return f"<{name}{attrs}>{inner}</{name}>"


def row_table(header: Iterable[str], rows: Iterable[tuple[str, str | None, Iterable[str]]], *,
              css: str = "goalbook-table goalbook-view-table") -> str:
    """An HTML table whose rows carry a CSS class and a ``data-id``: ``rows`` are ``(row_css, id, cells)``.

    Header cells are escaped; row cells must already be safe HTML from these helpers.
    """
    header = list(header)
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join(
        f'<tr class="{esc(row_css)}"' + (f' data-id="{esc(rid)}"' if rid is not None else "") + ">"
        + _cells(header, cells) + "</tr>" for row_css, rid, cells in rows)
    return f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def facts(pairs: Iterable[tuple[str, str]], *, css: str = "goalbook-facts") -> str:
    """A two-column table of ``(label, value)``: labels are escaped, values must already be safe HTML."""
    rows = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in pairs)
    return f'<table class="{esc(css)}"><tbody>{rows}</tbody></table>'


def pace_bar(progress: float | None, expected: float | None, colour: str | None = None) -> str:
    """:func:`bar` with a tick where a goal on pace would be (``expected`` in 0..1), when known."""
    if expected is None:
        return bar(progress, colour)
    pct = 0.0 if progress is None else max(0.0, min(1.0, float(progress))) * 100
    fill = STATUS_COLOURS.get(colour or "", colour if colour and colour.startswith("#") else "#0969da")
    tick = max(0.0, min(1.0, float(expected))) * 100
    return (f'<span class="goalbook-bar goalbook-pace-bar"><span style="width:{pct:.0f}%;background:{esc(fill)}">'
            f'</span><i style="left:{tick:.0f}%"></i></span>')


def swatch(colour: str, label: str) -> str:
    """A coloured dot followed by ``label`` (escaped), for legends."""
    fill = STATUS_COLOURS.get(colour, colour if colour.startswith("#") else "#6e7781")
    return (f'<span class="goalbook-legend-item"><span class="goalbook-swatch" style="background:{esc(fill)}"></span>'
            f'{esc(label)}</span>')


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def sparkline(values: Sequence[float | None], *, xs: Sequence[float] | None = None,
              reference: Sequence[float | None] | None = None, lo: float | None = None, hi: float | None = None,
              lines: Iterable[tuple[float, str]] = (), colour: str = "#0969da", width: int = 100, height: int = 24,
              title: str | None = None, band: tuple[float, float, float, float, float] | None = None) -> str:
    """A small inline SVG line of ``values`` (``None`` leaves a gap), numbers only.

    ``xs`` places the points (e.g. days since the start; default evenly spaced); ``reference`` is
    a second series drawn grey and dashed (e.g. the expected pace); ``lines`` are horizontal
    ``(value, colour)`` guides (e.g. thresholds); ``lo``/``hi`` fix the vertical range (default:
    the data's). ``title`` (escaped) is the tooltip. ``band`` ``(x0, y0, x1, low, high)`` draws a shaded
    cone from the point ``(x0, y0)`` to the interval ``low..high`` at ``x1`` (a forecast), widening the
    x range to reach ``x1``. Empty input draws an empty frame.
    """
    xs = list(range(len(values))) if xs is None else list(xs)
    if len(xs) != len(values) or (reference is not None and len(reference) != len(values)):
        raise ValueError("sparkline: xs, values and reference must have the same length")
    guides = [(float(v), c) for v, c in lines if v is not None and math.isfinite(v)]
    seen = [float(v) for v in (*values, *(reference or ())) if v is not None and math.isfinite(v)]
    seen += [v for v, _ in guides]
    low = lo if lo is not None else min(seen, default=0.0)
    high = hi if hi is not None else max(seen, default=1.0)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    x0, x1 = (min(xs), max(xs)) if xs else (0, 1)
    if band is not None and all(math.isfinite(v) for v in band):
        x0, x1 = min(x0, band[0]), max(x1, band[2])
    else:
        band = None
    span = (x1 - x0) or 1
    pad = 2.0

    def px(x: float) -> float:
        return pad + (x - x0) / span * (width - 2 * pad)

    def py(v: float) -> float:
        return height - pad - (min(max(v, low), high) - low) / (high - low) * (height - 2 * pad)

    def polylines(series: Sequence[float | None], style: str) -> str:
        out, run = [], []
        for x, v in (*zip(xs, series, strict=True), (None, None)):
            if v is not None and x is not None and math.isfinite(v):
                run.append(f"{_num(px(x))},{_num(py(v))}")
                continue
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" {style}/>')
            run = []
        return "".join(out)

    parts = [f'<line x1="{_num(pad)}" x2="{_num(width - pad)}" y1="{_num(py(v))}" y2="{_num(py(v))}" '
             f'stroke="{esc(STATUS_COLOURS.get(c, c))}" stroke-width="1" stroke-dasharray="2,2"/>' for v, c in guides]
    if band is not None:
        bx0, by0, bx1, blo, bhi = band
        cone = " ".join(f"{_num(px(x))},{_num(py(y))}" for x, y in ((bx0, by0), (bx1, bhi), (bx1, blo)))
        parts.append(f'<polygon class="goalbook-forecast-band" points="{cone}" fill="{esc(colour)}" '
                     f'fill-opacity="0.3" stroke="{esc(colour)}" stroke-opacity="0.5" stroke-width="0.5"/>')
    if reference is not None:
        parts.append(polylines(reference, 'stroke="#8c959f" stroke-width="1" stroke-dasharray="3,2"'))
    parts.append(polylines(values, f'stroke="{esc(colour)}" stroke-width="1.6"'))
    last = next(((x, v) for x, v in zip(reversed(xs), reversed(values), strict=True)
                 if v is not None and math.isfinite(v)), None)
    if last is not None:
        parts.append(f'<circle cx="{_num(px(last[0]))}" cy="{_num(py(last[1]))}" r="2" fill="{esc(colour)}"/>')
    tip = f"<title>{esc(title)}</title>" if title else ""
    label = f' aria-label="{esc(title)}"' if title else ""
    return (f'<svg class="goalbook-sparkline" width="{int(width)}" height="{int(height)}" '
            f'viewBox="0 0 {int(width)} {int(height)}" role="img"{label}>{tip}{"".join(parts)}</svg>')
