"""The example goalbook shipped with goalbook: Northwind Clinics, 2027-Q1, eight weeks of check-ins.

It is what ``goalbook demo``, the tutorial notebooks and the tests start from, so it carries
realistic loose ends on purpose (an off-track result, an orphan KPI, a candidate initiative).
"""

from __future__ import annotations

from pathlib import Path

from goalbook.model import Goalbook

_HERE = Path(__file__).parent


def example_path() -> Path:
    """The path of the Northwind Clinics example file, to copy, open or pass to the CLI."""
    return _HERE / "northwind.yaml"


def load_example() -> Goalbook:
    """The Northwind Clinics example, loaded fresh on each call so callers may change it freely."""
    from goalbook.io import load_goalbook

    return load_goalbook(example_path())
