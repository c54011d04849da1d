"""Wagtail integration of the editorial pages: the padlock on the front end."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import PageViewRestriction

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.editorial.padlock import (
    Reader,
    admitted_group_names,
    refusal_status,
    restriction_admits,
    restrictions_of,
)


@hooks.register("before_serve_page")
def apply_padlock(page, request, serve_args, serve_kwargs):
    """Outsiders get the teaser and a login invitation rather than a bare redirect; members and
    staff the CNCD rules admit get the page. Password restrictions are left to Wagtail. The
    restrictions are those of the page and of its translations (``padlock``)."""
    restrictions = list(restrictions_of(page).prefetch_related("groups"))
    if not restrictions:
        return None
    reader = Reader.of(request.user)
    padlocks = [r for r in restrictions if r.restriction_type != PageViewRestriction.PASSWORD]
    if any(not restriction_admits(restriction, reader) for restriction in padlocks):
        response = locked_response(page, request, reader)
    elif len(padlocks) == len(restrictions):
        # Wagtail's own check would send staff outside the page's groups to the login form.
        response = page.specific.serve(request, *serve_args, **serve_kwargs)
    else:
        return None
    add_never_cache_headers(response)
    return response


def locked_response(page, request, reader: Reader) -> TemplateResponse:
    specific = page.specific
    return TemplateResponse(
        request,
        getattr(specific, "locked_template", "atlas_pages/locked_page.html"),
        {
            "page": specific,
            "self": specific,
            "admitted_groups": admitted_group_names(page),
            "login_required": not reader.is_authenticated,
        },
        status=200 if refusal_status(reader) == 401 else 403,
    )


@cncd_hooks.register(cncd_hooks.ATLAS_COUNTRY_PAGES)
def country_zooms(iso2: str) -> list:
    """The country's three latest zooms, on its page of the Atlas."""
    from atlas_pages.editorial.articles import CountryZoomPage

    return list(CountryZoomPage.objects.live().public().filter(country=iso2).order_by("-date")[:3])
