"""Helpers and fixtures for a real JupyterHub on loopback in the organisation tests: DummyAuthenticator (a
shared password), one
local process per person (SimpleLocalProcessSpawner), the proxy from its npm package, and the review
pages as the hub service ``goalbook-review``, all from the configuration ``goalbook hub-config`` writes.

Skipped, saying why, only when JupyterHub or configurable-http-proxy is not installed (``make test``
installs both).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "browser"))
sys.path.insert(0, str(Path(__file__).parents[1]))  # pg_roles
from voila_harness import CHROMIUM, chromium, free_port

import goalbook
from goalbook.examples import load_example

PASSWORD = "goalbook-hub-test"
REPO = Path(__file__).parents[2]
WORKSHOP = Path(__file__).parent / "workshop"
MEMBERS = {"goalbook-editors-web": ["maria"], "goalbook-editors-sales": ["sam"], "goalbook-readers": ["rita"]}


@dataclass
class Hub:
    """A running JupyterHub: its public URL, the store its people write to, its log."""

    url: str
    port: int
    store: str  # the writers' store: an SQLite path or a postgresql:// URL
    log: Path
    process: subprocess.Popen
    reader: str  # the store as readers and the review service reach it

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def _missing() -> str | None:
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install 'goalbook[test]')"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not on PATH (npm install -g configurable-http-proxy; make system-deps)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
    return None


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {proc.returncode}:\n{log.read_text(errors='replace')[-6000:]}")
        try:
            with urllib.request.urlopen(url + "hub/api/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"JupyterHub not ready after {timeout:.0f} s:\n{log.read_text(errors='replace')[-6000:]}")


def start_hub(root: Path, users: list[str], members: dict[str, list[str]] | None = None,
              extra_config: str = "", stores: tuple[str, str] | None = None) -> Hub:
    """JupyterHub with goalbook's generated configuration under ``root``: a store seeded with the example
    goalbook, a home with the workshop notebooks for each of ``users``, ``members`` in goalbook's groups.
    ``extra_config`` is appended to the generated file (the benchmark's API token). ``stores`` is the
    writer and reader URL of an empty store (default: one SQLite file for both)."""
    from goalbook.hub.config import HubSettings, render

    writer, reader = stores or (str(root / "goals.db"),) * 2
    with goalbook.open(writer, author="seed") as s:
        s.import_book(load_example())
    for user in users:
        shutil.copytree(WORKSHOP, root / "home" / user)
    port, hub_port, api_port, service_port = (free_port() for _ in range(4))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "GOALBOOK_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO), env.get("PYTHONPATH", "")] if p)
    settings = HubSettings(
        writer_store=writer, reader_store=reader, teams=["Web", "Sales"],
        members=MEMBERS if members is None else members,
        review_notebooks=str(REPO / "notebooks" / "review"), public_host="goals.example.org",
        bind_url=f"http://127.0.0.1:{port}", hub_port=hub_port, proxy_api_port=api_port, service_port=service_port,
        data_dir=str(root), home_dir_template=str(root / "home" / "{username}"), dummy_password=PASSWORD,
        singleuser_args=["--allow-root"] if os.geteuid() == 0 else [],
        extra_env={"PYTHONPATH": env["PYTHONPATH"]})
    config = root / "jupyterhub_config.py"
    config.write_text(render(settings) + extra_config)
    log = root / "jupyterhub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=root, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}/", port, writer, log, proc, reader)
    try:
        _wait_ready(hub.url, proc, log)
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def stop_hub(hub: Hub) -> None:
    """SIGTERM the hub's process group (the hub stops the servers it spawned and its proxy); SIGKILL after 60 s."""
    proc = hub.process
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """JupyterHub with goalbook's generated configuration, people in goalbook's groups, a seeded store."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with pg_store() as stores:
        hub = start_hub(tmp_path_factory.mktemp("hub"), ["maria", "sam", "rita", "eve"], stores=stores)
        try:
            yield hub
        finally:
            stop_hub(hub)


@contextmanager
def pg_store() -> Iterator[tuple[str, str]]:
    """A fresh schema on the PostgreSQL test server and a throwaway SELECT-only role made with
    ``grant_reader``: ``(writer URL, reader URL)``; both dropped at the end. Skips without the server."""
    import psycopg
    from pg_roles import as_role, connect, in_schema, throwaway_roles

    server = os.environ.get("GOALBOOK_TEST_PG_URL", "postgresql://goalbook:goalbook@127.0.0.1:5432/goalbook_test")
    try:
        connect(server).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL test server not reachable at {server}: {exc} (make postgres)")
    schema = f"gbtest_{int(time.time())}_{secrets.token_hex(4)}"
    with connect(server) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    writer = in_schema(server, schema)
    try:
        with goalbook.open(writer, author="seed"):
            pass  # the owner makes the tables, so the reader can be granted SELECT on them
        with throwaway_roles(server) as new_role:
            role, password = new_role("hubreader"), secrets.token_hex(12)
            with goalbook.open(writer) as s:
                s.grant_reader(role, password)
            yield writer, as_role(writer, role, password)
    finally:
        with connect(server) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def browser(hub: Hub) -> Iterator[object]:
    """Headless Chromium from Debian."""
    with chromium() as b:
        yield b
