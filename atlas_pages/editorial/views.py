from csp.decorators import csp_replace
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.models import Page

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core import preview as preview_service
from atlas_pages.core.exceptions import DomainError
from atlas_pages.editorial import services, translations
from atlas_pages.editorial.padlock import Reader


def search(request: HttpRequest) -> HttpResponse:
    """Site search: padlocked pages are found by title and teaser only, and shown with their padlock."""
    query = request.GET.get("q", "").strip()[:200]
    reader = Reader.of(request.user)
    everything = services.filtered_pages(services.site_for(request), services.PageFilters())
    ids = services.search_page_ids(everything, query, reader)
    current = Paginator(ids, 20).get_page(request.GET.get("page"))
    window = list(current.object_list)
    by_id = {row.page.pk: row for row in services.listing_rows(Page.objects.filter(pk__in=window), reader)}
    rows = [by_id[pk] for pk in window if pk in by_id]
    languages = translations.written_in([row.page for row in rows])  # English pages not translated yet
    for row in rows:
        row.language = languages[row.page.pk]
    terms = services.search_terms(query)
    more = [answer(request, terms) for answer in cncd_hooks.implementations(cncd_hooks.SITE_SEARCH)] if terms else []
    context = {
        "query": query,
        "rows": rows,
        "results": current,
        "count": len(ids),
        "more": [html for html in more if html],
    }
    return render(request, "atlas_pages/search.html", context)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def preview(request: HttpRequest) -> HttpResponse:
    """The reference front end's preview address (``/apercu/?content_type=&token=``): what the
    Wagtail admin's Preview panel shows. The draft comes from the same token check as
    ``/api/pages/preview/``; the admin frames this page, so it may be framed by the site only."""
    try:
        found = preview_service.draft(request.GET.get("content_type", ""), request.GET.get("token", ""))
        response = found.page.specific.render_draft(request)
    except DomainError as error:
        response = render(
            request, "atlas_pages/preview_refused.html", {"message": error.message}, status=error.status_code
        )
    if hasattr(response, "render"):
        response.render()
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
