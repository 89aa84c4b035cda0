"""PostgreSQL roles for review pages: a login role that can only read the store, and the check that a
role cannot write.

A read-only *session* (``default_transaction_read_only``) can be switched back by the session itself
(``SET default_transaction_read_only = off``); a role without write privileges cannot. So a reader
role gets ``SELECT`` on the store's tables and ``USAGE`` on their schema, and nothing else on them:
no table privilege beyond ``SELECT``, no column grant, no ``CREATE`` in the schema, no sequence. The
check asks the server (``has_table_privilege`` and its kin, which count ``PUBLIC``, inherited roles
and predefined roles such as ``pg_write_all_data``) for the login role *and every role it is a member
of*, since ``SET ROLE`` reaches those even when their rights are not inherited; and it refuses a member
of the predefined roles that reach the server itself (:data:`SERVER_ROLES`: ``COPY ... TO PROGRAM``
writes to the store whatever the table rights say). Every query is
set-based: one per question, whatever the number of tables.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from goalbook.errors import GoalbookError
from goalbook.store._schema import metadata
from goalbook.store.records import RoleAccess

TABLE_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
"""Table privileges a reader must not hold (``MAINTAIN`` joins them on PostgreSQL 17 and later)."""
_COLUMN_LEVEL = ("INSERT", "UPDATE", "REFERENCES")  # also grantable per column: ask has_any_column_privilege
SEQUENCE_WRITES = ("USAGE", "UPDATE")  # nextval and setval
_SEQUENCES = ("SELECT DISTINCT s.oid, quote_ident(n.nspname) || '.' || quote_ident(s.relname) AS name "
              "FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
              "JOIN pg_namespace n ON n.oid = s.relnamespace "
              "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid IN ({})")
"""The sequences behind the serial columns of the tables the placeholder selects (by oid)."""
_STORE_TABLE_OIDS = "SELECT to_regclass(quote_ident(t)) FROM unnest(CAST(:tables AS text[])) AS t"
SERVER_ROLES = {
    "pg_execute_server_program": "run programs on the database server (COPY ... TO PROGRAM), which can write "
                                 "anything the server can",
    "pg_write_server_files": "write files on the database server (COPY ... TO a file)",
    "pg_read_server_files": "read any file the database server can (COPY ... FROM a file, pg_read_file)",
}
"""Predefined roles that reach past every table privilege: a reader must be a member of none, directly
or through another role (table rights cannot stop ``COPY ... TO PROGRAM 'psql ...'``)."""


def role_url(url: str, role: str) -> str:
    """A ``postgresql://`` URL logging in as ``role`` instead, with no password in it (to show in a
    command: the password belongs in ``$PGPASSWORD``, ``~/.pgpass`` or a URL the operator types)."""
    plain = make_url(url)._replace(password=None)  # URL.set() leaves a password it is given None for
    return plain.set(drivername="postgresql", username=role).render_as_string(hide_password=False)


def store_tables() -> list[str]:
    """The names of every table the store keeps, in dependency order."""
    return [t.name for t in metadata.sorted_tables]


def _table_writes(conn: sa.Connection) -> tuple[str, ...]:
    version = conn.dialect.server_version_info or (0,)
    return (*TABLE_WRITES, "MAINTAIN") if version >= (17,) else TABLE_WRITES


def _privileges(function: str, privileges: tuple[str, ...], subject: str, obj: str) -> str:
    """SQL for the array of ``privileges`` ``subject`` holds on ``obj``, through ``function``."""
    cases = []
    for p in privileges:
        fn = "has_any_column_privilege" if function == "has_table_privilege" and p in _COLUMN_LEVEL else function
        cases.append(f"CASE WHEN {fn}({subject}, {obj}, '{p}') THEN '{p}' END")
    return f"array_remove(ARRAY[{', '.join(cases)}]::text[], NULL)"


def _role(conn: sa.Connection, role: str | None) -> sa.Row:
    """``(oid, rolname, rolsuper, rolcreaterole)`` of ``role``, or of the role this session logged in as."""
    q = sa.text("SELECT oid, rolname, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = "
                + ("CAST(:role AS name)" if role is not None else "session_user"))
    row = conn.execute(q, {"role": role}).first()
    if row is None:
        raise GoalbookError(f"there is no PostgreSQL role {role!r}")
    return row


def role_access(conn: sa.Connection, role: str | None = None) -> RoleAccess:
    """What ``role`` (default: the role this session logged in as) could write in the store, and which
    store tables it cannot read: what the server refuses a role, no ``SET`` of its session can lift."""
    me = _role(conn, role)
    tables = store_tables()
    unreadable = list(conn.execute(sa.text(
        "SELECT t.name FROM unnest(CAST(:tables AS text[])) WITH ORDINALITY AS t(name, i) "
        "LEFT JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name)) "
        "WHERE c.oid IS NULL OR NOT has_table_privilege(CAST(:me AS oid), c.oid, 'SELECT') "
        "OR NOT has_schema_privilege(CAST(:me AS oid), c.relnamespace, 'USAGE') "
        "OR NOT has_database_privilege(CAST(:me AS oid), current_database(), 'CONNECT') ORDER BY t.i"),
        {"tables": tables, "me": me.oid}).scalars())
    if me.rolsuper:
        return RoleAccess(me.rolname, [f"{me.rolname} is a superuser: it can write anything"], unreadable)
    found = conn.execute(sa.text(f"""
        WITH roles AS (SELECT oid, rolname, rolsuper, rolcreaterole FROM pg_roles
                       WHERE pg_has_role(CAST(:me AS oid), oid, 'MEMBER')),
             tabs AS (SELECT t.name, c.oid, c.relowner, c.relnamespace
                      FROM unnest(CAST(:tables AS text[])) AS t(name)
                      JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))),
             schemas AS (SELECT DISTINCT n.oid, n.nspname, n.nspowner FROM tabs JOIN pg_namespace n
                         ON n.oid = tabs.relnamespace),
             seqs AS ({_SEQUENCES.format("SELECT oid FROM tabs")})
        SELECT r.rolname, 'role' AS kind, '' AS object,
               array_remove(ARRAY[CASE WHEN r.rolsuper THEN 'SUPERUSER' END,
                                  CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
                                  CASE WHEN r.rolname IN ({", ".join(f"'{name}'" for name in SERVER_ROLES)})
                                       THEN 'SERVER ACCESS' END]::text[], NULL) AS what
          FROM roles r
        UNION ALL
        SELECT r.rolname, 'table', t.name,
               {_privileges("has_table_privilege", _table_writes(conn), "r.oid", "t.oid")}
               || CASE WHEN t.relowner = r.oid THEN ARRAY['OWNER'] ELSE ARRAY[]::text[] END
          FROM roles r CROSS JOIN tabs t
        UNION ALL
        SELECT r.rolname, 'schema', s.nspname,
               {_privileges("has_schema_privilege", ("CREATE",), "r.oid", "s.oid")}
               || CASE WHEN s.nspowner = r.oid THEN ARRAY['OWNER'] ELSE ARRAY[]::text[] END
          FROM roles r CROSS JOIN schemas s
        UNION ALL
        SELECT r.rolname, 'sequence', q.name,
               {_privileges("has_sequence_privilege", SEQUENCE_WRITES, "r.oid", "q.oid")}
          FROM roles r CROSS JOIN seqs q
        """), {"me": me.oid, "tables": tables}).all()
    return RoleAccess(me.rolname, _describe(me.rolname, found), unreadable)


def _describe(login: str, found: list[Any]) -> list[str]:
    """The rows of :func:`role_access` in words, one line per role and kind of object, the login role first."""
    grouped: dict[tuple[str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    for rolname, kind, obj, what in found:
        if what:
            grouped[(rolname, kind, tuple(what))].append(obj)
    lines = []
    for (rolname, kind, what), objects in sorted(grouped.items(), key=lambda kv: (kv[0][0] != login, kv[0])):
        who = rolname if rolname == login else f"{login} can SET ROLE {rolname}, which"
        if kind == "role" and "SERVER ACCESS" in what:
            lines.append(f"{login} is a member of {rolname}: it can {SERVER_ROLES[rolname]}")
            continue
        if kind == "role":
            lines.append(f"{who} has {' and '.join(what)}"
                         + (": it can write anything" if "SUPERUSER" in what else ": it can grant itself other "
                            "roles' rights"))
            continue
        rights = [w for w in what if w != "OWNER"]
        parts = ([f"owns {kind} {', '.join(objects)}"] if "OWNER" in what else []) + (
            [f"can {', '.join(rights)} on {kind} {', '.join(objects)}"] if rights else [])
        lines.append(f"{who} {' and '.join(parts)}")
    return lines


def grant_reader(conn: sa.Connection, role: str, password: str) -> RoleAccess:
    """Create (or update) login role ``role`` with ``password`` so it can read the store and write
    nothing in it; the caller must own the store's tables. Checked before commit: a role that could
    still write (a superuser, a member of a writing role) or cannot read makes this raise, and the
    caller's transaction rolls everything back."""
    from psycopg import sql

    if not role.strip():
        raise GoalbookError("a reader role needs a name")
    if not password:
        raise GoalbookError(f"role {role} needs a password")
    me = _role(conn, None)
    names = store_tables()
    if role == me.rolname:
        raise GoalbookError(f"{role} is the role you are connected as (the store's owner); name a separate "
                            "role for review pages")
    owners = conn.execute(sa.text(
        "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM unnest(CAST(:tables AS text[])) AS t(name) "
        "JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name)) WHERE NOT pg_has_role(c.relowner, 'USAGE')"),
        {"tables": names}).scalars().all()
    if owners:
        raise GoalbookError(f"run this as the owner of the store's tables ({', '.join(sorted(owners))}), not as "
                            f"{me.rolname}: only the owner can grant and take away rights on them")
    raw = conn.connection.driver_connection
    algorithm = conn.execute(sa.text("SHOW password_encryption")).scalar_one()
    verifier = raw.pgconn.encrypt_password(password.encode(), role.encode(), algorithm.encode()).decode()
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = CAST(:role AS name)"),
                          {"role": role}).first() is not None
    # the password leaves this process only as a hash (like psql's \password): never in a log in clear
    who = sql.Identifier(role)
    statement = sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}" if exists else "CREATE ROLE {} LOGIN PASSWORD {}")
    _run(conn, statement.format(who, sql.Literal(verifier)))
    found = conn.execute(sa.text(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(n.nspname) "
        "FROM unnest(CAST(:tables AS text[])) AS t(name) "
        "JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name)) JOIN pg_namespace n ON n.oid = c.relnamespace"),
        {"tables": names}).all()
    tables = [sql.SQL(name) for name, _ in found]  # already quoted by the server
    schemas = [sql.SQL(s) for s in dict.fromkeys(s for _, s in found)]
    sequences = [sql.SQL(name) for _, name in conn.execute(sa.text(_SEQUENCES.format(_STORE_TABLE_OIDS)),
                                                             {"tables": names})]
    comma = sql.SQL(", ")
    if tables:
        _run(conn, sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(comma.join(tables), who))
        _run(conn, sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(comma.join(tables), who))
    if sequences:
        _run(conn, sql.SQL("REVOKE ALL ON SEQUENCE {} FROM {}").format(comma.join(sequences), who))
    for schema in schemas:
        _run(conn, sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(schema, who))
        _run(conn, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, who))
    access = role_access(conn, role)
    if access.can_write or access.cannot_read:
        raise GoalbookError(f"role {role} was not made a reader, nothing was changed:\n"
                            + "\n".join(f"  - {line}" for line in access.problems())
                            + "\nA reader must be a plain login role, a member of no role that can write: pick "
                              "another name, or take those rights away (REVOKE ..., ALTER ROLE ...), and run this "
                              "again as the owner of the store's tables.")
    return access


def _run(conn: sa.Connection, statement: Any) -> None:
    """A composed utility statement (identifiers and literals quoted by psycopg) in this connection's
    transaction, sent without parameters, so a ``%`` in a name stays a ``%``."""
    conn.connection.driver_connection.execute(statement)
