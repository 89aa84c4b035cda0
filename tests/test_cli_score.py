"""``goalbook score``: a readable table grouped by objective, or JSON; bad input goes through the CLI's errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from goalbook.cli import main
from goalbook.cli.score import render
from goalbook.model import KPI, CheckIn, Goalbook, KeyResult, KPIValue, Link, Objective, SmartGoal
from goalbook.period import Period

TODAY = date(2027, 2, 14)  # half of 2027-Q1 gone


def io_available() -> None:
    """Skip the end-to-end tests until goalbook.io (a colleague's module) imports."""
    pytest.importorskip("goalbook.io")


def small_book() -> Goalbook:
    q1 = Period.parse("2027-Q1")
    return Goalbook(
        organisation="Northwind Clinics",
        objectives=[
            Objective("CO-1", "Make booking a visit effortless for every patient", owner="coo", period=q1,
                      key_results=[
                          KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60% of all visits",
                                    baseline=38, target=60),
                          KeyResult("CO-1.KR2", "Cut median time-to-book from 6 minutes to 2 minutes",
                                    direction="decrease", baseline=6, target=2),
                      ]),
            Objective("CO-2", "Keep patients safe", period=q1, key_results=[
                KeyResult("CO-2.KR1", "Keep no-show rate at most 8%\x1b[31m", direction="maintain", bound="at_most",
                          target=8, current=7)]),
        ],
        smart_goals=[SmartGoal("WEB-1", "Ship one-page booking to all 14 clinics", baseline=7, target=3, period=q1)],
        kpis=[KPI("KPI-NPS", "Patient NPS", target=60, green=55, amber=45,
                  values=[KPIValue(date(2027, 2, 5), 51)])],
        links=[Link("WEB-1", "CO-1.KR2")],
        check_ins=[CheckIn("CO-1.KR1", date(2027, 2, 12), 49, 7), CheckIn("WEB-1", date(2027, 2, 1), 6, 6)],
    )


def test_text_lists_each_objective_with_its_key_results_beneath_it():
    lines = render(small_book(), today=TODAY).splitlines()
    assert lines[0] == "Northwind Clinics — Scores as of 2027-02-14"
    header = next(i for i, line in enumerate(lines) if line.startswith("ID"))
    body = [line for line in lines[header + 1:] if line]
    ids = [line.split()[0] for line in body if not line.endswith(("goals", "thresholds)"))]
    assert ids == ["CO-1", "CO-1.KR1", "CO-1.KR2", "CO-2", "CO-2.KR1", "WEB-1", "KPI-NPS"]
    kr1 = next(line for line in body if "CO-1.KR1" in line)
    assert kr1.startswith("  CO-1.KR1")
    assert kr1.split()[-4:] == ["on", "track", "7", "2027-02-12"]
    assert "50%" in kr1 and "0.5" in kr1


def test_text_columns_line_up():
    lines = render(small_book(), today=TODAY).splitlines()
    header = next(line for line in lines if line.startswith("ID"))
    end = header.index("PROGRESS") + len("PROGRESS")
    rows = [line for line in lines if line.startswith(("CO-", "  CO-", "WEB-"))]
    assert len(rows) == 6
    assert all(row[end - 1] == "%" and row[end] == " " for row in rows)  # right-aligned under PROGRESS


def test_text_strips_control_characters_from_user_text():
    text = render(small_book(), today=TODAY)
    assert "\x1b" not in text
    assert "Keep no-show rate at most 8%" in text


def test_json_has_every_goal_with_progress_score_and_status():
    data = json.loads(render(small_book(), today=TODAY, fmt="json"))
    assert data["today"] == "2027-02-14"
    rows = {r["id"]: r for r in data["scores"]}
    assert set(rows) == {"CO-1", "CO-1.KR1", "CO-1.KR2", "CO-2", "CO-2.KR1", "WEB-1", "KPI-NPS"}
    assert (rows["CO-1.KR1"]["progress"], rows["CO-1.KR1"]["score"], rows["CO-1.KR1"]["status"]) == \
        (0.5, 0.5, "on_track")
    assert rows["CO-1.KR2"]["progress"] == pytest.approx(0.25)  # rolled up from WEB-1 (7 -> 6 of 7 -> 3)
    assert rows["CO-1.KR1"]["last_check_in"] == "2027-02-12"
    assert (rows["KPI-NPS"]["status"], rows["KPI-NPS"]["colour"]) == ("amber", "yellow")


def write_goalbook(tmp_path: Path) -> Path:
    """A goalbook written with plain yaml.safe_dump, following docs/FORMAT.md."""
    data = {
        "goalbook": 1,
        "organisation": "Northwind Clinics",
        "objectives": [{
            "id": "CO-1", "title": "Make booking a visit effortless for every patient", "level": "company",
            "owner": "coo", "period": "2027-Q1",
            "key_results": [
                {"id": "CO-1.KR1", "title": "Raise online bookings from 38% to 60% of all visits",
                 "direction": "increase", "baseline": 38, "target": 60, "unit": "%"},
                {"id": "CO-1.KR2", "title": "Keep no-show rate at most 8%", "direction": "maintain",
                 "bound": "at_most", "target": 8, "current": 10},
            ],
        }],
        "smart_goals": [{"id": "WEB-1", "statement": "Cut booking steps from 7 to 3 by 2027-03-31", "team": "Web",
                         "owner": "web-lead", "metric": "booking steps", "baseline": 7, "target": 3,
                         "deadline": "2027-03-31", "period": "2027-Q1", "supports": ["CO-1.KR1"]}],
        "check_ins": {"CO-1.KR1": [{"date": "2027-01-08", "value": 41, "confidence": 7},
                                   {"date": "2027-02-12", "value": 49, "confidence": 8}]},
    }
    path = tmp_path / "goals.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_score_command_prints_the_table_and_exits_0(tmp_path, capsys):
    io_available()
    path = write_goalbook(tmp_path)
    assert main(["score", str(path), "--today", "2027-02-14"]) == 0
    out = capsys.readouterr().out
    kr1 = next(line for line in out.splitlines() if "CO-1.KR1" in line)
    assert "50%" in kr1 and "on track" in kr1
    kr2 = next(line for line in out.splitlines() if "CO-1.KR2" in line)
    # policy changed (issue 12): 10 against "at most 8" was 75% and at risk; a breach is 0 and off track
    assert "0%" in kr2 and "off track" in kr2 and "bound breached by 2" in kr2
    co1 = next(line for line in out.splitlines() if line.startswith("CO-1 "))
    assert "at risk · 1 key result off track" in co1


def test_score_command_json(tmp_path, capsys):
    io_available()
    path = write_goalbook(tmp_path)
    assert main(["score", str(path), "--today", "2027-02-14", "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["scores"]}
    assert rows["CO-1"]["progress"] == pytest.approx((0.5 + 0.0) / 2)
    assert rows["CO-1.KR1"]["confidence_trend"] == [7, 8]
    assert (rows["CO-1.KR2"]["breached"], rows["CO-1.KR2"]["breach"], rows["CO-1.KR2"]["colour"]) == (True, 2, "red")
    assert rows["CO-1"]["status_text"] == "at risk · 1 key result off track"


def override_and_dropped_book() -> Goalbook:
    q1 = Period.parse("2027-Q1")
    return Goalbook(objectives=[Objective("O", "Win the region", period=q1, key_results=[
        KeyResult("O.K1", "Raise bookings from 0 to 10", baseline=0, target=10, current=9,
                  score_override=0.3, score_reason="bookings were double-counted"),
        KeyResult("O.K2", "Open Leeds", direction="milestone", dropped=date(2027, 2, 1),
                  dropped_reason="the Leeds lease fell through"),
        KeyResult("O.K3", "Reduce unplanned upgrade stops", direction="decrease")])])


def test_an_override_and_its_reason_and_a_dropped_key_result_show_in_text_and_json():
    text = render(override_and_dropped_book(), today=TODAY)
    k1 = next(line for line in text.splitlines() if "O.K1" in line)
    assert "90%" in k1 and "0.3*" in k1 and "score set by hand: bookings were double-counted" in k1
    k2 = next(line for line in text.splitlines() if "O.K2" in line)
    assert "dropped" in k2 and "dropped 2027-02-01: the Leeds lease fell through" in k2
    k3 = next(line for line in text.splitlines() if "O.K3" in line)
    assert "draft: no target yet" in k3 and "not measured yet" in k3
    rows = {r["id"]: r for r in json.loads(render(override_and_dropped_book(), today=TODAY, fmt="json"))["scores"]}
    assert (rows["O.K1"]["score"], rows["O.K1"]["overridden"], rows["O.K1"]["reason"]) == (
        0.3, True, "bookings were double-counted")
    assert (rows["O.K2"]["status"], rows["O.K2"]["dropped"], rows["O.K2"]["score"]) == ("dropped", "2027-02-01", None)
    assert rows["O"]["progress"] == pytest.approx((0.3 + 0.0) / 2)  # the override counts, the dropped one nowhere


def test_score_command_reports_a_bad_file_and_exits_nonzero(tmp_path, capsys):
    io_available()
    path = write_goalbook(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["objectives"][0]["key_results"][0]["direction"] = "incraese"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["score", str(path)]) == 1
    err = capsys.readouterr().err
    assert "goalbook score" in err and "incraese" in err


def test_score_command_on_a_missing_file_exits_2(tmp_path, capsys):
    io_available()
    assert main(["score", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_a_bad_today_is_a_usage_error(capsys):
    assert main(["score", "x.yaml", "--today", "14/02/2027"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["score", "graph", "lint"])
def test_a_day_not_written_yyyy_mm_dd_is_a_usage_error_that_says_how(command: str, capsys) -> None:
    assert main([command, "--today", "31/03/2027", "goals.yaml"]) == 2
    assert "'31/03/2027' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err


def test_a_key_result_with_a_direction_and_no_target_loads_as_a_draft_and_lint_warns(tmp_path, capsys):
    io_available()
    path = write_goalbook(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["objectives"][0]["key_results"].append({"id": "CO-1.KR3", "title": "Reduce unplanned upgrade stops",
                                                 "direction": "decrease", "grade": 0.2})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["score", str(path), "--today", "2027-02-14"]) == 0
    draft = next(line for line in capsys.readouterr().out.splitlines() if "CO-1.KR3" in line)
    assert "20%" in draft and "draft: no target yet" in draft
    main(["lint", str(path), "--today", "2027-02-14"])
    out = capsys.readouterr().out
    assert "GB001 warning: Key result CO-1.KR3: a draft with no target yet" in out
    assert "GB001 error" not in out
