"""Rebuild ``puzzle_okr_pitc.json`` from puzzle/okr's demo data (run by hand; not part of the tests).

``python convert_puzzle_okr.py SQL_FILE > puzzle_okr_pitc.json`` where SQL_FILE is
``backend/src/main/resources/db/data-migration-demo/afterMigrate__0_1_initialData_pitc.sql`` of
https://github.com/puzzle/okr (AGPL-3.0). Column orders are those of the ``INSERT ... VALUES``
statements in that file (``key_result``: id, baseline, description, modified_on, stretch_goal, title,
created_by_id, objective_id, owner_id, key_result_type, created_on, commit/target/stretch zone,
version, unit_id; ``check_in``: id, change_info, created_on, initiatives, modified_on,
value_metric, created_by_id, key_result_id, confidence, check_in_type, zone, version).
Unit ids are those of ``V3_4_0__updateStringUnitToEntity.sql`` (1 PROZENT, 2 ZAHL, 3 CHF, 4 EUR,
5 FTE); the target is puzzle's own rule, ``V3_6_4__calculate_commit_and_target_values.sql``:
baseline + 0.7 x (stretch goal - baseline).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

REPO = "puzzle/okr"
COMMIT = "ccd79d5f04086d4e40e38c67166cd5d4c1ce9071"
PATH = "backend/src/main/resources/db/data-migration-demo/afterMigrate__0_1_initialData_pitc.sql"
UNITS = {1: "%", 2: "number", 3: "CHF", 4: "EUR", 5: "FTE"}
_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(NULL|true|false)|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(\))|(,))", re.I)


def _values(text: str, i: int) -> list[object]:
    """One parenthesised ``VALUES`` tuple starting at ``text[i] == '('``."""
    out: list[object] = []
    i += 1
    while True:
        m = _TOKEN.match(text, i)
        if m is None:
            raise ValueError(f"unexpected SQL at offset {i}: {text[i:i + 40]!r}")
        i = m.end()
        if m.group(1) is not None:
            out.append(m.group(1)[1:-1].replace("''", "'"))
        elif m.group(2) is not None:
            out.append(None if m.group(2).upper() == "NULL" else m.group(2).lower() == "true")
        elif m.group(3) is not None:
            out.append(float(m.group(3)))
        elif m.group(4):
            return out


def convert(sql: str) -> dict[str, object]:
    rows: dict[str, list[list[object]]] = defaultdict(list)
    for m in re.finditer(r"INSERT INTO okr_pitc\.(\w+)\s+VALUES\s*", sql):
        rows[m.group(1)].append(_values(sql, m.end()))
    by_day: dict[int, dict[str, tuple[str, float]]] = defaultdict(dict)
    for c in sorted(rows["check_in"], key=lambda c: str(c[2])):  # by created_on: the day's last one wins
        if c[5] is not None:
            by_day[int(c[7])][str(c[2])[:10]] = (str(c[2]), float(c[5]))
    histories = []
    for k in sorted(rows["key_result"], key=lambda k: int(k[0])):
        kid, baseline, stretch = int(k[0]), k[1], k[4]
        days = by_day.get(kid, {})
        if k[9] != "metric" or baseline is None or stretch is None or baseline == stretch or len(days) < 4:
            continue
        histories.append({
            "source": f"{REPO}@{COMMIT[:12]}:{PATH}#key_result={kid}",
            "key_result": kid, "title": str(k[5]).strip(), "unit": UNITS.get(int(k[15] or 0), "number"),
            "baseline": baseline, "stretch_goal": stretch,
            "target": round(baseline + (stretch - baseline) * 0.7, 2),
            "check_ins": [[d, days[d][1]] for d in sorted(days)],
        })
    return {"source": {"repository": f"https://github.com/{REPO}", "commit": COMMIT, "path": PATH,
                       "license": "AGPL-3.0",
                       "target_rule": f"{REPO}:backend/src/main/resources/db/migration/"
                                      "V3_6_4__calculate_commit_and_target_values.sql"},
            "histories": histories}


if __name__ == "__main__":
    from pathlib import Path

    json.dump(convert(Path(sys.argv[1]).read_text(encoding="utf-8")), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
