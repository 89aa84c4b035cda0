"""SMART checks for single goal statements: ``check_smart(text, ...) -> SmartReport``.

The rules are defined in the team's SMART_RULES and the decisions taken where they are silent in
``goalbook/smart/RULES.md``. Pure analysis: no files, no network, no model. ``check_goal(book,
goal, today)`` asks the same of a key result or goal in a goalbook, with what the book knows of it
(the editors and ``goalbook lint`` both ask it, so they agree).
"""

from goalbook.smart.check import check_smart
from goalbook.smart.in_book import check_arguments, check_goal
from goalbook.smart.report import Criterion, SmartReport

__all__ = ["Criterion", "SmartReport", "check_arguments", "check_goal", "check_smart"]
