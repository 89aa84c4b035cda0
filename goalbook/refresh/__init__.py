"""Key results and KPIs that update themselves: the ``source`` a goal names, and ``goalbook refresh``.

A ``source`` is text in the goalbook file. Its first line says where the value lives, the lines after
say how to compute it::

    source: |
      sql postgresql://${WAREHOUSE_USER}:${WAREHOUSE_PASSWORD}@db.internal/analytics
      SELECT 100.0 * avg(booked_online) FROM visits WHERE visit_date >= current_date - 7

    source: |
      csv exports/bookings.csv
      df["minutes_to_book"].median()

    source: python northwind_metrics:no_show_rate

- ``sql URL`` runs the query (the first column of the first row is the value) on a SQLAlchemy URL
  (a relative SQLite file is found next to the goalbook file).
  Credentials never sit in the file: write ``${NAME}`` and the value comes from the environment
  variable ``NAME``; a URL with a literal password is refused.
- ``csv PATH`` / ``parquet PATH`` read the file (relative to the goalbook file) into ``df`` and
  evaluate the pandas expression on it (``df`` and ``pd`` are in scope, nothing else).
- ``python module:function`` calls the function with no arguments.

A source runs code its author wrote (a query, an expression, a function): refresh only goalbooks
you trust, as you would only run notebooks you trust.

:func:`parse_source` (pure) reads a source; :func:`refresh` (in :mod:`goalbook.refresh.run`) runs
every source of a goalbook with a time limit and records one check-in a day per goal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from goalbook.errors import GoalbookError
from goalbook.model import Goalbook

KINDS = ("sql", "csv", "parquet", "python")
AUTHOR = "refresh"  # the author of the check-ins refresh records
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:]*:([^@/]*)@", re.IGNORECASE)
_ENTRY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class SourceError(GoalbookError):
    """A source that cannot be read or run; the message names what is wrong."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a goal's value comes from: ``kind`` (sql, csv, parquet, python), ``target`` (a URL with
    ``${VAR}`` placeholders, a path, or ``module:function``) and ``body`` (the query or expression)."""

    kind: str
    target: str
    body: str = ""

    @property
    def where(self) -> str:
        """Where the value comes from, safe to show: the target as written (placeholders, never secrets)."""
        return f"{self.kind} {self.target}"

    def url(self, env: Mapping[str, str] | None = None) -> str:
        """The target with every ``${VAR}`` replaced from ``env`` (default: the environment)."""
        env = os.environ if env is None else env
        missing = [v for v in _VAR.findall(self.target) if v not in env]
        if missing:
            raise SourceError(f"missing credential: environment variable {', '.join(missing)} is not set "
                              f"(the source's {'URL' if self.kind == 'sql' else 'path'} needs it)")
        return _VAR.sub(lambda m: env[m.group(1)], self.target)


def parse_source(text: str) -> Source:
    """Read a ``source`` field; :class:`SourceError` says what is wrong with it.

    >>> parse_source("sql sqlite:///warehouse.db\\nSELECT 42").body
    'SELECT 42'
    """
    lines = (text or "").strip().splitlines()
    if not lines:
        raise SourceError("the source is empty: start it with 'sql URL', 'csv PATH', 'parquet PATH' or "
                          "'python module:function'")
    kind, _, target = lines[0].strip().partition(" ")
    kind, target, body = kind.lower(), target.strip(), "\n".join(lines[1:]).strip()
    if kind not in KINDS:
        raise SourceError(f"the source starts with '{kind}', which is not one of {', '.join(KINDS)}")
    if not target:
        what = {"sql": "a URL", "python": "module:function"}.get(kind, "a path")
        raise SourceError(f"'{kind}' needs {what} on the same line")
    if kind == "sql":
        m = _PASSWORD.match(target)
        if m and m.group(1) and not _VAR.fullmatch(m.group(1)):
            raise SourceError("the URL holds a password: write ${VARIABLE} instead and set the variable in the "
                              "environment, so no credential is ever in the file")
        if not body:
            raise SourceError("'sql' needs the query on the lines after the URL")
    elif kind in ("csv", "parquet") and not body:
        raise SourceError(f"'{kind}' needs a pandas expression on the lines after the path, e.g. df['x'].mean()")
    elif kind == "python" and not _ENTRY.match(target):
        raise SourceError(f"'python {target}' should name module:function, e.g. mypackage.metrics:online_share")
    return Source(kind, target, body)


def refreshed(book: Goalbook) -> dict[str, tuple[date, str]]:
    """For each key result and KPI with a source that refresh has run: ``(last day, where from)``, the
    source shown as written (``sql postgresql://${USER}:${PASSWORD}@...``, never a secret). For review pages."""
    last: dict[str, date] = {}
    for c in book.check_ins:
        if c.author == AUTHOR and (c.target_id not in last or c.date > last[c.target_id]):
            last[c.target_id] = c.date
    out: dict[str, tuple[date, str]] = {}
    for goal in [*book.key_results, *book.kpis]:
        if goal.id in last and goal.source:
            try:
                where = parse_source(goal.source).where
            except SourceError:
                where = "an unreadable source"
            out[goal.id] = (last[goal.id], where)
    return out
