"""Editorial page types. Querying and rules live in services.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from atlas_pages.core.preview import FrontEndPreview
from atlas_pages.editorial.blocks import BodyBlock


class HomePage(FrontEndPreview, Page):
    """The site's home: an introduction and the latest of each rubric."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = ["intro", "body"]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "atlas_pages/home_page.html"

    def get_context(self, request, *args, **kwargs):
        from atlas_pages.atlas import services as atlas
        from atlas_pages.editorial import event_services, services

        context = super().get_context(request, *args, **kwargs)
        context["latest"] = services.latest_by_rubric(self, request.user)
        context["events"] = event_services.next_events(request.user)
        context["agenda"] = event_services.agenda()
        context["atlas"] = atlas.key_figures() if atlas.atlas_page_url() else None
        context["brief"] = services.home_brief(request.user)
        return context

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(FrontEndPreview, Page):
    """A plain content page: about the CNCD, the extranet, legal notices."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown under the title and in listings."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = ["intro", "body"]
    template = "atlas_pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
