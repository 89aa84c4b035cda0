"""Initiatives from tracker exports: each tracker's sample, a re-import after statuses changed, a malformed export.

The samples in tests/data/trackers follow the shapes cited in tests/data/trackers/README.md.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import goalbook
from goalbook.cli import main
from goalbook.cli.import_tracker import read_export
from goalbook.importers import TrackerFormatError, import_items, parse_goal_mapping, parse_status_mapping

DATA = Path(__file__).parent / "data" / "trackers"
DAY1, DAY2 = date(2027, 2, 22), date(2027, 3, 1)

# tracker format, sample, goal mapping, {key: (stage, progress, goal served)}, (old, new) text for a status change,
# the key whose status changes and its stage and progress after, (old, new) text making the export malformed and
# what the error must say
CASES = {
    "jira": ("jira.csv", ["Booking revamp=CO-1.KR2"],
             {"WEB-123": ("active", 0.5, "CO-1.KR2"), "WEB-131": ("approved", 0.0, "CO-1.KR2"),
              "WEB-140": ("active", 0.8, "CO-1.KR1"), "WEB-152": ("done", 1.0, "CO-1.KR2")},
             (",To Do,WEB,", ",In Progress,WEB,"), ("WEB-131", "active", 0.5),
             ("WEB-131,10131", ",10131"), "jira.csv: row 2 (line 3): 'Issue key' is empty"),
    "jira-json": ("jira_search.json", ["Call centre answers within a minute=CO-1.KR4"],
                  {"CC-88": ("active", 0.5, "CO-1.KR4"), "CC-91": ("approved", 0.0, "CO-1.KR4"),
                   "CC-97": ("done", 1.0, "CC-2")},
                  ('"name": "To Do", "statusCategory"', '"name": "Done", "statusCategory"'), ("CC-91", "done", 1.0),
                  ('"key": "CC-91"', '"kee": "CC-91"'), "jira_search.json: issues[1]: no 'key'"),
    "asana": ("asana.csv", [],
              {"1206412398817001": ("active", 0.5, "CO-3.KR2"), "1206412398817002": ("done", 1.0, None),
               "1206412398817003": ("approved", 0.0, "PPL-2")},
              (",To do,Lewis", ",In progress,Lewis"), ("1206412398817003", "active", 0.5),
              ("2027-02-01,2027-02-01,Stay", "first of Feb,2027-02-01,Stay"),
              "asana.csv: row 2 (line 3): 'Completed At': 'first of Feb' is not a date"),
    "trello": ("trello.json", ["No-shows=CO-1.KR3", "Leeds=CO-2.KR3"],
               {"Rm1nD3rs": ("active", 0.75, "CO-1.KR3"), "LdsF1tOt": ("approved", 0.0, "CO-2.KR3")},
               ('"idList": "65a1f0c2d3e4b5a6c7d8eb01"', '"idList": "65a1f0c2d3e4b5a6c7d8eb03"'),
               ("LdsF1tOt", "done", 1.0),
               ('"idList": "65a1f0c2d3e4b5a6c7d8eb02"', '"idList": "nope"'),
               "trello.json: cards[0] (Rm1nD3rs): idList 'nope' is not one of the board's lists"),
    "github": ("github_issues.json", ["Results in 24 hours=DATA-2"],
               {"northwind/results-app#41": ("approved", 0.0, "CO-3.KR3"),
                "northwind/results-app#44": ("done", 1.0, "DATA-2"),
                "northwind/results-app#47": ("approved", 0.0, "DATA-2"),
                "northwind/results-app/milestone/3": ("approved", 1 / 3, "DATA-2")},
               ('"state": "open", "state_reason": null', '"state": "closed", "state_reason": "completed"'),
               ("northwind/results-app#41", "done", 1.0),
               ('"number": 44', '"number": "forty-four"'),
               "github_issues.json: [1]: 'number' should be a whole number, found 'forty-four'"),
    "linear": ("linear.csv", ["No-show risk list=DATA-1"],
               {"DATA-31": ("done", 1.0, "CO-1.KR3"), "DATA-35": ("active", 0.5, "DATA-1"),
                "DATA-38": ("candidate", 0.0, "DATA-1")},
               (",Backlog,", ",In Progress,"), ("DATA-38", "active", 0.5),
               (",In Progress,3,Medium", ",,3,Medium"), "linear.csv: row 2 (line 3): 'Status' is empty"),
}


def _book(tmp_path: Path) -> Path:
    path = tmp_path / "northwind.yaml"
    path.write_text(goalbook.example_path().read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _export(tmp_path: Path, sample: str, swap: tuple[str, str] | None = None) -> Path:
    text = (DATA / sample).read_text(encoding="utf-8")
    if swap:
        assert swap[0] in text, swap
        text = text.replace(swap[0], swap[1], 1)
    out = tmp_path / sample
    out.write_text(text, encoding="utf-8")
    return out


def _run(fmt: str, export: Path, book: Path, goals: list[str], today: date) -> int:
    argv = ["import-tracker", fmt, str(export), "--into", str(book), "--today", today.isoformat()]
    if fmt == "github":
        argv += ["--milestones", str(DATA / "github_milestones.json")]
    for g in goals:
        argv += ["--goal", g]
    return main(argv)


def _by_ref(book: goalbook.Goalbook) -> dict[str, goalbook.model.Initiative]:
    return {i.external_ref: i for i in book.initiatives if i.external_ref}


@pytest.mark.parametrize("fmt", list(CASES))
def test_a_sample_export_becomes_initiatives_serving_their_goals(fmt, tmp_path, capsys):
    sample, goals, expected, *_ = CASES[fmt]
    path = _book(tmp_path)
    assert _run(fmt, _export(tmp_path, sample), path, goals, DAY1) == 0
    assert f"into {path}:" in capsys.readouterr().out
    book = goalbook.Goalbook.load(path)
    refs = _by_ref(book)
    for key, (stage, progress, goal) in expected.items():
        ini = refs[key]
        assert (ini.status, ini.progress) == (stage, pytest.approx(progress)), key
        assert ini.tracker == fmt.split("-")[0]
        if goal is not None:
            assert goal in {lk.target for lk in book.links_from(ini.id)}, (key, book.links_from(ini.id))
        first = book.check_ins_for(ini.id)
        if ini.id.startswith(fmt.split("-")[0].upper() + "-"):  # new ones start their history with the import
            assert [(c.date, c.author) for c in first] == [(DAY1, f"import:{ini.tracker}")]


@pytest.mark.parametrize("fmt", list(CASES))
def test_reimport_after_statuses_changed_updates_progress_duplicates_nothing_and_keeps_history(fmt, tmp_path):
    sample, goals, _, change, (key, stage, progress), *_ = CASES[fmt]
    path = _book(tmp_path)
    assert _run(fmt, _export(tmp_path, sample), path, goals, DAY1) == 0
    before = goalbook.Goalbook.load(path)
    old = _by_ref(before)[key]
    assert _run(fmt, _export(tmp_path, sample, change), path, goals, DAY2) == 0
    after = goalbook.Goalbook.load(path)
    ini = _by_ref(after)[key]
    assert ini.id == old.id and (ini.status, ini.progress) == (stage, pytest.approx(progress))
    assert len(after.initiatives) == len(before.initiatives)  # nothing duplicated
    assert sorted(i.external_ref for i in after.initiatives if i.external_ref) == \
        sorted(i.external_ref for i in before.initiatives if i.external_ref)
    assert len(after.links) == len(before.links)
    history = after.check_ins_for(ini.id)
    assert [c.date for c in history][-2:] == [DAY1, DAY2]  # the first import's check-in is still there
    assert history[-1].value == pytest.approx(progress) and f"{old.status}" in history[-1].wins
    # only the changed item got a new check-in
    assert len(after.check_ins) == len(before.check_ins) + 1
    # the same export again the same day adds nothing
    tracker, items = read_export(fmt, _export(tmp_path, sample, change),
                                 DATA / "github_milestones.json" if fmt == "github" else None)
    again, summary = import_items(after, items, tracker, today=DAY2, goals=parse_goal_mapping(goals))
    assert (summary.created, summary.updated, summary.links, summary.check_ins) == ([], [], [], 0)
    assert again.initiatives == after.initiatives and again.check_ins == after.check_ins


@pytest.mark.parametrize("fmt", list(CASES))
def test_a_malformed_export_is_refused_naming_the_row_and_nothing_is_imported(fmt, tmp_path, capsys):
    sample, goals, *_, breakage, message = CASES[fmt]
    path = _book(tmp_path)
    original = path.read_bytes()
    assert _run(fmt, _export(tmp_path, sample, breakage), path, goals, DAY1) == 1
    err = capsys.readouterr().err
    assert message in err, err
    assert path.read_bytes() == original


def test_a_store_takes_the_import_in_one_step_and_a_reimport_adds_nothing(tmp_path):
    db = tmp_path / "goals.db"
    with goalbook.open(db, author="maria") as store:
        store.import_book(goalbook.load_example())
    argv = ["import-tracker", "jira", str(DATA / "jira.csv"), "--into", str(db), "--today", "2027-02-22",
            "--goal", "Booking revamp=CO-1.KR2"]
    assert main(argv) == 0
    with goalbook.open(db, readonly=True) as store:
        book = store.load()
        count = len(book.check_ins)
        assert _by_ref(book)["WEB-131"].status == "approved"
    assert main(argv) == 0
    with goalbook.open(db, readonly=True) as store:
        again = store.load()
    assert len(again.check_ins) == count and len(again.initiatives) == len(book.initiatives)


def test_the_status_mapping_can_be_changed_and_unknown_statuses_are_reported():
    book = goalbook.load_example()
    _, items = read_export("jira", DATA / "jira.csv")
    out, summary = import_items(book, items, "jira", today=DAY1,
                                statuses=parse_status_mapping(["In Review=active:0.95"]))
    assert _by_ref(out)["WEB-140"].progress == 0.95
    odd = [i.__class__(**{**{f: getattr(i, f) for f in i.__slots__}, "status": "Waiting for legal"})
           for i in items[:1]]
    _, summary = import_items(book, odd, "jira", today=DAY1)
    assert summary.unknown_statuses == {"WEB-123": "Waiting for legal"}
    assert "statuses not in the mapping" in str(summary)
    with pytest.raises(goalbook.errors.GoalbookError, match="write STATUS=STAGE"):
        parse_status_mapping(["In Review=halfway"])


def test_the_same_key_twice_in_one_export_is_refused():
    _, items = read_export("linear", DATA / "linear.csv")
    with pytest.raises(TrackerFormatError, match="key 'DATA-31' appears twice"):
        import_items(goalbook.load_example(), [*items, items[0]], "linear", today=DAY1)


def test_a_mapping_file_holds_statuses_and_goals_for_every_import(tmp_path, capsys):
    path = _book(tmp_path)
    mapping = tmp_path / "jira-mapping.yaml"
    mapping.write_text('statuses:\n  "In Review": "active:0.95"\ngoals:\n  Booking revamp: CO-1.KR2\n',
                       encoding="utf-8")
    argv = ["import-tracker", "jira", str(DATA / "jira.csv"), "--into", str(path), "--mapping", str(mapping)]
    assert main(argv) == 0
    refs = _by_ref(goalbook.Goalbook.load(path))
    assert refs["WEB-140"].progress == 0.95
    assert "CO-1.KR2" in {lk.target for lk in goalbook.Goalbook.load(path).links_from(refs["WEB-131"].id)}
    mapping.write_text('statuses:\n  "In Review": halfway\n', encoding="utf-8")
    assert main(argv) == 1
    assert f"{mapping}: status mapping 'In Review=halfway'" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "swap", "message"), [
    ("trello", ('"checkItems": 4, "checkItemsChecked": 3', '"checkItems": 4, "checkItemsChecked": 7'),
     "cards[0] (Rm1nD3rs): 7 of 4 checklist items checked is impossible"),
    ("github", ('"open_issues": 2, "closed_issues": 1, "state": "open",\n    "created_at"',
                '"open_issues": -2, "closed_issues": 1, "state": "open",\n    "created_at"'),
     "github_milestones.json: [0] (Results in 24 hours): open_issues and closed_issues should be whole numbers"),
    ("trello", ('{\n  "id": "65a1f0c2d3e4b5a6c7d8e9f0"', '{\n  "id": "65a1f0c2d3e4b5a6c7d8e9f0",,'),
     "trello.json: line 2, column 36: not valid JSON"),
])
def test_impossible_counts_and_broken_json_are_refused_with_the_place_named(fmt, swap, message, tmp_path):
    if fmt == "github":
        with pytest.raises(TrackerFormatError, match=re.escape(message)):
            read_export("github", DATA / "github_issues.json", _export(tmp_path, "github_milestones.json", swap))
        return
    with pytest.raises(TrackerFormatError, match=re.escape(message)):
        read_export(fmt, _export(tmp_path, CASES[fmt][0], swap))
