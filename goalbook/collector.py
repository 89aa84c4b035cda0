"""Pausing Python's cycle collector around bulk work: one helper for loading, linting, building the
alignment graph and importing into a store."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for a bulk computation that makes no reference cycles.

    Building a goalbook, its graph or its findings creates hundreds of thousands of short-lived
    tuples, lists and objects; left running, the collector rescans them dozens of times for nothing
    (more than doubling the time of a large load). It runs again, once, when the block ends, and is
    left alone if it was already off.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
