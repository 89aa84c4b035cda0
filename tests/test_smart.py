"""check_smart on single statements: what a facilitator sees for each criterion, the numbers and
deadline it reads, the traps it must not fall into, and how structured fields change the verdict."""

from __future__ import annotations

import json
from datetime import date

import pytest

import goalbook
from goalbook.smart import Criterion, SmartReport, check_smart

TODAY = date(2026, 11, 24)


def check(text: str, **kw) -> SmartReport:
    kw.setdefault("today", TODAY)
    return check_smart(text, **kw)


def test_a_good_statement_is_read_into_its_parts():
    r = check("Reduce monthly churn from 3.8% to 2.5% by December 31, 2026")
    assert (r.specific.status, r.measurable.status, r.time_bound.status) == ("pass", "pass", "pass")
    assert (r.baseline, r.target, r.unit, r.direction) == (3.8, 2.5, "%", "decrease")
    assert r.deadline == date(2026, 12, 31) and r.has_baseline
    assert r.text[slice(*r.spans["deadline"])] == "by December 31, 2026" == r.deadline_text
    assert r.text[slice(*r.spans["baseline"])] == "3.8%"
    assert r.text[slice(*r.spans["target"])] == "2.5%"
    assert r.text[slice(*r.spans["verb"])] == "Reduce"


def test_check_smart_is_the_public_entry_point():
    assert goalbook.check_smart is check_smart
    assert goalbook.SmartReport is SmartReport


def test_score_is_the_mean_of_the_five_criteria():
    r = check("Increase sales")
    points = {"pass": 1.0, "warn": 0.5, "fail": 0.0}
    expected = sum(points[getattr(r, c).status] for c in ("specific", "measurable", "achievable", "relevant",
                                                               "time_bound")) / 5
    assert r.score == pytest.approx(expected)
    assert check("Improve things").score < check("Raise NPS from 40 to 55 by Q2 2027").score


def test_to_dict_is_strict_json_even_for_huge_numbers():
    r = check("Increase revenue from $1 to $" + "9" * 500 + " by Q4")
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert data["target"] is None  # not a finite number
    assert data["criteria"]["achievable"]["status"] == "fail"
    assert set(data["criteria"]) == {"specific", "measurable", "achievable", "relevant", "time_bound", "owner"}


# --- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "target", "unit"), [
    ("Grow revenue to $1.2M by 2027", 1_200_000, "$"),
    ("Cut cloud spend to €40k a month", 40_000, "€"),
    ("Reach 3bn in annual bookings", 3e9, None),
    ("Raise income to £2.5 million by 2028", 2_500_000, "£"),
    ("Plant 30,000 trees across the borough by 2030", 30000, "trees"),
    ("Reach 1,200,000 members", 1_200_000, "members"),
    ("Increase the pass rate to 99.95%", 99.95, "%"),
    ("Raise the response rate to ten percent", 10, "%"),
    ("Hire twenty-five engineers by Q2", 25, "engineers"),
    ("Keep API latency under 300 ms", 300, "ms"),
    ("Maintain a satisfaction score of at least 4.5/5", 4.5, "/5"),
])
def test_targets_are_read_with_separators_magnitudes_and_units(text, target, unit):
    r = check(text)
    assert r.target == pytest.approx(target)
    if unit:
        assert r.unit == unit


@pytest.mark.parametrize(("text", "hint"), [
    ("Reach 1.200.000 members by 2028", "without separators"),
    ("Raise the rating from 2,5 to 4 by Q3", "decimals with a point"),
])
def test_an_ambiguous_number_is_a_number_with_no_value_as_in_a_field(text, hint):
    """goalbook.values reads numbers for fields and sentences alike: '2,5' is refused, not 2.5 or 25."""
    r = check(text)
    assert r.measurable.status == "pass"
    assert r.target is None or r.baseline is None
    assert hint in r.achievable.reason


@pytest.mark.parametrize(("text", "change", "change_unit"), [
    ("Reduce cost per acquisition by a third by Q3", 1 / 3, "fraction"),
    ("Double the number of apprentices by 2028", 2.0, "x"),
    ("Halve waiting times by 2030", 0.5, "x"),
    ("Grow paid subscribers 3x by 2028", 3.0, "x"),
    ("Increase trial conversion by ten percent each year", 10, "%"),
    ("Reduce the re-offending rate by 10 percentage points by 2029", 10, "pp"),
])
def test_relative_changes_are_a_change_not_a_target(text, change, change_unit):
    r = check(text)
    assert r.change == pytest.approx(change)
    assert r.change_unit == change_unit
    assert r.measurable.passed


def test_a_change_with_a_baseline_gives_the_target():
    assert check("Cut support tickets by 20% from 500 a week by Q2").target == pytest.approx(400)
    assert check("Grow members by half from 1,000 by 2027").target == pytest.approx(1500)


@pytest.mark.parametrize(("text", "bound"), [
    ("Keep churn below 2%", "at_most"), ("No more than 2 P1 incidents per quarter", "at_most"),
    ("Churn ≤ 2.5% by Q4", "at_most"), ("NPS of 55 or higher", "at_least"), ("At least 75% of adults", "at_least"),
    ("Answer calls in under 20 seconds", "at_most"),
])
def test_comparatives_set_the_bound(text, bound):
    assert check(text).bound == bound


def test_ranges_keep_both_ends():
    r = check("Keep occupancy between 85 and 92% every month")
    assert r.target_range == (85, 92)
    assert check("Keep occupancy at 85-92% every month").target_range == (85, 92)


@pytest.mark.parametrize("text", [
    "Achieve ISO 27001 certification by Q3 2027", "Cut Scope 1 and 2 emissions by 50% by 2030",
    "Launch v2.0 of the mobile app", "Answer 80% of 999 calls within 10 seconds",
])
def test_numbers_inside_names_are_not_targets(text):
    r = check(text)
    assert r.target not in (27001, 1, 2, 0, 999)


@pytest.mark.parametrize(("text", "deadline", "measurable"), [
    ("Ship the onboarding redesign pt 2 by end of Q1 2027", date(2027, 3, 31), "fail"),
    ("Reduce RTO (2hrs) to 30 minutes for tier-1 services", None, "pass"),
    ("Maintain 99.9% uptime throughout FY'24", date(2024, 12, 31), "pass"),
    ("Improve 30-day retention from 20% to 30% by Q3 2027", date(2027, 9, 30), "pass"),
    ("Walk for 40 minutes, 3 times during the week", None, "pass"),
])
def test_part_numbers_durations_and_short_years_are_not_targets_or_wrong_deadlines(text, deadline, measurable):
    """'pt 2' names a part, '2hrs' is a duration (not the second half), FY'24 is fiscal 2024."""
    r = check(text)
    assert (r.deadline, r.measurable.status) == (deadline, measurable)
    assert r.target not in (2, 24)


# --- deadlines ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "fys", "expected"), [
    ("Ship it by 2027-03-31", 1, date(2027, 3, 31)),
    ("Ship it in Q1-2028", 1, date(2028, 3, 31)),
    ("Ship it by the fall of 2027", 1, date(2027, 11, 30)),
    ("Ship it by March 31, 2027", 1, date(2027, 3, 31)),
    ("Ship it by 31 March 2027", 1, date(2027, 3, 31)),
    ("Ship it by 31st March 2027", 1, date(2027, 3, 31)),
    ("Ship it by 31/03/2027", 1, date(2027, 3, 31)),
    ("Ship it by 06/15/2027", 1, date(2027, 6, 15)),
    ("Ship it by 31.03.2027", 1, date(2027, 3, 31)),
    ("Ship it by Sept. 30, 2027", 1, date(2027, 9, 30)),
    ("Ship it by the 30th of April 2027", 1, date(2027, 4, 30)),
    ("Ship it by 30 June", 1, date(2027, 6, 30)),
    ("Ship it by 4 December", 1, date(2026, 12, 4)),
    ("Ship it by March 2027", 1, date(2027, 3, 31)),
    ("Ship it by the end of January", 1, date(2027, 1, 31)),
    ("Ship it by Q4", 1, date(2026, 12, 31)),
    ("Ship it by Q1", 1, date(2027, 3, 31)),
    ("Ship it in Q3 FY27", 7, date(2027, 3, 31)),
    ("Ship it in Q3 2027", 1, date(2027, 9, 30)),
    ("Ship it in H2 2027", 1, date(2027, 12, 31)),
    ("Ship it in H2 2027", 4, date(2027, 3, 31)),
    ("Ship it in 2H 2027", 1, date(2027, 12, 31)),
    ("Ship it in 2023", 1, date(2023, 12, 31)),
    ("Ship it by 2030", 4, date(2030, 12, 31)),
    ("Ship it by end of FY26", 4, date(2026, 3, 31)),
    ("Ship it in FY2027", 7, date(2027, 6, 30)),
    ("Ship it by 2027/28", 4, date(2028, 3, 31)),
    ("Ship it by year end", 1, date(2026, 12, 31)),
    ("Ship it by year end", 4, date(2027, 3, 31)),
    ("Ship it this quarter", 1, date(2026, 12, 31)),
    ("Ship it by next quarter", 1, date(2027, 3, 31)),
    ("Ship it by the end of next year", 1, date(2027, 12, 31)),
    ("Ship it within the next 90 days", 1, date(2027, 2, 22)),
    ("Ship it within 90 days", 1, date(2027, 2, 22)),
    ("Ship it over the next two quarters", 1, date(2027, 5, 24)),
    ("Ship it in 12 months", 1, date(2027, 11, 24)),
    ("Ship it within a decade", 1, date(2036, 11, 24)),
    ("Ship it by mid-2027", 1, date(2027, 6, 30)),
    ("Ship it by mid-March 2027", 1, date(2027, 3, 15)),
    ("Ship it by spring 2027", 1, date(2027, 5, 31)),
    ("Ship it before the summer", 1, date(2027, 5, 31)),
    ("Ship it before 1 July 2027", 1, date(2027, 6, 30)),
    ("Ship it no later than 30 April 2027", 1, date(2027, 4, 30)),
    ("Ship it by the end of the decade", 1, date(2029, 12, 31)),
    ("Ship it between April 1 and June 30", 1, date(2027, 6, 30)),
    ("Ship it by the first week of March 2027", 1, date(2027, 3, 7)),
    ("Ship it by Christmas", 1, date(2026, 12, 25)),
    ("Ship it by Black Friday", 1, date(2026, 11, 27)),
    ("Ship it each month", 1, date(2026, 11, 30)),
    ("Ship it every week", 1, date(2026, 11, 29)),
    ("Ship it each year", 4, date(2027, 3, 31)),
])
def test_deadlines_in_every_common_form(text, fys, expected):
    r = check(text, fiscal_year_start=fys)
    assert r.time_bound.passed, r.time_bound.reason
    assert r.deadline == expected


@pytest.mark.parametrize("text", [
    "Reduce support tickets by half before launch", "Complete testing by go-live",
    "Register 20,000 new voters by the mid-terms", "Obtain an 'Outstanding' rating at the next inspection",
    "Build 1.5 million homes over this Parliament", "Publish 3 papers this academic year",
    "Open 3 community clinics in year one", "Open 3 community clinics in the first year",
    "Open 3 community clinics by the end of year 2",
])
def test_events_are_time_bound_without_a_date(text):
    r = check(text)
    assert r.time_bound.passed
    assert r.deadline is None and r.deadline_text


def test_a_window_given_as_a_range_ends_at_its_far_end():
    r = check("Open 3 community clinics in the next three to five years")
    assert r.time_bound.passed and r.deadline == date(2031, 11, 24)


@pytest.mark.parametrize(("text", "phrase"), [
    ("Recruit 50 new volunteers per month", "per month"),
    ("Increase weekly active users from 12k to 20k", "weekly"),
    ("Respond to all customer emails within 4 hours", "within 4 hours"),
    ("Activate 90% of new accounts within 5 business days of signing", "within 5 business days"),
    ("Pay 95% of supplier invoices within 30 days", "within 30 days"),
    ("Run a 10-day boot camp for new managers", "10-day"),
    ("Grow revenue 20% year over year", "year over year"),
    ("Increase qualified pipeline by 15% versus last quarter", "last quarter"),
    ("Grow Q4 pipeline to $5M", "Q4"),
    ("Deliver 500 homes under the Vision 2030 programme", "2030"),
    ("Deliver the new leisure centre on time", "on time"),
])
def test_traps_are_not_deadlines_and_the_reason_quotes_them(text, phrase):
    r = check(text)
    assert r.time_bound.status == "fail"
    assert r.deadline is None
    assert f"'{phrase}'" in r.time_bound.reason
    assert r.text[slice(*r.spans["not_deadline"])] == phrase


def test_an_sla_window_is_a_deadline_only_when_a_real_deadline_is_added():
    r = check("Resolve 95% of customer complaints within 48 hours over the next three months")
    assert r.deadline == date(2027, 2, 24)
    assert r.target == 95


def test_a_baseline_period_is_not_a_deadline():
    r = check("Raise recycling from 40% in 2023 to 55% by 2030")
    assert r.deadline == date(2030, 12, 31) and r.baseline == 40
    r = check("Reduce carbon emissions 68% by 2030 compared to 1990 levels")
    assert r.deadline == date(2030, 12, 31) and not r.has_baseline


def test_a_past_deadline_fails_achievable():
    r = check("Increase conversion from 2% to 3% by 2025")
    assert r.time_bound.passed
    assert r.achievable.status == "fail" and "past" in r.achievable.reason


# --- specific and measurable ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "quoted"), [
    ("Improve customer satisfaction", "Improve"),
    ("Support the sales team with better collateral", "Support"),
    ("Explore new markets in Asia", "Explore"),
    ("Increase brand awareness", "brand awareness"),
    ("Launch a new product by Q3", "a new product"),
    ("Become the market leader in payroll tools", "Become the market leader"),
    ("Build better places to live across the borough", "better"),
    ("Provide enough food to the families we serve", "enough"),
    ("I will learn a new language", "a new language"),
])
def test_vague_statements_fail_specific_and_quote_the_words(text, quoted):
    r = check(text)
    assert r.specific.status == "fail"
    assert f"'{quoted}" in r.specific.reason
    assert r.specific.suggestion


@pytest.mark.parametrize("text", [
    "Students will be able to identify the main idea of a story",
    "Set in statute targets to reduce child poverty by 2030",
    "Reduce our Ecological Footprint so that we live within the planet's limits",
    "I want to get better grades",
    "Train for a half marathon",
    "We envision a carbon neutral campus by 2030",
])
def test_named_measures_and_skills_are_specific(text):
    assert check(text).specific.passed


@pytest.mark.parametrize("text", [
    "Train for a half marathon", "Get new users to their first real win fast enough to come back for a second one",
    "Schools with 50 or fewer pupils will share a head teacher by 2028",
    "Build confidence in my ability to complete the 50 by 50 challenge",
    "A sustainable borough that is moving towards carbon neutrality",
])
def test_compound_names_pronouns_and_scope_are_not_targets(text):
    """'a half marathon' is not 0.5 of a marathon; 'a second one' is not a count of one."""
    assert check(text).measurable.status == "fail"


def test_improve_gets_the_direction_and_amount_hint():
    r = check("Improve retention")
    assert "'Improve retention' says no direction and amount" in r.specific.suggestion
    assert "from A to B by DATE" in r.specific.suggestion


@pytest.mark.parametrize("text", [
    "Strive to cut onboarding time from 14 to 5 days by Q1", "Ensure 95% of invoices are paid within 30 days",
    "Support 200 local businesses with digital grants in 2027", "Engage 500 volunteers in the spring",
])
def test_a_hedge_with_a_quantified_aim_is_judged_on_the_aim(text):
    assert check(text).specific.passed


def test_placeholders_fail_both_and_a_named_x_does_not():
    r = check("Increase X by Y%")
    assert r.specific.status == r.measurable.status == "fail"
    assert "'X'" in r.specific.reason
    assert r.text[slice(*r.spans["placeholder"])] == "X"
    assert check("Generate 1,200 qualified leads for Product X by June 30").measurable.passed


@pytest.mark.parametrize(("text", "why"), [
    ("Significantly reduce waiting times in A&E", "'Significantly' is not a number"),
    ("Deliver thousands more meals to families", "'thousands'"),
    ("Publish the access and participation plan by 30 June", "milestone with no number"),
    ("Achieve 95% by Q4", "of what?"),
])
def test_measurable_failures_say_why(text, why):
    r = check(text)
    assert r.measurable.status == "fail"
    assert why in r.measurable.reason


@pytest.mark.parametrize("text", [
    "Migrate all customer data to the new platform", "Zero fatal errors each month", "Be carbon neutral by 2030",
    "Get grade B or above in the hygiene audit", "Be in the top 100 of the QS rankings by 2030",
    "Respond to tickets within 4 hours",
])
def test_exact_quantifiers_levels_and_sla_targets_are_measurable(text):
    assert check(text).measurable.passed


def test_a_missing_baseline_is_suggested():
    assert "baseline" in check("Grow weekly active users to 50,000 by June 2027").measurable.suggestion
    assert not check("Grow weekly active users from 20,000 to 50,000 by June 2027").measurable.suggestion


@pytest.mark.parametrize(("text", "metric"), [
    ("Sales: close $2M of Q4 pipeline", "Q4 pipeline"), ("Hire 5 senior engineers by Q2", "senior engineers"),
    ("Ensure 95% of invoices are paid within 30 days", "invoices"),
    ("Reduce monthly churn from 3.8% to 2.5% by Q4", "monthly churn"),
    ("Increase the number of enterprise deals", "number of enterprise deals"),
])
def test_the_metric_is_the_object_without_the_amount(text, metric):
    r = check(text)
    assert r.metric == metric
    if "metric" in r.spans:
        assert r.text[slice(*r.spans["metric"])] == metric


# --- direction ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "direction"), [
    ("Cut wait time to 10 minutes", "decrease"), ("Raise NPS from 40 to 55", "increase"),
    ("Keep churn below 2%", "maintain"), ("Zero fatal errors each month", "maintain"),
    ("Hire 5 senior engineers by Q2", "achieve"), ("Customer happiness", "none"),
    ("Improve response time to under 2 hours", "decrease"), ("Improve test coverage to 80%", "increase"),
    ("Achieve a 20% reduction in sick days", "decrease"),
    ("The target is to reduce carbon emissions by 68% by 2030", "decrease"),
    ("Under the plan, 100,000 more people will get a diagnosis within four weeks", "increase"),
    ("Walk for 40 minutes, 3 times during the week", "maintain"),
    ("Turn in all homework assignments on time for the next 30 days", "maintain"),
    ("Weekend pages distributed across at least 4 engineers per squad per quarter", "maintain"),
    ("A 5% annual improvement in spills at our facilities", "decrease"),
    ("Improve days sales outstanding to 45", "decrease"),
    ("Improve the pupil dropout rate to 2% by 2028", "decrease"),
    ("Lost-time injuries should reach and remain at zero", "achieve"),
    ("We will cut emissions by 68% by 2030 – and reach a share of 77% renewables by 2035", "decrease"),
])
def test_direction_follows_the_verb_and_the_metric(text, direction):
    assert check(text).direction == direction


# --- owner, relevant and structured fields ----------------------------------------------------------
def test_an_owner_prefix_is_stripped_and_names_the_owner():
    r = check("Sales: close $2M of Q4 pipeline")
    assert r.owner.passed and r.owner_name == "Sales"
    assert r.text[slice(*r.spans["owner"])] == "Sales"
    assert r.specific.passed
    r = check("@maria - cut onboarding time from 14 days to 5 days by the end of Q1")
    assert r.owner_name == "@maria" and r.specific.passed and r.has_baseline
    r = check("NPS: 45 → 60 by Q3 2027")
    assert r.owner.status == "warn" and (r.baseline, r.target) == (45, 60)


def test_relevant_checks_links_against_known_ids():
    assert check("Grow sales").relevant.status == "warn"
    assert check("Grow sales", aligned_to="CO-1.KR1").relevant.passed
    assert check("Grow sales", aligned_to=["CO-1.KR1"], known_ids={"CO-1.KR1", "CO-2"}).relevant.passed
    r = check("Grow sales", aligned_to=["CO-1.KR7"], known_ids={"CO-1.KR1", "CO-2"})
    assert r.relevant.status == "fail" and "did you mean 'CO-1.KR1'" in r.relevant.reason


def test_structured_fields_override_and_complement_the_text():
    r = check("Improve customer happiness", metric="CSAT", target=85, baseline="72%", deadline="2027-Q2")
    assert r.measurable.passed and r.time_bound.passed
    assert r.deadline == date(2027, 6, 30) and r.baseline == 72 and r.target == 85
    r = check("Increase sales from 10 to 12 by Q4", deadline=date(2027, 9, 30), owner="maria")
    assert r.deadline == date(2027, 9, 30) and r.owner.passed and r.owner_name == "maria"
    assert check("Increase sales", deadline="by end of Q3").deadline == date(2027, 9, 30)


def test_unreadable_fields_are_reported_not_raised():
    r = check("Increase sales", deadline="someday", baseline="n/a", target=float("nan"))
    assert r.time_bound.status == "fail" and "someday" in r.time_bound.reason
    assert r.baseline is None and r.target is None
    with pytest.raises(TypeError, match="did you mean 'deadline'"):
        check("Increase sales", dedline="2027-01-01")
    with pytest.raises(ValueError):
        check("Increase sales", fiscal_year_start=13)


def test_achievable_compares_the_pace_with_history():
    history = [(date(2026, 9, 1), 60), (date(2026, 10, 1), 80), (date(2026, 11, 1), 100)]
    ok = check("Increase weekly active users from 100 to 200 by 2027-06-30", history=history)
    assert ok.achievable.passed
    far = check("Increase weekly active users from 100 to 500 by 2027-01-31", history=history)
    assert far.achievable.status == "warn" and "more than the trend" in far.achievable.reason
    assert "chance of meeting" in far.achievable.reason
    assert "move the deadline to about" in far.achievable.suggestion
    assert "no history" in check("Increase users from 100 to 200 by 2027-06-30").achievable.reason


@pytest.mark.parametrize(("text", "why"), [
    ("Increase the conversion rate to 120% by Q2", "above 100%"),
    ("Reduce open incidents from 10 to -5 by Q2", "negative"),
    ("Increase sales from 10 to 10 by Q4", "equals the baseline"),
    ("Reduce churn from 2% to 4% by Q4", "says decrease"),
])
def test_impossible_targets_fail_achievable(text, why):
    r = check(text)
    assert r.achievable.status == "fail" and why in r.achievable.reason


def test_holding_a_level_may_equal_its_baseline():
    assert check("Keep churn at 2% (currently 2%) every month").achievable.status != "fail"


def test_criteria_are_plain_values():
    c = Criterion("specific", "pass", "names 'sales'")
    assert c.passed and c.to_dict() == {"status": "pass", "reason": "names 'sales'", "suggestion": ""}
    with pytest.raises(ValueError):
        Criterion("specific", "ok", "")


@pytest.mark.parametrize("text", ["Meditate once per day", "Call my mother once a week",
                                  "Take the tablets thrice daily"])
def test_once_and_thrice_are_frequencies_held_like_twice(text):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.specific.status, r.measurable.status, r.direction) == ("pass", "pass", "maintain"), str(r)


def test_once_as_a_conjunction_is_no_frequency():
    r = check_smart("Once the portal is live, migrate 40 clinics to it", today=date(2026, 11, 24))
    assert r.measurable.status == "pass" and r.target == 40, str(r)


@pytest.mark.parametrize("text", ["Save $5,000 by December", "I want to raise £20,000 for the shelter by May",
                                  "Pay off $3,000 of card debt by June 2027"])
def test_a_sum_after_a_verb_of_money_names_its_own_metric(text):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.specific.status, r.measurable.status) == ("pass", "pass"), str(r)


@pytest.mark.parametrize("text", ["Grow $5,000 by December", "Achieve 95% by Q4"])
def test_a_bare_amount_after_another_verb_still_asks_of_what(text):
    r = check_smart(text, today=date(2026, 11, 24))
    assert r.specific.status == "fail" and "of what" in r.specific.reason, str(r)


@pytest.mark.parametrize("text, specific", [("Become fluent in Spanish by 2028", "pass"),
                                            ("Become conversational in French", "pass"),
                                            ("Become fluent in communication", "fail"),
                                            ("Become a better leader", "fail")])
def test_a_level_of_a_named_skill_is_specific_but_not_measurable(text, specific):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.specific.status, r.measurable.status) == (specific, "fail"), str(r)
    if specific == "pass":
        assert r.direction == "achieve"


@pytest.mark.parametrize("text, fys, day", [("Hire 5 nurses by year-end 2027", 1, date(2027, 12, 31)),
                                            ("Hire 5 nurses by EOY 2027", 1, date(2027, 12, 31)),
                                            ("Close the books by EOFY 2028", 4, date(2028, 3, 31)),
                                            ("Hire 5 nurses by year end 2027", 7, date(2027, 6, 30)),
                                            ("Hire 5 nurses by year-end", 1, date(2026, 12, 31))])
def test_a_year_end_with_a_year_ends_that_year(text, fys, day):
    assert check_smart(text, today=date(2026, 11, 24), fiscal_year_start=fys).deadline == day


@pytest.mark.parametrize("text, way", [("Improve on-time delivery to 98%", "increase"),
                                       ("Improve full-time staff retention to 90%", "increase"),
                                       ("Improve time to hire to 30 days", "decrease"),
                                       ("Improve lead-time to 5 days", "decrease")])
def test_time_that_qualifies_a_noun_is_not_a_duration(text, way):
    assert check_smart(text, today=date(2026, 11, 24)).direction == way


@pytest.mark.parametrize("text", ["Improve them by 15%", "Keep them under 5%", "Increase it by 20% by Q3"])
def test_a_pronoun_object_names_no_metric(text):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.specific.status, r.measurable.status) == ("fail", "fail") and "of what" in r.specific.reason, str(r)


def test_a_bounded_number_after_a_plural_noun_and_with_is_scope_not_target():
    r = check_smart("Improve reading scores in schools with 50 or fewer pupils", today=date(2026, 11, 24))
    assert (r.specific.status, r.measurable.status) == ("fail", "fail"), str(r)
    r = check_smart("Serve 200 households with 3 or more children by June", today=date(2026, 11, 24))
    assert r.measurable.status == "pass" and r.target == 200, str(r)


@pytest.mark.parametrize("text, way", [("Lift weights 3 days/week", "maintain"),
                                       ("Meditate 10 minutes each morning", "maintain"),
                                       ("Shave 10 minutes off my half marathon time by October 2027", "decrease"),
                                       ("Gain 3 kg of muscle by summer 2027", "increase"),
                                       ("30% less plastic packaging by 2028", "decrease"),
                                       ("Get our app onto more school tablets in the county", "increase"),
                                       ("Targeting 5% sales growth and a margin of 12% to 14% by 2028", "achieve"),
                                       ("A reduction of landfill waste will be achieved by 2030", "decrease")])
def test_direction_of_habits_less_more_and_passive_aims(text, way):
    assert check_smart(text, today=date(2026, 11, 24)).direction == way


def test_a_passive_aim_is_judged_on_its_subject():
    r = check_smart("A reduction of landfill waste will be achieved by 2030", today=date(2026, 11, 24))
    assert r.specific.status == "pass" and "landfill waste" in r.specific.reason, str(r)
    r = check_smart("A plan will be developed", today=date(2026, 11, 24))
    assert r.specific.status == "fail", str(r)


@pytest.mark.parametrize("text, measurable", [
    ("Raise the share of pupils taking two languages from grade 7 to 11", "fail"),  # a range of names
    ("By 2027 the waiting time in each of the three clinics falls below the national median", "fail"),
    ("Complete an audit of all fleet vehicles and repeat it every other year", "fail"),
    ("Launch the loyalty programme in all UK stores by Black Friday", "pass"),  # coverage to reach
])
def test_numbers_that_only_name_the_scope_are_not_the_target(text, measurable):
    assert check_smart(text, today=date(2026, 11, 24)).measurable.status == measurable


@pytest.mark.parametrize("text, day", [("Cut waiting lists by 10% by 31-Mar-2027", date(2027, 3, 31)),
                                       ("Cut waiting lists by 10% by 15/Jun/27", date(2027, 6, 15)),
                                       ("2030 target: cut waiting lists by 10%", date(2030, 12, 31)),
                                       ("Target 2030: cut waiting lists by 10%", date(2030, 12, 31)),
                                       ("Goal 2: cut waiting lists by 10% by March 2027", date(2027, 3, 31)),
                                       ("Cut waiting lists by 10% by Q3/2027", date(2027, 9, 30)),
                                       ("Cut waiting lists by 10% by 2027-06", date(2027, 6, 30)),
                                       ("Cut waiting lists by 10% over the 2025-2030 period", date(2030, 12, 31)),
                                       ("Cut waiting lists by 10% in 2026-27", date(2027, 12, 31))])
def test_hyphenated_dates_and_year_labels_are_deadlines(text, day):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.time_bound.status, r.deadline) == ("pass", day), str(r)


def test_a_year_in_a_name_is_still_no_deadline():
    r = check_smart("Deliver the Vision 2030 plan", today=date(2026, 11, 24))
    assert r.time_bound.status == "fail", str(r)


@pytest.mark.parametrize("word", ["Repair", "Survey", "Plan", "Order", "Book"])
def test_a_first_word_known_as_a_noun_is_a_verb_before_a_determiner(word):
    r = check_smart(f"{word} the customer onboarding guide by March 2027", today=date(2026, 11, 24))
    assert (r.specific.status, r.direction) == ("pass", "achieve"), str(r)


@pytest.mark.parametrize("text", ["Reach 500 members by our 10th anniversary", "Fix 20 defects before the 2nd release"])
def test_an_event_with_an_ordinal_is_a_deadline_with_no_date(text):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.time_bound.status, r.deadline) == ("pass", None) and r.deadline_text, str(r)


@pytest.mark.parametrize("text, way", [("Rough sleeping will be ended by 2027", "decrease"),
                                       ("Capacity will be expanded to 400 beds by 2028", "increase"),
                                       ("Fees will not be increased next year", "maintain")])
def test_a_passive_change_verb_sets_the_direction(text, way):
    assert check_smart(text, today=date(2026, 11, 24)).direction == way


@pytest.mark.parametrize("text, day", [("Cut waiting lists by 10% by 2027/28 Q2", date(2027, 9, 30)),
                                       ("Cut waiting lists by 10% by 2027-28 H1", date(2027, 9, 30))])
def test_a_quarter_or_half_after_a_fiscal_year_range_is_of_that_year(text, day):
    assert check_smart(text, today=date(2026, 11, 24), fiscal_year_start=4).deadline == day


@pytest.mark.parametrize("text, day", [("Cut waiting lists by 10% by mid-year", date(2027, 6, 30)),
                                       ("Cut waiting lists by 10% by September next year", date(2027, 9, 30)),
                                       ("Cut waiting lists by 10% this time next year", date(2027, 11, 24)),
                                       ("Cut waiting lists by 10% by the end of first quarter 2027", date(2027, 3, 31)),
                                       ("Cut waiting lists by 10% in the second half of next year",
                                        date(2027, 12, 31))])
def test_relative_month_half_and_quarter_phrases(text, day):
    assert check_smart(text, today=date(2026, 11, 24)).deadline == day


@pytest.mark.parametrize("text, day", [("Cut waiting lists by 10% by the end of the 2020s", date(2029, 12, 31)),
                                       ("Cut waiting lists by 10% in the 2030s", date(2039, 12, 31)),
                                       ("Cut waiting lists by 10% in the year ahead", date(2027, 11, 24))])
def test_decades_and_the_year_ahead(text, day):
    assert check_smart(text, today=date(2026, 11, 24)).deadline == day


@pytest.mark.parametrize("text, day", [("Cut waiting lists by 10% within 2-3 years", date(2029, 11, 24)),
                                       ("Cut waiting lists by 10% over the next 12-18 months", date(2028, 5, 24))])
def test_a_hyphenated_range_of_units_is_a_window_to_its_far_end(text, day):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.time_bound.status, r.deadline) == ("pass", day), str(r)
    assert check_smart("Pursue a 3-5 year lease for the shelter", today=date(2026, 11, 24)).time_bound.status == "fail"


@pytest.mark.parametrize("text, bound", [("Cut waiting lists by 10% by the end of the reporting period", "pass"),
                                         ("Cut waiting lists by 10% by the end of the sprint", "pass"),
                                         ("Cut waiting lists by 10% by the time the new building opens", "pass"),
                                         ("Cut waiting lists by 10% by the next census", "pass"),
                                         ("Cut waiting lists by 10% over the same period", "fail")])
def test_spans_named_by_what_they_belong_to_are_events(text, bound):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.time_bound.status, r.deadline) == (bound, None), str(r)


@pytest.mark.parametrize("text, way", [("Fewer young people will be out of work in 2028", "decrease"),
                                       ("More residents will recycle their food waste", "increase"),
                                       ("Less waste will go to landfill by 2030", "decrease")])
def test_a_comparative_subject_is_a_change_in_its_count(text, way):
    r = check_smart(text, today=date(2026, 11, 24))
    assert (r.specific.status, r.direction) == ("pass", way), str(r)


def test_a_feeling_is_no_measure_until_a_survey_counts_it():
    assert check_smart("Our residents will feel safer", today=date(2026, 11, 24)).specific.status == "fail"
    r = check_smart("Raise the share of residents who feel safe from 61% to 70% by 2027", today=date(2026, 11, 24))
    assert r.specific.status == "pass", str(r)


@pytest.mark.parametrize("text", ["ISE", "Digitise", "Optimize"])
def test_a_one_word_statement_ending_like_a_verb_is_judged_not_crashed(text):
    assert check_smart(text, today=date(2026, 11, 24)).specific.status == "fail"


def test_the_first_months_of_a_year_end_with_them():
    r = check_smart("Cut waiting lists by 10% in the first six months of 2027", today=date(2026, 11, 24))
    assert r.deadline == date(2027, 6, 30), str(r)
    r = check_smart("Decrease churn in the first 90 days from 18% to 10%", today=date(2026, 11, 24))
    assert r.time_bound.status == "fail", str(r)  # a customer's first 90 days: part of the metric
