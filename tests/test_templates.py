"""The templates a facilitator copies from: each YAML template is a valid goalbook on its own and
says what every field means; the scoring rubric agrees with the scoring code."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from goalbook.io import load_goalbook
from goalbook.lint.book import lint_book
from goalbook.scoring import ScoringConfig

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
YAML_TEMPLATES = ["smart-goal.yaml", "okr.yaml", "kpi.yaml"]


@pytest.mark.parametrize("name", YAML_TEMPLATES)
def test_yaml_template_is_a_valid_goalbook(name):
    path = TEMPLATES / name
    assert re.search(r"^goalbook: 1\b", path.read_text(encoding="utf-8"), re.M)
    book = load_goalbook(path)
    assert [str(p) for p in book.validate() if p.severity == "error"] == []
    # a facilitator copying the worked example starts from something lint does not reject
    findings = lint_book(book, today=date(2027, 1, 4))
    assert [str(f) for f in findings if f.severity == "error"] == []


def test_smart_goal_template_explains_every_field_with_a_worked_example():
    text = (TEMPLATES / "smart-goal.yaml").read_text(encoding="utf-8")
    for key in ("statement", "metric", "baseline", "target", "deadline", "owner", "budget", "supports"):
        assert re.search(rf"^ +{key}: .+\n(?: *\n)? +# ", text, re.M), f"{key} has no explanation under it"
    book = load_goalbook(TEMPLATES / "smart-goal.yaml")
    (goal,) = book.smart_goals
    assert goal.deadline and goal.period.contains(goal.deadline) and goal.deadline.isoformat() in goal.statement
    assert None not in (goal.metric, goal.baseline, goal.target, goal.owner, goal.budget)
    assert [book.get(lk.target).kind for lk in book.links_from(goal.id)] == ["key_result"]
    assert book.check_ins_for(goal.id)


def test_okr_template_has_two_to_five_key_results_and_a_weekly_check_in_block():
    book = load_goalbook(TEMPLATES / "okr.yaml")
    (objective,) = book.objectives
    assert objective.owner and 2 <= len(objective.key_results) <= 5
    assert {kr.direction for kr in objective.key_results} == {"increase", "decrease", "maintain", "milestone"}
    for kr in objective.key_results:
        dates = [c.date for c in book.check_ins_for(kr.id)]
        assert len(dates) >= 2 and all((b - a).days == 7 for a, b in itertools.pairwise(dates)), kr.id


def test_kpi_template_has_thresholds_frequency_values_and_a_link():
    book = load_goalbook(TEMPLATES / "kpi.yaml")
    (kpi,) = book.kpis
    assert None not in (kpi.target, kpi.green, kpi.amber)
    assert kpi.frequency == "weekly" and len(kpi.values) >= 2
    assert book.links_from(kpi.id)


def test_scoring_rubric_bands_match_the_scoring_defaults():
    text = (TEMPLATES / "scoring-rubric.md").read_text(encoding="utf-8")
    cfg = ScoringConfig()
    red_top = round(cfg.yellow_score - 0.1, 1)
    yellow_top = round(cfg.green_score - 0.1, 1)
    assert f"| 0.0 – {red_top} | red |" in text
    assert f"| {cfg.yellow_score} – {yellow_top} | yellow |" in text
    assert f"| {cfg.green_score} – 1.0 | green |" in text
    assert "Average above 0.85" in text and "sandbagging" in text
    assert "score_reason" in text
