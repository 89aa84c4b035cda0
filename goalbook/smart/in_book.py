"""What the SMART check is given for a key result or goal that lives in a goalbook.

The editors show these verdicts while a goal is typed and ``goalbook lint`` reports them, so both
ask :func:`check_goal` (or build the call from :func:`check_arguments`): one place decides which of
the book's facts go in, and the two can never judge the same goal differently.

What goes in: the words (a key result's title, a goal's statement); the goal's metric, baseline,
target, unit and owner (a key result without one is its objective's owner's); its own deadline
field; its period (a key result's is its objective's) as ``period``, which ``check_smart`` uses
only when neither the deadline field nor the words give a deadline, so a date written in the
statement is the one judged; the ids it is aligned to (a key result is aligned to its objective as
well as to what it links to) and the ids the book holds; and its check-in values up to ``today``
as history. A milestone key result with checkpoints and no target is measured by the share of its
checkpoints done, all of them being the target.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import date
from typing import Any

from goalbook.model import Goalbook, KeyResult, Objective, SmartGoal
from goalbook.smart.check import check_smart
from goalbook.smart.report import SmartReport


def objective_of(book: Goalbook, kr: KeyResult) -> Objective | None:
    """The objective in ``book`` that holds ``kr`` (by identity first, then by id)."""
    for o in book.objectives:
        if any(k is kr for k in o.key_results):
            return o
    return next((o for o in book.objectives if any(k.id == kr.id for k in o.key_results)), None)


def history_of(book: Goalbook, goal_id: str, today: date) -> list[tuple[date, float]]:
    """``(date, value)`` of the goal's check-ins with a value, up to and including ``today``, oldest first."""
    return [(c.date, c.value) for c in book.check_ins_for(goal_id) if c.value is not None and c.date <= today]


def check_arguments(book: Goalbook, goal: KeyResult | SmartGoal, today: date, *, objective: Objective | None = None,
                    aligned_to: Iterable[str] | None = None, history: Iterable[tuple[date, float]] | None = None,
                    known_ids: Set[str] | None = None) -> dict[str, Any]:
    """The keyword arguments of :func:`goalbook.smart.check_smart` for ``goal`` in ``book`` as of ``today``.

    ``check_smart(**check_arguments(...))`` is :func:`check_goal`. The optional arguments let a caller
    that already holds the answers skip looking them up (the linter indexes the whole book once) or
    judge a goal being edited: ``objective`` is a key result's objective (default: the one in
    ``book`` that holds it); ``aligned_to`` the ids the goal links to (default: its links in
    ``book``; a key result is aligned to its objective besides); ``history`` its ``(date, value)``
    check-ins up to ``today`` (default: from ``book``); ``known_ids`` every id the book holds
    (default: the book's ids plus the goal's own, and for a key result its objective's and its
    siblings').
    """
    if isinstance(goal, KeyResult):
        o = objective if objective is not None else objective_of(book, goal)
        text = goal.title
        period = o.period if o is not None else None
        owner = goal.owner or (o.owner if o is not None else None)
        own = [o.id] if o is not None else []
        siblings = [k.id for k in o.key_results] if o is not None else []
    elif isinstance(goal, SmartGoal):
        text, period, owner, own, siblings = goal.statement, goal.period, goal.owner, [], []
    else:
        raise TypeError(f"the SMART check takes a key result or a SMART goal, not {type(goal).__name__}")
    links = aligned_to if aligned_to is not None else (lk.target for lk in book.links_from(goal.id))
    if known_ids is None:  # the goal, its objective and siblings count even while they are edited, not yet in book
        known_ids = {*(g.id for g in book.iter_goals()), goal.id, *own, *siblings}
    args: dict[str, Any] = {
        "text": text or "", "today": today, "fiscal_year_start": int(book.fiscal_year_start or 1),
        "metric": goal.metric, "baseline": goal.baseline, "target": goal.target, "unit": goal.unit,
        "deadline": goal.deadline, "period": period, "owner": owner, "aligned_to": [*own, *links],
        "known_ids": known_ids,
    }
    if isinstance(goal, KeyResult) and goal.direction == "milestone" and goal.checkpoints and goal.target is None:
        # its progress is the share of checkpoints done (FORMAT.md): that is the measure and all of them the target
        args.update(metric=goal.metric or "share of checkpoints done", target=1.0)
    values = list(history) if history is not None else history_of(book, goal.id, today)
    if values:
        args["history"] = values
    return args


def check_goal(book: Goalbook, goal: KeyResult | SmartGoal, today: date, *, objective: Objective | None = None,
               aligned_to: Iterable[str] | None = None, history: Iterable[tuple[date, float]] | None = None,
               known_ids: Set[str] | None = None) -> SmartReport:
    """The SMART report of a key result's title or a goal's statement with what ``book`` knows of it.

    The verdicts the editors show and ``goalbook lint`` reports; the arguments are those of
    :func:`check_arguments`.

    Examples
    --------
    >>> from goalbook.model import Goalbook, KeyResult, Objective
    >>> from goalbook.period import Period
    >>> kr = KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60% by 15 March 2027")
    >>> book = Goalbook(objectives=[Objective("CO-1", "Delight patients", owner="coo",
    ...                                       period=Period.parse("2027-Q1"), key_results=[kr])])
    >>> r = check_goal(book, kr, date(2027, 1, 10))
    >>> r.time_bound.status, r.deadline, r.relevant.status, r.owner_name
    ('pass', datetime.date(2027, 3, 15), 'pass', 'coo')
    """
    return check_smart(**check_arguments(book, goal, today, objective=objective, aligned_to=aligned_to,
                                         history=history, known_ids=known_ids))
