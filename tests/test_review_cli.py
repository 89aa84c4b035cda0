"""Serving and starting: environment detection (goalbook.runtime), the read-only Voilà command
(goalbook.review, ``goalbook review``), ``goalbook demo`` and ``goalbook new``."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from datetime import UTC, date
from pathlib import Path

import nbformat
import pytest
from pg_roles import as_role, throwaway_roles

import goalbook
from goalbook.cli import main
from goalbook.cli.demo import seed_store, working_copy
from goalbook.cli.new import fill_text
from goalbook.errors import GoalbookError
from goalbook.io import load_goalbook
from goalbook.review import REVIEW_CONFIG, check_reader_role, review_env, voila_command, wait_for_port
from goalbook.runtime import in_voila, query_params, review_mode, review_store_url

ROOT = Path(__file__).resolve().parents[1]
LABEL_NB = ROOT / "tests" / "browser" / "notebooks" / "label.ipynb"
CLI = [sys.executable, "-c", "from goalbook.cli import run; run()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- runtime ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("env", "expected"), [
    ({"SERVER_SOFTWARE": "voila/0.5.13"}, True),
    ({"VOILA_KERNEL_ID": "abc"}, True),
    ({"VOILA_PREHEAT": "True"}, True),
    ({"SERVER_SOFTWARE": "TornadoServer/6.4"}, False),
    ({}, False),
])
def test_in_voila_reads_what_voila_sets(env: dict[str, str], expected: bool) -> None:
    assert in_voila(env) is expected


def test_review_mode_is_voila_or_goalbook_readonly() -> None:
    assert review_mode({"SERVER_SOFTWARE": "voila/0.5.13"})
    assert review_mode({"GOALBOOK_READONLY": "1"}) and review_mode({"GOALBOOK_READONLY": "true"})
    assert not review_mode({"GOALBOOK_READONLY": "0"}) and not review_mode({})


def test_review_store_url_and_query_params() -> None:
    assert review_store_url({"GOALBOOK_STORE": "/srv/goals.db"}) == "/srv/goals.db"
    assert review_store_url({"GOALBOOK_STORE": "  "}) is None and review_store_url({}) is None
    assert query_params({"QUERY_STRING": "team=R%26D&period=2027-Q1"}) == {"team": "R&D", "period": "2027-Q1"}
    assert query_params({}) == {}


# --- the Voilà command -----------------------------------------------------------------------------
def _voila_sees(argv: list[str] | None = None, config_dir: Path | None = None) -> tuple[object, object, object]:
    """The settings Voilà itself derives from a command line or a voila.json, without serving anything."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.configuration import VoilaConfiguration

    from goalbook.review_server import ReviewVoila

    app = ReviewVoila()
    if argv is not None:
        app.parse_command_line(argv)
    if config_dir is not None:
        app.load_config_file("voila", path=[str(config_dir)])
    return app, VoilaConfiguration(parent=app), AsyncMappingKernelManager(parent=app)


def _assert_review_settings(conf: object, kernels: object) -> None:
    assert conf.template == "lab"
    assert conf.strip_sources is True and conf.show_tracebacks is False
    assert conf.allow_template_override == "NO" and conf.allow_theme_override == "NO"
    assert conf.file_allowlist == [r".*\.(png|jpe?g|gif|webp)"]
    assert kernels.cull_idle_timeout > 0 and kernels.cull_connected is False


def test_voila_command_gives_voila_the_review_settings(tmp_path: Path) -> None:
    argv = voila_command(tmp_path, port=9123)
    assert argv[:3] == [sys.executable, "-m", "goalbook.review_server"]
    app, conf, kernels = _voila_sees(argv[3:])
    assert (app.port, app.ip, app.port_retries, app.open_browser) == (9123, "127.0.0.1", 0, False)
    assert app.extra_args == [str(tmp_path.resolve())]
    _assert_review_settings(conf, kernels)


def test_preheat_sets_the_pool_size_or_turns_it_off(tmp_path: Path) -> None:
    _, conf, _ = _voila_sees(voila_command(tmp_path)[3:])
    assert conf.preheat_kernel is True and conf.default_pool_size == REVIEW_CONFIG["VoilaConfiguration"][
        "default_pool_size"] >= 1
    _, conf, _ = _voila_sees(voila_command(tmp_path, preheat=3)[3:])
    assert conf.preheat_kernel is True and conf.default_pool_size == 3
    _, conf, _ = _voila_sees(voila_command(tmp_path, preheat=0)[3:])
    assert conf.preheat_kernel is False
    with pytest.raises(GoalbookError, match="--preheat -1"):
        voila_command(tmp_path, preheat=-1)


def test_the_repo_voila_json_carries_the_same_settings() -> None:
    assert json.loads((ROOT / "voila.json").read_text()) == REVIEW_CONFIG
    _, conf, kernels = _voila_sees(config_dir=ROOT)
    _assert_review_settings(conf, kernels)


@pytest.mark.parametrize(("path", "served"), [
    ("chart.png", True), ("logo.JPG", True), ("a/b/photo.jpeg", True), ("anim.gif", True), ("x.webp", True),
    ("icon.svg", False), ("goals.yaml", False), ("page.ipynb", False), ("helper.py", False), ("goals.db", False),
    ("x.png.py", False), (".git/x.png", False), ("a/.secret/x.png", False), (".hidden.png", False),
])
def test_only_raster_images_are_served_as_files(path: str, served: bool) -> None:
    """The same rule as Voilà's AllowListFileHandler: one allowlist pattern matches, no denylist pattern does."""
    conf = REVIEW_CONFIG["VoilaConfiguration"]
    allowed = any(re.fullmatch(p, path, re.IGNORECASE) for p in conf["file_allowlist"])
    denied = any(re.fullmatch(p, path, re.IGNORECASE) for p in conf["file_denylist"])
    assert (allowed and not denied) is served


def test_voila_command_refuses_what_it_cannot_serve(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nothing to review"):
        voila_command(tmp_path / "missing.ipynb")
    (tmp_path / "goals.yaml").write_text("goalbook: 1\n")
    with pytest.raises(GoalbookError, match="not a notebook"):
        voila_command(tmp_path / "goals.yaml")


def test_review_env_marks_read_only_and_passes_an_absolute_store(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "goals.db").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    env = review_env("goals.db", base={"PATH": "/bin"})
    assert env == {"PATH": "/bin", "GOALBOOK_READONLY": "1", "GOALBOOK_STORE": str(tmp_path / "goals.db")}
    url = "postgresql://reader@db/goals"
    assert review_env(url, base={})["GOALBOOK_STORE"] == url
    assert review_env(None, base={"GOALBOOK_STORE": "/kept.db"})["GOALBOOK_STORE"] == "/kept.db"
    with pytest.raises(FileNotFoundError, match="no goal store"):
        review_env("elsewhere.db", base={})


def test_review_cli_reports_bad_paths(tmp_path: Path, capsys) -> None:
    assert main(["review", str(tmp_path / "nope")]) == 2
    (tmp_path / "goals.yaml").write_text("goalbook: 1\n")
    assert main(["review", str(tmp_path / "goals.yaml")]) == 1
    assert main(["review", str(LABEL_NB), "--store", str(tmp_path / "missing.db")]) == 2
    err = capsys.readouterr().err
    assert "nothing to review" in err and "not a notebook" in err and "no goal store" in err


@pytest.mark.slow
def test_goalbook_review_serves_and_stops_voila_with_its_kernels(tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "out.log").open("wb")
    proc = subprocess.Popen([*CLI, "review", str(LABEL_NB), f"--port={port}", "--no-browser"], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert wait_for_port(port, proc), (tmp_path / "out.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as page:  # runs the notebook
            html = page.read().decode()
        assert "Hello from goalbook" in html and "SOURCE-MARKER" not in html
        proc.send_signal(signal.SIGINT)  # Ctrl-C on goalbook alone: it must stop Voilà, in its own session
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.mark.slow
def test_goalbook_review_fails_loudly_on_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([*CLI, "review", str(LABEL_NB), f"--port={port}", "--no-browser"],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Voilà stopped unexpectedly" in result.stderr


# --- a PostgreSQL store: served only as a role that cannot write ----------------------------------
WRITE_PROBE = """\
import os

import sqlalchemy as sa

import goalbook

store = goalbook.open(os.environ["GOALBOOK_STORE"], readonly=True)
print("ORGANISATION:", store.load().organisation)
with store.engine.connect() as conn:  # what a page's own session could try: switch read-only off, then write
    conn.exec_driver_sql("SET default_transaction_read_only = off")
    conn.exec_driver_sql("RESET ROLE")
    conn.commit()
    try:
        conn.exec_driver_sql("DELETE FROM events")
        conn.commit()
        print("WRITE: done")
    except sa.exc.DBAPIError as exc:
        print("WRITE: refused", exc.orig.sqlstate)
"""


@pytest.mark.postgres
def test_review_refuses_a_postgresql_role_that_can_write_and_says_how_to_make_a_reader(pg_url: str, capsys) -> None:
    with goalbook.open(pg_url) as store:
        store.import_book(goalbook.load_example())
    port = free_port()
    assert main(["review", str(LABEL_NB), "--store", pg_url, f"--port={port}", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "refusing to serve: review pages would reach the store at" in err
    assert "is a superuser: it can write anything" in err
    assert "goalbook store grant-reader 'postgresql://OWNER@127.0.0.1:5432/goalbook_test?options=" in err
    assert "--role goalbook_reader" in err and "--store 'postgresql://goalbook_reader@127.0.0.1" in err
    assert "--allow-writable-role" in err and ":goalbook@" not in err  # no password shown
    with pytest.raises(OSError):  # nothing was started
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    (warning,) = check_reader_role(pg_url, allow_writable=True)  # the operator's explicit opt-out, said loudly
    assert warning.startswith("WARNING: --allow-writable-role") and "NOT read-only at the database" in warning


@pytest.mark.postgres
@pytest.mark.slow
def test_goalbook_review_serves_a_postgresql_store_as_a_reader_role_whose_pages_cannot_write(
        pg_url: str, pg_server: str, tmp_path: Path) -> None:
    notebook = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WRITE_PROBE)]), notebook)
    with throwaway_roles(pg_server) as new_role, goalbook.open(pg_url) as store:
        store.import_book(goalbook.load_example())
        reader = new_role("reader")
        store.grant_reader(reader, "reader-pw")
        port = free_port()
        log = (tmp_path / "out.log").open("wb")
        proc = subprocess.Popen([*CLI, "review", str(notebook), "--store", as_role(pg_url, reader, "reader-pw"),
                                 f"--port={port}", "--no-browser"], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            assert wait_for_port(port, proc), (tmp_path / "out.log").read_text()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as page:
                html = page.read().decode()
            assert "ORGANISATION: Northwind Clinics" in html
            assert "WRITE: refused 42501" in html and "WRITE: done" not in html  # insufficient_privilege
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        loaded, example = store.load(), goalbook.load_example()
        assert replace(loaded, approvals=[]) == replace(example, approvals=[])
        # the file's approval history came along, each step with who, when (the store's clock is UTC) and why
        assert [(a.target_id, a.state, a.by, a.at, a.reason) for a in loaded.approvals] == [
            (a.target_id, a.state, a.by, a.at.replace(tzinfo=UTC), a.reason) for a in example.approvals]
    assert "goalbook review: WARNING" not in (tmp_path / "out.log").read_text()  # served as a proper reader


# --- goalbook demo ---------------------------------------------------------------------------------
def test_seed_store_imports_the_example_once(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "goals.db"
    assert seed_store(db) is True
    with goalbook.open(db, readonly=True) as store:
        ids = {g.id for g in store.load().iter_goals()}
    assert ids == {g.id for g in goalbook.load_example().iter_goals()}
    before = db.stat().st_mtime_ns
    assert seed_store(db) is False
    assert db.stat().st_mtime_ns == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".")) == []


def test_demo_needs_review_pages(tmp_path: Path, capsys) -> None:
    assert main(["demo", "--notebooks", str(tmp_path), "--db", str(tmp_path / "g.db")]) == 1
    assert "no review pages" in capsys.readouterr().err
    assert not (tmp_path / "g.db").exists()


def test_the_demo_works_on_a_copy_of_the_notebooks_and_keeps_it(tmp_path: Path) -> None:
    source = tmp_path / "checkout" / "notebooks"
    (source / "review").mkdir(parents=True)
    shutil.copy(LABEL_NB, source / "review" / "label.ipynb")
    (source / ".ipynb_checkpoints").mkdir()
    committed = (source / "review" / "label.ipynb").read_bytes()
    copy = tmp_path / "demo" / "notebooks"
    copy.parent.mkdir()
    assert working_copy(source, copy)
    assert (copy / "review" / "label.ipynb").read_bytes() == committed
    assert not (copy / ".ipynb_checkpoints").exists()
    (copy / "review" / "label.ipynb").write_text("what the workshop typed")  # JupyterLab saves into the copy
    assert not working_copy(source, copy)  # the next demo keeps it
    assert (copy / "review" / "label.ipynb").read_text() == "what the workshop typed"
    assert (source / "review" / "label.ipynb").read_bytes() == committed
    assert sorted(p.name for p in copy.parent.iterdir()) == ["notebooks"]  # nothing half-copied left behind


@pytest.mark.slow
def test_goalbook_demo_serves_lab_and_review_until_ctrl_c(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    (notebooks / "review").mkdir(parents=True)
    shutil.copy(LABEL_NB, notebooks / "review" / "label.ipynb")
    port, lab_port = free_port(), free_port()
    out = (tmp_path / "out.log").open("wb")
    proc = subprocess.Popen([*CLI, "demo", "--db", str(tmp_path / "demo" / "g.db"), f"--port={port}",
                             f"--lab-port={lab_port}", "--notebooks", str(notebooks)],
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert wait_for_port(port, proc) and wait_for_port(lab_port, proc), (tmp_path / "out.log").read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{lab_port}/lab", timeout=60) as lab:
            assert lab.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/label.ipynb", timeout=60) as review:
            assert "Hello from goalbook" in review.read().decode()
        deadline = time.monotonic() + 120  # the demo prints its URLs once it has seen both ports itself
        while "Ctrl-C stops both" not in (tmp_path / "out.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    printed = (tmp_path / "out.log").read_text()
    assert f"http://127.0.0.1:{lab_port}/lab" in printed and f"http://127.0.0.1:{port}/" in printed
    for p in (port, lab_port):
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", p), timeout=1).close()
    with goalbook.open(tmp_path / "demo" / "g.db", readonly=True) as store:
        assert store.load().objectives
    assert (tmp_path / "demo" / "notebooks" / "review" / "label.ipynb").exists()  # JupyterLab's copy
    assert f"in {tmp_path / 'demo' / 'notebooks'}" in printed


# --- goalbook new ----------------------------------------------------------------------------------
TEAM_BOOK = """\
# Team quarter template
goalbook: 1
organisation: Example Co
objectives:
  - id: CO-1
    title: Make booking effortless
    level: company
    owner: coo
    period: 2027-Q1
    key_results:
      - id: CO-1.KR1
        title: Cut time-to-book from 6 to 2 minutes
        direction: decrease
        baseline: 6
        target: 2
        unit: min
smart_goals:
  - id: WEB-1
    statement: Cut booking steps from 7 to 3 by 2027-02-28
    team: Web          # the team that owns it
    owner: web-lead
    metric: booking steps
    baseline: 7
    target: 3
    deadline: 2027-02-28
    period: 2027-Q1
    supports: [CO-1.KR1]
  - id: WEB-2
    statement: Ship the booking page to all clinics by 2027-03-31
    team: Web
    owner: web-dev
    metric: clinics live
    baseline: 0
    target: 14
    deadline: 2027-03-31
    period: 2027-Q1
    supports: [CO-1.KR1]
check_ins:
  WEB-1:
    - {date: 2027-01-08, value: 7, confidence: 7, status: on_track, author: web-lead}
"""

NOTEBOOK_CELLS = [
    nbformat.v4.new_markdown_cell("# Quarter of {{team}}\nOwned by {{ owner }}; {{unknown}} stays."),
    nbformat.v4.new_code_cell('team = "Example"  # the team\nowner: str = "someone"\nshow = True',
                              metadata={"tags": ["parameters"]}),
    nbformat.v4.new_code_cell('print(team, "{{team}}")'),
]


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "team-quarter.yaml").write_text(TEAM_BOOK)
    nbformat.write(nbformat.v4.new_notebook(cells=NOTEBOOK_CELLS), root / "quarter.ipynb")
    (root / "retro.md").write_text("# Retrospective for {{team}}\n\nFacilitator: {{owner}}\n")
    (root / "workshop").mkdir()
    (root / "workshop" / "README.md").write_text("# A workshop for {{team}}\n")
    (root / "workshop" / "goals.yaml").write_text(TEAM_BOOK)
    (root / "_private.md").write_text("not a template")
    return root


def new(templates: Path, *args: str) -> int:
    return main(["new", *args, "--templates", str(templates)])


def test_new_lists_templates_and_suggests_the_closest(templates: Path, tmp_path: Path, capsys) -> None:
    assert new(templates) == 0
    listing = capsys.readouterr().out
    assert "team-quarter  Team quarter template" in listing and "retro" in listing and "workshop" in listing
    assert "_private" not in listing
    assert new(templates, "team-quater", str(tmp_path / "x.yaml")) == 2
    err = capsys.readouterr().err
    assert "no template 'team-quater' (did you mean 'team-quarter'?)" in err and "retro" in err


def test_new_retargets_a_goalbook_template(templates: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out" / "data.yaml"
    assert new(templates, "team-quarter", str(dest), "--team", "Data", "--owner", "data-lead",
               "--period", "2027-Q3") == 0
    book = load_goalbook(dest)
    web1, web2 = book.smart_goals
    assert (web1.team, web1.owner, web2.team, web2.owner) == ("Data", "data-lead", "Data", "web-dev")
    assert {str(g.period) for g in [*book.objectives, *book.smart_goals]} == {"2027-Q3"}
    assert web1.deadline == date(2027, 8, 28) and "by 2027-08-28" in web1.statement
    assert web2.deadline == date(2027, 9, 30)  # the last day of the period stays the last day
    (check_in,) = book.check_ins
    assert (check_in.date, check_in.author) == (date(2027, 7, 8), "data-lead")
    assert re.search(r"^    team: Data +# the team that owns it$", dest.read_text(), re.M)  # comments kept
    assert [p for p in book.validate() if p.severity == "error"] == []


def test_new_never_overwrites(templates: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "mine.yaml"
    dest.write_text("my own work\n")
    assert new(templates, "team-quarter", str(dest), "--team", "Data") == 1
    assert "exists" in capsys.readouterr().err
    assert dest.read_text() == "my own work\n"


def test_new_into_an_existing_folder_keeps_the_template_name(templates: Path, tmp_path: Path) -> None:
    assert new(templates, "retro", str(tmp_path), "--team", "Web", "--owner", "ana") == 0
    assert (tmp_path / "retro.md").read_text() == "# Retrospective for Web\n\nFacilitator: ana\n"


def test_new_refuses_a_bad_period_and_writes_nothing(templates: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "x.yaml"
    assert new(templates, "team-quarter", str(dest), "--period", "Q5-2027") == 1
    err = capsys.readouterr().err
    assert "--period" in err and "is not a period" in err
    assert not dest.exists() and [p.name for p in tmp_path.iterdir()] == ["templates"]


def test_new_fills_a_notebooks_parameters_cell(templates: Path, tmp_path: Path) -> None:
    dest = tmp_path / "q.ipynb"
    assert new(templates, "quarter", str(dest), "--team", "Web", "--owner", "ana", "--period", "2027-Q2") == 0
    nb = nbformat.read(dest, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source == "# Quarter of Web\nOwned by ana; {{unknown}} stays."
    assert nb.cells[1].source == "team = 'Web'  # the team\nowner: str = 'ana'\nshow = True\nperiod = '2027-Q2'"
    assert nb.cells[2].source == 'print(team, "{{team}}")'  # code is never text-substituted


def test_new_copies_a_folder_template_filling_each_file(templates: Path, tmp_path: Path, capsys) -> None:
    dest = tmp_path / "web-workshop"
    assert new(templates, "workshop", str(dest), "--team", "Web") == 0
    assert (dest / "README.md").read_text() == "# A workshop for Web\n"
    assert {g.team for g in load_goalbook(dest / "goals.yaml").smart_goals} == {"Web"}
    assert "created" in capsys.readouterr().out


def test_new_says_what_it_could_not_fill(templates: Path, tmp_path: Path, capsys) -> None:
    assert new(templates, "retro", str(tmp_path / "r.md"), "--period", "2027-Q2") == 0
    err = capsys.readouterr().err
    assert "{{team}} left as it is (pass --team)" in err and "--period: nothing in retro.md to fill" in err


def test_fill_text_only_replaces_known_names() -> None:
    assert fill_text("{{team}} / {{ owner }} / {{other}}", {"team": "Web"}) == ("Web / {{ owner }} / {{other}}",
                                                                              {"team"})


def test_the_shipped_okr_template_retargets_to_a_valid_goalbook(tmp_path: Path) -> None:
    dest = tmp_path / "okr.yaml"
    assert main(["new", "okr", str(dest), "--owner", "me", "--period", "2027-Q2"]) == 0
    book = load_goalbook(dest)
    assert [p for p in book.validate() if p.severity == "error"] == []
    assert {str(o.period) for o in book.objectives} == {"2027-Q2"}
    assert all(c.date >= date(2027, 4, 1) for c in book.check_ins)
