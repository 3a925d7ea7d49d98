"""Validate API answers against the committed OpenAPI schema (docs/openapi.yaml).

`check(response)` finds the path template from Django's resolver, then validates the JSON body against the
schema documented for (path, method, status). An undocumented status is a failure, and by default so is a
property the schema does not list (strict: an extra field, e.g. a leaked phone number, fails).
"""
import copy
import functools
import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
BASE = "urn:motcua:openapi"


@functools.cache
def spec():
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def _closed(node):
    """A copy where every object schema listing properties forbids others."""
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out and out.get("type", "object") == "object":
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


@functools.cache
def _registry(strict):
    doc = _closed(spec()) if strict else copy.deepcopy(spec())
    return Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=DRAFT202012))


def _pointer(*parts):
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def operation(path, method):
    paths = spec()["paths"]
    assert path in paths, f"{path} is not in docs/openapi.yaml"
    op = paths[path].get(method.lower())
    assert op is not None, f"{method.upper()} {path} is not in docs/openapi.yaml"
    return op


def documented_statuses(path, method):
    return {int(s) for s in operation(path, method)["responses"]}


def validate(path, method, status, body, *, content_type="application/json", strict=True):
    """Validate `body` against the schema of (path, method, status). Raises AssertionError."""
    responses = operation(path, method)["responses"]
    assert str(status) in responses, (
        f"{method.upper()} {path} answered {status}, which docs/openapi.yaml does not document "
        f"(documented: {sorted(responses)}): {body!r}")
    content = responses[str(status)].get("content", {})
    assert content_type in content, f"{method.upper()} {path} {status}: {content_type} not documented"
    ref = {"$ref": BASE + "#/" + _pointer("paths", path, method.lower(), "responses", str(status), "content",
                                          content_type, "schema")}
    validator = Draft202012Validator(ref, registry=_registry(strict), format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path} {status} does not match the schema:\n" + "\n".join(
        f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:20])


def path_template(response):
    """'/api/v1/dossiers/{code}/' from the resolver match of a test-client response."""
    route = response.resolver_match.route
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def check(response, *, strict=True):
    """Validate a DRF test-client response against the committed schema; returns the parsed body."""
    method = response.request["REQUEST_METHOD"]
    body = json.loads(response.content) if response.content else None
    validate(path_template(response), method, response.status_code, body, strict=strict)
    return body
