"""docs/openapi.yaml is the contract: it must be what the code generates, valid OpenAPI 3.1, and served."""
import difflib

import yaml
from django.conf import settings
from django.core.management import call_command
from openapi_spec_validator import validate as validate_spec

from motcua.dossiers import services

from .schema_check import SCHEMA_FILE, spec

REGENERATE = ".venv/bin/motcua spectacular --file docs/openapi.yaml --validate"


def test_committed_schema_is_what_the_code_generates(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    # --fail-on-warn: a serializer the generator cannot describe is a failure, not a silent guess.
    call_command("spectacular", "--file", str(fresh), "--validate", "--fail-on-warn",
                 "--lang", settings.LANGUAGE_CODE)
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    generated = fresh.read_text(encoding="utf-8")
    if committed != generated:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                                 "docs/openapi.yaml (committed)", "generated"))[:80])
        raise AssertionError(f"docs/openapi.yaml is out of date with the code. Regenerate it with\n"
                             f"    {REGENERATE}\nand commit it.\n{diff}")


def test_committed_schema_is_valid_openapi_31():
    doc = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert doc["openapi"].startswith("3.1")
    validate_spec(doc)


def test_every_error_response_is_the_error_shape():
    error = spec()["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "details"}
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            for status, resp in op["responses"].items():
                if int(status) >= 400:
                    schema = resp["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_action_enum_lists_every_service_action():
    op = spec()["paths"]["/api/v1/dossiers/{code}/actions/{action}/"]["post"]
    (param,) = [p for p in op["parameters"] if p["name"] == "action"]
    assert sorted(param["schema"]["enum"]) == sorted(services.ACTIONS) == sorted(services.TRANSITIONS)


def test_schema_endpoint_serves_the_schema(client):
    resp = client.get("/api/v1/schema/")
    assert resp.status_code == 200
    served = yaml.safe_load(resp.content)
    assert served["openapi"] == spec()["openapi"]
    assert set(served["paths"]) == set(spec()["paths"])


def test_docs_endpoint_serves_browsable_docs(client):
    resp = client.get("/api/v1/docs/")
    assert resp.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in resp.content
    assert b"cdn" not in resp.content.lower()
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and b"/api/v1/schema/" in script.content
