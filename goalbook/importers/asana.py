"""Asana: a project's CSV export (Project menu → Export/Print → CSV).

Columns: Task ID, Created At, Completed At, Last Modified, Name, Section/Column, Assignee,
Assignee Email, Start Date, Due Date, Tags, Notes, Projects, Parent task (and custom fields).
A task is done when ``Completed At`` is set; otherwise its status is its section (board column).
Tags and the section may name the goal it serves.
"""

from __future__ import annotations

from goalbook.importers import TrackerItem
from goalbook.importers._rows import csv_rows


def read_csv(text: str, name: str = "asana.csv") -> list[TrackerItem]:
    """The tasks of an Asana CSV export."""
    items = []
    for row in csv_rows(text, name, ("Task ID", "Name", "Completed At"), "Asana"):
        completed = row.day("Completed At")
        section = row.get("Section/Column") or row.get("Section")  # older exports say "Section"
        status = "Completed" if completed else (row.get("Status") or section or "To do")
        tags = [t.strip() for v in row.all("Tags") for t in v.split(",") if t.strip()]
        groups = tags + ([section] if section else []) + [row.get("Parent task") or ""]
        items.append(TrackerItem(
            key=row.need("Task ID"), title=row.need("Name"), status=status, row=row.where,
            owner=row.get("Assignee"), start=row.day("Start Date") or row.day("Created At"),
            end=row.day("Due Date"), groups=tuple(g for g in dict.fromkeys(groups) if g)))
    return items
