"""``goalbook digest PATH_OR_STORE [--today D] [--owner O] [--format md|email] [--smtp HOST:PORT --from ADDR
--domain DOMAIN] [--webhook URL]``: each owner's week (see :mod:`goalbook.digest`).

Without ``--smtp`` or ``--webhook`` the digests are printed (Markdown, or the e-mails as text). With
``--smtp`` each is sent to ``OWNER@DOMAIN`` (an owner written as an address is used as it is); with
``--webhook`` each is POSTed as JSON ``{"owner": ..., "text": markdown}`` (the ``text`` field chat tools
read). Sending is optional; nothing else needs it.
"""

from __future__ import annotations

import argparse
import json
import smtplib
import sys
import urllib.request
from datetime import date
from typing import Any

from goalbook.cli._args import iso_date
from goalbook.errors import GoalbookError

TIMEOUT_S = 15


def register(subparsers: Any) -> None:
    """Add the ``digest`` command."""
    p = subparsers.add_parser("digest", help="each owner's week: what is late, what to check in, what to decide")
    p.add_argument("source", metavar="PATH_OR_STORE", help="a goalbook YAML file or folder, a store file or URL")
    p.add_argument("--today", type=iso_date, default=None, help="the day (YYYY-MM-DD; default today)")
    p.add_argument("--owner", default=None, help="only this owner's digest")
    p.add_argument("--format", choices=("md", "email"), default="md", help="how to print (default md)")
    p.add_argument("--smtp", default=None, metavar="HOST:PORT", help="send each digest by e-mail through this server")
    p.add_argument("--from", dest="sender", default="goalbook@localhost", help="the sender's address")
    p.add_argument("--domain", default=None, help="owners' e-mail domain: OWNER@DOMAIN")
    p.add_argument("--webhook", default=None, metavar="URL", help="POST each digest as JSON to this URL")
    p.set_defaults(func=run)


def _address(owner: str, domain: str | None) -> str:
    if "@" in owner:
        return owner
    if not domain:
        raise GoalbookError(f"owner {owner} has no e-mail address: give --domain so it is {owner}@DOMAIN")
    return f"{owner}@{domain}"


def run(args: argparse.Namespace) -> int:
    """Print or send every owner's digest; exit 0 (1 when a send fails, naming which)."""
    from goalbook.cli._source import read_book
    from goalbook.digest import digests, to_email, to_markdown

    book = read_book(args.source)
    found = digests(book, today=args.today or date.today())
    if args.owner is not None:
        found = {k: v for k, v in found.items() if k == args.owner}
    def mail(owner: str) -> Any:
        to = _address(owner, args.domain) if args.smtp or args.domain else owner
        return to_email(found[owner], sender=args.sender, recipient=to, organisation=book.organisation)

    mails = {o: mail(o) for o in found} if args.smtp or args.format == "email" else {}
    if not args.smtp and not args.webhook:
        for owner, d in found.items():
            print(mails[owner].as_string() if args.format == "email" else to_markdown(d))
        return 0
    failed = []
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        try:
            with smtplib.SMTP(host or "localhost", int(port or 25), timeout=TIMEOUT_S) as smtp:
                for owner, msg in mails.items():
                    smtp.send_message(msg)
                    print(f"e-mailed {owner} at {msg['To']}")
        except (OSError, smtplib.SMTPException) as exc:
            failed.append(f"SMTP {args.smtp}: {exc}")
    if args.webhook:
        for owner, d in found.items():
            body = json.dumps({"owner": owner, "text": to_markdown(d)}).encode()
            req = urllib.request.Request(args.webhook, body, {"Content-Type": "application/json"}, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                    resp.read()
                print(f"posted {owner}'s digest to the webhook")
            except OSError as exc:
                failed.append(f"webhook for {owner}: {exc}")
    for f in failed:
        print(f"goalbook digest: {f}", file=sys.stderr)
    return 1 if failed else 0
