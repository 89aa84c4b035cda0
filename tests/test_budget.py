"""Budget with currency and dated spend: burn against progress, on the dashboard, in files, schema and tables."""

from __future__ import annotations

import json
import re
from datetime import date

import jsonschema
import yaml

from goalbook.budget import burn_frame, burn_words, money
from goalbook.examples import example_path, load_example
from goalbook.io import load_goalbook
from goalbook.io.tables import export_tables, import_tables, to_frame
from goalbook.model import Spend
from goalbook.schema import json_schema
from goalbook.widgets.dashboard import Dashboard

TODAY = date(2027, 2, 26)


def test_burn_against_progress_on_the_example():
    frame = burn_frame(load_example(), today=TODAY).set_index("id")
    ops = frame.loc["OPS-1"]
    assert (ops.currency, ops.budget, ops.spent) == ("GBP", 24000, 14900)
    assert ops.words == "62% spent, 25% of the way" and bool(ops.ahead)
    assert frame.loc["CC-1", "words"] == "30% spent, 65% of the way" and not frame.loc["CC-1", "ahead"]
    assert frame.loc["INI-3", "words"] == "60% spent, 55% of the way"  # an initiative's own progress
    assert frame.loc["WEB-2", "words"] == "no spend recorded"
    early = burn_frame(load_example(), today=date(2027, 1, 31)).set_index("id")
    assert early.loc["OPS-1", "spent"] == 6000  # spend dated after the day does not count yet
    assert burn_words(0.62, 0.4) == "62% spent, 40% of the way"
    assert money(14900, "GBP") == "GBP 14,900" and money(12.5, None) == "12.50"


def test_the_dashboard_and_team_page_show_burn_against_progress():
    html = Dashboard(load_example(), today=TODAY, team="Clinics Ops").budget.value
    row = re.search(r'<tr class="goalbook-budget-row" data-id="OPS-1">(.*?)</tr>', html).group(1)
    assert "GBP 24,000" in row and "GBP 14,900" in row and "62% spent, 25% of the way" in row
    assert "spending ahead" in row
    assert 'data-id="CC-1"' not in html  # another team's
    assert 'data-id="INI-3"' in Dashboard(load_example(), today=TODAY).budget.value


def test_spend_currency_and_ice_are_in_the_file_format_and_the_schema(tmp_path):
    book = load_example()
    assert [(s.date, s.amount, s.note) for s in book.get("OPS-1").spend] == [
        (date(2027, 1, 20), 6000, "Hull triage nurse pilot, six weeks"),
        (date(2027, 2, 10), 8900, "locum GP cover at Bradford")]
    assert (book.get("INI-7").impact, book.get("INI-7").confidence, book.get("INI-7").ease) == (7, 5, 4)
    validator = jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker())
    data = json.loads(json.dumps(yaml.safe_load(example_path().read_text()), default=str))  # dates as an editor sees
    assert list(validator.iter_errors(data)) == []
    data["smart_goals"][0]["spend"][0]["amount"] = -5
    data["initiatives"][6]["ease"] = 11
    data["approvals"]["CC-2"][0]["state"] = "rubber-stamped"
    found = sorted(e.message for e in validator.iter_errors(data))
    assert found == ["'rubber-stamped' is not one of ['draft', 'in_review', 'approved', 'changes_requested', None]",
                     "-5 is less than the minimum of 0", "11 is greater than the maximum of 10"]
    book.get("WEB-2").spend.append(Spend(date(2027, 3, 1), 950.5, "A/B test tool"))
    book.get("WEB-2").currency = "GBP"
    path = tmp_path / "nw.yaml"
    book.save(path)
    assert load_goalbook(path).get("WEB-2").spend[-1] == Spend(date(2027, 3, 1), 950.5, "A/B test tool")


def test_a_bad_currency_or_negative_spend_is_refused_with_file_and_line(tmp_path):
    text = example_path().read_text().replace("    currency: GBP\n", "    currency: pounds\n", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    try:
        load_goalbook(path)
        raise AssertionError("loaded")
    except Exception as exc:
        assert "currency 'pounds' is not a three-letter ISO 4217 code" in str(exc) and "bad.yaml:" in str(exc)


def test_spend_and_ice_travel_in_csv_and_excel_exports(tmp_path):
    book = load_example()
    goals = to_frame(book, "smart_goals").set_index("id")
    assert goals.loc["OPS-1", "currency"] == "GBP" and goals.loc["OPS-1", "spent"] == 14900
    ideas = to_frame(book, "initiatives").set_index("id")
    assert ideas.loc["INI-7", "ice_score"] == 140 and ideas.loc["INI-7", "impact"] == 7
    spend = to_frame(book, "spend")
    assert list(spend.columns) == ["goal_id", "date", "amount", "note"]
    assert spend[spend["goal_id"] == "OPS-1"]["amount"].tolist() == [6000, 8900]
    for target in (tmp_path / "tables", tmp_path / "book.xlsx"):
        export_tables(book, target)
        back = import_tables(target)
        assert back.get("OPS-1").spend == book.get("OPS-1").spend
        assert back.get("INI-7").ice == 140
        assert back.approvers == book.approvers and back.approvals == book.approvals
    assert (tmp_path / "tables" / "spend.csv").read_text().startswith("goal_id,date,amount,note\n")
