"""What the workshop notebooks and the review pages share: where the goalbook comes from, which day
it is, the page's URL parameters, and showing a table or a notice safely.

One notebook serves a workshop in JupyterLab (editing the example, a YAML file or a store) and a
review page in Voilà (reading the store named by ``GOALBOOK_STORE``, read-only at the database
level). :func:`open_book` makes that choice from :mod:`goalbook.runtime`, so a notebook never
parses the environment itself, and a review page cannot be made writable from its code.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import ipywidgets as widgets
import pandas as pd

from goalbook import runtime
from goalbook.errors import GoalbookError
from goalbook.lint import Finding
from goalbook.lint.summary import summary as lint_summary
from goalbook.model import Goalbook
from goalbook.tables import teams
from goalbook.values import pct as _pct
from goalbook.values import value as _num
from goalbook.workspace import Workspace

__all__ = [
    "CHANGES_COLUMNS", "Changed", "ReviewPage", "Workspace", "changes_since", "choose_team", "close_tree",
    "findings_frame", "goal_verdicts", "heading", "lint_summary", "notice", "open_book", "page_links",
    "page_style", "parse_query_date", "query_date", "query_param", "smart_verdicts", "source_stamp", "table",
    "today_from_env", "wait_for_reader", "waiting_for_reader",
]

TODAY_ENV = "GOALBOOK_TODAY"
"""An ISO date (``2027-02-26``) that review pages take as today instead of the real date."""

_YAML = (".yaml", ".yml")
FINDING_COLUMNS = ("code", "severity", "entity", "message", "suggestion")
CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
SMART_COLUMNS = ("statement", "score", *CRITERIA, "advice")


PREHEAT_MODULES = ("goalbook.widgets.dashboard", "goalbook.widgets.explorer", "goalbook.widgets.agenda",
                   "goalbook.widgets.approvals", "goalbook.pages", "goalbook.store", "plotly.graph_objects")
"""What the review pages build with, imported by a preheated kernel while it waits for its reader."""


_claimed = False
"""Whether this kernel's reader has arrived. Not ``QUERY_STRING``: Voilà refills a pool with the
environment of the request that emptied it, so a fresh pooled kernel may already carry the last
reader's query string, and skipping the wait would read the store before its own reader asks."""


def wait_for_reader() -> None:
    """In a preheated Voilà kernel, wait until a reader's request claims it; elsewhere return at once.

    Voilà runs a review notebook in pooled kernels before anyone asks for the page. Everything done
    before this returns is done ahead of the request, so it must not depend on the request or on the
    goalbook's contents: the modules the pages use are imported here first; the URL's query string
    (``QUERY_STRING``) arrives only with the request, and a store read before it would show a reader
    the store as it was when the pool filled. :func:`open_book` and :func:`query_param` call this, so
    a page reads its parameters and its store as of its own load.
    """
    global _claimed
    if os.environ.get("VOILA_PREHEAT") != "True" or _claimed:
        return
    import importlib

    for module in PREHEAT_MODULES:
        importlib.import_module(module)
    from voila.utils import wait_for_request

    wait_for_request()
    _claimed = True


def waiting_for_reader() -> bool:
    """Whether this is a preheated Voilà kernel whose reader has not arrived yet."""
    return os.environ.get("VOILA_PREHEAT") == "True" and not _claimed


def source_stamp(source: str | os.PathLike[str] | None) -> Hashable:
    """What changes whenever the goalbook at ``source`` does, read cheaply: the store's
    :meth:`~goalbook.store.Store.stamp` (one query), each YAML file's size and modification time, or a
    constant for the example goalbook (``None``), which never changes."""
    if source is None:
        return "the example goalbook"
    text = os.fspath(source)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.is_dir() or path.suffix.lower() in _YAML:
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            return tuple((str(p), st.st_mtime_ns, st.st_size) for p in files for st in [p.stat()])
    import goalbook

    with goalbook.open(text, readonly=True) as store:
        return store.stamp()


class ReviewPage:
    """A review page built before its reader arrives, and brought up to date when they do.

    In a preheated Voilà kernel the notebook builds the page for the likeliest request ahead of time:
    the query of the request that emptied the pool, which Voilà passes to the kernel that refills it as
    ``VOILA_REQUEST_URL`` (the last reader's query), or none on the pool's first fill. The
    notebook displays :attr:`view` at once; a later cell calls :meth:`claim`, which waits for the reader
    and compares what the page was built from (the goalbook's :func:`source_stamp`, the day, the
    page's query parameters ``params``) with what it is now: unchanged, the page is shown as built;
    changed in any way, it is built again, so a reader always sees the goalbook as of their own
    request. Outside a preheated kernel the page is built once, for the request, and :meth:`claim`
    does nothing.

    ``build(query)`` returns the page's widget for ``query`` (each of ``params`` to its value, ``None``
    when absent); it reads the goalbook itself (:func:`open_book` with ``wait=False``).
    """

    def __init__(self, build: Callable[[Mapping[str, str | None]], widgets.Widget], *,
                 params: tuple[str, ...] = ()) -> None:
        self.params = params
        self.builds = 0
        """How many times the page was built (1 when a preheated page was still fresh for its reader)."""
        self._build = build
        self._built_from: Hashable = None
        self.view = widgets.VBox()
        self.view.add_class("goalbook-review-page")
        self._show(self._query())

    def claim(self) -> None:
        """Wait for this kernel's reader (only in a preheated kernel), then rebuild the page unless the
        goalbook, the day and the page's query parameters are still what it was built from."""
        if not waiting_for_reader():
            return
        wait_for_reader()
        query = self._query()
        if self._state(query) != self._built_from:
            self._show(query)

    def _query(self) -> dict[str, str | None]:
        if waiting_for_reader():
            # a guess: a refilled pool kernel carries the URL of the request that emptied the pool
            params = runtime.query_params({"QUERY_STRING": urlsplit(os.environ.get("VOILA_REQUEST_URL", "")).query})
        else:
            params = runtime.query_params()
        return {name: params.get(name, "").strip() or None for name in self.params}

    def _state(self, query: Mapping[str, str | None]) -> Hashable:
        return (source_stamp(runtime.review_store_url()), date.today(), os.environ.get(TODAY_ENV, ""),
                tuple(sorted(query.items())))

    def _show(self, query: Mapping[str, str | None]) -> None:
        state = self._state(query)  # before reading: a write in between shows as a changed stamp later
        page = self._build(query)
        old = self.view.children
        self.view.children = (page,)
        self._built_from = state
        self.builds += 1
        for widget in old:
            close_tree(widget)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and every widget it holds (children, layout, style): a page replaced before its
    reader's browser connects must leave no model behind, or the browser would fetch and build them all."""
    seen: set[int] = set()
    todo = [widget]
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        for name in w.keys:
            value = getattr(w, name, None)
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, widgets.Widget):
                    todo.append(item)
        w.close()


def open_book(source: str | os.PathLike[str] | Any = None, *, readonly: bool | None = None,
              env: Mapping[str, str] | None = None, wait: bool = True) -> Workspace:
    """Open the goalbook a notebook works on.

    ``source`` is a YAML file or folder, a store path or ``postgresql://`` URL, or an open store;
    ``None`` means the store named by ``GOALBOOK_STORE`` when it is set, else the example goalbook
    (Northwind Clinics) in memory. ``readonly=None`` follows :func:`goalbook.runtime.review_mode`.
    A review page (Voilà, or ``GOALBOOK_READONLY=1``) is read-only whatever ``readonly`` says: the
    store is opened read-only at the database level and no widget gets anywhere to save.

    In a preheated Voilà kernel this first waits for the page's reader, so that it reads the goalbook
    as of their request; ``wait=False`` reads it at once, for a :class:`ReviewPage` built ahead, which
    checks after the request that what it read is still current.
    """
    if env is None and wait:
        wait_for_reader()  # a preheated review page reads the store as of its reader's request, not before
    readonly = runtime.review_mode(env) or bool(readonly)  # a review page is never writable, whatever it asks
    if source is None:
        source = runtime.review_store_url(env)
    if source is None:
        from goalbook.examples import load_example

        return Workspace(load_example(), "the example goalbook (Northwind Clinics), in memory", readonly)
    if hasattr(source, "load") and hasattr(source, "url"):
        if readonly and not getattr(source, "readonly", False):
            raise GoalbookError(f"{source.url} is open for writing; a read-only notebook opens the store itself "
                                "with goalbook.open(url, readonly=True): pass the URL or path instead")
        return Workspace(source.load(), f"the store {source.url}", readonly, store=source)
    text = os.fspath(source)
    if "://" not in text:
        path = Path(text).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no goalbook at {path}: give a YAML file or folder, a store file or a store URL")
        if path.is_dir() or path.suffix.lower() in _YAML:
            from goalbook.io import load_goalbook

            return Workspace(load_goalbook(path), f"the file {path}", readonly, path=None if readonly else path)
    import goalbook

    store = goalbook.open(text, readonly=readonly)
    try:
        book = store.load()
    except BaseException:
        store.close()
        raise
    return Workspace(book, f"the store {store.url}", readonly, store=store)


def today_from_env(book: Goalbook | None = None, *, env: Mapping[str, str] | None = None,
                   latest: date | None = None) -> date:
    """The day a review page reports as of.

    ``GOALBOOK_TODAY`` (an ISO date) when set; else the real date, moved forward to the latest
    check-in when ``book`` has check-ins dated later — the example goalbook and stores seeded from
    it are dated ahead of the calendar, and a page dated before its own data would show none of it.
    ``latest`` is that latest check-in's date when the page holds only part of the goalbook.
    """
    raw = (os.environ if env is None else env).get(TODAY_ENV, "").strip()
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise GoalbookError(f"{TODAY_ENV}={raw!r} is not a date: write it as YYYY-MM-DD") from None
    today = date.today()
    if book is not None:
        latest = max((c.date for c in book.check_ins), default=None)
    return latest if latest is not None and latest > today else today


CHANGES_COLUMNS = ("goal", "change", "what", "by", "when")
"""The columns of a changes table: the goal a change is about, then what, who and when (the goalbook's clock)."""


@dataclass
class Changed:
    """What changed in a window, ready to show a reader (it names no file or store).

    ``frame`` holds people's changes with :data:`CHANGES_COLUMNS`, grouped by goal (the goal changed most
    recently first) and newest first inside a goal; ``imported`` the rows written by imports of whole
    goalbooks (a seeded example, ``goalbook import``), same columns, for a page to fold away. ``since``
    is the window's first day and ``today`` its last, both on the goalbook's clock; ``window`` says in
    words where the window comes from, ``note`` what the rows are and which clock they are on, and
    ``imports`` each import of the window in words. ``titles`` gives each goal's title and owner.
    """

    frame: pd.DataFrame
    since: date
    note: str
    today: date | None = None
    window: str = ""
    imported: pd.DataFrame | None = None
    imports: list[str] | None = None
    titles: dict[str, tuple[str, str | None]] | None = None


def changes_since(ws: Workspace, since: date | datetime | None = None, *, today: date, days: int = 7,
                  now: datetime | None = None) -> Changed:
    """What changed since ``since`` (a day on the goalbook's clock, counted from its start), as of ``today``.

    Without ``since`` the window starts at the last review recorded in the store
    (:meth:`goalbook.store.Store.record_review`), else ``days`` before ``today``.

    With a store the rows are the store's history (:meth:`Store.diff`). The store stamps each change
    with the real time (``now``, default the clock of this machine), while every page reports as of
    ``today``, the goalbook's day, which runs ahead of the calendar for the example and stores seeded
    from it (see :func:`today_from_env`). So that a page has one clock, each recorded time is shown on
    the goalbook's clock: moved by the days ``today`` is ahead, so a change recorded today shows as
    ``today``; the note says so. A YAML file or the example keeps no history of edits, so there the
    rows are the check-ins dated in the window, with how each moved its goal.
    """
    from goalbook.review_analysis import changes_frame, movement, version_rows

    book = ws.book
    if isinstance(since, datetime):
        since = since.date()
    if ws.store is None:
        start = min(since or today - timedelta(days=days), today)
        moved = movement(book, since=start, today=today)
        rows = [(r.id, "check-in", _moved(r), r.author, r.date.isoformat())
                for r in moved.sort_values("date", ascending=False, kind="stable").itertuples(index=False)]
        frame = _by_goal(pd.DataFrame(rows, columns=list(CHANGES_COLUMNS)), [r[-1] for r in rows])
        return Changed(frame, start, "This goalbook is not in a goal store, so no history of edits is kept: shown "
                       f"are the check-ins dated after {start.isoformat()} up to {today.isoformat()}.", today,
                       f"since {start.isoformat()}" if since else f"the last {days} days",
                       frame.iloc[0:0], [], _titles(book))
    now = now or datetime.now(UTC)
    ahead = today - now.astimezone(UTC).date()
    reviews = ws.store.reviews() if since is None else []
    if since is not None:
        start, window = since, f"since {since.isoformat()}"
        threshold = datetime.combine(since - ahead, time(), UTC)
    elif reviews:
        last = reviews[-1]
        start, threshold = last.as_of, last.at
        window = f"since the last review, as of {last.as_of.isoformat()} (recorded by {last.by or 'someone unnamed'})"
    else:
        start = today - timedelta(days=days)
        window = f"the last {days} days: no review is recorded yet (goalbook reviewed STORE records one)"
        threshold = datetime.combine(start - ahead, time(), UTC)
    changes = ws.store.diff(threshold)
    batches = {at for _, at in changes.imports}
    raw = changes_frame(changes)
    # a goal a person touched after an import: each of its versions in the window, so the import's part
    # folds away and the person's edit shows as what it was (changed, approved), not as "added" by them
    retold = [g.id for g in (*changes.added, *changes.removed) if changes.authors.get(g.id, (None, None))[1]
              not in batches] + [c.id for c in changes.changed if c.at not in batches]
    if retold:
        versions = [v for gid in retold for v in ws.store.history(gid) if v.at > threshold]
        goal_rows = raw["change"].isin(("added", "changed", "removed")) & raw["id"].isin(retold)
        raw = pd.concat([raw[~goal_rows], pd.DataFrame(version_rows(versions), columns=raw.columns)],
                        ignore_index=True)
    # links: each event a person made, which the net change would cancel out (an imported link removed)
    net_links = raw["change"].isin(("link added", "link removed")) & ~raw["at"].isin(batches)
    people_links = [("link added" if added else "link removed", lk.source,
                     f"{'' if added else 'no longer '}{lk.kind} {lk.target}", by, at)
                    for added, lk, by, at in changes.link_events if at not in batches]
    raw = pd.concat([raw[~net_links], pd.DataFrame(people_links, columns=raw.columns)], ignore_index=True)
    recorded = [at if isinstance(at, datetime) and at.tzinfo is not None else None for at in raw["at"]]
    shown = pd.DataFrame({"goal": raw["id"], "change": raw["change"], "what": raw["what"], "by": raw["by"],
                          "when": [_on_book_clock(at, ahead) for at in raw["at"]]}, columns=list(CHANGES_COLUMNS))
    seeded = [at in batches for at in recorded]
    keys = [at.timestamp() if at is not None else 0.0 for at in recorded]
    people = _by_goal(shown[[not s for s in seeded]], [k for k, s in zip(keys, seeded, strict=True) if not s])
    imported = _by_goal(shown[seeded], [k for k, s in zip(keys, seeded, strict=True) if s])
    imports = [f"a whole goalbook imported {_on_book_clock(at, ahead)} by {by or 'someone unnamed'}"
               for by, at in changes.imports]
    if ahead.days:
        clock = (f"Times are on this goalbook's clock: it is {today.isoformat()} here, {_days(ahead.days)} "
                 f"{'ahead of' if ahead.days > 0 else 'behind'} the calendar, so a change recorded today shows as "
                 f"{today.isoformat()} (UTC hours).")
    else:
        clock = "Times are when each change was recorded, in UTC."
    note = f"Changes recorded in the goal store, grouped by goal, newest first. {clock} A check-in also says the " \
           "day it reports on."
    return Changed(people, start, note, today, window, imported, imports, _titles(book))


def _days(n: int) -> str:
    return f"{abs(n)} day{'s' if abs(n) != 1 else ''}"


def _on_book_clock(at: Any, ahead: timedelta) -> str | None:
    """A recorded instant as the page shows it: in UTC, moved onto the goalbook's clock (``ahead``); a
    comment's time written without a zone is shown as written, since it is not known to be UTC."""
    if at is None or pd.isna(at):
        return None
    if at.tzinfo is None:
        return at.strftime("%Y-%m-%d %H:%M")
    shifted = at.astimezone(UTC) + ahead
    return shifted.strftime("%Y-%m-%d %H:%M") + ("" if ahead else " UTC")


def _by_goal(frame: pd.DataFrame, keys: list[Any]) -> pd.DataFrame:
    """Rows grouped by goal, the goal changed most recently first, newest first inside a goal (``keys``
    are the rows' instants, sortable; ties keep the order given)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    out = frame.assign(_key=keys)
    out["_latest"] = out.groupby("goal", sort=False)["_key"].transform("max")
    out = out.sort_values(["_latest", "goal", "_key"], ascending=[False, True, False], kind="stable")
    return out.drop(columns=["_key", "_latest"]).reset_index(drop=True)


def _titles(book: Goalbook) -> dict[str, tuple[str, str | None]]:
    return {g.id: (g.title, g.owner) for g in book.iter_goals()}


def _given(x: Any) -> bool:
    return x is not None and not (isinstance(x, float) and pd.isna(x)) and x != ""


def _moved(r: Any) -> str:
    parts = [f"value {_num(r.value)}", f"progress {_pct(r.progress_before)} → {_pct(r.progress)}",
             f"confidence {_num(r.confidence_before)} → {_num(r.confidence)}"]
    if _given(r.status):
        parts.append(str(r.status).replace("_", " "))
    if _given(r.blockers):
        parts.append(f"blocked: {r.blockers}")
    return "; ".join(parts)


def heading(text: str) -> widgets.HTML:
    """A page heading; ``text`` is escaped."""
    out = widgets.HTML(f'<div class="goalbook-view-header">{html.escape(text)}</div>')
    out.add_class("goalbook-heading")
    return out


def query_param(name: str, default: str | None = None, *, env: Mapping[str, str] | None = None) -> str | None:
    """The value of ``?name=`` in the page's URL (Voilà), ``default`` when absent or blank.

    Voilà puts the query string in the kernel's ``QUERY_STRING``; a preheated kernel gets it only
    once a page claims it, so this waits for that first. The value is whatever someone typed in an
    address bar: untrusted text, to be escaped before it goes into HTML.
    """
    if env is None:
        wait_for_reader()
    value = runtime.query_params(env).get(name, "").strip()
    return value or default


def query_date(name: str, default: date | None = None, *,
               env: Mapping[str, str] | None = None) -> tuple[date | None, str]:
    """``?name=YYYY-MM-DD`` as a date; ``default`` when absent, or when unreadable together with a message
    saying the value was ignored."""
    return parse_query_date(name, query_param(name, env=env), default)


def parse_query_date(name: str, raw: str | None, default: date | None = None) -> tuple[date | None, str]:
    """The value ``raw`` of ``?name=`` read as :func:`query_date` reads it."""
    if raw is None:
        return default, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return default, f"?{name}={raw} is not a date and was ignored: write it as ?{name}=YYYY-MM-DD."


def choose_team(book: Goalbook, requested: str | None, *, known: list[str] | None = None) -> tuple[str | None, str]:
    """The team a team page shows: ``requested`` when the goalbook has it, the first team when none was
    asked for; ``(None, message)`` naming the known teams when the requested one does not exist.
    ``known`` are the organisation's teams when ``book`` is only part of it."""
    known = teams(book) if known is None else known
    if requested is None:
        return (known[0], "") if known else (None, "This goalbook has no teams yet.")
    if requested in known:
        return requested, ""
    return None, f"There is no team '{requested}' in this goalbook. Teams: {', '.join(known) or 'none'}."


def page_style() -> widgets.HTML:
    """The goalbook CSS for a page's own tables and notices (hidden; widgets bring their own)."""
    from goalbook.widgets._html import STYLE, VIEW_STYLE

    return widgets.HTML(STYLE + VIEW_STYLE, layout=widgets.Layout(display="none"))


def notice(text: str, level: str = "warning") -> widgets.HTML:
    """A message box (``info``, ``success``, ``warning``, ``error``); ``text`` is escaped, since it may
    carry a URL parameter someone typed."""
    from goalbook.widgets._html import message

    box = widgets.HTML(message(text, level))
    box.add_class("goalbook-notice")
    return box


def page_links(values: list[str], param: str, label: str = "", *, href: Any = None) -> widgets.HTML:
    """Links to this page with ``?param=value`` for each value (every team, say), after ``label``;
    values are URL-quoted in the link and escaped in the text. ``href(value)`` gives another address
    (a published site's file for each team)."""
    href = href or (lambda v: f"?{quote(param)}={quote(v, safe='')}")
    links = " · ".join(f'<a href="{html.escape(href(v))}" '
                       f'style="color:#0969da;text-decoration:underline">{html.escape(v)}</a>' for v in values)
    out = widgets.HTML(f'<div class="goalbook-muted">{html.escape(label)} {links}</div>')
    out.add_class("goalbook-page-links")
    return out


def table(frame: pd.DataFrame, *, empty: str = "Nothing to show.", index: bool = False) -> widgets.HTML:
    """A DataFrame as a static HTML table widget (:func:`goalbook.display.styled`: wrapped text, formatted
    numbers and dates, statuses in words, every cell escaped); ``empty`` is shown for no rows."""
    from goalbook.display import table_html

    if frame.empty:
        out = widgets.HTML(f"<p><em>{html.escape(empty)}</em></p>")
    else:
        out = widgets.HTML(table_html(frame, index=index))
    out.add_class("goalbook-table-widget")
    return out


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Lint findings (:func:`goalbook.lint.lint_book`) as a table, one row per finding, in the linter's order."""
    return pd.DataFrame([[getattr(f, c) for c in FINDING_COLUMNS] for f in findings], columns=list(FINDING_COLUMNS))


def _verdicts(text: str, report: Any) -> list[Any]:
    first = next((getattr(report, c) for c in CRITERIA if getattr(report, c).status != "pass"), None)
    return [text, report.score, *(getattr(report, c).status for c in CRITERIA),
            first.suggestion if first is not None else ""]


def smart_verdicts(statements: list[str], *, today: date, **fields: Any) -> pd.DataFrame:
    """:func:`goalbook.check_smart` on each statement as written, as a table: the score, each criterion's
    verdict (``pass`` / ``warn`` / ``fail``) and the advice of the first criterion that did not pass."""
    from goalbook.smart import check_smart

    return pd.DataFrame([_verdicts(text, check_smart(text, today=today, **fields)) for text in statements],
                        columns=list(SMART_COLUMNS))


def goal_verdicts(book: Goalbook, ids: list[str], *, today: date) -> pd.DataFrame:
    """The SMART verdicts of key results and SMART goals as the editors and ``goalbook lint`` give them
    (:func:`goalbook.smart.check_goal`: each statement with its own fields, period, links and check-in
    history); indexed by id."""
    from goalbook.model import KeyResult, SmartGoal, kind_with_article
    from goalbook.smart import check_goal

    rows = []
    for gid in ids:
        g = book.get(gid)
        if isinstance(g, KeyResult):
            objective = book.objective_of(g)
            if objective is None:
                raise ValueError(f"key result {gid} has no objective in this goalbook")
            rows.append(_verdicts(g.title, check_goal(book, g, today, objective=objective)))
        elif isinstance(g, SmartGoal):
            rows.append(_verdicts(g.statement, check_goal(book, g, today)))
        else:
            raise ValueError(f"{gid} is {kind_with_article(g.kind)}: "
                             "SMART verdicts are for key results and SMART goals")
    return pd.DataFrame(rows, columns=list(SMART_COLUMNS), index=pd.Index(ids, name="id"))
