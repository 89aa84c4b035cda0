"""``goalbook demo``: the example goalbook in a local store, the workshop notebooks in JupyterLab and the
review pages in Voilà, both on this machine, until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from goalbook.errors import GoalbookError
from goalbook.identity import author_source, current_author
from goalbook.resources import shipped
from goalbook.review import (
    DEFAULT_IP,
    DEFAULT_PORT,
    review_env,
    serve_until_stopped,
    start_process,
    stop_all,
    stop_signals_interrupt,
    voila_command,
    wait_for_port,
)
from goalbook.runtime import STORE_ENV

DEFAULT_DB = "demo/goalbook.db"
DEFAULT_LAB_PORT = 8888


def notebooks_dir() -> Path:
    """The workshop and review notebooks goalbook was installed with (inside the package in a wheel,
    ``notebooks/`` in a checkout)."""
    return shipped("notebooks")


def seed_store(db: Path) -> bool:
    """Put the example goalbook into a new SQLite store at ``db``; keep an existing one as it is.

    Returns True when the store was created. The import goes to a temporary file first and is moved
    into place only when complete, so an interrupted seed never leaves a half-filled store behind
    that the next run would keep.
    """
    if db.exists():
        return False
    import goalbook
    from goalbook.examples import load_example

    db.parent.mkdir(parents=True, exist_ok=True)
    staged = db.with_name(f".{db.name}.seeding-{os.getpid()}")
    try:
        with goalbook.open(staged, author="goalbook-demo") as store:
            store.import_book(load_example())
        os.link(staged, db)  # never replaces a store that appeared meanwhile
    except FileExistsError:
        return False
    finally:
        for leftover in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
            leftover.unlink(missing_ok=True)
    return True


def working_copy(source: Path, into: Path) -> bool:
    """Copy the workshop notebooks ``source`` to ``into`` for JupyterLab to work on, unless a copy is
    already there (it is kept, with whatever was typed into it).

    JupyterLab saves outputs and edits into the notebooks it opens; working on a copy next to the
    demo store keeps a goalbook checkout's committed notebooks clean. The copy is made under a
    temporary name and renamed into place, so an interrupted copy is never mistaken for one.
    Returns True when the copy was made.
    """
    if into.exists():
        return False
    staged = into.with_name(f".{into.name}.copying-{os.getpid()}")
    shutil.rmtree(staged, ignore_errors=True)
    try:
        shutil.copytree(source, staged, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        staged.rename(into)
    except OSError:
        if not into.exists():
            raise
        return False  # another demo made it meanwhile
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return True


def lab_command(root: Path, port: int, token: str = "") -> list[str]:
    """JupyterLab on ``root``, this machine only (127.0.0.1), no browser. An empty ``token`` disables
    the login, which is acceptable only because nothing but this machine can reach the port."""
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.root_dir={root}",
            f"--ServerApp.port={int(port)}", "--ServerApp.port_retries=0", f"--ServerApp.ip={DEFAULT_IP}",
            f"--IdentityProvider.token={token}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses unless told
        argv.append("--allow-root")
    return argv


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` command."""
    p = subparsers.add_parser(
        "demo", help="the example goalbook in JupyterLab and in read-only review pages",
        description="Seed the example goalbook into a local SQLite store (kept if it exists), then serve a "
                    "copy of the workshop notebooks next to the store (made once, kept) with JupyterLab and "
                    "notebooks/review/ with Voilà, read-only, both on "
                    "127.0.0.1 only. JupyterLab runs without a login token because only this machine can reach "
                    "it; on a shared machine pass --lab-token. Ctrl-C stops both.")
    p.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=f"the store file (default {DEFAULT_DB})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"Voilà port (default {DEFAULT_PORT})")
    p.add_argument("--lab-port", type=int, default=DEFAULT_LAB_PORT,
                   help=f"JupyterLab port (default {DEFAULT_LAB_PORT})")
    p.add_argument("--lab-token", default="", help="require this token to open JupyterLab (default: none)")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="the workshop notebooks folder, review pages in its review/ (default: notebooks/)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    root = (args.notebooks or notebooks_dir()).resolve()
    review = root / "review"
    if not review.is_dir():
        raise GoalbookError(f"no review pages at {review}: the demo serves the notebooks goalbook ships "
                            "(or pass --notebooks)")
    if args.port == args.lab_port:
        print("goalbook demo: --port and --lab-port must differ", file=sys.stderr)
        return 2
    db = args.db.resolve()
    created = seed_store(db)
    print(f"goalbook demo: {'seeded the example goalbook into' if created else 'using the existing store'} {db}",
          flush=True)
    workshop = db.parent / "notebooks"
    copied = working_copy(root, workshop)
    print(f"goalbook demo: JupyterLab works on {'a new' if copied else 'the'} copy of {root} in {workshop} "
          "(the originals stay as committed)", flush=True)
    servers = [
        ("JupyterLab", lab_command(workshop, args.lab_port, args.lab_token), {**os.environ, STORE_ENV: str(db)},
         args.lab_port, db.parent / "jupyterlab.log"),
        ("Voilà", voila_command(review, port=args.port), review_env(db), args.port, db.parent / "voila.log"),
    ]
    procs: list[subprocess.Popen] = []
    try:
        with stop_signals_interrupt():
            for _, argv, env, _, log in servers:
                log.write_bytes(b"")
                procs.append(start_process(argv, env, log))
            for (name, _, _, port, log), proc in zip(servers, procs, strict=True):
                if not wait_for_port(port, proc):
                    print(f"goalbook demo: {name} did not start on port {port} (in use?); the end of {log}:\n"
                          f"{_tail(log)}", file=sys.stderr)
                    stop_all(procs)
                    return 1
            lab_url = f"http://{DEFAULT_IP}:{args.lab_port}/lab"
            lab_url += f"?token={args.lab_token}" if args.lab_token else ""
            print(f"\n  Workshop notebooks (JupyterLab):  {lab_url}\n"
                  f"  Review pages (Voilà, read-only):  http://{DEFAULT_IP}:{args.port}/\n\n"
                  f"  Store: {db}\n  Edits are recorded as {current_author()} ({author_source()}; "
                  f"set $GOALBOOK_AUTHOR to change it)\n"
                  f"  Logs:  {servers[0][4]}, {servers[1][4]}\n  Ctrl-C stops both.\n", flush=True)
            return serve_until_stopped(procs, [name for name, *_ in servers])
    except KeyboardInterrupt:  # stopped while starting
        stop_all(procs)
        return 0


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
