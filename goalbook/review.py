"""Serving review pages with Voilà, read-only: the settings, the command line and the kernel environment.

A review page is for people who only read. Voilà already refuses code execution from the page, but
it still routes widget messages (a page can set any synced trait), so read-only has to hold in
layers: the kernels are told they serve a review (``GOALBOOK_READONLY=1``) and which store to open
(``GOALBOOK_STORE``; notebooks open it with ``goalbook.open(url, readonly=True)``, read-only at the
database level), sources are stripped, tracebacks hidden, the template and theme cannot be switched
from the URL, and only raster images are served as files. ``voila.json`` in the repository root
carries the same :data:`REVIEW_CONFIG` for anyone running ``voila`` by hand from there.

On PostgreSQL a read-only session is not enough, since the session could switch it back with a
``SET``: :func:`check_reader_role` refuses a store reached as a role that could write to it, and says
how to make one that cannot (``goalbook store grant-reader``).

:func:`voila_command` and :func:`review_env` build what ``goalbook review`` and ``goalbook demo``
run without starting anything, so both can be checked without a server; :func:`start_process`,
:func:`stop_process` and :func:`serve_until_stopped` run the servers and stop them cleanly.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from goalbook.errors import GoalbookError
from goalbook.runtime import READONLY_ENV, STORE_ENV

DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"
READER_ROLE = "goalbook_reader"
"""The reader role's name in the commands goalbook suggests."""
READER_PASSWORD_ENV = "GOALBOOK_READER_PASSWORD"
"""Where ``goalbook store grant-reader`` reads the reader role's password from (unless told another variable)."""

IMAGE_FILES = r".*\.(png|jpe?g|gif|webp)"
"""The only files Voilà may serve from the review folder. SVG is left out on purpose: an SVG opened
directly runs its scripts in the page's origin."""

REVIEW_CONFIG: dict[str, dict[str, Any]] = {
    "VoilaConfiguration": {
        "template": "lab",  # gridstack is stale and incompatible with JupyterLab 4
        "theme": "light",
        "strip_sources": True,
        "show_tracebacks": False,  # a traceback can carry paths, data and store URLs
        "allow_template_override": "NO",  # no ?template= / ?theme= from the URL
        "allow_theme_override": "NO",
        "file_allowlist": [IMAGE_FILES],
        "file_denylist": [r".*\.(ipynb|py)", r"(.*/)?\..*"],  # notebooks, code, hidden files and folders
        "multi_kernel_manager_class": "goalbook.review_server.ReviewKernelManager",
        # Preheated kernels: each review page keeps default_pool_size kernels that have started, imported
        # the widgets and wait for a reader (goalbook.notebook.wait_for_reader); the store and the URL's
        # query string are read only once the reader's request arrives, so no page is stale.
        "preheat_kernel": True,
        "default_pool_size": 1,
        # Lab extensions a review page never uses, which every page would otherwise download and run before
        # its widgets draw: syntax highlighting (no code is shown) and JupyterLab's Voilà preview button.
        # plotly's renderer stays: a notebook of one's own served here may show a plotly figure as output.
        "extension_denylist": ["jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview"],
    },
    # Voilà parses binary kernel messages as the v1 websocket protocol only: a client speaking the legacy
    # protocol hangs the server (see goalbook.review_server), so kernel websockets must negotiate v1.
    "Voila": {"kernel_websocket_connection_class": "goalbook.review_server.V1OnlyConnection"},
    # Every visit starts a kernel: at most max_kernels run (a page over the cap says "busy, retry").
    # Voilà's own shutdown-on-leave is refused by jupyter_server's XSRF check (voila 0.5.13), so the
    # kernel of a closed page is shut down leave_grace seconds after its websocket closed (any kernel
    # left behind is culled after cull_idle_timeout), and kernels of pages left open once idle for
    # cull_connected_after seconds.
    "MappingKernelManager": {"cull_idle_timeout": 120, "cull_interval": 30, "cull_connected": False},
    "ReviewKernelManager": {"max_kernels": 20, "cull_connected_after": 1800, "leave_grace": 10},
    # Kernels talk to the server over Unix sockets, not TCP ports picked at random: pages opened at the
    # same moment cannot race for a port (the loser's kernel never answers and its page never renders),
    # and no kernel listens on the network at all.
    "KernelManager": {"transport": "ipc"},
    # A preheated kernel's replacement starts fill_delay seconds after a reader took it (Voilà's default: 1 s):
    # starting a kernel and building a page takes both cores for seconds, which the reader's own page,
    # drawing in their browser and fetching its widgets from the server, needs more in that moment.
    "VoilaKernelManager": {"fill_delay": 10},
}
"""Voilà's traitlets configuration for a review page, the same as ``voila.json``."""


def _cli_value(value: Any) -> str:
    return str(value) if not isinstance(value, bool) else ("True" if value else "False")


def config_args(config: Mapping[str, Mapping[str, Any]] = REVIEW_CONFIG) -> list[str]:
    """``config`` as traitlets command-line options (lists become one option per item).

    The command line wins over any ``voila.json`` Voilà finds in the working directory, so the
    review settings hold wherever ``goalbook review`` is run from.
    """
    args = []
    for section, traits in config.items():
        for name, value in traits.items():
            items = value if isinstance(value, list) else [value]
            args += [f"--{section}.{name}={_cli_value(item)}" for item in items]
    return args


def voila_command(path: str | os.PathLike[str], *, port: int = DEFAULT_PORT, ip: str = DEFAULT_IP,
                  open_browser: bool = False, allowed_hosts: Sequence[str] = (), max_kernels: int | None = None,
                  cull_connected_after: float | None = None, preheat: int | None = None) -> list[str]:
    """The argv that serves ``path`` (a notebook or a folder of notebooks) as read-only review pages.

    The server is Voilà with goalbook's guards (:mod:`goalbook.review_server`: only the ``Host`` names
    it is served as, loopback, ``ip`` and ``allowed_hosts``; only v1 kernel websockets; at most
    ``max_kernels`` kernels for readers), ``preheat`` kernels per page waiting for a reader (0: none;
    default :data:`REVIEW_CONFIG`'s pool size), on this interpreter, so it finds the same goalbook as the caller. The
    port is taken as given (``port_retries=0``): a busy port fails loudly instead of moving the page
    elsewhere. The store is not part of the argv; it reaches the kernels through :func:`review_env`.
    """
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(f"nothing to review at {target}: no such notebook or folder")
    if target.is_file() and target.suffix != ".ipynb":
        raise GoalbookError(f"{target} is not a notebook (.ipynb) or a folder of notebooks")
    config = {section: dict(traits) for section, traits in REVIEW_CONFIG.items()}
    kernels = config["ReviewKernelManager"]
    if max_kernels is not None:
        kernels["max_kernels"] = int(max_kernels)
    if preheat is not None:
        if preheat < 0:
            raise GoalbookError(f"--preheat {preheat}: give a number of kernels per page, 0 or more")
        config["VoilaConfiguration"]["preheat_kernel"] = preheat > 0
        config["VoilaConfiguration"]["default_pool_size"] = int(preheat)
    if cull_connected_after is not None:
        kernels["cull_connected_after"] = float(cull_connected_after)
        if 0 < cull_connected_after < 60:  # check often enough for a short limit to mean what it says
            config["MappingKernelManager"]["cull_interval"] = max(1, int(cull_connected_after // 2))
    argv = [sys.executable, "-m", "goalbook.review_server", str(target.resolve()), f"--port={int(port)}",
            "--Voila.port_retries=0", f"--Voila.ip={ip}", *config_args(config)]
    argv += [f"--ReviewVoila.allowed_hosts={name}" for name in allowed_hosts]
    if not open_browser:
        argv.append("--no-browser")
    return argv


def resolve_store(store: str | os.PathLike[str]) -> str:
    """A store as the kernels should see it: a URL unchanged, a path made absolute.

    The kernels run in the notebook's folder, not the caller's, so a relative path would open a
    different (new, empty) file there. A path that does not exist is refused here for the same reason.
    """
    text = os.fspath(store)
    if "://" in text:
        return text
    path = Path(text).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"no goal store at {path}: run `goalbook import` or `goalbook demo` to create one")
    return str(path.resolve())


def review_env(store: str | os.PathLike[str] | None = None, base: Mapping[str, str] | None = None, *,
               ip: str = DEFAULT_IP) -> dict[str, str]:
    """The environment for Voilà and its kernels: ``base`` (default ``os.environ``) marked read-only,
    with ``GOALBOOK_STORE`` set when a store is given (else whatever ``base`` had).

    A preheated kernel asks the server for its reader's request at ``VOILA_APP_IP`` (Voilà's default
    127.0.0.1): a server listening on one other address (``--ip``) is asked there."""
    env = dict(os.environ if base is None else base)
    env[READONLY_ENV] = "1"
    if ip not in ("", "0.0.0.0", "::", "127.0.0.1", "localhost"):
        env["VOILA_APP_IP"] = f"[{ip}]" if ":" in ip else ip
    if store is not None:
        env[STORE_ENV] = resolve_store(store)
    return env


def check_reader_role(store: str | None, *, allow_writable: bool = False) -> list[str]:
    """Refuse to serve a PostgreSQL store that the kernels would reach as a role able to write to it.

    The store is opened here, read-only, as the kernels will open it, and the server is asked what
    that role (and every role it can ``SET ROLE`` to) may do to the store's tables, schema and
    sequences. A role that can write raises :class:`~goalbook.errors.GoalbookError` saying exactly
    how to make a reader role, unless ``allow_writable``: then the returned warnings say it loudly.
    Returns warnings to print (empty: a proper reader role, or an SQLite file, which kernels open
    ``mode=ro``, or no store).
    """
    if store is None or "://" not in store:
        return []
    from goalbook.store import open as open_store
    from goalbook.store._engine import parse_target
    from goalbook.store._roles import role_url

    if parse_target(store)[0] != "postgresql":
        return []
    with open_store(store, readonly=True) as opened:
        access = opened.role_access()
        where = opened.url
    warnings = []
    if access.cannot_read:
        warnings.append(f"role {access.role} cannot read table {', '.join(access.cannot_read)} of the store at "
                        f"{where}: pages will fail. As the owner of the store's tables, run `goalbook store "
                        f"grant-reader ... --role {access.role}` again.")
    if not access.can_write:
        return warnings
    rights = "\n".join(f"  - {line}" for line in access.can_write)
    if allow_writable:
        return [*warnings, f"WARNING: --allow-writable-role: serving review pages as role {access.role}, which can "
                f"WRITE to the store at {where}:\n{rights}\nPages open the store in read-only sessions, but a session "
                "can switch that off: review is NOT read-only at the database. Make a reader role with `goalbook store "
                "grant-reader` (see its --help) and serve as it."]
    reader = shlex.quote(role_url(store, READER_ROLE))
    owner = shlex.quote(role_url(store, "OWNER"))
    raise GoalbookError(
        f"refusing to serve: review pages would reach the store at {where} as role {access.role}, which can write "
        f"to it:\n{rights}\n"
        "A read-only session is not enough (a page's session could switch it back), so review pages must log in "
        "as a role that can only read. As the owner of the store's tables, create one (its password is read "
        f"from ${READER_PASSWORD_ENV}, or asked for):\n"
        f"  goalbook store grant-reader {owner} --role {READER_ROLE}\n"
        "then serve as it (its password in the URL, $PGPASSWORD or ~/.pgpass):\n"
        f"  goalbook review PATH --store {reader}\n"
        "To serve as this role anyway, pass --allow-writable-role (not recommended).")


def start_process(argv: list[str], env: Mapping[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    """Start a server in its own session, so a Ctrl-C reaches goalbook first and stops it cleanly;
    its output goes to ``log`` when given (the terminal otherwise)."""
    out = log.open("ab") if log is not None else None
    try:
        return subprocess.Popen(argv, env=None if env is None else dict(env), stdout=out,
                                stderr=subprocess.STDOUT if out else None, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    finally:
        if out is not None:
            out.close()


def stop_process(proc: subprocess.Popen, timeout: float = 20.0) -> int:
    """Ask a server to stop (SIGTERM to its session: Voilà and Jupyter shut their kernels down),
    and kill it when it has not stopped within ``timeout`` seconds. Returns its exit code."""
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
    return proc.returncode


def _signal_group(proc: subprocess.Popen, sig: signal.Signals) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, sig)
        else:  # no process groups (Windows): the process itself
            proc.send_signal(sig)
    except ProcessLookupError:
        pass


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 90.0, host: str = "127.0.0.1") -> bool:
    """Block until ``host:port`` accepts a TCP connection (True), ``proc`` exits or ``timeout`` passes (False).

    A TCP connect is the readiness signal for Voilà and Jupyter: ``GET /`` may already start a kernel.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise ``KeyboardInterrupt``, so one ``except`` or
    ``finally`` stops the servers however goalbook is asked to stop. SIGINT is included because a
    shell starts background jobs with SIGINT ignored."""
    wanted = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)]
    previous = {sig: signal.signal(sig, _interrupt) for sig in wanted if sig is not None}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_all(procs: list[subprocess.Popen]) -> None:
    """Stop every server, ignoring further stop signals meanwhile so the clean-up itself is not cut short."""
    ignored = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for proc in procs:
            stop_process(proc)
    finally:
        for sig, handler in ignored.items():
            signal.signal(sig, handler)


def serve_until_stopped(procs: list[subprocess.Popen], names: list[str]) -> int:
    """Wait while every server runs; on Ctrl-C, SIGTERM or SIGHUP stop them all and return 0.

    When one stops by itself (a busy port, a crash) the others are stopped too and 1 is returned,
    so a half-started demo never lingers.
    """
    try:
        with stop_signals_interrupt():
            while True:
                for proc, name in zip(procs, names, strict=True):
                    if proc.poll() is not None:
                        print(f"goalbook: {name} stopped unexpectedly (exit code {proc.returncode})",
                              file=sys.stderr, flush=True)
                        return 1
                time.sleep(0.2)
    except KeyboardInterrupt:
        print("goalbook: stopping ...", file=sys.stderr, flush=True)
        return 0
    finally:
        stop_all(procs)
