"""Wagtail integration of the editorial pages: the padlock on the front end, snippets."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import PageViewRestriction

from .permissions import Reader, admitted_group_names, refusal_status, restriction_admits


@hooks.register("before_serve_page")
def show_teaser_behind_padlock(page, request, serve_args, serve_kwargs):
    """A visitor the padlock keeps out gets the teaser and a login invitation, not a bare redirect.

    Password restrictions are left to Wagtail, which asks for the password.
    """
    reader = Reader.of(request.user)
    if reader.sees_everything:
        return None
    refusing = [
        restriction
        for restriction in page.get_view_restrictions().prefetch_related("groups")
        if restriction.restriction_type != PageViewRestriction.PASSWORD and not restriction_admits(restriction, reader)
    ]
    if not refusing:
        return None
    specific = page.specific
    response = TemplateResponse(
        request,
        "atlas_pages/locked_page.html",
        {
            "page": specific,
            "self": specific,
            "admitted_groups": admitted_group_names(page),
            "login_required": not reader.is_authenticated,
        },
        status=200 if refusal_status(reader) == 401 else 403,
    )
    add_never_cache_headers(response)
    return response
