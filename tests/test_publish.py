"""``goalbook publish`` without a browser: the files a site holds, markup from the book escaped, no input
widget accepted, and a failed publish leaving the previous site as it was."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import ipywidgets as widgets
import pytest
from hostile_book import RAW_TAG, SCRIPT, hostile_book

import goalbook
from goalbook.cli import main
from goalbook.errors import GoalbookError
from goalbook.io import save_goalbook
from goalbook.publish import MARKER, publish, render_page, team_file
from goalbook.tables import teams

TODAY = date(2027, 2, 26)


@pytest.fixture(scope="module")
def hostile_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "hostile.yaml"
    save_goalbook(hostile_book(), path)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, hostile_yaml: Path) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    publish(hostile_yaml, out, today=TODAY)
    return out


def test_a_site_holds_every_page_plotly_and_its_marker(site: Path) -> None:
    book = hostile_book()
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "dashboard.html", "alignment.html", "changes.html", "plotly.min.js",
            "goalbook-plots.js", MARKER} <= names
    assert {team_file(n, t) for n, t in enumerate(teams(book), 1)} <= names
    assert (site / "plotly.min.js").stat().st_size > 1_000_000  # the package's own plotly.js, not a CDN link


def test_no_page_has_live_markup_from_the_book_or_inline_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        main = text[text.index("<main"):text.index("</main>")]
        # the figures' own data blocks hold JSON, which carries no "<" at all: anything else is from the book
        main = re.sub(r'<script type="application/json" class="goalbook-figure-data" '
                      r'data-target="goalbook-figure-\d+">[^<]*</script>', "", main)
        assert not RAW_TAG.search(main), page
        assert "https://" not in text and "http://" not in text, page  # nothing fetched from elsewhere
        scripts = re.findall(r"<script([^>]*)>", text)
        assert all('src="' in s or 'type="application/json"' in s for s in scripts), (page, scripts)
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        assert policy and "script-src 'self';" in html.unescape(policy.group(1)), page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (site / "dashboard.html").read_text(encoding="utf-8")
    figure = (site / "alignment.html").read_text(encoding="utf-8")
    assert SCRIPT not in figure


def test_a_page_with_an_input_is_refused() -> None:
    with pytest.raises(GoalbookError, match="Text"):
        render_page(widgets.VBox([widgets.HTML("ok"), widgets.Text("x")]), title="t", nav=[])


def test_a_failed_publish_leaves_the_previous_site(site: Path, hostile_yaml: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    publish(hostile_yaml, out, today=TODAY)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("goalbook.publish.shutil.copyfile", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(hostile_yaml, out, today=date(2027, 3, 5))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left behind


def test_a_second_publish_replaces_the_site_whole(hostile_yaml: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(hostile_yaml, out, today=TODAY)
    (out / "teams" / "999-gone.html").write_text("old")
    publish(hostile_yaml, out, today=date(2027, 3, 5))
    assert not (out / "teams" / "999-gone.html").exists()
    assert "as of 2027-03-05" in (out / "dashboard.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_of_other_files_is_not_replaced(hostile_yaml: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(GoalbookError, match="did not publish"):
        publish(hostile_yaml, tmp_path, today=TODAY)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_command_publishes_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "goals.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(hostile_book())
    with goalbook.open(db, author="maria") as store:
        store.put(replace(store.get("WEB-2"), budget=9000))
    assert main(["publish", str(db), "--out", str(tmp_path / "site"), "--today", "2027-02-26"]) == 0
    assert "pages as of 2027-02-26" in capsys.readouterr().err
    changes = (tmp_path / "site" / "changes.html").read_text(encoding="utf-8")
    assert "Changes recorded in the goal store" in changes and "what changed since 2027-02-19" in changes
    # maria's edit as its goal's group, then the seeding import folded (a <details>: no script) with its count
    group = changes.index('<div class="goalbook-changes-goal" data-id="WEB-2">')
    fold = changes.index('<details class="goalbook-changes-imported"><summary>Imported history, folded: ')
    assert group < fold and "budget: 9500 → 9000" in changes[group:fold] and "maria" in changes[group:fold]
    assert "by seed" in changes[fold:] and "CO-1" in changes[fold:]
    assert main(["publish", str(db), "--out", str(tmp_path / "site"), "--today", "26/02/2027"]) == 2
