"""Connections: an embedded SQLite file or a PostgreSQL server, writable or read-only *by the database*.

SQLite: WAL mode, a busy timeout, writes in ``BEGIN IMMEDIATE`` transactions so two writers queue
instead of failing half-way; read-only stores open the file with ``mode=ro`` and ``query_only``.
PostgreSQL: the psycopg driver; read-only stores set ``default_transaction_read_only`` for the
whole session, so every transaction on every pooled connection refuses writes. The session could
set it back, so review pages also log in as a role without write rights (``_roles``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event, pool
from sqlalchemy.engine import URL, make_url

from goalbook.errors import GoalbookError

BUSY_TIMEOUT_S = 30.0


def parse_target(url_or_path: str | os.PathLike) -> tuple[str, Path | URL]:
    """``("sqlite", path)`` for a bare path or ``sqlite:///`` URL, ``("postgresql", url)`` for PostgreSQL."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        return "sqlite", Path(text).expanduser()
    url = make_url(text)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise GoalbookError(f"{text}: a store needs a file (an in-memory SQLite database would vanish)")
        return "sqlite", Path(url.database).expanduser()
    if backend in ("postgresql", "postgres"):
        return "postgresql", url.set(drivername="postgresql+psycopg")
    raise GoalbookError(f"{text}: a store is an SQLite file path or a postgresql:// URL, not {backend}://")


def sqlite_engine(path: Path, readonly: bool) -> sa.Engine:
    """An engine on one SQLite file; each transaction is begun by :func:`begin` below."""
    if readonly and not path.exists():
        raise GoalbookError(f"{path}: no store there to open read-only")
    uri = f"file:{quote(str(path.resolve()))}?mode={'ro' if readonly else 'rwc'}"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        if readonly:
            conn.execute("PRAGMA query_only = 1")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    engine = sa.create_engine("sqlite+pysqlite://", creator=connect, poolclass=pool.QueuePool, pool_size=2)

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("goalbook_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def postgresql_engine(url: URL, readonly: bool) -> sa.Engine:
    """An engine on a PostgreSQL database; read-only sessions when asked."""
    connect_args: dict[str, Any] = {"application_name": "goalbook"}
    if readonly:
        options = f"{url.query.get('options', '')} -c default_transaction_read_only=on".strip()
        connect_args["options"] = options
    return sa.create_engine(url, connect_args=connect_args, pool_size=2)


def display_url(kind: str, target: Path | URL) -> str:
    """Where the store is, for messages: the path, or the URL with its password hidden."""
    return str(target) if kind == "sqlite" else target.render_as_string(hide_password=True)


def is_readonly_refusal(exc: BaseException) -> bool:
    """True when the database refused a write because the connection is read-only."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "25006":  # PostgreSQL read_only_sql_transaction
        return True
    return isinstance(orig, sqlite3.OperationalError) and "readonly" in str(orig)


def is_permission_refusal(exc: BaseException) -> bool:
    """True when PostgreSQL refused a statement because the role lacks the right (a reader role writing)."""
    return getattr(getattr(exc, "orig", exc), "sqlstate", None) == "42501"  # insufficient_privilege


def is_busy(exc: BaseException) -> bool:
    """True when SQLite gave up waiting for another process's write lock."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)
