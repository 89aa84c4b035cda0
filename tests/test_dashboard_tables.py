"""The dashboard's tables: which goals a period-and-team view holds, and their histories."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

import goalbook
from goalbook.model import KPI, CheckIn, Goalbook, KPIValue, Link, Objective, SmartGoal
from goalbook.period import Period
from goalbook.scoring import SCORE_COLUMNS, Scorer
from goalbook.tables import (
    GOAL_COLUMNS,
    default_period,
    goal_frame,
    history_dates,
    kpi_frame,
    progress_history,
    served_by,
)

TODAY = date(2027, 2, 26)
Q1, Q2, FY = Period.parse("2027-Q1"), Period.parse("2027-Q2"), Period.parse("FY2027")


@pytest.fixture(scope="module")
def book():
    return goalbook.load_example()


def test_the_default_period_is_the_shortest_one_under_way():
    book = Goalbook(objectives=[Objective("A", "a", period=FY), Objective("B", "b", period=Q1),
                                Objective("C", "c", period=Q2)])
    assert default_period(book, TODAY) == Q1
    assert default_period(book, date(2027, 12, 1)) == FY  # only the year is under way
    assert default_period(book, date(2028, 2, 1)) == Q2  # none under way: the latest started
    assert default_period(book, date(2026, 1, 1)) == Q1  # none started: the first (earliest, then shortest)
    assert default_period(Goalbook(), TODAY) is None


def test_goal_frame_has_the_score_columns_and_marks_what_a_team_serves(book):
    frame = goal_frame(book, team="Clinics Ops", today=TODAY)
    assert tuple(frame.columns) == GOAL_COLUMNS and GOAL_COLUMNS[: len(SCORE_COLUMNS)] == SCORE_COLUMNS
    objectives = frame[frame["kind"] == "objective"]
    assert objectives["id"].tolist() == ["CO-1", "CO-2", "CO-3", "DEP-OPS-1"]  # CO-3: OPS-1 feeds CO-3.KR1
    assert set(frame["relation"]) == {"served", "own"}
    assert frame.loc[frame["kind"] == "smart_goal", "relation"].eq("own").all()
    assert frame.set_index("id").loc["OPS-3", "serves"] == ["CO-2.KR2", "DEP-OPS-1.KR1"]
    with pytest.raises(ValueError, match="did you mean 'Clinics Ops'"):
        goal_frame(book, team="Clinic Ops", today=TODAY)


def test_served_by_follows_links_and_key_results_up_to_the_top(book):
    assert served_by(book, ["INI-8"]) == {"DEP-OPS-1.KR1", "DEP-OPS-1", "CO-2.KR2", "CO-2.KR4", "CO-2"}
    assert served_by(book, ["CO-1"]) == set()


def test_a_goal_with_only_a_deadline_belongs_to_the_period_holding_it():
    book = Goalbook(smart_goals=[SmartGoal("G", "Cut waits from 20 to 10 by March", baseline=20, target=10,
                                           deadline=date(2027, 3, 15)),
                                 SmartGoal("H", "Later", baseline=1, target=2, deadline=date(2027, 5, 1))],
                    objectives=[Objective("O", "o", period=Q1)])
    assert goal_frame(book, today=TODAY)["id"].tolist() == ["O", "G"]
    assert goal_frame(book, period="2027-Q2", today=TODAY)["id"].tolist() == ["H"]


def test_history_days_are_the_check_in_days_thinned_to_a_limit():
    checks = [CheckIn("G", Q1.start + timedelta(days=d), 1.0) for d in range(0, 80, 2)]
    book = Goalbook(smart_goals=[SmartGoal("G", "g", baseline=0, target=10, period=Q1)], check_ins=checks)
    days = history_dates(book, Q1, TODAY)
    assert days[0] == Q1.start and days[-1] == TODAY and len(days) == 26 and days == sorted(set(days))
    every = history_dates(book, Q1, TODAY, max_points=0)
    assert every == [Q1.start + timedelta(days=d) for d in range(0, 57, 2)]  # each check-in day up to today
    assert history_dates(book, Q1, date(2026, 12, 1)) == []


def test_progress_history_is_the_scorers_progress_on_each_day(book):
    h = progress_history(book, ["CO-1", "CC-2", "KPI-NPS"], today=TODAY)
    assert h["id"].unique().tolist() == ["CO-1", "CC-2"]  # KPIs have values, not progress
    for row in h.itertuples(index=False):
        s = Scorer(book, today=row.date).score(row.id)
        assert row.status == s.status
        for shown, scored in ((row.progress, s.progress), (row.score, s.score)):  # nothing measured: NaN for None
            assert pd.isna(shown) if scored is None else shown == pytest.approx(scored)
    assert h[h["id"] == "CO-1"]["date"].tolist()[-1] == TODAY


def test_kpi_frame_holds_the_values_inside_the_period_or_else_the_latest():
    values = [KPIValue(date(2026, 12, 1) + timedelta(days=7 * i), float(i)) for i in range(20)]
    kpi = KPI("K", "Waiting", unit="min", direction="decrease", green=5, amber=10, team="Ops", values=values)
    book = Goalbook(kpis=[kpi, KPI("L", "Other", team="Web")], objectives=[Objective("O", "o", period=Q1)],
                    links=[Link("L", "O")])
    frame = kpi_frame(book, today=TODAY, team="Ops").set_index("id")
    inside = frame.loc["K"]
    assert inside["dates"][0] >= Q1.start and inside["dates"][-1] <= TODAY and inside["value"] == 12.0
    assert inside["status"] == "red"
    assert kpi_frame(book, period="2027-Q2", today=TODAY).set_index("id").loc["K", "values"][-1] == 12.0
    assert kpi_frame(book, today=TODAY, team="Ops", shown=["O"])["id"].tolist() == ["K", "L"]
