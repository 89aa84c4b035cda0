"""goalbook on JupyterHub (issue 19): how many people's servers this machine starts per minute, and what
each costs in memory.

The hub is the one the integration test runs (``tests/hub``: goalbook's generated configuration, a
local process per person). ``USERS`` servers are asked for at once through the hub's REST API; the
figure is servers ready per minute, against the floor of one server started alone in the same run.
Memory per person is the resident memory (RSS) of one person's process tree: their idle
``jupyterhub-singleuser`` (JupyterLab with goalbook), then after one workshop page (the SMART goal
editor on the shared store, rendered by the person's Voilà) left its kernel running.
"""

from __future__ import annotations

import json
import secrets
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from benchmarks._harness import Figure

ROOT = Path(__file__).resolve().parents[1]
USERS = 6
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests" / "hub"))
from hub_harness import start_hub, stop_hub  # noqa: E402


def _api(hub_url: str, token: str, method: str, path: str) -> dict:
    req = urllib.request.Request(hub_url + path, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=300) as resp:
        body = resp.read()
    return json.loads(body) if body else {}


def _start_and_wait(hub_url: str, token: str, users: list[str], timeout: float = 600) -> float:
    t0 = time.perf_counter()
    for user in users:
        _api(hub_url, token, "POST", f"hub/api/users/{user}/server")
    waiting = set(users)
    while waiting and time.perf_counter() - t0 < timeout:
        for user in list(waiting):
            server = _api(hub_url, token, "GET", f"hub/api/users/{user}").get("servers", {}).get("")
            if server and server.get("ready"):
                waiting.discard(user)
        time.sleep(0.25)
    if waiting:
        raise RuntimeError(f"servers of {sorted(waiting)} not ready after {timeout:.0f} s")
    return time.perf_counter() - t0


def _tree_rss(pid: int) -> int:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])


def _server_pid(hub_url: str, token: str, user: str) -> int:
    state = _api(hub_url, token, "GET", f"hub/api/users/{user}")["servers"][""]["state"]
    return int(state["pid"])


def measure() -> dict[str, float]:
    """Start a hub, then one server alone, then ``USERS`` at once; read their memory. Returns the figures."""
    token = secrets.token_hex(16)
    users = [f"person{i}" for i in range(USERS + 1)]
    bench = {"name": "bench", "api_token": token}
    role = {"name": "bench", "services": ["bench"],
            "scopes": ["admin:users", "admin:servers", "admin:server_state", "access:servers"]}
    extra = f"\nc.JupyterHub.services.append({bench!r})\nc.JupyterHub.load_roles.append({role!r})\n"
    with tempfile.TemporaryDirectory(prefix="goalbook-bench-hub-") as tmp:
        hub = start_hub(Path(tmp), users, {"goalbook-editors-web": users}, extra)
        try:
            alone = _start_and_wait(hub.url, token, users[:1])
            together = _start_and_wait(hub.url, token, users[1:])
            idle = [_tree_rss(_server_pid(hub.url, token, u)) for u in users]
            page = urllib.request.Request(hub.url + f"user/{users[0]}/voila/render/goal.ipynb",
                                          headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(page, timeout=300) as resp:
                resp.read()
            with_page = _tree_rss(_server_pid(hub.url, token, users[0]))
        finally:
            stop_hub(hub)
    mb = 1024 * 1024
    return {"alone_s": alone, "together_s": together, "per_minute": USERS / together * 60,
            "idle_mb": statistics.median(idle) / mb, "with_page_mb": with_page / mb}


def run() -> list[Figure]:
    m = measure()
    floor_per_minute = 60 / m["alone_s"]
    return [
        Figure(f"servers ready per minute, {USERS} asked at once", m["per_minute"], "one server alone, per minute",
               floor_per_minute, ">= 0.5x floor", m["per_minute"] >= 0.5 * floor_per_minute, unit="/min"),
        Figure("memory per person, idle JupyterLab (RSS)", m["idle_mb"], "-", None, "<= 400 MB",
               m["idle_mb"] <= 400, unit="MB"),
        Figure("memory per person, with one workshop page's kernel", m["with_page_mb"], "-", None, "<= 800 MB",
               m["with_page_mb"] <= 800, unit="MB"),
    ]


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
