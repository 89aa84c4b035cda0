"""Shared fixtures.

``store_url`` runs a test once on an SQLite file and once on PostgreSQL (marked ``postgres``).
Each PostgreSQL case gets a schema of its own in the test database, dropped when the test ends, so
runs never see each other's data and nothing outside that schema is touched. The server is the one
``.ci/postgres.sh`` starts (or ``$GOALBOOK_TEST_PG_URL``); without it PostgreSQL cases are skipped,
except under CI, where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from small_book import make_small_book

from goalbook.examples import example_path
from goalbook.model import (
    Goalbook,
)

PG_URL = os.environ.get("GOALBOOK_TEST_PG_URL", "postgresql://goalbook:goalbook@127.0.0.1:5432/goalbook_test")
_SCHEMA_PREFIX = "gbtest_"
_STALE_AFTER_S = 24 * 3600


def _pg_connect(autocommit: bool = True):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=autocommit,
                           connect_timeout=5)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The test PostgreSQL server's URL, after sweeping schemas left by runs killed a day ago or more."""
    try:
        conn = _pg_connect()
    except Exception as exc:
        message = f"PostgreSQL test server not reachable at {PG_URL} ({exc}); run .ci/postgres.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with conn:
        names = [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                                            (_SCHEMA_PREFIX + "%",))]
        for name in names:
            parts = name.split("_")
            if len(parts) == 3 and parts[1].isdigit() and time.time() - int(parts[1]) > _STALE_AFTER_S:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    return PG_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A PostgreSQL store URL on a fresh, empty schema of its own, dropped afterwards."""
    schema = f"{_SCHEMA_PREFIX}{int(time.time())}_{secrets.token_hex(4)}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{sep}options={quote(f'-csearch_path={schema}')}"
    with _pg_connect() as conn:
        conn.execute("SET lock_timeout = '10s'")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a fresh store: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "goals.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def northwind(tmp_path: Path) -> Path:
    """A copy of the example goalbook's file to edit and save (the example itself stays as shipped)."""
    path = tmp_path / "northwind.yaml"
    shutil.copy(example_path(), path)
    return path


@pytest.fixture
def small_book() -> Goalbook:
    """A fresh copy of :func:`make_small_book` for each test."""
    return make_small_book()
