"""Every input of the API is bounded, and says so in the OpenAPI: each text has a maxLength,
each list a maxItems (what a client reads before it sends, and what the server enforces)."""

from cncd.api import api

FREE_FORMATS = {"binary", "date", "date-time", "uuid", "email"}


def unbounded(schema: dict, components: dict, where: str) -> list[str]:
    if "$ref" in schema:
        schema = components[schema["$ref"].split("/")[-1]]
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += unbounded(option, components, where)
    kind = schema.get("type")
    bounded = {"maxLength", "enum", "const"} & schema.keys() or schema.get("format") in FREE_FORMATS
    if kind == "string" and not bounded:
        found.append(f"{where}: text without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: list without maxItems")
        found += unbounded(schema.get("items", {}), components, where + "[]")
    for name, field in schema.get("properties", {}).items():
        found += unbounded(field, components, f"{where}.{name}")
    return found


def test_every_text_and_list_the_api_takes_is_bounded_in_its_schema():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += unbounded(content["schema"], components, f"{method.upper()} {path} body")
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found += unbounded(parameter["schema"], components, f"{method.upper()} {path} ?{parameter['name']}")
    assert found == []
