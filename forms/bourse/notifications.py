"""The e-mails of the Bourse-projets census (see ``forms.notifications``)."""

from django.urls import reverse

from atlas_pages.core.links import site_url
from atlas_pages.models import BourseProject
from forms.bourse.models import BourseInterest
from forms.notifications import approved_members, atlas_addresses, tell

CONTEXT = "forms.bourse.notifications.context"


def bourse_url(entry: BourseProject) -> str:
    return site_url(reverse("cncd_forms:bourse_entry", args=[entry.pk]))


def context(entry_id: int, interest_id: int | None = None) -> dict:
    """What the messages say, read when they are sent."""
    entry = BourseProject.objects.select_related("country", "partner_authority", "recorded_by").get(pk=entry_id)
    found = {"entry": entry, "url": bourse_url(entry)}
    if interest_id is not None:
        found["interest"] = BourseInterest.objects.select_related("authority", "user").get(pk=interest_id)
    return found


def embassy_members(entry: BourseProject) -> list[str]:
    """The embassy of the entry's country, and whoever recorded the entry."""
    return approved_members(
        entry.recorded_by, groups__actor_group__slug="ambassades", member_profile__country=entry.country.iso2
    )


def bourse_recorded(entry: BourseProject) -> None:
    tell("bourse_recorded", atlas_addresses(), CONTEXT, entry_id=entry.pk)


def bourse_moderated(entry: BourseProject) -> None:
    if entry.recorded_by and entry.recorded_by.is_active:
        tell("bourse_moderated", [entry.recorded_by.email], CONTEXT, entry_id=entry.pk)


def bourse_interest(interest: BourseInterest) -> None:
    tell(
        "bourse_interest", embassy_members(interest.entry), CONTEXT, entry_id=interest.entry_id, interest_id=interest.pk
    )
