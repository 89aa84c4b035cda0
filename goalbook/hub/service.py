"""The review pages as a JupyterHub service: Voilà behind the hub's OAuth login, read-only at the database.

The hub starts this as a managed service (``goalbook hub-review NOTEBOOKS``) and routes
``/services/goalbook-review/`` to it. Voilà's own login is replaced by JupyterHub's identity provider
(the one ``jupyterhub-singleuser`` uses), so a visitor without a hub login is sent to the hub's login
page, and one logged in but without ``access:services!service=goalbook-review`` (a role the hub gives
goalbook's groups) gets 403. Voilà hard-codes ``allow_remote_access=True``; this service sets it back to
False through Voilà's public ``tornado_settings``, so jupyter_server's Host check accepts only loopback
addresses and the names the organisation serves the hub as (``$GOALBOOK_ALLOWED_HOSTS``): a page asked
for under a foreign ``Host`` (DNS rebinding) is refused with 403.

The kernels get the settings of ``goalbook review`` (``GOALBOOK_READONLY=1``, the store read-only; a
PostgreSQL store must be reached as a SELECT-only role, checked at start) and never the service's hub
token: it is handed to the identity provider and removed from the environment the kernels inherit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyterhub.services.auth import HubOAuth
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider, JupyterHubOAuthCallbackHandler
from jupyterhub.utils import url_path_join
from traitlets import default
from traitlets.config import Config

ALLOWED_HOSTS_ENV = "GOALBOOK_ALLOWED_HOSTS"
"""Comma-separated host names the hub is served as (``goals.example.org``); loopback addresses are always allowed."""


BIND_IP_ENV = "GOALBOOK_REVIEW_IP"
"""The address to listen on when it is not the host in ``$JUPYTERHUB_SERVICE_URL`` (a pod: ``0.0.0.0``)."""


class ReviewIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's identity provider for a service: its handlers under the service's prefix (Voilà, unlike
    jupyter_server, does not prefix an identity provider's handlers), and the hub token kept out of the
    environment the review kernels inherit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("token", None)  # Voilà hands its own (empty) token; the hub's login replaces it
        super().__init__(**kwargs)

    @default("hub_auth")
    def _default_hub_auth(self) -> HubOAuth:
        token = os.environ.pop("JUPYTERHUB_API_TOKEN", None) or os.environ.pop("JPY_API_TOKEN", "")
        return HubOAuth(parent=self, api_token=token)

    def get_handlers(self) -> list[tuple[str, Any, dict[str, Any]] | tuple[str, Any]]:
        prefix = self.hub_auth.base_url or "/"
        return [(url_path_join(prefix, "oauth_callback"), JupyterHubOAuthCallbackHandler, {"hub_auth": self.hub_auth})]


def service_config(allowed_hosts: list[str], base_url: str) -> Config:
    """Voilà's configuration for the service: goalbook's review settings, the hub login, the Host check."""
    from goalbook.review import REVIEW_CONFIG

    cfg = Config({section: dict(traits) for section, traits in REVIEW_CONFIG.items()})
    cfg.Voila.base_url = base_url
    # Not preheated behind the hub: a pooled kernel would fetch its reader's request from Voilà's
    # /voila/query/ websocket, which is outside the hub's authorization.
    cfg.VoilaConfiguration.preheat_kernel = False
    cfg.Voila.identity_provider_class = ReviewIdentityProvider
    cfg.Voila.authorizer_class = "jupyterhub.singleuser.extension.JupyterHubAuthorizer"
    cfg.Voila.tornado_settings = {"allow_remote_access": False, "local_hostnames": ["localhost", *allowed_hosts]}
    cfg.Voila.open_browser = False
    cfg.Voila.port_retries = 0
    return cfg


def run(notebooks: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    """Serve ``notebooks`` as the hub service until stopped; reads the hub's service environment."""
    from urllib.parse import urlsplit

    from voila.app import Voila

    from goalbook.review import check_reader_role, review_env
    from goalbook.runtime import STORE_ENV

    env = os.environ if env is None else env
    url = urlsplit(env["JUPYTERHUB_SERVICE_URL"])
    prefix = env.get("JUPYTERHUB_SERVICE_PREFIX", "/services/goalbook-review/")
    hosts = [h.strip() for h in env.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip()]
    kernels = review_env(env.get(STORE_ENV) or None)
    for warning in check_reader_role(kernels.get(STORE_ENV)):
        print(f"goalbook hub-review: {warning}", flush=True)
    os.environ.update({k: kernels[k] for k in kernels if k.startswith("GOALBOOK_")})
    target = Path(notebooks).resolve()
    ip = env.get(BIND_IP_ENV) or url.hostname or "127.0.0.1"
    Voila.launch_instance(argv=[str(target), f"--port={url.port or 80}", f"--Voila.ip={ip}",
                                "--no-browser"],
                          config=service_config(hosts, prefix))
