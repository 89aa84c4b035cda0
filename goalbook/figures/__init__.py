"""Figures: pure functions from the model and its analyses to ``plotly`` figures.

They compute nothing a user decides on (that lives in the analysis modules) and never touch files
or widgets; every string a user wrote is escaped before it reaches a figure.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PLOTLY_CONFIG", "alignment_figure"]

# How every goalbook figure is shown: no plotly logo, and no "share chart" button, which would
# send a goalbook's data to an outside chart service from a review page.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "showSendToCloud": False}


def __getattr__(name: str) -> Any:
    if name == "alignment_figure":  # imported on first use: plotly is slow to import
        from goalbook.figures.alignment import alignment_figure

        return alignment_figure
    raise AttributeError(f"module 'goalbook.figures' has no attribute {name!r}")
