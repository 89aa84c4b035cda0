"""What ``goalbook lint`` remembers between runs, so a run after one team's file changed is fast.

Goals as code often live in one ``goalbook.yaml`` and a file per team beside it; a commit usually
changes one of them. Reading and checking every file again is most of a run's time, so two things
are kept in the cache folder (``.goalbook_cache`` in the working folder by default, like ruff's
``.ruff_cache``; ``--cache-dir`` or ``$GOALBOOK_CACHE_DIR`` moves it, ``--no-cache`` skips it):

- **each file as read**: the goals, links and check-ins it holds (what :mod:`goalbook.io` makes of
  it), keyed by a hash of the file's bytes, its name and the fiscal year it was read with. Unchanged
  files are not parsed again; the goalbook is put together from the parts in the order
  :func:`goalbook.io.load_goalbook` reads them, and validated whole every time. Anything unusual —
  an ``include:``, a file that does not parse, any problem at all — goes the ordinary way, so every
  problem is still reported with its file and line;
- **each goal's SMART report**, keyed by everything :func:`goalbook.smart.check_smart` is given for
  it (its words and fields, the day, its links, its check-in history, and whether each id it links
  to exists). A goal whose inputs did not change, wherever they were written, gets its report back.

Entries are pickles, so each is signed (HMAC-SHA256) with a key kept in the user's own cache folder
(``$XDG_CACHE_HOME/goalbook/cache-key``, made on first use, readable by the user only): an entry
that does not verify — one that came with a cloned repository, say — is ignored, never unpickled.

Every set-level rule (alignment across files, near-duplicates, owners' load, links to goals that do
not exist...) runs on the whole goalbook every time, so book-wide findings stay right. Everything is
keyed by goalbook's version and a hash of its source (the rules, the SMART lexicon, the readers):
another goalbook never reads this cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable, Set
from pathlib import Path
from typing import Any

from goalbook import __version__
from goalbook.model import Goalbook

CACHE_DIR_ENV = "GOALBOOK_CACHE_DIR"
DEFAULT_DIR = ".goalbook_cache"
_SOURCE_SUFFIXES = (".py", ".txt", ".json", ".yaml", ".csv", ".md")
MAX_SHARDS = 8  # report files kept before they are folded into one
_SECTIONS = ("objectives", "smart_goals", "kpis", "initiatives", "links", "check_ins", "comments")


def source_hash() -> str:
    """A hash of goalbook's own source files: the rules, the SMART lexicon, the readers and the model."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:24]


def default_folder() -> Path:
    """``$GOALBOOK_CACHE_DIR``, else ``.goalbook_cache`` in the working folder."""
    return Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_DIR)


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "goalbook" / "cache-key"


def _secret() -> bytes | None:
    """The user's key that signs cache entries (made on first use); ``None`` when it cannot be had."""
    path = _key_file()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another run made it meanwhile
        return path.read_bytes()
    except OSError:
        return None


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


class LintCache:
    """One run's view of the cache folder: parts of files read before, SMART reports made before.

    Use :meth:`load_book` in place of :func:`goalbook.io.load_goalbook`, pass :meth:`checker` to
    :func:`goalbook.lint.lint_book`, and :meth:`save` at the end (only what this run used is kept,
    so the cache does not grow with every edit).
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(folder) if folder is not None else default_folder()
        self.folder = self.root / f"v{__version__}-{source_hash()}"
        self.parts_dir = self.folder / "files"
        self.secret = _secret()
        self._reports: dict[tuple, Any] | None = None
        self._used: dict[tuple, Any] = {}
        self._new: dict[tuple, Any] = {}
        self._shards: list[Path] = []
        self.hits = {"files": 0, "reports": 0}
        self.misses = {"files": 0, "reports": 0}

    # --- files ---------------------------------------------------------------------------------
    def load_book(self, files: list[str]) -> Goalbook | None:
        """The goalbook of ``files`` read through the cache, or ``None`` when it must be read the ordinary
        way (an ``include:``, a problem anywhere: :func:`~goalbook.io.load_goalbook` then says where)."""
        from goalbook.io import yaml_read

        raws = []
        for f in files:
            try:
                raws.append(Path(f).read_bytes())
            except OSError:
                return None
        firsts = [self._part(f, raw, 1) for f, raw in zip(files, raws, strict=True)]
        if any(p is None for p in firsts):
            return None
        order = sorted(range(len(files)), key=lambda i: 0 if "goalbook" in firsts[i]["keys"] else 1)
        main = order[0] if "goalbook" in firsts[order[0]]["keys"] else None
        if main is None or sum("goalbook" in p["keys"] for p in firsts) != 1:
            return None
        tops = [firsts[i]["top"] for i in order]
        docs = [yaml_read._Doc(files[i], Path(files[i])) for i in order]
        problems: list[Any] = []
        yaml_read._check_settings(docs, tops, problems)
        if problems:
            return None
        fys = tops[0].get("fiscal_year_start", 1)
        parts = [firsts[i] for i in order] if fys == 1 else [self._part(files[i], raws[i], fys) for i in order]
        if any(p is None for p in parts):
            return None
        lists: dict[str, list[Any]] = {name: [] for name in _SECTIONS}
        locations: dict[str, Any] = {}
        muted: set[Any] = set()
        for p in parts:
            for name in _SECTIONS:
                lists[name] += p[name]
            locations.update(p["locations"])
            muted |= p["muted"]
        book = Goalbook(organisation=tops[0].get("organisation", ""), fiscal_year_start=fys, locations=locations,
                        **lists)
        if any(p.severity == "error" and (p.entity, p.field) not in muted for p in book.validate()):
            return None
        book.sources = [files[i] for i in order]
        return book

    def _part(self, name: str, raw: bytes, fys: int) -> dict[str, Any] | None:
        """One file as read with fiscal year ``fys`` (the main file's; first guessed to be the usual 1),
        from the cache or read now; ``None`` when the file has anything to report."""
        key = _digest(raw, name.encode(), str(fys).encode())
        path = self.parts_dir / key[:2] / f"{key}.pickle"
        part = _read_signed(path, self.secret)
        if part is not None:
            self.hits["files"] += 1
            return part
        self.misses["files"] += 1
        part = _read_part(name, fys)
        if part is not None:
            _write_signed(path, part, self.secret)
        return part

    # --- SMART reports -------------------------------------------------------------------------
    def checker(self, check: Callable[..., Any]) -> Callable[..., Any]:
        """``check`` (:func:`goalbook.smart.check_smart`) answering from the cache for inputs seen before."""
        if self._reports is None:
            self._reports = {}
            self._shards = sorted(self.folder.glob("reports-*.pickle"))
            for shard in self._shards:
                self._reports.update(_read_signed(shard, self.secret) or {})
        reports = self._reports

        def cached(**args: Any) -> Any:
            key = _report_key(args)
            if key is None:
                return check(**args)
            report = reports.get(key)
            if report is None:
                self.misses["reports"] += 1
                report = self._new[key] = check(**args)
            else:
                self.hits["reports"] += 1
            self._used[key] = report
            return report

        return cached

    def save(self) -> None:
        """Keep the reports this run made, in a new shard beside the earlier ones; when shards pile up,
        rewrite them as one holding only what this run used (so the cache does not grow with every edit)."""
        if self._reports is None or not self._new:
            return
        if len(self._shards) >= MAX_SHARDS:
            name = f"reports-{secrets.token_hex(8)}.pickle"
            _write_signed(self.folder / name, self._used, self.secret)
            for shard in self._shards:
                shard.unlink(missing_ok=True)
        else:
            _write_signed(self.folder / f"reports-{secrets.token_hex(8)}.pickle", self._new, self.secret)


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


def _report_key(args: dict[str, Any]) -> tuple | None:
    """Everything a SMART report depends on (its arguments, lists as tuples); ``None`` when it names an id
    the goalbook lacks (its hint then draws on every id there is, so it is not kept)."""
    known = args.get("known_ids")
    aligned = args.get("aligned_to") or []
    if known is not None and (not isinstance(known, Set) or any(a not in known for a in aligned)):
        return None
    key = tuple(sorted((k, _frozen(v)) for k, v in args.items() if k != "known_ids"))
    try:
        hash(key)
    except TypeError:  # an argument that cannot be compared safely: not kept
        return None
    return (*key, known is None)


def _read_part(name: str, fys: int) -> dict[str, Any] | None:
    """Parse one file as :func:`goalbook.io.load_goalbook` does and keep what it holds."""
    from goalbook.io import yaml_read
    from goalbook.io._reader import Reader

    problems: list[Any] = []
    doc = yaml_read._Doc(name, Path(name))
    yaml_read._parse(doc, problems)
    if problems or not doc.ok or "include" in doc.data:
        return None
    top = yaml_read._top(doc, "goalbook" in doc.data, problems)
    if problems:
        return None
    part: dict[str, Any] = {"keys": set(doc.data), "top": top}
    reader = Reader(fys)
    reader.read_sections(doc.data, doc.name, doc.lines)
    if reader.problems:
        return None
    part.update(objectives=reader.objectives, smart_goals=reader.smart_goals, kpis=reader.kpis,
                initiatives=reader.initiatives, links=reader.links, check_ins=reader.check_ins,
                comments=reader.comments, locations=reader.locations, muted=reader.muted)
    return part


def _read_signed(path: Path, secret: bytes | None) -> Any:
    """A cache entry, only when its signature is this user's (else ``None``: it is not unpickled)."""
    if secret is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    mac, data = blob[:32], blob[32:]
    if not hmac.compare_digest(mac, hmac.new(secret, data, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None


def _write_signed(path: Path, value: Any, secret: bytes | None) -> None:
    if secret is None:
        return
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _write_atomic(path, hmac.new(secret, data, hashlib.sha256).digest() + data)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (two runs at once never see half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a cache that cannot be written is only slower
