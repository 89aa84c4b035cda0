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
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from goalbook.examples import example_path
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Comment,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period

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


def make_small_book() -> Goalbook:
    """A small goalbook using every kind and most fields, hand-made so store tests need nothing else."""
    q1 = Period.parse("2027-Q1")
    return Goalbook(
        organisation="Northwind Clinics",
        fiscal_year_start=1,
        objectives=[
            Objective("CO-1", "Make booking a visit effortless for every patient", owner="coo", period=q1,
                      description="Patients book online, in minutes", key_results=[
                          KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60% of all visits",
                                    metric="online booking share", baseline=38, target=60, current=41, unit="%",
                                    indicator="lagging", confidence=7, owner="web-lead", deadline=date(2027, 3, 31)),
                          KeyResult("CO-1.KR2", "Cut median time-to-book from 6 minutes to 2", direction="decrease",
                                    baseline=6, target=2, unit="min", weight=2),
                          KeyResult("CO-1.KR3", "Open the Leeds clinic", direction="milestone",
                                    checkpoints=[Checkpoint("lease signed", True), Checkpoint("staff hired")]),
                      ]),
            Objective("WEB-O", "The web team makes booking one page", level="team", team="Web", period=q1,
                      key_results=[KeyResult("WEB-O.KR1", "Keep no-show rate at most 8%", direction="maintain",
                                             bound="at_most", target=8, unit="%")]),
        ],
        smart_goals=[SmartGoal("WEB-1", "Ship one-page booking to all 14 clinics by 2027-02-28, cutting booking "
                                        "steps from 7 to 3", team="Web", owner="web-lead", metric="booking steps",
                               baseline=7, target=3, unit="steps", deadline=date(2027, 2, 28), budget=18000,
                               period=q1)],
        kpis=[KPI("KPI-NPS", "Patient NPS", unit="points", target=60, green=55, amber=45, indicator="lagging",
                  values=[KPIValue(date(2027, 1, 8), 51), KPIValue(date(2027, 1, 15), 53.5)])],
        initiatives=[Initiative("INI-7", "One-page booking flow", status="active", owner="web-lead", team="Web",
                                start=date(2027, 1, 4), end=date(2027, 2, 28), progress=0.4, external_ref="WEB-123")],
        links=[Link("WEB-1", "CO-1.KR2"), Link("INI-7", "CO-1.KR2", "supports", 2), Link("KPI-NPS", "CO-1.KR1"),
               Link("WEB-O", "CO-1")],
        check_ins=[CheckIn("CO-1.KR1", date(2027, 1, 8), 41, 7, "on_track", "launched beta", "clinic IT", "web-lead"),
                   CheckIn("WEB-1", date(2027, 1, 8), 6, 6, "at_risk")],
        comments=[Comment("CO-1", "Good first week", "ceo", datetime(2027, 1, 8, 10, 0))],
    )


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
