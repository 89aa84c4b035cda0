"""``goalbook lint`` with its cache: after one file changes, unchanged files come from the cache, and every
finding — book-wide ones across files included — is exactly what a run without the cache finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalbook.cli import main
from goalbook.cli._lint_cache import LintCache
from goalbook.cli.lint import collect, lint_unit

TODAY = "2027-02-26"

MAIN = """\
goalbook: 1
organisation: Northwind Clinics
objectives:
  - id: CO-1
    title: Make booking a visit effortless for every patient
    level: company
    owner: coo
    period: 2027-Q1
    key_results:
      - id: CO-1.KR1
        title: Raise online bookings from 38% to 60% of all visits
        owner: cdo
        direction: increase
        metric: online share of bookings
        baseline: 38
        target: 60
        unit: "%"
      - id: CO-1.KR2
        title: Cut median time-to-book from 6 minutes to 2 minutes
        owner: web-lead
        direction: decrease
        metric: median time-to-book
        baseline: 6
        target: 2
        unit: min
"""

TEAM_WEB = """\
objectives:
  - id: WEB-O1
    title: Make the website the way most patients choose to book
    level: team
    team: Web
    owner: web-lead
    period: 2027-Q1
    key_results:
      - id: WEB-O1.KR1
        title: Raise the share of new patients who book online from 30% to 50%
        owner: web-lead
        direction: increase
        metric: online share of new patients
        baseline: 30
        target: 50
        unit: "%"
links:
  - {from: WEB-O1.KR1, to: CO-1.KR1}
check_ins:
  WEB-O1.KR1:
    - {date: 2027-01-15, value: 33, confidence: 7}
    - {date: 2027-02-12, value: 41, confidence: 7}
"""

TEAM_APP = """\
smart_goals:
  - id: APP-1
    statement: Ship one-page booking in the app to all 14 clinics by 2027-02-28, cutting booking steps from 7 to 3
    team: App
    owner: app-lead
    metric: booking steps
    baseline: 7
    target: 3
    unit: steps
    deadline: 2027-02-28
    period: 2027-Q1
    supports: [WEB-O1.KR1]
"""

TEAM_CC = """\
smart_goals:
  - id: CC-1
    statement: Raise the share of patient calls answered within 60 seconds from 64% to 90% by 2027-03-31
    team: Contact Centre
    owner: cc-lead
    metric: calls answered within 60 seconds
    baseline: 64
    target: 90
    unit: "%"
    deadline: 2027-03-31
    period: 2027-Q1
    supports: [CO-1.KR2]
"""


@pytest.fixture
def book_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "goals"
    folder.mkdir()
    for name, text in (("goalbook.yaml", MAIN), ("team-web.yaml", TEAM_WEB), ("team-app.yaml", TEAM_APP),
                       ("team-cc.yaml", TEAM_CC)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_lint(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> tuple[int, list[dict]]:
    code = main(["lint", str(folder), "--today", TODAY, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def cached_and_fresh(capsys: pytest.CaptureFixture[str], folder: Path, cache: Path) -> list[dict]:
    """Findings with the cache, after checking they equal those of a run without it."""
    code, cached = run_lint(capsys, folder, "--cache-dir", str(cache))
    fresh_code, fresh = run_lint(capsys, folder, "--no-cache")
    assert (code, cached) == (fresh_code, fresh)
    return cached


def codes_of(findings: list[dict], entity: str) -> set[str]:
    return {f["code"] for f in findings if f["entity"] == entity}


def test_a_link_cut_in_one_file_un_aligns_a_goal_in_another(book_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache)
    assert "GB208" not in codes_of(before, "APP-1")  # App serves CO-1 through Web's key result
    web = book_dir / "team-web.yaml"
    web.write_text(TEAM_WEB.replace("links:\n  - {from: WEB-O1.KR1, to: CO-1.KR1}\n", ""), encoding="utf-8")
    after = cached_and_fresh(capsys, book_dir, cache)
    assert "GB208" in codes_of(after, "APP-1")  # team-app.yaml unchanged, its finding is new
    web.write_text(TEAM_WEB, encoding="utf-8")
    assert cached_and_fresh(capsys, book_dir, cache) == before


def test_an_id_renamed_in_one_file_breaks_the_link_from_another(book_dir: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    cached_and_fresh(capsys, book_dir, cache)
    web = book_dir / "team-web.yaml"
    web.write_text(TEAM_WEB.replace("WEB-O1.KR1", "WEB-O1.KR9"), encoding="utf-8")
    broken = cached_and_fresh(capsys, book_dir, cache)
    assert any(f["code"] == "GB001" and "WEB-O1.KR1" in f["message"] and f["file"].endswith("team-app.yaml")
               for f in broken)
    web.write_text(TEAM_WEB, encoding="utf-8")
    assert not any(f["code"] == "GB001" for f in cached_and_fresh(capsys, book_dir, cache))


def test_unchanged_files_and_goals_come_from_the_cache(book_dir: Path, tmp_path: Path) -> None:
    from datetime import date

    def once() -> tuple[LintCache, list]:
        cache = LintCache(tmp_path / "cache")
        findings = [f for u in collect([str(book_dir)]) for f in lint_unit(u, today=date(2027, 2, 26), cache=cache)]
        cache.save()
        return cache, findings

    cold, _ = once()
    assert cold.hits == {"files": 0, "reports": 0} and cold.misses["files"] == 4
    app = book_dir / "team-app.yaml"
    app.write_text(TEAM_APP.replace("from 7 to 3", "from 7 to 2").replace("target: 3", "target: 2"),
                   encoding="utf-8")
    warm, _ = once()
    assert warm.hits["files"] == 3 and warm.misses["files"] == 1
    assert warm.misses["reports"] == 1 and warm.hits["reports"] == 4  # of five goals, only APP-1 is checked again


def test_no_cache_writes_nothing_and_another_version_reads_nothing(book_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GOALBOOK_CACHE_DIR", str(cache))
    run_lint(capsys, book_dir, "--no-cache")
    assert not cache.exists()
    run_lint(capsys, book_dir)
    assert [p.name for p in cache.iterdir()] == [LintCache(cache).folder.name]
    monkeypatch.setattr("goalbook.cli._lint_cache.__version__", "0.0.0-other")
    assert LintCache(cache).folder != next(cache.iterdir())


class _Forged:
    """A pickle that, if ever loaded, writes a file: what a cache entry committed to a repository could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.write_text, (self.marker, "ran"))


def test_an_entry_not_signed_by_this_user_is_never_unpickled(book_dir: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    cache = tmp_path / "cache"
    fresh = cached_and_fresh(capsys, book_dir, cache)
    marker = tmp_path / "ran.txt"
    entries = [p for p in cache.rglob("*.pickle")]
    assert entries
    for entry in entries:  # as if the cache folder came with a cloned repository
        entry.write_bytes(b"\0" * 32 + pickle.dumps(_Forged(marker)))
    assert cached_and_fresh(capsys, book_dir, cache) == fresh
    assert not marker.exists()
