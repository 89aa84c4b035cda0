"""``goalbook store grant-reader URL --role NAME``: a PostgreSQL login role that can only read the store,
for review pages (``goalbook review --store`` refuses a role that could write).

The password is read from ``$GOALBOOK_READER_PASSWORD`` (or the variable ``--password-env`` names),
or asked for twice on a terminal; never from the command line, where other users and shell history
would see it. It reaches the server only hashed, as the server's ``password_encryption`` says.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shlex
import sys

from goalbook.errors import GoalbookError
from goalbook.review import READER_PASSWORD_ENV


def read_password(env_name: str, role: str) -> str:
    """The new role's password: from the environment variable ``env_name``, else typed twice on a terminal."""
    if env_name in os.environ:
        password = os.environ[env_name]
        if not password:
            raise GoalbookError(f"${env_name} is empty: give role {role} a password")
        return password
    if not sys.stdin.isatty():
        raise GoalbookError(f"no password for role {role}: set ${env_name} (this is not a terminal to ask on)")
    password = getpass.getpass(f"password for role {role}: ")
    if not password:
        raise GoalbookError(f"no password given for role {role}")
    if getpass.getpass(f"password for role {role} again: ") != password:
        raise GoalbookError("the two passwords differ; nothing was changed")
    return password


def grant_reader(args: argparse.Namespace) -> int:
    """Create or update the reader role, and say how to serve review pages as it."""
    import goalbook.store
    from goalbook.store._engine import parse_target
    from goalbook.store._roles import role_url

    if parse_target(args.url)[0] != "postgresql":
        raise GoalbookError(f"{args.url} is an SQLite file: it has no roles, and review pages already open it "
                            "read-only (mode=ro); grant-reader is for postgresql:// stores")
    password = read_password(args.password_env, args.role)
    with goalbook.store.open(args.url, readonly=True):  # the store must be there already: never create one here
        pass
    with goalbook.store.open(args.url) as store:
        access = store.grant_reader(args.role, password)
    print(f"role {access.role} can read every table of the store at {store.url} and change nothing "
          "(SELECT only; no other table right, no CREATE in the schema, no sequence).\n"
          "Serve review pages as it (its password in the URL, $PGPASSWORD or ~/.pgpass):\n"
          f"  goalbook review notebooks/review --store {shlex.quote(role_url(args.url, access.role))}\n"
          "Run this again after upgrading goalbook, so tables a new version adds can be read too.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``store`` command and its sub-commands."""
    p = subparsers.add_parser("store", help="administer a goal store (PostgreSQL roles for review pages)",
                              description="Administer a goal store.")
    sub = p.add_subparsers(dest="store_command", metavar="SUBCOMMAND", required=True)
    g = sub.add_parser(
        "grant-reader", allow_abbrev=False,  # `--password SECRET` must be a usage error, not a variable's name
        help="create or update a PostgreSQL login role that can only read the store",
        description="Run as the owner of the store's tables: create (or update) a login role with SELECT on the "
                    "store's tables and USAGE on their schema, and take away any other right it has on them (other "
                    "table rights, column grants, CREATE in the schema, sequence use), in one transaction that is "
                    "checked before it commits: a role that could still write (a superuser, a member of a role "
                    "that can write) is refused and nothing changes. `goalbook review --store` serves only as such "
                    "a role. The password is read from an environment variable or asked for, never from the "
                    "command line.")
    g.add_argument("url", metavar="URL", help="the store, as its owner: postgresql://OWNER@HOST/DB")
    g.add_argument("--role", required=True, metavar="NAME", help="the reader role to create or update")
    g.add_argument("--password-env", default=READER_PASSWORD_ENV, metavar="VAR",
                   help=f"the environment variable holding the role's password (default {READER_PASSWORD_ENV}); "
                        "when it is not set, the password is asked for on the terminal")
    g.set_defaults(func=grant_reader)
