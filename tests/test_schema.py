"""The JSON Schema editors use: valid goalbook files pass, misspelt or mistyped ones do not, and it
offers the allowed words and a description for every field."""

from __future__ import annotations

import json
from datetime import date, datetime

import jsonschema
import pytest
import yaml

from goalbook.cli import main
from goalbook.examples import example_path, load_example
from goalbook.io import to_data
from goalbook.schema import json_schema


def as_json(data):
    """What an editor sees: YAML dates are text to it."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else v))


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def example():
    return as_json(yaml.safe_load(example_path().read_text(encoding="utf-8")))


def errors(validator, data):
    return sorted(e.message for e in validator.iter_errors(data))


def test_the_example_and_written_files_are_valid(validator, example):
    assert errors(validator, example) == []
    assert errors(validator, as_json(to_data(load_example()))) == []


def test_forms_the_reader_accepts_are_valid(validator):
    data = {"goalbook": 1, "include": "teams/*.yaml", "objectives": [
        {"id": "CO-1", "title": "Grow", "team": None, "period": "Q1 FY27", "supports": "CO-0",
         "key_results": [{"id": "CO-1.KR1", "title": "More", "baseline": "38", "target": 60}]}]}
    assert errors(validator, data) == []


@pytest.mark.parametrize(("edit", "complaint"), [
    (lambda d: d["objectives"][0]["key_results"][0].update(tagret=60), "'tagret' was unexpected"),
    (lambda d: d["objectives"][0].update(level="division"), "'division' is not one of"),
    (lambda d: d["objectives"][0]["key_results"][0].update(target="sixty"), "'sixty' does not match"),
    (lambda d: d["objectives"][0]["key_results"][0].update(confidence=12), "12 is greater than the maximum of 10"),
    (lambda d: d["objectives"][0]["key_results"][0].update(weight=0), "0 is less than or equal to the minimum of 0"),
    (lambda d: d["objectives"][0].update(period="2027-Q5"), "'2027-Q5' does not match"),
    (lambda d: d["smart_goals"][0].pop("id"), "'id' is a required property"),
    (lambda d: d["check_ins"].update({"CO-1.KR1": {"date": "2027-01-08"}}), "is not of type 'array'"),
    (lambda d: d.update(goalbook=2), "1 was expected"),
    (lambda d: d.update(objectivs=[]), "'objectivs' was unexpected"),
])
def test_bad_files_are_not_valid(validator, example, edit, complaint):
    edit(example)
    found = errors(validator, example)
    assert any(complaint in message for message in found), found


def test_fields_carry_descriptions_and_allowed_words():
    schema = json_schema()
    kr = schema["$defs"]["key_result"]["properties"]
    assert kr["direction"]["enum"] == ["increase", "decrease", "maintain", "milestone", None]
    assert "threshold" in kr["direction"]["description"]
    for name, shape in schema["$defs"].items():
        for key, prop in shape["properties"].items():
            assert prop.get("description"), f"{name}.{key} has no description"


def test_the_schema_command_prints_or_writes_it(tmp_path, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
    out = tmp_path / "goalbook.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()
