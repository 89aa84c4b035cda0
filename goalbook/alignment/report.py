"""Every alignment analysis at once, as one report that prints as text or serialises to JSON."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from goalbook.alignment import analyses as an
from goalbook.alignment.graph import EDGE_KINDS, KINDS, alignment_graph, compiled
from goalbook.collector import collector_paused
from goalbook.model import Goalbook
from goalbook.values import pct as _pct

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # no terminal escapes from user text
_FRAMES = ("orphans", "uncovered", "skipped_levels", "silos", "leading_coverage", "at_risk", "critical",
           "owner_load", "rollup")


@dataclass(eq=False)
class AlignmentReport:
    """The findings of :func:`analyse`; each frame is what the analysis of the same name returns."""

    organisation: str
    goals: dict[str, int]  # nodes by kind
    links: dict[str, int]  # edges by kind
    orphans: pd.DataFrame
    uncovered: pd.DataFrame  # uncovered_key_results
    skipped_levels: pd.DataFrame
    silos: pd.DataFrame
    leading_coverage: pd.DataFrame
    at_risk: pd.DataFrame  # blast_radii of goals at risk or off track
    critical: pd.DataFrame  # critical_goals
    owner_load: pd.DataFrame
    rollup: pd.DataFrame  # contribution_rollup
    external: tuple[tuple[str, str, str], ...] = ()  # (source, FILE#ID, kind): links to other goalbooks

    @property
    def only_lagging(self) -> pd.DataFrame:
        """Company key results followed only by lagging measures."""
        return self.leading_coverage[self.leading_coverage["only_lagging"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and dicts (missing numbers as ``None``), ready for ``json.dumps``."""
        out: dict[str, Any] = {"organisation": self.organisation, "goals": dict(self.goals), "links": dict(self.links)}
        for f in _FRAMES:
            out[f] = [{k: _plain(v) for k, v in row.items()} for row in getattr(self, f).to_dict("records")]
        out["external_links"] = [{"source": a, "target": b, "kind": k} for a, b, k in self.external]
        return out

    def to_text(self, limit: int = 15) -> str:
        """The report as plain text for a terminal, at most ``limit`` rows per section."""
        total = sum(self.goals.values())
        kinds = ", ".join(f"{n} {k.replace('_', ' ')}{'s' if n != 1 else ''}" for k, n in self.goals.items() if n)
        edges = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.links.items() if n)
        name = self.organisation or "the goalbook"
        lines = [_CONTROL.sub(" ", f"Alignment of {name}: {total} goals ({kinds}); links: {edges or 'none'}")]

        def section(title: str, df: pd.DataFrame, row: Any, empty: str) -> None:
            lines.append("")
            lines.append(f"{title} ({len(df)})" if len(df) else f"{title}: {empty}")
            for r in df.head(limit).itertuples(index=False):
                lines.append("  " + _CONTROL.sub(" ", row(r)))
            if len(df) > limit:
                lines.append(f"  ... and {len(df) - limit} more")

        section("Orphans — goals that serve no company objective", self.orphans,
                lambda r: f"{r.id} ({r.kind.replace('_', ' ')}{_who(r.owner, r.team)}): {r.reason}", "none")
        section("Company key results nothing works toward", self.uncovered,
                lambda r: f"{r.id}: {_short(r.title)}", "none, every one has support")
        section("Links that skip a level", self.skipped_levels,
                lambda r: f"{r.source} ({r.source_level}) → {r.target} ({r.target_level}) skips the "
                          f"{r.skipped} level; link to {r.instead} instead?", "none")
        section("Teams working in a silo", self.silos,
                lambda r: f"{r.team}: {r.goals} goals, {r.reason}", "none")
        section("Company key results followed only by lagging measures", self.only_lagging,
                lambda r: f"{r.id}: {r.lagging} lagging, no leading measure", "none")
        section("Goals at risk and what they put at risk", self.at_risk,
                lambda r: f"{r.id} ({r.status.replace('_', ' ')}) → "
                          f"{r.key_results if _given(r.key_results) else 'no company key result'}",
                "none")
        section("Critical goals — the most company key results depend on them", self.critical,
                lambda r: f"{r.id} ({r.kind.replace('_', ' ')}{_who(r.owner, r.team)}): {r.key_results} "
                          f"key result{'s' if r.key_results != 1 else ''} ({r.depends})", "none")
        section("Owner load — heaviest first", self.owner_load,
                lambda r: f"{r.owner}: {r.total} goals ({r.at_risk} at risk)"
                          f"{' — ' + r.teams if _given(r.teams) else ''}",
                "no goal has an owner")
        company = self.rollup[self.rollup["level"] == "company"]
        section("Roll-up of contributions into company goals", company,
                lambda r: f"{r.id}: {r.counted} of {r.contributors} contributors count, rolling up to "
                          f"{_pct(r.rolled_up)} (progress {_pct(r.progress)}"
                          f"{', driven by ' + r.driver.replace('_', ' ') if _given(r.driver) else ''})",
                "nothing contributes to them")
        if self.external:
            lines += ["", f"Links to goals in other goalbooks — shown, not checked here ({len(self.external)})"]
            lines += [_CONTROL.sub(" ", f"  {a} → {b} ({k}, external)") for a, b, k in self.external[:limit]]
        return "\n".join(lines)


def analyse(book_or_graph: Goalbook | nx.DiGraph, *, today: date | None = None, scores: Any = None,
            top: int | None = 10) -> AlignmentReport:
    """Build the graph when given a goalbook, then run every analysis on it.

    ``top`` limits the critical goals listed; ``today`` and ``scores`` go to
    :func:`~goalbook.alignment.graph.alignment_graph`.

    Examples
    --------
    >>> from goalbook.model import Goalbook, Objective, KeyResult, SmartGoal, Link
    >>> book = Goalbook(organisation="Acme", objectives=[Objective("CO-1", "Delight patients", key_results=[
    ...     KeyResult("CO-1.KR1", "NPS from 40 to 60", baseline=40, target=60),
    ...     KeyResult("CO-1.KR2", "Wait from 20 to 5 min", baseline=20, target=5, direction="decrease")])],
    ...     smart_goals=[SmartGoal("WEB-1", "Cut booking steps from 7 to 3"), SmartGoal("WEB-2", "A style guide")],
    ...     links=[Link("WEB-1", "CO-1.KR1")])
    >>> report = analyse(book, scores=[])
    >>> list(report.orphans["id"]), list(report.uncovered["id"])
    (['WEB-2'], ['CO-1.KR2'])
    >>> print(report.to_text().splitlines()[0])
    Alignment of Acme: 5 goals (1 objective, 2 key results, 2 smart goals); links: 2 part of, 1 contributes
    """
    with collector_paused():  # one pause for building and analysing: see collector_paused
        G = book_or_graph if isinstance(book_or_graph, nx.DiGraph) else alignment_graph(
            book_or_graph, scores=scores, today=today)
        report = _analyse(G, top)
        del G  # a graph built here goes before the collector resumes, so it never scans it for nothing
    return report


def _analyse(G: nx.DiGraph, top: int | None) -> AlignmentReport:
    c = compiled(G)
    kinds = np.bincount(c.kind, minlength=len(KINDS)).tolist()
    links = np.bincount(c.ekind, minlength=len(EDGE_KINDS)).tolist()
    return AlignmentReport(
        organisation=G.graph.get("organisation", ""),
        goals=dict(zip(KINDS, kinds, strict=True)),
        links=dict(zip(EDGE_KINDS, links, strict=True)),
        orphans=an.orphans(G),
        uncovered=an.uncovered_key_results(G),
        skipped_levels=an.skipped_levels(G),
        silos=an.silos(G),
        leading_coverage=an.leading_coverage(G),
        at_risk=an.blast_radii(G),
        critical=an.critical_goals(G, top=top),
        owner_load=an.owner_load(G),
        rollup=an.contribution_rollup(G),
        external=tuple((lk.source, lk.target, lk.kind) for lk in G.graph.get("external_links", ())),
    )


def _plain(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v.item() if hasattr(v, "item") else v


def _given(v: Any) -> bool:
    """True for a real value: not None, not NaN (pandas' missing), not empty."""
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v != ""


def _who(owner: Any, team: Any) -> str:
    parts = [f"owner {owner}" if _given(owner) else "", f"team {team}" if _given(team) else ""]
    text = ", ".join(p for p in parts if p)
    return f", {text}" if text else ""


def _short(text: Any, n: int = 70) -> str:
    s = str(text) if _given(text) else ""
    return s if len(s) <= n else s[: n - 1] + "…"


