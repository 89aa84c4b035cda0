"""Jira: the issue navigator's CSV export and the REST API's search JSON (``/rest/api/2|3/search``).

CSV columns as Jira Cloud writes them ("Issue key, Issue id, Summary, Issue Type, Status, ...,
Assignee, ..., Created, Updated, ..., Resolved, Due Date, Sprint, Parent, Parent summary, Labels",
with one ``Labels`` column per label); dates like ``07/Jan/27 10:15 AM``. The epic an issue belongs
to is its ``Parent summary`` (team-managed projects and Cloud since 2023) or the older
``Custom field (Epic Link)``. The JSON is the search response: ``{"issues": [{"key", "fields":
{"summary", "status": {"name"}, "assignee": {"displayName"}, "labels", "parent", "duedate",
"created", ...}}]}``.
"""

from __future__ import annotations

from goalbook.importers import TrackerFormatError, TrackerItem
from goalbook.importers._rows import csv_rows, field_of, json_document, parse_day, text_of

_EPIC_COLUMNS = ("Parent summary", "Custom field (Epic Link)", "Epic Link", "Custom field (Epic Name)")


def read_csv(text: str, name: str = "jira.csv") -> list[TrackerItem]:
    """The issues of a Jira CSV export."""
    items = []
    for row in csv_rows(text, name, ("Issue key", "Summary", "Status"), "Jira"):
        groups = [g for c in _EPIC_COLUMNS for g in row.all(c)] + row.all("Labels")
        items.append(TrackerItem(
            key=row.need("Issue key"), title=row.need("Summary"), status=row.need("Status"), row=row.where,
            owner=row.get("Assignee"), start=row.day("Created", dayfirst=True), end=row.day("Due Date", dayfirst=True),
            groups=tuple(dict.fromkeys(groups))))
    return items


def read_json(text: str, name: str = "jira.json") -> list[TrackerItem]:
    """The issues of a Jira REST search response."""
    doc = json_document(text, name, "Jira search")
    issues = doc.get("issues") if isinstance(doc, dict) else None
    if not isinstance(issues, list):
        raise TrackerFormatError(f"{name}: no 'issues' list — expected the JSON of Jira's /rest/api/3/search")
    items = []
    for n, issue in enumerate(issues):
        where = f"{name}: issues[{n}]"
        if not isinstance(issue, dict):
            raise TrackerFormatError(f"{where}: should be an object with 'key' and 'fields'")
        key = text_of(issue, "key", where, required=True)
        where = f"{where} ({key})"
        labels = field_of(issue, "fields.labels", where) or []
        if not isinstance(labels, list):
            raise TrackerFormatError(f"{where}: 'fields.labels' should be a list")
        parent = text_of(issue, "fields.parent.fields.summary", where)
        groups = [g for g in (parent, *labels) if isinstance(g, str) and g.strip()]
        items.append(TrackerItem(
            key=key, title=text_of(issue, "fields.summary", where, required=True),  # type: ignore[arg-type]
            status=text_of(issue, "fields.status.name", where, required=True), row=where,  # type: ignore[arg-type]
            owner=text_of(issue, "fields.assignee.displayName", where),
            start=parse_day(field_of(issue, "fields.created", where), f"{where}: fields.created"),
            end=parse_day(field_of(issue, "fields.duedate", where), f"{where}: fields.duedate"),
            groups=tuple(dict.fromkeys(groups)), url=text_of(issue, "self", where)))
    return items
