"""Editorial page types. Querying and rules live in services.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class HomePage(Page):
    """The site's home: an introduction and the latest of each rubric."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "atlas_pages/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(Page):
    """A plain content page: about the CNCD, the extranet, legal notices."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown under the title and in listings."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    template = "atlas_pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="mail")
class ContactSettings(BaseGenericSetting):
    """The contact block of the footer, editable by editors (defaults from the CNCD brochure)."""

    organisation = models.CharField(
        _("organisation"),
        max_length=255,
        default="Commission nationale de la coopération décentralisée (CNCD)",
    )
    department = models.TextField(
        _("department"),
        blank=True,
        default=(
            "Délégation pour l'action extérieure des collectivités territoriales (DAECT)\n"
            "Direction générale de la mondialisation, du développement et des partenariats (DGM)"
        ),
    )
    address = models.TextField(_("postal address"), default="57, boulevard des Invalides – 75007 Paris 07SP")
    phone = models.CharField(_("telephone"), max_length=40, blank=True, default="01 53 69 34 41")
    fax = models.CharField(_("fax"), max_length=40, blank=True, default="01 53 69 34 46")
    email = models.EmailField(_("e-mail"), blank=True, default="jerome.duplan@diplomatie.gouv.fr")
    tagline = models.CharField(
        _("tagline"), max_length=255, blank=True, default="Partageons nos expériences pour un monde meilleur"
    )

    panels = [
        MultiFieldPanel([FieldPanel("organisation"), FieldPanel("department"), FieldPanel("tagline")], _("Who")),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("fax"), FieldPanel("email")], _("Where")
        ),
    ]

    class Meta:
        verbose_name = _("contact details")
