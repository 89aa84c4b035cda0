"""Bad input gets a clear message naming file, line, column, entity and field, every problem at once;
a failed save leaves the files as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from goalbook.errors import Problem, ValidationError
from goalbook.io import load_goalbook, save_goalbook
from goalbook.model import SmartGoal

GOOD = """\
goalbook: 1
objectives:
  - id: CO-1
    title: Make booking effortless
    period: 2027-Q1
    key_results:
      - id: CO-1.KR1
        title: Raise online bookings from 38% to 60%
        baseline: 38
        target: 60
        deadline: 2027-03-31
smart_goals:
  - id: WEB-1
    statement: Ship one-page booking by 2027-02-28
    baseline: 7
    target: 3
    supports: [CO-1.KR1]
check_ins:
  CO-1.KR1:
    - {date: 2027-01-08, value: 41, confidence: 7}
"""


def problems(tmp_path: Path, text: str, name: str = "goals.yaml") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_goalbook(path)
    for p in err.value.problems:
        assert p.file == str(path)
        assert str(p).startswith(f"{path}:")
        assert str(p) in str(err.value)
    return err.value.problems


def one(tmp_path: Path, old: str, new: str) -> Problem:
    assert old in GOOD
    [p] = problems(tmp_path, GOOD.replace(old, new))
    return p


def test_the_good_file_loads(tmp_path):
    path = tmp_path / "goals.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_goalbook(path).get("CO-1.KR1").target == 60


# each case: the line changed, its replacement, then line, column, entity, field and message expected
CASES = {
    "text where a number goes": (
        "        target: 60", "        target: sixty", 10, 9, "CO-1.KR1", "target",
        "key result CO-1.KR1: target 'sixty' is text, not a number — write it in digits (e.g. 60 or 2.5)"),
    "a percentage as text": (
        "    target: 3\n", "    target: 3%\n", 16, 5, "WEB-1", "target",
        "goal WEB-1: target '3%' is text, not a number — write the number 3 and put '%' in the unit field"),
    "yes/no where a number goes": (
        "    baseline: 7", "    baseline: yes", 15, 5, "WEB-1", "baseline",
        "goal WEB-1: baseline is true, not a number — write a number"),
    "a list where a mapping goes": (
        "  - id: WEB-1\n    statement: Ship one-page booking by 2027-02-28\n    baseline: 7\n    target: 3\n"
        "    supports: [CO-1.KR1]\n", "  - [WEB-1, Ship one-page booking]\n", 13, 5, None, None,
        "the 1st goal in smart_goals should be a mapping of fields (id: ..., title: ...), not a list"),
    "a mapping where a list goes": (
        "  CO-1.KR1:\n    - {date: 2027-01-08, value: 41, confidence: 7}", "  CO-1.KR1: {date: 2027-01-08, value: 41}",
        19, 3, "CO-1.KR1", "check_in",
        "check-ins of CO-1.KR1 should be a list, each item starting with '- ', not a mapping (key: value pairs)"),
    "unknown field": (
        "        target: 60", "        tagret: 60", 10, 9, "CO-1.KR1", "tagret",
        "key result CO-1.KR1: unknown field 'tagret' (did you mean 'target'?)"),
    "supports on a key result": (
        "        target: 60", "        target: 60\n        supports: [CO-1]", 11, 9, "CO-1.KR1", "supports",
        "key result CO-1.KR1: a key result has no 'supports' — write its links in the links: section, e.g. "
        "{from: CO-1.KR1, to: CO-1.KR2}"),
    "missing id": (
        "  - id: WEB-1\n    statement", "  - statement", 13, 5, None, "id",
        "the 1st goal in smart_goals has no id — give every goal a unique id such as WEB-3"),
    "duplicate id": (
        "  - id: WEB-1", "  - id: CO-1", 13, 5, "CO-1", "id",
        "id 'CO-1' is used twice (an objective and a smart goal) — every id must be unique"),
    "link to a missing id": (
        "supports: [CO-1.KR1]", "supports: [CO-1.KR7]", 17, 16, "WEB-1", "link.target",
        "link WEB-1 → CO-1.KR7: 'CO-1.KR7' does not exist (did you mean 'CO-1.KR1'?)"),
    "check-in on a missing id": (
        "  CO-1.KR1:\n    - {date", "  CO-1.KR9:\n    - {date", 19, 3, "CO-1.KR9", "check_in",
        "check-in of 2027-01-08: 'CO-1.KR9' does not exist (did you mean 'CO-1.KR1'?)"),
    "baseline equal to target": (
        "        target: 60", "        target: 38", 10, 9, "CO-1.KR1", "target",
        "key result CO-1.KR1: target 38 equals baseline 38 — a key result must move; use direction 'maintain' "
        "to hold a level"),
    "deadline outside the period": (
        "deadline: 2027-03-31", "deadline: 2027-04-30", 11, 9, "CO-1.KR1", "deadline",
        "key result CO-1.KR1: deadline 2027-04-30 is outside its period 2027-Q1 (2027-01-01 to 2027-03-31)"),
    "weight not above 0": (
        "        deadline: 2027-03-31", "        deadline: 2027-03-31\n        weight: -1", 12, 9, "CO-1.KR1",
        "weight", "key result CO-1.KR1: weight -1 must be above 0 — drop the key result instead of weighting it "
        "to nothing"),
    "unparseable period": (
        "period: 2027-Q1", "period: 2027-Q5", 5, 5, "CO-1", "period",
        "objective CO-1: period '2027-Q5' is not a period; write a quarter '2026-Q4', a half '2027-H1', a fiscal "
        "year 'FY2027', a month '2026-11' or a range '2026-01-01..2026-03-31'"),
    "unparseable date": (
        "deadline: 2027-03-31", "deadline: 31 March 2027", 11, 9, "CO-1.KR1", "deadline",
        "key result CO-1.KR1: deadline '31 March 2027' is not a date — write it as YYYY-MM-DD, e.g. 2027-03-31"),
    "confidence outside 0-10": (
        "value: 41, confidence: 7}", "value: 41, confidence: 12}", 20, 37, "CO-1.KR1", "confidence",
        "check-in of 2027-01-08 on CO-1.KR1: confidence 12 is outside 0-10"),
    "a field written twice": (
        "        baseline: 38\n", "        baseline: 38\n        baseline: 40\n", 10, 9, None, "baseline",
        "field 'baseline' is written twice in one place (first on line 9); only the last would count — keep one"),
    "unknown section": (
        "smart_goals:", "smart_gaols:", 12, 1, None, "smart_gaols",
        "unknown section 'smart_gaols' (did you mean 'smart_goals'?)"),
    "malformed YAML: an unquoted colon": (
        "    title: Make booking effortless", "    title: Booking: make it effortless", 4, 19, None, None,
        "the file is not valid YAML: mapping values are not allowed in this context — a text that contains ': ' "
        "must be put in quotes"),
    "malformed YAML: bad indentation": (
        "    period: 2027-Q1", "     period: 2027-Q1", 5, 12, None, None,
        "the file is not valid YAML: mapping values are not allowed in this context — check the indentation of "
        "this line against the lines above it"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_bad_input_is_named_and_located(tmp_path, case):
    old, new, line, column, entity, field, message = CASES[case]
    p = one(tmp_path, old, new)
    assert (p.message, p.line, p.column, p.entity, p.field) == (message, line, column, entity, field)


def test_an_empty_file(tmp_path):
    [p] = problems(tmp_path, "# nothing here yet\n")
    assert (p.line, p.message) == (1, "the file is empty — a goalbook file starts with 'goalbook: 1' followed by "
                                      "sections such as objectives:")


def test_a_file_that_is_a_list(tmp_path):
    [p] = problems(tmp_path, "- id: CO-1\n  title: x\n")
    assert (p.line, p.message) == (1, "the file should hold named sections (goalbook: 1, objectives: ...), "
                                      "not a list")


def test_tabs_and_unclosed_quotes_are_explained(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("  - id: WEB-1", "\t- id: WEB-1"))
    assert p.line == 13 and p.message.endswith("YAML does not allow tabs; indent with spaces")
    [p] = problems(tmp_path, GOOD.replace("title: Make booking effortless", 'title: "Make booking effortless'))
    assert p.message.endswith("a quote or bracket is not closed")


def test_missing_header_and_unknown_version(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("goalbook: 1\n", ""))
    assert (p.line, p.field) == (1, "goalbook") and "no 'goalbook: 1' line" in p.message
    [p] = problems(tmp_path, GOOD.replace("goalbook: 1", "goalbook: 2"))
    assert (p.line, p.message) == (1, "goalbook: 2 is a format version this goalbook cannot read "
                                      "(it reads version 1)")


def test_an_include_that_matches_nothing(tmp_path):
    [p] = problems(tmp_path, GOOD.replace("goalbook: 1\n", "goalbook: 1\ninclude: [teams/*.yaml]\n"))
    assert (p.line, p.column, p.field) == (2, 11, "include")
    assert p.message.startswith("include: 'teams/*.yaml' matches no file")


def test_every_problem_is_reported_at_once(tmp_path):
    text = (GOOD.replace("        target: 60", "        target: sixty")
            .replace("period: 2027-Q1", "period: 2027-Q5")
            .replace("    baseline: 7", "    baseline: yes\n    budjet: 100")
            .replace("supports: [CO-1.KR1]", "supports: [CO-1.KR7]")
            .replace("confidence: 7}", "confidence: 11}"))
    found = problems(tmp_path, text)
    assert [(p.line, p.entity, p.field) for p in found] == [
        (5, "CO-1", "period"), (10, "CO-1.KR1", "target"), (15, "WEB-1", "baseline"), (16, "WEB-1", "budjet"),
        (18, "WEB-1", "link.target"), (21, "CO-1.KR1", "confidence")]
    assert "(did you mean 'budget'?)" in found[3].message


def test_a_broken_file_among_several_is_reported_with_the_others(tmp_path):
    main = tmp_path / "main.yaml"
    main.write_text(GOOD.replace("goalbook: 1\n", "goalbook: 1\ninclude: [team-*.yaml]\n"), encoding="utf-8")
    (tmp_path / "team-a.yaml").write_text("smart_goals:\n  - {id: A-1, statement: x, target: lots}\n",
                                          encoding="utf-8")
    (tmp_path / "team-b.yaml").write_text("smart_goals:\n  - id: B-1\n   statement: x\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_goalbook(main)
    where = [(Path(p.file).name, p.line) for p in err.value.problems]
    assert where == [("team-a.yaml", 2), ("team-b.yaml", 3)]
    assert "goal A-1: target 'lots' is text" in err.value.problems[0].message


# --- failed saves ------------------------------------------------------------------------------------
def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_dump_that_fails_half_way_leaves_the_file_intact(northwind, monkeypatch):
    before = northwind.read_bytes()
    book = load_goalbook(northwind)
    book.get("CO-1.KR1").target = 65
    real_dump = YAML.dump

    def half_dump(self, data, stream):
        real_dump(self, data, stream)
        text = stream.getvalue()
        stream.seek(0)
        stream.truncate()
        stream.write(text[: len(text) // 2])
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(YAML, "dump", half_dump)
    with pytest.raises(RuntimeError, match="disk on fire"):
        book.save()
    assert northwind.read_bytes() == before
    assert leftovers(northwind.parent) == []


def test_a_write_that_fails_leaves_every_file_intact(tmp_path, monkeypatch):
    main = tmp_path / "main.yaml"
    main.write_text(GOOD.replace("goalbook: 1\n", "goalbook: 1\ninclude: [team.yaml]\n"), encoding="utf-8")
    team = tmp_path / "team.yaml"
    team.write_text("smart_goals:\n  - {id: T-1, statement: Cut waits from 30 to 15 by 2027-03-01, "
                    "baseline: 30, target: 15}\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (main, team)}
    book = load_goalbook(main)
    book.get("T-1").target = 10  # changes team.yaml
    book.smart_goals.append(SmartGoal("NEW-1", "Do more by 2027-03-01", baseline=1, target=2))  # and main.yaml
    book.reindex()
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        save_goalbook(book)
    assert {p: p.read_bytes() for p in (main, team)} == before
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    save_goalbook(book)
    assert load_goalbook(main).get("T-1").target == 10


def test_saving_a_book_with_errors_touches_nothing(northwind):
    before = northwind.read_bytes()
    book = load_goalbook(northwind)
    book.get("CO-2.KR1").weight = 0
    book.get("CO-1").period = None
    with pytest.raises(ValidationError) as err:
        save_goalbook(book)
    assert [p.message for p in err.value.problems] == [
        "key result CO-2.KR1: weight 0 must be above 0 — drop the key result instead of weighting it to nothing"]
    assert northwind.read_bytes() == before
