"""The KPI library: complete, cited entries, searchable from the command line, and used to suggest links."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlparse

import pytest

import goalbook
from goalbook import kpi
from goalbook.cli import main
from goalbook.linking import suggest_links
from goalbook.model import FREQUENCIES, INDICATORS


def test_the_library_has_at_least_80_kpis_across_every_domain_each_complete_and_cited():
    entries = kpi.library()
    assert len(entries) >= 80
    per_domain = Counter(e.domain for e in entries)
    assert set(per_domain) == set(kpi.DOMAINS)
    assert min(per_domain.values()) >= 5, per_domain
    for e in entries:
        assert e.definition and e.formula and e.unit, e.id
        assert e.direction in ("increase", "decrease") and e.indicator in INDICATORS, e.id
        assert e.cadence in FREQUENCIES, e.id  # a KPI made from it can keep the cadence as its frequency
        url = urlparse(e.source)
        assert url.scheme in ("http", "https") and "." in url.netloc, e.id
    assert len({e.id for e in entries}) == len(entries)


def test_search_finds_a_metric_by_its_name_a_synonym_or_an_acronym():
    assert kpi.search("AHT")[0].kpi.id == "average_handle_time"
    assert kpi.search("no-shows")[0].kpi.id == "no_show_rate"
    assert kpi.search("staff attrition")[0].kpi.id == "employee_turnover"
    assert kpi.search("deployment frequency")[0].kpi.id == "deployment_frequency"
    assert kpi.search("churn", domain="customer success")[0].kpi.id == "customer_churn_rate"
    assert kpi.search("zzzz quux") == []


def test_recognise_needs_the_words_of_a_name_together_and_in_order():
    assert kpi.recognise("Cut average call handling time from 7.5 to 5.5 minutes") == ("average_handle_time",)
    assert kpi.recognise(None, "calls answered within 60 seconds") == ("service_level",)
    # "time" and "book" both occur, but not as "time to book"
    assert "time_on_task" not in kpi.recognise("Cut handling time in minutes with a new booking script")


def test_metric_names_lists_names_and_synonyms_longest_first():
    names = kpi.metric_names()
    assert "net promoter score" in names and "nps" in names and "average handling time" in names
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)


def test_cli_search_prints_definition_formula_and_source(capsys):
    assert main(["kpi", "search", "first", "call", "resolution", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("first_contact_resolution: First contact resolution [customer success]")
    assert "formula: enquiries resolved on first contact / all enquiries x 100" in out
    assert "higher is better · leading · usually weekly" in out
    assert "source: https://en.wikipedia.org/wiki/First_call_resolution" in out
    assert main(["kpi", "search", "zzzz"]) == 1
    assert "no KPI in the library matches 'zzzz'" in capsys.readouterr().out


def test_cli_search_json_and_show_by_synonym(capsys):
    assert main(["kpi", "search", "uptime", "--format", "json", "--limit", "1"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == "availability" and row["source"].startswith("https://sre.google/")
    assert main(["kpi", "show", "NPS"]) == 0
    assert capsys.readouterr().out.startswith("net_promoter_score: Net promoter score")
    assert main(["kpi", "show", "net_promoter_scor"]) == 1
    assert "did you mean 'net_promoter_score'" in capsys.readouterr().out


def _intended(book: goalbook.Goalbook, goal_id: str) -> str:
    """The first company key result the goal names in its supports."""
    company_krs = {kr.id for o in book.objectives if o.level == "company" for kr in o.key_results}
    return next(lk.target for lk in book.links_from(goal_id) if lk.target in company_krs)


@pytest.mark.parametrize("goal_id", [g.id for g in goalbook.load_example().smart_goals])
def test_on_the_example_each_team_goals_company_key_result_is_in_the_top_three(goal_id):
    book = goalbook.load_example()
    top = [s.target for s in suggest_links(book, goal_id, limit=3)]
    assert _intended(book, goal_id) in top, top


def test_a_suggestion_made_through_the_library_says_which_metrics_relate():
    book = goalbook.load_example()
    s = next(s for s in suggest_links(book, "CC-2") if s.target == "CO-1.KR4")
    assert any(m.startswith("Average handle time") for m in s.shared_metrics), s.shared_metrics
    assert any(r.startswith("related metrics 'Average handle time") for r in s.reasons), s.reasons
    assert any("'Average handle time" in r
               for r in s.reasons)
