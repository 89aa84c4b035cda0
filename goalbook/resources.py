"""Files goalbook ships besides its code: the ``templates/`` of ``goalbook new`` and the workshop and
review ``notebooks/`` of ``goalbook demo``.

They are kept once, at the top of the repository where people edit and test them; the wheel carries
them inside the package (``pyproject.toml``'s ``force-include`` maps them to ``goalbook/templates``
and ``goalbook/notebooks``). So an installed goalbook finds them through :mod:`importlib.resources`,
and a checkout (or an editable install) finds them next to the package.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

SHIPPED = ("templates", "notebooks")

PLOTLY_BUNDLES = {"basic": "plotly-basic.min.js", "full": "plotly.min.js"}
"""plotly.js as a page loads it, by bundle: the *basic* partial bundle (scatter, bar and pie traces) goalbook
ships in ``goalbook/widgets/static`` (see its README), and the full one the installed plotly package ships."""

BASIC_TRACES = frozenset({"scatter", "bar", "pie"})
"""The trace types the basic bundle draws; a figure with any other needs the full bundle."""


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


def plotly_js(bundle: str) -> Path:
    """The file of plotly.js's ``bundle`` (a key of :data:`PLOTLY_BUNDLES`), without importing plotly.

    The full bundle is the installed plotly package's own (what ``plotly.io`` writes into standalone HTML),
    so the two bundles are the same plotly.js version as long as the vendored one follows plotly's."""
    if bundle == "basic":
        return Path(__file__).resolve().parent / "widgets" / "static" / PLOTLY_BUNDLES["basic"]
    if bundle != "full":
        raise ValueError(f"no plotly.js bundle {bundle!r}: one of {', '.join(PLOTLY_BUNDLES)}")
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the plotly package is not installed: goalbook's figures need it")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / PLOTLY_BUNDLES["full"]


def plotly_bundle(trace_types: set[str] | frozenset[str]) -> str:
    """The smallest plotly.js bundle that draws every trace type of ``trace_types``."""
    return "basic" if set(trace_types) <= BASIC_TRACES else "full"
