"""Finding 8 of issue 11, the parts without a server: a save killed half-way leaves a folder that still
loads (and lint agrees), and plotly labels show a double quote as a double quote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from goalbook.cli import main
from goalbook.figures._text import esc, short
from goalbook.model import Goalbook

ROOT = Path(__file__).resolve().parents[1]

KILLED_SAVE = r"""
import sys, time
from pathlib import Path
from goalbook.io._atomic import write_files

def half_then_hang(tmp):
    Path(tmp).write_text("goalbook: 1\norganisation: Half\nobjectives:\n  - id: CO-1\n    title: [unclosed\n")
    Path(sys.argv[2]).touch()
    time.sleep(600)

write_files([(Path(sys.argv[1]), half_then_hang)])
"""


def test_a_killed_save_leaves_a_folder_that_loads_and_lints_clean(northwind: Path, tmp_path: Path, capsys) -> None:
    folder = northwind.parent
    before = Goalbook.load(folder)
    flag = tmp_path / "half-written"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(northwind), str(flag)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers and all(name.endswith(".yaml") for name in leftovers)  # the temp file is there
    assert Goalbook.load(folder) == before
    assert main(["lint", str(folder), "--select", "GB001"]) == 0
    assert "No problems" in capsys.readouterr().out


def test_a_double_quote_in_a_figure_label_is_a_double_quote() -> None:
    title = 'Ship the "one page" booking <b>now</b> & more'
    assert esc(title) == 'Ship the "one page" booking &lt;b&gt;now&lt;/b&gt; &amp; more'
    assert '"' in short(title) and "&quot;" not in short(title) and "&#x27;" not in esc("it's")
