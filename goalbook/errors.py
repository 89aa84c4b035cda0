"""Errors and problems: one shape for every complaint goalbook makes about input.

A :class:`Problem` says what is wrong in words a workshop facilitator understands and, when it is
known, where: the file, line, column, the entity id and the field. Loaders collect *all* problems
before raising, so a person fixes a file in one pass instead of one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with some input, and where it is."""

    message: str
    entity: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    severity: str = "error"  # "error" | "warning"
    path: tuple = ()  # position in the source document, e.g. ("objectives", 0, "key_results", 1, "target")

    def located(self, file: str | None = None, line: int | None = None, column: int | None = None) -> Problem:
        """Return a copy with a source location filled in."""
        return replace(self, file=file if file is not None else self.file,
                       line=line if line is not None else self.line,
                       column=column if column is not None else self.column)

    @property
    def where(self) -> str:
        """``file:line:column`` as far as it is known, or ``''``."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class GoalbookError(Exception):
    """Base class for every error goalbook raises on purpose."""


class ValidationError(GoalbookError, ValueError):
    """Input was rejected; ``problems`` lists every reason, each located as well as possible."""

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = list(problems)
        head = summary or f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} found"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


class UnreadableFileError(ValidationError):
    """A file goalbook cannot read as what its name says, so nothing in it can be checked: not UTF-8,
    not valid YAML or CSV, empty, not a workbook, an XML entity or zip bomb, too big, or holding a
    value its own format cannot (an unquoted ``2027-13-01``, a number of 400 digits).

    The command line treats it like a missing file: one line per problem, naming the file and line,
    and exit code 2 from every command (``lint`` included), where a readable file whose goals are
    wrong is exit 1. ``problems`` may also hold other files' problems, so all are fixed in one pass.
    """

    def __init__(self, problems: Problem | list[Problem], summary: str | None = None) -> None:
        super().__init__([problems] if isinstance(problems, Problem) else problems, summary)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ConflictError(GoalbookError):
    """Two writers changed the same goal; raised to the second one (see ``goalbook.store``)."""
