"""SMART checks for single goal statements: ``check_smart(text, ...) -> SmartReport``.

The rules are defined in the team's SMART_RULES and the decisions taken where they are silent in
``goalbook/smart/RULES.md``. Pure analysis: no files, no network, no model.
"""

from goalbook.smart.check import check_smart
from goalbook.smart.report import Criterion, SmartReport

__all__ = ["Criterion", "SmartReport", "check_smart"]
