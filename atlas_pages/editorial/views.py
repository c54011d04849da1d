from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page

from atlas_pages.editorial import services
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
    context = {"query": query, "rows": rows, "results": current, "count": len(ids)}
    return render(request, "atlas_pages/search.html", context)
