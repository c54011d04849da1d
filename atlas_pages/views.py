from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page

from . import services
from .permissions import Reader, locked_page_ids


def search(request: HttpRequest) -> HttpResponse:
    """Site search: padlocked pages are found by title and teaser only, and shown with their padlock."""
    query = request.GET.get("q", "").strip()[:200]
    reader = Reader.of(request.user)
    ids = services.search_page_ids(
        services.filtered_pages(services.site_for(request), services.PageFilters()), query, reader
    )
    current = Paginator(ids, 20).get_page(request.GET.get("page"))
    window = list(current.object_list)
    pages = {page.pk: page for page in services.with_listing_data(Page.objects.filter(pk__in=window))}
    locked = locked_page_ids(window, reader)
    rows = [services.PageRow(page=pages[pk], locked=pk in locked) for pk in window if pk in pages]
    return render(
        request, "atlas_pages/search.html", {"query": query, "rows": rows, "results": current, "count": len(ids)}
    )
