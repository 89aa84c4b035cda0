"""Reading and writing goalbook YAML: what loads from where, and saves that keep a person's file as
they wrote it (comments, key order, untouched lines)."""

from __future__ import annotations

import difflib
import os
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from goalbook.errors import GoalbookError, ValidationError
from goalbook.examples import example_path
from goalbook.io import load_goalbook, save_goalbook, to_data
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Comment,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period

Q1 = Period.parse("2027-Q1")


def small_book() -> Goalbook:
    """A hand-made goalbook touching every kind and most fields."""
    return Goalbook(
        organisation="Acme Clinics",
        objectives=[
            Objective("CO-1", "Make booking effortless", owner="coo", period=Q1, description="Why it matters",
                      approval="approved", key_results=[
                          KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60%", metric="online share",
                                    baseline=38, target=60, unit="%", indicator="lagging", weight=2,
                                    confidence=7, owner="cdo", deadline=date(2027, 3, 31)),
                          KeyResult("CO-1.KR2", "Keep no-shows at most 8%", direction="maintain", bound="at_most",
                                    target=8),
                          KeyResult("CO-1.KR3", "Open Leeds", direction="milestone", checkpoints=[
                              Checkpoint("lease signed", True), Checkpoint("staff hired")]),
                      ]),
            Objective("WEB-O", "Web makes booking easy", level="team", team="Web", period=Q1, key_results=[
                KeyResult("WEB-O.KR1", "Cut steps from 7 to 3", direction="decrease", baseline=7, target=3)]),
        ],
        smart_goals=[SmartGoal("WEB-1", "Ship one-page booking by 2027-02-28, cutting steps from 7 to 3",
                               team="Web", owner="web-lead", metric="booking steps", baseline=7, target=3,
                               deadline=date(2027, 2, 28), budget=18000, period=Q1)],
        kpis=[KPI("KPI-NPS", "Patient NPS", unit="points", target=60, green=55, amber=45,
                  values=[KPIValue(date(2027, 1, 8), 51), KPIValue(date(2027, 1, 15), 52.5)])],
        initiatives=[Initiative("INI-1", "One-page booking flow", status="active", start=date(2027, 1, 4),
                                end=date(2027, 2, 28), progress=0.4, external_ref="WEB-123")],
        links=[Link("WEB-O", "CO-1.KR1"), Link("WEB-1", "WEB-O.KR1"), Link("WEB-1", "CO-1.KR1", "supports", 2),
               Link("KPI-NPS", "CO-1.KR1", "supports"), Link("INI-1", "WEB-1"), Link("WEB-O.KR1", "CO-1.KR1")],
        check_ins=[CheckIn("CO-1.KR1", date(2027, 1, 8), 41, 7, "on_track", wins="Launched: phase 1",
                           author="cdo"),
                   CheckIn("CO-1.KR1", date(2027, 1, 15), 43.5, 6, blockers="Holiday")],
        comments=[Comment("CO-1", "Good first week", "ceo", datetime(2027, 1, 8, 10, 0))],
    )


def same_content(a: Goalbook, b: Goalbook) -> bool:
    """Equal as goalbooks; links compared as a collection, since a file groups them under their goal."""
    key = lambda lk: (lk.source, lk.target, lk.kind, lk.weight)  # noqa: E731
    return (a.objectives, a.smart_goals, a.kpis, a.initiatives, a.check_ins, a.comments,
            a.organisation, a.fiscal_year_start) == (b.objectives, b.smart_goals, b.kpis, b.initiatives,
                                                     b.check_ins, b.comments, b.organisation,
                                                     b.fiscal_year_start) \
        and sorted(a.links, key=key) == sorted(b.links, key=key)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --- plain data ------------------------------------------------------------------------------------
def test_to_data_follows_the_format_order_and_leaves_defaults_out():
    data = to_data(small_book())
    assert list(data) == ["goalbook", "organisation", "objectives", "smart_goals", "kpis", "initiatives", "links",
                          "check_ins", "comments"]
    co1 = data["objectives"][0]
    assert list(co1) == ["id", "title", "level", "owner", "period", "approval", "description", "key_results"]
    assert co1["period"] == "2027-Q1"
    kr1 = co1["key_results"][0]
    assert list(kr1)[:6] == ["id", "title", "metric", "direction", "baseline", "target"]
    assert kr1["baseline"] == 38 and isinstance(kr1["baseline"], int)  # 38.0 in the model, 38 in the file
    assert "weight" not in co1["key_results"][1]  # default weight 1 is left out
    assert co1["key_results"][2]["checkpoints"] == [{"name": "lease signed", "done": True},
                                                    {"name": "staff hired", "done": False}]
    assert data["objectives"][1]["supports"] == ["CO-1.KR1"]
    assert data["smart_goals"][0]["supports"] == ["WEB-O.KR1", {"id": "CO-1.KR1", "kind": "supports", "weight": 2}]
    assert data["links"] == [{"from": "WEB-O.KR1", "to": "CO-1.KR1"}]  # a key result has no inline supports
    assert data["check_ins"]["CO-1.KR1"][1] == {"date": date(2027, 1, 15), "value": 43.5, "confidence": 6,
                                                "blockers": "Holiday"}
    assert "fiscal_year_start" not in data


def test_plain_data_dumped_with_pyyaml_loads_back_equal(tmp_path):
    book = small_book()
    path = tmp_path / "book.yaml"
    path.write_text(yaml.dump(to_data(book), Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    assert same_content(load_goalbook(path), book)


def test_to_data_refuses_a_value_of_the_wrong_type():
    book = small_book()
    book.objectives[0].key_results[0].target = "sixty"  # type: ignore[assignment]
    with pytest.raises(ValidationError) as err:
        to_data(book)
    assert "key result CO-1.KR1: target 'sixty' is text" in str(err.value)


# --- loading -----------------------------------------------------------------------------------------
def test_example_loads_with_locations_and_sources():
    book = load_goalbook(example_path())
    assert book.sources == [str(example_path())]
    text = example_path().read_text(encoding="utf-8").splitlines()
    for gid in ("CO-1", "CO-2.KR3", "WEB-3", "KPI-SICK", "INI-7"):
        file, line = book.locations[gid]
        assert file == str(example_path())
        assert f"id: {gid}" in text[line - 1]
    web3 = [lk for lk in book.links if lk.source == "WEB-3"]
    assert [(lk.target, lk.kind) for lk in web3] == [("CO-1.KR2", "supports")]
    assert Link("OPS-1", "CO-3.KR1", "contributes", 0.5) in book.links  # from the links: section


def test_fiscal_periods_follow_the_file_or_the_argument(tmp_path):
    path = tmp_path / "fy.yaml"
    path.write_text("goalbook: 1\nfiscal_year_start: 7\nobjectives:\n"
                    "  - {id: O, title: Grow, period: 2027-Q1}\n", encoding="utf-8")
    assert load_goalbook(path).objectives[0].period == Period("2027-Q1", date(2026, 7, 1), date(2026, 9, 30))
    book = load_goalbook(path, fiscal_year_start=1)
    assert book.objectives[0].period == Period("2027-Q1", date(2027, 1, 1), date(2027, 3, 31))
    assert book.fiscal_year_start == 1


def write_multi(folder: Path) -> Path:
    (folder / "teams").mkdir(parents=True)
    main = folder / "main.yaml"
    main.write_text("goalbook: 1\norganisation: Acme\ninclude: teams/*.yaml\nobjectives:\n"
                    "  - id: CO-1\n    title: Company aim   # the big one\n    period: 2027-Q1\n"
                    "    key_results:\n      - id: CO-1.KR1\n        title: Raise a from 1 to 2\n"
                    "        baseline: 1\n        target: 2\n", encoding="utf-8")
    (folder / "teams" / "web.yaml").write_text(
        "# the web team's goals\nsmart_goals:\n  - id: WEB-1\n    statement: Cut steps from 7 to 3 by 2027-03-01\n"
        "    baseline: 7\n    target: 3\n    supports: [CO-1.KR1]\ncheck_ins:\n  WEB-1:\n"
        "    - {date: 2027-01-08, value: 6}\n", encoding="utf-8")
    (folder / "teams" / "ops.yaml").write_text(
        "smart_goals:\n  - id: OPS-1\n    statement: Cut waits from 30 to 15 minutes by 2027-03-01\n"
        "    baseline: 30\n    target: 15\n", encoding="utf-8")
    return main


def test_include_brings_in_every_matching_file(tmp_path):
    main = write_multi(tmp_path)
    book = load_goalbook(main)
    assert book.sources == [str(main), str(tmp_path / "teams" / "ops.yaml"), str(tmp_path / "teams" / "web.yaml")]
    assert [g.id for g in book.smart_goals] == ["OPS-1", "WEB-1"]
    assert book.locations["WEB-1"] == (str(tmp_path / "teams" / "web.yaml"), 3)
    assert book.links == [Link("WEB-1", "CO-1.KR1")]
    assert book.check_ins_for("WEB-1")[0].value == 6


def test_a_folder_loads_with_the_header_file_first(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "a-team.yaml").write_text("smart_goals:\n  - {id: A-1, statement: Do a by 2027-03-01, "
                                        "supports: [CO-1]}\n", encoding="utf-8")
    (folder / "z-main.yml").write_text("goalbook: 1\norganisation: Zed\nobjectives:\n"
                                       "  - {id: CO-1, title: Grow, period: 2027-Q1}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not yaml", encoding="utf-8")
    book = load_goalbook(folder)
    assert book.organisation == "Zed"
    assert [Path(s).name for s in book.sources] == ["z-main.yml", "a-team.yaml"]
    assert book.links == [Link("A-1", "CO-1")]


def test_a_list_of_files_loads_as_one_book(tmp_path):
    main = write_multi(tmp_path)
    book = load_goalbook([tmp_path / "teams" / "web.yaml", main])
    assert Path(book.sources[0]) == main  # the file with the header leads, whatever the order given
    assert {g.id for g in book.smart_goals} == {"OPS-1", "WEB-1"}


def test_ids_clash_across_files(tmp_path):
    main = write_multi(tmp_path)
    (tmp_path / "teams" / "dup.yaml").write_text("kpis:\n  - {id: WEB-1, name: Clash}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_goalbook(main)
    [p] = err.value.problems
    assert p.file == str(tmp_path / "teams" / "web.yaml") and p.line == 3 and p.field == "id"
    assert "id 'WEB-1' is used twice" in p.message


# --- saving: round trips -----------------------------------------------------------------------------
def test_saving_an_unchanged_book_leaves_the_file_byte_identical(northwind):
    before = northwind.read_bytes()
    mtime = northwind.stat().st_mtime_ns
    book = load_goalbook(northwind)
    book.save()
    save_goalbook(book, northwind)
    assert northwind.read_bytes() == before
    assert northwind.stat().st_mtime_ns == mtime  # not even rewritten


def test_one_changed_value_changes_one_line(northwind):
    before = northwind.read_text(encoding="utf-8")
    book = load_goalbook(northwind)
    book.get("CO-1.KR1").target = 65
    book.save()
    after = northwind.read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["-        target: 60", "+        target: 65"]
    book.get("CO-1.KR1").confidence = 5  # a line with an end-of-line comment nearby keeps it
    book.get("CO-1.KR1").weight = 3
    book.save()
    assert changed_lines(after, northwind.read_text(encoding="utf-8")) == [
        "-        weight: 2               # the outcome the board watches; counts double",
        "-        confidence: 7",
        "+        weight: 3               # the outcome the board watches; counts double",
        "+        confidence: 5"]


def test_edits_keep_comments_and_order_and_load_back_equal(northwind):
    before = northwind.read_text(encoding="utf-8")
    book = load_goalbook(northwind)
    co1 = book.get("CO-1")
    co1.key_results.append(KeyResult("CO-1.KR5", "Cut booking complaints from 40 to 10 a month",
                                     direction="decrease", baseline=40, target=10))
    co1.key_results[-1].objective_id = "CO-1"
    book.check_ins.append(CheckIn("CO-1.KR5", date(2027, 3, 5), 35, 6, "on_track"))
    book.smart_goals = [g for g in book.smart_goals if g.id != "WEB-2"]
    book.links = [lk for lk in book.links if lk.source != "WEB-2"]
    book.check_ins = [c for c in book.check_ins if c.target_id != "WEB-2"]
    book.links.append(Link("WEB-1", "CO-1.KR5", "supports"))
    book.get("KPI-NPS").values.append(KPIValue(date(2027, 3, 5), 53))
    book.reindex()
    book.save()
    after = northwind.read_text(encoding="utf-8")
    comments = [line.strip() for line in before.splitlines() if line.strip().startswith("#")]
    for line in comments:
        if "WEB-2" not in line:
            assert line in after
    assert "id: WEB-2" not in after
    assert "supports: [CO-1.KR2, {id: CO-1.KR5, kind: supports}]" in after
    reloaded = load_goalbook(northwind)
    assert same_content(reloaded, book)
    assert [kr.id for kr in reloaded.get("CO-1").key_results][-1] == "CO-1.KR5"


def test_save_as_a_new_file_keeps_the_comments(northwind, tmp_path):
    book = load_goalbook(northwind)
    out = tmp_path / "copy" / "review.yaml"
    book.save(out)
    assert out.read_text(encoding="utf-8") == northwind.read_text(encoding="utf-8")


def test_a_book_made_in_code_saves_and_loads_back(tmp_path):
    book = small_book()
    path = tmp_path / "new.yaml"
    save_goalbook(book, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("goalbook: 1\norganisation: Acme Clinics\nobjectives:\n  - id: CO-1\n")
    assert "    - {date: 2027-01-08, value: 41, confidence: 7, status: on_track," in text
    assert same_content(load_goalbook(path), book)
    with pytest.raises(GoalbookError, match="give a path"):
        save_goalbook(small_book())


def test_multi_file_book_saves_each_part_to_its_own_file(tmp_path):
    main = write_multi(tmp_path)
    web, ops = tmp_path / "teams" / "web.yaml", tmp_path / "teams" / "ops.yaml"
    before = {p: p.read_text(encoding="utf-8") for p in (main, web, ops)}
    book = load_goalbook(main)
    book.get("WEB-1").target = 2
    book.check_ins.append(CheckIn("OPS-1", date(2027, 1, 8), 28))
    book.smart_goals.append(SmartGoal("NEW-1", "Answer calls within a minute by 2027-03-01, up from 60% to 90%",
                                      baseline=60, target=90))
    book.links.append(Link("NEW-1", "CO-1.KR1", "supports"))
    book.reindex()
    book.save()
    assert changed_lines(before[web], web.read_text(encoding="utf-8")) == ["-    target: 3", "+    target: 2"]
    assert changed_lines(before[ops], ops.read_text(encoding="utf-8")) == [
        "+check_ins:", "+  OPS-1:", "+    - {date: 2027-01-08, value: 28}"]
    main_after = main.read_text(encoding="utf-8")
    assert main_after.startswith(before[main])  # the new goal is appended to the main file
    assert "  - id: NEW-1\n" in main_after and "supports: [{id: CO-1.KR1, kind: supports}]" in main_after
    reloaded = load_goalbook(main)
    assert {g.id: g for g in reloaded.smart_goals} == {g.id: g for g in book.smart_goals}
    assert sorted(reloaded.check_ins, key=str) == sorted(book.check_ins, key=str)


def test_a_book_with_errors_is_not_saved(northwind):
    before = northwind.read_bytes()
    book = load_goalbook(northwind)
    book.get("CO-1.KR1").target = 38  # equals its baseline
    book.links.append(Link("WEB-1", "NOPE"))
    with pytest.raises(ValidationError) as err:
        book.save()
    messages = [p.message for p in err.value.problems]
    assert "key result CO-1.KR1: target 38 equals baseline 38 — a key result must move; use direction " \
           "'maintain' to hold a level" in messages
    assert any("'NOPE' does not exist" in m for m in messages)
    assert northwind.read_bytes() == before


LOOKALIKES = ["yes", "no", "on", "off", "1:30", "010", "null", "~", "2027-01-08", "1e3", "Launched: phase 1",
              "#1 priority", "- dash"]


def test_text_that_looks_like_another_value_survives_a_save(northwind, tmp_path):
    book = load_goalbook(northwind)
    krs = book.key_results[:len(LOOKALIKES)]
    for kr, text in zip(krs, LOOKALIKES, strict=True):
        kr.owner = text
    book.save()
    assert [load_goalbook(northwind).get(kr.id).owner for kr in krs] == LOOKALIKES
    fresh = tmp_path / "fresh.yaml"
    book.sources = []
    save_goalbook(book, fresh)
    assert [load_goalbook(fresh).get(kr.id).owner for kr in krs] == LOOKALIKES


def test_saves_keep_file_permissions(northwind, tmp_path):
    northwind.chmod(0o640)
    book = load_goalbook(northwind)
    book.get("CO-1.KR1").target = 61
    book.save()
    assert northwind.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.yaml"
    book.sources = []
    save_goalbook(book, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_windows_line_ends_are_kept(northwind):
    crlf = northwind.read_bytes().replace(b"\n", b"\r\n")
    northwind.write_bytes(crlf)
    book = load_goalbook(northwind)
    book.save()
    assert northwind.read_bytes() == crlf
    book.get("CO-1.KR1").target = 61
    book.save()
    after = northwind.read_bytes()
    assert after.count(b"\r\n") == crlf.count(b"\r\n") and after.count(b"\n") == crlf.count(b"\n")
    assert changed_lines(crlf.decode(), after.decode()) == ["-        target: 60", "+        target: 61"]
