"""``goalbook digest``: each owner's week, printed, e-mailed to a local SMTP server and posted to a local
webhook, both started by the test on the loopback interface."""

from __future__ import annotations

import email
import json
import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from goalbook.cli import main
from goalbook.digest import digests, to_markdown
from goalbook.examples import example_path, load_example

TODAY = "2027-02-26"


def test_each_owner_gets_what_is_late_what_to_check_in_and_what_to_decide():
    found = digests(load_example(), today=date(2027, 2, 26))
    ops = found["ops-lead"]
    assert [line.split(" ")[0] for line in ops.late] == ["OPS-1"]
    assert "0% chance of the target" in ops.late[0]
    assert [line.split(" ")[0] for line in found["cc-lead"].check_in] == ["CC-2"]
    assert found["cc-lead"].check_in[0].endswith("never checked in")
    assert [line.split(" ")[0] for line in found["coo"].decide] == ["DEP-OPS-1", "CC-2"]
    assert [line.split(" ")[0] for line in found["cdo"].decide] == ["CC-2"]  # an approver of Contact Centre
    assert "cc-lead" not in {o for o, d in found.items() if any(i.startswith("CC-2") for i in d.decide)}
    text = to_markdown(found["head-of-clinics"])
    assert text.startswith("# Your goals this week, head-of-clinics (2027-02-26)\n\n## Late\n\n- CO-2.KR1 ")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[tuple[list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"type": self.headers["Content-Type"], "json": json.loads(body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/goals", received
    server.shutdown()
    server.server_close()


def test_the_digest_is_printed_as_markdown_without_any_sending(capsys):
    assert main(["digest", str(example_path()), "--today", TODAY, "--owner", "cc-lead"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Your goals this week, cc-lead (2027-02-26)\n")
    assert "## Check in\n\n- CC-2 Cut average call handling time" in out


def test_the_digest_is_e_mailed_to_each_owner(smtp_server, capsys):
    controller, inbox = smtp_server
    assert main(["digest", str(example_path()), "--today", TODAY, "--smtp", f"127.0.0.1:{controller.port}",
                 "--from", "goals@northwind.example", "--domain", "northwind.example"]) == 0
    owners = sorted(digests(load_example(), today=date(2027, 2, 26)))
    assert sorted(r[0] for r, _ in inbox.messages) == sorted(f"{o}@northwind.example" for o in owners)
    mails = {r[0]: email.message_from_bytes(raw) for r, raw in inbox.messages}
    ops = mails["ops-lead@northwind.example"]
    assert ops["Subject"] == "Northwind Clinics: your goals for the week of 2027-02-22"
    assert ops["From"] == "goals@northwind.example"
    assert "OPS-1 Cut median waiting-room time" in ops.get_payload()
    assert "e-mailed ops-lead at ops-lead@northwind.example" in capsys.readouterr().out


def test_the_digest_is_posted_to_a_webhook(webhook):
    url, received = webhook
    assert main(["digest", str(example_path()), "--today", TODAY, "--owner", "coo", "--webhook", url]) == 0
    assert len(received) == 1 and received[0]["type"] == "application/json"
    assert received[0]["json"]["owner"] == "coo"
    assert "## Waiting for your decision\n\n- DEP-OPS-1" in received[0]["json"]["text"]


def test_a_failed_send_says_so_and_exits_1(capsys):
    port = free_port()  # nothing listens there
    assert main(["digest", str(example_path()), "--today", TODAY, "--smtp", f"127.0.0.1:{port}",
                 "--domain", "x.example"]) == 1
    assert f"goalbook digest: SMTP 127.0.0.1:{port}:" in capsys.readouterr().err
    assert main(["digest", str(example_path()), "--today", TODAY, "--smtp", f"127.0.0.1:{port}"]) == 1
    assert "give --domain" in capsys.readouterr().err
