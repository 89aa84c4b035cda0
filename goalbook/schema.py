"""A JSON Schema (draft 2020-12) of the goalbook file format, for editors to autocomplete and check.

Generated from the same field table the YAML reader uses (``goalbook.io._fields``), so the schema
and the reader agree on every key, kind and allowed word. It accepts what the reader accepts
(``null`` for a field left empty, numbers written as quoted digits, a single id for ``supports``);
rules that need more than one field (a target that differs from its baseline, ids that exist)
are the reader's. Dates are strings here because editors see YAML dates as text.
"""

from __future__ import annotations

from typing import Any

from goalbook.io import _fields as F

SCHEMA_ID = "https://goalbook.dev/schema/goalbook-1.json"

_NUMBER_TEXT = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
_YEAR = r"(\d{4}|\d{2})"
_SEP = r"\s*[-/ ]?\s*"
_FY = r"([Ff][Yy]\s*)"
_PERIOD_TEXT = (
    r"^\s*("
    rf"{_FY}?{_YEAR}{_SEP}([Qq][1-4]|[Hh][12])"  # 2027-Q1, FY27 H2
    rf"|([Qq][1-4]|[Hh][12]){_SEP}{_FY}?{_YEAR}"  # Q1 2027, H2 FY2027
    rf"|{_FY}{_YEAR}|\d{{4}}"  # FY2027, 2027
    r"|\d{4}-\d{1,2}"  # 2026-11
    r"|\d{4}-\d{2}-\d{2}\s*(\.\.|/|–|—| to )\s*\d{4}-\d{2}-\d{2}"  # 2026-01-15..2026-03-31
    r")\s*$"
)
_DATETIME_TEXT = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
_DEFS = {
    F.OBJECTIVE: "objective", F.KEY_RESULT: "key_result", F.SMART_GOAL: "smart_goal", F.KPI: "kpi",
    F.INITIATIVE: "initiative", F.CHECKPOINT: "checkpoint", F.KPI_VALUE: "kpi_value", F.CHECK_IN: "check_in",
    F.COMMENT: "comment", F.LINK: "link", F.SUPPORT: "support", F.SPEND_ENTRY: "spend_entry",
    F.APPROVAL: "approval_step",
}
_SECTION_DEFS = {s.section: name for s, name in _DEFS.items()}


def _ref(shape: F.Shape) -> dict[str, str]:
    return {"$ref": f"#/$defs/{_DEFS[shape]}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A field may be left empty (``team: null``); the reader treats that as not given."""
    if "type" in schema and "anyOf" not in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if "enum" in schema:
            return {**schema, "type": [*types, "null"], "enum": [*schema["enum"], None]}
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [*schema.pop("anyOf", [schema]), {"type": "null"}], **schema}


def _field(f: F.Field) -> dict[str, Any]:
    s: dict[str, Any]
    if f.enum:
        s = {"type": "string", "enum": list(f.enum)}
    elif f.kind == F.TEXT:
        s = {"type": ["string", "number"]}
    elif f.kind == F.NUMBER:
        s = {"type": ["number", "string"], "pattern": _NUMBER_TEXT}
    elif f.kind == F.INTEGER:
        s = {"type": "integer"}
    elif f.kind == F.BOOL:
        s = {"type": "boolean"}
    elif f.kind == F.DATE:
        s = {"type": "string", "format": "date"}
    elif f.kind == F.DATETIME:
        s = {"type": "string", "pattern": _DATETIME_TEXT}
    elif f.kind == F.PERIOD:
        s = {"type": ["string", "integer"], "pattern": _PERIOD_TEXT}
    elif f.kind == F.SUPPORTS:
        item = {"anyOf": [{"type": "string"}, _ref(F.SUPPORT)]}
        s = {"anyOf": [{"type": "array", "items": item}, {"type": "string"}, _ref(F.SUPPORT)]}
    elif f.kind == F.KEY_RESULTS:
        s = {"type": "array", "items": _ref(F.KEY_RESULT)}
    elif f.kind == F.CHECKPOINTS:
        s = {"type": "array", "items": _ref(F.CHECKPOINT)}
    elif f.kind == F.VALUES:
        s = {"type": "array", "items": _ref(F.KPI_VALUE)}
    elif f.kind == F.SPEND:
        s = {"type": "array", "items": _ref(F.SPEND_ENTRY)}
    else:  # pragma: no cover - a kind added to _fields without a schema
        raise AssertionError(f"no schema for field kind {f.kind}")
    for name, value in (("minimum", f.minimum), ("maximum", f.maximum), ("exclusiveMinimum", f.above)):
        if value is not None:
            s[name] = value
    if f.default is not None and f.default != "":
        s["default"] = f.default
    s = _nullable(s)
    s["description"] = f.doc
    return s


def _object(shape: F.Shape, description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {f.key: _field(f) for f in shape.fields},
        "required": list(shape.required),
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a goalbook file (main or included), with descriptions and allowed words."""
    defs = {name: _object(shape, f"one {shape.name}") for shape, name in _DEFS.items()}
    top = F.TOP.by_key
    dated = {
        "check_ins": (F.CHECK_IN, "dated updates, by the id of the key result, goal or KPI they are about"),
        "comments": (F.COMMENT, "remarks, by the id of the goal they are about"),
        "approvals": (F.APPROVAL, "the approval flow's history, by the id of the goal it moved"),
    }
    properties: dict[str, Any] = {
        "goalbook": {"const": F.FORMAT_VERSION, "description": top["goalbook"].doc},
        "organisation": _field(top["organisation"]),
        "fiscal_year_start": {**_field(top["fiscal_year_start"]), "default": 1},
        "approvers": _nullable({
            "type": "object", "description": top["approvers"].doc, "additionalProperties": False,
            "properties": {k: _nullable({"type": "object", "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}})
                for k in ("levels", "teams")}}),
        "include": _nullable({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                              "description": top["include"].doc}),
    }
    for section in F.SECTIONS:
        if section in dated:
            shape, doc = dated[section]
            properties[section] = _nullable({
                "type": "object", "description": doc,
                "additionalProperties": {"type": "array", "items": _ref(shape)},
            })
        else:
            properties[section] = _nullable({"type": "array", "description": top[section].doc,
                                             "items": {"$ref": f"#/$defs/{_SECTION_DEFS[section]}"}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "goalbook",
        "description": "A goalbook: OKRs, SMART goals, KPIs and initiatives as a file (format version 1). "
                       "See docs/FORMAT.md.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": defs,
    }
