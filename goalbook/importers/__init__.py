"""Initiatives from the trackers where the work lives: Jira, Asana, Trello, GitHub and Linear exports.

Each tracker has a reader module here that turns one export into :class:`TrackerItem` rows, and
nothing else: it knows the export's columns and date formats, and rejects a malformed export with
:class:`TrackerFormatError` naming the file and the row. :func:`import_items` then applies the
rows to a goalbook, the same way for every tracker:

- **stage and progress** come from the item's status through a mapping (:data:`DEFAULT_STATUSES`,
  overridable per status); a progress the export states itself (a Trello checklist, a GitHub
  milestone's closed issues) wins over the status's default;
- **the goal it serves** comes from its epic, labels, milestone or project: an explicit
  ``goals`` mapping first, then a goal id written in that text ("CO-1.KR2 online bookings"), then
  an objective or key result whose title is exactly that text;
- **re-import is idempotent, keyed by the tracker's key**: an initiative with the same
  ``external_ref`` (and the same ``tracker``, or none yet) is updated in place, never duplicated;
  whenever its status or progress changes a check-in records the change (author
  ``import:<tracker>``), so the history stays, and an unchanged re-import adds nothing.

Pure: readers take text, :func:`import_items` takes and returns a :class:`~goalbook.model.Goalbook`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from goalbook.display import pct as _pct
from goalbook.errors import GoalbookError
from goalbook.model import INITIATIVE_STATUSES, CheckIn, Goalbook, Initiative, Link

TRACKERS = ("jira", "asana", "trello", "github", "linear")


class TrackerFormatError(GoalbookError):
    """An export that cannot be read: the message names the file, the row and what is wrong."""


@dataclass(frozen=True, slots=True)
class TrackerItem:
    """One issue, task or card as an export gives it, before goalbook maps it."""

    key: str  # the tracker's own key: WEB-123, a task id, a card's short link, owner/repo#12
    title: str
    status: str  # as the tracker names it: "In Progress", "Done", a Trello list, "closed"
    row: str  # where it is in the export, for messages: "row 4", "issues[2]"
    owner: str | None = None
    start: date | None = None
    end: date | None = None
    progress: float | None = None  # 0..1 when the export says it (checklists, milestone counts)
    groups: tuple[str, ...] = ()  # epic, labels, milestone, project: what it may serve
    url: str | None = None


# status (lower case) -> (stage, progress). Names from the trackers' default workflows.
DEFAULT_STATUSES: dict[str, tuple[str, float]] = {
    # shared and Jira
    "backlog": ("candidate", 0.0), "idea": ("candidate", 0.0), "triage": ("candidate", 0.0),
    "to do": ("approved", 0.0), "todo": ("approved", 0.0), "open": ("approved", 0.0),
    "selected for development": ("approved", 0.0), "ready": ("approved", 0.0), "planned": ("approved", 0.0),
    "in progress": ("active", 0.5), "doing": ("active", 0.5), "started": ("active", 0.5),
    "in review": ("active", 0.8), "code review": ("active", 0.8), "review": ("active", 0.8),
    "in qa": ("active", 0.9), "testing": ("active", 0.9), "blocked": ("active", 0.5),
    "done": ("done", 1.0), "closed": ("done", 1.0), "resolved": ("done", 1.0), "complete": ("done", 1.0),
    "completed": ("done", 1.0), "shipped": ("done", 1.0),
    # Linear's canceled and duplicate states end the work without finishing it
    "canceled": ("done", 0.0), "cancelled": ("done", 0.0), "duplicate": ("done", 0.0),
}


@dataclass
class ImportSummary:
    """What an import changed, in words a person can check."""

    tracker: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    check_ins: int = 0
    unmapped: list[str] = field(default_factory=list)  # items whose group served no known goal
    unknown_statuses: dict[str, str] = field(default_factory=dict)  # item key -> status not in the mapping

    def __str__(self) -> str:
        parts = [f"{len(self.created)} new", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged",
                 f"{len(self.links)} new links", f"{self.check_ins} check-ins"]
        out = f"{self.tracker}: " + ", ".join(parts)
        if self.unknown_statuses:
            out += ("; statuses not in the mapping (kept as active, progress unknown): "
                    + ", ".join(f"{k} '{s}'" for k, s in sorted(self.unknown_statuses.items())))
        if self.unmapped:
            out += f"; serving no known goal: {', '.join(self.unmapped)}"
        return out


def parse_status_mapping(items: Iterable[str]) -> dict[str, tuple[str, float]]:
    """``"In QA=active:0.9"`` strings (from the command line) as a mapping; a bad one raises naming it."""
    out: dict[str, tuple[str, float]] = {}
    for text in items:
        name, sep, value = text.partition("=")
        stage, _, progress = value.partition(":")
        stage = stage.strip()
        try:
            share = float(progress) if progress.strip() else {"done": 1.0}.get(stage, 0.0)
        except ValueError:
            share = -1.0
        if not sep or not name.strip() or stage not in INITIATIVE_STATUSES or not 0 <= share <= 1:
            raise GoalbookError(f"status mapping '{text}': write STATUS=STAGE[:PROGRESS], STAGE one of "
                                f"{', '.join(INITIATIVE_STATUSES)} and PROGRESS 0-1, e.g. 'In QA=active:0.9'")
        out[name.strip().lower()] = (stage, share)
    return out


def parse_goal_mapping(items: Iterable[str]) -> dict[str, str]:
    """``"Epic name=CO-1.KR2"`` strings as a mapping from an epic, label or milestone to a goal id."""
    out: dict[str, str] = {}
    for text in items:
        name, sep, goal = text.rpartition("=")
        if not sep or not name.strip() or not goal.strip():
            raise GoalbookError(f"goal mapping '{text}': write GROUP=GOAL_ID, e.g. 'Online booking=CO-1.KR2'")
        out[name.strip().lower()] = goal.strip()
    return out


def read_mapping(text: str, name: str) -> tuple[dict[str, tuple[str, float]], dict[str, str]]:
    """A mapping file for repeated imports: ``statuses: {"In QA": "active:0.9"}`` and
    ``goals: {"Booking revamp": CO-1.KR2}``; anything else is an error naming the file."""
    import yaml

    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GoalbookError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict) or set(doc) - {"statuses", "goals"}:
        raise GoalbookError(f"{name}: a mapping file has only 'statuses' and 'goals', each a mapping")
    parts = {}
    for key in ("statuses", "goals"):
        part = doc.get(key) or {}
        if not isinstance(part, dict):
            raise GoalbookError(f"{name}: '{key}' should map names to values, e.g. "
                                + ('"In QA": active:0.9' if key == "statuses" else '"Booking revamp": CO-1.KR2'))
        parts[key] = [f"{k}={v}" for k, v in part.items()]
    try:
        return parse_status_mapping(parts["statuses"]), parse_goal_mapping(parts["goals"])
    except GoalbookError as exc:
        raise GoalbookError(f"{name}: {exc}") from None


def _goal_for(book: Goalbook, group: str, goals: Mapping[str, str], ids: re.Pattern[str] | None,
              titles: Mapping[str, str]) -> str | None:
    g = group.strip()
    if g.lower() in goals:
        return goals[g.lower()]
    if ids is not None:
        m = ids.search(g)
        if m:
            return m.group(0)
    return titles.get(g.lower())


def _initiative_id(book: Goalbook, tracker: str, key: str, taken: set[str]) -> str:
    """A readable id for a new initiative: the tracker's key, prefixed, made unique."""
    base = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{tracker.upper()}-{key}").strip("-")
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    return out


def import_items(book: Goalbook, items: list[TrackerItem], tracker: str, *, today: date,
                 statuses: Mapping[str, tuple[str, float]] | None = None,
                 goals: Mapping[str, str] | None = None) -> tuple[Goalbook, ImportSummary]:
    """``book`` with ``items`` applied as initiatives (a new Goalbook; ``book`` is not changed).

    ``statuses`` adds to or overrides :data:`DEFAULT_STATUSES` (keys in lower case); ``goals`` maps
    an epic, label, milestone or project name (lower case) to the id of the goal it serves.
    """
    if tracker not in TRACKERS:
        raise GoalbookError(f"tracker '{tracker}' is not one of {', '.join(TRACKERS)}")
    status_map = {**DEFAULT_STATUSES, **{k.lower(): v for k, v in (statuses or {}).items()}}
    goal_map = {k.lower(): v for k, v in (goals or {}).items()}
    for name, gid in goal_map.items():
        if gid not in book:
            raise GoalbookError(f"goal mapping '{name}={gid}': the goalbook has no goal '{gid}'")
    known = sorted((g.id for g in book.iter_goals() if g.kind in ("objective", "key_result", "smart_goal")),
                   key=len, reverse=True)
    ids = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(i) for i in known) + r")(?![\w.-])") if known else None
    titles = {o.title.strip().lower(): o.id for o in book.objectives}
    titles.update({kr.title.strip().lower(): kr.id for kr in book.key_results})

    summary = ImportSummary(tracker)
    initiatives = list(book.initiatives)
    by_ref = {(i.tracker, i.external_ref): n for n, i in enumerate(initiatives) if i.external_ref}
    taken = {g.id for g in book.iter_goals()}
    links = list(book.links)
    link_pairs = {(lk.source, lk.target) for lk in links}
    check_ins = list(book.check_ins)
    seen: set[str] = set()
    for item in items:
        if item.key in seen:
            raise TrackerFormatError(f"{item.row}: key '{item.key}' appears twice in the export")
        seen.add(item.key)
        mapped = status_map.get(item.status.strip().lower())
        if mapped is None:
            summary.unknown_statuses[item.key] = item.status
            stage, progress = "active", item.progress
        else:
            stage, progress = mapped[0], item.progress if item.progress is not None else mapped[1]
        if stage == "done" and mapped is not None and mapped[1] == 1.0:
            progress = 1.0
        n = by_ref.get((tracker, item.key), by_ref.get((None, item.key)))
        old = initiatives[n] if n is not None else None
        fields = dict(title=item.title, status=stage, progress=progress, external_ref=item.key, tracker=tracker,
                      owner=item.owner or (old.owner if old else None),
                      start=item.start or (old.start if old else None), end=item.end or (old.end if old else None))
        if old is None:
            new = Initiative(_initiative_id(book, tracker, item.key, taken), **fields)
            taken.add(new.id)
            initiatives.append(new)
            by_ref[(tracker, item.key)] = len(initiatives) - 1
            summary.created.append(new.id)
        else:
            new = replace(old, **fields)
            initiatives[n] = new  # type: ignore[index]
            (summary.updated if new != old else summary.unchanged).append(new.id)
        if old is None or (old.status, old.progress) != (new.status, new.progress):
            was = f"{old.status} {_pct(old.progress)}" if old else "new"
            check_ins.append(CheckIn(new.id, today, value=progress, status="done" if stage == "done" else None,
                                     wins=f"{tracker} status '{item.status}' ({was} → {stage} {_pct(progress)})",
                                     author=f"import:{tracker}"))
            summary.check_ins += 1
        served = [g for g in (_goal_for(book, grp, goal_map, ids, titles) for grp in item.groups) if g]
        if item.groups and not served:
            summary.unmapped.append(item.key)
        for target in dict.fromkeys(served):
            if (new.id, target) not in link_pairs:
                links.append(Link(new.id, target))
                link_pairs.add((new.id, target))
                summary.links.append((new.id, target))
    out = replace(book, initiatives=initiatives, links=links, check_ins=check_ins)
    out.reindex()
    return out, summary
