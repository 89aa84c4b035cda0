"""Keeping a person's layout in a round-trip (ruamel.yaml) document while the writer edits it.

Goals live in git and people review the diff of every save, so an edit must touch only its own
lines. Three things ruamel does not do by itself are done here:

- **Comments between entries stay with the entry they introduce.** ruamel hangs a comment block
  (``# --- Initiatives ---`` before the next section, a note between two check-ins) on the
  deepest last node before it, so anything appended there would land *below* the comment.
  :func:`hoist_comments` moves each such block to the end of the highest collection it closes,
  where later edits do not disturb it; :func:`rebuild`, :func:`insert_key` and :func:`drop_key`
  keep it in place when entries are added or removed around it.
- **A rewritten text keeps the user's quoting** (:func:`styled`), unless that style could not
  read back as the same text: then it is double-quoted.
- **A new entry looks like its neighbours** (:func:`like`): a block list of block mappings gets a
  block mapping, a list of one-line ``{...}`` items a one-line item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

_EOL = 2  # the slot in ``ca.items[key]`` of a mapping entry for what follows its value
_SEQ_EOL = 0  # the same for a sequence item
_SEQ_BEFORE = 1  # comment lines before a sequence item (ruamel puts them there for one-line items)


# --- where a comment block after an entry lives --------------------------------------------------
def is_block(node: Any) -> bool:
    """A non-empty block mapping or sequence: one that owns the lines it spans."""
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node) and node.fa.flow_style() is not True


def _split(value: str) -> tuple[str, str]:
    """A comment token's text as (the end of its own line, the lines after it)."""
    cut = value.find("\n")
    return (value, "") if cut < 0 else (value[:cut + 1], value[cut + 1:])


def _tokens_text(tokens: Iterable[Any]) -> str:
    return "".join(t.value if t.value.startswith("\n") else " " * t.column + t.value for t in tokens if t)


def _token(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def _end(node: Any) -> str:
    return _tokens_text(getattr(node.ca, "end", None) or ())


def _set_end(node: Any, text: str) -> None:
    if text:
        if node.ca.comment is None:  # ruamel writes ``end`` only when this is set
            node.ca.comment = [None, None]
        node.ca.end = [_token(text)]
    elif getattr(node.ca, "end", None):
        node.ca.end = []


def _slot_pos(parent: Any) -> int:
    return _EOL if isinstance(parent, dict) else _SEQ_EOL


def _slot_rest(slot: list | None, pos: int) -> str:
    token = slot[pos] if slot and len(slot) > pos else None
    return _split(token.value)[1] if token is not None else ""


def _with_slot_rest(slot: list | None, pos: int, text: str) -> list | None:
    """``slot`` (created when needed) saying ``text`` after the end of its entry's line."""
    token = slot[pos] if slot and len(slot) > pos else None
    if token is not None:
        eol = _split(token.value)[0]
        if text and not eol.endswith("\n"):  # the file ended on this comment
            eol += "\n"
        if text or eol.strip():
            token.value = eol + text
        else:
            slot[pos] = None  # type: ignore[index]
    elif text:
        slot = list(slot) if slot else []
        slot += [None] * (4 - len(slot))
        slot[pos] = _token("\n" + text)
    return slot


def trailer(parent: Any, key: Any) -> str:
    """The comment lines and blank lines after entry ``key`` of ``parent`` (before the next entry)."""
    value = parent[key]
    return _end(value) if is_block(value) else _slot_rest(parent.ca.items.get(key), _slot_pos(parent))


def set_trailer(parent: Any, key: Any, text: str) -> None:
    """Make ``text`` the lines after entry ``key`` of ``parent``."""
    value = parent[key]
    if is_block(value):
        _set_end(value, text)
        return
    slot = _with_slot_rest(parent.ca.items.get(key), _slot_pos(parent), text)
    if slot is not None:
        parent.ca.items[key] = slot


def _take_deep_tail(node: Any) -> str:
    """Detach the comment lines after the last line of ``node``, wherever ruamel hung them."""
    found: list[str] = []
    while isinstance(node, CommentedMap | CommentedSeq):
        here = ""
        last = None
        if node:
            key = next(reversed(node)) if isinstance(node, dict) else len(node) - 1
            last = node[key]
            slot = node.ca.items.get(key)
            pos = _slot_pos(node)
            token = slot[pos] if slot and len(slot) > pos else None
            if token is not None:
                eol, rest = _split(token.value)
                if rest:
                    if eol.strip():
                        token.value = eol
                    else:
                        slot[pos] = None
                    here = rest
        if getattr(node.ca, "end", None):
            here += _end(node)
            node.ca.end = []
        found.append(here)
        node = last
    return "".join(reversed(found))


def _leaders_to_trailers(seq: CommentedSeq) -> None:
    """Comment lines ruamel keeps *before* a one-line item become the lines after the item before it."""
    for n in range(1, len(seq)):
        slot = seq.ca.items.get(n)
        if slot and len(slot) > _SEQ_BEFORE and slot[_SEQ_BEFORE]:
            text = _tokens_text(slot[_SEQ_BEFORE])
            slot[_SEQ_BEFORE] = None
            set_trailer(seq, n - 1, trailer(seq, n - 1) + text)


def hoist_comments(doc: Any) -> None:
    """Give every comment block between entries one home: after the entry it follows, as high up
    as it can go (a section's closing comment at the end of that section, the file's last comment
    at the end of the file). Writing the document unchanged gives back the same text."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedSeq):
            _leaders_to_trailers(node)
        keys = list(node.keys()) if isinstance(node, dict) else range(len(node))
        last = len(keys) - 1
        for n, key in enumerate(keys):
            value = node[key]
            if not is_block(value):
                continue
            tail = _take_deep_tail(value)
            if node is doc and n == last:
                _set_end(doc, tail + _end(doc))
            else:
                _set_end(value, tail)
            stack.append(value)


# --- adding and removing entries without moving comments ---------------------------------------
def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _blank_prefix(text: str) -> tuple[str, str]:
    """(the blank lines a comment block starts with, the rest)."""
    lines = _lines(text)
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    return "".join(lines[:n]), "".join(lines[n:])


def _joined(before: str, after: str) -> str:
    """Two comment blocks that now follow each other; blank lines alone do not pile up."""
    if not after.strip():
        return before
    rest = _blank_prefix(after)[1]
    return before + (rest if before and not before.splitlines()[-1].strip() else after)


def insert_key(cm: CommentedMap, pos: int, key: str, value: Any) -> None:
    """Insert a new entry at ``pos``; a comment block before the next entry stays just above it."""
    prev = list(cm.keys())[pos - 1] if 0 < pos <= len(cm) else None
    carried = trailer(cm, prev) if prev is not None and pos < len(cm) else ""
    cm.insert(pos, key, value)
    if carried:
        blank, _ = _blank_prefix(carried)
        set_trailer(cm, prev, blank)
        set_trailer(cm, key, carried)


def drop_key(cm: CommentedMap, key: str) -> None:
    """Remove an entry; a comment block after it (about what follows) stays where it was."""
    keys = list(cm.keys())
    n = keys.index(key)
    carried = trailer(cm, key)
    cm.ca.items.pop(key, None)
    del cm[key]
    if carried.strip() and n > 0:
        prev = keys[n - 1]
        set_trailer(cm, prev, _joined(trailer(cm, prev), carried))


def rebuild(seq: CommentedSeq, steps: list[tuple[int | None, Any]], merge: Callable[[Any, Any], Any],
            make: Callable[[Any, Any], Any]) -> bool:
    """Turn ``seq`` into the entries ``steps`` say, in order: ``(i, obj)`` keeps item ``i`` merged with
    ``obj`` (``merge(node, obj)`` returns the node to keep), ``(i, None)`` drops item ``i``,
    ``(None, obj)`` adds ``make(obj, neighbour)``. Comments stay with the lines they belong to.
    Returns whether items were added or removed."""
    if len(steps) == len(seq) and all(i == n and obj is not None for n, (i, obj) in enumerate(steps)):
        for i, obj in steps:
            node = merge(seq[i], obj)
            if node is not seq[i]:
                seq[i] = node
        return False
    old_slots = dict(seq.ca.items)
    cells: list[list[Any]] = []  # [node, slot, new?]
    pending = ""  # comment lines of dropped leading items
    for i, obj in steps:
        if i is not None:
            slot = old_slots.get(i)
            node = seq[i]
            if obj is None:
                carried = _cell_trailer([node, slot])
                if cells:
                    prev = cells[-1]
                    _set_cell_trailer(prev, _joined(_cell_trailer(prev), carried))
                else:
                    pending = _joined(pending, carried)
                continue
            cells.append([merge(node, obj), slot, False])
        else:
            neighbour = cells[-1][0] if cells else (seq[0] if len(seq) else None)
            cells.append([make(obj, neighbour), None, True])
    last_old = max((n for n, c in enumerate(cells) if not c[2]), default=-1)
    for n, cell in enumerate(cells):
        if not cell[2] or n == 0:
            continue
        prev = cells[n - 1]
        blank, rest = _blank_prefix(_cell_trailer(prev))
        if not blank and n - 1 == last_old and n >= 2:  # appended after the old last: space like the others
            blank = _blank_prefix(_cell_trailer(cells[n - 2]))[0]
        _set_cell_trailer(prev, blank)
        _set_cell_trailer(cell, blank + rest if rest or n < len(cells) - 1 else "")
    if pending.strip() and cells:  # they were above the first item that is left
        slot = cells[0][1] = cells[0][1] or [None, None, None, None]
        slot[_SEQ_BEFORE] = [_token(_blank_prefix(pending)[1])]
    list.clear(seq)
    list.extend(seq, (c[0] for c in cells))
    seq.ca.items.clear()
    for n, cell in enumerate(cells):
        if cell[1] is not None and any(s is not None for s in cell[1]):
            seq.ca.items[n] = cell[1]
    return True


def _cell_trailer(cell: list[Any]) -> str:
    return _end(cell[0]) if is_block(cell[0]) else _slot_rest(cell[1], _SEQ_EOL)


def _set_cell_trailer(cell: list[Any], text: str) -> None:
    if is_block(cell[0]):
        _set_end(cell[0], text)
    else:
        cell[1] = _with_slot_rest(cell[1], _SEQ_EOL, text)


# --- how new and rewritten values look ----------------------------------------------------------
_NOT_IN_BLOCK = frozenset("\t\r\x85\u2028\u2029\ufeff")


def _block_safe(text: str) -> bool:
    """Whether ``|`` or ``>`` style writes ``text`` so that it reads back the same (conservatively:
    ruamel writes any text in the style it is asked for, even text that will not read back)."""
    if not text.strip() or text.startswith("\n") or text.endswith("\n\n"):
        return False
    for line in text.split("\n"):
        if line != line.strip(" ") or any(ch in _NOT_IN_BLOCK or not ch.isprintable() for ch in line):
            return False
    return True


def styled(new: str, old: Any) -> str:
    """``new`` in the quoting style the user wrote ``old`` in, when that style reads back as the same
    text; otherwise double-quoted. A plain old value gives a plain str: the writer's representer
    quotes it when YAML would read it as something else (see ``yaml_write``)."""
    style = getattr(old, "style", None) if isinstance(old, ScalarString) else None
    if not style:
        return new
    if style in "|>" and not _block_safe(new):
        return DoubleQuotedScalarString(new)
    return type(old)(new)


def like(node: Any, neighbour: Any) -> Any:
    """``node`` (a new mapping) written one-line or as a block, as its neighbour in the list is."""
    if isinstance(node, CommentedMap) and isinstance(neighbour, CommentedMap):
        if neighbour.fa.flow_style() is True:
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
    return node
