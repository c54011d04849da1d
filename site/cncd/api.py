"""The one headless API: the apps' routers, one error format, OpenAPI at /api/openapi.json."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from atlas_pages.atlas.api import router as atlas_router
from atlas_pages.core.exceptions import DomainError
from atlas_pages.editorial.api import router as atlas_pages_router
from extranet.api import router as extranet_router
from extranet.spaces.api import router as spaces_router
from forms.apd.api import router as apd_router
from forms.atlas_updates.api import router as atlas_updates_router
from forms.bourse.api import router as bourse_router
from forms.dossiers.api import router as forms_router
from forms.dossiers.followup_api import router as followup_router
from newsletter.api import router as newsletter_router

# django-ninja's own English messages, translated through our catalogue.
NINJA_MESSAGES = [
    gettext_noop("Cannot parse request body"),
    gettext_noop("Unauthorized"),
    gettext_noop("Forbidden"),
    gettext_noop("Too many requests."),
]

# pydantic error types, explained to people in their language.
FIELD_MESSAGES = {
    "missing": _("This field is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "string_type": _("Enter a text."),
    "string_too_long": _("This text is too long."),
    "string_too_short": _("This text is too short."),
    "greater_than_equal": _("This value is too small."),
    "less_than_equal": _("This value is too large."),
    "date_from_datetime_parsing": _("Enter a valid date."),
    "date_parsing": _("Enter a valid date."),
    "datetime_parsing": _("Enter a valid date and time."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "value_error": _("Enter a valid value."),
    "json_invalid": _("The request body is not valid JSON."),
}

api = NinjaAPI(
    title="CNCD à la carte",
    version="1",
    description=(
        "Headless API of the extranet of the Commission nationale de la coopération décentralisée. "
        "Authenticate with the allauth session (browser, CSRF) or an `X-Session-Token` (app). "
        'Errors are JSON `{"detail": ...}`; field errors list `field` and `msg` in the language '
        "asked by `Accept-Language` (French by default).\n\n"
        "**Accounts** (signup into a group, login, e-mail verification, password reset, two-factor "
        "authentication, app session tokens) are django-allauth's headless API, specified apart: "
        "[/_allauth/openapi.json](/_allauth/openapi.json) ([YAML](/_allauth/openapi.yaml), "
        "[browse it](/_allauth/openapi.html))."
    ),
    urls_namespace="api",
)


def install_error_handlers(target: NinjaAPI) -> None:
    """One JSON error format, {"detail": ...}, translated by Accept-Language, for every router."""

    def error(request: HttpRequest, detail, status: int) -> HttpResponse:
        return target.create_response(request, {"detail": detail}, status=status)

    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = []
        for item in exc.errors:
            message = FIELD_MESSAGES.get(item.get("type", ""))
            details.append(
                {
                    "field": _field_name(item.get("loc", ())),
                    "loc": list(item.get("loc", ())),
                    "type": item.get("type", ""),
                    "msg": str(message) if message else item.get("msg", ""),
                }
            )
        return error(request, details, 422)

    def on_model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        where = "query" if request.method in ("GET", "HEAD") else "body"
        if hasattr(exc, "error_dict"):
            details = [
                {"field": name, "loc": [where, name], "type": "invalid", "msg": str(message)}
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            details = [{"field": "", "loc": [], "type": "invalid", "msg": str(message)} for message in exc.messages]
        return error(request, details, 422)

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if exc.field and exc.status_code in (400, 422):
            detail = [{"field": exc.field, "loc": ["body", exc.field], "type": "invalid", "msg": str(exc.message)}]
            return error(request, detail, exc.status_code)
        return error(request, str(exc.message), exc.status_code)

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (NinjaValidationError, on_validation_error),
        (DjangoValidationError, on_model_validation_error),
        (DomainError, on_domain_error),
        (AuthenticationError, lambda request, exc: error(request, gettext("You must log in to do this."), 401)),
        (HttpError, lambda request, exc: error(request, gettext(exc.message), exc.status_code)),
        (PermissionDenied, lambda request, exc: error(request, gettext("You are not allowed to do this."), 403)),
        (Http404, lambda request, exc: error(request, gettext("Not found."), 404)),
        # An id beyond what the database stores (SQLite refuses integers over 2^63) names nothing.
        (OverflowError, lambda request, exc: error(request, gettext("Not found."), 404)),
    ]
    for exception_class, handler in handlers:
        target.add_exception_handler(exception_class, handler)


def _field_name(loc: tuple | list) -> str:
    """("body", "payload", "email") -> "email"; ("query", "limit") -> "limit"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(parts)


install_error_handlers(api)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown URLs under /api/ answer in the API's JSON format, not with an HTML page."""
    return api.create_response(request, {"detail": gettext("No API endpoint at this address.")}, status=404)


api.add_router("", atlas_pages_router)
api.add_router("", atlas_router)
api.add_router("", extranet_router)
api.add_router("", spaces_router)
api.add_router("", forms_router)
api.add_router("", followup_router)
api.add_router("", apd_router)
api.add_router("", atlas_updates_router)
api.add_router("", bourse_router)
api.add_router("", newsletter_router)
