"""The Atlas in the reference front end: one routable page for the advanced search and map,
the project sheets, and the pages of a country and of a continent."""

from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from atlas_pages.core.preview import FrontEndPreview


class AtlasPage(FrontEndPreview, RoutablePageMixin, Page):
    """“Atlas de la coopération décentralisée”: search, map, sheets, countries, continents."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = ["intro"]
    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Atlas page")
        verbose_name_plural = _("Atlas pages")

    def _render(self, request, template: str, context: dict):
        return TemplateResponse(request, template, {**self.get_context(request), **context})

    @path("")
    def search(self, request):
        from atlas_pages.atlas.front import search_context

        return self._render(request, "atlas_pages/atlas/search.html", search_context(self, request))

    @path("projet/<int:project_id>/", name="project")
    def project(self, request, project_id: int):
        from atlas_pages.atlas.front import project_context

        return self._render(request, "atlas_pages/atlas/project.html", project_context(self, request, project_id))

    @path("pays/<str:iso2>/", name="country")
    def country(self, request, iso2: str):
        from atlas_pages.atlas.front import country_context

        if iso2 != iso2.upper():
            raise Http404
        return self._render(request, "atlas_pages/atlas/country.html", country_context(self, request, iso2))

    @path("bourse-projets/", name="bourse")
    def bourse(self, request):
        from atlas_pages.atlas.front import bourse_context

        return self._render(request, "atlas_pages/atlas/bourse.html", bourse_context(self, request))

    @path("continent/<slug:slug>/", name="continent")
    def continent(self, request, slug: str):
        from atlas_pages.atlas.front import continent_context

        return self._render(request, "atlas_pages/atlas/continent.html", continent_context(self, request, slug))
