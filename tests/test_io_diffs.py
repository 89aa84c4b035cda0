"""Saves that make reviewable diffs: goals live in git, so one edit must change only its own lines —
keys and comments stay where the person put them, a rewritten text keeps its quotes, and any text
reads back as itself."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from goalbook.io import load_goalbook, save_goalbook
from goalbook.model import CheckIn, Checkpoint, Goalbook, KeyResult, KPIValue, Link, Objective
from goalbook.period import Period


def diff(before: str, after: str) -> list[str]:
    """The unified diff a reviewer sees, one line of context, without the file header."""
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[2:]


def saved(path: Path, edit) -> list[str]:  # type: ignore[no-untyped-def]
    before = path.read_text(encoding="utf-8")
    book = load_goalbook(path)
    edit(book)
    book.reindex()
    book.save()
    return diff(before, path.read_text(encoding="utf-8"))


# --- lists: what was added, changed or removed, and nothing else ------------------------------------
def test_appending_a_check_in_adds_just_its_line(northwind):
    assert saved(northwind, lambda b: b.check_ins.append(
        CheckIn("CO-1.KR1", date(2027, 3, 5), 52, 7, "on_track", author="cdo"))) == [
        "@@ -654,2 +654,3 @@",
        "     - {date: 2027-02-26, value: 50, confidence: 7, status: on_track, author: cdo}",
        "+    - {date: 2027-03-05, value: 52, confidence: 7, status: on_track, author: cdo}",
        "   CO-1.KR2:",
    ]


def test_a_first_check_in_goes_above_the_comment_that_opens_the_next_section(northwind):
    assert saved(northwind, lambda b: b.check_ins.append(CheckIn("CC-2", date(2027, 3, 5), 61, 6))) == [
        "@@ -879,2 +879,4 @@",
        '     - {date: 2027-02-26, value: 150, confidence: 5, status: at_risk, blockers: "60 still to do in two '
        'weeks", author: people-lead}',
        "+  CC-2:",
        "+    - {date: 2027-03-05, value: 61, confidence: 6}",
        " ",
    ]


def test_a_corrected_date_changes_that_check_in_where_it_stands(northwind):
    def edit(book: Goalbook) -> None:
        book.check_ins_for("CO-1.KR3")[2].date = date(2027, 1, 23)

    assert saved(northwind, edit) == [
        "@@ -666,3 +666,3 @@",
        '     - {date: 2027-01-15, value: 8.4, confidence: 5, status: at_risk, blockers: "Snow closed roads around '
        'Harrogate and Skipton", author: ops-lead}',
        "-    - {date: 2027-01-22, value: 7.9, confidence: 6, status: on_track, author: ops-lead}",
        "+    - {date: 2027-01-23, value: 7.9, confidence: 6, status: on_track, author: ops-lead}",
        "     - {date: 2027-01-29, value: 7.2, confidence: 7, status: on_track, wins: \"SMS reminders reach three "
        'in four appointments", author: ops-lead}',
    ]


def test_a_kpi_value_added_between_two_is_one_added_line_and_comments_stay_on_their_value(northwind):
    line = "      - {date: 2027-01-22, value: 42}\n"
    northwind.write_text(northwind.read_text(encoding="utf-8").replace(line, line[:-1] + "   # survey paused\n"),
                         encoding="utf-8")

    def edit(book: Goalbook) -> None:
        book.get("KPI-NPS").values.insert(2, KPIValue(date(2027, 1, 18), 42.5))

    assert saved(northwind, edit) == [
        "@@ -454,2 +454,3 @@",
        "       - {date: 2027-01-15, value: 43}",
        "+      - {date: 2027-01-18, value: 42.5}",
        "       - {date: 2027-01-22, value: 42}   # survey paused",
    ]


def test_emptying_the_last_list_of_a_section_keeps_the_next_sections_comment(northwind):
    before = northwind.read_text(encoding="utf-8")
    saved(northwind, lambda b: setattr(b.get("KPI-SICK"), "values", []))
    after = northwind.read_text(encoding="utf-8")
    assert "    values:\n" not in after.split("- id: KPI-SICK")[1].split("initiatives:")[0]
    header = "# --- Initiatives ---"
    assert after.count(header) == 1
    assert after.split(header)[1] == before.split(header)[1]


def test_a_key_result_added_in_the_middle_goes_in_the_middle(northwind):
    def edit(book: Goalbook) -> None:
        kr = KeyResult("CO-1.KR9", "Cut booking complaints from 40 to 10 a month", direction="decrease",
                       baseline=40, target=10)
        kr.objective_id = "CO-1"
        book.get("CO-1").key_results.insert(1, kr)

    lines = saved(northwind, edit)
    assert [line for line in lines if line[:1] == "-"] == []
    reloaded = load_goalbook(northwind)
    assert [kr.id for kr in reloaded.get("CO-1").key_results][:3] == ["CO-1.KR1", "CO-1.KR9", "CO-1.KR2"]


COMMENTED = """\
goalbook: 1
objectives:
  - id: CO-1
    title: Grow
    period: 2027-Q1
    key_results:
      - {id: CO-1.KR1, title: Raise a from 1 to 2, baseline: 1, target: 2}

      # KR2 is the hard one
      - {id: CO-1.KR2, title: Raise b from 1 to 2, baseline: 1, target: 2}
check_ins:
  CO-1.KR2:
    - {date: 2027-01-08, value: 1.1}   # first
    # a snowy week follows
    - {date: 2027-01-15, value: 1.2}
"""


def test_removing_an_entry_keeps_the_comment_about_the_next_one(tmp_path):
    path = tmp_path / "commented.yaml"
    path.write_text(COMMENTED, encoding="utf-8")

    def edit(book: Goalbook) -> None:
        book.get("CO-1").key_results.pop(0)
        book.check_ins.pop(0)

    assert saved(path, edit) == [
        "@@ -6,4 +6,2 @@",
        "     key_results:",
        "-      - {id: CO-1.KR1, title: Raise a from 1 to 2, baseline: 1, target: 2}",
        "-",
        "       # KR2 is the hard one",
        "@@ -12,3 +10,2 @@",
        "   CO-1.KR2:",
        "-    - {date: 2027-01-08, value: 1.1}   # first",
        "     # a snowy week follows",
    ]


def placeholder_book(tmp_path: Path) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(
        "goalbook: 1\n"
        "objectives:\n"
        "  - id: CO-1\n"
        "    title: Grow\n"
        "    period: 2027-Q1\n"
        "    key_results:\n"
        "      - {id: CO-1.KR1, title: Raise a from 1 to 2, baseline: 1, target: 2}\n"
        "      - {id: CO-1.KR2, title: Raise b from 1 to 2, baseline: 1, target: 2, checkpoints: []}\n"
        "check_ins:\n"
        "  CO-1.KR1: []   # weekly, from January\n"
        "  CO-1.KR2: []\n"
        "# the end\n", encoding="utf-8")
    return path


def test_empty_lists_a_person_left_stay_and_fill_where_they_are(tmp_path):
    path = placeholder_book(tmp_path)
    before = path.read_bytes()
    load_goalbook(path).save()
    assert path.read_bytes() == before  # an empty list is not "changed" into nothing
    assert saved(path, lambda b: b.check_ins.append(CheckIn("CO-1.KR1", date(2027, 1, 8), 1.2))) == [
        "@@ -9,3 +9,4 @@",
        " check_ins:",
        "-  CO-1.KR1: []   # weekly, from January",
        "+  CO-1.KR1:      # weekly, from January",
        "+    - {date: 2027-01-08, value: 1.2}",
        "   CO-1.KR2: []",
    ]


def test_block_style_lists_get_block_style_items(tmp_path):
    path = tmp_path / "block.yaml"
    path.write_text("goalbook: 1\nsmart_goals:\n- id: WEB-1\n  statement: Cut steps from 7 to 3 by 2027-03-01\n"
                    "  baseline: 7\n  target: 3\ncheck_ins:\n  WEB-1:\n  - date: 2027-01-08\n    value: 6\n"
                    "comments: {}\n", encoding="utf-8")
    assert saved(path, lambda b: b.check_ins.append(CheckIn("WEB-1", date(2027, 1, 15), 5, 7))) == [
        "@@ -10,2 +10,5 @@",
        "     value: 6",
        "+  - date: 2027-01-15",
        "+    value: 5",
        "+    confidence: 7",
        " comments: {}",
    ]


def test_a_new_section_goes_above_the_comment_that_opens_the_next_one(northwind):
    text = northwind.read_text(encoding="utf-8")
    northwind.write_text(text[:text.index("# --- Extra links")] + text[text.index("# --- Weekly check-ins"):],
                         encoding="utf-8")
    assert saved(northwind, lambda b: b.links.append(Link("CO-1.KR1", "CO-1", "supports"))) == [
        "@@ -633,2 +633,5 @@",
        "     supports: [DEP-OPS-1.KR1]",
        "+",
        "+links:",
        "+  - {from: CO-1.KR1, to: CO-1, kind: supports}",
        " ",
    ]


def test_new_fields_go_where_the_format_orders_them(northwind):
    def edit(book: Goalbook) -> None:
        kpi = book.get("KPI-SICK")
        kpi.metric = "sick days per FTE"
        book.links.append(Link("KPI-SICK", "CO-3.KR2", "supports"))

    lines = saved(northwind, edit)
    assert [line for line in lines if line[:1] in "+-"] == [
        "+    metric: sick days per FTE", "+    supports: [{id: CO-3.KR2, kind: supports}]"]
    after = northwind.read_text(encoding="utf-8").splitlines()
    assert after[after.index("    name: Staff sickness absence") + 1] == "    metric: sick days per FTE"
    supports = after.index("    supports: [{id: CO-3.KR2, kind: supports}]")
    assert after[supports - 1].startswith("      - {date: 2027-02-26") and after[supports + 1] == ""


# --- quoting ---------------------------------------------------------------------------------------
QUOTED = """\
goalbook: 1
objectives:
  - id: CO-1
    title: "Make booking effortless"   # the board's words
    owner: 'coo'
    period: 2027-Q1
    description: |
      Patients say booking is the worst part.
      We fix that this quarter.
    key_results:
      - id: CO-1.KR1
        title: 'Raise online bookings from 38% to 60%'
        baseline: 38
        target: 60
        unit: "%"
check_ins:
  CO-1.KR1:
    - {date: 2027-01-08, value: 41, wins: 'first week'}
"""


def test_a_rewritten_text_keeps_the_quotes_it_was_written_with(tmp_path):
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED, encoding="utf-8")

    def edit(book: Goalbook) -> None:
        book.get("CO-1").title = "Make booking easy"
        book.get("CO-1").owner = "chief operating officer"
        book.get("CO-1").description = "Patients say booking is the worst part.\nWe fix it by March.\n"
        book.get("CO-1.KR1").title = "Raise online bookings from 38% to 65%"
        book.get("CO-1.KR1").target = 65
        book.get("CO-1.KR1").unit = "pp"
        book.check_ins[0].wins = "a good first week"

    saved(path, edit)
    changed = [line for line in diff(QUOTED, path.read_text(encoding="utf-8")) if line[:1] == "+"]
    assert changed == [
        '+    title: "Make booking easy"         # the board\'s words',
        "+    owner: 'chief operating officer'",
        "+      We fix it by March.",
        "+        title: 'Raise online bookings from 38% to 65%'",
        "+        target: 65",
        '+        unit: "pp"',
        "+    - {date: 2027-01-08, value: 41, wins: 'a good first week'}",
    ]


def test_a_text_that_cannot_keep_its_style_is_double_quoted(tmp_path):
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED, encoding="utf-8")
    saved(path, lambda b: setattr(b.get("CO-1"), "description", "\tIndented with a tab\r\nand a CR"))
    text = path.read_text(encoding="utf-8")
    assert '    description: "\\tIndented with a tab\\r\\nand a CR"\n' in text
    assert load_goalbook(path).get("CO-1").description == "\tIndented with a tab\r\nand a CR"


# YAML 1.1 (what the reader speaks) reads all of these as something other than the text itself.
LOOKALIKES = ["yes", "No", "on", "OFF", "y", "1.0", "1_000", "0x1F", "010", ".inf", "-.5", "1e3", "6.8e+3", "12:30",
              "190:20:30", "2027-01-01", "2027-1-1", "2027-01-01 10:00:00", "2027-01-01T10:00:00Z", "null", "Null",
              "~", "=", "<<", "true", "[x]", "{x: 1}", "a: b", "key:", "#1 priority", "*ref", "&anchor", "!tag",
              "%directive", "@handle", "`tick", "|pipe", ">fold", "- dash", "? q", "? ", " lead", "trail ",
              "two  spaces", "a #b", "x,y", "it's", 'say "hi"', "back\\slash", "line\nbreak", "ends\n", "\ttab",
              "bell\x07", "nbsp\u00a0", "wide ＃", "é", "'", '"', "---", "...", "-", ":"]
STYLES = {"plain": "old text", "double": '"old text"', "single": "'old text'", "literal": "|\n      old text",
          "folded": ">-\n      old text"}


def styled_book(folder: Path, style: str, n: int) -> Path:
    """``n`` objectives, each with texts written in ``style``, and a check-in on each key result."""
    path = folder / f"{style}.yaml"
    written = STYLES[style]
    one_line = written if "\n" not in written else '"old text"'
    lines = ["goalbook: 1", "objectives:"]
    for i in range(n):
        lines += [f"  - id: CO-{i}", f"    title: {written}", f"    owner: {written}", "    period: 2027-Q1",
                  "    key_results:", f"      - {{id: CO-{i}.KR1, title: Raise a from 1 to 2, baseline: 1, target: 2}}"]
    lines.append("check_ins:")
    for i in range(n):
        lines += [f"  CO-{i}.KR1:", f"    - {{date: 2027-01-08, value: 1, wins: {one_line}}}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def round_trip(folder: Path, style: str, texts: list[str]) -> None:
    """Write each text over values written in ``style`` and into new values; all read back as written."""
    path = styled_book(folder, style, len(texts))
    book = load_goalbook(path)
    for i, text in enumerate(texts):
        book.get(f"CO-{i}").title = text
        book.get(f"CO-{i}").owner = text
        book.check_ins_for(f"CO-{i}.KR1")[0].wins = text
        book.check_ins.append(CheckIn(f"CO-{i}.KR1", date(2027, 1, 15), 2, blockers=text))
    book.save()
    fresh = path.with_name("fresh-" + path.name)
    book.sources = []
    save_goalbook(book, fresh)
    for again in (load_goalbook(path), load_goalbook(fresh)):
        for i, text in enumerate(texts):
            assert (again.get(f"CO-{i}").title, again.get(f"CO-{i}").owner) == (text, text)
            assert [(c.wins, c.blockers) for c in again.check_ins_for(f"CO-{i}.KR1")] == [(text, None), (None, text)]


@pytest.mark.parametrize("style", STYLES)
def test_texts_that_look_like_other_values_read_back_as_written(tmp_path, style):
    round_trip(tmp_path, style, LOOKALIKES)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(style=st.sampled_from(list(STYLES)), text=st.one_of(st.sampled_from(LOOKALIKES), _TEXT))
@example(style="literal", text="x\r\ny")
def test_any_text_reads_back_as_written_whatever_style_it_replaces(tmp_path, style, text):
    round_trip(tmp_path, style, [text])


def test_a_new_book_quotes_what_needs_quotes(tmp_path):
    book = Goalbook(objectives=[Objective("CO-1", "yes", owner="2027-01-01", period=Period.parse("2027-Q1"),
                                          key_results=[KeyResult("CO-1.KR1", "Open Leeds", direction="milestone",
                                                                 checkpoints=[Checkpoint("1.0")])])])
    path = tmp_path / "new.yaml"
    save_goalbook(book, path)
    text = path.read_text(encoding="utf-8")
    assert '    title: "yes"\n    level: company\n    owner: "2027-01-01"\n' in text
    assert '{name: "1.0", done: false}' in text
    assert load_goalbook(path).objectives == book.objectives
