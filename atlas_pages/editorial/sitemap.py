"""The sitemap: the public pages of the site in both languages. An English page not translated
yet is the French text at a second address (its canonical address is the French page), so it is
left out; a page the padlock keeps from visitors is left out in every language, by the
restrictions of all its versions (``padlock``), not only Wagtail's on one tree."""

from django.db.models import F, Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from atlas_pages.editorial.padlock import ANONYMOUS, readable


class SiteSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        in_a_home = Q(pk__in=[])
        for home in homes:
            in_a_home |= Q(path__startswith=home.path)
        untranslated = Q(alias_of__isnull=False) & ~Q(alias_of__locale=F("locale"))
        pages = Page.objects.live().public().filter(in_a_home).exclude(untranslated)
        return readable(pages, ANONYMOUS).order_by("path").defer_streamfields().specific()
