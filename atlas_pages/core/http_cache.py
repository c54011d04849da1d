"""HTTP caching of the API's answers: validators, 304s, ``Cache-Control`` and an exact ``Vary``.

An answer's ETag is a digest of a *version* (bumped when what the answer shows changes: the
pages, the Atlas), of the address with its query, of the language and, when the answer depends
on the caller, of what the caller may see. So:

- a conditional request (``If-None-Match``) whose ETag still holds gets 304 with no work done;
- publishing or changing the Atlas bumps the version: every ETag changes and every answer kept
  (here or in a shared cache that revalidates) is stale at once;
- answers the same for everyone are ``public, max-age=CNCD_API_MAX_AGE``; answers that depend on
  the caller are ``private, no-cache`` (a browser may keep and revalidate them, a shared cache
  may not);
- every answer is also kept on the server (the shared cache, Redis in production) under its
  ETag, which names what the caller may see (for the pages: visitor, staff, or the set of
  groups, never the person), so the next caller who may see the same costs no work. A
  padlock's refusal (401, 403) is kept the same way, for a caller known before the endpoint
  runs: it too depends only on the version and on what the caller may see. It goes out as
  the endpoint gave it, without validators.

``Vary`` is exact: ``Accept-Language`` for answers the same for everyone (the API's language
comes from ``?locale=`` or ``Accept-Language``, never from a cookie: ``ApiLanguage``), and
``Accept-Language, Cookie, X-Session-Token`` for those that depend on who asks (a visitor's
answer included: it is public, but another caller at the same address gets another one).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import get_language

from atlas_pages.core.auth import SessionTokenAuth
from atlas_pages.core.exceptions import DomainError

PUBLIC_VARY = ("Accept-Language",)
CALLER_VARY = ("Accept-Language", "Cookie", "X-Session-Token")
KEPT_BYTES = 8 * 1024 * 1024  # larger answers are validated but not kept
KEY = "cncd:answer:2:"  # 2: answers kept with their status
KEPT_REFUSALS = (401, 403)


def etag_for(request: HttpRequest, version: str, caller: str) -> str:
    # The host too: answers carry absolute addresses (images, documents) built from it.
    seed = "\n".join(
        [version, request.get_host(), request.path, request.META.get("QUERY_STRING", ""), get_language() or "", caller]
    )
    return 'W/"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def matches(request: HttpRequest, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    bare = etag.removeprefix("W/")
    return "*" in wanted or any(candidate.removeprefix("W/") == bare for candidate in wanted)


def _headers(response: HttpResponse, etag: str, public: bool, vary: tuple[str, ...]) -> HttpResponse:
    response["ETag"] = etag
    if public:
        response["Cache-Control"] = f"public, max-age={settings.CNCD_API_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-cache"
    response["Vary"] = ", ".join(vary)
    response.exact_vary = response["Vary"]  # type: ignore[attr-defined]  # ExactVary restores it last
    return response


def _caller_known(request: HttpRequest) -> bool:
    """Whether who asks is known before the endpoint's auth runs: always for a browser session
    (the middleware set ``request.user``); for an app's ``X-Session-Token``, once the token is
    read as the endpoint's auth reads it (an invalid or refused one is left to the endpoint)."""
    if not request.headers.get("X-Session-Token"):
        return True
    try:
        return SessionTokenAuth()(request) is not None
    except DomainError:
        return False


def cached_answer(version: Callable[[], str], caller: Callable[[HttpRequest], str] | None = None):
    """A view decorator (for django-ninja: ``@decorate_view(cached_answer(...))``). ``version``
    gives the current version of what the answer shows; ``caller``, for answers that depend on
    who asks, a key of what this caller may see (``""`` for anonymous callers, whose answers
    are then public like the others)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            current = version()
            vary = CALLER_VARY if caller else PUBLIC_VARY

            def identified() -> tuple[str, bool]:
                """The answer's ETag, and whether it is public (the caller is a visitor)."""
                who = caller(request) if caller else ""
                return etag_for(request, current, who), who == ""

            known = caller is None or _caller_known(request)
            if known:
                etag, public = identified()
                if matches(request, etag):
                    return _headers(HttpResponseNotModified(), etag, public, vary)
                kept = cache.get(KEY + etag)
                if kept is not None:
                    content, content_type, status = kept
                    answer = HttpResponse(content, content_type=content_type, status=status)
                    return _headers(answer, etag, public, vary) if status == 200 else answer
            response = view(request, *args, **kwargs)
            status = response.status_code
            if getattr(response, "streaming", False) or status not in (200, *KEPT_REFUSALS):
                return response
            if not known:  # the endpoint's auth has now read the app's token
                if status != 200:  # a refusal of the token itself is not the padlock's
                    return response
                etag, public = identified()
                if matches(request, etag):
                    return _headers(HttpResponseNotModified(), etag, public, vary)
            if len(response.content) <= KEPT_BYTES:
                kept = (response.content, response["Content-Type"], status)
                cache.set(KEY + etag, kept, settings.CNCD_API_KEEP_SECONDS)
            return _headers(response, etag, public, vary) if status == 200 else response

        return wrapped

    return decorator
