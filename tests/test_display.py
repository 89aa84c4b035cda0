"""goalbook.display: values, statuses, now/target and tables as a reader sees them."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import pandas as pd
import pytest

from goalbook import display
from goalbook.display import UNKNOWN, cell, header, now_and_target, pct, status_word, styled, table_html, value
from goalbook.examples import load_example
from goalbook.scoring import STATUS_WORDS, Scorer

TODAY = date(2027, 2, 26)
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, pd.NaT])
def test_unknown_is_one_dash_everywhere(missing: object) -> None:
    assert pct(missing) == value(missing, "min") == cell(missing, "progress") == cell(missing) == UNKNOWN == "—"


def test_numbers_read_as_people_read_them() -> None:
    assert [pct(0.545455), pct(-0.001), pct(1)] == ["55%", "0%", "100%"]
    assert [cell(0.545455), cell(0.545455, "progress"), cell(1200.0), cell(7.0)] == ["0.55", "55%", "1,200", "7"]
    assert [value(6.8, "%"), value(20, "min"), value(1200, "calls")] == ["6.8%", "20 min", "1,200 calls"]
    assert cell(date(2027, 2, 26)) == cell(pd.Timestamp("2027-02-26")) == "2027-02-26"
    assert cell(datetime(2027, 2, 26, 9, 30)) == "2027-02-26 09:30"
    assert cell(["CO-1", "CO-2"]) == "CO-1, CO-2" and cell(True) == "yes"


def test_statuses_in_words_with_one_colour_each() -> None:
    assert [status_word(s) for s in STATUS_WORDS] == list(STATUS_WORDS.values())  # the scorer's words, the same
    assert cell("on_track", "status") == "On track" and cell("key_result", "kind") == "Key result"
    assert header("time_bound") == "Time-bound" and header("last_check_in") == "Last check-in" and header("id") == "ID"
    assert display.status_colour("at_risk") == display.status_colour("amber") == display.status_colour("warn")
    assert display.status_colour("no such status") == display.GREY


def test_now_and_target_follow_each_direction_of_the_example() -> None:
    book = load_example()
    scorer = Scorer(book, today=TODAY)
    said = {g: now_and_target(book.get(g), scorer.score(g).current) for g in ("CO-2.KR1", "CO-1.KR3", "CO-2.KR3",
                                                                             "CO-1.KR1", "OPS-1")}
    assert said == {"CO-2.KR1": "22 min, target ≤ 12 min", "CO-1.KR3": "6.8%, must stay ≤ 8%",
                    "CO-2.KR3": "3 of 5 checkpoints", "CO-1.KR1": "50%, target ≥ 60%",
                    "OPS-1": "27 min, target ≤ 15 min"}  # OPS-1: a SMART goal, its direction read from the numbers


def cell_css(html: str) -> dict[str, str]:
    """``row0_col4`` -> the CSS declarations the table's stylesheet gives that cell."""
    out: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", html):
        for sel in selectors.split(","):
            m = re.fullmatch(r"\s*#T_t_(row\d+_col\d+)\s*", sel)
            if m:
                out[m[1]] = out.get(m[1], "") + body
    return out


def test_a_styled_table_formats_wraps_and_escapes() -> None:
    frame = pd.DataFrame({"id": ["CO-1", "CO-2"], "team": ["Web", None], "progress": [0.545455, math.nan],
                          "status": ["on_track", "at_risk"], "blockers": ["Waiting on the " + "vendor " * 8, PAYLOAD]})
    out = table_html(frame)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;" in out
    assert "<img" not in out and "<script>" not in out
    assert ">55%<" in out and ">—<" in out and ">On track<" in out and ">At risk<" in out
    assert "NaN" not in out and "nan" not in out and "on_track" not in out
    assert "Waiting on the " + "vendor " * 7 + "vendor" in out  # not cut off
    css = cell_css(styled(frame).set_uuid("t").to_html())
    assert "white-space: normal" in css["row0_col4"] and "white-space: nowrap" in css["row0_col0"]
    assert f"color: {display.STATUS_COLOURS['at_risk']}" in css["row1_col3"]
    assert "text-align: right" in css["row0_col2"]


def test_a_meaningful_index_is_kept_and_escaped() -> None:
    frame = pd.DataFrame({"goals": [2], "mean_score": [0.8666]}, index=pd.Index([PAYLOAD], name="owner"))
    out = table_html(frame)
    assert "<img" not in out and "&lt;img" in out and ">Owner<" in out and ">0.87<" in out
