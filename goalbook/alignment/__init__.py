"""The alignment graph and its analyses: how every goal serves the strategy.

``alignment_graph(book)`` builds a ``networkx.DiGraph`` whose edges point from a goal to the goal
it serves; the analyses take that graph and return DataFrames or dataclasses; ``analyse`` runs
them all and returns an :class:`AlignmentReport`.
"""

from goalbook.alignment.analyses import (
    AT_RISK,
    BlastRadius,
    Reach,
    aligned_mask,
    blast_radii,
    blast_radius,
    contribution_rollup,
    contributions,
    critical_goals,
    leading_coverage,
    orphans,
    owner_load,
    reach,
    silos,
    skipped_levels,
    uncovered_key_results,
)
from goalbook.alignment.graph import (
    EDGE_KINDS,
    KINDS,
    NODE_ATTRIBUTES,
    Compiled,
    alignment_graph,
    compiled,
    filtered,
    refresh,
)
from goalbook.alignment.report import AlignmentReport, analyse

__all__ = [
    "AT_RISK",
    "EDGE_KINDS",
    "KINDS",
    "NODE_ATTRIBUTES",
    "AlignmentReport",
    "BlastRadius",
    "Compiled",
    "Reach",
    "aligned_mask",
    "alignment_graph",
    "analyse",
    "blast_radii",
    "blast_radius",
    "compiled",
    "contribution_rollup",
    "contributions",
    "critical_goals",
    "filtered",
    "leading_coverage",
    "orphans",
    "owner_load",
    "reach",
    "refresh",
    "silos",
    "skipped_levels",
    "uncovered_key_results",
]
