"""User text made safe for a figure: plotly renders titles, legends, tick labels and hover text as
HTML, so everything a user wrote goes through :func:`esc` (or :func:`short`) on its way in."""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    """``value`` as escaped text; ``None`` as the empty string.

    Only ``& < >`` are escaped: plotly draws labels as text nodes, never attributes, and shows an
    entity it does not know literally, so ``"`` escaped as ``&quot;`` appeared as ``&quot;``. Never
    put the result inside an HTML attribute (widgets have their own escaping for that).
    """
    return "" if value is None else html.escape(str(value), quote=False)


def short(text: Any, n: int = 60) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis, escaped."""
    s = " ".join(str(text or "").split())
    return esc(s if len(s) <= n else s[: n - 1] + "…")
