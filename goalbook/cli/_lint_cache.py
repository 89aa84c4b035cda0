"""What ``goalbook lint`` remembers between runs, so a run after one team's file changed is fast.

Goals as code often live in one ``goalbook.yaml`` and a file per team beside it; a commit usually
changes one of them. Like ruff's cache, what was learned from each file is kept per file, keyed by a
hash of its bytes, its name and the fiscal year it was read with, in the cache folder
(``.goalbook_cache`` in the working folder by default; ``--cache-dir`` or ``$GOALBOOK_CACHE_DIR``
moves it, ``--no-cache`` skips it), under a folder named by goalbook's version and a hash of its
source (the rules, the SMART lexicon, the readers) and the Python version, so another goalbook never
reads it. Each file's entry is a small signed :mod:`marshal` document holding:

- **what the whole book needs from the file**: its goals with the fields the book-wide rules read
  (owners, teams, levels, periods, deadlines, the words near-duplicates are judged on), its links,
  where each goal is written, and its references to goals elsewhere (check-ins, comments,
  approvals), so the file is not parsed again while it is unchanged;
- **its own findings**: those each rule decides from the goal's own file (SMART, key results per
  objective, tasks posing as key results, missing fields, indicators, KPI thresholds, check-in
  confidence, staleness, numbers in objectives; see :data:`goalbook.lint.book.CHECKS`), kept with
  what they were made from besides the file: the day, the thresholds, the rules asked for, and the
  links and check-ins written in other files about the file's goals.

The book-wide rules (owners' load, alignment, periods across links, uncovered company key results,
objectives per team and period, KPIs per team, link loops, and the staleness of goals that may roll
up from contributors elsewhere) read only what each file's ``sd`` digest covers and the goals that
may roll up: their findings are kept per goalbook under a hash of all of it, and made again on the
whole book, put together from the entries, only when any of it changed. Near-duplicates also read
the words: they are judged on every run, comparing only the word sets new to a group with the others
(the pairs found last time are kept per group). The findings about one file's goals are finished
(sentences, file and line) together, and kept in its entry with a hash of what they were finished
from, so an unchanged file's are not finished again.

Anything unusual goes the ordinary way (:func:`goalbook.io.load_goalbook` and
:func:`goalbook.lint.lint_book`), so its findings are exactly a run without the cache: an
``include:``, a file that does not parse, any model problem (a link to a goal that does not exist,
an id used twice), a link loop while some goal's staleness hangs on roll-ups. An entry that cannot
be read or whose signature does not verify is ignored; entries are signed (HMAC-SHA256) with a key
kept in the user's own cache folder (``$XDG_CACHE_HOME/goalbook/cache-key``), so a cache folder
that came with a cloned repository is not trusted.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import marshal
import operator
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from goalbook import __version__
from goalbook.collector import collector_paused
from goalbook.lint.book import DUPLICATES, VALIDATION, book_findings, file_findings, finish, validation_findings
from goalbook.lint.checkins import rolled_up_maybe
from goalbook.lint.config import DEFAULT, LintConfig
from goalbook.lint.context import BookIndex
from goalbook.lint.duplicates import SIMILARITY, duplicates_in, groups_of, jaccard, similar_pairs
from goalbook.lint.findings import Finding, sort_key
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Goal,
    Goalbook,
    Initiative,
    KeyResult,
    Link,
    Objective,
    SmartGoal,
    is_external,
)
from goalbook.period import Period

CACHE_DIR_ENV = "GOALBOOK_CACHE_DIR"
DEFAULT_DIR = ".goalbook_cache"
FORMAT = 4  # of an entry; part of every key
_SOURCE_SUFFIXES = (".py", ".txt", ".json", ".yaml", ".csv", ".md")
FULL_JOIN = 32  # more new word sets than this in one group: join the group afresh
_SEP = "\x1f"  # between the words of a word set kept as one string (no word holds it)
# Model problems that name a goal in another file: one file alone cannot judge them (the book can)
_ACROSS = {("links", "link.source"), ("links", "link.target"), (None, "shared_with"), ("comments", "comment"),
           ("comments", "reply_to"), ("comments", "id"), ("approvals", "approval")}


@functools.lru_cache(maxsize=1)
def source_hash() -> str:
    """A hash of goalbook's own source files (the rules, the SMART lexicon, the readers and the model) and
    of the Python version (once per process: they do not change while it runs)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    h.update(sys.version.encode())  # cache files are marshal data, whose format is Python's own
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


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


class LintCache:
    """One run's view of the cache folder. :meth:`lint` stands in for loading and linting a goalbook
    of several files; it answers ``None`` when the ordinary way must be taken."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(folder) if folder is not None else default_folder()
        self.folder = self.root / f"v{__version__}-{source_hash()}"
        self.secret = _secret()
        self.parsed = 0  # files read from YAML this run
        self.relinted = 0  # files whose own findings were made afresh this run
        self.declined = 0  # goalbooks left to the ordinary way this run
        self.rebuilt = 0  # goalbooks put together to run the book-wide rules this run

    # --- the run ----------------------------------------------------------------------------------
    def lint(self, files: list[str], *, today: date, codes: set[str],
             config: LintConfig | None = None) -> list[Finding] | None:
        """Every finding about the goalbook of ``files``, as :func:`~goalbook.lint.lint_book` makes them
        for the loaded goalbook, or ``None`` when it must be loaded and linted the ordinary way."""
        try:
            with collector_paused():  # tens of thousands of findings and ids, no reference cycles
                found = self._lint(files, today, codes, config or DEFAULT)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            found = None  # an entry signed with this user's key but not of this shape: never trusted
        self.declined += found is None
        return found

    def _lint(self, files: list[str], today: date, codes: set[str], config: LintConfig) -> list[Finding] | None:
        book = self._entries(files)
        if book is None:
            return None
        names, entries, parts, keys, top = book
        fys = top.get("fiscal_year_start", 1)
        owner = _owners(entries)
        if owner is None or not _references_hold(entries, owner):
            return None  # a model problem: the ordinary load names it with file and line
        context = _digest(today.isoformat(), repr(config), ",".join(sorted(codes)), str(FORMAT))
        inputs = _foreign_inputs(entries, owner)
        all_ids: str | None = None
        rolled: set[str] = set()
        dirty: set[int] = set()  # entries to write back
        for n, entry in enumerate(entries):
            links, check_ins = inputs[n]
            ext = json.dumps([links, check_ins], separators=(",", ":")) if links or check_ins else ""
            if any(lk[1] not in owner for _, lk in links if lk is not None) or \
                    any(lk[1] not in owner for lk in entry["l"] if owner.get(lk[0]) == n):
                all_ids = all_ids or _digest("\n".join(sorted(owner)))
                ext += all_ids  # a link to another goalbook: the SMART hint draws on every id there is
            key = _digest(context, ext)
            local = entry.get("local")
            if not (isinstance(local, dict) and local.get("key") == key):
                part = parts[n] or self._read(names[n], fys)
                if part is None:
                    return None
                local = self._relint(part, n, inputs[n], entries, owner, today, codes, config, fys, top)
                if local is None:
                    return None
                local["key"] = key
                entry["local"] = local
                dirty.add(n)
            rolled.update(local["rolled"])
        state_path = self.folder / "books" / f"{_digest(*names)}.bin"
        state = self._read_blob(state_path)
        state = state if isinstance(state, dict) else {}
        made = self._book_wide(entries, top, fys, today, config, codes, rolled, context, state)
        if made is None:
            return None  # a roll-up around a loop: only the whole book can say what is stale
        out = self._finish(names, entries, owner, made, dirty)
        for n in dirty:
            self._write(self._entry_path(keys[n]), entries[n])
        self._write(state_path, state)
        return out

    def _finish(self, names: list[str], entries: list[dict], owner: dict[str, int],
                made: list[tuple[int, Finding]], dirty: set[int]) -> list[Finding]:
        """The findings as :func:`~goalbook.lint.book.finish` gives them, made file by file: the findings about
        one file's goals (whichever file's check made them) are finished together, and a file whose
        findings are those of last run (kept in its entry with what they were finished from) is not
        finished again."""
        buckets: list[list[tuple]] = [[] for _ in entries]
        rest: list[tuple] = []
        for entry in entries:
            for f in entry["local"]["found"]:
                m = owner.get(f[5]) if f[5] is not None else None
                (rest if m is None else buckets[m]).append(tuple(f))
        for place, f in made:
            m = owner.get(f.entity) if f.entity is not None else None
            (rest if m is None else buckets[m]).append((place, *_row(f)))
        order = _order(entries)
        done: list[tuple[str, list[Finding]]] = []
        for n, bucket in enumerate(buckets):
            if not bucket:
                continue
            bucket.sort(key=operator.itemgetter(0))  # stable: each goal's findings in the order lint_book makes them
            said = _digest(repr(bucket))
            kept = entries[n].get("out")
            if isinstance(kept, dict) and kept.get("from") == said:
                done.append((names[n], [Finding(*f) for f in kept["found"]]))
                continue
            at = entries[n]["at"]
            made_n = finish([Finding(*f[1:]) for f in bucket], {gid: (names[n], line) for gid, line in at.items()},
                            order)
            entries[n]["out"] = {"from": said, "found": [_row(f) for f in made_n]}
            dirty.add(n)
            done.append((names[n], made_n))
        if rest:
            rest.sort(key=operator.itemgetter(0))
            done.append(("", finish([Finding(*f[1:]) for f in rest], {}, order)))
        done.sort(key=lambda d: d[0] or "\uffff")  # the files in name order, what has no file last
        out = [f for _, fs in done for f in fs]
        if any(f.file != name for name, fs in done for f in fs):  # a finding with no line, or another file's
            out.sort(key=lambda f: sort_key(f, order))
        return out

    def _book_wide(self, entries: list[dict], top: dict, fys: int, today: date, config: LintConfig,
                   codes: set[str], rolled: set[str], context: str, state: dict) -> list[tuple[int, Finding]] | None:
        """The findings of the book-wide rules (:func:`~goalbook.lint.book.book_findings`); ``None`` when a
        roll-up runs around a loop. All but near-duplicates read only what each file's ``sd`` digest covers
        (its goals' ids, kinds, owners, teams, levels, periods, dates, values and links) and the goals each
        file says may roll up: while none of that changed, last run's findings are this run's (``state``
        keeps them under the digest of all of it) and the book is not put together at all. Near-duplicates
        (GB209) also read the words: they are judged afresh each run, group by group, from the groups kept
        with those findings and the word sets in the entries (:class:`_Pairs` keeps last run's pairs)."""
        key = _digest(context, json.dumps(top, sort_keys=True, default=str), str(fys), "\n".join(sorted(rolled)),
                      *(e["sd"] for e in entries))
        kept = state.get("book")
        if isinstance(kept, dict) and kept.get("key") == key:
            made = [(place, Finding(*f)) for place, *f in kept["found"]]
            groups: dict[str, list[list[str]]] = kept["groups"]
        else:
            self.rebuilt += 1
            ix = BookIndex.build(_skeleton(entries, top, fys), today, config)
            made = book_findings(ix, codes - {"GB209"}, rolled)
            if rolled and "GB215" in codes and _loops(ix, made, codes):
                return None
            groups = {"|".join(k): [[g.id, g.kind] for g in goals]
                      for k, goals in groups_of(ix).items() if len(goals) > 1}
            state["book"] = {"key": key, "found": [(place, *_row(f)) for place, f in made], "groups": groups}
        if "GB209" not in codes:
            return made
        tokens: dict[str, str] = {}
        for e in entries:
            tokens.update(e["w"])
        linked = _Linked(entries)
        last = state.get("pairs")
        pairs = _Pairs(last if isinstance(last, dict) else {})
        for name, members in groups.items():
            made += ((DUPLICATES, f) for f in duplicates_in(
                [(gid, kind) for gid, kind in members], [tokens.get(gid, "") for gid, _ in members],
                functools.partial(pairs, name), linked))
        state["pairs"] = pairs.kept
        return made

    # --- entries ----------------------------------------------------------------------------------
    def _entries(self, files: list[str]) -> tuple[list[str], list[dict], list[Any], list[str], dict] | None:
        """Each file's entry (read from the cache, else from the YAML file), the main file first."""
        from goalbook.io import yaml_read

        try:
            raws = [Path(f).read_bytes() for f in files]
        except OSError:
            return None
        got = [self._entry(f, raw, 1) for f, raw in zip(files, raws, strict=True)]
        if any(g is None for g in got):
            return None
        mains = [i for i, g in enumerate(got) if "goalbook" in g[0]["keys"]]  # type: ignore[index]
        if len(mains) != 1:
            return None
        order = [mains[0], *(i for i in range(len(files)) if i != mains[0])]
        tops = [got[i][0]["top"] for i in order]  # type: ignore[index]
        docs = [yaml_read._Doc(files[i], Path(files[i])) for i in order]
        problems: list[Any] = []
        yaml_read._check_settings(docs, tops, problems)
        if problems:
            return None
        fys = tops[0].get("fiscal_year_start", 1)
        if fys != 1:
            got = [self._entry(f, raw, fys) for f, raw in zip(files, raws, strict=True)]
            if any(g is None for g in got):
                return None
        names = [files[i] for i in order]
        return (names, [got[i][0] for i in order], [got[i][1] for i in order],  # type: ignore[index]
                [got[i][2] for i in order], tops[0])  # type: ignore[index]

    def _entry_path(self, key: str) -> Path:
        return self.folder / "files" / key[:2] / f"{key}.bin"

    def _entry(self, name: str, raw: bytes, fys: int) -> tuple[dict, Any, str] | None:
        """``(entry, part or None, key)`` of one file read with fiscal year ``fys``; ``None`` when the file
        has anything to report (the ordinary load then says what)."""
        key = _digest(raw, name, str(fys), str(FORMAT))
        entry = self._read_blob(self._entry_path(key))
        if entry is not None and _well_formed(entry):
            return entry, None, key
        part = self._read(name, fys)
        if part is None:
            return None
        return _summary(part, name), part, key  # written once its own findings are made

    def _read(self, name: str, fys: int) -> dict[str, Any] | None:
        self.parsed += 1
        return _read_part(name, fys)

    def _relint(self, part: dict[str, Any], n: int, inputs: tuple[list, list], entries: list[dict],
                owner: dict[str, int], today: date, codes: set[str], config: LintConfig, fys: int,
                top: dict) -> dict[str, Any] | None:
        """The file's own findings: the file as a goalbook of its own, with the links from its goals and
        the check-ins on them written elsewhere; ``None`` when it has a model problem."""
        self.relinted += 1
        links, check_ins = inputs
        mine = [lk for lk in part["links"] if owner.get(lk.source) == n]
        own_ins = [c for c in part["check_ins"] if owner.get(c.target_id) == n]
        book = Goalbook(organisation=top.get("organisation", ""), fiscal_year_start=fys,
                        objectives=part["objectives"], smart_goals=part["smart_goals"], kpis=part["kpis"],
                        initiatives=part["initiatives"], links=list(_merge(links, mine, lambda lk: Link(*lk))),
                        check_ins=list(_merge(check_ins, own_ins, _decode_check_in)), comments=part["comments"],
                        approvers=part["approvers"], approvals=part["approvals"], locations=part["locations"])
        problems = book.validate()
        if any(p.severity == "error" and (p.path[0] if p.path else None, p.field) not in _ACROSS for p in problems):
            return None
        found: list[tuple[int, Finding]] = []
        if "GB001" in codes:
            found += ((VALIDATION, f) for f in validation_findings((p for p in problems if p.severity != "error"),
                                                                  codes))
        ix = BookIndex.build(book, today, config)
        ix.known_ids = owner.keys()
        found += file_findings(ix, codes)
        rolled = sorted(rolled_up_maybe(ix)) if "GB215" in codes else []
        return {"found": [(place, *_row(f)) for place, f in found], "rolled": rolled}

    # --- files on disk ----------------------------------------------------------------------------
    def _read_blob(self, path: Path) -> Any:
        """A cache file, only when its signature is this user's (else ``None``). Cache files are
        :mod:`marshal` data (several times quicker to read than JSON); only what this user's goalbook
        signed is ever unmarshalled, and the folder is named by the Python version that wrote it."""
        if self.secret is None:
            return None
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        mac, data = blob[:32], blob[32:]
        if not hmac.compare_digest(mac, hmac.new(self.secret, data, hashlib.sha256).digest()):
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def _write(self, path: Path, value: Any) -> None:
        if self.secret is None:
            return
        data = marshal.dumps(value)
        _write_atomic(path, hmac.new(self.secret, data, hashlib.sha256).digest() + data)


def _row(f: Finding) -> tuple:
    """A finding's fields as a tuple (what ``dataclasses.astuple`` gives, without its deep copies)."""
    return (f.code, f.severity, f.message, f.suggestion, f.entity, f.field, f.file, f.line)


# --- one file: read, summed up ----------------------------------------------------------------------
def _read_part(name: str, fys: int) -> dict[str, Any] | None:
    """Parse one file as :func:`goalbook.io.load_goalbook` does and keep what it holds; ``None`` when
    anything in it is a problem or it includes other files."""
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
    reader = Reader(fys)
    reader.read_sections(doc.data, doc.name, doc.lines)
    if reader.problems:
        return None
    return {"keys": list(doc.data), "top": top, "objectives": reader.objectives, "smart_goals": reader.smart_goals,
            "kpis": reader.kpis, "initiatives": reader.initiatives, "links": reader.links,
            "check_ins": reader.check_ins, "comments": reader.comments, "approvals": reader.approvals,
            "approvers": reader.approvers, "locations": reader.locations}


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _period(p: Period | None) -> list[str] | None:
    return [p.name, p.start.isoformat(), p.end.isoformat()] if p is not None else None


def _link(lk: Link) -> list[Any]:
    return [lk.source, lk.target, lk.kind, lk.weight]


def _check_in(c: CheckIn) -> list[Any]:
    return [c.target_id, c.date.isoformat(), c.value, c.confidence, c.status, c.wins, c.blockers, c.author]


def _summary(part: dict[str, Any], name: str) -> dict[str, Any]:
    """What the whole book needs from one file (module docstring), as plain JSON data."""
    from goalbook.lint.context import text_of
    from goalbook.lint.duplicates import words

    goals: list[Goal] = [*part["objectives"], *(kr for o in part["objectives"] for kr in o.key_results),
                         *part["smart_goals"], *part["kpis"]]
    ids = {g.id for g in goals} | {i.id for i in part["initiatives"]}
    entry = {
        "keys": part["keys"], "top": part["top"],
        "o": [[o.id, o.level, o.owner, o.team, _period(o.period), o.driver,
               [[kr.id, kr.owner, _day(kr.deadline), kr.direction, kr.current, kr.grade,
                 [[cp.name, cp.done] for cp in kr.checkpoints], kr.weight, _day(kr.dropped)] for kr in o.key_results]]
              for o in part["objectives"]],
        "g": [[g.id, g.level, g.owner, _period(g.period), _day(g.deadline), g.direction, g.current]
              for g in part["smart_goals"]],
        "k": [[k.id, k.team] for k in part["kpis"]],
        "i": [[i.id, i.status, _day(i.end)] for i in part["initiatives"]],
        "l": [_link(lk) for lk in part["links"]],
        "w": {g.id: _SEP.join(sorted(words(text_of(g)))) for g in goals},
        "at": {gid: line for gid, (file, line) in part["locations"].items() if file == name},
        "ci": [_check_in(c) for c in part["check_ins"] if c.target_id not in ids],
        "cm": [[c.target_id, c.id, c.reply_to] for c in part["comments"]],
        "ap": [a.target_id for a in part["approvals"]],
        "sw": [[kr.id, o.id, kr.shared_with] for o in part["objectives"] for kr in o.key_results
               if kr.shared_with is not None],
    }
    # what the book-wide rules but near-duplicates read from the file (LintCache._book_wide)
    entry["sd"] = _digest(json.dumps([entry[k] for k in ("o", "g", "k", "i", "l")], separators=(",", ":")))
    return entry


def _well_formed(entry: Any) -> bool:
    return isinstance(entry, dict) and all(k in entry for k in ("keys", "top", "o", "g", "k", "i", "l", "w", "at",
                                                                 "ci", "cm", "ap", "sw", "sd"))


# --- the book from the entries --------------------------------------------------------------------------------
def _ids(entry: dict) -> Iterator[str]:
    for o in entry["o"]:
        yield o[0]
        yield from (kr[0] for kr in o[6])
    for section in ("g", "k", "i"):
        yield from (x[0] for x in entry[section])


def _owners(entries: list[dict]) -> dict[str, int] | None:
    """Which file holds each id; ``None`` when an id is written twice."""
    owner: dict[str, int] = {}
    total = 0
    for n, e in enumerate(entries):
        for gid in _ids(e):
            owner[gid] = n
            total += 1
    return owner if len(owner) == total else None


def _references_hold(entries: list[dict], owner: dict[str, int]) -> bool:
    """True when every id one file names in another exists (the rest of the model's checks are each file's)."""
    objectives = {o[0] for e in entries for o in e["o"]}
    comment_ids: set[str] = set()
    for e in entries:
        for s, t, *_ in e["l"]:
            if s not in owner or s == t or not (t in owner or is_external(t)):
                return False
        if any(c[0] not in owner for c in e["ci"]) or any(t not in owner for t in e["ap"]):
            return False
        for _kr, o, other in e["sw"]:
            if not is_external(other) and (other not in objectives or other == o):
                return False
        for target, cid, reply_to in e["cm"]:
            if target not in owner or (reply_to is not None and reply_to not in comment_ids) or cid in comment_ids:
                return False
            if cid is not None:
                comment_ids.add(cid)
    return True


def _foreign_inputs(entries: list[dict], owner: dict[str, int]) -> list[tuple[list, list]]:
    """Per file: the links from its goals and the check-ins on them written in other files, in book order,
    with ``[before, None]`` standing for the file's own (so their place among them is known)."""
    links: list[list] = [[] for _ in entries]
    check_ins: list[list] = [[] for _ in entries]
    for n, e in enumerate(entries):
        for lk in e["l"]:
            m = owner[lk[0]]
            if m != n:
                links[m].append([n < m, lk])
        for c in e["ci"]:
            check_ins[owner[c[0]]].append([n < owner[c[0]], c])
    return [(_with_own(ls), _with_own(cs)) for ls, cs in zip(links, check_ins, strict=True)]


def _with_own(items: list[list]) -> list[list]:
    if not items:
        return []
    before = [x for x in items if x[0]]
    return [*before, [True, None], *(x for x in items if not x[0])]


def _merge(foreign: list[list], own: list[Any], decode: Callable[[list], Any]) -> Iterator[Any]:
    """The file's own items at their place among those written elsewhere (``_foreign_inputs``)."""
    if not foreign:
        yield from own
        return
    for _, item in foreign:
        if item is None:
            yield from own
        else:
            yield decode(item)


def _decode_check_in(item: list) -> CheckIn:
    return CheckIn(item[0], date.fromisoformat(item[1]), *item[2:])


class _Decoder:
    """Plain data back into the model's objects, each day and period made once."""

    def __init__(self) -> None:
        self.days: dict[str, date] = {}
        self.periods: dict[tuple, Period] = {}

    def day(self, text: str | None) -> date | None:
        if text is None:
            return None
        d = self.days.get(text)
        if d is None:
            d = self.days[text] = date.fromisoformat(text)
        return d

    def period(self, p: list[str] | None) -> Period | None:
        if p is None:
            return None
        key = tuple(p)
        got = self.periods.get(key)
        if got is None:
            got = self.periods[key] = Period(p[0], self.day(p[1]), self.day(p[2]))  # type: ignore[arg-type]
        return got


def _skeleton(entries: list[dict], top: dict, fys: int) -> Goalbook:
    """The whole book with what the book-wide rules read (:func:`_summary`), in the order it loads: no
    words (near-duplicates read the word sets kept beside them), no check-ins."""
    dec = _Decoder()
    objectives, goals, kpis, initiatives, links = [], [], [], [], []
    for e in entries:
        for oid, level, owner, team, period, driver, krs in e["o"]:
            objectives.append(Objective(oid, "", level=level, owner=owner, team=team, period=dec.period(period),
                                        driver=driver, key_results=[
                KeyResult(kid, "", owner=kowner, deadline=dec.day(deadline), direction=direction,
                          current=current, grade=grade, checkpoints=[Checkpoint(*cp) for cp in cps], weight=weight,
                          dropped=dec.day(dropped))
                for kid, kowner, deadline, direction, current, grade, cps, weight, dropped in krs]))
        goals += (SmartGoal(gid, "", level=level, owner=owner, period=dec.period(period), deadline=dec.day(deadline),
                            direction=direction, current=current)
                  for gid, level, owner, period, deadline, direction, current in e["g"])
        kpis += (KPI(kid, "", team=team) for kid, team in e["k"])
        initiatives += (Initiative(iid, "", status=status, end=dec.day(end)) for iid, status, end in e["i"])
        links += (Link(*lk) for lk in e["l"])
    return Goalbook(organisation=top.get("organisation", ""), fiscal_year_start=fys, objectives=objectives,
                    smart_goals=goals, kpis=kpis, initiatives=initiatives, links=links)


def _order(entries: list[dict]) -> dict[str, int]:
    """Each goal's place in the book (:attr:`BookIndex.order`: objectives with their key results, then
    goals, KPIs and initiatives, each kind in file order), from the entries."""
    ids = [gid for e in entries for o in e["o"] for gid in (o[0], *(kr[0] for kr in o[6]))]
    for section in ("g", "k", "i"):
        ids += (x[0] for e in entries for x in e[section])
    return {gid: n for n, gid in enumerate(ids)}


def _loops(ix: BookIndex, made: list[tuple[int, Finding]], codes: set[str]) -> bool:
    from goalbook.lint.links import check_loops

    if "GB220" in codes:
        return any(f.code == "GB220" for _, f in made)
    return next(iter(check_loops(ix)), None) is not None


class _Linked:
    """Whether a link joins two goals either way (GB209 says so), from the links in the entries, read once
    the first time it is asked."""

    def __init__(self, entries: list[dict]) -> None:
        self.entries = entries
        self.pairs: set[tuple[str, str]] | None = None

    def __call__(self, a: str, b: str) -> bool:
        if self.pairs is None:
            self.pairs = {(lk[0], lk[1]) for e in self.entries for lk in e["l"]}
        return (a, b) in self.pairs or (b, a) in self.pairs


class _Pairs:
    """GB209's join of word sets, group by group, that reuses last run's: a group's word sets seen last run
    were all joined then, so their pairs are kept; only sets new to the group are compared, with every
    set of it (so the join stays exact). A word set is its sorted words joined by ``_SEP`` (as the
    entries keep them). ``kept`` is what the next run reads: per group, its sets and their pairs (as
    positions in that list, with their similarity)."""

    def __init__(self, last: dict[str, Any]) -> None:
        self.last = last
        self.kept: dict[str, dict[str, list]] = {}

    def __call__(self, name: str, tokens: list[str]) -> list[tuple[int, int, float]]:
        last = self.last.get(name)
        pairs = None
        if isinstance(last, dict) and isinstance(last.get("sets"), list) and isinstance(last.get("pairs"), list):
            pairs = _extend(tokens, last["sets"], last["pairs"])
        if pairs is None:
            pairs = list(similar_pairs([frozenset(t.split(_SEP)) for t in tokens]))
        self.kept[name] = {"sets": tokens, "pairs": [[i, j, sim] for i, j, sim in pairs]}
        return pairs


def _extend(tokens: list[str], seen: list[str], known: list[list]) -> list[tuple[int, int, float]] | None:
    """Every pair of ``tokens`` whose word sets have Jaccard >= :data:`SIMILARITY`, given last run's sets of
    the group (``seen``) and their pairs (``known``); ``None`` when so many sets are new that a join is
    quicker."""
    at = {t: i for i, t in enumerate(tokens)}
    was = [at.get(t) for t in seen]  # last run's positions -> this run's
    old = set(seen)
    new = [i for i, t in enumerate(tokens) if t not in old]
    if len(new) > FULL_JOIN:
        return None
    pairs = []
    for a, b, sim in known:  # the same two sets as last run: the same similarity
        i, j = was[a], was[b]
        if i is not None and j is not None:
            pairs.append((min(i, j), max(i, j), float(sim)))
    if not new:
        return pairs
    low = SIMILARITY - 1e-9  # the tolerance similar_pairs allows
    sizes = [t.count(_SEP) + 1 for t in tokens]
    fresh = set(new)
    for i in new:
        x = frozenset(tokens[i].split(_SEP))
        n = len(x)
        for j, m in enumerate(sizes):
            if j == i or (j in fresh and j < i) or m < low * n or n < low * m:
                continue  # Jaccard is at most the smaller size over the larger
            sim = jaccard(x, tokens[j].split(_SEP))
            if sim >= low:
                pairs.append((min(i, j), max(i, j), sim))
    return pairs


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
