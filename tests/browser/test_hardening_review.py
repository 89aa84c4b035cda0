"""Attacks on a real ``goalbook review`` (issue 11, findings 1, 2 and 8): legacy-protocol kernel
websockets, foreign ``Host`` headers (DNS rebinding), and kernels without bound.

The clients here are real websocket and HTTP clients on loopback, speaking to the real command.
Finding 1's attack (a kernel channel opened without the v1 subprotocol, then a widget state holding
a buffer) blocked Voilà 0.5.13's event loop while its memory grew without limit: whenever a probe
goes unanswered the server is killed at once, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import websocket
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from voila_harness import NOTEBOOKS, ReviewServer, start_review, stop_review

from goalbook.review_server import V1_PROTOCOL

pytestmark = pytest.mark.browser

ALLOWED_NAME = "goals.example"
"""A name the module's server is told it is also served as (``--allow-host``)."""


def start(log: Path, *options: str) -> ReviewServer:
    """``goalbook review tests/browser/notebooks`` with ``options`` on a free loopback port."""
    return start_review(NOTEBOOKS, log, options=options)


def kill(server: ReviewServer) -> None:
    """Stop a server that may be hung: SIGKILL its whole session (Voilà and its kernels) now."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewServer]:
    s = start(tmp_path_factory.mktemp("review") / "voila.log", f"--allow-host={ALLOWED_NAME}", "--max-kernels=30")
    try:
        yield s
    finally:
        stop_review(s)


def get(url: str, host: str | None = None, timeout: float = 90.0) -> tuple[int, dict[str, str], str]:
    """GET ``url`` (optionally with a forged ``Host`` header): status, headers, body."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def open_page(server: ReviewServer, notebook: str = "label.ipynb") -> str:
    """Render a page as a reader's browser would first load it; the id of the kernel it started."""
    status, _, html = get(server.page_url(notebook))
    assert status == 200, html[-2000:]
    match = re.search(r'"kernelId": "([0-9a-f-]{36})"', html)
    assert match, "the page names no kernel"
    return match.group(1)


def channel_url(server: ReviewServer, kernel_id: str) -> str:
    return f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"


def message(msg_type: str, content: dict, metadata: dict | None = None) -> dict:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": uuid.uuid4().hex, "username": "reader",
              "date": datetime.now(UTC).isoformat(), "version": "5.3"}
    return {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell"}


def buffer_widget_messages() -> list[dict]:
    """The attack of finding 1: create a widget whose state holds a buffer (an Image's ``value``), then ask
    for its state, so the kernel answers with a binary message."""
    comm_id = uuid.uuid4().hex
    state = {"_model_name": "ImageModel", "_model_module": "@jupyter-widgets/controls",
             "_model_module_version": "2.0.0", "_view_name": "ImageView",
             "_view_module": "@jupyter-widgets/controls", "_view_module_version": "2.0.0"}
    return [message("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget",
                                  "data": {"state": state, "buffer_paths": []}}, {"version": "2.1.0"}),
            message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})]


def legacy_attack(server: ReviewServer, kernel_id: str) -> int | None:
    """Open the kernel channel without any subprotocol and send the attack as legacy JSON text frames.
    Returns the HTTP status that refused the upgrade, or None when the server accepted it."""
    try:
        ws = websocket.create_connection(channel_url(server, kernel_id), timeout=10)
    except websocket.WebSocketBadStatusException as refused:
        return refused.status_code
    try:
        for msg in buffer_widget_messages():
            ws.send(json.dumps(msg))
        time.sleep(0.5)
    finally:
        ws.close()
    return None


def v1_frame(msg: dict) -> bytes:
    pack = lambda part: json.dumps(part).encode()  # noqa: E731
    return serialize_msg_to_ws_v1(msg, msg["channel"], pack)


def v1_attack(server: ReviewServer, kernel_id: str, timeout: float = 30.0) -> dict:
    """The same messages over a v1 channel (what the page itself speaks); the binary reply's header."""
    ws = websocket.create_connection(channel_url(server, kernel_id), subprotocols=[V1_PROTOCOL], timeout=timeout)
    try:
        assert ws.subprotocol == V1_PROTOCOL
        for msg in buffer_widget_messages():
            ws.send_binary(v1_frame(msg))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ws.settimeout(max(0.1, deadline - time.monotonic()))
            frame = ws.recv()
            if isinstance(frame, bytes):
                channel, parts = deserialize_msg_from_ws_v1(frame)
                header, content = json.loads(parts[0]), json.loads(parts[3])
                if header["msg_type"] == "comm_msg" and content["data"].get("method") == "update":
                    return {"channel": channel, "header": header, "buffers": len(parts) - 4}
        raise AssertionError("no binary widget state came back")
    finally:
        ws.close()


# --- finding 1: legacy-protocol kernel websockets ----------------------------------------------------
def test_a_kernel_websocket_without_the_v1_subprotocol_is_refused_before_the_upgrade(server: ReviewServer) -> None:
    kernel_id = open_page(server)
    try:
        assert legacy_attack(server, kernel_id) == 400
    except BaseException:
        kill(server)  # a server that took the attack may be hung and eating memory
        raise
    status, _, _ = get(server.url, timeout=5)
    assert status == 200


def test_the_v1_channel_still_carries_binary_widget_state(server: ReviewServer) -> None:
    kernel_id = open_page(server)
    reply = v1_attack(server, kernel_id)
    assert reply["channel"] == "iopub" and reply["buffers"] == 1


@pytest.mark.slow
def test_a_reader_is_answered_within_5_s_while_the_attack_loops_for_30_s(server: ReviewServer) -> None:
    kernel_id = open_page(server)
    stop = threading.Event()
    attacks = {"legacy refused": 0, "legacy accepted": 0, "v1": 0}

    def attack() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not stop.is_set():
            try:
                status = legacy_attack(server, kernel_id)
                attacks["legacy refused" if status == 400 else "legacy accepted"] += 1
                v1_attack(server, kernel_id, timeout=10)
                attacks["v1"] += 1
            except Exception:
                if stop.is_set():
                    return
                raise

    attacker = threading.Thread(target=attack, daemon=True)
    attacker.start()
    slowest = 0.0
    try:
        while attacker.is_alive():
            began = time.monotonic()
            status, _, html = get(server.url, timeout=5)  # the reader: the folder's list of pages
            slowest = max(slowest, time.monotonic() - began)
            assert status == 200 and "voila-tree-main" in html
            time.sleep(0.5)
    except BaseException:
        stop.set()
        kill(server)
        raise
    attacker.join()
    print(f"attacks sent in 30 s: {attacks}; slowest reader answer {slowest:.2f} s")
    assert attacks["legacy accepted"] == 0 and attacks["legacy refused"] > 0 and attacks["v1"] > 0
    assert slowest < 5


# --- finding 2: DNS rebinding --------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example"])
def test_a_foreign_host_gets_403_on_pages_files_and_apis(server: ReviewServer, host: str) -> None:
    for path in ["", "voila/render/label.ipynb", "voila/files/pixel.png", "voila/static/voila.js"]:
        status, _, body = get(server.url + path, host=f"{host}:{server.port}")
        assert status == 403, (path, status)
        assert "Hello from goalbook" not in body


def test_a_foreign_host_gets_403_on_the_kernel_websocket(server: ReviewServer) -> None:
    kernel_id = open_page(server)
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(channel_url(server, kernel_id), subprotocols=[V1_PROTOCOL], timeout=10,
                                    host=f"evil.example:{server.port}")
    assert refused.value.status_code == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", ALLOWED_NAME])
def test_the_names_it_is_served_as_are_answered(server: ReviewServer, host: str) -> None:
    status, _, html = get(server.url, host=f"{host}:{server.port}")
    assert status == 200 and "voila-tree-main" in html
    kernel_id = open_page(server)
    ws = websocket.create_connection(channel_url(server, kernel_id), subprotocols=[V1_PROTOCOL], timeout=30,
                                     host=f"{host}:{server.port}", origin=f"http://{host}:{server.port}")
    ws.close()


# --- finding 8: a cap on kernels, and culling pages left open --------------------------------------------
@pytest.mark.slow
def test_over_the_kernel_cap_a_reader_gets_busy_retry_and_idle_open_pages_are_culled(tmp_path: Path) -> None:
    server = start(tmp_path / "voila.log", "--max-kernels=1", "--cull-connected-after=4")
    try:
        kernel_id = open_page(server)
        ws = websocket.create_connection(channel_url(server, kernel_id), subprotocols=[V1_PROTOCOL], timeout=30)
        try:
            status, headers, html = get(server.page_url("label.ipynb"))  # a second reader, over the cap
            assert status == 503, html[-1000:]
            assert headers.get("Retry-After") and headers.get("Refresh")
            assert "All 1 review kernels are in use" in html and "tries again" in html
            assert "Hello from goalbook" not in html
            deadline = time.monotonic() + 60  # the first page is idle with its websocket open: culled
            while get(f"{server.url}api/kernels/{kernel_id}")[0] == 200:
                assert time.monotonic() < deadline, "the idle kernel with an open websocket was never culled"
                time.sleep(1)
        finally:
            ws.close()
        status, _, html = get(server.page_url("label.ipynb"))
        assert status == 200 and "Hello from goalbook" in html
    finally:
        stop_review(server)
