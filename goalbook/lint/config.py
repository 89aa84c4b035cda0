"""The linter's thresholds, and where a team sets its own.

Defaults follow the OKR and KPI guides goalbook is built on: two to five key results an objective;
a few objectives a period ("define 1–3 company-level priorities for the next quarter", "limit
OKRs to a few objectives"), for the company and for each team; "3 – 5 KPIs per team"; at most
five goals for one owner in one period.

A team changes them in a TOML file: ``[tool.goalbook.lint]`` in ``pyproject.toml``, or ``[lint]``
in ``goalbook.toml`` (``goalbook lint`` finds either in the current folder or a parent, or takes
``--config FILE``). Reading the file is the command line's job; this module only turns a mapping
into a checked :class:`LintConfig`, so a bad key or value is refused with the file and key named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from goalbook.model import did_you_mean


@dataclass(frozen=True, slots=True)
class LintConfig:
    """Thresholds of the set-level rules (the rule that uses each is in brackets)."""

    min_key_results: int = 2  # GB201: fewer cannot show an objective is met
    max_key_results: int = 5  # GB201: more spreads attention thin
    max_goals_per_owner: int = 5  # GB202: in one period
    max_company_objectives: int = 3  # GB218: company objectives in one period
    max_team_objectives: int = 3  # GB218: one team's objectives in one period
    max_team_kpis: int = 5  # GB219: KPIs one team watches

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{f.name} must be a whole number of 0 or more, not {value!r}")
        if self.min_key_results > self.max_key_results:
            raise ValueError(f"min_key_results {self.min_key_results} is above max_key_results "
                             f"{self.max_key_results}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "the lint settings") -> LintConfig:
        """A config from a TOML table's keys; ``ValueError`` naming ``source`` and the key when one
        is unknown (with the closest known key) or has a value that is not a whole number >= 0."""
        known = [f.name for f in fields(cls)]
        unknown = [k for k in values if k not in known]
        if unknown:
            said = "; ".join(f"'{k}' is not a lint setting{did_you_mean(k, known)}" for k in unknown)
            raise ValueError(f"{source}: {said} (settings: {', '.join(known)})")
        try:
            return cls(**dict(values))
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None


DEFAULT = LintConfig()
