"""The goalbook file format as data: every section, entity and field, in the order files are written.

One table drives the YAML reader, the writer (key order, which defaults to omit), the spreadsheet
tables and the JSON Schema, so the four cannot drift apart. docs/FORMAT.md describes the same thing
in prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goalbook import model as m

# value kinds
TEXT = "text"
NUMBER = "number"
INTEGER = "integer"
DATE = "date"
DATETIME = "datetime"
PERIOD = "period"
BOOL = "bool"
SUPPORTS = "supports"  # inline links: list of ids or {id, kind, weight}
KEY_RESULTS = "key_results"
CHECKPOINTS = "checkpoints"
VALUES = "values"
SPEND = "spend"  # dated spend entries of a SMART goal or initiative
APPROVERS = "approvers"  # {levels: {level: [people]}, teams: {team: [people]}}


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an entity in a goalbook file."""

    key: str
    kind: str
    doc: str
    enum: tuple[str, ...] = ()
    default: Any = None  # the model's default; omitted on save
    always: bool = False  # written even when it holds the default, because readers need it
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # exclusive minimum


@dataclass(frozen=True, slots=True)
class Shape:
    """An entity kind as it appears in a file: its words, its model class and its fields in order."""

    name: str  # in messages: "key result"
    section: str  # the list it lives in: "key_results"
    cls: type | None
    fields: tuple[Field, ...]
    required: tuple[str, ...]

    @property
    def by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


def _id(what: str) -> Field:
    return Field("id", TEXT, f"unique id of the {what}, across every kind and file (e.g. CO-1, CO-1.KR2, WEB-1)")


_OWNER = Field("owner", TEXT, "who is accountable (a handle or name)")
_TEAM = Field("team", TEXT, "the team it belongs to")
_METRIC = Field("metric", TEXT, "what is measured")
_UNIT = Field("unit", TEXT, "unit of the numbers, e.g. %, min, clinics")
_INDICATOR = Field("indicator", TEXT, "leading (moves early) or lagging (the outcome)", enum=m.INDICATORS)
_CONFIDENCE = Field("confidence", NUMBER, "how sure the owner is that it will be met, 0-10", minimum=0, maximum=10)
_SCORE_OVERRIDE = Field("score_override", NUMBER, "end-of-period score set by hand, 0.0-1.0 (needs score_reason)",
                        minimum=0, maximum=1)
_SCORE_REASON = Field("score_reason", TEXT, "why the score was set by hand")
_APPROVAL = Field("approval", TEXT, "review state", enum=m.APPROVALS, default="draft")
_WEIGHT = Field("weight", NUMBER, "relative weight, above 0 (default 1)", default=1.0, above=0)
_SOURCE = Field("source", TEXT, "where `goalbook refresh` reads the value: 'sql URL' with the query on the next "
               "lines, 'csv PATH' or 'parquet PATH' with a pandas expression, or 'python module:function'")
_SUPPORTS = Field("supports", SUPPORTS, "ids this serves; a link of kind 'contributes' unless given as "
                  "{id, kind, weight}")

CHECKPOINT = Shape("checkpoint", "checkpoints", m.Checkpoint, (
    Field("name", TEXT, "what has to be done"),
    Field("done", BOOL, "whether it is done", default=False, always=True),
), ("name",))

KEY_RESULT = Shape("key result", "key_results", m.KeyResult, (
    _id("key result"),
    Field("title", TEXT, "the result in one line, e.g. 'Raise online bookings from 38% to 60%'"),
    _METRIC,
    Field("direction", TEXT, "increase | decrease | maintain (hold a threshold) | milestone (done or not)",
          enum=m.DIRECTIONS, default="increase", always=True),
    Field("bound", TEXT, "for maintain: at_least (>=), at_most (<=), above (>) or below (<) the target, "
          "or a band between low and high (inclusive)", enum=m.BOUNDS),
    Field("baseline", NUMBER, "where the metric starts"),
    Field("target", NUMBER, "where the metric should end (the threshold for maintain)"),
    Field("low", NUMBER, "lower edge of a band"),
    Field("high", NUMBER, "upper edge of a band"),
    Field("current", NUMBER, "latest value; the latest check-in wins when present"),
    _UNIT,
    _INDICATOR,
    _WEIGHT,
    _CONFIDENCE,
    _OWNER,
    Field("deadline", DATE, "date by which it is met, inside the objective's period (YYYY-MM-DD)"),
    Field("checkpoints", CHECKPOINTS, "steps of a milestone; progress is the share done"),
    Field("grade", NUMBER, "progress judged by hand, 0.0-1.0: a deliverable partly done, or a draft with no "
          "target yet", minimum=0, maximum=1),
    _SCORE_OVERRIDE,
    _SCORE_REASON,
    _SOURCE,
    Field("shared_with", TEXT, "another team's objective that shares this key result (its id, or FILE#ID in "
          "another goalbook)"),
    Field("dropped", DATE, "day it was dropped (overtaken by events); from then on it counts nowhere "
          "(needs dropped_reason)"),
    Field("dropped_reason", TEXT, "why it was dropped"),
), ("id", "title"))

OBJECTIVE = Shape("objective", "objectives", m.Objective, (
    _id("objective"),
    Field("title", TEXT, "the qualitative, inspiring aim"),
    Field("level", TEXT, "company | department | team | person", enum=m.LEVELS, default="company", always=True),
    _OWNER,
    _TEAM,
    Field("period", PERIOD, "time box: 2026-Q4, 2027-H1, FY2027, 2026-11 or 2026-01-15..2026-03-31"),
    Field("driver", TEXT, "what drives its progress", enum=m.DRIVERS, default="key_results"),
    _APPROVAL,
    _SUPPORTS,
    Field("description", TEXT, "why it matters, in a few sentences"),
    Field("key_results", KEY_RESULTS, "the measurable results, 2-5 of them"),
    _SCORE_OVERRIDE,
    _SCORE_REASON,
), ("id", "title"))

SPEND_ENTRY = Shape("spend entry", "spend", m.Spend, (
    Field("date", DATE, "day the money was spent or committed (YYYY-MM-DD)"),
    Field("amount", NUMBER, "how much, in the budget's currency", minimum=0),
    Field("note", TEXT, "what it paid for"),
), ("date", "amount"))

_CURRENCY = Field("currency", TEXT, "ISO 4217 code of the budget and spend, e.g. GBP, EUR, USD")
_SPEND = Field("spend", SPEND, "dated spend entries {date, amount, note}")

SMART_GOAL = Shape("goal", "smart_goals", m.SmartGoal, (
    _id("goal"),
    Field("statement", TEXT, "the goal in one sentence: what changes, from where to where, by when"),
    _TEAM,
    _OWNER,
    Field("level", TEXT, "company | department | team | person", enum=m.LEVELS, default="team"),
    _METRIC,
    Field("direction", TEXT, "increase | decrease | maintain | milestone; inferred from baseline and target "
          "when left out", enum=m.DIRECTIONS),
    Field("baseline", NUMBER, "where the metric starts"),
    Field("target", NUMBER, "where the metric should end"),
    Field("current", NUMBER, "latest value; the latest check-in wins when present"),
    _UNIT,
    Field("deadline", DATE, "date by which it is met (YYYY-MM-DD)"),
    Field("budget", NUMBER, "money set aside for it", minimum=0),
    _CURRENCY,
    _SPEND,
    Field("period", PERIOD, "time box: 2026-Q4, 2027-H1, FY2027, 2026-11 or 2026-01-15..2026-03-31"),
    _WEIGHT,
    _CONFIDENCE,
    _INDICATOR,
    _APPROVAL,
    _SUPPORTS,
    _SCORE_OVERRIDE,
    _SCORE_REASON,
), ("id", "statement"))

KPI_VALUE = Shape("value", "values", m.KPIValue, (
    Field("date", DATE, "day of the observation (YYYY-MM-DD)"),
    Field("value", NUMBER, "the observed value"),
), ("date", "value"))

KPI = Shape("KPI", "kpis", m.KPI, (
    _id("KPI"),
    Field("name", TEXT, "the health metric's name"),
    _METRIC,
    _UNIT,
    _OWNER,
    _TEAM,
    Field("direction", TEXT, "which way is good", enum=("increase", "decrease"), default="increase", always=True),
    Field("target", NUMBER, "the level aimed for"),
    Field("green", NUMBER, "at or above (below, for decrease): green"),
    Field("amber", NUMBER, "at or above (below, for decrease): amber; otherwise red"),
    Field("frequency", TEXT, "how often it is measured", enum=m.FREQUENCIES, default="weekly"),
    _INDICATOR,
    Field("values", VALUES, "dated observations"),
    _SOURCE,
    _SUPPORTS,
), ("id", "name"))

INITIATIVE = Shape("initiative", "initiatives", m.Initiative, (
    _id("initiative"),
    Field("title", TEXT, "the project or idea"),
    Field("status", TEXT, "candidate | approved | active | done", enum=m.INITIATIVE_STATUSES,
          default="candidate", always=True),
    _OWNER,
    _TEAM,
    Field("start", DATE, "first day (YYYY-MM-DD)"),
    Field("end", DATE, "last day (YYYY-MM-DD)"),
    Field("progress", NUMBER, "the project's own progress, 0-1", minimum=0, maximum=1),
    Field("external_ref", TEXT, "the ticket in another tracker, e.g. a Jira key"),
    Field("tracker", TEXT, "the tracker external_ref lives in (jira, asana, trello, github, linear); "
          "`goalbook import-tracker` re-imports by it"),
    Field("budget", NUMBER, "money set aside for it", minimum=0),
    _CURRENCY,
    _SPEND,
    Field("impact", NUMBER, "ICE: how much it would move the result it serves, 1-10", minimum=1, maximum=10),
    Field("confidence", NUMBER, "ICE: how sure we are of that impact, 1-10", minimum=1, maximum=10),
    Field("ease", NUMBER, "ICE: how little time and effort it takes, 1-10 (10: a day's work)", minimum=1,
          maximum=10),
    Field("approved_by", TEXT, "who promoted the idea to approved"),
    Field("approved_on", DATE, "when it was promoted (YYYY-MM-DD)"),
    _SUPPORTS,
), ("id", "title"))

LINK = Shape("link", "links", m.Link, (
    Field("from", TEXT, "id of the goal, initiative or KPI that serves"),
    Field("to", TEXT, "id of the objective or key result it serves, or FILE#ID for one in another goalbook"),
    Field("kind", TEXT, "contributes (counts toward progress) or supports (shown only)",
          enum=m.LINK_KINDS, default="contributes"),
    _WEIGHT,
), ("from", "to"))

SUPPORT = Shape("link", "supports", m.Link, (
    Field("id", TEXT, "id of the objective or key result it serves"),
    LINK.fields[2],
    _WEIGHT,
), ("id",))

CHECK_IN = Shape("check-in", "check_ins", m.CheckIn, (
    Field("date", DATE, "day of the update (YYYY-MM-DD)"),
    Field("value", NUMBER, "the metric's value on that day"),
    _CONFIDENCE,
    Field("status", TEXT, "on_track | at_risk | off_track | done", enum=m.CHECKIN_STATUSES),
    Field("wins", TEXT, "what went well"),
    Field("blockers", TEXT, "what is in the way"),
    Field("author", TEXT, "who wrote it"),
), ("date",))

COMMENT = Shape("comment", "comments", m.Comment, (
    Field("at", DATETIME, "when (2027-01-08T10:00:00)"),
    Field("author", TEXT, "who wrote it"),
    Field("text", TEXT, "the remark"),
    Field("id", TEXT, "an id for the comment, so that others can reply to it (e.g. C-1)"),
    Field("reply_to", TEXT, "the id of the comment this one answers"),
), ("text",))

APPROVAL = Shape("approval step", "approvals", m.ApprovalEvent, (
    Field("at", DATETIME, "when (2027-01-08T10:00:00)"),
    Field("by", TEXT, "who moved the goal"),
    Field("state", TEXT, "the state it moved to", enum=m.APPROVALS),
    Field("reason", TEXT, "why (required when changes are requested)"),
), ("state",))

TOP = Shape("goalbook", "", None, (
    Field("goalbook", INTEGER, "format version: 1", minimum=1, maximum=1),
    Field("organisation", TEXT, "the organisation's name", default=""),
    Field("fiscal_year_start", INTEGER, "month the fiscal year starts, 1-12", default=1, minimum=1, maximum=12),
    Field("include", TEXT, "more files (paths or globs, relative to this file) with the sections below"),
    Field("objectives", OBJECTIVE.section, "objectives with their key results"),
    Field("smart_goals", SMART_GOAL.section, "team SMART goals"),
    Field("kpis", KPI.section, "KPIs with thresholds and values"),
    Field("initiatives", INITIATIVE.section, "projects and candidate ideas"),
    Field("links", LINK.section, "extra links {from, to, kind, weight} beyond the inline supports"),
    Field("check_ins", CHECK_IN.section, "dated updates: id -> list"),
    Field("comments", COMMENT.section, "remarks: id -> list of {at, author, text, id, reply_to}"),
    Field("approvers", APPROVERS, "who approves goals: {levels: {company: [ceo]}, teams: {Web: [cdo]}}"),
    Field("approvals", APPROVAL.section, "the approval flow's history: id -> list of {at, by, state, reason}"),
), ())

ENTITY_SHAPES: tuple[Shape, ...] = (OBJECTIVE, SMART_GOAL, KPI, INITIATIVE)
SECTIONS: tuple[str, ...] = tuple(k for k in TOP.keys[4:] if k != "approvers")
FORMAT_VERSION = 1
