"""``goalbook hub-config``: the generated jupyterhub_config.py runs, creates goalbook's groups and roles,
hands each person the writer or the reader store by group, and serves the review pages as a service;
the review service's Voilà settings put the hub login and the Host check in place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from traitlets.config import Config

from goalbook.cli import main
from goalbook.hub.config import HubSettings, render


def _exec(text: str) -> tuple[Config, dict]:
    cfg = Config()
    scope = {"get_config": lambda: cfg}
    exec(compile(text, "jupyterhub_config.py", "exec"), scope)
    return cfg, scope


def _spawner(*groups: str) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups]),
                           environment={"GOALBOOK_EDITORS_PREFIX": "goalbook-editors-"})


def test_the_generated_configuration_runs_and_sets_up_groups_roles_and_the_review_service():
    cfg, _ = _exec(render(HubSettings(teams=["Web", "Customer Care"], members={"goalbook-editors-web": ["maria"]})))
    assert cfg.JupyterHub.load_groups["goalbook-editors-web"] == {"users": ["maria"]}
    assert set(cfg.JupyterHub.load_groups) == {"goalbook-admins", "goalbook-approvers", "goalbook-readers",
                                               "goalbook-editors-web", "goalbook-editors-customer-care"}
    [role] = cfg.JupyterHub.load_roles
    assert role["scopes"] == ["access:services!service=goalbook-review"]
    assert set(role["groups"]) == set(cfg.JupyterHub.load_groups)
    [service] = cfg.JupyterHub.services
    assert service["command"][-2:] == ["hub-review", "/srv/goalbook/notebooks/review"]
    assert service["environment"]["GOALBOOK_STORE"].startswith("postgresql://goalbook_reader@")
    assert service["environment"]["GOALBOOK_ALLOWED_HOSTS"] == "goals.example.org"


@pytest.mark.parametrize(("groups", "store", "readonly"), [
    (["goalbook-editors-web"], "goalbook_writer", "0"),
    (["goalbook-editors-new-team"], "goalbook_writer", "0"),  # a team's group made later in the hub
    (["goalbook-approvers"], "goalbook_writer", "0"),
    (["goalbook-readers"], "goalbook_reader", "1"),
    ([], "goalbook_reader", "1"),
])
def test_each_person_gets_the_writer_or_the_reader_store_by_group(groups, store, readonly):
    cfg, _ = _exec(render(HubSettings()))
    shared = dict(cfg.Spawner.environment)
    spawner = _spawner(*groups)
    cfg.Spawner.pre_spawn_hook(spawner)
    assert spawner.environment["GOALBOOK_STORE"].startswith(f"postgresql://{store}@")
    assert spawner.environment["GOALBOOK_READONLY"] == readonly
    assert dict(cfg.Spawner.environment) == shared  # the shared settings are not changed for the next person


def test_hub_config_prints_or_writes_the_file(tmp_path, capsys):
    out = tmp_path / "jupyterhub_config.py"
    assert main(["hub-config", "--team", "Data", "--public-host", "okr.example.org", "--output", str(out)]) == 0
    cfg, _ = _exec(out.read_text())
    assert "goalbook-editors-data" in cfg.JupyterHub.load_groups
    assert cfg.JupyterHub.services[0]["environment"]["GOALBOOK_ALLOWED_HOSTS"] == "okr.example.org"
    assert main(["hub-config"]) == 0
    assert "c.JupyterHub.services" in capsys.readouterr().out


def test_hub_review_refuses_to_run_outside_a_hub(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_URL", raising=False)
    assert main(["hub-review", str(tmp_path)]) == 1
    assert "runs as a JupyterHub service" in capsys.readouterr().err


def test_the_review_service_puts_the_hub_login_and_the_host_check_in_place():
    pytest.importorskip("jupyterhub")
    from goalbook.hub.service import ReviewIdentityProvider, service_config

    cfg = service_config(["goals.example.org"], "/services/goalbook-review/")
    assert cfg.Voila.identity_provider_class is ReviewIdentityProvider
    assert cfg.Voila.tornado_settings == {"allow_remote_access": False,
                                          "local_hostnames": ["localhost", "goals.example.org"]}
    assert cfg.VoilaConfiguration.strip_sources is True and cfg.VoilaConfiguration.show_tracebacks is False
