"""Agreement of check_smart with the labelled dev set (tests/data/smart_devset.yaml).

The issue's bar: >= 0.95 agreement for specific, measurable and time-bound, and the exact deadline
for every dated statement. The floors below are the figures achieved when this test was written;
the test fails when any drops. Batches 2, 3, 4 and 5 of the dev set were run once before the
validator was changed for them; their first-run figures are recorded in the data file's header.
Statements with a ``history`` are checked with it and carry an ``achievable`` label.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from goalbook.smart import check_smart

DATA = Path(__file__).parent / "data" / "smart_devset.yaml"

FLOORS = {
    "specific": 1.0,
    "measurable": 0.998,
    "time_bound": 1.0,
    "deadline (dated items)": 1.0,
    "deadline (all items)": 1.0,
    "direction": 0.998,
    "has_baseline": 1.0,
    "achievable (items with history)": 1.0,
}
BAR = {"specific": 0.95, "measurable": 0.95, "time_bound": 0.95, "deadline (dated items)": 1.0}


@pytest.fixture(scope="module")
def devset() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(devset: dict) -> list[tuple[dict, object]]:
    today = devset["today"]
    fys = devset.get("fiscal_year_start", 1)
    return [(item, check_smart(item["text"], today=today, fiscal_year_start=item.get("fys", fys),
                               history=item.get("history")))
            for item in devset["items"]]


def _agreement(results: list[tuple[dict, object]]) -> dict[str, float]:
    hits: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for item, r in results:
        got = {"specific": r.specific.status, "measurable": r.measurable.status, "time_bound": r.time_bound.status,
               "direction": r.direction, "has_baseline": r.has_baseline, "deadline (all items)": r.deadline}
        want = {k: item[k] for k in ("specific", "measurable", "time_bound", "direction", "has_baseline")}
        want["deadline (all items)"] = item["deadline"]
        if item["deadline"] is not None:
            got["deadline (dated items)"] = r.deadline
            want["deadline (dated items)"] = item["deadline"]
        if "achievable" in item:
            got["achievable (items with history)"] = r.achievable.status
            want["achievable (items with history)"] = item["achievable"]
        for key, value in want.items():
            counts[key] += 1
            hits[key] += got[key] == value
    return {k: hits[k] / counts[k] for k in counts}


def test_the_devset_is_big_and_varied_enough(devset: dict):
    items = devset["items"]
    assert len(items) >= 150
    styles = {i["style"] for i in items}
    assert {"okr", "company", "public", "uni", "ngo", "trap", "vague"} <= styles
    for item in items:
        assert item["specific"] in ("pass", "fail") and item["measurable"] in ("pass", "fail")
        assert item["time_bound"] in ("pass", "fail")
        assert item["direction"] in ("increase", "decrease", "maintain", "achieve", "none")
        assert item["deadline"] is None or item["time_bound"] == "pass", item["text"]
        assert ("history" in item) == ("achievable" in item), item["text"]
        assert item.get("achievable", "pass") in ("pass", "warn", "fail")
    assert sum(i["deadline"] is not None for i in items) >= 100
    assert sum("history" in i for i in items) >= 10


def test_agreement_with_the_labels_meets_the_recorded_floors(results):
    figures = _agreement(results)
    by_batch: dict[int, list] = defaultdict(list)
    for item, r in results:
        by_batch[item.get("batch", 1)].append((item, r))
    print(f"\nSMART dev set: {len(results)} statements")
    for key, value in figures.items():
        bar = f", bar {BAR[key]:.2f}" if key in BAR else ""
        print(f"  {key:<32} {value:.3f}  (floor {FLOORS[key]:.3f}{bar})")
    for batch, rows in sorted(by_batch.items()):
        f = _agreement(rows)
        print(f"  batch {batch} ({len(rows)}): " + ", ".join(f"{k} {v:.3f}" for k, v in f.items()))
    misses = [(item["text"], key) for item, r in results for key in ("specific", "measurable", "time_bound")
              if getattr(r, key).status != item[key]]
    misses += [(item["text"], "deadline") for item, r in results if r.deadline != item["deadline"]]
    misses += [(item["text"], "achievable") for item, r in results
               if "achievable" in item and r.achievable.status != item["achievable"]]
    for text, key in misses[:20]:
        print(f"  miss {key}: {text}")
    for key, floor in FLOORS.items():
        assert figures[key] >= floor - 1e-9, f"{key} agreement {figures[key]:.3f} fell below {floor:.3f}"
    for key, bar in BAR.items():
        assert figures[key] >= bar


def test_every_dated_statement_resolves_to_its_exact_date(results):
    wrong = [(item["text"], item["deadline"], r.deadline) for item, r in results
             if item["deadline"] is not None and r.deadline != item["deadline"]]
    assert not wrong
