"""``Goalbook.save()`` back to the file it came from never loses another session's change: goals
changed elsewhere are kept (and taken in), a goal changed on both sides is refused by name and
nothing is written. Two loaded goalbooks stand for two sessions; one test uses two processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import goalbook
from goalbook import ConflictError, Goalbook
from goalbook.model import CheckIn

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "goals.yaml"
    target.write_text(goalbook.example_path().read_text(encoding="utf-8"), encoding="utf-8")
    return target


def first_two_goals(book: Goalbook) -> tuple[str, str]:
    a, b = book.smart_goals[:2]
    return a.id, b.id


def test_two_sessions_saving_different_goals_both_keep_their_change(path: Path) -> None:
    one, two = Goalbook.load(path), Goalbook.load(path)
    a, b = first_two_goals(one)
    one.get(a).owner = "session-one"
    two.get(b).owner = "session-two"
    one.save()
    two.save()
    on_disk = Goalbook.load(path)
    assert on_disk.get(a).owner == "session-one" and on_disk.get(b).owner == "session-two"
    assert two.get(a).owner == "session-one"  # the second session took the first one's change in
    two.get(b).budget = 1234.0  # and saving again does not undo it
    two.save()
    assert Goalbook.load(path).get(a).owner == "session-one"


def test_the_same_goal_changed_twice_is_refused_by_name_and_nothing_is_lost(path: Path) -> None:
    one, two = Goalbook.load(path), Goalbook.load(path)
    a, _ = first_two_goals(one)
    one.get(a).owner = "session-one"
    two.get(a).owner = "session-two"
    one.save()
    before = path.read_bytes()
    with pytest.raises(ConflictError, match=rf"{a} changed in .*goals.yaml since this goalbook was loaded") as err:
        two.save()
    assert err.value.ids == [a]
    assert path.read_bytes() == before  # nothing written
    assert Goalbook.load(path).get(a).owner == "session-one"
    assert two.get(a).owner == "session-two"  # the refused edit is still in memory


def test_a_key_result_clash_names_the_key_result(path: Path) -> None:
    one, two = Goalbook.load(path), Goalbook.load(path)
    kr = one.objectives[0].key_results[0].id
    one.get(kr).target = 99.0
    two.get(kr).target = 98.0
    one.save()
    with pytest.raises(ConflictError, match=rf"{one.objectives[0].id} \(key result {kr}\)"):
        two.save()


def test_check_ins_added_on_both_sides_are_all_kept(path: Path) -> None:
    one, two = Goalbook.load(path), Goalbook.load(path)
    a, b = first_two_goals(one)
    when = one.check_ins[-1].date
    one.check_ins.append(CheckIn(a, when, value=1.0, author="one"))
    two.check_ins.append(CheckIn(b, when, value=2.0, author="two"))
    one.save()
    two.save()
    authors = {(c.target_id, c.author) for c in Goalbook.load(path).check_ins}
    assert {(a, "one"), (b, "two")} <= authors


def test_the_same_change_on_both_sides_is_no_conflict(path: Path) -> None:
    one, two = Goalbook.load(path), Goalbook.load(path)
    a, _ = first_two_goals(one)
    one.get(a).owner = two.get(a).owner = "both"
    one.save()
    two.save()
    assert Goalbook.load(path).get(a).owner == "both"


def test_save_as_elsewhere_is_a_plain_write(path: Path, tmp_path: Path) -> None:
    book = Goalbook.load(path)
    book.save(tmp_path / "copy.yaml")
    assert Goalbook.load(tmp_path / "copy.yaml") == book


EDIT = """
import sys
from goalbook import ConflictError, Goalbook
book = Goalbook.load(sys.argv[1])
book.get(sys.argv[2]).owner = sys.argv[3]
print("loaded", flush=True)
sys.stdin.readline()  # wait until told to save
try:
    book.save()
    print("saved")
except ConflictError as exc:
    print("conflict", *exc.ids)
"""


def session(path: Path, goal: str, owner: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", EDIT, str(path), goal, owner], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "loaded"
    return proc


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate("\n", timeout=60)
    return out.strip()


def test_two_processes(path: Path) -> None:
    a, b = first_two_goals(Goalbook.load(path))
    one, two = session(path, a, "proc-one"), session(path, b, "proc-two")
    assert finish(one) == "saved" and finish(two) == "saved"
    book = Goalbook.load(path)
    assert (book.get(a).owner, book.get(b).owner) == ("proc-one", "proc-two")
    one, two = session(path, a, "again-one"), session(path, a, "again-two")
    assert finish(one) == "saved"
    assert finish(two) == f"conflict {a}"
    assert Goalbook.load(path).get(a).owner == "again-one"
