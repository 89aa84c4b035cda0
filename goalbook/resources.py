"""Files goalbook ships besides its code: the ``templates/`` of ``goalbook new`` and the workshop and
review ``notebooks/`` of ``goalbook demo``.

They are kept once, at the top of the repository where people edit and test them; the wheel carries
them inside the package (``pyproject.toml``'s ``force-include`` maps them to ``goalbook/templates``
and ``goalbook/notebooks``). So an installed goalbook finds them through :mod:`importlib.resources`,
and a checkout (or an editable install) finds them next to the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SHIPPED = ("templates", "notebooks")


def shipped(name: str) -> Path:
    """The folder ``name`` (one of :data:`SHIPPED`) as goalbook was installed with it.

    ``FileNotFoundError`` naming both places looked at when neither has it, e.g. a wheel built
    without its data.
    """
    if name not in SHIPPED:
        raise ValueError(f"goalbook ships no {name!r}: one of {', '.join(SHIPPED)}")
    packaged = files("goalbook") / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"goalbook's {name}/ is missing: looked in {packaged} (installed package) and "
                            f"{checkout} (checkout); reinstall goalbook")
