"""The forecast on published key-result histories (puzzle/okr's demo data): provenance and a back-test."""

from __future__ import annotations

import json
from datetime import date

from benchmarks.forecast_histories import REAL, backtest_real, brier, real_histories

SOURCE = ("puzzle/okr@ccd79d5f0408:"
          "backend/src/main/resources/db/data-migration-demo/afterMigrate__0_1_initialData_pitc.sql")


def test_every_history_cites_its_source_and_follows_puzzles_target_rule():
    data = json.loads(REAL.read_text(encoding="utf-8"))
    assert data["source"]["repository"] == "https://github.com/puzzle/okr" and data["source"]["license"] == "AGPL-3.0"
    histories = data["histories"]
    assert len(histories) == 49
    for h in histories:
        assert h["source"] == f"{SOURCE}#key_result={h['key_result']}"
        days = [date.fromisoformat(d) for d, _ in h["check_ins"]]
        assert len(days) >= 4 and days == sorted(set(days))
        assert h["target"] == round(h["baseline"] + 0.7 * (h["stretch_goal"] - h["baseline"]), 2)
    linkedin = next(h for h in histories if h["key_result"] == 1214)  # "150 LinkedIn followers", 14 -> 150
    assert linkedin["check_ins"][0] == ["2024-04-02", 66.0] and linkedin["check_ins"][-1] == ["2024-06-17", 157.0]


def test_a_history_is_a_case_whose_outcome_is_its_last_check_in():
    cases = {c.reported[0]: c for c in real_histories()}
    case = cases[(date(2024, 4, 2), 66.0)]
    assert case.direction == "increase" and case.target == 109.2 and case.final == 157.0 and case.landed
    assert case.end == date(2024, 6, 17)


def test_on_real_histories_the_chance_beats_on_pace_or_not_and_the_base_rate():
    """One forecast per key result from its last check-in before halfway; the outcome is its last check-in."""
    real = backtest_real()
    assert len(real) == 47 and len({r.key_result for r in real}) == 47
    pairs = [(r.probability, r.landed) for r in real]
    base = sum(ok for _, ok in pairs) / len(pairs)
    score = brier(pairs)
    assert score < brier([(float(r.naive), r.landed) for r in real]) - 0.03
    assert score < brier([(base, ok) for _, ok in pairs]) - 0.03
