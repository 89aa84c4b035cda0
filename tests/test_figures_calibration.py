"""The calibration figure: stated confidence against score, one point per goal, safe for user text."""

from __future__ import annotations

import doctest
from datetime import date

import pandas as pd
import pytest
from hostile_book import RAW_TAG, figure_text, hostile_book

import goalbook
from goalbook.figures import calibration as calibration_module
from goalbook.figures.calibration import calibration_figure
from goalbook.review_analysis import calibration

TODAY = date(2027, 2, 26)
STATED_ON = date(2027, 1, 29)


def test_each_goal_is_a_point_at_its_stated_confidence_and_score() -> None:
    frame = calibration(goalbook.load_example(), today=TODAY, stated_on=STATED_ON)
    figure = calibration_figure(frame, stated_on=STATED_ON)
    points = {(text.split("</b>")[0].removeprefix("<b>"), x, y)
              for trace in figure.data for x, y, text in zip(trace.x, trace.y, trace.hovertext, strict=True)}
    assert points == set(zip(frame["id"], frame["stated"], frame["score"], strict=True))
    assert sorted(t.name for t in figure.data) == sorted(frame["owner"].dropna().unique())
    assert "2027-01-29" in figure.layout.xaxis.title.text
    diagonal = figure.layout.shapes[0]
    assert (diagonal.x0, diagonal.y0, diagonal.x1, diagonal.y1) == (0, 0, 1, 1)


def test_grouped_by_team_and_goals_without_one_kept() -> None:
    frame = pd.DataFrame({"id": ["A", "B"], "title": ["a", "b"], "team": ["Web", None],
                          "stated": [0.5, 0.8], "score": [0.5, 0.3], "gap": [0.0, 0.5]})
    figure = calibration_figure(frame, by="team")
    assert [(t.name, list(t.x)) for t in figure.data] == [("Web", [0.5]), ("no team", [0.8])]
    assert "called it right" in figure.data[0].hovertext[0]
    assert "more confident than the result" in figure.data[1].hovertext[0]


def test_no_goal_to_show_says_so() -> None:
    empty = calibration(goalbook.Goalbook(), today=TODAY)
    figure = calibration_figure(empty)
    assert not figure.data and "No goal has both" in figure.layout.annotations[0].text


def test_a_frame_of_something_else_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="missing: stated, score, gap"):
        calibration_figure(pd.DataFrame({"id": [], "title": [], "owner": []}))


def test_markup_in_ids_titles_and_owners_is_inert() -> None:
    frame = calibration(hostile_book(), today=TODAY, stated_on=STATED_ON)
    assert frame["owner"].astype(str).str.contains("<").any() or frame["title"].astype(str).str.contains("<").any()
    assert not RAW_TAG.search(figure_text(calibration_figure(frame)))


def test_docstring_examples_run() -> None:
    assert doctest.testmod(calibration_module).failed == 0
