"""goalbook: set, align and review goals in JupyterLab, as code.

The stable public surface (see the README): the domain model, ``Goalbook.load`` / ``.save``,
``check_smart``, ``alignment_graph`` and ``open`` for a SQL store. Heavy parts are imported on
first use so that ``import goalbook`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from goalbook import model as _model
from goalbook.errors import ConflictError, GoalbookError, Problem, ValidationError
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Comment,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period

__version__ = "0.1.0"

_LAZY = {
    "check_smart": ("goalbook.smart", "check_smart"),
    "SmartReport": ("goalbook.smart", "SmartReport"),
    "alignment_graph": ("goalbook.alignment", "alignment_graph"),
    "open": ("goalbook.store", "open"),
    "load": ("goalbook.io", "load_goalbook"),
    "example_path": ("goalbook.examples", "example_path"),
    "load_example": ("goalbook.examples", "load_example"),
}

__all__ = [
    "KPI", "CheckIn", "Checkpoint", "Comment", "ConflictError", "Goalbook", "GoalbookError", "Initiative",
    "KeyResult", "KPIValue", "Link", "Objective", "Period", "Problem", "SmartGoal", "ValidationError",
    *_LAZY,
]


class _Files:
    """``Goalbook.load`` / ``.save`` / ``.to_frame`` (see :class:`goalbook.model.Files`), imported on first
    use: the model stays free of I/O and ``import goalbook`` stays cheap."""

    @staticmethod
    def load(path: Any, **kwargs: Any) -> Goalbook:
        from goalbook.workspace import load_book

        return load_book(path, **kwargs)

    @staticmethod
    def save(book: Goalbook, path: Any = None, **kwargs: Any) -> None:
        from goalbook.workspace import save_book

        save_book(book, path, **kwargs)

    @staticmethod
    def to_frame(book: Goalbook, kind: str) -> Any:
        from goalbook.io.tables import to_frame

        return to_frame(book, kind)


_model.FILES = _Files()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'goalbook' has no attribute {name!r}")
