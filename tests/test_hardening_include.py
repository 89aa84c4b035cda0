"""Finding 5 of issue 11: ``include:`` reads only files inside the goalbook's folder, in bounded number,
and an error never quotes a foreign file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from goalbook.cli import main
from goalbook.errors import ValidationError
from goalbook.io import load_goalbook

SECRET = "root:x:0:0:SECRET-7d1e:/root:/bin/bash"
HEADER = ("goalbook: 1\norganisation: Acme\ninclude: {include}\n"
          "objectives:\n  - {{id: CO-1, title: Grow, period: 2027-Q1}}\n")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A foreign file next to the book's folder: one line of text, as /etc/passwd is."""
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


def book_with(tmp_path: Path, include: str) -> Path:
    folder = tmp_path / "book"
    folder.mkdir(exist_ok=True)
    main_file = folder / "goals.yaml"
    main_file.write_text(HEADER.format(include=include), encoding="utf-8")
    return main_file


def refused(path: Path, capsys: pytest.CaptureFixture) -> str:
    with pytest.raises(ValidationError) as err:
        load_goalbook(path)
    text = str(err.value)
    assert main(["lint", str(path)]) != 0
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err and "SECRET-7d1e" not in text
    return text


def test_an_absolute_include_is_refused_unread(tmp_path: Path, outside: Path, capsys) -> None:
    text = refused(book_with(tmp_path, str(outside)), capsys)
    assert "outside the goalbook's folder" in text


def test_a_dotdot_include_is_refused_unread(tmp_path: Path, outside: Path, capsys) -> None:
    text = refused(book_with(tmp_path, "../passwd"), capsys)
    assert "outside the goalbook's folder" in text


def test_a_symlink_out_of_the_folder_is_refused_unread(tmp_path: Path, outside: Path, capsys) -> None:
    main_file = book_with(tmp_path, "teams/*.yaml")
    (main_file.parent / "teams").mkdir()
    os.symlink(outside, main_file.parent / "teams" / "web.yaml")
    text = refused(main_file, capsys)
    assert "symbolic link" in text


def test_the_whole_disk_is_not_walked(tmp_path: Path, capsys) -> None:
    began = time.monotonic()
    text = refused(book_with(tmp_path, "/**/*"), capsys)
    assert time.monotonic() - began < 10 and "outside the goalbook's folder" in text


def test_a_runaway_pattern_stops_at_the_file_limit(tmp_path: Path, monkeypatch) -> None:
    import goalbook.io.yaml_read as yaml_read

    monkeypatch.setattr(yaml_read, "MAX_INCLUDED_FILES", 20)
    main_file = book_with(tmp_path, "'**/*.yaml'")
    for n in range(30):
        (main_file.parent / f"t{n:02}.yaml").write_text(f"smart_goals:\n  - {{id: T-{n}, statement: Do {n} by "
                                                          "2027-03-01}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="matches more than 20 files"):
        load_goalbook(main_file)


def test_an_oversized_file_is_not_read(tmp_path: Path) -> None:
    main_file = book_with(tmp_path, "big.yaml")
    with (main_file.parent / "big.yaml").open("wb") as f:
        f.truncate(65 * 2**20)
    with pytest.raises(ValidationError, match="65 MB, more than the 64 MB"):
        load_goalbook(main_file)


def test_includes_inside_the_folder_still_work(tmp_path: Path) -> None:
    main_file = book_with(tmp_path, "[teams/*.yaml, teams/../common.yaml]")
    (main_file.parent / "teams").mkdir()
    (main_file.parent / "teams" / "web.yaml").write_text(
        "smart_goals:\n  - {id: WEB-1, statement: Cut steps from 7 to 3 by 2027-03-01, supports: [CO-1]}\n",
        encoding="utf-8")
    (main_file.parent / "common.yaml").write_text(
        "smart_goals:\n  - {id: OPS-1, statement: Cut waits from 30 to 15 minutes by 2027-03-01}\n",
        encoding="utf-8")
    assert sorted(g.id for g in load_goalbook(main_file).smart_goals) == ["OPS-1", "WEB-1"]
