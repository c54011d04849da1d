"""What the editorial site does: navigation and site-wide details, shared by API and templates."""

from django.http import HttpRequest
from wagtail.models import Page, Site

from .models import ContactSettings


def site_for(request: HttpRequest) -> Site | None:
    return Site.find_for_request(request)


def main_menu(site: Site | None) -> list[Page]:
    """The live children of the site's home that editors marked “show in menus”, in tree order."""
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().specific(defer=True).order_by("path"))


def breadcrumb(page: Page, site: Site | None) -> list[Page]:
    """The page's ancestors below the site root (the home is the first crumb)."""
    if site is None:
        return []
    return list(page.get_ancestors().filter(depth__gte=site.root_page.depth).order_by("depth"))


def contact_details(request: HttpRequest | None = None) -> ContactSettings:
    return ContactSettings.load(request_or_site=request)
