"""GitHub: issues and milestones as ``gh api`` prints them.

``gh api repos/OWNER/REPO/issues?state=all`` gives a list of issues ({number, title, state,
state_reason, html_url, assignee: {login}, labels: [{name}], milestone: {title, ...},
created_at, closed_at, pull_request?}); ``gh api repos/OWNER/REPO/milestones?state=all`` a list of
milestones ({number, title, state, open_issues, closed_issues, due_on, created_at, html_url}).
Pull requests in the issues list are skipped. An issue's milestone and labels name the goal it
serves; a milestone becomes an initiative of its own whose progress is its share of closed issues.
``gh api --paginate`` concatenates pages (``][``); both forms are read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from goalbook.importers import TrackerFormatError, TrackerItem
from goalbook.importers._rows import field_of, json_document, parse_day, text_of


def _pages(text: str, name: str, what: str) -> list[Any]:
    stripped = text.strip()
    if stripped.startswith("[") and re.search(r"\]\s*\[", stripped):  # gh api --paginate: one array per page
        decoder, pos, out = json.JSONDecoder(), 0, []
        while pos < len(stripped):
            try:
                page, pos = decoder.raw_decode(stripped, pos)
            except json.JSONDecodeError as exc:
                raise TrackerFormatError(f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON "
                                         f"({exc.msg})") from None
            out.extend(page if isinstance(page, list) else [page])
            while pos < len(stripped) and stripped[pos].isspace():
                pos += 1
        return out
    doc = json_document(text, name, f"GitHub {what}")
    if not isinstance(doc, list):
        raise TrackerFormatError(f"{name}: expected a JSON list of {what} (gh api repos/OWNER/REPO/{what})")
    return doc


def _repo(url: str | None) -> str:
    m = re.search(r"github\.com/([^/]+/[^/]+)/", url or "") or re.search(r"repos/([^/]+/[^/]+)/", url or "")
    return m.group(1) if m else ""


def read_issues(text: str, name: str = "issues.json") -> list[TrackerItem]:
    """The issues (not pull requests) of ``gh api repos/OWNER/REPO/issues`` output."""
    items = []
    for n, issue in enumerate(_pages(text, name, "issues")):
        where = f"{name}: [{n}]"
        if not isinstance(issue, dict):
            raise TrackerFormatError(f"{where}: should be an issue object")
        if issue.get("pull_request") is not None:
            continue
        number = field_of(issue, "number", where, required=True)
        if not isinstance(number, int):
            raise TrackerFormatError(f"{where}: 'number' should be a whole number, found {number!r}")
        url = text_of(issue, "html_url", where)
        where = f"{where} (#{number})"
        state = text_of(issue, "state", where, required=True)
        if state not in ("open", "closed"):
            raise TrackerFormatError(f"{where}: state '{state}' is neither open nor closed")
        status = "canceled" if issue.get("state_reason") == "not_planned" else state
        labels = [text_of(lb, "name", where) for lb in issue.get("labels") or [] if isinstance(lb, dict)]
        milestone = text_of(issue, "milestone.title", where)
        items.append(TrackerItem(
            key=f"{_repo(url)}#{number}", title=text_of(issue, "title", where, required=True),  # type: ignore[arg-type]
            status=status, row=where, owner=text_of(issue, "assignee.login", where),
            start=parse_day(issue.get("created_at"), f"{where}: created_at"),
            end=parse_day(issue.get("closed_at"), f"{where}: closed_at"),
            groups=tuple(dict.fromkeys(g for g in (milestone, *labels) if g)), url=url))
    return items


def read_milestones(text: str, name: str = "milestones.json") -> list[TrackerItem]:
    """The milestones of ``gh api repos/OWNER/REPO/milestones`` output, with progress from their issue counts."""
    items = []
    for n, ms in enumerate(_pages(text, name, "milestones")):
        where = f"{name}: [{n}]"
        if not isinstance(ms, dict):
            raise TrackerFormatError(f"{where}: should be a milestone object")
        title = text_of(ms, "title", where, required=True)
        where = f"{where} ({title})"
        opened, closed = ms.get("open_issues"), ms.get("closed_issues")
        if not isinstance(opened, int) or not isinstance(closed, int) or opened < 0 or closed < 0:
            raise TrackerFormatError(f"{where}: open_issues and closed_issues should be whole numbers, 0 or more")
        url = text_of(ms, "html_url", where)
        state = text_of(ms, "state", where, required=True)
        items.append(TrackerItem(
            key=f"{_repo(url)}/milestone/{field_of(ms, 'number', where, required=True)}", title=title,  # type: ignore[arg-type]
            status=state, row=where, start=parse_day(ms.get("created_at"), f"{where}: created_at"),  # type: ignore[arg-type]
            end=parse_day(ms.get("due_on"), f"{where}: due_on"),
            progress=closed / (opened + closed) if opened + closed else None, groups=(title,), url=url))  # type: ignore[arg-type]
    return items
