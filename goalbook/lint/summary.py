"""The one-line count of lint findings that ``goalbook lint`` prints last and notebooks show under
their findings table (one wording for both)."""

from __future__ import annotations

from collections import Counter

from goalbook.lint.findings import Finding


def summary(findings: list[Finding], checked: int = 0) -> str:
    """``2 errors, 1 warning, 0 infos in 3 files`` (or ``No problems found in 3 files``)."""
    files = f" in {checked} file{'s' if checked != 1 else ''}" if checked else ""
    if not findings:
        return f"No problems found{files}."
    n = Counter(f.severity for f in findings)
    parts = [f"{n[s]} {s}{'s' if n[s] != 1 else ''}" for s in ("error", "warning", "info")]
    return f"Found {', '.join(parts)}{files}."
