"""The review server: Voilà with goalbook's guards on every request (run as ``python -m goalbook.review_server``).

Voilà 0.5.13 leaves three holes a review server cannot have, and this module closes each through
Voilà's and jupyter_server's public extension points (a configurable connection class, a
configurable kernel manager, and an application subclass that wraps Voilà's own handlers):

* **Legacy kernel websockets hang the server.** Voilà's ``VoilaKernelWebsocketHandler.write_message``
  parses every binary message with ``read_header_from_binary_message``, which assumes the v1
  framing (8-byte little-endian offsets). A client that opens a kernel channel without the v1
  subprotocol gets jupyter_server's legacy framing (4-byte big-endian), so the first binary reply
  (a widget state holding a buffer) is read as an offset count near 2**60: the event loop blocks
  and memory grows until the machine runs out. :class:`V1OnlyConnection` refuses, before the
  upgrade, every kernel websocket that does not offer ``v1.kernel.websocket.jupyter.org``, which
  every JupyterLab 4 / Voilà 0.5 page does.
* **DNS rebinding.** Voilà hard-codes ``allow_remote_access=True``, so any ``Host`` is served.
  :class:`ReviewVoila` wraps every handler with :class:`HostGuard`, which answers 403 unless the
  ``Host`` is one the server is served as: a loopback name or address, the ``--ip`` it listens on,
  or a name given with ``--allow-host``. (On a wildcard ``--ip`` any address literal is accepted:
  a rebinding page always sends its own *name*, never an address.)
* **Kernels without bound.** Each page view starts a kernel (~140 MB). :class:`ReviewKernelManager`
  caps how many run at once (a page over the cap gets a "busy, retry" page, HTTP 503, that retries
  by itself), shuts a kernel down ``leave_grace`` seconds after its page closed (Voilà's own
  shutdown-on-leave request is refused by jupyter_server's XSRF check), and culls kernels idle for
  ``cull_connected_after`` seconds even while a page still holds their websocket open.

Two things make a page lighter to load, both through Voilà's public hooks. A notebook may name lab
extensions its page never uses in its metadata (``"goalbook": {"extension_denylist": [...]}``), and
:func:`review_page_config` (Voilà's ``page_config_hook``) leaves them out of that page alone: goalbook's
review notebooks so skip plotly's renderer of static figures (a 4.8 MB plotly.js every page would download
and compile) while a notebook of one's own that shows a plotly figure keeps it. And the server serves
goalbook's browser files (plotly.js, :data:`STATIC_PATH`) as static files a browser caches, which
:class:`~goalbook.widgets.figure_view.FigureView` loads instead of having the kernel send them.

Pages can be **preheated** (``--VoilaConfiguration.preheat_kernel=True``, ``goalbook review --preheat N``):
Voilà then keeps N kernels per review notebook running the notebook up to the point where it waits
for its reader (:func:`goalbook.notebook.wait_for_reader`), so a page is served without starting a
kernel or importing the widgets. The cap counts readers' kernels, not those waiting in a pool.
"""

from __future__ import annotations

import asyncio
import functools
import html
import ipaddress
import json
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.websocket import WebSocketHandler
from traitlets import Float, Integer, List, Unicode, default
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler

from goalbook.resources import PLOTLY_BUNDLES, plotly_js
from goalbook.runtime import STATIC_URL_ENV

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
"""The kernel websocket subprotocol whose binary framing Voilà parses correctly."""

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_IPS = ("", "0.0.0.0", "::")
BUSY_RETRY_SECONDS = 20
"""How soon the "busy" page asks the browser to try again (``Retry-After`` and ``Refresh``)."""
BUSY_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Busy, retry shortly</title>"
             "</head><body style=\"font-family: sans-serif; margin: 3em\"><h1>Busy, retry shortly</h1>"
             "<p>{message}</p><p>Too many review pages are open at once. Closing pages you no longer read frees "
             "them for others.</p></body></html>\n")
"""What a reader over the kernel cap sees (HTTP 503)."""
STATIC_PATH = "goalbook/static/"
"""Where, under the server's base URL, goalbook's browser files are served (see :class:`StaticFiles`)."""
METADATA_KEY = "goalbook"
"""The notebook metadata key under which a review notebook names the lab extensions its page never uses."""
HOSTS_SETTING = "goalbook_review_hosts"
"""The tornado setting that carries the :class:`HostPolicy` to every guarded handler."""


def offered_subprotocols(header: str | None) -> list[str]:
    """The subprotocols a ``Sec-WebSocket-Protocol`` request header offers, in order."""
    return [item.strip() for item in (header or "").split(",") if item.strip()]


class V1OnlyConnection(ZMQChannelsWebsocketConnection):
    """A kernel websocket connection that exists only for clients speaking the v1 kernel protocol.

    ``prepare`` runs before the websocket upgrade (jupyter_server's ``KernelWebsocketHandler.pre_get``),
    so a legacy client gets a plain HTTP 400 and never reaches Voilà's v1-only binary parser.
    """

    async def prepare(self) -> None:
        offered = offered_subprotocols(self.websocket_handler.request.headers.get("Sec-WebSocket-Protocol"))
        if V1_PROTOCOL not in offered:
            raise web.HTTPError(400, "review pages speak only the %s kernel websocket protocol", V1_PROTOCOL)
        await super().prepare()


def host_name(host_header: str) -> str:
    """The name in a ``Host`` header: lower-cased, without its port or an IPv6 address's brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


@dataclass(frozen=True)
class HostPolicy:
    """Which ``Host`` headers a review server answers: the names it is served as, nothing else."""

    names: frozenset[str]
    any_address: bool = False
    """Served on every address (a wildcard ``--ip``): any IP literal is one of its own names."""

    @classmethod
    def served_as(cls, ip: str, allowed: list[str] | tuple[str, ...] = ()) -> HostPolicy:
        names = {*LOOPBACK_NAMES, *(host_name(name) for name in allowed)}
        if ip not in WILDCARD_IPS:
            names.add(host_name(f"[{ip}]" if ":" in ip else ip))
        return cls(frozenset(names), any_address=ip in WILDCARD_IPS)

    def allows(self, host_header: str) -> bool:
        name = host_name(host_header)
        if name in self.names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or self.any_address


class HostGuard:
    """Mixed into every handler of the review server: a request for a foreign ``Host`` gets 403 before
    the handler runs (pages, files, APIs and websockets alike).

    jupyter_server's handlers ask :meth:`check_host` first thing in ``prepare`` (Voilà's settings make
    theirs say yes to everything); the other handlers (static files) are checked in ``prepare`` here.
    """

    def check_host(self) -> bool:
        policy: HostPolicy = self.settings[HOSTS_SETTING]  # type: ignore[attr-defined]
        return policy.allows(self.request.host)  # type: ignore[attr-defined]

    def prepare(self, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, JupyterHandler) and not self.check_host():
            raise web.HTTPError(403, "this review server is not served under that host name")
        return super().prepare(*args, **kwargs)  # type: ignore[misc]


class ReviewBusy(web.HTTPError):
    """Every review kernel is in use: the page says so and retries by itself."""

    def __init__(self, limit: int) -> None:
        super().__init__(503, "All %d review kernels are in use. This page tries again in %d seconds.",
                         limit, BUSY_RETRY_SECONDS, reason="Busy, retry shortly")


class ReviewPageHandler(HostGuard, TornadoVoilaHandler):
    """Voilà's page handler, answering "busy, retry" instead of starting a kernel over the cap, and letting
    at most ``max_starting`` pages start a kernel and run their notebook at once (the rest wait their turn)."""

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        await super().prepare(*args, **kwargs)
        manager = self.kernel_manager
        if isinstance(manager, ReviewKernelManager):
            manager.check_capacity()

    async def get(self, path: str | None = None) -> None:
        manager = self.kernel_manager
        notebook = self.notebook_path or path
        if not isinstance(manager, ReviewKernelManager) or manager.pooled(notebook):
            await super().get(path)  # a preheated kernel is waiting: nothing to start
            return
        async with manager.start_turn():
            if self.left:
                return  # the reader gave up waiting for their turn: start no kernel for nobody
            await super().get(path)

    left = False
    """Whether the reader closed the connection (went away) before their page was served."""

    def on_connection_close(self) -> None:
        self.left = True
        super().on_connection_close()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        if not isinstance(exc, ReviewBusy):
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
        self.set_header("Refresh", str(BUSY_RETRY_SECONDS))  # the browser tries again by itself
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(BUSY_PAGE.format(message=html.escape(exc.log_message % exc.args)))


class ReviewKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with a cap on running kernels and a cull for idle pages left open."""

    max_kernels = Integer(20, config=True, help="At most this many review kernels run at once (0: no cap).")
    cull_connected_after = Float(
        1800.0, config=True,
        help="Shut a kernel down after this many idle seconds even while a page holds its websocket (0: never).")

    leave_grace = Float(
        10.0, config=True,
        help="Shut a kernel down this many seconds after its last page closed (0: leave it to the idle cull).")

    max_starting = Integer(
        config=True,
        help="At most this many pages start a kernel and run their notebook at once (default: one per core); "
             "other readers' pages wait their turn (0: no limit). Fifty at once on two cores would make every "
             "reader wait for all fifty.")

    connect_grace = Float(
        600.0, config=True,
        help="Keep a kernel whose page has not connected yet this many seconds (a page opened in a burst can "
             "take minutes to load its scripts), however short the idle cull.")

    @default("max_starting")
    def _one_per_core(self) -> int:
        return os.cpu_count() or 2

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.starting = 0
        self.queued = 0
        self._turns: asyncio.Semaphore | None = None
        self.leaving: set[asyncio.Future] = set()
        self.connected_once: set[str] = set()
        self.unclaimed: dict[str, datetime] = {}

    def notify_disconnect(self, kernel_id: str) -> None:
        """A page's websocket closed: once no page holds the kernel for ``leave_grace`` seconds (a page
        reconnecting after a blip keeps it), the reader has left, and the kernel is shut down for the next."""
        super().notify_disconnect(kernel_id)
        if self.leave_grace > 0 and kernel_id in self and self.kernel_model(kernel_id).get("connections") == 0:
            asyncio.get_event_loop().call_later(self.leave_grace, self._shut_down_if_left, kernel_id)

    def _shut_down_if_left(self, kernel_id: str) -> None:
        if kernel_id in self and self.kernel_model(kernel_id).get("connections") == 0:
            self.log.info("Shutting down kernel %s: its reader left.", kernel_id)
            task = asyncio.ensure_future(self.shutdown_kernel(kernel_id))
            self.leaving.add(task)  # held until done: the event loop keeps only a weak reference
            task.add_done_callback(self.leaving.discard)

    def pooled(self, notebook: str | None = None) -> int:
        """Preheated kernels waiting in Voilà's pools for a reader (of ``notebook``, else of any page; 0
        without ``preheat_kernel``).

        ``notebook_data`` and ``get_pool_size`` are what Voilà's kernel manager adds for its page handler
        (``voila_kernel_manager_factory``); a plain kernel manager has neither."""
        pool_size = getattr(self, "get_pool_size", None)
        if pool_size is None:
            return 0
        if notebook is not None:
            return pool_size(notebook)
        return sum(pool_size(name) for name in getattr(self, "notebook_data", {}))

    @asynccontextmanager
    async def start_turn(self) -> AsyncIterator[None]:
        """Wait until fewer than ``max_starting`` pages are starting their kernel, for the ``with`` block.
        A reader waiting here counts toward the cap, so one over it is told "busy" rather than queued."""
        if self.max_starting <= 0:
            yield
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.max_starting)
        self.queued += 1
        try:
            await self._turns.acquire()
        finally:
            self.queued -= 1
        try:
            yield
        finally:
            self._turns.release()

    def notebook_of(self, kernel_id: str) -> str | None:
        """The notebook a preheated kernel was started for (``None`` for a reader's own kernel)."""
        for name, data in getattr(self, "notebook_data", {}).items():
            if kernel_id in data.get("kernel_ids", ()):
                return name
        return None

    def in_use(self) -> int:
        """Kernels serving readers (or starting for one): every kernel but those waiting in a pool."""
        return max(0, len(self.list_kernel_ids()) - self.pooled()) + self.starting + self.queued

    def check_capacity(self) -> None:
        """Raise :class:`ReviewBusy` when one more reader would pass the cap. Preheated kernels waiting in a
        pool do not count: there are at most the pool size per page of them, on top of the cap."""
        if self.max_kernels and self.in_use() >= self.max_kernels:
            raise ReviewBusy(self.max_kernels)

    async def start_kernel(self, **kwargs: Any) -> str:
        env = kwargs.get("env")
        if env is not None and "VOILA_BASE_URL" in env and isinstance(self.parent, ReviewVoila):
            # this server serves goalbook's browser files (StaticFiles): the kernel's widgets load them from there
            kwargs["env"] = {**env, STATIC_URL_ENV: url_path_join(env["VOILA_BASE_URL"], STATIC_PATH)}
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True":
            return await super().start_kernel(**kwargs)  # a pool refill: bounded by the pool size
        self.check_capacity()
        self.starting += 1
        try:
            return await super().start_kernel(**kwargs)
        finally:
            self.starting -= 1

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self.unclaimed.pop(kernel_id, None)
        self.connected_once.add(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id not in self.connected_once:
            # A kernel whose page has not connected yet (still loading, or a preheated kernel just handed
            # out, idle since it warmed up): its idle time counts from when the cull first saw it here.
            first = self.unclaimed.setdefault(kernel_id, datetime.now(UTC))
            if datetime.now(UTC) - first < timedelta(seconds=max(self.cull_idle_timeout, self.connect_grace)):
                return
        model = self.kernel_model(kernel_id)
        if model.get("connections") and self.cull_connected_after > 0 and model.get("execution_state") != "busy":
            last = datetime.fromisoformat(str(model["last_activity"]).replace("Z", "+00:00"))
            idle = datetime.now(UTC) - last
            if idle > timedelta(seconds=self.cull_connected_after):
                self.log.warning("Culling kernel %s: a page holds it open but it has been idle for %d s.",
                                 kernel_id, int(idle.total_seconds()))
                await self.shutdown_kernel(kernel_id)
                return
        await super().cull_kernel_if_idle(kernel_id)


class PlainErrors:
    """Errors as one line of text: refusing a websocket (a legacy client, a foreign host) must not go
    through jupyter_server's HTML error page, which fails under Voilà (it has no ``static_path``)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        reason = exc.log_message % exc.args if isinstance(exc, web.HTTPError) and exc.log_message else ""
        self.set_header("Content-Type", "text/plain; charset=utf-8")  # type: ignore[attr-defined]
        self.finish(f"{status_code} {reason}".strip() + "\n")  # type: ignore[attr-defined]


class ReaderWaitHandler(HostGuard, PlainErrors, RequestInfoSocketHandler):
    """Voilà's channel through which a preheated kernel waits for its reader's request, saying in the
    server's log when a kernel has run its notebook up to that wait (its page is built ahead and ready)."""

    def open(self, kernel_id: str) -> None:
        super().open(kernel_id)
        manager = self.settings.get("kernel_manager")
        if isinstance(manager, ReviewKernelManager):
            manager.log.info("Preheated kernel %s of %s waits for its reader.", kernel_id,
                             manager.notebook_of(kernel_id) or "an unknown notebook")


class StaticFiles(HostGuard, web.StaticFileHandler):
    """goalbook's browser files (plotly.js), each a file of the package. A URL carrying ``?v=`` (the kernels
    add the file's content hash) is cached by the browser for good (tornado's ``CACHE_MAX_AGE``), so a reader
    downloads plotly.js once, not once per page."""


def unused_extensions(notebook: str | os.PathLike[str]) -> list[str]:
    """The lab extensions a notebook says its page never uses (its ``goalbook.extension_denylist``
    metadata), read from the file as it is now; none when it says nothing or cannot be read."""
    try:
        with open(notebook, encoding="utf-8") as f:
            meta = json.load(f).get("metadata", {}).get(METADATA_KEY, {})
    except (OSError, ValueError, AttributeError):
        return []
    names = meta.get("extension_denylist", []) if isinstance(meta, dict) else []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def review_page_config(page_config: dict[str, Any], *, notebook_path: str, root_dir: str = "",
                       previous: Callable[..., dict[str, Any]] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Voilà's ``page_config_hook``: the page of ``notebook_path`` (relative to ``root_dir``) loads no lab
    extension its notebook lists as unused (:func:`unused_extensions`). ``previous`` is a hook configured
    before this one, applied first."""
    if previous is not None:
        page_config = previous(page_config, notebook_path=notebook_path, **kwargs)
    path = notebook_path if os.path.isabs(notebook_path) else os.path.join(root_dir, notebook_path)
    unused = set(unused_extensions(path))
    if unused:
        page_config = {**page_config, "federated_extensions": [
            ext for ext in page_config.get("federated_extensions", []) if ext.get("name") not in unused]}
    return page_config


def _guarded(handler: type) -> type:
    if handler is TornadoVoilaHandler:
        return ReviewPageHandler
    if handler is RequestInfoSocketHandler:
        return ReaderWaitHandler
    extra = (PlainErrors,) if issubclass(handler, WebSocketHandler) else ()
    return type(f"Guarded{handler.__name__}", (HostGuard, *extra, handler), {})


class ReviewVoila(Voila):
    """Voilà whose every handler checks the ``Host`` header (see :class:`HostGuard`)."""

    name = "voila"  # the same config files (voila.json) and options as Voilà itself
    allowed_hosts = List(Unicode(), config=True,
                         help="Host names the review pages are also served as (besides loopback and --ip).")

    def init_settings(self) -> dict:
        configured = self.voila_configuration.page_config_hook
        self.voila_configuration.page_config_hook = functools.partial(
            review_page_config, root_dir=self.root_dir, previous=configured)
        settings = super().init_settings()
        settings[HOSTS_SETTING] = HostPolicy.served_as(self.ip, self.allowed_hosts)
        return settings

    def init_handlers(self) -> list:
        guarded: list = [  # first: no pattern of Voilà's may shadow them
            (url_path_join(self.server_url, STATIC_PATH, f"({re.escape(name)})"), StaticFiles,
             {"path": str(plotly_js(bundle).parent)}) for bundle, name in PLOTLY_BUNDLES.items()]
        for spec in super().init_handlers():
            pattern, handler, *rest = spec
            guarded.append((pattern, _guarded(handler), *rest))
        return guarded


main = ReviewVoila.launch_instance

if __name__ == "__main__":
    # run the package's copy of this module, not __main__'s: the kernel manager and connection class
    # named in the configuration are imported from goalbook.review_server, and must be the same classes
    from goalbook.review_server import main as package_main

    package_main()
