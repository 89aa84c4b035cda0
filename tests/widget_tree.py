"""Walk a widget tree as a browser would draw it, for headless widget tests.

- :func:`walk` yields every widget in a composite: box children, and widgets displayed inside an
  ``Output`` (found through their model id).
- :func:`inputs` lists every widget a user could type into, pick from or click: anything that is
  not a known display-only type. Read-only widgets must have none.
- :func:`visible_text` is the text a user sees: HTML with tags stripped and entities decoded,
  labels, button and field descriptions, values of text inputs and the labels of options.
- :func:`html_values` gives the raw HTML strings that reach ``innerHTML`` unsanitised.

Test modules import it as ``from widget_tree import walk, inputs, visible_text`` (``tests/`` is
on ``sys.path`` under pytest's default rootdir-based import mode).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import ipywidgets as widgets
from ipywidgets.widgets.widget import widget_serialization

DISPLAY_ONLY: tuple[type, ...] = (
    widgets.Box,  # VBox, HBox, GridBox, Tab, Accordion, Stack: containers; their children are walked
    widgets.Label,
    widgets.HTML,
    widgets.HTMLMath,
    widgets.Image,
    widgets.Output,
    widgets.Valid,
    widgets.IntProgress,
    widgets.FloatProgress,
)
"""Widget types that take no input. Anything else found in a read-only tree counts as an input."""

_TAG = re.compile(r"<[^>]*>")
_HIDDEN_ELEMENTS = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget below it, depth first, each once."""
    seen: set[int] = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        below = list(getattr(w, "children", ()) or ())
        if isinstance(w, widgets.Output):
            for out in w.outputs:
                ref = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                shown = ref and widget_serialization["from_json"](f"IPY_MODEL_{ref.get('model_id')}", None)
                if isinstance(shown, widgets.Widget):
                    below.append(shown)
        stack.extend(reversed(below))


def inputs(widget: widgets.Widget, allow: tuple[type, ...] = ()) -> list[widgets.Widget]:
    """Every widget in the tree that is not display-only (``allow`` adds more display-only types)."""
    ok = DISPLAY_ONLY + allow
    return [w for w in walk(widget) if not isinstance(w, ok)]


def of_type(widget: widgets.Widget, cls: type | tuple[type, ...]) -> list[widgets.Widget]:
    """Every widget of a type in the tree, in display order."""
    return [w for w in walk(widget) if isinstance(w, cls)]


def html_values(widget: widgets.Widget) -> list[str]:
    """The raw markup of every HTML and HTMLMath widget in the tree (what reaches innerHTML)."""
    return [w.value for w in walk(widget) if isinstance(w, widgets.HTML | widgets.HTMLMath)]


def html_text(markup: str) -> str:
    """What a browser shows for some markup: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", _HIDDEN_ELEMENTS.sub(" ", markup))).split())


def visible_text(widget: widgets.Widget) -> str:
    """All text a user sees in the tree, in display order, as one string."""
    parts: list[str] = []
    for w in walk(widget):
        if getattr(getattr(w, "layout", None), "display", None) == "none":
            continue
        if isinstance(w, widgets.HTML | widgets.HTMLMath):
            parts.append(html_text(w.value))
        elif isinstance(w, widgets.Label):
            parts.append(w.value)
        elif isinstance(w, widgets.Button):
            parts.append(w.description)
        else:
            if isinstance(getattr(w, "description", None), str):
                parts.append(w.description)
            if isinstance(w, widgets.Text | widgets.Textarea):
                parts.append(w.value)
            if hasattr(w, "_options_labels") and getattr(w, "index", None) is not None:
                parts.append(w._options_labels[w.index])
    return " ".join(p for p in parts if p)


def by_description(widget: widgets.Widget, description: str) -> widgets.Widget:
    """The one widget whose description (a button's text, a field's label) is ``description``."""
    found = [w for w in walk(widget) if getattr(w, "description", None) == description]
    if len(found) != 1:
        raise LookupError(f"{len(found)} widgets described {description!r}")
    return found[0]
