"""The goal linter: what a demanding workshop facilitator would point out in a set of goals.

- :func:`lint_book` checks a whole :class:`~goalbook.model.Goalbook`: each goal statement and key
  result against the SMART criteria (via :func:`goalbook.smart.check_smart`), and the set as a
  whole (key results per objective, goals per owner, tasks posing as key results, missing
  baselines/owners/deadlines, leading indicators, alignment to the company's objectives,
  near-duplicates, deadlines and periods, KPI thresholds, check-ins, objectives with only
  outputs, too many objectives or KPIs, link loops).
- :func:`lint_statements` checks plain statements: a text file's lines or a CSV's rows.
- :class:`LintConfig` holds the thresholds of the set-level rules (objectives a period, KPIs a
  team, key results an objective, goals an owner).
- :data:`RULES` is the registry of every code (``GB001``, ``GB101`` ...), its name, default
  severity and summary; docs/LINT_RULES.md is generated from it.

Pure: no files are read here (``goalbook lint`` in :mod:`goalbook.cli.lint` reads them).
"""

from __future__ import annotations

from goalbook.lint.book import lint_book, lint_statements
from goalbook.lint.config import LintConfig
from goalbook.lint.findings import RULES, SEVERITIES, Finding, Rule, active_codes, resolve_codes

__all__ = ["RULES", "SEVERITIES", "Finding", "LintConfig", "Rule", "active_codes", "lint_book", "lint_statements",
           "resolve_codes"]
