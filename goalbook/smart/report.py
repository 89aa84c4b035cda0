"""What ``check_smart`` returns: one verdict per criterion plus what it read from the statement."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

STATUSES = ("pass", "warn", "fail")
POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0}
CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(slots=True)
class Criterion:
    """One verdict: ``status`` is pass, warn or fail; ``reason`` quotes the words it judged;
    ``suggestion`` is a concrete rewrite hint (may be empty when nothing needs changing).

    ``cause`` says, for a doubtful or failing achievable verdict, what it turns on, so a caller can
    tell a flaw in the goal from a fact of the calendar: ``numbers`` (impossible as written),
    ``deadline`` (the deadline has passed or leaves no time), ``pace`` (the history's pace falls
    short), ``missing`` (no target, history or dated deadline to judge from); empty otherwise.
    """

    name: str
    status: str
    reason: str
    suggestion: str = ""
    cause: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"criterion {self.name}: status {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict:
        return {"status": self.status, "reason": self.reason, "suggestion": self.suggestion}

    def __str__(self) -> str:
        tail = f" — {self.suggestion}" if self.suggestion and self.status != "pass" else ""
        return f"{self.name}: {self.status} ({self.reason}){tail}"


def _finite(x: float | None) -> float | None:
    return x if x is None or math.isfinite(x) else None


@dataclass(slots=True)
class SmartReport:
    """The SMART verdict on one statement and the parts it was read into.

    ``score`` is the mean over the five SMART criteria of pass = 1, warn = 0.5, fail = 0
    (``owner`` is reported but not scored). ``spans`` maps a part (``verb``, ``metric``,
    ``baseline``, ``target``, ``change``, ``deadline``, ``owner``, ``placeholder``, ``vague``,
    ``not_deadline``) to its ``(start, end)`` character offsets in ``text``, for highlighting.
    """

    text: str
    specific: Criterion
    measurable: Criterion
    achievable: Criterion
    relevant: Criterion
    time_bound: Criterion
    owner: Criterion
    baseline: float | None = None
    target: float | None = None
    unit: str | None = None
    direction: str = "none"  # increase | decrease | maintain | achieve | none
    deadline: date | None = None
    deadline_text: str | None = None
    metric: str | None = None
    change: float | None = None  # "by 20%": 20 with change_unit "%"; "double": 2 with change_unit "x"
    change_unit: str | None = None
    bound: str | None = None  # at_least | at_most, from "at least", "below", "≤" ...
    target_range: tuple[float, float] | None = None
    owner_name: str | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    today: date | None = None

    @property
    def has_baseline(self) -> bool:
        """True when a starting value is stated (in the text or the ``baseline`` field)."""
        return self.baseline is not None

    @property
    def criteria(self) -> dict[str, Criterion]:
        """The five SMART criteria and ``owner``, by name."""
        return {"specific": self.specific, "measurable": self.measurable, "achievable": self.achievable,
                "relevant": self.relevant, "time_bound": self.time_bound, "owner": self.owner}

    @property
    def score(self) -> float:
        return sum(POINTS[getattr(self, c).status] for c in CRITERIA) / len(CRITERIA)

    @property
    def failed(self) -> list[str]:
        """Names of the criteria that failed."""
        return [name for name, c in self.criteria.items() if c.status == "fail"]

    def to_dict(self) -> dict:
        """A JSON-serialisable dict (dates as ISO strings, non-finite numbers as ``None``)."""
        return {
            "text": self.text,
            "score": round(self.score, 4),
            "criteria": {name: c.to_dict() for name, c in self.criteria.items()},
            "baseline": _finite(self.baseline),
            "target": _finite(self.target),
            "unit": self.unit,
            "direction": self.direction,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "has_baseline": self.has_baseline,
            "metric": self.metric,
            "change": _finite(self.change),
            "change_unit": self.change_unit,
            "bound": self.bound,
            "target_range": [_finite(x) for x in self.target_range] if self.target_range else None,
            "owner_name": self.owner_name,
            "spans": {k: [a, b] for k, (a, b) in self.spans.items()},
        }

    def __str__(self) -> str:
        lines = [f"SMART score {self.score:.2f}: {self.text[:100]}"]
        lines += [f"  {c}" for c in self.criteria.values()]
        return "\n".join(lines)
