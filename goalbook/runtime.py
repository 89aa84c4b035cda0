"""Where a notebook is running, read from the environment, so one notebook serves workshop and review.

A review page (``goalbook review``, Voilà) must build no write-capable widget and open the store
read-only; a workshop notebook in JupyterLab may edit. Notebooks ask these functions instead of
parsing the environment themselves. Everything here reads ``os.environ`` (or a mapping passed in
for tests) and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qsl

READONLY_ENV = "GOALBOOK_READONLY"
"""Set to ``1`` by ``goalbook review`` for every kernel it starts."""

STORE_ENV = "GOALBOOK_STORE"
"""The store URL or absolute path a review page should open, set by ``goalbook review --store``."""

STATIC_URL_ENV = "GOALBOOK_STATIC_URL"
"""The URL path under which the review server serves goalbook's browser files (plotly.js), set by the
server (:mod:`goalbook.review_server`) for the kernels it starts; absent elsewhere (JupyterLab, plain Voilà)."""

_TRUE = {"1", "true", "yes", "on"}


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def in_voila(env: Mapping[str, str] | None = None) -> bool:
    """True inside a kernel started by Voilà.

    Voilà sets ``SERVER_SOFTWARE=voila/<version>`` for kernels it starts on a request, and
    ``VOILA_KERNEL_ID`` / ``VOILA_PREHEAT`` for preheated ones (which get the request later).
    """
    env = _env(env)
    return env.get("SERVER_SOFTWARE", "").startswith("voila/") or "VOILA_KERNEL_ID" in env or "VOILA_PREHEAT" in env


def review_store_url(env: Mapping[str, str] | None = None) -> str | None:
    """The store a review page should open (``GOALBOOK_STORE``), or ``None`` when none was given."""
    value = _env(env).get(STORE_ENV, "").strip()
    return value or None


def review_mode(env: Mapping[str, str] | None = None) -> bool:
    """True when the notebook must behave as a read-only review page: in Voilà, or ``GOALBOOK_READONLY=1``."""
    env = _env(env)
    return in_voila(env) or env.get(READONLY_ENV, "").strip().lower() in _TRUE


def static_url(env: Mapping[str, str] | None = None) -> str | None:
    """Where the server this kernel runs under serves goalbook's browser files (``/goalbook/static/``), or
    ``None`` when it serves none, and a page must be sent them through the kernel instead."""
    value = _env(env).get(STATIC_URL_ENV, "").strip()
    return value or None


def query_params(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The page's URL query parameters (``?team=Web``) as Voilà passes them in ``QUERY_STRING``.

    Empty outside Voilà. The values come from whoever typed the URL: treat them as untrusted text.
    Only the last value of a repeated parameter is kept.
    """
    return dict(parse_qsl(_env(env).get("QUERY_STRING", ""), keep_blank_values=True))
