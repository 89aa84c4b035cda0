"""``goalbook lint`` with its cache: after one file changes, unchanged files come from the cache, and every
finding — book-wide ones across files included — is exactly what a run without the cache finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalbook.cli import main
from goalbook.cli._lint_cache import LintCache
from goalbook.cli.lint import collect, lint_unit
from goalbook.lint import LintConfig

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


def cached_and_fresh(capsys: pytest.CaptureFixture[str], folder: Path, cache: Path, *extra: str) -> list[dict]:
    """Findings with the cache, after checking they equal those of a run without it."""
    code, cached = run_lint(capsys, folder, "--cache-dir", str(cache), *extra)
    fresh_code, fresh = run_lint(capsys, folder, "--no-cache", *extra)
    assert (code, cached) == (fresh_code, fresh)
    return cached


def cache_declines(folder: Path, cache: Path, **kw: object) -> bool:
    """Whether the cache leaves this goalbook to the ordinary way (load it whole, lint it whole)."""
    run = LintCache(cache)
    lint_with(run, folder, **kw)
    return run.declined > 0


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
    assert cache_declines(book_dir, cache)  # a goalbook that does not load: the loader names file and line
    web.write_text(TEAM_WEB, encoding="utf-8")
    assert not any(f["code"] == "GB001" for f in cached_and_fresh(capsys, book_dir, cache))


def lint_with(cache: LintCache, folder: Path, config: LintConfig | None = None, ignore: str | None = None) -> list:
    from datetime import date

    return [f for u in collect([str(folder)]) for f in lint_unit(u, today=date(2027, 2, 26), cache=cache,
                                                                  config=config, ignore=ignore)]


def test_only_the_changed_file_is_read_and_checked_again(book_dir: Path, tmp_path: Path) -> None:
    cold = LintCache(tmp_path / "cache")
    lint_with(cold, book_dir)
    assert (cold.parsed, cold.relinted) == (4, 4)
    app = book_dir / "team-app.yaml"
    app.write_text(TEAM_APP.replace("from 7 to 3", "from 7 to 2").replace("target: 3", "target: 2"),
                   encoding="utf-8")
    warm = LintCache(tmp_path / "cache")
    lint_with(warm, book_dir)
    assert (warm.parsed, warm.relinted) == (1, 1)


def test_a_link_written_in_one_file_about_a_goal_of_another_checks_that_goal_again(
        book_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    cached_and_fresh(capsys, book_dir, cache)
    # team-cc.yaml now says the company's key result CO-1.KR2 serves CC-1: goalbook.yaml's goal gains a link
    (book_dir / "team-cc.yaml").write_text(TEAM_CC + "links:\n  - {from: CO-1.KR1, to: CC-1}\n", encoding="utf-8")
    run = LintCache(cache)
    lint_with(run, book_dir)
    assert run.parsed == 2 and run.relinted == 2  # the changed file, and the main file whose goal it links
    cached_and_fresh(capsys, book_dir, cache)


def test_a_duplicate_across_files_is_found_when_one_file_changes(book_dir: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    assert "GB209" not in codes_of(cached_and_fresh(capsys, book_dir, cache), "CC-1")
    cc = book_dir / "team-cc.yaml"
    cc.write_text(TEAM_CC.replace("Raise the share of patient calls answered within 60 seconds from 64% to 90% by "
                                  "2027-03-31", "Raise the share of new patients who book online from 30% to 50%"),
                  encoding="utf-8")
    after = cached_and_fresh(capsys, book_dir, cache)
    assert any(f["code"] == "GB209" and "WEB-O1.KR1" in f["message"] for f in after if f["entity"] == "CC-1")
    assert not cache_declines(book_dir, cache)
    cc.write_text(TEAM_CC, encoding="utf-8")
    assert "GB209" not in codes_of(cached_and_fresh(capsys, book_dir, cache), "CC-1")


def test_a_link_loop_across_files(book_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache)
    assert not any(f["code"] == "GB220" for f in before)
    # CC-1 serves CO-1.KR2 (team-cc.yaml); now CO-1.KR2 also serves CC-1, written in team-web.yaml
    (book_dir / "team-web.yaml").write_text(TEAM_WEB.replace("links:\n", "links:\n  - {from: CO-1.KR2, to: CC-1}\n"),
                                            encoding="utf-8")
    after = cached_and_fresh(capsys, book_dir, cache)
    assert any(f["code"] == "GB220" and "CC-1" in f["message"] and "CO-1.KR2" in f["message"] for f in after)
    # goals with no check-in whose staleness hangs on roll-ups around the loop: the whole book decides
    assert cache_declines(book_dir, cache)
    without_staleness = cached_and_fresh(capsys, book_dir, cache, "--ignore", "GB215")
    assert any(f["code"] == "GB220" for f in without_staleness)
    assert not cache_declines(book_dir, cache, ignore="GB215")


def test_an_owner_over_the_limit_across_files_and_a_changed_config(book_dir: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    config = tmp_path / "goalbook.toml"
    config.write_text("[lint]\nmax_goals_per_owner = 2\n", encoding="utf-8")
    _, before = run_lint(capsys, book_dir, "--cache-dir", str(cache), "--config", str(config))
    assert not any(f["code"] == "GB202" for f in before)
    # web-lead already holds CO-1.KR2 (goalbook.yaml) and WEB-O1 (team-web.yaml); now APP-1 too
    (book_dir / "team-app.yaml").write_text(TEAM_APP.replace("owner: app-lead", "owner: web-lead"), encoding="utf-8")
    code, after = run_lint(capsys, book_dir, "--cache-dir", str(cache), "--config", str(config))
    assert (code, after) == run_lint(capsys, book_dir, "--no-cache", "--config", str(config))
    assert any(f["code"] == "GB202" and "web-lead" in f["message"] for f in after)
    assert not cache_declines(book_dir, cache, config=LintConfig(max_goals_per_owner=2))
    # thresholds change: every file's own findings are made again (an objective may now have too many results)
    config.write_text("[lint]\nmax_goals_per_owner = 2\nmin_key_results = 1\nmax_key_results = 1\n", encoding="utf-8")
    code, tighter = run_lint(capsys, book_dir, "--cache-dir", str(cache), "--config", str(config))
    assert (code, tighter) == run_lint(capsys, book_dir, "--no-cache", "--config", str(config))
    assert "GB201" in codes_of(tighter, "CO-1") and "GB201" not in codes_of(after, "CO-1")


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
    other = LintCache(cache)
    assert other.folder != next(cache.iterdir())
    lint_with(other, book_dir)
    assert (other.parsed, other.relinted) == (4, 4)


def test_a_cache_not_signed_by_this_user_or_broken_is_never_trusted(book_dir: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    cache = tmp_path / "cache"
    fresh = cached_and_fresh(capsys, book_dir, cache)
    entries = sorted(cache.rglob("*.bin"))
    assert entries
    for entry in entries:  # as if the cache folder came with a cloned repository, findings forged
        entry.write_bytes(b"\0" * 32 + entry.read_bytes()[32:].replace(b"GB2", b"GB1"))
    assert cached_and_fresh(capsys, book_dir, cache) == fresh
    for entry in sorted(cache.rglob("*.bin")):  # cut short, as by a full disk
        entry.write_bytes(entry.read_bytes()[:40])
    assert cached_and_fresh(capsys, book_dir, cache) == fresh
    signer = LintCache(cache)
    for entry in sorted(cache.rglob("*.bin")):  # signed, but not what this goalbook writes
        signer._write(entry, {"keys": ["goalbook"], "top": {}, "o": [[1]], "g": 2, "k": None, "i": [], "l": [[]],
                              "w": [], "at": {}, "ci": [], "cm": [], "ap": [], "sw": [], "local": {"key": 0}})
    assert cached_and_fresh(capsys, book_dir, cache) == fresh


def test_the_kept_pairs_join_finds_exactly_what_a_full_join_finds() -> None:
    """Near-duplicates across runs: last run's pairs reused, new word sets compared with all others."""
    import random

    from goalbook.cli._lint_cache import _SEP, _Pairs
    from goalbook.lint.duplicates import similar_pairs

    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(40)]
    sets = list({frozenset(rng.sample(vocabulary, rng.randint(5, 9))) for _ in range(300)})
    sets += [frozenset({*s, "extra"}) for s in sets[:40]]  # near-duplicates: one word more
    sets = list(dict.fromkeys(sets))

    def exact(ss: list[frozenset[str]]) -> set[tuple[frozenset[str], frozenset[str]]]:
        return {frozenset((ss[i], ss[j])) for i, j, _ in similar_pairs(ss)}

    def tokens(ss: list[frozenset[str]]) -> list[str]:
        return [_SEP.join(sorted(s)) for s in ss]

    first = _Pairs({})
    got = first("measurable|2027-Q1", tokens(sets))
    assert {frozenset((sets[i], sets[j])) for i, j, _ in got} == exact(sets) and got
    # next run: some sets gone, a few new (near copies of kept ones and of gone ones), the rest reordered
    later = sets[25:] + [frozenset({*s, "new"}) for s in sets[20:30]]
    rng.shuffle(later)
    second = _Pairs(json.loads(json.dumps(first.kept)))  # as the next run reads it
    got = second("measurable|2027-Q1", tokens(later))
    assert {frozenset((later[i], later[j])) for i, j, _ in got} == exact(later)
    assert len(got) == len(exact(later))  # each pair once
    full = {(i, j): sim for i, j, sim in similar_pairs(later)}
    assert {(i, j): sim for i, j, sim in got} == full  # the same similarities, to the last bit


def warm_run(folder: Path, cache: Path, **kw: object) -> LintCache:
    run = LintCache(cache)
    lint_with(run, folder, **kw)
    return run


def test_book_wide_findings_are_kept_while_nothing_they_read_changed(book_dir: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache)
    app = book_dir / "team-app.yaml"
    # new words only: the book-wide rules but near-duplicates read nothing that changed
    app.write_text(TEAM_APP.replace("Ship one-page booking", "Roll out one-page booking"), encoding="utf-8")
    run = warm_run(book_dir, cache)
    assert (run.parsed, run.relinted, run.rebuilt, run.declined) == (1, 1, 0, 0)
    cached_and_fresh(capsys, book_dir, cache)
    # a new owner: the book is put together again, and the finding about who owns too much is made
    config = tmp_path / "goalbook.toml"
    config.write_text("[lint]\nmax_goals_per_owner = 2\n", encoding="utf-8")
    app.write_text(TEAM_APP.replace("owner: app-lead", "owner: web-lead"), encoding="utf-8")
    assert warm_run(book_dir, cache, config=LintConfig(max_goals_per_owner=2)).rebuilt == 1
    over = cached_and_fresh(capsys, book_dir, cache, "--config", str(config))
    assert any(f["code"] == "GB202" and "web-lead" in f["message"] for f in over)
    app.write_text(TEAM_APP, encoding="utf-8")  # and back: gone again, from what was kept
    back = cached_and_fresh(capsys, book_dir, cache, "--config", str(config))
    assert not any(f["code"] == "GB202" for f in back)
    assert cached_and_fresh(capsys, book_dir, cache) == before
    assert warm_run(book_dir, cache).rebuilt == 0  # this very book was seen before


def test_a_loop_made_and_unmade_by_editing_one_file(book_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache, "--ignore", "GB215")
    # CC-1 serves CO-1.KR2 (team-cc.yaml); team-web.yaml now says CO-1.KR2 serves CC-1
    web = book_dir / "team-web.yaml"
    web.write_text(TEAM_WEB.replace("links:\n", "links:\n  - {from: CO-1.KR2, to: CC-1}\n"), encoding="utf-8")
    assert warm_run(book_dir, cache, ignore="GB215").rebuilt == 1
    looped = cached_and_fresh(capsys, book_dir, cache, "--ignore", "GB215")
    assert [f["entity"] for f in looped if f["code"] == "GB220"]
    web.write_text(TEAM_WEB, encoding="utf-8")
    assert cached_and_fresh(capsys, book_dir, cache, "--ignore", "GB215") == before
    assert not any(f["code"] == "GB220" for f in before)


def test_an_id_written_twice_across_files_by_editing_one(book_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache)
    cc = book_dir / "team-cc.yaml"
    cc.write_text(TEAM_CC.replace("id: CC-1", "id: APP-1"), encoding="utf-8")  # APP-1 is team-app.yaml's
    twice = cached_and_fresh(capsys, book_dir, cache)
    assert any(f["code"] == "GB001" and "APP-1" in f["message"] for f in twice)
    cc.write_text(TEAM_CC, encoding="utf-8")
    assert cached_and_fresh(capsys, book_dir, cache) == before


def test_a_goal_in_an_unchanged_file_repeats_one_just_reworded_in_another(
        book_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    before = cached_and_fresh(capsys, book_dir, cache)
    # WEB-O1.KR1 comes before CC-1 in the book: reworded like CC-1, it makes CC-1 (team-cc.yaml) a repeat
    web = book_dir / "team-web.yaml"
    web.write_text(TEAM_WEB.replace("title: Raise the share of new patients who book online from 30% to 50%",
                                    "title: Raise the share of patient calls answered within 60 seconds from 64% to "
                                    "90% by 2027-03-31"), encoding="utf-8")
    after = cached_and_fresh(capsys, book_dir, cache)
    assert any(f["code"] == "GB209" and "WEB-O1.KR1" in f["message"] and f["file"].endswith("team-cc.yaml")
               for f in after if f["entity"] == "CC-1")
    web.write_text(TEAM_WEB, encoding="utf-8")
    assert cached_and_fresh(capsys, book_dir, cache) == before


def test_signed_cache_files_that_are_not_marshal_data_are_passed_over(book_dir: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import hmac

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    cache = tmp_path / "cache"
    fresh = cached_and_fresh(capsys, book_dir, cache)
    secret = LintCache(cache).secret
    assert secret is not None
    files = sorted(cache.rglob("*.bin"))
    assert any(f.parent.name == "books" for f in files)  # the book-wide findings are among them
    for n, path in enumerate(files):  # signed with the user's key, but garbage, or data cut short
        data = b"\xff\x00garbage" if n % 2 else path.read_bytes()[32:-7]
        path.write_bytes(hmac.new(secret, data, hashlib.sha256).digest() + data)
    assert cached_and_fresh(capsys, book_dir, cache) == fresh
    assert warm_run(book_dir, cache).declined == 0
