"""``goalbook graph``: the analyses in a terminal, as JSON, and the figure as an offline web page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from goalbook.cli import main
from goalbook.examples import example_path

EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"

LOOP = """\
goalbook: 1
organisation: Loop Ltd
objectives:
  - id: CO-1
    title: Grow
    level: company
    period: 2027-Q1
    key_results:
      - {id: CO-1.KR3, title: Close 40 deals, baseline: 10, target: 40}
smart_goals:
  - id: SALES-2
    statement: Close 40 deals by June
    team: Sales
    supports: [CO-1.KR3]
links:
  - {from: CO-1.KR3, to: SALES-2}
"""


def test_text_report_and_offline_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures" / "alignment.html"
    code = main(["graph", str(example_path()), "--today", "2027-02-26", "--html", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "Orphans — goals that serve no company objective (1)\n  KPI-SICK (kpi" in text
    assert "Company key results nothing works toward (1)\n  CO-3.KR4" in text
    assert f"Figure written to {out}" in text
    page = out.read_text(encoding="utf-8")
    assert len(page) > 1_000_000  # plotly.js is inlined ...
    assert not re.search(r"<script[^>]+src=", page)  # ... so nothing is fetched from a CDN
    assert "KPI-SICK" in page
    assert "Northwind Clinics: how every goal\\u003cbr\\u003eserves the strategy" in page  # the title, wrapped
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in out.parent.iterdir()] == ["alignment.html"]  # no temporary file left


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(example_path()), "--format", "json", "--today", "2027-02-26"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["organisation"] == "Northwind Clinics"
    assert [o["id"] for o in data["orphans"]] == ["KPI-SICK"]
    assert {"uncovered", "skipped_levels", "silos", "leading_coverage", "at_risk", "critical", "owner_load",
            "rollup"} <= set(data)
    assert all(r["rolled_up"] is None or isinstance(r["rolled_up"], float) for r in data["rollup"])


def test_focus_team_and_depth_shape_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "web.html"
    assert main(["graph", str(example_path()), "--html", str(out), "--team", "Web", "--depth", "3",
                 "--color-by", "score"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "team Web" in page and "Score 0.7 or more" in page and "INI-8" not in page


def test_an_unknown_focus_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.html"
    assert main(["graph", str(example_path()), "--html", str(out), "--focus", "WEB-9"]) == 2
    assert "goalbook graph: no goal with id 'WEB-9' (did you mean 'WEB-" in capsys.readouterr().err
    assert not out.exists()
    assert main(["graph", str(example_path()), "--depth", "9"]) == 2


def test_a_loop_is_rejected_with_the_loop_spelled_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    assert main(["graph", str(path)]) == 1
    assert "SALES-2 → CO-1.KR3 → SALES-2" in capsys.readouterr().err
