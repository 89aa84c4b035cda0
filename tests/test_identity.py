"""Who a change is recorded under: the hub user, then a configured name, then git, then the OS account,
and that the store and its callers use that one rule."""

from __future__ import annotations

import getpass
import json
import subprocess
import threading
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import goalbook
from goalbook import identity
from goalbook.model import CheckIn, Comment, Link


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for key in ("JUPYTERHUB_USER", "GOALBOOK_AUTHOR", "GOALBOOK_GROUPS", "JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(key, raising=False)


def test_the_hub_user_wins_over_a_configured_name():
    env = {"JUPYTERHUB_USER": "maria", "GOALBOOK_AUTHOR": "ci-bot"}
    assert identity.current_author(env) == "maria"
    assert "JupyterHub" in identity.author_source(env)


def test_a_configured_name_is_used_outside_a_hub():
    assert identity.current_author({"GOALBOOK_AUTHOR": "ci-bot"}) == "ci-bot"
    assert identity.current_author({"JUPYTERHUB_USER": "  ", "GOALBOOK_AUTHOR": "ci-bot"}) == "ci-bot"


def test_git_user_name_comes_before_the_os_account(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "config", "--file", str(home / ".gitconfig"), "user.name", "Ada Lovelace"], check=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    identity.git_user_name.cache_clear()
    try:
        assert identity.current_author({}) == "Ada Lovelace"
        assert identity.author_source({}) == "git's user.name"
    finally:
        identity.git_user_name.cache_clear()


def test_the_os_account_is_the_last_resort_and_says_so():
    assert identity.current_author({}, git=False) == f"{getpass.getuser()} (OS user)"


def test_every_change_in_the_store_carries_the_hub_user(tmp_path, monkeypatch, small_book):
    db = tmp_path / "goals.db"
    with goalbook.open(db, author="seed") as store:
        store.import_book(small_book)
    monkeypatch.setenv("GOALBOOK_AUTHOR", "ci-bot")
    monkeypatch.setenv("JUPYTERHUB_USER", "maria")
    with goalbook.open(db) as store:
        assert store.author == "maria"
        goal = store.get("WEB-1")
        store.put(replace(goal, budget=20000))
        store.add_link(Link("WEB-1", "CO-1.KR1"))
        stored = store.check_in(CheckIn("WEB-1", date(2027, 1, 15), 5, 7))
        note = store.comment(Comment("WEB-1", "steps cut to 5"))
        store.request_review("WEB-1")
        assert (stored.author, note.author) == ("maria", "maria")
        assert store.history("WEB-1")[-1].author == "maria"
        assert store.approval("WEB-1").by == "maria"
        changes = store.diff(date(2000, 1, 1))
        assert changes.links_added_by[("WEB-1", "CO-1.KR1")][0] == "maria"
        assert tuple({by for by, _ in changes.check_ins_recorded if by != "seed"}) == ("maria", )


class _Hub(BaseHTTPRequestHandler):
    calls = 0

    def do_GET(self):
        type(self).calls += 1
        if self.path != "/hub/api/user" or self.headers.get("Authorization") != "token s3cret":
            self.send_response(403)
            self.end_headers()
            return
        body = json.dumps({"name": "maria", "groups": ["goalbook-editors-web"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_groups_come_from_the_hub_api_once_per_process():
    server = HTTPServer(("127.0.0.1", 0), _Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"JUPYTERHUB_API_URL": f"http://127.0.0.1:{server.server_port}/hub/api", "JUPYTERHUB_API_TOKEN": "s3cret"}
    try:
        assert identity.current_groups(env) == {"goalbook-editors-web"}
        assert identity.current_groups(env) == {"goalbook-editors-web"}
        assert _Hub.calls == 1
        with pytest.raises(identity.HubUnreachable, match="cannot ask the hub"):
            identity.current_groups({**env, "JUPYTERHUB_API_TOKEN": "wrong"})
    finally:
        server.shutdown()
        server.server_close()


def test_configured_groups_replace_the_hub_and_no_configuration_means_no_roles():
    assert identity.current_groups({"GOALBOOK_GROUPS": "a, b,,"}) == {"a", "b"}
    assert identity.current_groups({"GOALBOOK_GROUPS": ""}) == frozenset()
    assert identity.current_groups({}) is None


def test_a_check_in_saved_to_a_yaml_file_carries_the_hub_user(tmp_path, monkeypatch):
    from goalbook.io import load_goalbook, save_goalbook
    from goalbook.widgets import CheckInForm

    monkeypatch.setenv("JUPYTERHUB_USER", "maria")
    path = tmp_path / "goals.yaml"
    save_goalbook(goalbook.load_example(), path)
    before = load_goalbook(path).check_ins
    form = CheckInForm(load_goalbook(path), "WEB-1", path=path, today=date(2027, 1, 20))
    form.value_input.value = "4"
    form.save_button.click()
    assert form.message_level == "success", form.message
    added = [c for c in load_goalbook(path).check_ins if c not in before]
    assert [(c.target_id, c.value, c.author) for c in added] == [("WEB-1", 4, "maria")]


def test_every_other_write_path_records_the_person_not_the_os_account(tmp_path, monkeypatch, capsys):
    """Approvals and comments on a file without --as, a check-in kept in memory, and `goalbook import`:
    each records the configured name; with nothing configured the OS account is recorded as one."""
    from goalbook.approvals import Flow
    from goalbook.cli import main
    from goalbook.io import load_goalbook, save_goalbook
    from goalbook.workspace import Workspace

    monkeypatch.setenv("GOALBOOK_AUTHOR", "Ada Lovelace")
    path = tmp_path / "goals.yaml"
    save_goalbook(goalbook.load_example(), path)
    assert main(["comment", str(path), "CC-2", "Tested with real callers?"]) == 0  # no --as: the person
    (note,) = [c for c in load_goalbook(path).comments if c.text == "Tested with real callers?"]
    assert note.author == "Ada Lovelace"
    step = Flow(load_goalbook(path), path=path).request_review("WEB-1")
    assert step.by == "Ada Lovelace" and load_goalbook(path).approvals[-1].by == "Ada Lovelace"
    ws = Workspace(goalbook.load_example(), "memory", False)
    assert repr(ws) == "<goalbook.Workspace: memory; edits stay in this session, recorded as Ada Lovelace>"
    stored, _ = ws.check_in(CheckIn("WEB-1", date(2027, 2, 27), 3.0, 9))
    assert stored.author == "Ada Lovelace"
    assert main(["whoami"]) == 0
    assert capsys.readouterr().out.endswith("Ada Lovelace (from $GOALBOOK_AUTHOR)\n")
    db = tmp_path / "goals.db"
    assert main(["import", str(path), "--into", str(db)]) == 0
    with goalbook.open(db, readonly=True) as store:
        assert {v.author for v in store.history("WEB-1")} == {"Ada Lovelace"}
    monkeypatch.delenv("GOALBOOK_AUTHOR")
    monkeypatch.setattr(identity, "git_user_name", lambda: None)
    stored, _ = ws.check_in(CheckIn("WEB-1", date(2027, 2, 28), 3.0, 9))
    assert stored.author == f"{getpass.getuser()} (OS user)"
