"""Links beyond the file: a key result two teams share, and a link to a goal in another goalbook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from widget_tree import html_text

import goalbook
from goalbook.alignment import analyse
from goalbook.cli import main
from goalbook.linking import link_targets, shared_key_results
from goalbook.model import is_external
from goalbook.widgets import LinkPicker

EXTERNAL = "group-people.yaml#GRP-2"


def _book(tmp_path: Path, shared: str = "DEP-DIG-1") -> Path:
    text = goalbook.example_path().read_text(encoding="utf-8")
    text = text.replace("        indicator: leading      # moves weeks before the booking share does\n"
                        "        confidence: 6\n        owner: web-lead\n",
                        "        indicator: leading      # moves weeks before the booking share does\n"
                        f"        confidence: 6\n        owner: web-lead\n        shared_with: {shared}\n", 1)
    text = text.replace("supports: [CO-3.KR2, CO-2.KR3]   # faster hiring also staffs the Leeds clinic",
                        f'supports: [CO-3.KR2, CO-2.KR3, {{id: "{EXTERNAL}", kind: supports}}]', 1)
    path = tmp_path / "northwind.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_what_counts_as_a_goal_in_another_goalbook():
    assert is_external("finance.yaml#FIN-1") and is_external("postgresql://db/goals#CO-2")
    assert not is_external("CO-1.KR2") and not is_external("#CO-1") and not is_external("file.yaml#")


def test_a_link_to_another_goalbook_is_kept_and_shown_as_external_not_rejected(tmp_path, capsys):
    path = _book(tmp_path)
    book = goalbook.Goalbook.load(path)
    assert book.errors() == []
    assert EXTERNAL in {lk.target for lk in book.links_from("PPL-2")}
    assert main(["lint", str(path)]) == 0
    assert EXTERNAL not in capsys.readouterr().out
    report = analyse(book, scores=[])
    assert report.external == (("PPL-2", EXTERNAL, "supports"),)
    assert f"PPL-2 → {EXTERNAL} (supports, external)" in report.to_text()
    book.save(path)  # written back as it was read
    assert f'{{id: "{EXTERNAL}", kind: supports}}' in path.read_text(encoding="utf-8") or \
        f"{{id: {EXTERNAL}, kind: supports}}" in path.read_text(encoding="utf-8")
    picker = LinkPicker(book, "PPL-2")
    assert f"{EXTERNAL} (supports, weight 1): in another goalbook (external)" in html_text(picker.current.value)


def test_a_store_keeps_the_external_link_and_the_shared_key_result(tmp_path):
    book = goalbook.Goalbook.load(_book(tmp_path))
    with goalbook.open(tmp_path / "g.db", author="maria") as store:
        store.import_book(book)
        back = store.load()
    assert EXTERNAL in {lk.target for lk in back.links_from("PPL-2")}
    assert back.get("CO-1.KR2").shared_with == "DEP-DIG-1"




def test_a_key_result_two_teams_share(tmp_path):
    book = goalbook.Goalbook.load(_book(tmp_path))
    kr = book.get("CO-1.KR2")
    assert (book.objective_of(kr).id, kr.shared_with) == ("CO-1", "DEP-DIG-1")
    assert [k.id for k in shared_key_results(book, "DEP-DIG-1")] == ["CO-1.KR2"]
    assert "CO-1.KR2" not in {g.id for g in link_targets(book, "DEP-DIG-1")}  # it is the department's own too


@pytest.mark.parametrize(("shared", "message"), [
    ("DEP-DIG-2", "northwind.yaml:56:9: key result CO-1.KR2: shared_with 'DEP-DIG-2' is not an objective here — "
                  "name another team's objective (did you mean 'DEP-DIG-1'?)"),
    ("CO-1", "key result CO-1.KR2: shared_with 'CO-1' is its own objective"),
])
def test_sharing_with_an_unknown_or_its_own_objective_is_an_error(tmp_path, shared, message):
    with pytest.raises(goalbook.errors.ValidationError, match=re.escape(message)):
        goalbook.Goalbook.load(_book(tmp_path, shared))


def test_sharing_with_an_objective_in_another_goalbook_is_allowed(tmp_path):
    book = goalbook.Goalbook.load(_book(tmp_path, "digital.yaml#DIG-1"))
    assert book.get("CO-1.KR2").shared_with == "digital.yaml#DIG-1"
