"""goalbook's KPI library: common health metrics with their definitions, formulas and public sources.

The catalogue lives in ``library.yaml`` beside this module (package data, read once). Each entry
says what the metric is, how it is computed, its unit, which way is good, whether it leads or lags
and how often it is usually measured, and cites a public page defining it.

Three uses, all pure:

- :func:`search` ranks entries for a few words typed by a person (``goalbook kpi search``, the
  picker in the editors);
- :func:`recognise` finds the library metrics a goal's own words name ("average handling time"
  is :data:`average_handle_time`), so link suggestions can match a goal to the key result it
  serves even when they share few words;
- :func:`metric_names` lists every name and synonym, for checkers that only need to know a phrase
  is a metric.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from goalbook.errors import GoalbookError

DOMAINS = ("sales", "marketing", "customer success", "product", "engineering", "finance", "people",
           "operations", "healthcare", "education", "public sector")
CADENCES = ("daily", "weekly", "biweekly", "monthly", "quarterly")  # the KPI frequencies goalbook knows
_REQUIRED = ("id", "name", "domain", "definition", "formula", "unit", "direction", "indicator", "cadence", "source")


@dataclass(frozen=True, slots=True)
class LibraryKPI:
    """One metric of the library, as a facilitator reads it before adopting it."""

    id: str
    name: str
    domain: str
    definition: str
    formula: str
    unit: str
    direction: str  # increase | decrease: which way is good
    indicator: str  # leading | lagging
    cadence: str
    source: str  # a public URL defining the metric
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # ids of metrics that commonly drive it or that it drives

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every synonym."""
        return (self.name, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Match:
    """A library metric found for a search, with how well it matched and on which words."""

    kpi: LibraryKPI
    score: float
    matched: tuple[str, ...]  # the query words it matched


def _entry(raw: object, n: int) -> LibraryKPI:
    """One validated entry; a broken library is a bug in goalbook, said with the entry named."""
    where = f"goalbook/kpi/library.yaml: entry {n + 1}"
    if not isinstance(raw, dict):
        raise GoalbookError(f"{where} is not a mapping")
    missing = [k for k in _REQUIRED if not str(raw.get(k) or "").strip()]
    if missing:
        raise GoalbookError(f"{where} ({raw.get('id')}): missing {', '.join(missing)}")
    checks = (("domain", DOMAINS), ("direction", ("increase", "decrease")), ("indicator", ("leading", "lagging")),
              ("cadence", CADENCES))
    for key, allowed in checks:
        if raw[key] not in allowed:
            raise GoalbookError(f"{where} ({raw['id']}): {key} '{raw[key]}' is not one of {', '.join(allowed)}")
    if not str(raw["source"]).startswith(("https://", "http://")):
        raise GoalbookError(f"{where} ({raw['id']}): source must be a public URL")
    return LibraryKPI(**{k: str(raw[k]) for k in _REQUIRED},
                      synonyms=tuple(str(s) for s in raw.get("synonyms") or ()),
                      related=tuple(str(s) for s in raw.get("related") or ()))


@functools.cache
def library() -> tuple[LibraryKPI, ...]:
    """Every metric of the library, in catalogue order (grouped by domain)."""
    text = resources.files(__package__).joinpath("library.yaml").read_text(encoding="utf-8")
    entries = tuple(_entry(raw, n) for n, raw in enumerate(yaml.safe_load(text)["kpis"]))
    ids = [e.id for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    unknown = sorted({r for e in entries for r in e.related if r not in ids})
    if dupes or unknown:
        raise GoalbookError(f"goalbook/kpi/library.yaml: duplicate ids {dupes}, unknown related ids {unknown}")
    return entries


def get(kpi_id: str) -> LibraryKPI:
    """The library metric with this id (or exactly this name or synonym, e.g. ``NPS``); ``KeyError`` naming
    the closest id when there is none."""
    from goalbook.model import did_you_mean

    for e in library():
        if e.id == kpi_id:
            return e
    wanted = kpi_id.strip().lower()
    for e in library():
        if any(n.lower() == wanted for n in e.names):
            return e
    raise KeyError(f"no KPI '{kpi_id}' in the library{did_you_mean(kpi_id, [e.id for e in library()])}")


def metric_names() -> tuple[str, ...]:
    """Every name and synonym in the library, lower case, longest first (so a checker that scans a
    statement tries "average handle time" before "handle time")."""
    names = {n.lower() for e in library() for n in e.names}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _stems(text: str) -> tuple[str, ...]:
    from goalbook.linking import words

    return tuple(s for s, _ in words(text))


@functools.cache
def _phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(stems of a name or synonym, KPI id), longest phrases first; phrases of stop words only are dropped."""
    out = {(_stems(n), e.id) for e in library() for n in e.names}
    return tuple(sorted(((p, i) for p, i in out if p), key=lambda x: (-len(x[0]), x[1], x[0])))


def _contains(seq: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(seq[i:i + n] == phrase for i in range(len(seq) - n + 1))


def recognise(*texts: str | None) -> tuple[str, ...]:
    """Ids of the library metrics named in ``texts`` (a title, a metric field ...), first found first.

    A name matches when its meaningful words appear in a text next to each other, in order, after
    the same light stemming and stop words as the link suggestions ("calls answered within 60
    seconds" names the service level; "time to book" and "booking steps" do not run together).

    >>> recognise("Cut average call handling time from 7.5 to 5.5 minutes")
    ('average_handle_time',)
    """
    found: list[str] = []
    for text in texts:
        seq = _stems(text or "")
        if not seq:
            continue
        for phrase, kpi_id in _phrases():
            if kpi_id not in found and _contains(seq, phrase):
                found.append(kpi_id)
    return tuple(found)


def search(query: str, *, limit: int | None = 10, domain: str | None = None) -> list[Match]:
    """Library metrics for the words of ``query``, best first.

    A query word scores 3 when it is in the metric's name or a synonym, 1 when only in its
    definition, formula or domain; a whole name or synonym given as the query scores 10 more.
    Words are stemmed, so "bookings" finds "booking". An empty query lists the library in order.
    """
    from goalbook.linking import words

    pool = [e for e in library() if domain is None or e.domain == domain]
    terms = words(query)
    if not terms:
        return [Match(e, 0.0, ()) for e in pool][:limit]
    q = " ".join(query.lower().split())
    ranked = []
    for pos, e in enumerate(pool):
        name_stems = {s for n in e.names for s in _stems(n)} | {n.lower() for n in e.names}
        body_stems = set(_stems(f"{e.definition} {e.formula} {e.domain}"))
        score, matched = 0.0, []
        for s, w in terms:
            if s in name_stems or w in name_stems:
                score += 3
                matched.append(w)
            elif s in body_stems:
                score += 1
                matched.append(w)
        if any(q == n.lower() for n in e.names):
            score += 10
        if score:
            ranked.append((-score, pos, Match(e, score, tuple(matched))))
    ranked.sort(key=lambda r: (r[0], r[1]))
    out = [m for _, _, m in ranked]
    return out[:limit] if limit is not None else out
