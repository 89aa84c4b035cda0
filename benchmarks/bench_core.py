"""Goals as code at organisation scale (the core issue).

- Loading the 10,000-person organisation (about 40,000 goals and key results, 60,000 links,
  190,000 check-ins) from one YAML file **and checking its integrity** (``load_goalbook``: parse,
  build the model, ``Goalbook.validate()``), against a floor of libyaml alone parsing the same
  file into plain data (``yaml.load(text, Loader=yaml.CSafeLoader)``). Target: at most 3x.
- Scoring the whole organisation (``goalbook.scoring.score_book``), when that module is present,
  against ``Goalbook.validate()`` of the same organisation: one plain pass over the same goals,
  links and check-ins. At most 5x that pass keeps it a pass, not a search (a ratio, because an
  absolute bound swings with the machine's load; issue 12 keeps this bound with breaches, final
  statuses, overrides, dropped key results and each objective's worst key result in the scores).

The YAML file is generated once (``benchmarks.synthetic``) and cached under ``benchmarks/.cache/``,
keyed by the sources that shape it.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import yaml

from benchmarks._harness import Figure, best_of, best_of_each, ratio_figure
from benchmarks.synthetic import counts, generate_org, write_yaml
from goalbook.io import load_goalbook

PEOPLE = 10_000
SEED = 0
MAX_RATIO = 3.0
SCORE_MAX_RATIO = 5.0
_HERE = Path(__file__).parent
_ROOT = _HERE.parent
_SHAPERS = ("benchmarks/synthetic.py", "goalbook/io/_fields.py", "goalbook/io/yaml_write.py")


def org_yaml(people: int = PEOPLE, seed: int = SEED) -> Path:
    """The cached YAML file of the synthetic organisation, written when missing or stale."""
    digest = hashlib.sha1(b"".join((_ROOT / p).read_bytes() for p in _SHAPERS)).hexdigest()[:12]
    cache = _HERE / ".cache"
    cache.mkdir(exist_ok=True)
    path = cache / f"org-{people}-seed{seed}-{digest}.yaml"
    if not path.exists():
        for stale in cache.glob(f"org-{people}-seed{seed}-*.yaml"):
            stale.unlink()
        write_yaml(generate_org(people, seed), path)
    return path


def run() -> list[Figure]:
    path = org_yaml()
    text = path.read_text(encoding="utf-8")
    book = load_goalbook(path)
    expected = counts(generate_org(PEOPLE, SEED))
    if counts(book) != expected:
        raise AssertionError(f"the file does not hold the generated organisation: {counts(book)} != {expected}")
    size = f"{len(text) / 1e6:.0f} MB, {expected['goals']:,} goals, {expected['links']:,} links, " \
           f"{expected['check_ins']:,} check-ins"
    floor = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat=2)
    value = best_of(lambda: load_goalbook(path), repeat=2)
    figures = [ratio_figure(f"load + validate {PEOPLE:,}-person org from YAML", value,
                            f"yaml.CSafeLoader parse of the same file ({size})", floor, MAX_RATIO)]
    if importlib.util.find_spec("goalbook.scoring") is not None:
        from goalbook.scoring import score_book

        # taken in alternation, so a change in the machine's load falls on the figure and its floor alike
        best = best_of_each({"validate": book.validate, "score": lambda: score_book(book)}, repeat=3)
        validate, scored = best["validate"], best["score"]
        figures.append(ratio_figure(f"score the whole {PEOPLE:,}-person org (score_book)", scored,
                                    "Goalbook.validate() of the same org", validate, SCORE_MAX_RATIO))
    return figures
