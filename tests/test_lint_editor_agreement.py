"""The linter and the editors give one SMART verdict per goal.

The editors (goalbook.widgets._verdicts) show check_smart's verdicts while a goal is typed; ``goalbook
lint`` reports them. For the same key result or goal in the same book on the same day, the report
the linter keeps must be the one the editor shows: same verdicts, reasons, deadline and numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from benchmarks.synthetic import generate_org
from goalbook.examples import load_example
from goalbook.lint import lint_book
from goalbook.lint.context import BookIndex
from goalbook.lint.findings import active_codes
from goalbook.lint.statements import check_smart_in_book
from goalbook.model import CheckIn, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period
from goalbook.smart import check_goal
from goalbook.widgets._verdicts import goal_report, key_result_report

Q1 = Period.parse("2027-Q1")


def lint_reports(book: Goalbook, today: date) -> dict:
    ix = BookIndex.build(book, today)
    list(check_smart_in_book(ix, active_codes(None, None)))
    return ix.reports


def editor_reports(book: Goalbook, today: date) -> dict:
    reports = {kr.id: key_result_report(book, o, kr, today) for o in book.objectives for kr in o.key_results}
    reports.update({g.id: goal_report(book, g, today) for g in book.smart_goals})
    return reports


def milestone_with_checkpoints(book: Goalbook, goal_id: str) -> bool:
    g = book.get(goal_id)
    return isinstance(g, KeyResult) and g.direction == "milestone" and bool(g.checkpoints) and g.target is None


def disagreements(book: Goalbook, today: date, *, milestones: bool) -> dict[str, tuple[dict, dict]]:
    """Goals whose lint report differs from the editor's (all of them, or only milestones measured
    by their checkpoints)."""
    lint, editor = lint_reports(book, today), editor_reports(book, today)
    assert lint.keys() == editor.keys()
    return {gid: (lint[gid].to_dict(), editor[gid].to_dict()) for gid in editor
            if milestone_with_checkpoints(book, gid) == milestones and lint[gid].to_dict() != editor[gid].to_dict()}


BOOKS = {"example": load_example, "synthetic": lambda: generate_org(150, seed=1)}
DAYS = (date(2027, 1, 15), date(2027, 2, 26), date(2027, 5, 1))  # early in the quarter, its last check-in, after it


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request) -> Goalbook:
    return BOOKS[request.param]()


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_every_key_result_and_goal_gets_the_editors_verdicts_from_the_linter(book, today):
    assert disagreements(book, today, milestones=False) == {}


def test_milestones_measured_by_their_checkpoints_get_the_editors_verdicts_too(book):
    assert any(milestone_with_checkpoints(book, kr.id) for o in book.objectives for kr in o.key_results)
    assert disagreements(book, date(2027, 2, 26), milestones=True) == {}


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_linter_asks_the_shared_check_for_every_goal(book, today):
    lint = lint_reports(book, today)
    objective = {kr.id: o for o in book.objectives for kr in o.key_results}
    for g in (*(kr for o in book.objectives for kr in o.key_results), *book.smart_goals):
        shared = check_goal(book, g, today, objective=objective.get(g.id))
        assert lint[g.id].to_dict() == shared.to_dict(), g.id


# --- a deadline written in the words that is not the period's end -------------------------------------------
def book_with_an_early_deadline_in_the_words() -> Goalbook:
    """A goal and a key result whose words say 15 February while their period runs to 31 March, each
    climbing one point a week since New Year."""
    goal = SmartGoal("G-1", "Raise repeat bookings from 20% to 30% by 2027-02-15", owner="cc", baseline=20,
                     target=30, unit="%", period=Q1)
    kr = KeyResult("CO-1.KR1", "Raise online bookings from 38% to 48% by 15 February 2027", baseline=38, target=48,
                   unit="%", owner="web")
    company = Objective("CO-1", "Make booking effortless for every patient", owner="ceo", period=Q1,
                        key_results=[kr, KeyResult("CO-1.KR2", "Cut median time-to-book from 6 to 2 minutes",
                                                   "decrease", baseline=6, target=2, unit="min", owner="web")])
    check_ins = [CheckIn(gid, date(2027, 1, 1) + timedelta(weeks=n), start + n, 6, "on_track")
                 for gid, start in (("G-1", 20), ("CO-1.KR1", 38)) for n in range(5)]
    return Goalbook(objectives=[company], smart_goals=[goal], links=[Link("G-1", "CO-1.KR1")], check_ins=check_ins)


def gb103(book: Goalbook, today: date) -> list[tuple[str, str | None]]:
    """Achievability findings on the two goals dated in their words."""
    return sorted((f.severity, f.entity) for f in lint_book(book, today=today, select="GB103")
                  if f.entity in ("G-1", "CO-1.KR1"))


def test_a_deadline_in_the_words_is_the_one_judged_in_the_editor_and_the_linter():
    book, today = book_with_an_early_deadline_in_the_words(), date(2027, 2, 1)
    lint, editor = lint_reports(book, today), editor_reports(book, today)
    for gid in ("G-1", "CO-1.KR1"):
        assert lint[gid].to_dict() == editor[gid].to_dict(), gid
        assert lint[gid].deadline == date(2027, 2, 15)
        assert lint[gid].time_bound.status == "pass" and "2027-02-15" in lint[gid].time_bound.reason
        # 6 more points in the 14 days left needs 3 a week; they have been climbing 1 a week
        assert lint[gid].achievable.status == "warn" and "more than the trend" in lint[gid].achievable.reason
    assert gb103(book, today) == [("warning", "CO-1.KR1"), ("warning", "G-1")]


def test_once_the_deadline_in_the_words_has_passed_only_impossible_numbers_are_reported():
    book = book_with_an_early_deadline_in_the_words()
    today = date(2027, 2, 20)
    lint = lint_reports(book, today)
    assert lint["G-1"].achievable.status == "fail" and lint["G-1"].achievable.cause == "deadline"
    assert gb103(book, today) == []
    book.smart_goals[0].target = 20  # now the target equals the baseline: wrong whatever the day
    assert gb103(book, today) == [("error", "G-1")]
