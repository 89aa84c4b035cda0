"""The linter at organisation scale (issue 3).

``lint_book`` on the synthetic 10,000-person organisation (about 40,000 goals and 60,000 links),
as of the day after its last weekly check-in:

- every rule, the SMART check of every key result title and goal statement included;
- the SMART criteria alone (``--select GB1``: ``check_smart`` on about 26,600 statements), which is
  most of the cost;
- the near-duplicate rule alone (``--select GB209``), the one rule that would grow with the square
  of the book if it compared every pair.

Both are printed beside the floor the issue names: iterating the book's goals and calling
``str.lower`` on each statement — the least any linter reading every goal's words must do.
"""

from __future__ import annotations

from datetime import date

from benchmarks._harness import Figure, absolute_figure, best_of
from benchmarks.synthetic import generate_org
from goalbook.lint import lint_book
from goalbook.lint.context import text_of

PEOPLE = 10_000
TODAY = date(2027, 2, 27)  # the synthetic check-ins run eight weeks into 2027-Q1


def run() -> list[Figure]:
    book = generate_org(PEOPLE)
    goals = sum(1 for _ in book.iter_goals())

    def floor() -> None:
        for g in book.iter_goals():
            text_of(g).lower()

    floor_s = best_of(floor, repeat=5)
    every = best_of(lambda: lint_book(book, today=TODAY), repeat=2)
    smart = best_of(lambda: lint_book(book, today=TODAY, select="GB1"), repeat=2)
    dupes = best_of(lambda: lint_book(book, today=TODAY, select="GB209"), repeat=3)
    floor_name = "iterate goals + str.lower of each statement"
    return [
        absolute_figure(f"lint: lint_book, all rules, {goals:,} goals", every, floor_name, floor_s, 15),
        absolute_figure("lint: SMART criteria only (GB1)", smart, floor_name, floor_s, 12),
        absolute_figure("lint: near-duplicates only (GB209)", dupes, floor_name, floor_s, 2),
    ]
