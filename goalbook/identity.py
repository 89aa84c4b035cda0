"""Who made a change: the one place that decides the name recorded on goals, links, check-ins, comments
and approvals.

In order, the first that gives a name wins:

1. ``$JUPYTERHUB_USER``: inside a JupyterHub single-user server (and every kernel it starts) the hub
   sets it to the person who logged in, so an organisation's edits carry their hub names;
2. a configured name: ``$GOALBOOK_AUTHOR`` (a setting for scripts, CI and shared accounts);
3. git's ``user.name``, the name a person already gave their tools on this machine;
4. the operating-system account, as a last resort, recorded as ``root (OS user)``: a login name such
   as ``root`` or ``jovyan`` names a machine, not a person, so a history says when nobody was known
   (``unknown (OS user)`` when even that cannot be read). Set ``$GOALBOOK_AUTHOR`` or git's
   ``user.name`` to be recorded by name.

The hub's login comes before a configured name on purpose: in a hub it is the one name the person
proved, and the store's access rules check writes against it (a configured name that differs is
refused there), so an organisation's history cannot carry a name someone merely typed.

Everything here reads the environment (or a mapping passed in for tests) and, for step 3, asks git
once per process. Nothing else decides an author: the store, the CLI and the widgets call
:func:`current_author`.
"""

from __future__ import annotations

import functools
import getpass
import os
import shutil
import subprocess
from collections.abc import Mapping

HUB_USER_ENV = "JUPYTERHUB_USER"
"""Set by JupyterHub for a user's server and its kernels."""
AUTHOR_ENV = "GOALBOOK_AUTHOR"
"""A configured author name (scripts, CI, a shared account)."""


@functools.cache
def git_user_name() -> str | None:
    """git's ``user.name`` (global or of the repository here), ``None`` when git or the setting is missing.

    Asked once per process: a store opened a thousand times does not start git a thousand times.
    """
    git = shutil.which("git")
    if git is None:
        return None
    try:
        out = subprocess.run([git, "config", "--get", "user.name"], capture_output=True, text=True, timeout=5,
                             stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = out.stdout.strip()
    return name if out.returncode == 0 and name else None


OS_USER_SUFFIX = " (OS user)"
"""Appended to an operating-system login name recorded as an author: it names an account, not a person."""


def _os_account() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        name = "unknown"
    return name + OS_USER_SUFFIX


def current_author(env: Mapping[str, str] | None = None, *, git: bool = True) -> str:
    """The name recorded on a change made now; see the module docstring for the order.

    ``env`` defaults to ``os.environ``; ``git=False`` skips step 3 (tests that must not see the
    machine's git configuration).
    """
    env = os.environ if env is None else env
    for key in (HUB_USER_ENV, AUTHOR_ENV):
        value = env.get(key, "").strip()
        if value:
            return value
    if git:
        name = git_user_name()
        if name:
            return name
    return _os_account()


def author_source(env: Mapping[str, str] | None = None) -> str:
    """Where :func:`current_author` took the name from, in words (``goalbook whoami``, ``goalbook demo``)."""
    env = os.environ if env is None else env
    if env.get(HUB_USER_ENV, "").strip():
        return f"the JupyterHub login (${HUB_USER_ENV})"
    if env.get(AUTHOR_ENV, "").strip():
        return f"${AUTHOR_ENV}"
    if git_user_name():
        return "git's user.name"
    return "the operating-system account"


# --- groups: what the hub says this person belongs to ---------------------------------------------

GROUPS_ENV = "GOALBOOK_GROUPS"
"""A configured, comma-separated list of groups, used instead of asking the hub (tests, scripts without a hub)."""
HUB_API_URL_ENV = "JUPYTERHUB_API_URL"
HUB_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"


class HubUnreachable(RuntimeError):
    """The hub was asked for the user's groups and did not answer with them."""


@functools.cache
def _hub_identity(api_url: str, token: str) -> tuple[str, frozenset[str]]:
    """``(name, groups)`` from ``GET {api_url}/user`` with the server's own token; once per process.

    Every hub token may read its owner's name and groups on this endpoint (JupyterHub's "identify"
    scopes), so this needs no extra permission in the hub's configuration.
    """
    import json
    import urllib.error
    import urllib.request

    req = urllib.request.Request(api_url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            model = json.load(resp)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        raise HubUnreachable(f"cannot ask the hub at {api_url} for your groups: {exc}") from exc
    return str(model.get("name") or ""), frozenset(model.get("groups") or ())


def current_groups(env: Mapping[str, str] | None = None) -> frozenset[str] | None:
    """The groups of the person making changes, or ``None`` when nobody says (no hub, no configuration):
    then no roles apply, as for one person on their own machine.

    ``$GOALBOOK_GROUPS`` (comma-separated) wins; else, inside a hub's single-user server, the hub API
    is asked once per process. Raises :class:`HubUnreachable` when the hub should answer and does not,
    so a write is refused rather than allowed on a guess.
    """
    env = os.environ if env is None else env
    configured = env.get(GROUPS_ENV)
    if configured is not None:
        return frozenset(g.strip() for g in configured.split(",") if g.strip())
    url, token = env.get(HUB_API_URL_ENV, "").strip(), env.get(HUB_TOKEN_ENV, "").strip()
    if url and token:
        return _hub_identity(url, token)[1]
    return None
