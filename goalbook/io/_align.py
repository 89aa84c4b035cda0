"""Pairing a list as a file has it with the same list as the model has it now, for minimal diffs.

A save must change only the lines of what changed: a check-in appended is one added line at the
end of its list, a check-in whose date was corrected is that one line changed where it stands, a
key result added in the middle goes in the middle. :func:`align` finds the fewest changes between
the two lists (``difflib``'s longest matching blocks) and says, in the order the list is written,
which file item stays for which model item, which goes and where each new one comes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher
from typing import Any


def align(old: Sequence[Hashable], new: Sequence[Any], new_keys: Sequence[Hashable], *,
          pair_changed: bool = True) -> list[tuple[int | None, Any]]:
    """Steps that turn the file's list (``old``: one key per item) into the model's (``new`` with
    ``new_keys``): ``(i, obj)`` item ``i`` stays, merged with ``obj``; ``(i, None)`` item ``i`` goes;
    ``(None, obj)`` ``obj`` is added there. Items whose key matches no one stay in order; with
    ``pair_changed``, an item that changed its key in place (a corrected date) is paired with the
    one that took its place, so it is rewritten where it stands rather than moved."""
    if list(old) == list(new_keys):
        return list(enumerate(new))
    steps: list[tuple[int | None, Any]] = []
    matcher = SequenceMatcher(None, list(old), list(new_keys), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps.extend((i1 + k, new[j1 + k]) for k in range(i2 - i1))
            continue
        paired = min(i2 - i1, j2 - j1) if pair_changed and tag == "replace" else 0
        steps.extend((i1 + k, new[j1 + k]) for k in range(paired))
        steps.extend((i, None) for i in range(i1 + paired, i2))
        steps.extend((None, new[j]) for j in range(j1 + paired, j2))
    return steps
