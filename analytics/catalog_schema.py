"""The JSON Schema of data/indicators.yaml: the shape of every entry (fields, types, allowed values), checked
with `jsonschema` before analytics.catalog resolves inheritance and checks what a schema cannot say (a parent
that exists, a component named after its parent, band periods that do not overlap)."""

from __future__ import annotations

from typing import Any

import jsonschema

KINDS = ("index", "component", "context")
DIRECTIONS = ("higher_is_better", "lower_is_better")
LEVELS = ("province", "district", "commune", "agency")
VINTAGES = ("legacy", "2025")
# How a publisher itself carried legacy figures onto the 34 units of 1 July 2025 (see indicators.yaml).
DERIVE_2025_METHODS = ("mean_of_former",)
ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"

_TEXT = {"type": "string", "minLength": 1}
_BILINGUAL = {"type": "object", "required": ["vi", "en"], "additionalProperties": False,
              "properties": {"vi": _TEXT, "en": _TEXT}}
_NUMBER = {"type": ["number", "null"]}
_YEAR = {"type": "integer", "minimum": 1990, "maximum": 2100}
_YEAR_OR_NULL = {"type": ["integer", "null"], "minimum": 1990, "maximum": 2100}
_URL = {"type": "string", "pattern": "^https?://"}

ENTRY: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "parent": {"type": ["string", "null"]},
        "kind": {"enum": list(KINDS)},
        "variant_of": {"type": ["string", "null"]},
        "name": _BILINGUAL,
        "short": _BILINGUAL,
        "unit": _TEXT,
        "scale": {"type": "object", "required": ["min", "max"], "properties": {"min": _NUMBER, "max": _NUMBER}},
        "scale_by_year": {"type": "array", "items": {
            "type": "object", "required": ["from", "min", "max"], "additionalProperties": False,
            "properties": {"from": _YEAR, "to": _YEAR_OR_NULL, "min": _NUMBER, "max": _NUMBER}}},
        "decimals": {"type": "integer", "minimum": 0, "maximum": 8},
        "direction": {"enum": [*DIRECTIONS, None]},
        "levels": {"oneOf": [{"enum": list(LEVELS)},
                             {"type": "array", "minItems": 1, "items": {"enum": list(LEVELS)}}]},
        "vintage": {"enum": list(VINTAGES)},
        "first_year": _YEAR_OR_NULL,
        "last_year": _YEAR_OR_NULL,
        "publisher": _BILINGUAL,
        "source_url": _URL,
        "release": {"type": "object", "additionalProperties": {"type": "string"}},
        "method_notes": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "series_breaks": {"type": "array", "items": {
            "type": "object", "required": ["year", "note"], "additionalProperties": False,
            "properties": {"year": _YEAR, "note": _BILINGUAL}}},
        "bands": {"type": "array", "items": {
            "type": "object", "required": ["from", "grades"], "additionalProperties": False,
            "properties": {"from": _YEAR, "to": _YEAR_OR_NULL, "grades": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["label"], "additionalProperties": False,
                "properties": {"label": {"type": ["string", "number"]}, "min": _NUMBER, "max": _NUMBER}}}}}},
        "editions": {"type": "object", "additionalProperties": {"type": ["object", "null"], "properties": {
            "n_ranked": {"type": ["integer", "null"], "minimum": 1},
            "published_top": {"type": ["integer", "null"], "minimum": 1},
            "published": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]}},
            "additionalProperties": False}},
        "published_averages": {"type": "array", "items": {
            "type": "object", "required": ["year", "value", "level", "source_url"], "additionalProperties": False,
            "properties": {"year": _YEAR, "value": {"type": "number"}, "level": {"enum": list(LEVELS)},
                           "source_url": _URL, "note": {"type": ["string", "null"]}}}},
        "reference_codes": {"type": "array", "items": {"type": "string"}},
        # how the publisher itself carried legacy figures onto the 34 units of 1 July 2025
        "derive_2025": {"type": "object", "required": ["method", "source_url"], "additionalProperties": False,
                        "properties": {"method": {"enum": list(DERIVE_2025_METHODS)}, "source_url": _URL,
                                       "note": {"type": "string"}}},
    },
}

CATALOG: dict[str, Any] = {
    "type": "object",
    "required": ["indicators"],
    "properties": {"schema_version": {"const": 1}, "indicators": {"type": "array", "items": ENTRY}},
}

_VALIDATOR = jsonschema.Draft202012Validator(CATALOG)


def schema_errors(doc: Any) -> list[tuple[str | None, str, str]]:
    """Every place `doc` breaks the schema, in file order: (indicator id or None, field path, message)."""
    out = []
    for err in sorted(_VALIDATOR.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        iid = None
        if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
            entry = doc["indicators"][path[1]]
            iid = entry.get("id") if isinstance(entry, dict) else None
            iid = iid if isinstance(iid, str) else f"#{path[1] + 1}"
            path = path[2:]
        out.append((iid, ".".join(str(p) for p in path) or "(entry)", err.message))
    return out
