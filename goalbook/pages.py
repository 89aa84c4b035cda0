"""What each review page shows, built in one place for the Voilà pages (``notebooks/review``) and for
``goalbook publish`` (static HTML), so the two cannot drift apart.

Each function takes a goalbook (or a workspace, for the changes page) and the page's parameters and
returns the page's widget tree: read-only views only, every user-written string escaped by the
widgets. A notebook displays the tree; :mod:`goalbook.publish` writes it out as static HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from goalbook.model import Goalbook
from goalbook.notebook import (
    Workspace,
    changes_since,
    choose_team,
    heading,
    notice,
    open_book,
    page_links,
    page_style,
    parse_query_date,
    table,
    today_from_env,
    wait_for_reader,
)
from goalbook.tables import teams as book_teams

__all__ = ["TeamSource", "agenda_page", "agenda_review", "alignment_page", "alignment_review", "changes_page",
           "changes_review",
           "dashboard_page", "dashboard_review", "open_team", "skip_slow_format_checks", "team_page", "team_review"]


def dashboard_page(book: Goalbook, *, today: date, period: str | None = None) -> widgets.Widget:
    """The company dashboard: every objective, key result, SMART goal and KPI of the period."""
    from goalbook.widgets.dashboard import Dashboard

    return Dashboard(book, period=period, today=today, readonly=True)


def team_page(book: Goalbook, requested: str | None, *, today: date, period: str | None = None,
              known: list[str] | None = None, href: Callable[[str], str] | None = None) -> widgets.Widget:
    """One team's dashboard (``requested``, default the first team) with links to every team's page.

    ``known`` is every team of the organisation when ``book`` holds only part of it (one team read
    from a store); ``href(team)`` is the link to a team's page (default ``?team=NAME``). A team that
    does not exist is named with the teams there are, instead of a dashboard.
    """
    from goalbook.widgets.dashboard import Dashboard

    known = book_teams(book) if known is None else known
    team, problem = choose_team(book, requested, known=known)
    links = page_links(known, "team", "Team pages:", href=href)
    if team is None:
        return widgets.VBox([page_style(), notice(problem), links])
    return widgets.VBox([Dashboard(book, team=team, period=period, today=today, readonly=True), links])


def alignment_page(book: Goalbook, *, today: date, filters: bool = True) -> widgets.Widget:
    """The alignment map of every goal; click a goal for its details.

    With its filters (team, level, status, period, orphans only, find a goal, around the selected
    goal), which only redraw the map from the goalbook in memory; ``filters=False`` for a static page,
    where nothing could redraw it."""
    skip_slow_format_checks()
    from goalbook.widgets.explorer import AlignmentExplorer

    return AlignmentExplorer(book, today=today, readonly=True, filters=filters)


SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)
"""Optional modules a review kernel never needs but would import on its way to plotly's ``FigureWidget``:
plotly's renderers import ``nbformat`` (for a version check), which imports ``jsonschema``, which
imports ``rfc3987_syntax`` when it is installed (``nbformat`` requires ``jsonschema[format-nongpl]``)
to check the ``iri`` format, and that compiles ~38 lark grammars at import: seconds in every fresh
kernel, most of an alignment page's load on a busy machine (python-jsonschema/jsonschema#1428)."""


def skip_slow_format_checks() -> None:
    """Let ``jsonschema`` go without the ``iri`` format check of :data:`SLOW_OPTIONAL_IMPORTS` in this
    kernel, by marking the module absent (``sys.modules[name] = None``: Python's documented way to make
    an import fail, which jsonschema expects of an optional module). Nothing in a page validates IRIs.
    A module already imported is left alone."""
    import sys

    for name in SLOW_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)


CHANGES_STYLE = (".goalbook-changes-goal .goalbook-view-table td:not(:first-child),"
                 ".goalbook-changes-imported .goalbook-view-table td:not(:first-child){white-space:normal}"
                 ".goalbook-changes-table{overflow-x:auto}"
                 ".goalbook-changes-imported summary{cursor:pointer;margin:6px 0}")
"""The changes page's own rules: cells wrap between words (a long title or field list, a phone), and a table
wider than the screen scrolls sideways rather than spilling over the page."""


def changes_page(ws: Workspace, since: date | None, *, today: date, problem: str = "") -> widgets.Widget:
    """What changed since ``since`` (default the last recorded review, else a week before ``today``),
    answering "what changed since our last review": people's changes grouped by goal, each goal's newest
    first, then history written by imports (a seeded example) folded away with its count. Every date
    is on the goalbook's clock (``today``), as on the other pages. ``problem`` is a message about the
    page's parameters (an unreadable ``?since=``), shown first."""
    changed = changes_since(ws, since, today=today)
    title = heading(f"{ws.book.organisation or 'Goals'}: what changed since {changed.since.isoformat()}")
    when = widgets.HTML(Markup('<div class="goalbook-muted">as of {} · {}</div>').format(today.isoformat(),
                                                                                         changed.window))
    notes = [notice(problem)] if problem else []
    imported = changed.imported if changed.imported is not None else changed.frame.iloc[0:0]
    if changed.frame.empty:
        empty = "Nothing changed in this window" + (" apart from the imported history below." if len(imported)
                                                    else ".")
        groups: list[widgets.Widget] = [table(changed.frame, empty=empty)]
    else:
        groups = [_goal_changes(gid, rows.drop(columns="goal"), (changed.titles or {}).get(gid))
                  for gid, rows in changed.frame.groupby("goal", sort=False)]
    folded = [_imported_history(imported, changed.imports or [])] if len(imported) else []
    style = widgets.HTML(Markup("<style>{}</style>").format(Markup(CHANGES_STYLE)),
                         layout=widgets.Layout(display="none"))
    return widgets.VBox([page_style(), style, title, when, *notes, notice(changed.note, "info"), *groups, *folded])


def _goal_changes(gid: str, rows: Any, about: tuple[str, str | None] | None) -> widgets.HTML:
    """One goal's changes: its id, title and owner, then its rows (escaped)."""
    name, owner = about if about is not None else ("(no longer in the goalbook)", None)
    head = Markup('<div class="goalbook-section-title"><strong>{}</strong> {}{}</div>').format(
        gid, name, Markup(' <span class="goalbook-muted">· owner {}</span>').format(owner) if owner else "")
    out = widgets.HTML(Markup('<div class="goalbook-changes-goal" data-id="{}">{}'
                              '<div class="goalbook-changes-table">{}</div></div>').format(
        gid, head, Markup(table(rows).value)))
    out.add_class("goalbook-changes-group")
    return out


def _imported_history(rows: Any, imports: list[str]) -> widgets.HTML:
    """History written by imports of whole goalbooks, folded (a ``<details>``: no script, also on a
    published page) behind a summary that counts it."""
    goals = rows["goal"].nunique()
    what = "; ".join(imports) or "imported"
    summary = (f"Imported history, folded: {len(rows)} change{'s' if len(rows) != 1 else ''} on "
               f"{goals} goal{'s' if goals != 1 else ''} ({what}). Open to list them.")
    out = widgets.HTML(Markup('<details class="goalbook-changes-imported"><summary>{}</summary>'
                              '<div class="goalbook-changes-table">{}</div></details>').format(
        summary, Markup(table(rows.drop(columns="when")).value)))  # every row has the import's time: in the summary
    out.add_class("goalbook-changes-imported-widget")
    return out


@dataclass
class TeamSource:
    """What a team page reads: the goalbook part it shows, every team there is, and the day."""

    book: Goalbook
    teams: list[str]
    today: date
    requested: str | None


def open_team(requested: str | None, source: Any = None, *, wait: bool = True) -> TeamSource:
    """Read what a team page needs. From a store (``GOALBOOK_STORE`` or ``source``), only the team's
    part of it (:meth:`goalbook.store.Store.load_team`) and the list of teams; from a file or the
    example, the whole goalbook. The store is opened read-only and closed again. Like :func:`open_book`,
    a preheated kernel first waits for its reader unless ``wait=False``."""
    from goalbook import runtime

    if source is None and wait:
        wait_for_reader()  # a preheated page reads the store as of its reader's request
    url = source if source is not None else runtime.review_store_url()
    text = "" if url is None else str(url)
    if url is None or ("://" not in text and (Path(text).is_dir() or Path(text).suffix.lower() in (".yaml", ".yml"))):
        ws = open_book(source, readonly=True, wait=wait)
        return TeamSource(ws.book, book_teams(ws.book), today_from_env(ws.book), requested)
    import goalbook

    with goalbook.open(url, readonly=True) as store:
        known = store.teams()
        today = today_from_env(latest=store.latest_check_in())
        team = requested if requested in known else (known[0] if requested is None and known else None)
        book = store.load_team(team, today=today) if team is not None else Goalbook()
    return TeamSource(book, known, today, requested)


def agenda_page(book: Goalbook, team: str | None, *, today: date, problem: str = "") -> widgets.Widget:
    """The check-in meeting's agenda (all teams, or ``team``), with the comments and approval state of each
    goal on it that has any, and links to each team's agenda. ``problem`` (a team that does not exist) is
    shown instead of the agenda."""
    from goalbook.widgets.agenda import AgendaView
    from goalbook.widgets.approvals import ApprovalThread

    other_teams = page_links(book_teams(book), "team", "Agenda for one team:")
    if problem:
        return widgets.VBox([page_style(), notice(problem), other_teams])
    agenda = AgendaView(book, today=today, team=team)
    on_agenda = list(dict.fromkeys(i.id for i in agenda.agenda.items))
    talked_about = [gid for gid in on_agenda
                    if any(c.target_id == gid for c in book.comments)
                    or any(a.target_id == gid for a in book.approvals)
                    or getattr(book.get(gid), "approval", "draft") == "in_review"]
    threads = [ApprovalThread(book, gid) for gid in talked_about]
    return widgets.VBox([page_style(), agenda, heading("Comments and approvals"), *threads, other_teams])


# --- the review pages as Voilà serves them (notebooks/review), each built from its URL's parameters ---------
# Each reads the review's goalbook now (GOALBOOK_STORE, else the example), without waiting for a reader:
# a goalbook.notebook.ReviewPage calls it ahead of the request and again only when something changed.

Query = Mapping[str, str | None]


def _read_book() -> Workspace:
    ws = open_book(readonly=True, wait=False)
    if ws.store is not None:
        ws.store.close()  # the pages below read everything they show from the book
    return ws


def dashboard_review(query: Query) -> widgets.Widget:
    """The company dashboard (``?period=``)."""
    book = _read_book().book
    return dashboard_page(book, today=today_from_env(book), period=query.get("period"))


def team_review(query: Query) -> widgets.Widget:
    """One team's page (``?team=``, ``?period=``), reading only that team's part of a store."""
    source = open_team(query.get("team"), wait=False)
    return team_page(source.book, source.requested, today=source.today, period=query.get("period"),
                     known=source.teams)


def changes_review(query: Query) -> widgets.Widget:
    """What changed (``?since=YYYY-MM-DD``)."""
    ws = open_book(readonly=True, wait=False)
    try:
        today = today_from_env(ws.book)
        since, problem = parse_query_date("since", query.get("since"))
        return changes_page(ws, since, today=today, problem=problem)
    finally:
        if ws.store is not None:
            ws.store.close()


def alignment_review(query: Query) -> widgets.Widget:
    """The alignment map of every goal, with its filters (no query parameters)."""
    book = _read_book().book
    return alignment_page(book, today=today_from_env(book))


def agenda_review(query: Query) -> widgets.Widget:
    """The check-in meeting's agenda (``?team=``)."""
    book = _read_book().book
    requested = query.get("team")
    team, problem = (None, "") if requested is None else choose_team(book, requested)
    return agenda_page(book, team, today=today_from_env(book), problem=problem)
