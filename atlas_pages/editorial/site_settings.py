from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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


@register_setting(icon="doc-full")
class LegalSettings(BaseGenericSetting):
    """The pages every visitor and every member who registers must be able to read: the terms of
    use of the extranet (accepted at registration) and the privacy notice. Linked in the footer and
    on the registration form."""

    terms_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terms of use"),
        help_text=_("Accepted by every member at registration."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy notice"),
        help_text=_("What the site keeps about visitors, members and subscribers, and their rights."),
    )

    panels = [PageChooserPanel("terms_page"), PageChooserPanel("privacy_page")]

    class Meta:
        verbose_name = _("terms of use and privacy")
