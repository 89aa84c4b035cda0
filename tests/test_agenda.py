"""The check-in meeting's agenda on the example at three dates (exact order), its rules, and its text."""

from __future__ import annotations

import json
from datetime import date

import pytest

from goalbook.agenda import build_agenda, open_blocker, to_html, to_markdown
from goalbook.cli import main
from goalbook.examples import example_path, load_example
from goalbook.model import CheckIn

EARLY = [  # 2027-01-22, three check-ins in: nothing is off track yet, the trends already worry
    ("at_risk", "CO-1.KR2"), ("at_risk", "CO-1.KR1"), ("at_risk", "PPL-1"), ("at_risk", "CC-1"),
    ("at_risk", "CO-1.KR4"), ("at_risk", "OPS-1"), ("at_risk", "CO-2.KR1"),
    ("blocked", "WEB-2"), ("blocked", "CO-2.KR3"), ("blocked", "CO-3.KR4"),
    ("stale", "CC-2"), ("stale", "PPL-2"),
    ("breached", "KPI-WAIT"), ("breached", "KPI-SICK"), ("breached", "KPI-ABANDON"),
    ("decisions", "DEP-OPS-1"), ("decisions", "CC-2"),
    ("wins", "CO-3.KR1"), ("wins", "CO-3.KR3"), ("wins", "DATA-2"), ("wins", "OPS-2"), ("wins", "WEB-1"),
    ("wins", "WEB-3"),
]
MIDDLE = [  # 2027-02-12: CC-2 and PPL-2, never checked in, count at their baseline (scoring's policy) and are behind
    ("off_track", "CC-2"), ("off_track", "PPL-2"),
    ("at_risk", "CO-3.KR1"), ("at_risk", "OPS-1"), ("at_risk", "CO-2.KR1"),
    ("blocked", "CO-3.KR2"), ("blocked", "PPL-1"),
    ("breached", "KPI-WAIT"),
    ("decisions", "DEP-OPS-1"), ("decisions", "CC-2"),
    ("wins", "CO-1.KR2"), ("wins", "CO-1.KR3"), ("wins", "OPS-2"),
]
LATEST = [  # 2027-02-26, the example's latest check-in
    ("off_track", "CO-2.KR1"), ("off_track", "CC-2"), ("off_track", "PPL-2"),
    ("at_risk", "OPS-1"), ("at_risk", "CO-3.KR1"), ("at_risk", "CO-3.KR2"),
    ("blocked", "CO-1.KR1"), ("blocked", "CC-1"), ("blocked", "CO-1.KR4"), ("blocked", "CO-2.KR2"),
    ("blocked", "CO-2.KR3"), ("blocked", "PPL-1"),
    ("breached", "KPI-WAIT"),
    ("decisions", "DEP-OPS-1"), ("decisions", "CC-2"),
    ("wins", "DATA-2"),
]


@pytest.mark.parametrize(("today", "expected", "minutes"), [
    (date(2027, 1, 22), EARLY, 58), (date(2027, 2, 12), MIDDLE, 38), (date(2027, 2, 26), LATEST, 53)])
def test_the_example_agenda_in_order(today, expected, minutes):
    agenda = build_agenda(load_example(), today=today)
    assert [(i.section, i.id) for i in agenda.items] == expected
    assert agenda.minutes == minutes


def test_each_item_carries_its_owner_number_and_time_box():
    agenda = build_agenda(load_example(), today=date(2027, 2, 26))
    first = agenda.items[0]
    assert (first.owner, first.minutes) == ("head-of-clinics", 5)
    assert first.number == "forecast 19.8 min by 2027-03-31 (target 12 min, 13.7–26.4, 6% chance)"
    assert "kiosks" in first.why
    blocked = agenda.section("blocked")[1]
    assert blocked.number == "blocked 7 days (since 2027-02-19)" and blocked.why == "Monday 8-10am still below 70%"
    assert agenda.section("stale") == []  # never checked in, so behind: it is in the off-track section, saying so
    cc2 = next(i for i in agenda.section("off_track") if i.id == "CC-2")
    assert cc2.number == "not measured yet: never checked in, 63% of the way expected"
    assert agenda.section("breached")[0].number == "21 min, above the amber line 20 min"
    assert [i.minutes for i in agenda.section("decisions")] == [2, 2]


def test_a_team_agenda_has_only_that_team():
    agenda = build_agenda(load_example(), today=date(2027, 2, 26), team="Contact Centre")
    assert [(i.section, i.id) for i in agenda.items] == [
        ("off_track", "CC-2"), ("blocked", "CC-1"), ("decisions", "CC-2")]


def test_a_blocker_stays_open_until_done_or_confidence_rises():
    d = date(2027, 1, 8)
    raised = CheckIn("X", d, 1, confidence=5, blockers="no data")
    assert open_blocker([raised]) is raised
    assert open_blocker([raised, CheckIn("X", date(2027, 1, 15), 2, confidence=5)]) is raised  # however old
    assert open_blocker([raised, CheckIn("X", date(2027, 1, 15), 2, confidence=6)]) is None
    assert open_blocker([raised, CheckIn("X", date(2027, 1, 15), 2, status="done")]) is None
    assert open_blocker([CheckIn("X", d, 1)]) is None


def test_the_markdown_pastes_cleanly_and_escapes_user_text():
    book = load_example()
    book.get("CO-2.KR1").title = "Cut *waits* <img src=x onerror=alert(1)> | [link](http://x)"
    text = to_markdown(build_agenda(book, today=date(2027, 2, 26)), book.organisation)
    assert text.startswith("# Northwind Clinics: check-in agenda, 2027-02-26\n\nSuggested length: 53 minutes.\n")
    assert "## Off track (15 min)\n\n1. **CO-2.KR1** Cut \\*waits\\* \\<img src=x onerror=alert(1)\\> \\| " \
           "\\[link\\](http://x) · head-of-clinics · forecast 19.8 min" in text
    assert "\n## Wins (1 min)\n\n16. **DATA-2**" in text
    page = to_html(build_agenda(book, today=date(2027, 2, 26)), book.organisation)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_cli_prints_the_agenda_in_each_format(capsys):
    assert main(["agenda", str(example_path()), "--today", "2027-02-26"]) == 0
    assert "1. **CO-2.KR1**" in capsys.readouterr().out
    assert main(["agenda", str(example_path()), "--today", "2027-02-26", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in data["items"]] == [i for _, i in LATEST] and data["minutes"] == 53
    assert main(["agenda", str(example_path()), "--today", "2027-02-26", "--format", "html"]) == 0
    assert 'data-section="off_track"' in capsys.readouterr().out
    assert main(["agenda", str(example_path()), "--team", "Nope"]) == 2
    assert "no team 'Nope'" in capsys.readouterr().err


def test_the_cli_reads_a_store_read_only(tmp_path, capsys):
    import goalbook

    url = str(tmp_path / "goals.db")
    with goalbook.open(url) as s:
        s.import_book(load_example())
    assert main(["agenda", url, "--today", "2027-02-26", "--format", "json"]) == 0
    items = [(i["section"], i["id"]) for i in json.loads(capsys.readouterr().out)["items"]]
    # an import carries the file's approval history into the store's event log: the same order as the file
    assert items == LATEST
