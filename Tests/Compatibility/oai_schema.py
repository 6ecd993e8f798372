"""Turns Twilio's OpenAPI 3.0 response schemas into strict JSON Schemas and matches requests to operations."""

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Tuple
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from helpers import REPO_ROOT, RFC2822_PATTERN

SPEC_DIRECTORY = REPO_ROOT.parent / "shared" / "reference" / "twilio-oai"
API_2010 = "twilio_api_v2010.json"
VIDEO_V1 = "twilio_video_v1.json"
# OpenAPI-only annotations with no JSON Schema meaning; `format` is checked loosely (RFC 2822 via a pattern).
DROPPED_KEYWORDS = {"nullable", "format", "description", "x-twilio", "example", "title"}


@lru_cache(maxsize=None)
def load_spec(name: str = API_2010) -> dict:
    """One of Twilio's specs; `TWILIO_OAI_DIR` overrides where they are."""
    path = Path(os.environ.get("TWILIO_OAI_DIR", SPEC_DIRECTORY)) / name
    if not path.is_file():
        raise FileNotFoundError(f"Twilio OpenAPI spec not found at {path} (set TWILIO_OAI_DIR)")
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


def find_operation(method: str, path: str, spec: str = API_2010) -> Optional[Tuple[str, dict]]:
    """The spec's (path template, operation) for a concrete request path such as `/2010-04-01/Accounts/AC….json`.
    Of several matching templates the one with the fewest parameters wins, as in a router: `…/IncomingPhoneNumbers/
    Local.json` is the Local list, not a fetch of a number whose SID is "Local"."""
    matches = [
        (template.count("{"), template, item[method.lower()])
        for template, item in load_spec(spec)["paths"].items()
        if item.get(method.lower()) and _template_regex(template).fullmatch(path)
    ]
    if not matches:
        return None
    _, template, operation = min(matches, key=lambda match: match[0])
    return template, operation


def response_validator(operation: dict, status: int, spec: str = API_2010) -> Optional[Draft202012Validator]:
    """A validator for the documented JSON body of `status`, or None if that status has no JSON body.

    List envelopes also reject top-level keys the spec does not list (the SDK cannot parse them)."""
    response = operation["responses"][str(status)]
    body = response.get("content", {}).get("application/json")
    if body is None:
        return None
    schema = strict_schema(body["schema"], load_spec(spec)["components"]["schemas"])
    if operation["operationId"].startswith("List"):
        schema["additionalProperties"] = False
    return Draft202012Validator(schema)


def validate_exchanges(
    client, mount: str, spec: str = API_2010, successes_only: bool = False,
    record_problems: Callable[[dict, str], list] = lambda record, where: [],
) -> set:
    """Every exchange the SDK client recorded is a documented operation answered with a documented status and a
    body matching its schema (plus `record_problems` for each record); returns the operationIds seen.
    `successes_only` leaves error answers to the tests that provoke them (a spec without error bodies)."""
    seen, problems = set(), []
    for exchange in client.http_client.exchanges:
        path = urlsplit(exchange.url).path
        assert path.startswith(mount + "/"), exchange.url
        if successes_only and exchange.status >= 400:
            continue
        found = find_operation(exchange.method, path[len(mount):], spec)
        assert found is not None, f"{exchange.method} {path} is not an operation in the spec"
        template, operation = found
        seen.add(operation["operationId"])
        assert str(exchange.status) in operation["responses"], (
            f"{exchange.method} {template} answered {exchange.status}, spec allows {sorted(operation['responses'])}"
        )
        validator = response_validator(operation, exchange.status, spec)
        if validator is None:
            continue
        assert exchange.body is not None, f"{exchange.method} {path} returned no JSON body"
        problems += [
            f"{operation['operationId']} {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in validator.iter_errors(exchange.body)
        ]
        records = exchange.body[exchange.body["meta"]["key"]] if "meta" in exchange.body else [exchange.body]
        for record in records:
            problems += record_problems(record, operation["operationId"])
    assert not problems, "\n".join(problems)
    return seen
