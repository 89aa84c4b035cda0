"""``python -m benchmarks [NAME...]``: run every ``bench_*`` module (or the named ones) and print
one table. Each module exposes ``run() -> list[Figure]``. Exits 1 when a figure misses its target,
so a regression is visible, but benchmarks never run as timed tests."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks._harness import format_table


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    figures = []
    for name in names:
        print(f"# {name} ...", file=sys.stderr, flush=True)
        figures += importlib.import_module(f"benchmarks.{name}").run()
    print(format_table(figures))
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
