"""The synthetic organisation written as goals as code: one ``goalbook.yaml`` with the company's own goals
and settings, and the teams' goals spread over many part files beside it, each with its goals, their
key results' links and their check-ins (what a team edits in one commit)."""

from __future__ import annotations

from pathlib import Path

import yaml

from goalbook.io import to_data
from goalbook.model import Goalbook

SECTIONS = ("objectives", "smart_goals", "kpis", "initiatives")


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


def _ids(entry: dict) -> set[str]:
    return {entry["id"], *(kr["id"] for kr in entry.get("key_results", ()))}


def write_team_files(book: Goalbook, folder: Path, files: int) -> list[Path]:
    """Write ``book`` into ``folder`` as ``goalbook.yaml`` and ``files`` part files (``teams-NNN.yaml``),
    the teams dealt out in order; returns the part files."""
    data = to_data(book)
    names = sorted({e["team"] for s in SECTIONS for e in data.get(s, ()) if e.get("team")})
    group = {team: i * files // max(1, len(names)) for i, team in enumerate(names)}
    parts: list[dict] = [{} for _ in range(files)]
    main = {k: v for k, v in data.items() if k not in (*SECTIONS, "links", "check_ins")}
    owner: dict[str, int | None] = {}
    for section in SECTIONS:
        for entry in data.get(section, ()):
            where = group.get(entry.get("team"))
            target = main if where is None else parts[where]
            target.setdefault(section, []).append(entry)
            owner.update(dict.fromkeys(_ids(entry), where))
    for link in data.get("links", ()):
        where = owner.get(link["from"])
        (main if where is None else parts[where]).setdefault("links", []).append(link)
    for gid, check_ins in data.get("check_ins", {}).items():
        where = owner.get(gid)
        (main if where is None else parts[where]).setdefault("check_ins", {})[gid] = check_ins
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "goalbook.yaml").write_text(_dump(main), encoding="utf-8")
    paths = []
    for n, part in enumerate(parts, 1):
        path = folder / f"teams-{n:03d}.yaml"
        path.write_text(_dump(part), encoding="utf-8")
        paths.append(path)
    return paths
