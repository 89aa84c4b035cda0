"""``goalbook review PATH``: serve a notebook or a folder of notebooks as read-only Voilà pages."""

from __future__ import annotations

import argparse
import sys

from goalbook.review import (
    DEFAULT_IP,
    DEFAULT_PORT,
    check_reader_role,
    review_env,
    serve_until_stopped,
    start_process,
    stop_signals_interrupt,
    voila_command,
)
from goalbook.runtime import STORE_ENV


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``review`` command."""
    p = subparsers.add_parser(
        "review", help="serve notebooks as read-only review pages (Voilà)",
        description="Serve a notebook or a folder of notebooks with Voilà, read-only: sources stripped, "
                    "tracebacks hidden, no template switching, only images served as files. Kernels get "
                    "GOALBOOK_READONLY=1 and, with --store, GOALBOOK_STORE, which the review notebooks open "
                    "read-only at the database level. A PostgreSQL store must be reached as a role that can only "
                    "read it (`goalbook store grant-reader`): review checks the role's rights at start and refuses "
                    "one that could write.")
    p.add_argument("path", metavar="PATH", help="a notebook (.ipynb) or a folder of notebooks")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")
    p.add_argument("--ip", default=DEFAULT_IP,
                   help=f"address to listen on (default {DEFAULT_IP}, this machine only; 0.0.0.0 publishes "
                        "the pages to the network, without a login)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name the pages are also reached by (repeatable). Requests for any other Host than "
                        "localhost, 127.0.0.1, ::1, --ip and these get 403, so a foreign web page cannot reach the "
                        "server through DNS rebinding")
    p.add_argument("--max-kernels", type=int, default=None, metavar="N",
                   help="at most N pages (kernels, ~140 MB each) at once; a reader over the cap gets a 'busy, "
                        "retry' page that retries by itself (default 20; 0: no cap)")
    p.add_argument("--cull-connected-after", type=float, default=None, metavar="SECONDS",
                   help="shut down a page's kernel idle this long even while the page is still open (default 1800; "
                        "0: never). Kernels of closed pages go after 120 s")
    p.add_argument("--preheat", type=int, default=None, metavar="N",
                   help="keep N kernels per page started and waiting for a reader, so a page opens without "
                        "starting one (default 1; 0: start a kernel per page view). A page still reads the store "
                        "and its ?team= / ?since= when it is opened, never before. Pooled kernels come on top of "
                        "--max-kernels")
    p.add_argument("--store", metavar="URL_OR_PATH",
                   help="the goal store the pages show: a SQLite file or a postgresql:// URL")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--allow-writable-role", action="store_true",
                   help="serve a PostgreSQL store even when the role in its URL can write to it (not recommended: "
                        "by default review refuses, and says how to make a reader role with "
                        "`goalbook store grant-reader`)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    argv = voila_command(args.path, port=args.port, ip=args.ip, open_browser=not args.no_browser,
                         allowed_hosts=args.allow_host, max_kernels=args.max_kernels,
                         cull_connected_after=args.cull_connected_after, preheat=args.preheat)
    env = review_env(args.store, ip=args.ip)
    for warning in check_reader_role(env.get(STORE_ENV), allow_writable=args.allow_writable_role):
        print(f"goalbook review: {warning}", file=sys.stderr, flush=True)
    print(f"goalbook review: serving {args.path} read-only at http://{args.ip}:{args.port}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    with stop_signals_interrupt():  # no moment where a stop signal could orphan Voilà
        return serve_until_stopped([start_process(argv, env)], ["Voilà"])
