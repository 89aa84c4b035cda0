"""Comments and approvals from the command line, on a YAML goalbook or a store (rules in
:mod:`goalbook.approvals`):

``goalbook comment SOURCE ID TEXT --as NAME [--reply-to C-1]``,
``goalbook request-review SOURCE ID --as NAME``, ``goalbook approve SOURCE ID --as NAME``,
``goalbook request-changes SOURCE ID --as NAME --reason TEXT``, ``goalbook promote SOURCE ID --as NAME``
(a candidate initiative to approved) and ``goalbook thread SOURCE ID`` (the comments and the approval
history, read-only). A refused step exits 1 and changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _common(p: argparse.ArgumentParser, *, acting: bool = True) -> None:
    p.add_argument("source", metavar="PATH_OR_STORE", help="a goalbook YAML file, a store file or URL")
    p.add_argument("id", help="the goal's id")
    if acting:
        p.add_argument("--as", dest="who", default=None, metavar="NAME",
                       help="who is acting (default: you, as goalbook.identity finds you: $JUPYTERHUB_USER, "
                            "$GOALBOOK_AUTHOR, git's user.name); a store records it as the store's author")


def register(subparsers: Any) -> None:
    """Add ``comment``, ``request-review``, ``approve``, ``request-changes``, ``promote`` and ``thread``."""
    p = subparsers.add_parser("comment", help="comment on a goal, or reply to a comment")
    _common(p)
    p.add_argument("text", help="the comment")
    p.add_argument("--reply-to", default=None, metavar="COMMENT_ID", help="the id of the comment this answers")
    p.set_defaults(func=run, action="comment")
    for name, helptext in (("request-review", "ask for a goal to be approved"),
                           ("approve", "approve a goal in review (an approver, not its owner)"),
                           ("request-changes", "send a goal in review back, saying why"),
                           ("promote", "promote a candidate initiative to approved")):
        p = subparsers.add_parser(name, help=helptext)
        _common(p)
        if name == "request-changes":
            p.add_argument("--reason", required=True, help="what should change")
        p.set_defaults(func=run, action=name.replace("-", "_"))
    p = subparsers.add_parser("thread", help="a goal's comments and approval history")
    _common(p, acting=False)
    p.set_defaults(func=show)


def _flow(source: str, who: str | None) -> tuple[Any, Any]:
    from goalbook.approvals import Flow
    from goalbook.cli._source import is_store, open_store

    if is_store(source):
        store = open_store(source, who)
        return Flow(store=store), store
    from goalbook.io import load_goalbook

    return Flow(load_goalbook(source), path=source), None


def run(args: argparse.Namespace) -> int:
    """Apply one step; print what was recorded; exit 1 when the rules refuse it."""
    from goalbook.approvals import RefusedError

    flow, store = _flow(args.source, args.who)
    try:
        if args.action == "comment":
            c = flow.comment(args.id, args.text, args.who, args.reply_to)
            print(f"{c.id}: comment by {c.author} on {args.id} recorded")
        elif args.action == "promote":
            i = flow.promote(args.id, args.who)
            print(f"{i.id} promoted to approved by {i.approved_by} on {i.approved_on}")
        else:
            step = flow.step(args.id, args.action, args.who, getattr(args, "reason", None))
            print(f"{args.id} is now {step.state.replace('_', ' ')} ({step.by}, {step.at:%Y-%m-%d %H:%M})")
    except RefusedError as exc:
        print(f"goalbook {args.command}: refused: {exc}", file=sys.stderr)
        return 1
    finally:
        if store is not None:
            store.close()
    return 0


def _line(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "").strip()


def show(args: argparse.Namespace) -> int:
    """Print a goal's approval state and history and its comment threads."""
    from goalbook.approvals import history, thread
    from goalbook.cli._source import read_book

    book = read_book(args.source)
    g = book.get(args.id)
    state = getattr(g, "approval", None) or getattr(g, "status", "")
    print(f"{g.id} {_line(g.title)} — {state.replace('_', ' ')}")
    for a in history(book, g.id):
        why = f": {_line(a.reason)}" if a.reason else ""
        when = f"{a.at:%Y-%m-%d %H:%M}" if a.at else "?"
        print(f"  {when}  {_line(a.by) or '?'} → {a.state.replace('_', ' ')}{why}")
    items = thread(book, g.id)
    if items:
        print("Comments:")
    for t in items:
        c = t.comment
        when = f"{c.at:%Y-%m-%d %H:%M}" if c.at else "?"
        print(f"  {'  ' * t.depth}{c.id or '-'} {_line(c.author) or '?'} ({when}): {_line(c.text)}")
    return 0
