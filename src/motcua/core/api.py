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
