"""Back-office screens and hooks of the Bourse-projets census."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from atlas_pages.core import hooks as cncd_hooks
from extranet.declarations import Declaration
from extranet.navigation import space_link
from forms.bourse import services as bourse
from forms.bourse.models import BourseInterest
from forms.permissions import Viewer


@cncd_hooks.register(cncd_hooks.PERSONAL_SPACE_LINKS, order=13)
def bourse_census_link(request, subject=None):
    """“Recensement Bourse-projets” for embassies, and staff who moderate it."""
    if not (request.user.is_staff or bourse.embassy_country(request.user)):
        return ""
    url = reverse("cncd_forms:bourse_census")
    label = _("Bourse-projets census")
    return space_link(request, url, label)


@cncd_hooks.register(cncd_hooks.BOURSE_ENTRY_ACTIONS)
def bourse_entry_action(request, entry):
    """Under an entry of the Bourse-projets: its page, for a local authority to express its
    interest, or for its embassy and staff to manage it."""
    viewer = Viewer.of(request.user)
    url = reverse("cncd_forms:bourse_entry", args=[entry.pk])
    if viewer.is_staff or (viewer.country and "ambassades" in viewer.groups and entry.country.iso2 == viewer.country):
        label = _("Manage this entry")
    elif "collectivites" in viewer.groups and viewer.authority_code and entry.status in ("open", "in_contact"):
        label = _("My authority is interested")
    else:
        return ""
    return format_html(
        '<p><a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="{}">{}</a></p>', url, label
    )


@cncd_hooks.register(cncd_hooks.DECLARATIONS)
def bourse_in_the_history(user):
    """An embassy's census entries; a local authority's interests in entries."""
    if user.is_staff or not user.is_authenticated:
        return []
    items = [
        Declaration(
            kind="bourse",
            kind_label=_("Bourse-projets entry"),
            reference=f"BP-{entry.pk:06d}",
            title=entry.title,
            status=entry.moderation if entry.moderation != "published" else entry.status,
            status_label=str(
                entry.get_moderation_display() if entry.moderation != "published" else entry.get_status_display()
            ),
            filed_at=entry.recorded_at,
            updated_at=entry.updated_at,
            url=reverse("cncd_forms:bourse_entry", args=[entry.pk]),
        )
        for entry in bourse.managed(user)
    ]
    viewer = Viewer.of(user)
    if viewer.authority_code:
        interests = BourseInterest.objects.filter(authority__code=viewer.authority_code).select_related("entry")
        items += [
            Declaration(
                kind="bourse_interest",
                kind_label=_("Interest in a Bourse-projets entry"),
                reference=f"BP-{interest.entry_id:06d}",
                title=interest.entry.title,
                status=interest.entry.status,
                status_label=str(interest.entry.get_status_display()),
                filed_at=interest.created_at,
                updated_at=interest.created_at,
                url=reverse("cncd_forms:bourse_entry", args=[interest.entry_id]),
            )
            for interest in interests
        ]
    return items
