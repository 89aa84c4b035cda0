"""Dashboard figures: each shows the scorer's numbers for the view's goals, and user text as inert text."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hostile_book import RAW_TAG, figure_text, hostile_book

import goalbook
from goalbook import display
from goalbook.figures.dashboard import (
    confidence_figure,
    history_figure,
    kpi_figure,
    progress_figure,
    score_distribution_figure,
)
from goalbook.scoring import Scorer

TODAY = date(2027, 2, 26)
FIGURES = (progress_figure, confidence_figure, kpi_figure, score_distribution_figure, history_figure)


@pytest.fixture(scope="module")
def book():
    return goalbook.load_example()


def bars(fig) -> dict[str, tuple[str, float]]:
    """Goal id → (legend group, progress) of every bar."""
    return {y: (t.name, x) for t in fig.data if t.type == "bar" for y, x in zip(t.y, t.x, strict=True)}


def test_progress_bars_are_the_scorers_progress_coloured_by_status(book):
    fig = progress_figure(book, today=TODAY, team="Web")
    got = bars(fig)
    assert set(got) >= {"CO-1", "CO-1.KR1", "WEB-1", "WEB-2", "WEB-3", "DEP-DIG-1"}
    assert list(fig.layout.yaxis.categoryarray[::-1][:3]) == ["CO-1", "CO-1.KR1", "CO-1.KR2"]  # top to bottom
    scorer = Scorer(book, today=TODAY)
    for gid, (group, x) in got.items():
        s = scorer.score(gid)
        assert x == pytest.approx(s.progress)
        assert group == s.status.replace("_", " ").capitalize()
    pace = next(t for t in fig.data if t.name == "Expected by now")
    ticks = dict(zip(pace.y, pace.x, strict=True))
    assert ticks == pytest.approx({gid: scorer.score(gid).expected for gid in got})
    assert ticks["CO-1.KR1"] == pytest.approx(57 / 90) and ticks["CO-1.KR3"] == 1.0  # a maintain goal is due all along
    assert "Web" in fig.layout.title.text and "2027-Q1" in fig.layout.title.text


def test_history_is_progress_as_of_each_check_in_day(book):
    fig = history_figure(book, ["CO-2.KR1", "CO-2"], today=TODAY)
    kr = next(t for t in fig.data if t.name == "CO-2.KR1")
    assert kr.x[0] == date(2027, 1, 1) and kr.x[-1] == TODAY and len(kr.x) == 9
    for day, progress in zip(kr.x, kr.y, strict=True):
        scored = Scorer(book, today=day).progress("CO-2.KR1")  # None on the first day: nothing measured yet
        assert math.isnan(progress) if scored is None else progress == pytest.approx(scored)
    pace = next(t for t in fig.data if t.name == "Expected pace")
    assert list(pace.x) == [date(2027, 1, 1), date(2027, 3, 31)]
    default = history_figure(book, today=TODAY)
    assert [t.name for t in default.data][1:] == ["CO-1", "CO-2", "CO-3", "DEP-DIG-1", "DEP-OPS-1"]
    small = history_figure(book, ["CO-2.KR1"], today=TODAY, sparkline=True)
    assert small.layout.height == 70 and small.layout.showlegend is False and small.layout.xaxis.visible is False


def test_kpi_tiles_show_values_over_threshold_bands(book):
    fig = kpi_figure(book, today=TODAY)
    titles = [a.text for a in fig.layout.annotations]
    assert "Median waiting-room time: 21 min (red)" in titles
    assert "Patient NPS (rolling four weeks): 46 points (amber)" in titles
    wait = next(t for t in fig.data if t.name == "KPI-WAIT")
    assert list(wait.y) == [25, 24, 26, 23, 24, 22, 23, 21]
    axis = wait.yaxis.replace("y", "yaxis") if wait.yaxis != "y" else "yaxis"
    bands = sorted((s.y0, s.y1, s.fillcolor) for s in fig.layout.shapes if s.yref == wait.yaxis)
    assert [b[:2] for b in bands][1:] == [(15, 20), (20, fig.layout[axis].range[1])]  # green below 15, amber, red
    assert bands[0][1] == 15 and bands[0][2] == display.tint(display.GREEN, 0.12)
    assert len(kpi_figure(book, today=TODAY, team="Web").data) == 2


def test_score_distribution_counts_each_score(book):
    fig = score_distribution_figure(book, today=TODAY)
    counts = dict(zip(fig.data[0].x, fig.data[0].y, strict=True))
    measured = [s for s in Scorer(book, today=TODAY).scores() if s.kind in ("key_result", "smart_goal")]
    scores = [s.score for s in measured if s.score is not None]
    # policy changed (issue 12): CC-2 and PPL-2, never measured, count at their baseline: score 0.0
    assert len(measured) == 28 and sum(counts.values()) == len(scores) == 28
    assert counts["0.2"] == scores.count(0.2) == 1 and counts["1.0"] == scores.count(1.0)
    assert "CO-2.KR1" in fig.data[0].hovertext[2]


def test_confidence_lines_are_the_check_in_confidences(book):
    fig = confidence_figure(book, ["CO-2.KR1"], today=TODAY)
    assert list(fig.data[0].y) == [6, 6, 5, 4, 3, 3, 3, 2]
    data_team = {t.name for t in confidence_figure(book, today=TODAY, team="Data").data}
    served = {f"CO-{o}.KR{k}" for o in (1, 3) for k in range(1, 5)}  # Data's goals serve CO-1 and CO-3
    assert data_team == {"DATA-1", "DATA-2"} | served


@pytest.mark.parametrize("make", FIGURES, ids=[f.__name__ for f in FIGURES])
def test_markup_in_goal_text_reaches_every_figure_as_inert_text(make):
    book = hostile_book()
    for kwargs in ({}, {"team": "<img src=x onerror=alert(1)>"}):
        fig = make(book, today=TODAY, **kwargs)
        text = figure_text(fig)
        assert not RAW_TAG.search(text)
        assert "&lt;script&gt;" in text or "&lt;img" in text
