"""Run every source of a goalbook with a time limit and record what they say as check-ins.

Policy, in the order it is applied:

1. A goal (key result or KPI) with a ``source`` already refreshed today (a check-in by ``refresh``
   dated today) is skipped without running anything: refresh is idempotent, one check-in a day.
2. Each source runs with a time limit. SQL is limited by the database itself (SQLite's progress
   handler interrupts the query, PostgreSQL's ``statement_timeout`` cancels it), so a slow query
   stops instead of running on; a file or Python source runs in a daemon thread that is abandoned
   when time is up.
3. A failure (a bad source, a missing credential, a failing query, a timeout, a value that is not
   a number) is reported with the goal and the source named, and the other goals carry on.
4. Each value becomes ``CheckIn(goal, today, value, author="refresh")``.

SQL sources sharing a URL share one connection for the whole run; queries go through the DBAPI
cursor of SQLAlchemy's ``raw_connection()``, so a thousand small queries cost little more than the
same queries in plain ``sqlite3`` (``benchmarks/bench_refresh.py``).
"""

from __future__ import annotations

import importlib
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from goalbook.model import CheckIn, Goalbook
from goalbook.refresh import AUTHOR, Source, SourceError, parse_source


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one goal's source."""

    goal_id: str
    where: str  # the source's kind and target as written: never a secret
    value: float | None = None
    error: str | None = None
    skipped: bool = False  # already refreshed today

    def describe(self) -> str:
        """One line for a person."""
        if self.error:
            return f"FAILED {self.goal_id} ({self.where}): {self.error}"
        if self.skipped:
            return f"skipped {self.goal_id} ({self.where}): already refreshed today"
        return f"refreshed {self.goal_id} = {self.value:g} ({self.where})"


@dataclass
class RefreshReport:
    """Every goal's outcome, in goalbook order."""

    today: date
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def refreshed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is None and not o.skipped]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.skipped]

    def __str__(self) -> str:
        lines = [o.describe() for o in self.outcomes]
        lines.append(f"{len(self.refreshed)} refreshed, {len(self.skipped)} already done today, "
                     f"{len(self.failed)} failed")
        return "\n".join(lines)


class _Timeout(Exception):
    pass


def _number(value: Any) -> float:
    if type(value) is float and math.isfinite(value):
        return value
    if isinstance(value, bool) or value is None:
        raise SourceError(f"the source gave {value!r}, not a number")
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 0) == 0:
        value = value.item()  # a numpy scalar
    if not isinstance(value, int | float | Decimal):
        raise SourceError(f"the source gave {type(value).__name__} {str(value)[:60]!r}, not a number")
    out = float(value)
    if not math.isfinite(out):
        raise SourceError(f"the source gave {out}, not a finite number")
    return out


class _Warehouses:
    """One DBAPI connection per URL for the run, with the time limit set on the database side."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.engines: dict[str, sa.Engine] = {}
        self.connections: dict[str, Any] = {}
        self.deadline = 0.0

    def _connection(self, url: str) -> Any:
        conn = self.connections.get(url)
        if conn is None:
            parsed = sa.make_url(url)
            if parsed.drivername == "postgresql":  # goalbook installs psycopg (3), SQLAlchemy's default is psycopg2
                parsed = parsed.set(drivername="postgresql+psycopg")
            connect_args = {"connect_timeout": max(1, round(self.timeout))} if parsed.get_backend_name() == \
                "postgresql" else {}
            engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool, connect_args=connect_args)
            self.engines[url] = engine
            conn = engine.raw_connection()
            name = engine.dialect.name
            if name == "sqlite":
                conn.driver_connection.set_progress_handler(self._interrupt, 50_000)  # about a millisecond
            elif name == "postgresql":
                cur = conn.cursor()
                cur.execute(f"SET statement_timeout = {max(1, int(self.timeout * 1000))}")
                cur.close()
                conn.commit()
            self.connections[url] = conn
        return conn

    def _interrupt(self) -> int:
        return 1 if time.monotonic() > self.deadline else 0

    def query(self, url: str, sql: str) -> Any:
        self.deadline = time.monotonic() + self.timeout
        conn = self._connection(url)
        cur = conn.cursor()
        try:
            cur.execute(sql)
            row = cur.fetchone()
        except Exception as exc:
            conn.rollback()
            if time.monotonic() > self.deadline or "statement timeout" in str(exc) or "interrupted" in str(exc):
                raise _Timeout() from exc
            raise
        finally:
            cur.close()
        conn.rollback()  # read-only: end the transaction so the next query sees fresh data
        if row is None:
            raise SourceError("the query returned no rows")
        return row[0]

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()
        for engine in self.engines.values():
            engine.dispose()


def _in_thread(fn: Callable[[], Any], timeout: float) -> Any:
    """``fn()`` in a daemon thread, abandoned after ``timeout`` seconds (it cannot block the exit)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller, who reports it
            box["error"] = exc

    t = threading.Thread(target=work, daemon=True, name="goalbook-refresh-source")
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise _Timeout()
    if "error" in box:
        raise box["error"]
    return box.get("value")


class _Runner:
    def __init__(self, timeout: float, base_dir: Path, env: Mapping[str, str]) -> None:
        self.timeout, self.base_dir, self.env = timeout, base_dir, env
        self.warehouses = _Warehouses(timeout)
        self.frames: dict[tuple[str, Path], Any] = {}
        self.urls: dict[str, str] = {}

    def value(self, src: Source) -> float:
        if src.kind == "sql":
            return _number(self.warehouses.query(self._sql_url(src), src.body))
        if src.kind == "python":
            module, _, name = src.target.partition(":")  # importing counts toward the time limit too
            return _number(_in_thread(lambda: getattr(importlib.import_module(module), name)(), self.timeout))
        return _number(_in_thread(lambda: self._evaluate(src), self.timeout))

    def _sql_url(self, src: Source) -> str:
        """The URL with its placeholders filled; a relative SQLite file is taken from the goalbook's folder.
        Worked out once per distinct target in a run: a thousand key results usually share one warehouse."""
        url = self.urls.get(src.target)
        if url is None:
            url = self.urls[src.target] = self._resolve(src)
        return url

    def _resolve(self, src: Source) -> str:
        url = src.url(self.env)
        parsed = sa.make_url(url)
        db = parsed.database
        if parsed.get_backend_name() == "sqlite" and db and db != ":memory:" and not db.startswith("file:") \
                and not Path(db).is_absolute():
            return parsed.set(database=str(self.base_dir / db)).render_as_string(hide_password=False)
        return url

    def _evaluate(self, src: Source) -> Any:
        import pandas as pd

        path = Path(src.url(self.env))
        path = path if path.is_absolute() else self.base_dir / path
        key = (src.kind, path)
        if key not in self.frames:
            if not path.exists():
                raise SourceError(f"no file {path}")
            self.frames[key] = pd.read_csv(path) if src.kind == "csv" else pd.read_parquet(path)
        code = compile(src.body, f"<source: {src.where}>", "eval")
        return eval(code, {"__builtins__": {}}, {"df": self.frames[key], "pd": pd})

    def close(self) -> None:
        self.warehouses.close()


def _error(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, _Timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, SourceError):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300]


def refresh(book: Goalbook, *, today: date, timeout: float = 30.0, base_dir: str | os.PathLike | None = None,
            env: Mapping[str, str] | None = None) -> tuple[Goalbook, RefreshReport]:
    """Run the source of every key result and KPI in ``book``; return a new goalbook with the check-ins
    and the report. ``book`` is not changed. Relative file paths are taken from ``base_dir``
    (default: the folder of the goalbook's first file, else the working directory)."""
    if base_dir is None:
        base_dir = Path(book.sources[0]).parent if book.sources else Path.cwd()
    runner = _Runner(timeout, Path(base_dir), os.environ if env is None else env)
    done = {c.target_id for c in book.check_ins if c.author == AUTHOR and c.date == today}
    report = RefreshReport(today)
    added: list[CheckIn] = []
    try:
        for goal in [*book.key_results, *book.kpis]:
            text = goal.source
            if not text or not text.strip():
                continue
            try:
                src = parse_source(text)
            except SourceError as exc:
                report.outcomes.append(Outcome(goal.id, text.strip().splitlines()[0][:80], error=str(exc)))
                continue
            if goal.id in done:
                report.outcomes.append(Outcome(goal.id, src.where, skipped=True))
                continue
            try:
                value = runner.value(src)
            except Exception as exc:
                report.outcomes.append(Outcome(goal.id, src.where, error=_error(exc, timeout)))
                continue
            added.append(CheckIn(goal.id, today, value=value, author=AUTHOR))
            report.outcomes.append(Outcome(goal.id, src.where, value=value))
    finally:
        runner.close()
    return replace(book, check_ins=[*book.check_ins, *added]), report
