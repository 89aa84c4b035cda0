"""The set-level lint rules, each on a small hand-made goalbook where the right answer is known.

``clean_book()`` has nothing for these rules to find; each test spoils one thing and expects
exactly that finding (and, where it matters, checks the near miss that must stay quiet). The
SMART criteria (GB1xx) are left out here: they are the SMART validator's verdicts and are tested
with it and in test_lint_statements.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from goalbook.lint import RULES, Finding, lint_book, resolve_codes
from goalbook.lint.tasks import task_verb
from goalbook.model import (
    KPI,
    CheckIn,
    Checkpoint,
    Goalbook,
    Initiative,
    KeyResult,
    KPIValue,
    Link,
    Objective,
    SmartGoal,
)
from goalbook.period import Period

Q1 = Period.parse("2027-Q1")
Q2 = Period.parse("2027-Q2")
TODAY = date(2027, 2, 14)
RECENT = date(2027, 2, 12)
SET_LEVEL = "GB1"  # ignored below: the SMART criteria are not what these tests are about


def kr(id: str, title: str, *, indicator: str = "leading", owner: str | None = None, **kw) -> KeyResult:
    kw.setdefault("baseline", 10)
    kw.setdefault("target", 20)
    return KeyResult(id, title, indicator=indicator, owner=owner or f"owner-{id.lower()}", **kw)


def clean_book() -> Goalbook:
    """Company objective with three key results, a team objective under it, a SMART goal, a KPI and
    an initiative, all linked up, owned, dated and checked in on this week."""
    book = Goalbook(
        organisation="Test Co",
        objectives=[
            Objective("CO-1", "Make booking effortless for every patient", owner="ceo", period=Q1, key_results=[
                kr("CO-1.KR1", "Raise online bookings from 38% to 60%", indicator="lagging", baseline=38, target=60,
                   unit="%"),
                kr("CO-1.KR2", "Cut median time-to-book from 6 to 2 minutes", direction="decrease", baseline=6,
                   target=2, unit="min"),
                kr("CO-1.KR3", "Answer 90% of calls within 60 seconds, up from 64%", baseline=64, target=90,
                   unit="%"),
            ]),
            Objective("WEB-O", "The web team makes booking one page", level="team", team="Web", owner="web-lead",
                      period=Q1, key_results=[
                          kr("WEB-O.KR1", "Cut booking steps from 7 to 3", direction="decrease", baseline=7, target=3),
                          kr("WEB-O.KR2", "Raise mobile conversion from 2.1% to 3.5%", indicator="lagging",
                             baseline=2.1, target=3.5, unit="%"),
                      ]),
        ],
        smart_goals=[SmartGoal("CC-1", "Cut call handling time from 7.5 to 5.5 minutes by 2027-03-15", team="Contact",
                               owner="cc-lead", metric="average handling time", baseline=7.5, target=5.5,
                               unit="min", deadline=date(2027, 3, 15), period=Q1, indicator="leading")],
        kpis=[KPI("KPI-NPS", "Patient NPS", owner="cx-lead", target=55, green=50, amber=42,
                  values=[KPIValue(RECENT, 47)])],
        initiatives=[Initiative("INI-1", "Call-back instead of a queue", status="active", owner="cc-lead",
                                start=date(2027, 1, 18), end=date(2027, 3, 19), progress=0.5)],
        links=[Link("WEB-O", "CO-1.KR2"), Link("CC-1", "CO-1.KR3"), Link("KPI-NPS", "CO-1.KR1"),
               Link("INI-1", "CO-1.KR3")],
    )
    for g in book.key_results + book.smart_goals:
        book.check_ins.append(CheckIn(g.id, RECENT, g.baseline, 7, "on_track"))
    return book


def found(book: Goalbook, **kw) -> list[tuple[str, str | None]]:
    """``(code, entity)`` of every set-level finding."""
    book.reindex()
    kw.setdefault("ignore", SET_LEVEL)
    return [(f.code, f.entity) for f in lint_book(book, today=TODAY, **kw)]


def only(book: Goalbook, code: str) -> list[Finding]:
    book.reindex()
    return lint_book(book, today=TODAY, select=code)


def objective(book: Goalbook, id: str) -> Objective:
    return next(o for o in book.objectives if o.id == id)


def test_the_clean_book_has_nothing_to_report():
    assert found(clean_book()) == []


# --- GB201 ------------------------------------------------------------------------------------------------------
def test_an_objective_with_one_key_result_is_reported():
    book = clean_book()
    gone = objective(book, "WEB-O").key_results.pop()
    book.check_ins = [c for c in book.check_ins if c.target_id != gone.id]
    assert found(book) == [("GB201", "WEB-O")]


def test_an_objective_with_six_key_results_is_reported_and_five_is_fine():
    book = clean_book()
    web = objective(book, "WEB-O")
    for n in range(3, 6):
        web.key_results.append(kr(f"WEB-O.KR{n}", f"Raise weekly active users in region {n} from 10 to 20"))
    book.check_ins += [CheckIn(k.id, RECENT, 10, 7, "on_track") for k in web.key_results[2:]]
    assert [c for c, _ in found(book)] == []  # five
    web.key_results.append(kr("WEB-O.KR6", "Raise newsletter sign-ups from 10 to 20"))
    book.check_ins.append(CheckIn("WEB-O.KR6", RECENT, 10, 7, "on_track"))
    findings = only(book, "GB201")
    assert [(f.entity, f.field) for f in findings] == [("WEB-O", "key_results")]
    assert "6 key results" in findings[0].message


def test_an_objective_driven_by_other_goals_needs_no_key_results():
    book = clean_book()
    web = objective(book, "WEB-O")
    web.key_results.clear()
    web.driver = "children"
    book.check_ins = [c for c in book.check_ins if not c.target_id.startswith("WEB-O.")]
    assert found(book, select="GB201") == []


# --- GB202 ------------------------------------------------------------------------------------------------------
def test_more_than_five_goals_for_one_owner_in_one_period():
    book = clean_book()
    for k in book.key_results:
        k.owner = "sam"  # 5 key results
    assert found(book, select="GB202") == []
    book.smart_goals[0].owner = "sam"  # the sixth
    findings = only(book, "GB202")
    assert len(findings) == 1
    assert findings[0].message.startswith("Owner sam holds 6 goals in 2027-Q1")
    assert findings[0].entity == "CC-1"


def test_goals_in_different_periods_are_counted_apart():
    book = clean_book()
    for k in book.key_results:
        k.owner = "sam"
    book.smart_goals[0].owner = "sam"
    book.smart_goals[0].period = Q2
    book.smart_goals[0].deadline = date(2027, 6, 1)
    assert found(book, select="GB202") == []


def test_a_key_result_without_owner_counts_for_nobody():
    book = clean_book()
    web = objective(book, "WEB-O")
    for k in web.key_results:
        k.owner = None
    web.key_results += [KeyResult(f"WEB-O.KR{n}", f"Raise sign-ups in area {n} from 1 to 2", baseline=1, target=2)
                        for n in range(3, 6)]
    assert found(book, select="GB202") == []  # web-lead owns one objective; its five key results are nobody's


def test_key_results_under_ones_own_objective_are_part_of_it_and_others_count():
    book = clean_book()
    web = objective(book, "WEB-O")
    for k in web.key_results:
        k.owner = web.owner
    assert found(book, select="GB202") == []
    for k in book.key_results:
        if not k.id.startswith("WEB-O."):
            k.owner = web.owner  # key results under other people's objectives: each one counts
    objective(book, "CO-1").key_results.append(
        KeyResult("CO-1.KR4", "Raise repeat visits from 20% to 30%", baseline=20, target=30, owner=web.owner))
    book.smart_goals[0].owner = web.owner  # WEB-O, four of CO-1's key results, CC-1: six
    assert [(f.entity, f.message.split(" (")[0]) for f in only(book, "GB202")] == [
        ("CC-1", "Owner web-lead holds 6 goals in 2027-Q1")]


# --- GB203 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "verb"), [
    ("Launch the loyalty app", "launch"),
    ("KR2: Implement single sign-on for all staff", "implement"),
    ("Sales: hire 5 account executives", "hire"),
    ("Migrate billing to the new platform", "migrate"),
    ("Roll out the new CRM to every region", "roll out"),
    ("Successfully ship v2 of the booking app", "ship"),
    ("Rolled out the rota tool", "roll out"),
])
def test_task_verbs_are_recognised(title, verb):
    assert task_verb(title) == verb


@pytest.mark.parametrize("title", [
    "Raise repeat visits from 20% to 30%",
    "Build a qualified pipeline from €1M to €2M",  # a task's verb, an outcome's numbers
    "Run demand-based rotas at all 14 clinics, up from 2",
    "Cut median waiting time from 24 to 12 minutes",
    "Keep the no-show rate at most 8%",
])
def test_outcomes_are_not_tasks(title):
    assert task_verb(title) is None


def test_a_task_as_key_result_is_reported_with_a_move_to_initiative_suggestion():
    book = clean_book()
    objective(book, "CO-1").key_results[2].title = "Launch the call-back service"
    findings = only(book, "GB203")
    assert [(f.code, f.entity, f.severity) for f in findings] == [("GB203", "CO-1.KR3", "warning")]
    assert findings[0].message == ("Key result CO-1.KR3, “Launch the call-back service”, reads as a task or "
                                   "output (“Launch”), not an outcome.")
    assert "initiative" in findings[0].suggestion


@pytest.mark.parametrize(("title", "verb"), [
    # the misses: the task sits behind a label, in a noun, or in a participle
    ("Dogfooding - Migrate the docs site to the new CMS", "migrate"),
    ("Execute the billing database migration", "execute"),
    ("48 features delivered", "delivered"),
    ("Support documentation [COMMITTED]: Create or update support documentation for the top 5 inquiries", "create"),
    ("Migration of 100% of services to Kubernetes", "migrate"),
    ("users can create clones and branches of projects", "a feature delivered"),
    ("Get feedback on the prototype from 5 users", "get feedback"),
    ("Implement a multi-step pipeline: retrieve → verify → score", "implement"),
    ("Go live with the new ERP system on 1 April 2027", "go live"),
    ("Hold quarterly town halls with all staff", "hold"),
])
def test_the_whole_statement_is_read(title, verb):
    assert task_verb(title) == verb


@pytest.mark.parametrize("title", [
    "Add 10,000 paying customers",  # people won over, in a task's words
    "Release frequency at 4 per week",  # a metric named by a verb's noun
    "Implement 5 rules per attribute and achieve ≥ 80% attribute-level accuracy",
    "Users can perform common tasks in less time than in the CLI",
    "No PRs merged to master after the code freeze",  # a limit to hold
    "Ensure 100% of flagged outputs cite a source",
    "Test coverage [ASPIRATIONAL]: Increase test coverage for the web app to 100%",
    # from the SMART dev set (tests/data/smart_devset.yaml)
    "Process planning applications within 8 weeks",
    "Land 3 design partners for the analytics product",
    "Hold average wait time at or under 10 minutes every quarter",
    "Deliver £5m of cost savings in 2027/28",
    "Recruit 50 new volunteers each month",
    "Deliver 95% of orders within 2 days of purchase by Q3",
])
def test_outcomes_in_tasks_words_are_not_tasks(title):
    assert task_verb(title) is None


def test_a_task_worded_smart_goal_is_not_a_key_result_finding():
    book = clean_book()
    book.smart_goals[0].statement = "Ship one-page booking to all 14 clinics by 2027-02-28"
    assert found(book, select="GB203") == []


# --- GB217 objectives with only outputs ------------------------------------------------------------------------
def test_an_objective_whose_key_results_are_all_tasks_has_no_outcome():
    book = clean_book()
    web = objective(book, "WEB-O")
    web.key_results[0].title = "Launch the one-page booking flow"
    assert found(book, select="GB217") == []  # one outcome is left
    web.key_results[1].title = "48 booking pages migrated to the new design"
    findings = only(book, "GB217")
    assert [(f.entity, f.severity) for f in findings] == [("WEB-O", "warning")]
    assert findings[0].message == (
        "Objective WEB-O, “The web team makes booking one page”, has only tasks and outputs as key results "
        "(WEB-O.KR1, WEB-O.KR2): nothing says what should change once they are done.")


# --- GB218 objectives per period, GB219 KPIs per team ----------------------------------------------------------
def _company_objectives(book: Goalbook, n: int, period: Period = Q1) -> None:
    for i in range(n):
        book.objectives.append(Objective(f"CO-X{i}", f"Company aim {i}", owner="ceo", period=period, key_results=[
            kr(f"CO-X{i}.KR1", f"Raise measure {i}a from 10 to 20"),
            kr(f"CO-X{i}.KR2", f"Raise measure {i}b from 10 to 20")]))


def test_more_than_three_company_objectives_in_a_period_are_too_many():
    book = clean_book()
    _company_objectives(book, 2)  # three in 2027-Q1
    assert found(book, select="GB218") == []
    _company_objectives(book, 3, Q2)  # three more, but in another quarter
    assert found(book, select="GB218") == []
    book.objectives.append(Objective("CO-9", "A fourth aim", owner="ceo", period=Q1))
    findings = only(book, "GB218")
    assert [(f.entity, f.field) for f in findings] == [("CO-9", "period")]
    assert findings[0].message.startswith("The company has 4 objectives in 2027-Q1 (CO-1, CO-X0, CO-X1, CO-9); ")


def test_more_than_three_objectives_for_one_team_are_too_many_and_the_limit_is_configurable():
    from goalbook.lint.config import LintConfig

    book = clean_book()
    for i in range(3):
        book.objectives.append(Objective(f"WEB-{i}", f"Web aim {i}", level="team", team="Web", owner="web-lead",
                                         period=Q1))
    assert [(f.code, f.entity) for f in only(book, "GB218")] == [("GB218", "WEB-2")]
    assert only(book, "GB218")[0].message.startswith("Team Web has 4 objectives in 2027-Q1")
    book.reindex()
    assert lint_book(book, today=TODAY, select="GB218", config=LintConfig(max_team_objectives=4)) == []


def test_more_than_five_kpis_for_one_team_are_too_many():
    book = clean_book()
    book.kpis = [KPI(f"KPI-{i}", f"Health {i}", owner="cx-lead", team="CX", target=5, green=5, amber=4)
                 for i in range(6)]
    book.links = [lk for lk in book.links if lk.source != "KPI-NPS"]
    findings = only(book, "GB219")
    assert [(f.entity, f.severity) for f in findings] == [("KPI-5", "warning")]
    assert "Team CX watches 6 KPIs" in findings[0].message


def test_lint_settings_are_checked():
    from goalbook.lint.config import LintConfig

    with pytest.raises(ValueError, match=r"goalbook.toml \[lint\]: 'max_kpis' is not a lint setting \(did you mean "
                                         r"'max_team_kpis'\?\)"):
        LintConfig.from_mapping({"max_kpis": 4}, "goalbook.toml [lint]")
    with pytest.raises(ValueError, match="min_key_results 6 is above max_key_results 5"):
        LintConfig.from_mapping({"min_key_results": 6})
    with pytest.raises(ValueError, match="max_team_kpis must be a whole number"):
        LintConfig.from_mapping({"max_team_kpis": "five"})


# --- GB220 link loops -------------------------------------------------------------------------------------------
def test_a_link_loop_is_an_error_with_the_loop_spelled_out():
    from goalbook.alignment import alignment_graph
    from goalbook.errors import ValidationError

    book = clean_book()
    book.links.append(Link("CO-1.KR2", "WEB-O.KR1"))  # WEB-O serves CO-1.KR2, which now serves WEB-O's result
    book.reindex()
    with pytest.raises(ValidationError, match="loop"):
        alignment_graph(book)  # what `goalbook graph` refuses, lint reports
    findings = only(book, "GB220")
    assert [(f.code, f.severity, f.entity) for f in findings] == [("GB220", "error", "CO-1.KR2")]
    assert findings[0].message.startswith("The links form a loop: CO-1.KR2 → WEB-O.KR1 → WEB-O → CO-1.KR2. ")


def test_a_book_without_loops_has_no_loop_finding():
    assert found(clean_book(), select="GB220") == []


# --- folding and sentences --------------------------------------------------------------------------------------
def test_cannot_be_judged_yet_is_folded_into_the_finding_it_repeats():
    book = clean_book()
    book.check_ins = [c for c in book.check_ins if c.target_id != "CO-1.KR1"]  # no history, so stale too
    findings = [f for f in lint_book(book, today=TODAY) if f.entity == "CO-1.KR1"]
    assert [f.code for f in findings] == ["GB215"]
    assert findings[0].message.endswith("Nor can it be judged achievable yet (GB103): there are no check-ins to "
                                        "compare the pace with.")


def test_every_message_and_suggestion_is_a_sentence():
    book = clean_book()
    book.objectives[0].owner = None
    book.kpis[0].green = book.kpis[0].amber = None
    book.links = book.links[:2]
    for f in lint_book(book, today=TODAY):
        for text in (f.message, f.suggestion):
            assert text[0].isupper() and text.endswith("."), text


# --- GB204-206 --------------------------------------------------------------------------------------------------
def test_a_key_result_that_moves_a_number_without_a_baseline():
    book = clean_book()
    kr2 = objective(book, "CO-1").key_results[1]
    kr2.baseline = None
    kr2.title = "Cut median time-to-book to 2 minutes"
    assert found(book, select="GB204") == [("GB204", "CO-1.KR2")]


def test_milestones_and_thresholds_need_no_baseline():
    book = clean_book()
    co = objective(book, "CO-1")
    co.key_results += [
        KeyResult("CO-1.KR4", "Open the Leeds clinic", "milestone", owner="coo", indicator="leading",
                  checkpoints=[Checkpoint("lease signed", True), Checkpoint("doors open")]),
        KeyResult("CO-1.KR5", "Keep no-shows at most 8%", "maintain", bound="at_most", target=8, owner="ops",
                  indicator="lagging"),
    ]
    assert found(book, select="GB204") == []


def test_missing_owners_are_reported_but_a_key_result_inherits_its_objectives():
    book = clean_book()
    objective(book, "CO-1").key_results[0].owner = None  # CO-1 is owned by the ceo
    assert found(book, select="GB205") == []
    objective(book, "WEB-O").owner = None
    objective(book, "WEB-O").key_results[0].owner = None
    book.kpis[0].owner = None
    book.initiatives[0].owner = None
    book.initiatives.append(Initiative("INI-2", "Kiosks", status="candidate"))
    book.links.append(Link("INI-2", "CO-1.KR2"))
    assert found(book, select="GB205") == [("GB205", "WEB-O"), ("GB205", "WEB-O.KR1"), ("GB205", "KPI-NPS"),
                                           ("GB205", "INI-1")]


def test_missing_deadlines_a_key_result_may_take_its_objectives_period():
    book = clean_book()
    assert all(k.deadline is None for k in book.key_results)  # the period is enough
    g = book.smart_goals[0]
    g.deadline, g.period, g.statement = None, None, "Cut call handling time from 7.5 to 5.5 minutes"
    web = objective(book, "WEB-O")
    web.period = None
    book.initiatives[0].end = None
    assert found(book, select="GB206") == [("GB206", "WEB-O"), ("GB206", "WEB-O.KR1"), ("GB206", "WEB-O.KR2"),
                                           ("GB206", "CC-1"), ("GB206", "INI-1")]


# --- GB207 ------------------------------------------------------------------------------------------------------
def test_an_objective_with_only_lagging_key_results():
    book = clean_book()
    for k in objective(book, "WEB-O").key_results:
        k.indicator = "lagging"
    assert found(book) == [("GB207", "WEB-O")]


def test_unknown_indicators_are_not_taken_for_lagging():
    book = clean_book()
    web = objective(book, "WEB-O")
    web.key_results[0].indicator = None
    web.key_results[1].indicator = "lagging"
    assert found(book, select="GB207") == []


# --- GB208 / GB212 ----------------------------------------------------------------------------------------------
def test_a_team_goal_with_no_link_is_not_aligned():
    book = clean_book()
    book.links = [lk for lk in book.links if lk.source != "CC-1"]
    findings = only(book, "GB208")
    assert [(f.entity, f.severity) for f in findings] == [("CC-1", "warning")]
    assert "no link" in findings[0].message


def test_alignment_is_followed_through_several_links_and_key_results():
    book = clean_book()
    book.links.remove(Link("WEB-O", "CO-1.KR2"))
    book.links.append(Link("WEB-O.KR2", "CO-1.KR1"))  # the team objective serves the company via its KR
    book.smart_goals.append(SmartGoal("WEB-1", "Cut booking steps", owner="dev", period=Q1))
    book.links.append(Link("WEB-1", "WEB-O.KR1"))  # ... and so does what serves its other KR
    assert found(book, select="GB208") == []


def test_a_chain_that_stops_short_of_the_company_names_where_it_goes():
    book = clean_book()
    book.links.remove(Link("WEB-O", "CO-1.KR2"))
    book.smart_goals.append(SmartGoal("WEB-1", "Cut booking steps", owner="dev", period=Q1))
    book.links.append(Link("WEB-1", "WEB-O.KR1"))
    findings = only(book, "GB208")
    assert [f.entity for f in findings] == ["WEB-O", "WEB-1"]
    assert "links to WEB-O.KR1, which serves no company objective either" in findings[1].message


def test_a_loop_of_links_that_never_reaches_the_company_is_reported_and_ends():
    book = clean_book()
    book.smart_goals += [SmartGoal("A", "Raise a from 1 to 2", owner="x", period=Q1),
                         SmartGoal("B", "Raise b from 1 to 2", owner="x", period=Q1)]
    book.links += [Link("A", "B"), Link("B", "A")]
    assert [e for c, e in found(book, select="GB208")] == ["A", "B"]


def test_an_orphan_kpi_and_an_initiative_that_serves_nothing():
    book = clean_book()
    book.links = [lk for lk in book.links if lk.source not in ("KPI-NPS", "INI-1")]
    book.links.append(Link("CC-1", "CO-1.KR1"))  # keep CO-1.KR1 covered
    assert found(book, select="GB208,GB212") == [("GB208", "KPI-NPS"), ("GB212", "INI-1")]


# --- GB209 ------------------------------------------------------------------------------------------------------
def test_the_same_goal_in_other_words_is_a_near_duplicate():
    book = clean_book()
    book.smart_goals.append(SmartGoal("CC-2", "Reduce our average call handling time from 7.5 to 5.5 minutes by "
                                              "2027-03-15", owner="cc-2", period=Q1, deadline=date(2027, 3, 15)))
    book.links.append(Link("CC-2", "CO-1.KR3"))
    findings = only(book, "GB209")
    assert [(f.entity, f.field) for f in findings] == [("CC-2", "statement")]
    assert "goal CC-1" in findings[0].message


def test_duplicates_need_the_same_period_and_the_same_numbers():
    book = clean_book()
    book.smart_goals += [
        SmartGoal("CC-2", "Cut call handling time from 7.5 to 5.5 minutes by 2027-03-15", owner="a", period=Q2),
        SmartGoal("CC-3", "Cut call handling time from 7.5 to 4 minutes by 2027-03-15", owner="b", period=Q1),
    ]
    assert found(book, select="GB209") == []


def test_a_team_key_result_copied_from_the_company_result_it_serves():
    book = clean_book()
    web = objective(book, "WEB-O")
    web.key_results[0].title = "Cut median time-to-book from 6 to 2 minutes"
    book.links.append(Link("WEB-O.KR1", "CO-1.KR2"))
    findings = only(book, "GB209")
    assert [f.entity for f in findings] == ["WEB-O.KR1"]
    assert "which it is linked to" in findings[0].message
    assert "own terms" in findings[0].suggestion


# --- GB210 ------------------------------------------------------------------------------------------------------
def test_a_deadline_outside_its_own_period_is_an_error():
    book = clean_book()
    objective(book, "CO-1").key_results[0].deadline = date(2027, 4, 15)
    findings = only(book, "GB210")
    assert [(f.entity, f.severity, f.field) for f in findings] == [("CO-1.KR1", "error", "deadline")]
    assert "2027-Q1" in findings[0].message


def test_a_goal_due_after_the_period_of_what_it_serves_is_a_warning():
    book = clean_book()
    g = book.smart_goals[0]
    g.period, g.deadline = None, date(2027, 5, 31)
    findings = only(book, "GB210")
    assert [(f.entity, f.severity) for f in findings] == [("CC-1", "warning")]
    assert "after key result CO-1.KR3's period 2027-Q1 ends" in findings[0].message


def test_model_validation_does_not_repeat_a_deadline_outside_its_period():
    book = clean_book()
    book.smart_goals[0].deadline = date(2027, 4, 2)
    assert sorted(c for c, e in found(book, select="GB001,GB210")) == ["GB210", "GB210"]  # own period + served KR's


# --- GB211, GB213, GB214, GB215, GB216 ---------------------------------------------------------------------------
def test_a_kpi_without_thresholds():
    book = clean_book()
    book.kpis[0].green = book.kpis[0].amber = None
    findings = only(book, "GB211")
    assert [f.entity for f in findings] == ["KPI-NPS"]
    assert "target 55" in findings[0].message


def test_check_in_confidence_that_contradicts_its_status():
    book = clean_book()
    book.check_ins += [CheckIn("CO-1.KR1", date(2027, 2, 13), 40, 2, "on_track"),
                       CheckIn("CO-1.KR2", date(2027, 2, 13), 5, 3, "at_risk"),  # consistent
                       CheckIn("CO-1.KR3", date(2027, 2, 13), 70, 9, "off_track")]
    findings = only(book, "GB213")
    assert [(f.entity, f.severity) for f in findings] == [("CO-1.KR1", "warning"), ("CO-1.KR3", "warning")]
    assert "on_track with confidence 2/10" in findings[0].message


def test_a_company_key_result_nothing_works_toward():
    book = clean_book()
    book.links.remove(Link("KPI-NPS", "CO-1.KR1"))
    book.kpis[0].name = "Patient NPS"
    book.links.append(Link("KPI-NPS", "CO-1"))
    assert found(book) == [("GB214", "CO-1.KR1")]


def test_a_goal_nobody_has_checked_in_on_for_weeks_is_stale():
    book = clean_book()
    book.check_ins = [c for c in book.check_ins if c.target_id != "CC-1"]
    findings = only(book, "GB215")
    assert [f.entity for f in findings] == ["CC-1"]
    assert "no check-in yet" in findings[0].message
    # before the quarter starts nothing is stale
    book.reindex()
    assert lint_book(book, today=date(2026, 12, 20), select="GB215") == []


def test_an_objective_with_numbers_in_its_title_is_an_info():
    book = clean_book()
    objective(book, "CO-1").title = "Grow online bookings from 38% to 60%"
    findings = only(book, "GB216")
    assert [(f.entity, f.severity) for f in findings] == [("CO-1", "info")]


# --- GB001 and the registry ---------------------------------------------------------------------------------------
def test_model_validation_problems_are_gb001_errors():
    book = clean_book()
    book.links.append(Link("CC-1", "CO-9.KR1"))
    findings = only(book, "GB001")
    assert [(f.severity, f.entity) for f in findings] == [("error", "CC-1")]
    assert "CO-9.KR1" in findings[0].message


def test_select_and_ignore_take_codes_prefixes_and_names():
    assert resolve_codes("GB209") == {"GB209"}
    assert resolve_codes(["near-duplicate", "GB21"]) == {"GB209", "GB210", "GB211", "GB212", "GB213", "GB214",
                                                         "GB215", "GB216", "GB217", "GB218", "GB219"}
    assert resolve_codes("GB1") == {"GB101", "GB102", "GB103", "GB104", "GB105"}
    with pytest.raises(ValueError, match="'GB999' is not a lint rule"):
        resolve_codes("GB101,GB999")
    with pytest.raises(ValueError, match="did you mean 'near-duplicate'"):
        resolve_codes("near-duplicat")


def test_ignore_and_select_change_what_lint_book_reports():
    book = clean_book()
    book.kpis[0].green = book.kpis[0].amber = None
    book.links = [lk for lk in book.links if lk.source != "CC-1"]
    everything = {c for c, _ in found(book)}
    assert {"GB211", "GB208"} <= everything
    assert {c for c, _ in found(book, ignore=["GB1", "kpi-without-thresholds"])} == everything - {"GB211"}
    assert {c for c, _ in found(book, select="GB211", ignore=None)} == {"GB211"}
    with pytest.raises(ValueError):
        lint_book(book, select="GB2,nonsense")


def test_every_rule_has_a_stable_code_name_severity_and_summary():
    assert list(RULES) == sorted(RULES)
    for code, rule in RULES.items():
        assert rule.code == code and code.startswith("GB") and len(code) == 5
        assert rule.severity in ("error", "warning", "info")
        assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary.endswith(".")
    assert len({r.name for r in RULES.values()}) == len(RULES)


def test_findings_are_sorted_by_file_and_line_and_carry_their_location():
    book = clean_book()
    book.kpis[0].green = book.kpis[0].amber = None
    book.links = [lk for lk in book.links if lk.source != "CC-1"]
    book.locations = {"KPI-NPS": ("goals.yaml", 40), "CC-1": ("goals.yaml", 12), "CO-1": ("goals.yaml", 3)}
    findings = lint_book(book, today=TODAY, select="GB208,GB211")
    assert [(f.code, f.file, f.line) for f in findings] == [("GB208", "goals.yaml", 12), ("GB211", "goals.yaml", 40)]
    d = findings[0].to_dict()
    assert d == {"code": "GB208", "severity": "warning", "message": d["message"], "suggestion": d["suggestion"],
                 "entity": "CC-1", "field": "supports", "file": "goals.yaml", "line": 12, "rule": "not-aligned"}
    assert str(findings[0]).startswith("goals.yaml:12: GB208 warning: Goal CC-1 serves no company objective")


def test_the_rule_table_in_the_docs_is_the_registry():
    from pathlib import Path

    from goalbook.lint.findings import rules_table

    docs = (Path(__file__).parent.parent / "docs" / "LINT_RULES.md").read_text(encoding="utf-8")
    assert rules_table() in docs, "regenerate the table in docs/LINT_RULES.md from goalbook.lint.findings.rules_table()"


def test_not_aligned_means_what_the_alignment_view_calls_an_orphan():
    from benchmarks.synthetic import generate_org
    from goalbook.alignment import alignment_graph
    from goalbook.alignment.analyses import orphans

    book = generate_org(400, seed=3)
    expected = set(orphans(alignment_graph(book, scores=[]))["id"])
    assert expected  # the synthetic organisation leaves some KPIs unlinked on purpose
    assert {f.entity for f in lint_book(book, today=TODAY, select="GB208,GB212")} == expected
