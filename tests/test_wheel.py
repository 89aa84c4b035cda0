"""goalbook as a user installs it: the wheel, in a fresh virtualenv, run from a folder outside the
checkout. ``goalbook new`` and ``goalbook demo`` must find the templates and notebooks the wheel
carries, not the checkout's (which the installed package cannot see from there)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The wheel built from this checkout, installed into a new virtualenv; its ``bin`` and an
    environment that cannot reach the checkout (no PYTHONPATH, no other virtualenv)."""
    assert UV, "uv is needed to build and install the wheel (make venv installs it)"
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    built = run([UV, "build", "--wheel", "--out-dir", str(tmp / "dist"), str(ROOT)], cwd=tmp, env=env)
    assert built.returncode == 0, built.stderr
    wheel, = (tmp / "dist").glob("goalbook-*.whl")
    venv = tmp / "venv"
    made = run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=tmp, env=env)
    assert made.returncode == 0, made.stderr
    done = run([UV, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
               cwd=tmp, env=env)
    assert done.returncode == 0, done.stderr
    return venv / "bin", env


@pytest.mark.slow
def test_the_installed_wheel_runs_new_lint_score_and_demo(installed: tuple[Path, dict[str, str]],
                                                          tmp_path: Path) -> None:
    bin_, env = installed
    goalbook = str(bin_ / "goalbook")
    where = run([str(bin_ / "python"), "-c", "import goalbook; print(goalbook.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(bin_.parent), where.stdout + where.stderr
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)

    new = run([goalbook, "new", "workshop", "workshop.ipynb", "--team", "Web"], cwd=tmp_path, env=env)
    assert new.returncode == 0, new.stderr
    nb = json.loads((tmp_path / "workshop.ipynb").read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert "'Web'" in "".join(params["source"]) or '"Web"' in "".join(params["source"])

    made = run([goalbook, "new", "okr", "goals.yaml", "--team", "Web"], cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    lint = run([goalbook, "lint", "goals.yaml"], cwd=tmp_path, env=env)
    assert lint.returncode == 0 and "Found 0 errors" in lint.stdout, lint.stdout + lint.stderr
    score = run([goalbook, "score", "goals.yaml"], cwd=tmp_path, env=env)
    assert score.returncode == 0 and "CO-2.KR1" in score.stdout, score.stdout + score.stderr

    port, lab_port = free_port(), free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([goalbook, "demo", "--db", "demo/goalbook.db", f"--port={port}",
                                 f"--lab-port={lab_port}"], cwd=tmp_path, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while "Ctrl-C stops both" not in log.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        printed = log.read_text()
        lab_url, review_url = f"http://127.0.0.1:{lab_port}/lab", f"http://127.0.0.1:{port}/"
        assert lab_url in printed and review_url in printed
        with urllib.request.urlopen(lab_url, timeout=60) as lab:
            assert lab.status == 200 and "JupyterLab" in lab.read().decode()
        with urllib.request.urlopen(review_url, timeout=60) as review:
            assert review.status == 200 and "Voilà" in review.read().decode()
        # a review page the wheel carries, run by a kernel of the new virtualenv on the demo's store
        with urllib.request.urlopen(f"{review_url}voila/render/team.ipynb", timeout=120) as page:
            html = page.read().decode()
        # the last cell shows the dashboard widget only when every cell before it ran
        assert page.status == 200 and "application/vnd.jupyter.widget-view+json" in html, html[-3000:]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert (tmp_path / "demo" / "notebooks" / "03-align.ipynb").exists()  # JupyterLab's copy of the shipped ones
