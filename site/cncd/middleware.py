"""Request checks that hold for the whole API."""

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext


def _in_json(value, path: list[str]) -> str | None:
    """The dotted path of the first string holding a NUL character, or None."""
    if isinstance(value, str):
        return ".".join(path) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return ".".join([*path, str(key)])
            found = _in_json(item, [*path, str(key)])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _in_json(item, [*path, str(index)])
            if found is not None:
                return found
    return None


def nul_field(request: HttpRequest) -> str | None:
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type == "application/json" and request.body:
        try:
            return _in_json(json.loads(request.body), [])
        except ValueError:
            return None  # malformed JSON: the API says so itself
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key
    return None


class RejectNullCharacters:
    """A NUL character in a parameter or a JSON string is refused with 422 naming the field,
    before it reaches the database (PostgreSQL cannot store it; Django's forms refuse it the
    same way, the API's schemas did not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path.startswith("/api/"):
            field = nul_field(request)
            if field is not None:
                detail = {"field": field, "loc": [field], "type": "null_characters_not_allowed"}
                detail["msg"] = gettext("Null characters are not allowed.")
                return JsonResponse({"detail": [detail]}, status=422)
        return self.get_response(request)
