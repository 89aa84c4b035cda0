"""Helpers and fixtures for a real JupyterHub on loopback in the organisation tests: DummyAuthenticator (a
shared password), one
local process per person (SimpleLocalProcessSpawner), the proxy from its npm package, and the review
pages as the hub service ``goalbook-review``, all from the configuration ``goalbook hub-config`` writes.

Skipped, saying why, only when JupyterHub or configurable-http-proxy is not installed (``make test``
installs both).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "browser"))
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
    store: Path
    log: Path
    process: subprocess.Popen

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
              extra_config: str = "") -> Hub:
    """JupyterHub with goalbook's generated configuration under ``root``: a store seeded with the example
    goalbook, a home with the workshop notebooks for each of ``users``, ``members`` in goalbook's groups.
    ``extra_config`` is appended to the generated file (the benchmark's API token)."""
    from goalbook.hub.config import HubSettings, render

    store = root / "goals.db"
    with goalbook.open(store, author="seed") as s:
        s.import_book(load_example())
    for user in users:
        shutil.copytree(WORKSHOP, root / "home" / user)
    port, hub_port, api_port, service_port = (free_port() for _ in range(4))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "GOALBOOK_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO), env.get("PYTHONPATH", "")] if p)
    settings = HubSettings(
        writer_store=str(store), reader_store=str(store), teams=["Web", "Sales"],
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
    hub = Hub(f"http://127.0.0.1:{port}/", port, store, log, proc)
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
    hub = start_hub(tmp_path_factory.mktemp("hub"), ["maria", "sam", "rita", "eve"])
    try:
        yield hub
    finally:
        stop_hub(hub)


@pytest.fixture(scope="session")
def browser(hub: Hub) -> Iterator[object]:
    """Headless Chromium from Debian."""
    with chromium() as b:
        yield b
