"""Request checks that hold for the whole site."""

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_supported_language_variant, gettext
from django.utils.translation.trans_real import parse_accept_lang_header


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
    """A NUL character in a parameter, a form field or a JSON string is refused before it
    reaches a view or the database (PostgreSQL cannot store it, SQLite's full-text search
    chokes on it), on every path: the API answers 422 naming the field, the pages a 400 page
    that names it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        message = gettext("Null characters are not allowed.")
        if request.path.startswith(("/api/", "/_allauth/")):
            detail = {"field": field, "loc": [field], "type": "null_characters_not_allowed", "msg": message}
            return JsonResponse({"detail": [detail]}, status=422)
        return render(request, "400.html", {"field": field, "message": message}, status=400)


#: Answers about the caller, whoever asks (a 401 or 404 about a dossier is about the caller too).
CALLER_PATHS = ("/api/me/", "/api/dossiers/", "/api/declarations/", "/api/atlas/updates/", "/api/bourse/entries/")


class PrivateAnswers:
    """Answers about the caller are ``Cache-Control: private, no-store``: the paths that are
    about the caller, and any answer of the API or the personal space given to a logged-in
    caller (session or ``X-Session-Token``, which the API's auth sets as ``request.user``),
    unless the view chose its own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        about_the_caller = request.path.startswith(CALLER_PATHS)
        for_the_caller = (
            not response.has_header("Cache-Control")
            and user is not None
            and user.is_authenticated
            and request.path.startswith(("/api/", "/espace-personnel/", "/teleprocedures/", "/_allauth/"))
        )
        if about_the_caller or for_the_caller:
            add_never_cache_headers(response)
        return response


class FramedPreviews:
    """The Wagtail admin shows a preview in a frame of its own pages, through a dummy request for
    the page's address (the middleware sees the page's path, not /admin/): that answer may be
    framed by the site itself, where every other front-end answer may be framed by nobody."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if getattr(request, "is_dummy", False) and getattr(request, "is_preview", False):
            response._csp_replace = {"frame-ancestors": ["'self'"]}
        return response


class SiteLanguage(LocaleMiddleware):
    """Pages speak the language of their address: ``/…`` is the French site, ``/en/…`` the
    English one (Wagtail's URLs under ``i18n_patterns``), whatever the visitor's cookie says, so
    that one address is one page. The rest of the site (personal space, procedures, sign-up)
    has one address in both languages and speaks the visitor's choice: the language cookie set
    by “Version in English”, else ``Accept-Language``. In LocaleMiddleware's place."""

    def process_request(self, request: HttpRequest):
        super().process_request(request)
        if translation.get_language_from_path(request.path_info) or _is_page_address(request.path_info):
            return
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _is_page_address(path: str) -> bool:
    try:
        return resolve(path).url_name == "wagtail_serve"
    except Resolver404:
        return True


class ApiLanguage:
    """The API speaks the language of ``?locale=`` or of ``Accept-Language``, never that of the
    site's language cookie: an answer then varies on the URL and ``Accept-Language`` only, which
    is what its ``Vary`` says and what a shared cache can honour. After LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path.startswith("/api/"):
            language = api_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def api_language(request: HttpRequest) -> str:
    asked = request.GET.get("locale", "")
    candidates = [asked] if asked else []
    candidates += [code for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    for candidate in candidates:
        if candidate == "*":
            continue
        try:
            return get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ExactVary:
    """An answer that states its own ``Vary`` (``atlas_pages.core.http_cache``) keeps it: the
    session middleware would add ``Cookie`` to an answer that is the same for everyone as soon
    as anything looked at the session. Before SessionMiddleware, so that it runs after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        exact = getattr(response, "exact_vary", None)
        if exact:
            response.headers["Vary"] = exact
        return response
