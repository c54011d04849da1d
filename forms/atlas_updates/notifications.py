"""The e-mails of the Atlas update proposals (see ``forms.notifications``)."""

from django.urls import reverse

from atlas_pages.core.links import site_url
from forms.atlas_updates.models import AtlasUpdate
from forms.notifications import atlas_addresses, tell

CONTEXT = "forms.atlas_updates.notifications.context"


def atlas_update_url(update: AtlasUpdate) -> str:
    return site_url(reverse("cncd_forms:atlas_update", args=[update.pk]))


def context(update_id: int) -> dict:
    """What the messages say, read when they are sent: the proposal and what it changes."""
    from forms.atlas_updates.services import diff

    update = AtlasUpdate.objects.select_related("project", "proposed_by").get(pk=update_id)
    return {"update": update, "differences": diff([update])[update.pk], "url": atlas_update_url(update)}


def atlas_update_proposed(update: AtlasUpdate) -> None:
    """The Atlas's moderators are told of a new proposal."""
    tell("atlas_update_proposed", atlas_addresses(), CONTEXT, update_id=update.pk)


def atlas_update_moderated(update: AtlasUpdate) -> None:
    """Who proposed learns whether it was accepted, or why not."""
    if update.proposed_by and update.proposed_by.is_active:
        tell("atlas_update_moderated", [update.proposed_by.email], CONTEXT, update_id=update.pk)
