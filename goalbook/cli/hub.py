"""``goalbook hub-config`` and ``goalbook hub-review``: goalbook for an organisation on JupyterHub."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``hub-config`` and ``hub-review`` commands."""
    p = subparsers.add_parser(
        "hub-config", help="print a jupyterhub_config.py for goalbook in an organisation",
        description="Print a jupyterhub_config.py to start from: goalbook's groups and roles, each person's "
                    "JupyterLab reaching the shared store (writers as the writer role, everyone else as the "
                    "SELECT-only reader), and the review pages as the hub service goalbook-review behind the hub's "
                    "login. See the README's section for platform engineers and docs/hub/ for Kubernetes.")
    p.add_argument("--writer-store", default=None, help="the store URL for people who may write")
    p.add_argument("--reader-store", default=None, help="the store URL as a SELECT-only role (review pages, readers)")
    p.add_argument("--team", action="append", dest="teams", default=None,
                   help="a team whose editors group to create (repeat; default Web and Sales)")
    p.add_argument("--review-notebooks", default=None, help="the folder of review notebooks the service serves")
    p.add_argument("--public-host", default=None, help="the host name people reach the hub at (Host check)")
    p.add_argument("--output", type=Path, default=None, help="write to this file instead of standard output")
    p.set_defaults(func=_config)

    r = subparsers.add_parser(
        "hub-review", help="serve review pages as a JupyterHub service (started by the hub)",
        description="Run by JupyterHub as the managed service goalbook-review: Voilà with goalbook's review "
                    "settings behind the hub's login, on the address in $JUPYTERHUB_SERVICE_URL, reading "
                    "$GOALBOOK_STORE read-only (a PostgreSQL role must be SELECT-only) and accepting only the "
                    "hosts in $GOALBOOK_ALLOWED_HOSTS and loopback addresses.")
    r.add_argument("path", metavar="NOTEBOOKS", help="a folder of review notebooks")
    r.set_defaults(func=_review)


def _config(args: argparse.Namespace) -> int:
    from goalbook.hub.config import HubSettings, render

    s = HubSettings()
    for name in ("writer_store", "reader_store", "teams", "review_notebooks", "public_host"):
        value = getattr(args, name)
        if value:
            setattr(s, name, value)
    text = render(s)
    if args.output is not None:
        args.output.write_text(text)
        print(f"goalbook hub-config: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _review(args: argparse.Namespace) -> int:
    import os

    from goalbook.errors import GoalbookError
    from goalbook.hub.service import run

    if "JUPYTERHUB_SERVICE_URL" not in os.environ:
        raise GoalbookError("hub-review runs as a JupyterHub service ($JUPYTERHUB_SERVICE_URL is not set); "
                            "for review pages without a hub use `goalbook review`")
    run(args.path)
    return 0
