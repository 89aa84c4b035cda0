"""A burst of readers on the review server: pages start their kernels in turns, and a page still loading keeps
its kernel (goalbook.review_server.ReviewKernelManager, without a server: its bookkeeping only)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from goalbook.review_server import ReviewBusy, ReviewKernelManager


def run(coro: Coroutine) -> object:
    """``asyncio.run`` on a thread of its own: a browser test earlier in this worker keeps Playwright's
    event loop running on the main thread, where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_pages_start_in_turns_and_the_waiting_count_toward_the_cap() -> None:
    manager = ReviewKernelManager(max_starting=1, max_kernels=2)
    order: list[str] = []

    async def reader(name: str, hold: asyncio.Event) -> None:
        async with manager.start_turn():
            order.append(f"{name} starts")
            await hold.wait()
        order.append(f"{name} done")

    async def burst() -> None:
        first, second = asyncio.Event(), asyncio.Event()
        tasks = [asyncio.create_task(reader("a", first)), asyncio.create_task(reader("b", second))]
        await asyncio.sleep(0.05)
        assert order == ["a starts"], "a second page started while the first still held the only turn"
        assert manager.queued == 1 and manager.in_use() == 1
        manager.check_capacity()  # 1 waiting < cap 2
        manager.queued += 1  # one more reader waiting: the cap is reached
        with pytest.raises(ReviewBusy):
            manager.check_capacity()
        manager.queued -= 1
        first.set()
        await asyncio.sleep(0.05)
        assert order == ["a starts", "a done", "b starts"] and manager.queued == 0
        second.set()
        await asyncio.gather(*tasks)

    run(burst())


def test_a_kernel_whose_page_is_still_loading_is_not_culled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Culled only ``connect_grace`` after the cull first saw it unconnected, not after the idle cull's 120 s."""
    manager = ReviewKernelManager(cull_idle_timeout=120, connect_grace=600)
    culled: list[str] = []

    async def jupyter_servers_cull(self: AsyncMappingKernelManager, kernel_id: str) -> None:
        culled.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", jupyter_servers_cull)
    monkeypatch.setattr(manager, "kernel_model", lambda kernel_id: {})
    manager.unclaimed["k1"] = datetime.now(UTC) - timedelta(seconds=300)  # its page has been loading 5 minutes
    run(manager.cull_kernel_if_idle("k1"))
    assert culled == []
    manager.unclaimed["k1"] = datetime.now(UTC) - timedelta(seconds=700)
    run(manager.cull_kernel_if_idle("k1"))
    assert culled == ["k1"]


def test_kernels_of_the_review_server_load_goalbooks_browser_files_from_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel started by ``goalbook review`` (a reader's or a pool's) is told where the server serves plotly.js;
    under plain Voilà (the hub's review service), which serves no such file, it is told nothing."""
    from voila.app import Voila

    from goalbook.review_server import ReviewVoila
    from goalbook.runtime import STATIC_URL_ENV

    started: list[dict] = []

    async def jupyter_servers_start(self: object, **kwargs: object) -> str:
        started.append(kwargs["env"])
        return "k1"

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", jupyter_servers_start)
    for app in (ReviewVoila(), Voila()):
        manager = ReviewKernelManager(parent=app)
        run(manager.start_kernel(env={"VOILA_BASE_URL": "/base/", "VOILA_PREHEAT": "True"}))
        run(manager.start_kernel(env={"VOILA_BASE_URL": "/base/"}))
    assert [env.get(STATIC_URL_ENV) for env in started] == ["/base/goalbook/static/"] * 2 + [None] * 2
