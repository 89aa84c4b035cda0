"""Reader roles on PostgreSQL (``goalbook store grant-reader``, ``Store.grant_reader``, ``Store.role_access``):
a review page's role reads the whole store and cannot write to it, whatever its own session switches."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from pg_roles import as_role, connect, in_schema, throwaway_roles

import goalbook
from goalbook.cli import main
from goalbook.errors import GoalbookError
from goalbook.model import CheckIn, Goalbook

PASSWORD_ENV = "GOALBOOK_READER_PASSWORD"
WRITES = {
    "insert": "INSERT INTO check_ins (target_id, value, recorded_at) VALUES ('WEB-1', 1, now())",
    "update": "UPDATE smart_goals SET target = 0",
    "delete": "DELETE FROM events",
    "truncate": "TRUNCATE comments",
    "create": "CREATE TABLE planted (x int)",
    "create-elsewhere": "CREATE TABLE public.planted (x int)",
    "sequence": "SELECT nextval(pg_get_serial_sequence('events', 'seq'))",
}


@dataclass
class Owned:
    """A store in a schema of its own, owned by a plain (not superuser) login role, as in production."""

    url: str  # logs in as the owner
    owner: str
    schema: str
    new_role: object  # label -> a throwaway role name


@pytest.fixture
def owned(pg_server: str, small_book: Goalbook) -> Iterator[Owned]:
    with throwaway_roles(pg_server) as new_role:
        owner, password = new_role("owner"), secrets.token_hex(8)
        schema = f"{owner}_store"
        with connect(pg_server) as admin:
            admin.execute(f"CREATE ROLE \"{owner}\" LOGIN CREATEROLE PASSWORD '{password}'")
            admin.execute(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{owner}"')
        url = in_schema(as_role(pg_server, owner, password), schema)
        with goalbook.open(url, author="ann") as store:
            store.import_book(small_book)
        yield Owned(url, owner, schema, new_role)


def grant(url: str, role: str, monkeypatch: pytest.MonkeyPatch, password: str = "reader pw: 'quoted' %s") -> int:
    monkeypatch.setenv(PASSWORD_ENV, password)
    return main(["store", "grant-reader", url, "--role", role])


def refused(conn: psycopg.Connection, statement: str) -> str:
    """The SQLSTATE the server answered ``statement`` with (it must not run)."""
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement)
    return caught.value.sqlstate


@pytest.mark.postgres
def test_a_reader_role_reads_the_store_and_cannot_write_even_after_switching_its_session_back(
        owned: Owned, small_book: Goalbook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    reader = owned.new_role('Reader %s "1"')  # any name is quoted as a name, never run as SQL
    assert grant(owned.url, reader, monkeypatch) == 0
    out = capsys.readouterr().out
    assert f"role {reader} can read every table" in out and "goalbook review notebooks/review --store" in out
    assert "reader pw" not in out  # the password is never echoed
    url = as_role(owned.url, reader, "reader pw: 'quoted' %s")
    with goalbook.open(url, readonly=True) as store:
        assert store.load() == small_book
        access = store.role_access()
    assert (access.role, access.can_write, access.cannot_read, access.reader) == (reader, [], [], True)
    with connect(url) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute("RESET ROLE")
        assert conn.execute("SHOW default_transaction_read_only").fetchone() == ("off",)
        assert conn.execute("SELECT current_user").fetchone() == (reader,)
        for name, statement in WRITES.items():
            assert refused(conn, statement) == "42501", name  # insufficient_privilege: the role, not the session
        assert refused(conn, f'SET ROLE "{owned.owner}"') == "42501"  # nor can it become the owner
        assert conn.execute("SELECT count(*) FROM check_ins").fetchone() == (2,)
    with goalbook.open(url) as store, pytest.raises(GoalbookError, match=r"refused the write.*permission denied"):
        store.check_in(CheckIn("WEB-1", small_book.check_ins[0].date, 1))


@pytest.mark.postgres
def test_grant_reader_takes_away_every_write_right_a_role_already_had(owned: Owned,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    reader = owned.new_role("reader")
    with connect(owned.url) as conn:
        conn.execute(f"CREATE ROLE \"{reader}\" LOGIN PASSWORD 'old'")
        conn.execute(f'GRANT INSERT, DELETE ON events TO "{reader}"')
        conn.execute(f'GRANT UPDATE (target) ON smart_goals TO "{reader}"')  # a column grant
        conn.execute(f'GRANT CREATE ON SCHEMA "{owned.schema}" TO "{reader}"')
        (sequence,) = conn.execute("SELECT pg_get_serial_sequence('events', 'seq')").fetchone()
        conn.execute(f'GRANT USAGE ON SEQUENCE {sequence} TO "{reader}"')
    with goalbook.open(owned.url) as store:
        before = store.role_access(reader)
        assert not before.reader
        text = "\n".join(before.can_write)
        for right in ("INSERT, DELETE on table events", "UPDATE on table smart_goals", "CREATE on schema",
                      "USAGE on sequence"):
            assert right in text
        assert "check_ins" in before.cannot_read
        after = store.grant_reader(reader, "new")
    assert after.reader
    with goalbook.open(as_role(owned.url, reader, "new"), readonly=True) as store:
        assert store.role_access().reader
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect(as_role(owned.url, reader, "old"))


@pytest.mark.postgres
def test_a_role_that_could_still_write_is_refused_and_nothing_changes(owned: Owned, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture) -> None:
    reader = owned.new_role("reader")
    with connect(owned.url) as conn:
        conn.execute(f"CREATE ROLE \"{reader}\" LOGIN NOINHERIT PASSWORD 'old'")
        conn.execute(f'GRANT "{owned.owner}" TO "{reader}"')  # not inherited, but SET ROLE reaches the owner
    assert grant(owned.url, reader, monkeypatch) == 1
    err = capsys.readouterr().err
    assert f"role {reader} was not made a reader, nothing was changed" in err
    assert f"{reader} can SET ROLE {owned.owner}, which owns table" in err
    with connect(owned.url) as conn:  # the transaction rolled back: no SELECT granted, the old password kept
        assert conn.execute("SELECT has_table_privilege(%s, 'events', 'SELECT')", (reader,)).fetchone() == (False,)
    connect(as_role(owned.url, reader, "old")).close()


@pytest.mark.postgres
def test_role_access_names_a_superuser_and_the_role_in_use(pg_url: str) -> None:
    with goalbook.open(pg_url) as store:
        access = store.role_access()
        assert access.can_write == [f"{access.role} is a superuser: it can write anything"]
        with pytest.raises(GoalbookError, match="is the role you are connected as"):
            store.grant_reader(access.role, "pw")
        with pytest.raises(GoalbookError, match="no PostgreSQL role 'nobody-here'"):
            store.role_access("nobody-here")


def test_the_password_comes_from_the_environment_or_a_prompt_never_the_command_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    target = "postgresql://owner@127.0.0.1:9/never-reached"  # the password is settled before connecting
    assert main(["store", "grant-reader", target, "--role", "r", "--password", "x"]) == 2  # no such option
    assert main(["store", "grant-reader", target, "--role", "r"]) == 1  # stdin is no terminal here: no prompt
    assert f"set ${PASSWORD_ENV}" in capsys.readouterr().err
    monkeypatch.setenv("MY_PW", "")
    assert main(["store", "grant-reader", target, "--role", "r", "--password-env", "MY_PW"]) == 1
    assert "$MY_PW is empty" in capsys.readouterr().err


def test_an_sqlite_store_has_no_roles_to_grant(tmp_path, small_book: Goalbook, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "goals.db"
    with goalbook.open(db) as store:
        store.import_book(small_book)
        with pytest.raises(GoalbookError, match="SQLite has no roles"):
            store.role_access()
    assert grant(str(db), "reader", monkeypatch) == 1
    assert "is an SQLite file: it has no roles" in capsys.readouterr().err


@pytest.mark.postgres
def test_only_the_owner_of_the_store_can_make_a_reader(owned: Owned, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture) -> None:
    someone, reader = owned.new_role("someone"), owned.new_role("reader")
    with connect(owned.url) as conn:  # a colleague who may create roles and read the store, but owns nothing
        conn.execute(f"CREATE ROLE \"{someone}\" LOGIN CREATEROLE PASSWORD 'pw'")
        conn.execute(f'GRANT USAGE ON SCHEMA "{owned.schema}" TO "{someone}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{owned.schema}" TO "{someone}"')
    assert grant(as_role(owned.url, someone, "pw"), reader, monkeypatch) == 1
    assert f"run this as the owner of the store's tables ({owned.owner}), not as {someone}" in capsys.readouterr().err
    with connect(owned.url) as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reader,)).fetchone() is None


@pytest.mark.postgres
def test_grant_reader_never_creates_a_store(pg_url: str, pg_server: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture) -> None:
    with throwaway_roles(pg_server) as new_role:
        reader = new_role("reader")
        assert grant(pg_url, reader, monkeypatch) == 1
        assert "not a goalbook store yet" in capsys.readouterr().err
        with connect(pg_url) as conn:
            assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone() == (0,)
            assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reader,)).fetchone() is None


def test_on_a_terminal_the_password_is_asked_for_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    from goalbook.cli.store import read_password

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["s3cret", "s3cret", "s3cret", "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert read_password(PASSWORD_ENV, "reader") == "s3cret"
    with pytest.raises(GoalbookError, match="the two passwords differ"):
        read_password(PASSWORD_ENV, "reader")
