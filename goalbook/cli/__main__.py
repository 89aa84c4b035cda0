"""``python -m goalbook.cli``: the command line from an interpreter given by path (hub services, spawners)."""

from goalbook.cli import run

run()
