"""``goalbook lint``: files and folders in, findings out as text, JSON or GitHub annotations; exit 0
when nothing is an error, 1 when something is, 2 on usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from goalbook.cli import main
from goalbook.cli.lint import collect

DATA = Path(__file__).parent / "data" / "lint"
WORKSHOP = DATA / "workshop"
REPO = Path(__file__).parent.parent
EARLY = "2027-01-05"  # the quarter has just begun: nothing is stale yet


def lint(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_folder_goalbook_is_linted_with_each_finding_at_its_file_and_line(capsys):
    code, out, _ = lint(capsys, str(WORKSHOP / "goalbook.yaml"), str(WORKSHOP / "team-web.yaml"), "--today", EARLY,
                        "--select", "GB2")
    lines = out.splitlines()
    team = WORKSHOP / "team-web.yaml"
    main_file = WORKSHOP / "goalbook.yaml"
    assert lines == [
        f"{main_file}:{line_of(main_file, 'id: WEB-O.KR1')}: GB203 warning: Key result WEB-O.KR1, “Launch the new "
        "booking app”, reads as a task or output (“Launch”), not an outcome. — Make it an initiative that supports "
        "WEB-O, and make the key result the change the work should cause: which number moves, from what to what.",
        f"{team}:{line_of(team, 'id: WEB-2')}: GB208 warning: Goal WEB-2 serves no company objective: it has no "
        "link. — Link it to the company key result or objective it moves (supports: [ID]); if it serves none, ask "
        "whether it is worth the effort.",
        f"{team}:{line_of(team, 'id: KPI-NPS')}: GB211 warning: KPI KPI-NPS has no green/amber thresholds: only the "
        "target 55 separates green from red, with no early warning. — Set green: (healthy, at or above) and amber: "
        "(act now) levels.",
        "Found 0 errors, 3 warnings, 0 infos in 2 files.",
    ]
    assert code == 0


def test_a_folder_is_searched_for_goalbooks_csv_and_goals_text_only():
    units = list(collect([str(WORKSHOP)]))
    found = [(u.kind, [Path(f).name for f in u.files]) for u in units]
    assert found == [("book", ["goalbook.yaml", "team-web.yaml"]), ("text", ["draft-goals.txt"])]


def test_a_part_named_with_its_goalbook_is_linted_once(capsys):
    code, out, _ = lint(capsys, str(WORKSHOP / "team-web.yaml"), str(WORKSHOP), "--today", EARLY,
                        "--select", "GB208")
    assert out.count("GB208") == 1
    assert code == 0


def test_a_goalbook_that_does_not_load_gives_gb001_at_its_line_and_exit_1(capsys):
    code, out, _ = lint(capsys, str(DATA / "broken.yaml"))
    first = out.splitlines()[0]
    assert first.startswith(f"{DATA / 'broken.yaml'}:{line_of(DATA / 'broken.yaml', 'colour:')}: GB001 error: ")
    assert "unknown field 'colour'" in first
    assert out.splitlines()[-1] == "Found 1 error, 0 warnings, 0 infos in 1 file."
    assert code == 1


def test_ignoring_gb001_silences_a_broken_file(capsys):
    code, out, _ = lint(capsys, str(DATA / "broken.yaml"), "--ignore", "GB001")
    assert out.strip() == "No problems found in 1 file."
    assert code == 0


def test_json_is_a_list_of_findings(capsys):
    code, out, _ = lint(capsys, str(WORKSHOP), "--format", "json", "--today", EARLY, "--select", "GB208,GB211")
    data = json.loads(out)
    assert [(d["code"], d["entity"], d["severity"], d["rule"]) for d in data] == [
        ("GB208", "WEB-2", "warning", "not-aligned"), ("GB211", "KPI-NPS", "warning", "kpi-without-thresholds")]
    assert data[0]["file"] == str(WORKSHOP / "team-web.yaml")
    assert data[0]["line"] == line_of(WORKSHOP / "team-web.yaml", "id: WEB-2")
    assert set(data[0]) == {"code", "severity", "message", "suggestion", "entity", "field", "file", "line", "rule"}
    assert code == 0


def test_github_format_writes_workflow_annotations(capsys):
    code, out, _ = lint(capsys, str(DATA / "broken.yaml"), str(WORKSHOP), "--format", "github", "--today", EARLY,
                        "--select", "GB001,GB208")
    lines = out.splitlines()
    assert lines[0].startswith(f"::error file={DATA / 'broken.yaml'},line=13,title=GB001::Key result CO-1.KR1: "
                               "unknown field 'colour'")
    team = WORKSHOP / "team-web.yaml"
    assert lines[1].startswith(f"::warning file={team},line={line_of(team, 'id: WEB-2')},title=GB208::Goal WEB-2 ")
    assert len(lines) == 2
    assert code == 1


def test_github_annotations_escape_what_would_break_them(tmp_path, capsys):
    book = tmp_path / "a,b.yaml"
    book.write_text("goalbook: 1\nobjectives:\n  - id: CO-1\n    title: \"Grow\\nrevenue 100%\"\n    level: company\n"
                    "    owner: ceo\n    period: 2027-Q1\n")
    code, out, _ = lint(capsys, str(book), "--format", "github", "--select", "GB216")
    assert out.strip() == (f"::notice file={tmp_path}/a%2Cb.yaml,line=3,title=GB216::Objective CO-1, “Grow "
                           "revenue 100%25”, carries its numbers in the title. — Say the aim in words and move the "
                           "number into a key result.")
    assert code == 0


def test_findings_print_no_terminal_escapes(tmp_path, capsys):
    book = tmp_path / "goals.yaml"
    book.write_text("goalbook: 1\nobjectives:\n  - id: CO-1\n    title: \"Grow 5% \\e[31mred\"\n    level: company\n"
                    "    owner: ceo\n    period: 2027-Q1\n")
    code, out, _ = lint(capsys, str(book), "--select", "GB216")
    assert "\x1b" not in out and "Grow 5%  [31mred" in out
    assert code == 0


@pytest.mark.parametrize("argv", [
    ["--select", "GB999"],
    ["--ignore", "nonsense"],
    ["--today", "2027-02-30"],
    ["--format", "xml"],
])
def test_usage_errors_exit_2(capsys, argv):
    code, out, err = lint(capsys, str(WORKSHOP), *argv)
    assert code == 2
    assert out == ""
    assert err


def test_a_missing_path_exits_2_naming_it(capsys):
    code, _, err = lint(capsys, str(DATA / "nowhere.yaml"))
    assert code == 2
    assert "nowhere.yaml: no such file or folder" in err


def test_no_path_at_all_exits_2(capsys):
    code, _, err = lint(capsys)
    assert code == 2 and "name at least one file" in err


def test_an_empty_folder_has_nothing_to_lint_and_is_not_an_error(tmp_path, capsys):
    code, _, err = lint(capsys, str(tmp_path))
    assert code == 0 and "no goalbook, CSV or goals text file" in err


def test_list_rules_prints_the_registry(capsys):
    code, out, _ = lint(capsys, "--list-rules")
    assert code == 0
    assert "GB209  warning  near-duplicate" in out
    assert len(out.splitlines()) == len(__import__("goalbook.lint").lint.RULES)


def test_a_csv_without_a_statement_column_is_gb001(tmp_path, capsys):
    path = tmp_path / "survey.csv"
    shutil.copy(WORKSHOP / "survey.csv", path)
    code, out, _ = lint(capsys, str(path), "--select", "GB001")
    assert out.splitlines()[0] == (f"{path}:1: GB001 error: The CSV has no 'statement' column (its columns: "
                                   "question, answer). — Name the column that holds the goals 'statement'.")
    assert code == 1


def test_text_and_csv_statements_are_checked_line_by_line(capsys):
    code, out, _ = lint(capsys, str(WORKSHOP / "draft-goals.txt"), str(DATA / "statements.csv"), "--today", EARLY,
                        "--format", "json")
    data = json.loads(out)
    txt = [d for d in data if d["file"].endswith(".txt")]
    csv = [d for d in data if d["file"].endswith(".csv")]
    # "Improve customer happiness" (line 2) is vague; the good statement (line 4) has nothing that fails
    assert {d["line"] for d in txt if d["severity"] == "error"} == {2}
    assert {"GB101", "GB102", "GB105"} <= {d["code"] for d in txt if d["line"] == 2}
    assert {d["line"] for d in csv if d["severity"] == "error"} == {2, 4}  # vague row, and a bad deadline cell
    bad_date = [d for d in csv if d["line"] == 4]
    assert [(d["code"], d["field"]) for d in bad_date] == [("GB001", "deadline")]
    assert not [d for d in csv if d["line"] == 3 and d["severity"] == "error"]
    assert code == 1


def test_pre_commit_hook_runs_goalbook_lint():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "goalbook-lint")
    assert hook["entry"] == "goalbook lint" and hook["language"] == "python"
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("goals/northwind.yaml") and pattern.search("workshop/draft-goals.txt")
    assert not pattern.search("src/app.py")


def test_thresholds_come_from_a_config_file_or_the_nearest_pyproject(tmp_path, capsys, monkeypatch):
    book = tmp_path / "goals.yaml"
    objectives = "".join(f"  - {{id: CO-{n}, title: Aim {n}, level: company, owner: ceo, period: 2027-Q1}}\n"
                         for n in range(1, 5))
    book.write_text("goalbook: 1\nobjectives:\n" + objectives)
    monkeypatch.chdir(tmp_path)
    code, out, _ = lint(capsys, str(book), "--select", "GB218")
    assert "GB218 warning: The company has 4 objectives in 2027-Q1" in out
    (tmp_path / "pyproject.toml").write_text("[tool.goalbook.lint]\nmax_company_objectives = 4\n")
    code, out, _ = lint(capsys, str(book), "--select", "GB218")
    assert out.strip() == "No problems found in 1 file."
    settings = tmp_path / "strict.toml"
    settings.write_text("[lint]\nmax_company_objectives = 2\nmax_key_result = 4\n")
    code, _, err = lint(capsys, str(book), "--config", str(settings))
    assert code == 2
    assert err.strip() == (f"goalbook lint: {settings} [lint]: 'max_key_result' is not a lint setting (did you mean "
                           "'max_key_results'?) (settings: min_key_results, max_key_results, max_goals_per_owner, "
                           "max_company_objectives, max_team_objectives, max_team_kpis)")


def test_a_book_that_goalbook_graph_refuses_for_a_loop_fails_lint_too(tmp_path, capsys):
    book = tmp_path / "loop.yaml"
    book.write_text(
        "goalbook: 1\nobjectives:\n"
        "  - id: CO-1\n    title: Delight patients\n    level: company\n    owner: ceo\n    period: 2027-Q1\n"
        "    key_results:\n      - {id: CO-1.KR1, title: Raise NPS from 40 to 50, baseline: 40, target: 50}\n"
        "smart_goals:\n  - id: G-1\n    statement: Cut wait from 20 to 10 minutes by 2027-03-31\n"
        "    owner: ops\n    period: 2027-Q1\n    supports: [CO-1.KR1]\n"
        "links:\n  - {from: CO-1, to: G-1}\n")
    assert main(["graph", str(book)]) != 0
    capsys.readouterr()
    code, out, _ = lint(capsys, str(book), "--select", "GB220")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{book}:3: GB220 error: The links form a loop: CO-1 → G-1 → CO-1.KR1 → CO-1. A goal cannot serve "
        "itself, and `goalbook graph` refuses this book until the loop is broken. — Remove one of these links "
        "(usually the one that points down, from a company goal to a team's).")
