"""Linear: the workspace CSV export (Settings → Import/Export → Export CSV).

Columns: ID, Team, Title, Description, Status, Estimate, Priority, Project ID, Project, Creator,
Assignee, Labels, Cycle Number, Cycle Name, Cycle Start, Cycle End, Created, Updated, Started,
Triaged, Completed, Canceled, Archived, Due Date, Parent issue, Initiatives, Project Milestone ID,
Project Milestone, SLA Status, Roadmaps. The project, its milestone, the initiatives and the
labels (comma-separated) may name the goal an issue serves.
"""

from __future__ import annotations

from goalbook.importers import TrackerItem
from goalbook.importers._rows import csv_rows


def read_csv(text: str, name: str = "linear.csv") -> list[TrackerItem]:
    """The issues of a Linear CSV export."""
    items = []
    for row in csv_rows(text, name, ("ID", "Title", "Status"), "Linear"):
        labels = [t.strip() for v in row.all("Labels") for t in v.split(",") if t.strip()]
        groups = [row.get("Project Milestone"), row.get("Project"), *(row.get("Initiatives") or "").split(","),
                  *labels]
        items.append(TrackerItem(
            key=row.need("ID"), title=row.need("Title"), status=row.need("Status"), row=row.where,
            owner=row.get("Assignee"), start=row.day("Started") or row.day("Created"), end=row.day("Due Date"),
            groups=tuple(dict.fromkeys(g.strip() for g in groups if g and g.strip()))))
    return items
