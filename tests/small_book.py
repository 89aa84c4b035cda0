"""The small hand-made goalbook the store, io and hardening tests share (a module of its own, not in
conftest: ``from conftest import`` is ambiguous once a sub-folder has a conftest of its own)."""

from __future__ import annotations

from datetime import date, datetime

from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Comment,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period


def make_small_book() -> Goalbook:
    """A small goalbook using every kind and most fields, hand-made so store tests need nothing else."""
    q1 = Period.parse("2027-Q1")
    return Goalbook(
        organisation="Northwind Clinics",
        fiscal_year_start=1,
        objectives=[
            Objective("CO-1", "Make booking a visit effortless for every patient", owner="coo", period=q1,
                      description="Patients book online, in minutes", key_results=[
                          KeyResult("CO-1.KR1", "Raise online bookings from 38% to 60% of all visits",
                                    metric="online booking share", baseline=38, target=60, current=41, unit="%",
                                    indicator="lagging", confidence=7, owner="web-lead", deadline=date(2027, 3, 31)),
                          KeyResult("CO-1.KR2", "Cut median time-to-book from 6 minutes to 2", direction="decrease",
                                    baseline=6, target=2, unit="min", weight=2),
                          KeyResult("CO-1.KR3", "Open the Leeds clinic", direction="milestone",
                                    checkpoints=[Checkpoint("lease signed", True), Checkpoint("staff hired")]),
                      ]),
            Objective("WEB-O", "The web team makes booking one page", level="team", team="Web", period=q1,
                      key_results=[KeyResult("WEB-O.KR1", "Keep no-show rate at most 8%", direction="maintain",
                                             bound="at_most", target=8, unit="%")]),
        ],
        smart_goals=[SmartGoal("WEB-1", "Ship one-page booking to all 14 clinics by 2027-02-28, cutting booking "
                                        "steps from 7 to 3", team="Web", owner="web-lead", metric="booking steps",
                               baseline=7, target=3, unit="steps", deadline=date(2027, 2, 28), budget=18000,
                               period=q1)],
        kpis=[KPI("KPI-NPS", "Patient NPS", unit="points", target=60, green=55, amber=45, indicator="lagging",
                  values=[KPIValue(date(2027, 1, 8), 51), KPIValue(date(2027, 1, 15), 53.5)])],
        initiatives=[Initiative("INI-7", "One-page booking flow", status="active", owner="web-lead", team="Web",
                                start=date(2027, 1, 4), end=date(2027, 2, 28), progress=0.4, external_ref="WEB-123")],
        links=[Link("WEB-1", "CO-1.KR2"), Link("INI-7", "CO-1.KR2", "supports", 2), Link("KPI-NPS", "CO-1.KR1"),
               Link("WEB-O", "CO-1")],
        check_ins=[CheckIn("CO-1.KR1", date(2027, 1, 8), 41, 7, "on_track", "launched beta", "clinic IT", "web-lead"),
                   CheckIn("WEB-1", date(2027, 1, 8), 6, 6, "at_risk")],
        comments=[Comment("CO-1", "Good first week", "ceo", datetime(2027, 1, 8, 10, 0))],
    )
