"""Bourse-projets census, used by the API, the pages and the back office.

Embassies (``ambassades``, their profile naming the country) record foreign local authorities'
projects that seek a French partner; staff publish them on the Bourse map or reject them with a
reason. An entry lives open → in contact → matched → closed, moved by the embassy of its country
or by staff. A French local authority expresses its interest in a published entry, which tells
the embassy. A matched entry becomes an Atlas project (staff).

Each entry is offered the French authorities already active in its country or its sector, by a
ranking anyone can check: 3 points per project in the country *and* the sector, 2 per other
project in the country, 1 per other project in the sector; ties go to more projects in both,
then in the country, then by name.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from atlas_pages.core.auth import Caller
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.models import BourseProject, Country, FrenchAuthority, PartnerAuthority, Project, Theme
from forms.bourse.models import BourseEvent, BourseInterest
from forms.permissions import Viewer

Status, Moderation = BourseProject.Status, BourseProject.Moderation
TEXT_LIMITS = {"title": 255, "description": 5000, "expected_partnership": 3000, "contact": 255, "partner_name": 255}
REQUIRED = {
    "title": _("Give the project's title."),
    "partner_name": _("Name the foreign local authority."),
    "theme": _("Choose the sector."),
    "description": _("Describe the project."),
    "expected_partnership": _("Say what partnership is sought."),
}
MOVES = {
    Status.OPEN: {Status.IN_CONTACT, Status.MATCHED, Status.CLOSED},
    Status.IN_CONTACT: {Status.OPEN, Status.MATCHED, Status.CLOSED},
    Status.MATCHED: {Status.IN_CONTACT, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}


class NotPublished(Conflict):
    default_message = _("This entry is not published on the Bourse-projets.")


# --- who ----------------------------------------------------------------------------------------


def _event(entry: BourseProject, user: User, action: str, detail: str = "") -> None:
    BourseEvent.objects.create(entry=entry, actor=user, action=action, detail=detail[:2000])


def embassy_country(user: Caller) -> str:
    viewer = Viewer.of(user)
    return viewer.country if "ambassades" in viewer.groups else ""


def manages(user: Caller, entry: BourseProject) -> bool:
    """Staff, and the embassy of the entry's country."""
    viewer = Viewer.of(user)
    return viewer.is_staff or (bool(embassy_country(user)) and entry.country.iso2 == embassy_country(user))


def _entries() -> QuerySet[BourseProject]:
    return BourseProject.objects.select_related(
        "partner_authority", "country", "theme", "recorded_by", "matched_authority", "atlas_project"
    )


def managed(user: User) -> QuerySet[BourseProject]:
    """Every entry for staff; the embassy's country's, whatever their moderation, for an embassy."""
    if Viewer.of(user).is_staff:
        return _entries()
    country = embassy_country(user)
    return _entries().filter(country__iso2=country) if country else _entries().none()


def entry(user: User, entry_id: int) -> BourseProject:
    """An entry the member manages, or a published one."""
    found = _entries().filter(pk=entry_id).first()
    if found is None or not (found.moderation == Moderation.PUBLISHED or manages(user, found)):
        raise NotFound()
    return found


def _managed_entry(user: User, entry_id: int) -> BourseProject:
    found = entry(user, entry_id)
    if not manages(user, found):
        raise Forbidden(_("Only the embassy of the entry's country and the CNCD's staff manage it."))
    return found


# --- recording ----------------------------------------------------------------------------------


def clean_entry(data: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    errors: dict[str, list] = {}
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name in data:
            text = str(data.get(name) or "").strip()
            if len(text) > limit:
                errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
            values[name] = text
    if "theme" in data:
        theme = Theme.objects.filter(slug=data.get("theme") or "").first()
        if theme is None and data.get("theme"):
            errors["theme"] = [_("Choose the sector among those listed.")]
        values["theme"] = theme
    if complete:
        for name, message in REQUIRED.items():
            if not values.get(name) and name not in errors:
                errors[name] = [message]
    if errors:
        raise ValidationError(errors)
    return values


def record(user: User, data: dict[str, Any]) -> BourseProject:
    """An embassy records a project of its country; it waits for the staff's moderation."""
    from forms.bourse import notifications

    country_code = embassy_country(user)
    if not country_code:
        raise Forbidden(_("The embassies record the Bourse-projets entries of their country."))
    values = clean_entry(data, complete=True)
    country = Country.objects.get(iso2=country_code)
    with transaction.atomic():
        partner = PartnerAuthority.named(values.pop("partner_name"), country)
        item = BourseProject.objects.create(
            **values,
            partner_authority=partner,
            country=country,
            recorded_by=user,
            moderation=Moderation.PENDING,
            location=partner.location,
        )
        _event(item, user, BourseEvent.Action.RECORDED)
    notifications.bourse_recorded(item)
    return entry(user, item.pk)


def edit(user: User, entry_id: int, data: dict[str, Any]) -> BourseProject:
    """The embassy corrects its entry; a rejected one goes back to moderation."""
    item = _managed_entry(user, entry_id)
    values = clean_entry(data, complete=False)
    for name in REQUIRED:
        if name in values and not values[name]:
            raise ValidationError({name: [REQUIRED[name]]})
    with transaction.atomic():
        if "partner_name" in values:
            item.partner_authority = PartnerAuthority.named(values.pop("partner_name"), item.country)
        for name, value in values.items():
            setattr(item, name, value)
        if item.moderation == Moderation.REJECTED:
            item.moderation = Moderation.PENDING
        item.save()
        _event(item, user, BourseEvent.Action.EDITED, ", ".join(sorted(data)))
    return entry(user, item.pk)


def moderate(user: User, entry_id: int, decision: str, reason: str = "") -> BourseProject:
    from forms.bourse import notifications

    if not Viewer.of(user).is_staff:
        raise Forbidden(_("Bourse-projets entries are moderated by the CNCD's staff."))
    item = entry(user, entry_id)
    reason = (reason or "").strip()
    if decision not in ("publish", "reject"):
        raise ValidationError({"decision": [_("Choose publish or reject.")]})
    if decision == "reject" and not reason:
        raise ValidationError({"reason": [_("Say why the entry is rejected.")]})
    if decision == "publish":
        item.moderation, item.moderation_reason = Moderation.PUBLISHED, ""
    else:
        item.moderation, item.moderation_reason = Moderation.REJECTED, reason
    with transaction.atomic():
        item.save(update_fields=["moderation", "moderation_reason", "updated_at"])
        action = BourseEvent.Action.PUBLISHED if decision == "publish" else BourseEvent.Action.REJECTED
        _event(item, user, action, reason)
    notifications.bourse_moderated(item)
    return item


def set_status(user: User, entry_id: int, status: str, matched_code: str = "") -> BourseProject:
    """Moves a published entry along its life cycle; “matched” names the French authority."""
    item = _managed_entry(user, entry_id)
    if item.moderation != Moderation.PUBLISHED:
        raise NotPublished()
    if status not in Status.values:
        raise ValidationError({"status": [_("Choose open, in contact, matched or closed.")]})
    if status != item.status and status not in MOVES[Status(item.status)]:
        raise Conflict(
            _("An entry cannot go from “%(from)s” to “%(to)s”.")
            % {"from": item.get_status_display(), "to": Status(status).label}
        )
    if status == Status.MATCHED:
        authority = FrenchAuthority.objects.filter(code=(matched_code or "").strip()).first()
        if authority is None:
            raise ValidationError({"matched_authority": [_("Give the official code of the French partner.")]})
        item.matched_authority = authority
    before = item.get_status_display()
    item.status = status
    with transaction.atomic():
        item.save(update_fields=["status", "matched_authority", "updated_at"])
        detail = f"{before} → {item.get_status_display()}"
        if status == Status.MATCHED and item.matched_authority:
            detail += f" ({item.matched_authority.name})"
        _event(item, user, BourseEvent.Action.STATUS, detail)
    return item


# --- interest -----------------------------------------------------------------------------------


def express_interest(user: User, entry_id: int, message: str) -> BourseInterest:
    """A French local authority's members tell the embassy their authority is interested."""
    from forms.bourse import notifications

    viewer = Viewer.of(user)
    authority = (
        FrenchAuthority.objects.filter(code=viewer.authority_code).first()
        if "collectivites" in viewer.groups and viewer.authority_code
        else None
    )
    if authority is None:
        raise Forbidden(_("Members of a French local authority whose profile names it express its interest."))
    item = entry(user, entry_id)
    if item.moderation != Moderation.PUBLISHED:
        raise NotPublished()
    if item.status not in (Status.OPEN, Status.IN_CONTACT):
        raise Conflict(_("This entry no longer looks for a partner."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Introduce your authority and say what you propose.")]})
    if len(message) > 2000:
        raise ValidationError({"message": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    try:
        with transaction.atomic():
            interest = BourseInterest.objects.create(entry=item, authority=authority, user=user, message=message)
            _event(item, user, BourseEvent.Action.INTEREST, authority.name)
    except IntegrityError as error:
        raise Conflict(_("Your authority has already expressed its interest in this entry.")) from error
    if item.status == Status.OPEN:
        BourseProject.objects.filter(pk=item.pk, status=Status.OPEN).update(
            status=Status.IN_CONTACT, updated_at=timezone.now()
        )
    notifications.bourse_interest(interest)
    return interest


def interests(user: Caller, item: BourseProject) -> list[BourseInterest]:
    """Every interest for the entry's managers; their own authority's for the others."""
    queryset = item.interests.select_related("authority", "user")
    if manages(user, item):
        return list(queryset)
    viewer = Viewer.of(user)
    return list(queryset.filter(authority__code=viewer.authority_code)) if viewer.authority_code else []


# --- suggestions --------------------------------------------------------------------------------


@dataclass
class Suggestion:
    authority: FrenchAuthority
    in_country: int
    on_theme: int
    both: int
    interested: bool
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _counts(queryset) -> dict[int, int]:
    rows = queryset.exclude(french_authorities=None).values("french_authorities").annotate(n=Count("pk", distinct=True))
    return {row["french_authorities"]: row["n"] for row in rows.order_by()}


def suggestions(user: User, entry_id: int, limit: int = 10) -> list[Suggestion]:
    """The French authorities already active in the entry's country or sector, best first, each
    with why (three aggregate queries and one for the names, whatever the Atlas's size)."""
    item = _managed_entry(user, entry_id)
    in_country = _counts(Project.objects.filter(country=item.country_id))
    on_theme = _counts(Project.objects.filter(themes=item.theme_id))
    both = _counts(Project.objects.filter(country=item.country_id, themes=item.theme_id))
    scores = {
        pk: 3 * both.get(pk, 0)
        + 2 * (in_country.get(pk, 0) - both.get(pk, 0))
        + (on_theme.get(pk, 0) - both.get(pk, 0))
        for pk in set(in_country) | set(on_theme)
    }
    interested = set(item.interests.values_list("authority_id", flat=True))
    authorities = FrenchAuthority.objects.in_bulk(list(scores))
    ranked = sorted(
        scores,
        key=lambda pk: (-scores[pk], -both.get(pk, 0), -in_country.get(pk, 0), authorities[pk].name),
    )[:limit]
    result = []
    for pk in ranked:
        found = Suggestion(
            authority=authorities[pk],
            in_country=in_country.get(pk, 0),
            on_theme=on_theme.get(pk, 0),
            both=both.get(pk, 0),
            interested=pk in interested,
            score=scores[pk],
        )
        if found.both:
            found.reasons.append(
                ngettext(
                    "%(n)d project in this country and this sector",
                    "%(n)d projects in this country and this sector",
                    found.both,
                )
                % {"n": found.both}
            )
        if found.in_country - found.both:
            n = found.in_country - found.both
            found.reasons.append(
                ngettext("%(n)d other project in this country", "%(n)d other projects in this country", n) % {"n": n}
            )
        if found.on_theme - found.both:
            n = found.on_theme - found.both
            found.reasons.append(
                ngettext("%(n)d project in this sector elsewhere", "%(n)d projects in this sector elsewhere", n)
                % {"n": n}
            )
        result.append(found)
    return result


# --- into the Atlas -----------------------------------------------------------------------------


def to_atlas_project(user: User, entry_id: int) -> Project:
    """A matched entry becomes a project of the Atlas, between the foreign authority and its
    French partner (staff)."""
    if not Viewer.of(user).is_staff:
        raise Forbidden(_("The CNCD's staff add projects to the Atlas."))
    item = entry(user, entry_id)
    if item.status != Status.MATCHED or item.matched_authority is None:
        raise Conflict(_("Only a matched entry, with its French partner, becomes an Atlas project."))
    if item.atlas_project_id:
        raise Conflict(_("This entry is already in the Atlas."))
    with transaction.atomic():
        project = Project.objects.create(
            title=item.title,
            country=item.country,
            status=Project.Status.PLANNED,
            start_year=timezone.localdate().year,
            description=item.description,
            contact=item.contact,
            location_abroad=item.location,
            updated_by=user,
        )
        project.french_authorities.set([item.matched_authority])
        project.partner_authorities.set([item.partner_authority])
        project.themes.set([item.theme])
        item.atlas_project = project
        item.save(update_fields=["atlas_project", "updated_at"])
        _event(item, user, BourseEvent.Action.ATLAS, project.title)
    return project


def history(user: User, entry_id: int) -> list[BourseEvent]:
    """Who did what to the entry, and when (its managers)."""
    item = _managed_entry(user, entry_id)
    return list(item.events.select_related("actor"))
