"""The one place goalbook sets plotly ``FigureWidget`` state that plotly offers no public way to set.

A ``FigureWidget`` keeps its state for the browser in synced traits with private names:
``_config`` (the plot's config: buttons, scroll zoom; the constructor takes none) and
``_widget_data`` / ``_widget_layout`` (what a view opened later is drawn from; plotly refreshes
them only in ``_repr_mimebundle_``, which a FigureWidget inside a Box never reaches).
``tests/test_library_adapters.py`` fails loudly when a plotly release renames or unsyncs them, and
pyproject pins plotly below its next major version.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

SYNCED = ("_config", "_widget_data", "_widget_layout")


def set_config(figure: go.FigureWidget, config: Mapping[str, Any]) -> None:
    """Merge ``config`` into the widget's plotly config."""
    figure._config = {**figure._config, **config}


def keep_state(figure: go.FigureWidget) -> None:
    """Store the figure's current data and layout as the state views opened later are drawn from."""
    figure._widget_data = copy.deepcopy(figure._data)
    figure._widget_layout = copy.deepcopy(figure._layout_obj._props)
