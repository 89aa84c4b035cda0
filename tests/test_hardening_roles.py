"""Finding 7 of issue 11: a PostgreSQL role that reaches the server itself (``pg_execute_server_program``,
``pg_write_server_files``, ``pg_read_server_files``, directly or through another role) is no reader:
table rights cannot stop ``COPY ... TO PROGRAM``. ``grant-reader`` and ``review`` refuse it."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest
from pg_roles import as_role, connect
from test_store_roles import Owned, grant, owned  # noqa: F401  (the fixture)

from goalbook.errors import GoalbookError
from goalbook.review import check_reader_role

pytestmark = pytest.mark.postgres

SERVER_ROLES = ["pg_execute_server_program", "pg_write_server_files", "pg_read_server_files"]


def make_reader(owned: Owned, server: str, membership: str, through: bool) -> tuple[str, str]:  # noqa: F811
    """A login role with SELECT on the store, a member of ``membership`` (through a middle role when asked)."""
    reader, password = owned.new_role("reader"), secrets.token_hex(8)
    with connect(server) as admin:
        admin.execute(f"CREATE ROLE \"{reader}\" LOGIN PASSWORD '{password}'")
        if through:
            middle = owned.new_role("ops")
            admin.execute(f'CREATE ROLE "{middle}"')
            admin.execute(f'GRANT {membership} TO "{middle}"')
            admin.execute(f'GRANT "{middle}" TO "{reader}"')
        else:
            admin.execute(f'GRANT {membership} TO "{reader}"')
    with connect(owned.url) as conn:
        conn.execute(f'GRANT USAGE ON SCHEMA "{owned.schema}" TO "{reader}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{owned.schema}" TO "{reader}"')
    return reader, password


@pytest.mark.parametrize("through", [False, True], ids=["member", "through-another-role"])
@pytest.mark.parametrize("membership", SERVER_ROLES)
def test_grant_reader_and_review_refuse_a_role_reaching_the_server(owned: Owned, pg_server: str,  # noqa: F811
                                                                   membership: str, through: bool,
                                                                   monkeypatch, capsys) -> None:
    reader, password = make_reader(owned, pg_server, membership, through)
    assert grant(owned.url, reader, monkeypatch) == 1
    err = capsys.readouterr().err
    assert f"role {reader} was not made a reader" in err and f"is a member of {membership}" in err
    with pytest.raises(GoalbookError, match=f"(?s)refusing to serve.*member of {membership}"):
        check_reader_role(as_role(owned.url, reader, password))


def test_the_attack_copy_to_program_runs_from_a_read_only_session(owned: Owned, pg_server: str) -> None:  # noqa: F811
    """What the check guards against, done: a "read-only" session of such a role runs a program on the
    server (here it only touches a file; the red team's wrote to the store through psql)."""
    reader, password = make_reader(owned, pg_server, "pg_execute_server_program", through=True)
    marker = Path(f"/tmp/goalbook-copy-to-program-{secrets.token_hex(4)}")
    with connect(as_role(owned.url, reader, password)) as conn:
        conn.execute("SET default_transaction_read_only = on")
        try:
            conn.execute(f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'")
        except Exception as exc:  # a server on another machine, or a hardened one: nothing to show here
            pytest.skip(f"COPY TO PROGRAM did not run here: {exc}")
    deadline = time.monotonic() + 5
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists()
    with pytest.raises(GoalbookError, match="refusing to serve"):
        check_reader_role(as_role(owned.url, reader, password))
