"""The review server's guards without a server: which ``Host`` names it answers (finding 2), which
kernel websockets it accepts (finding 1), and the options ``goalbook review`` passes (finding 8)."""

from __future__ import annotations

import pytest

from goalbook.review import voila_command
from goalbook.review_server import V1_PROTOCOL, HostPolicy, offered_subprotocols


@pytest.mark.parametrize(("ip", "allowed", "host", "answered"), [
    ("127.0.0.1", (), "127.0.0.1:8866", True),
    ("127.0.0.1", (), "localhost:8866", True),
    ("127.0.0.1", (), "LOCALHOST.:8866", True),
    ("127.0.0.1", (), "[::1]:8866", True),
    ("127.0.0.1", (), "evil.example:8866", False),  # DNS rebinding: the attacker's name
    ("127.0.0.1", (), "localhost.evil.example", False),
    ("127.0.0.1", (), "127.0.0.1.nip.io", False),
    ("127.0.0.1", (), "192.168.1.5:8866", False),  # not served there
    ("127.0.0.1", ("goals.example",), "goals.example:8866", True),
    ("127.0.0.1", ("goals.example",), "sub.goals.example:8866", False),
    ("192.168.1.5", (), "192.168.1.5:8866", True),
    ("192.168.1.5", (), "10.0.0.9:8866", False),
    ("0.0.0.0", (), "10.0.0.9:8866", True),  # served on every address: any address literal is its own
    ("0.0.0.0", (), "intranet-box:8866", False),  # a name must be allowed explicitly
    ("::", ("Goals.Example",), "goals.example", True),
    ("127.0.0.1", (), "", False),
])
def test_hosts_answered(ip: str, allowed: tuple[str, ...], host: str, answered: bool) -> None:
    assert HostPolicy.served_as(ip, allowed).allows(host) is answered


def test_offered_subprotocols() -> None:
    assert offered_subprotocols(None) == []
    assert offered_subprotocols(f"foo, {V1_PROTOCOL}") == ["foo", V1_PROTOCOL]


def test_review_options_reach_the_server(tmp_path) -> None:
    argv = voila_command(tmp_path, allowed_hosts=["goals.example"], max_kernels=3, cull_connected_after=10)
    assert "--ReviewVoila.allowed_hosts=goals.example" in argv
    assert "--ReviewKernelManager.max_kernels=3" in argv and "--ReviewKernelManager.max_kernels=20" not in argv
    assert "--ReviewKernelManager.cull_connected_after=10.0" in argv
    assert "--MappingKernelManager.cull_interval=5" in argv
    assert "--Voila.kernel_websocket_connection_class=goalbook.review_server.V1OnlyConnection" in argv


def test_a_review_notebook_names_the_lab_extensions_its_page_skips(tmp_path) -> None:
    import json

    from goalbook.review_server import review_page_config

    extensions = [{"name": "jupyterlab-plotly"}, {"name": "@jupyter-widgets/jupyterlab-manager"}]
    config = {"federated_extensions": extensions, "baseUrl": "/"}
    lean = tmp_path / "review.ipynb"
    lean.write_text(json.dumps({"metadata": {"goalbook": {"extension_denylist": ["jupyterlab-plotly"]}}, "cells": []}))
    own = tmp_path / "own.ipynb"
    own.write_text(json.dumps({"metadata": {}, "cells": []}))
    names = [e["name"] for e in review_page_config(config, notebook_path="review.ipynb",
                                                   root_dir=str(tmp_path))["federated_extensions"]]
    assert names == ["@jupyter-widgets/jupyterlab-manager"]
    assert review_page_config(config, notebook_path=str(own))["federated_extensions"] == extensions  # keeps plotly's
    assert config["federated_extensions"] == extensions  # Voilà's own config is left as it was

    def earlier(page_config: dict, **kwargs: object) -> dict:
        return {**page_config, "seen": kwargs["notebook_path"]}

    assert review_page_config(config, notebook_path=str(own), previous=earlier)["seen"] == str(own)


def test_goalbooks_review_pages_skip_plotlys_renderer() -> None:
    from pathlib import Path

    from goalbook.review_server import unused_extensions

    review = Path(__file__).resolve().parents[1] / "notebooks" / "review"
    skipping = {p.name for p in review.glob("*.ipynb") if "jupyterlab-plotly" in unused_extensions(p)}
    assert skipping == {"agenda.ipynb", "alignment.ipynb", "changes.ipynb", "dashboard.ipynb", "team.ipynb"}
