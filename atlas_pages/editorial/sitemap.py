"""The sitemap: the public pages of the site in both languages. An English page not translated
yet is the French text at a second address (its canonical address is the French page), so it is
left out; a page the padlock keeps from visitors is left out in every language, by the
restrictions of all its versions (``padlock``), not only Wagtail's on one tree."""

from django.db.models import F, Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from atlas_pages.editorial.padlock import ANONYMOUS, readable
from atlas_pages.editorial.services import in_site


class SiteSitemap(Sitemap):
    def items(self):
        untranslated = Q(alias_of__isnull=False) & ~Q(alias_of__locale=F("locale"))
        pages = Page.objects.live().public().filter(in_site(self.get_wagtail_site())).exclude(untranslated)
        return readable(pages, ANONYMOUS).order_by("path").defer_streamfields().specific()
