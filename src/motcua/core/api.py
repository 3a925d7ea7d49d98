"""Shared pieces of the HTTP API's OpenAPI description."""


def nullable_to_oas31(result, generator, request, public):
    """drf-spectacular postprocessing hook. Some schemas are written by hand for OpenAPI 3.0 (DRF's pagination
    envelope says `nullable: true` for next/previous); OpenAPI 3.1 has no `nullable`, so there they must say
    `type: [..., "null"]` or a null `next` on the last page would not match the schema."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
                del node["nullable"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    if str(result.get("openapi", "")).startswith("3.1"):
        walk(result)
    return result


def every_operation_may_answer_400(result, generator, request, public):
    """drf-spectacular postprocessing hook. Any request can be refused before its view runs, with 400 in the
    error shape: a NUL character in the path, a parameter, a cookie or the body (null_character, by
    motcua.core.middleware) or a body that is not readable (parse_error). Documented once here for all."""
    from .errors import ERROR_DESCRIPTIONS
    for item in result.get("paths", {}).values():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses = op["responses"]
            if "400" not in responses:
                responses["400"] = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                                    "description": ERROR_DESCRIPTIONS[400]}
            op["responses"] = dict(sorted(responses.items(), key=lambda kv: kv[0]))
    return result
