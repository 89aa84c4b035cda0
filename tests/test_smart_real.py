"""Agreement of check_smart with real goal statements (tests/data/smart_real/batch_*.yaml).

The statements are quoted verbatim from public documents and were labelled by SMART_RULES.md
before the validator ran on them (see the corpus README). A frozen 25% is held out: the rules
were tuned on the dev part only; the held-out part was read only as aggregate figures.
The floors are those figures; the test fails when any criterion drops below them. They are not
the issue's targets (specific, measurable, time-bound >= 0.95, has-baseline >= 0.97, direction
>= 0.92, exact deadline >= 0.95): where a floor is lower, the target is not met yet.
"""

from __future__ import annotations

import pytest

from benchmarks.smart_agreement import CRITERIA, DATA, agreement, held_out, load

#: held-out agreement as reported (README, "SMART, per statement")
HELDOUT_FLOORS = {
    "specific": 0.875,  # 161/184
    "measurable": 0.918,  # 169/184
    "time_bound": 0.972,  # 179/184
    "has_baseline": 0.994,  # 183/184
    # 156/184: was 157/184 (0.853). Round 3's general readings (once/thrice as frequencies, money that
    # names its metric, skill levels, year-end with a year, on-time is no duration) cost one held-out
    # direction; the held-out set was looked at only as aggregates (twice in round 3), so which reading
    # it was is unknown and no rule was changed to win it back (that would tune on the held-out part)
    "direction": 0.847,
    "deadline (dated items)": 0.931,  # 54/58 (was 53/58)
}
#: dev agreement as reported
DEV_FLOORS = {
    "specific": 0.927,  # 500/539
    "measurable": 0.972,  # 524/539
    "time_bound": 0.990,  # 534/539
    "has_baseline": 0.998,  # 538/539
    "direction": 0.931,  # 502/539
    "deadline (dated items)": 1.0,  # 158/158
}
LABELS = {
    "specific": {"pass", "fail"},
    "measurable": {"pass", "fail"},
    "time_bound": {"pass", "fail"},
    "direction": {"increase", "decrease", "maintain", "achieve", "none"},
    "has_baseline": {True, False},
}


@pytest.fixture(scope="module")
def items() -> list:
    return load(DATA)


def test_the_corpus_is_real_sourced_and_labelled(items: list):
    assert len(items) >= 600
    for item in items:
        assert item.labels.get("source"), f"{item.id} has no source"
        for key, allowed in LABELS.items():
            assert item.labels[key] in allowed, f"{item.id}: {key} {item.labels[key]!r}"
        if item.labels.get("deadline") is not None:
            assert item.labels["time_bound"] == "pass", item.id


def test_the_split_is_frozen_by_the_seed(items: list):
    # the seed pins the split: these sides were computed once when the corpus was started
    assert [held_out(i) for i in ("r0001", "r0002", "r0003", "r0004", "r0008")] == [False, False, False, True, True]
    share = sum(i.held_out for i in items) / len(items)
    assert 0.2 <= share <= 0.3, share


@pytest.mark.parametrize("part, floors", [("held-out", HELDOUT_FLOORS), ("dev", DEV_FLOORS)])
def test_agreement_does_not_drop_below_the_reported_figures(items: list, part: str, floors: dict):
    chosen = [i for i in items if i.held_out == (part == "held-out")]
    figures = agreement(chosen)
    print(f"\n{part} ({len(chosen)} items)")
    for key in CRITERIA:
        h, n = figures[key]
        print(f"  {key:24} {h / n:.3f} ({h}/{n})  floor {floors[key]:.3f}")
    low = {k: round(figures[k][0] / figures[k][1], 3) for k in CRITERIA if figures[k][0] / figures[k][1] < floors[k]}
    assert not low, f"{part} agreement dropped below the reported figures: {low}"
