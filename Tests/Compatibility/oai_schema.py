"""Turns Twilio's OpenAPI 3.0 response schemas into strict JSON Schemas and matches requests to operations."""

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple

from jsonschema import Draft202012Validator

from helpers import REPO_ROOT, RFC2822_PATTERN

DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "reference" / "twilio-oai" / "twilio_api_v2010.json"
# OpenAPI-only annotations with no JSON Schema meaning; `format` is checked loosely (RFC 2822 via a pattern).
DROPPED_KEYWORDS = {"nullable", "format", "description", "x-twilio", "example", "title"}


@lru_cache(maxsize=1)
def load_spec() -> dict:
    path = Path(os.environ.get("TWILIO_OAI_V2010", DEFAULT_SPEC))
    if not path.is_file():
        raise FileNotFoundError(f"Twilio API 2010 OpenAPI spec not found at {path} (set TWILIO_OAI_V2010)")
    return json.loads(path.read_text())


def strict_schema(node: dict, components: dict) -> dict:
    """Resolve `$ref`s, make every listed property required, map `nullable` to JSON null, pin RFC 2822 dates."""
    if "$ref" in node:
        return strict_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {key: value for key, value in node.items() if key not in DROPPED_KEYWORDS}
    if node.get("format") == "date-time-rfc-2822":
        out["pattern"] = RFC2822_PATTERN
    if "properties" in node:
        out["properties"] = {name: strict_schema(sub, components) for name, sub in node["properties"].items()}
        out["required"] = sorted(node["properties"])
    if "items" in node:
        out["items"] = strict_schema(node["items"], components)
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _template_regex(template: str) -> re.Pattern:
    pieces = re.split(r"\{[^}]+\}", template)
    return re.compile("[^/]+".join(re.escape(piece) for piece in pieces))


def find_operation(method: str, path: str) -> Optional[Tuple[str, dict]]:
    """The spec's (path template, operation) for a concrete request path such as `/2010-04-01/Accounts/AC….json`."""
    for template, item in load_spec()["paths"].items():
        operation = item.get(method.lower())
        if operation and _template_regex(template).fullmatch(path):
            return template, operation
    return None


def response_validator(operation: dict, status: int) -> Optional[Draft202012Validator]:
    """A validator for the documented JSON body of `status`, or None if that status has no JSON body.

    List envelopes also reject top-level keys the spec does not list (the SDK cannot parse them)."""
    response = operation["responses"][str(status)]
    body = response.get("content", {}).get("application/json")
    if body is None:
        return None
    schema = strict_schema(body["schema"], load_spec()["components"]["schemas"])
    if operation["operationId"].startswith("List"):
        schema["additionalProperties"] = False
    return Draft202012Validator(schema)
