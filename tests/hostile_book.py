"""The example goalbook with markup wherever a user writes text the view widgets and figures show.

Shared by the dashboard and alignment-explorer tests: ``from hostile_book import IMG, SCRIPT,
RAW_TAG, hostile_book``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import goalbook
from goalbook.model import CheckIn

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
RAW_TAG = re.compile(r"<\s*/?\s*(img|script)", re.I)
"""An ``<img`` or ``<script`` tag that would be live markup (its escaped form never matches)."""


def figure_text(figure: Any) -> str:
    """Every string in a plotly figure as written into it. (``to_json()`` is no use for this: it
    writes ``<`` as ``\\u003c``, so live markup would never be seen in it.)"""
    return json.dumps(figure.to_dict(), default=str)


def hostile_book() -> goalbook.Goalbook:
    """Northwind with markup in the organisation, titles, owners, a team, a KPI name and a check-in."""
    book = goalbook.load_example()
    book.organisation = SCRIPT
    co1 = book.get("CO-1")
    co1.title, co1.owner = IMG, SCRIPT
    kr = book.get("CO-1.KR1")
    kr.title, kr.owner, kr.unit = f"{SCRIPT} Raise online bookings {IMG}", IMG, SCRIPT
    web = book.get("WEB-1")
    web.statement, web.team, web.owner = f"{SCRIPT} Cut booking steps {IMG}", IMG, SCRIPT
    kpi = book.get("KPI-NOSHOW")
    kpi.name, kpi.team, kpi.unit = IMG, IMG, SCRIPT
    book.get("INI-1").title = IMG
    book.check_ins.append(CheckIn("CO-1.KR2", date(2027, 2, 26), 3.0, 8, "on_track", IMG, SCRIPT, IMG))
    book.reindex()
    return book
