"""Atomic writes: a failure at any point leaves the previous files byte for byte as they were.

Each file is written to a temporary file beside it and flushed to disk; only when every file of a
save is written are they moved into place (``os.replace``, atomic on one file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_files(items: Iterable[tuple[Path, Callable[[str], None]]]) -> None:
    """For each ``(path, write)``, ``write(temp_path)`` fills a temporary file beside ``path``;
    when all are written and flushed, they replace their targets. On any failure the temporary
    files are removed and no target is touched."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, write in items:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
            os.close(fd)
            temps.append((tmp, path))
            write(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    for folder in {path.parent for _, path in temps}:
        _fsync_dir(folder)


def write_text(path: Path, text: str) -> None:
    """Write one text file (UTF-8, newlines as given) atomically."""
    write_files([(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline=""))])


def _fsync_dir(folder: Path) -> None:
    """Make the renames themselves durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
