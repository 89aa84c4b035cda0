"""Agreement of ``check_smart`` with the real, labelled corpus (``tests/data/smart_real/batch_*.yaml``).

``python -m benchmarks.smart_agreement`` prints per-criterion agreement on the **dev** split.
``--heldout`` adds the held-out split (aggregate figures only: looking at held-out items while
changing rules would make the held-out figure worthless). ``--misses CRITERION`` lists the dev
items where the validator disagrees on that criterion, to study while changing rules.
``--data DIR`` reads the batches from another directory (the corpus engineer's worktree).

The split is frozen by a seed: an item is held out when ``sha256("goalbook-heldout-2026:" + id)``
read as an integer is divisible by 4 (a random 25%, stable as the corpus grows). The module is
not a ``bench_*`` module, so ``make bench`` does not run it; ``tests/test_smart_real.py`` uses it.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from goalbook.smart import check_smart

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "smart_real"
SEED = "goalbook-heldout-2026:"
CRITERIA = ("specific", "measurable", "time_bound", "has_baseline", "direction", "deadline (dated items)")
#: the date relative deadlines are resolved against when neither the file nor the item names one
DEFAULT_TODAY = date(2026, 12, 7)


def held_out(item_id: str) -> bool:
    """True for the frozen 25% held out from rule changes."""
    return int(hashlib.sha256((SEED + item_id).encode()).hexdigest(), 16) % 4 == 0


@dataclass
class Item:
    """One labelled statement and the batch it came from."""

    id: str
    batch: str
    text: str
    labels: dict
    today: date
    fiscal_year_start: int

    @property
    def held_out(self) -> bool:
        return held_out(self.id)


def _as_date(value: object, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def load(data: Path = DATA) -> list[Item]:
    """Every item of every ``batch_*.yaml`` in ``data``, in file order."""
    items: list[Item] = []
    seen: dict[str, str] = {}
    for path in sorted(data.glob("batch_*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        today = _as_date(doc.get("today"), f"{path.name}: today") or DEFAULT_TODAY
        fys = int(doc.get("fiscal_year_start", 1))
        for n, raw in enumerate(doc.get("items") or [], 1):
            where = f"{path.name}: item {n}"
            if not isinstance(raw, dict) or "id" not in raw or "text" not in raw:
                raise ValueError(f"{where}: an item needs an id and a text")
            item_id = str(raw["id"])
            if item_id in seen:
                raise ValueError(f"{where}: id {item_id!r} is also used in {seen[item_id]}")
            seen[item_id] = path.name
            items.append(Item(item_id, path.stem, str(raw["text"]), raw,
                              _as_date(raw.get("today"), f"{where}: today") or today,
                              int(raw.get("fiscal_year_start", raw.get("fys", fys)))))
    return items


def _label(labels: dict, key: str) -> object:
    """A label, read the way the corpus writes it (``pass``/``fail``, booleans, dates)."""
    value = labels.get(key)
    if key == "has_baseline" and isinstance(value, str):
        return value.lower() in ("true", "yes", "pass")
    if key == "deadline":
        return _as_date(value, f"item {labels.get('id')}: deadline")
    return value


def outcomes(item: Item) -> dict[str, tuple[object, object]]:
    """criterion -> (label, verdict) for every criterion the item is labelled on."""
    r = check_smart(item.text, today=item.today, fiscal_year_start=item.fiscal_year_start)
    got = {"specific": r.specific.status, "measurable": r.measurable.status, "time_bound": r.time_bound.status,
           "has_baseline": r.has_baseline, "direction": r.direction}
    out: dict[str, tuple[object, object]] = {}
    for key, verdict in got.items():
        if item.labels.get(key) is not None:
            out[key] = (_label(item.labels, key), verdict)
    want_day = _label(item.labels, "deadline")
    if want_day is not None:
        out["deadline (dated items)"] = (want_day, r.deadline)
    return out


def agreement(items: Iterable[Item]) -> dict[str, tuple[int, int]]:
    """criterion -> (agreeing, labelled)."""
    hits: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for key, (want, got) in outcomes(item).items():
            counts[key] += 1
            hits[key] += want == got
    return {k: (hits[k], counts[k]) for k in CRITERIA if counts[k]}


def _table(title: str, figures: dict[str, tuple[int, int]]) -> str:
    lines = [title]
    for key in CRITERIA:
        if key in figures:
            h, n = figures[key]
            lines.append(f"  {key:24} {h / n:.3f}  ({h}/{n})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.smart_agreement", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="directory holding batch_*.yaml")
    ap.add_argument("--heldout", action="store_true", help="also print the held-out split's aggregate figures")
    ap.add_argument("--misses", metavar="CRITERION", help="list dev items the validator disagrees with on it")
    ap.add_argument("--batch", help="only batches whose name contains this")
    args = ap.parse_args(argv)
    items = [i for i in load(args.data) if not args.batch or args.batch in i.batch]
    dev = [i for i in items if not i.held_out]
    print(f"{len(items)} items in {len({i.batch for i in items})} batches: {len(dev)} dev, "
          f"{len(items) - len(dev)} held out")
    print(_table("dev split", agreement(dev)))
    by_batch: dict[str, list[Item]] = defaultdict(list)
    for i in dev:
        by_batch[i.batch].append(i)
    for name, group in sorted(by_batch.items()):
        figs = agreement(group)
        print(f"  {name} (dev, {len(group)}): " + ", ".join(f"{k.split(' ')[0]} {h / n:.2f}"
                                                             for k, (h, n) in figs.items()))
    if args.heldout:
        print(_table("held-out split", agreement(i for i in items if i.held_out)))
    if args.misses:
        for i in dev:
            got = outcomes(i).get(args.misses)
            if got is not None and got[0] != got[1]:
                print(f"- [{i.id}] want {got[0]} got {got[1]}: {i.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
