"""Throwaway PostgreSQL roles for the reader-role tests: ``from pg_roles import throwaway_roles``.

Roles belong to the whole server, not to a test's schema, so each gets a unique name, is dropped
when the test ends (with every right it was given), and roles left by a run killed a day ago or more
are swept at the next start.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

PREFIX = "gbtest_role_"
_STALE_AFTER_S = 24 * 3600


def connect(url: str, **kwargs: Any) -> psycopg.Connection:
    """A plain psycopg connection (autocommit) on a store URL, ``options`` and all, as goalbook's engine
    passes it (by parts, so any password works)."""
    u = make_url(url)
    parts = {"host": u.host, "port": u.port, "dbname": u.database, "user": u.username, "password": u.password,
             **u.query}
    return psycopg.connect(autocommit=True, connect_timeout=5, **{k: v for k, v in parts.items() if v is not None},
                           **kwargs)


def as_role(url: str, role: str, password: str) -> str:
    """``url`` logging in as ``role`` with ``password`` instead."""
    return make_url(url).set(username=role, password=password).render_as_string(hide_password=False)


def in_schema(server: str, schema: str) -> str:
    """The server URL with ``search_path`` set to ``schema``, as ``pg_url`` builds it."""
    return f"{server}{'&' if '?' in server else '?'}options={quote(f'-csearch_path={schema}')}"


def _drop(admin: psycopg.Connection, name: str) -> None:
    if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        admin.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(name)))
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@contextmanager
def throwaway_roles(server: str) -> Iterator[Callable[[str], str]]:
    """Yields ``new(label) -> name``: a unique role name for the test to create; all dropped at the end."""
    made: list[str] = []
    with connect(server) as admin:
        for (name,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (PREFIX + "%",)).fetchall():
            parts = name[len(PREFIX):].split("_")
            if parts[0].isdigit() and time.time() - int(parts[0]) > _STALE_AFTER_S:
                _drop(admin, name)

    def new(label: str) -> str:
        made.append(f"{PREFIX}{int(time.time())}_{secrets.token_hex(3)}_{label}")
        return made[-1]

    try:
        yield new
    finally:
        with connect(server) as admin:
            admin.execute("SET lock_timeout = '10s'")
            for name in reversed(made):
                _drop(admin, name)
