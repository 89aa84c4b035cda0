"""Calibration: the confidence owners stated against the score their goals got.

A pure function of :func:`goalbook.review_analysis.calibration`'s frame, for the quarter review.
Read 0–10 confidence as a 0–1 prediction of the score: points on the dashed diagonal were called
right, points below it were promised with more confidence than the result bore out, points above
it were under-promised. Every string a user wrote is HTML-escaped: plotly renders legends and
hover text as HTML.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from goalbook.figures._text import esc, short

REQUIRED = ("id", "title", "stated", "score", "gap")
_MARGIN = 0.05  # room around 0..1 so points on the edges are not cut in half


def calibration_figure(calibrated: pd.DataFrame, *, by: str = "owner", stated_on: date | None = None) -> go.Figure:
    """One point per goal at (stated confidence as 0–1, score), one colour per ``by`` (owner or team).

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["WEB-1", "OPS-1"], "title": ["Faster booking", "Fewer outages"],
    ...                       "owner": ["ana", "raj"], "stated": [0.7, 0.9], "score": [0.7, 0.4], "gap": [0.0, 0.5]})
    >>> figure = calibration_figure(frame)
    >>> [(t.name, list(t.x), list(t.y)) for t in figure.data]
    [('ana', [0.7], [0.7]), ('raj', [0.9], [0.4])]
    """
    missing = [c for c in (*REQUIRED, by) if c not in calibrated.columns]
    if missing:
        raise ValueError(f"calibration_figure needs the columns of goalbook.review_analysis.calibration; "
                         f"missing: {', '.join(missing)}")
    when = f" on {stated_on.isoformat()}" if stated_on else ""
    figure = go.Figure()
    figure.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dash", "color": "#8c8c8c"})
    groups = calibrated[by].astype(object).where(calibrated[by].notna(), None)
    for name in dict.fromkeys(groups.tolist()):
        rows = calibrated[(groups == name) if name is not None else groups.isna()]
        figure.add_trace(go.Scatter(
            x=rows["stated"].tolist(), y=rows["score"].tolist(), mode="markers", name=esc(name) or f"no {by}",
            marker={"size": 10, "opacity": 0.85},
            hovertext=[_hover(r) for r in rows.itertuples(index=False)], hoverinfo="text"))
    if calibrated.empty:
        figure.add_annotation(text="No goal has both a stated confidence and a score yet.", showarrow=False,
                              x=0.5, y=0.5)
    figure.update_layout(
        title=f"Stated confidence{when} against score (on the dashed line, the owner called it right)",
        xaxis={"title": f"confidence stated{when} (as 0–1)", "range": [-_MARGIN, 1 + _MARGIN]},
        yaxis={"title": "score", "range": [-_MARGIN, 1 + _MARGIN]},
        legend={"title": {"text": by}}, template="plotly_white")
    return figure


def _hover(row: Any) -> str:
    gap = "called it right" if abs(row.gap) < 0.05 else (
        f"{row.gap:+.1f}: more confident than the result" if row.gap > 0 else f"{row.gap:+.1f}: under-promised")
    return (f"<b>{esc(row.id)}</b> {short(row.title)}<br>stated {row.stated:.1f} · score {row.score:.1f}"
            f"<br>{gap}")
