"""Per-statement findings: SMART verdicts become findings on goals in a book and on plain statements
(text lines, CSV rows) with their line numbers."""

from __future__ import annotations

from datetime import date, timedelta

from goalbook.lint import lint_book, lint_statements
from goalbook.lint.statements import csv_statements, text_statements
from goalbook.model import CheckIn, Goalbook, KeyResult, Link, Objective, SmartGoal
from goalbook.period import Period

Q1 = Period.parse("2027-Q1")
TODAY = date(2027, 2, 14)


def book_with(*goals: SmartGoal, krs: tuple[KeyResult, ...] = ()) -> Goalbook:
    company = Objective("CO-1", "Make booking effortless for every patient", owner="ceo", period=Q1, key_results=[
        KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60%", baseline=38, target=60, unit="%",
                  owner="cdo", indicator="lagging"),
        KeyResult("CO-1.KR2", "Cut median time-to-book from 6 to 2 minutes", "decrease", baseline=6, target=2,
                  unit="min", owner="web", indicator="leading"),
        *krs])
    return Goalbook(objectives=[company], smart_goals=list(goals),
                    links=[Link(g.id, "CO-1.KR1") for g in goals])


def smart_findings(book: Goalbook, today: date = TODAY) -> list[tuple[str, str, str | None]]:
    return [(f.code, f.severity, f.entity) for f in lint_book(book, today=today, select="GB1")]


def test_a_vague_goal_fails_specific_measurable_and_time_bound():
    book = book_with(SmartGoal("G-1", "Improve customer happiness", owner="cx"))
    found = smart_findings(book)
    assert ("GB101", "error", "G-1") in found
    assert ("GB102", "error", "G-1") in found
    assert ("GB105", "error", "G-1") in found
    first = next(f for f in lint_book(book, today=TODAY, select="GB101"))
    assert first.message.startswith("Goal G-1 is not specific: ")
    assert first.suggestion and first.field == "statement"


def test_a_well_set_goal_and_key_results_have_no_smart_errors():
    book = book_with(SmartGoal("G-1", "Cut call handling time from 7.5 to 5.5 minutes by 2027-03-15", owner="cc",
                               metric="average handling time", baseline=7.5, target=5.5, unit="min",
                               deadline=date(2027, 3, 15), period=Q1))
    assert [f for f in smart_findings(book) if f[1] != "info"] == []


def test_without_history_achievability_is_an_info_and_with_history_it_is_judged():
    g = SmartGoal("G-1", "Raise repeat bookings from 20% to 90% by 2027-03-31", owner="cc", baseline=20, target=90,
                  unit="%", deadline=date(2027, 3, 31), period=Q1)
    book = book_with(g)
    assert ("GB103", "info", "G-1") in smart_findings(book)
    # six weeks of crawling by one point a week: 65 more points in seven weeks is far beyond that pace
    book.check_ins = [CheckIn("G-1", date(2027, 1, 1) + timedelta(weeks=n), 20 + n, 6, "on_track")
                     for n in range(6)]
    assert ("GB103", "warning", "G-1") in smart_findings(book)


def test_a_goal_past_its_deadline_is_not_called_unachievable():
    g = SmartGoal("G-1", "Raise repeat bookings from 20% to 90% by 2027-01-31", owner="cc", baseline=20, target=90,
                  unit="%", deadline=date(2027, 1, 31), period=Q1)
    book = book_with(g)
    book.check_ins = [CheckIn("G-1", date(2027, 1, 8) + timedelta(weeks=n), 20 + n, 6, "on_track")
                     for n in range(5)]
    assert [f for f in smart_findings(book, today=date(2027, 3, 1)) if f[2] == "G-1"] == []


def test_impossible_numbers_are_an_error_whatever_the_day():
    g = SmartGoal("G-1", "Raise repeat bookings from 20% to 20% by 2027-03-31", owner="cc", baseline=20,
                  target=20, unit="%", deadline=date(2027, 3, 31), period=Q1)
    assert ("GB103", "error", "G-1") in smart_findings(book_with(g))
    assert ("GB103", "error", "G-1") in smart_findings(book_with(g), today=date(2027, 6, 1))


def test_a_key_result_is_judged_with_its_objectives_period_and_owner():
    kr = KeyResult("CO-1.KR3", "Raise repeat bookings from 20% to 30%", baseline=20, target=30, unit="%",
                   indicator="leading")
    found = smart_findings(book_with(krs=(kr,)))
    assert not [f for f in found if f[2] == "CO-1.KR3" and f[0] in ("GB104", "GB105")]  # linked and dated by CO-1
    assert lint_book(book_with(krs=(kr,)), today=TODAY, select="GB205") == []  # CO-1's owner owns it


def test_an_owner_named_only_in_the_words_counts_and_none_is_reported_once():
    named = SmartGoal("G-1", "@maria - cut call handling time from 7.5 to 5.5 minutes by 2027-03-15",
                      baseline=7.5, target=5.5, deadline=date(2027, 3, 15), period=Q1)
    nobody = SmartGoal("G-2", "Cut call waiting time from 7.5 to 5.5 minutes by 2027-03-15",
                       baseline=7.5, target=5.5, deadline=date(2027, 3, 15), period=Q1)
    found = lint_book(book_with(named, nobody), today=TODAY, select="GB205")
    assert [(f.code, f.entity) for f in found] == [("GB205", "G-2")]


# --- plain statements ---------------------------------------------------------------------------------------------
def test_text_lines_keep_their_numbers_and_skip_comments_blanks_and_bullets():
    lines = ["# drafts", "", "- Improve customer happiness", "  2. Reduce churn", "Raise NPS from 30 to 45 by Q4"]
    assert list(text_statements(lines)) == [(3, "Improve customer happiness"), (4, "Reduce churn"),
                                            (5, "Raise NPS from 30 to 45 by Q4")]


def test_lint_statements_reports_each_failing_criterion_on_its_line():
    found = lint_statements("# drafts\nImprove customer happiness\n\nRaise NPS from 30 to 45 by 2027-12-31\n",
                            today=TODAY, source="goals.txt")
    assert {(f.line, f.code) for f in found if f.severity == "error"} == {(2, "GB101"), (2, "GB102"), (2, "GB105")}
    assert all(f.file == "goals.txt" for f in found)
    assert {f.code for f in found} <= {"GB101", "GB102", "GB105", "GB205"}  # no relevance or pace for plain text


def test_csv_rows_use_their_columns_as_fields_and_keep_row_lines():
    text = ('statement,owner,deadline,baseline,target\n'
            '"Raise NPS\nfrom 30 to 45",cx,2027-12-31,30,45\n'
            'Reduce churn,ops,2027-06-30,,\n'
            'Grow,,soon,,\n')
    items = list(csv_statements(text.splitlines(keepends=True), "g.csv"))
    assert items[0] == (2, "Raise NPS\nfrom 30 to 45", {"owner": "cx", "deadline": date(2027, 12, 31),
                                                        "baseline": 30.0, "target": 45.0})
    assert items[1] == (4, "Reduce churn", {"owner": "ops", "deadline": date(2027, 6, 30)})
    bad = items[2]
    assert (bad.code, bad.line, bad.field, bad.file) == ("GB001", 5, "deadline", "g.csv")
    found = lint_statements(text.splitlines(keepends=True), today=TODAY, source="g.csv")
    by_line = {}
    for f in found:
        by_line.setdefault(f.line, set()).add(f.code)
    assert 2 not in by_line  # owner, deadline and numbers all given
    assert by_line[4] == {"GB102"}  # "Reduce churn" by June, owned by ops: only the number is missing
    assert by_line[5] == {"GB001"}


def test_select_and_ignore_apply_to_statements():
    found = lint_statements(["Improve customer happiness"], today=TODAY, select="GB1", ignore="GB105")
    assert {f.code for f in found} == {"GB101", "GB102"}


def test_a_threshold_held_or_a_decrease_on_course_is_not_called_unachievable():
    """Each value below its aim and falling: nothing here has to rise."""
    krs = (
        KeyResult("CO-1.KR3", "Keep the weekly no-show rate at most 8% until 31 March", "maintain", bound="at_most",
                  baseline=7.8, target=8, unit="%", owner="ops", indicator="lagging"),
        KeyResult("CO-1.KR4", "Keep the no-show rate between 5% and 8% until 31 March", "maintain", bound="band",
                  low=5, high=8, unit="%", owner="ops", indicator="lagging"),
        KeyResult("CO-1.KR5", "No-show rate at 8% by 31 March", "decrease", baseline=9.5, target=8, unit="%",
                  owner="ops", indicator="lagging"),
    )
    book = book_with(krs=krs)
    book.check_ins = [CheckIn(kr.id, date(2027, 1, 8) + timedelta(weeks=n), 7.8 - 0.3 * n, 7, "on_track")
                      for kr in krs for n in range(5)]
    assert [f for f in smart_findings(book) if f[0] == "GB103" and f[2] in {kr.id for kr in krs}] == []
    # the same threshold crossed and still rising is doubtful
    book.check_ins = [CheckIn("CO-1.KR3", date(2027, 1, 8) + timedelta(weeks=n), 8.2 + 0.3 * n, 4, "at_risk")
                      for n in range(5)]
    assert ("GB103", "warning", "CO-1.KR3") in smart_findings(book)
