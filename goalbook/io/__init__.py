"""Reading and writing goalbooks as files: YAML (the format in docs/FORMAT.md) and tables (CSV, Excel).

- :func:`load_goalbook` reads a file, a folder or a list of files and refuses bad input with every
  problem located (file, line, column, entity, field).
- :func:`to_data` gives the plain data of the format; :func:`save_goalbook` writes atomically and,
  when the file exists, merges into it so comments, key order and untouched lines stay as they were.
- ``goalbook.io.tables``: ``to_frame``, ``export_tables``, ``import_tables`` (imported on first use,
  since it needs pandas).
"""

from __future__ import annotations

from typing import Any

from goalbook.io.yaml_read import load_goalbook
from goalbook.io.yaml_write import save_goalbook, to_data

__all__ = ["export_tables", "import_tables", "load_goalbook", "save_goalbook", "to_data", "to_frame"]

_TABLES = ("to_frame", "export_tables", "import_tables")


def __getattr__(name: str) -> Any:
    if name in _TABLES:
        from goalbook.io import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'goalbook.io' has no attribute {name!r}")
