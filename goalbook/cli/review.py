"""``goalbook review PATH``: serve a notebook or a folder of notebooks as read-only Voilà pages."""

from __future__ import annotations

import argparse
import sys

from goalbook.review import (
    DEFAULT_IP,
    DEFAULT_PORT,
    review_env,
    serve_until_stopped,
    start_process,
    stop_signals_interrupt,
    voila_command,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``review`` command."""
    p = subparsers.add_parser(
        "review", help="serve notebooks as read-only review pages (Voilà)",
        description="Serve a notebook or a folder of notebooks with Voilà, read-only: sources stripped, "
                    "tracebacks hidden, no template switching, only images served as files. Kernels get "
                    "GOALBOOK_READONLY=1 and, with --store, GOALBOOK_STORE, which the review notebooks open "
                    "read-only at the database level.")
    p.add_argument("path", metavar="PATH", help="a notebook (.ipynb) or a folder of notebooks")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    p.add_argument("--ip", default=DEFAULT_IP,
                   help=f"address to listen on (default {DEFAULT_IP}, this machine only; 0.0.0.0 publishes "
                        "the pages to the network, without a login)")
    p.add_argument("--store", metavar="URL_OR_PATH",
                   help="the goal store the pages show: a SQLite file or a postgresql:// URL")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    argv = voila_command(args.path, port=args.port, ip=args.ip, open_browser=not args.no_browser)
    env = review_env(args.store)
    print(f"goalbook review: serving {args.path} read-only at http://{args.ip}:{args.port}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    with stop_signals_interrupt():  # no moment where a stop signal could orphan Voilà
        return serve_until_stopped([start_process(argv, env)], ["Voilà"])
