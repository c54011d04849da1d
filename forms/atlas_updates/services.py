"""Online updates of the Atlas, used by the API, the pages and the back office.

Who may propose what (the seed: the Atlas is updated online by "collectivités territoriales,
préfectures, ambassades, ministères et opérateurs"), from what staff verified of each member:

- a local authority's members (``collectivites``, their profile naming its official code): a new
  project of their authority, and changes to or the end of the projects their authority takes
  part in;
- embassies (``ambassades``, their profile naming the country): a new project in their country,
  changes to or the end of the projects in it;
- prefectures (``prefectures``, their profile naming the region): a new project of an authority
  of their region, changes to or the end of the projects one of their region's authorities takes
  part in (and that still has one after the change);
- ministries and operators (``ministeres-operateurs``): any project, new or not; the proposal is
  marked as theirs (their group and organisation) for the moderators;
- nobody else; staff change the Atlas directly and moderate the proposals.

A proposal keeps the project's values when it was made (``before``) and the values proposed
(``changes``); its diff is between the two. Accepting it checks that nobody changed those fields
since (else 409, unless staff override), applies them and keeps the proposal as the project's
history: who proposed, who accepted, when, what changed.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.countries import country_name
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.models import Country, FrenchAuthority, PartnerAuthority, Project, Theme
from extranet.services import verified_profile
from forms.atlas_updates.models import AtlasUpdate
from forms.permissions import Viewer

Kind, State = AtlasUpdate.Kind, AtlasUpdate.State
FIELDS = {
    "title": _("Title"),
    "kind": _("Kind"),
    "status": _("Status"),
    "country": _("Country"),
    "start_year": _("Start year"),
    "end_year": _("End year"),
    "budget": _("Budget (EUR)"),
    "description": _("Description"),
    "contact": _("Contact"),
    "themes": _("Themes"),
    "french_authorities": _("French local authorities"),
    "partner_authorities": _("Partner authorities"),
}
TEXT_LIMITS = {"title": 255, "description": 10000, "contact": 255}
YEARS = range(1950, 2101)


class NotPending(Conflict):
    default_message = _("This proposal has already been moderated or withdrawn.")


class ChangedSince(Conflict):
    default_message = _("The project has changed since this proposal was made.")


# --- who proposes -------------------------------------------------------------------------------


AUTHORITY, EMBASSY, PREFECTURE, MINISTRY = "collectivites", "ambassades", "prefectures", "ministeres-operateurs"


@dataclass(frozen=True)
class Proposer:
    group: str  # AUTHORITY, EMBASSY, PREFECTURE or MINISTRY
    authority_code: str = ""
    country: str = ""
    region: str = ""  # a prefecture's region, by name as the authorities carry it
    organisation: str = ""


def proposer(user: User) -> Proposer | None:
    viewer = Viewer.of(user)
    if viewer.is_staff or viewer.user_id is None:
        return None
    profile = verified_profile(user)
    organisation = profile.organisation if profile else ""
    if viewer.authority_code:
        return Proposer(AUTHORITY, authority_code=viewer.authority_code, organisation=organisation)
    if viewer.country:
        return Proposer(EMBASSY, country=viewer.country, organisation=organisation)
    if viewer.region_name:
        return Proposer(PREFECTURE, region=viewer.region_name, organisation=organisation)
    if profile and MINISTRY in viewer.groups:
        return Proposer(MINISTRY, organisation=organisation)
    return None


def _in_region(codes, region: str) -> bool:
    return FrenchAuthority.objects.filter(code__in=list(codes), region=region).exists()


def may_change(who: Proposer | None, project: Project) -> bool:
    if who is None:
        return False
    if who.group == AUTHORITY:
        return any(authority.code == who.authority_code for authority in project.french_authorities.all())
    if who.group == PREFECTURE:
        return any(authority.region == who.region for authority in project.french_authorities.all())
    if who.group == MINISTRY:
        return True
    return project.country.iso2 == who.country


def projects_for(user: User) -> QuerySet[Project]:
    """The Atlas projects the member may propose changes to."""
    who = proposer(user)
    queryset = Project.objects.select_related("country").order_by("title", "pk")
    if who is None:
        return queryset.none()
    if who.group == AUTHORITY:
        return queryset.filter(french_authorities__code=who.authority_code)
    if who.group == PREFECTURE:
        in_region = FrenchAuthority.objects.filter(region=who.region).values("pk")
        return queryset.filter(
            pk__in=Project.french_authorities.through.objects.filter(frenchauthority_id__in=in_region).values(
                "project_id"
            )
        )
    if who.group == MINISTRY:
        return queryset
    return queryset.filter(country__iso2=who.country)


def visible(user: User) -> QuerySet[AtlasUpdate]:
    """Staff: every proposal; members: theirs and their authority's (embassy's, prefecture's)."""
    viewer = Viewer.of(user)
    queryset = AtlasUpdate.objects.select_related("project", "proposed_by", "moderated_by")
    if viewer.is_staff:
        return queryset
    if viewer.user_id is None:
        return queryset.none()
    seen = Q(proposed_by_id=viewer.user_id)
    if viewer.authority_code:
        seen |= Q(proposer_group=AUTHORITY, authority_code=viewer.authority_code)
    if viewer.country:
        seen |= Q(proposer_group=EMBASSY, country_code=viewer.country)
    if viewer.region_name:
        seen |= Q(proposer_group=PREFECTURE, region=viewer.region_name)
    return queryset.filter(seen)


def update(user: User, update_id: int) -> AtlasUpdate:
    found = visible(user).filter(pk=update_id).first()
    if found is None:
        raise NotFound()
    return found


# --- values -----------------------------------------------------------------------------------


def snapshot(project: Project) -> dict[str, Any]:
    """The project's values, as a proposal keeps them."""
    return {
        "title": project.title,
        "kind": project.kind,
        "status": project.status,
        "country": project.country.iso2,
        "start_year": project.start_year,
        "end_year": project.end_year,
        "budget": None if project.budget is None else f"{project.budget:.2f}",
        "description": project.description,
        "contact": project.contact,
        "themes": sorted(theme.slug for theme in project.themes.all()),
        "french_authorities": sorted(authority.code for authority in project.french_authorities.all()),
        "partner_authorities": sorted(authority.name for authority in project.partner_authorities.all()),
    }


def _year(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if year not in YEARS:
        errors[field] = [_("Give a year between 1950 and 2100.")]
        return None
    return year


def _names(value, field: str, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    if not isinstance(value, list | tuple):
        errors[field] = [_("Give a list.")]
        return []
    return sorted({str(item).strip() for item in value if str(item).strip()})


def clean_changes(data: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """The values given, checked one by one; ``complete`` (a new project) requires the title,
    the country, the start year and at least one French authority."""
    errors: dict[str, list] = {}
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name in data:
            text = str(data.get(name) or "").strip()
            if len(text) > limit:
                errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
            values[name] = text
    if "kind" in data:
        if data["kind"] not in Project.Kind.values:
            errors["kind"] = [_("Choose the kind among those listed.")]
        values["kind"] = data["kind"]
    if "status" in data:
        if data["status"] not in Project.Status.values:
            errors["status"] = [_("Choose the status among those listed.")]
        values["status"] = data["status"]
    if "country" in data:
        code = str(data.get("country") or "").strip().upper()
        if not Country.objects.filter(iso2=code).exists():
            errors["country"] = [_("Choose a country of the Atlas.")]
        values["country"] = code
    for name in ("start_year", "end_year"):
        if name in data:
            values[name] = _year(data.get(name), name, errors)
    if "budget" in data:
        budget = data.get("budget")
        if budget in (None, ""):
            values["budget"] = None
        else:
            try:
                amount = Decimal(str(budget).replace(" ", "").replace("\u202f", "").replace(",", "."))
                if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
                    raise InvalidOperation
                values["budget"] = f"{amount.quantize(Decimal('0.01')):.2f}"
            except (InvalidOperation, ValueError):
                errors["budget"] = [_("Give an amount in euros, such as 12500 or 12500.50.")]
    if "themes" in data:
        slugs = _names(data.get("themes"), "themes", errors)
        known = set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if set(slugs) - known:
            errors["themes"] = [_("Unknown theme: %(names)s.") % {"names": ", ".join(sorted(set(slugs) - known))}]
        values["themes"] = slugs
    if "french_authorities" in data:
        codes = _names(data.get("french_authorities"), "french_authorities", errors)
        known = set(FrenchAuthority.objects.filter(code__in=codes).values_list("code", flat=True))
        if set(codes) - known:
            errors["french_authorities"] = [
                _("Unknown official code: %(codes)s.") % {"codes": ", ".join(sorted(set(codes) - known))}
            ]
        values["french_authorities"] = codes
    if "partner_authorities" in data:
        names = _names(data.get("partner_authorities"), "partner_authorities", errors)
        if any(len(name) > 255 for name in names):
            errors["partner_authorities"] = [_("At most %(limit)d characters.") % {"limit": 255}]
        values["partner_authorities"] = names
    if complete:
        for name, message in (
            ("title", _("Give the project's title.")),
            ("country", _("Choose a country of the Atlas.")),
            ("start_year", _("Give the year the project started.")),
            ("french_authorities", _("Name at least one French local authority.")),
        ):
            if not values.get(name) and name not in errors:
                errors[name] = [message]
    start, end = values.get("start_year"), values.get("end_year")
    if start and end and end < start and "end_year" not in errors:
        errors["end_year"] = [_("The end year cannot come before the start year.")]
    if errors:
        raise ValidationError(errors)
    return values


# --- proposing ----------------------------------------------------------------------------------


def propose(
    user: User,
    kind: str,
    data: dict[str, Any],
    project_id: int | None = None,
    comment: str = "",
) -> AtlasUpdate:
    """A new proposal, waiting for moderation; staff are told."""
    from forms.atlas_updates import notifications

    who = proposer(user)
    if who is None:
        raise Forbidden(
            _(
                "Local authorities, embassies, prefectures, ministries and operators propose updates of the Atlas; "
                "staff change it directly."
            )
        )
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose new, edit or end.")]})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    project = None
    before: dict[str, Any] = {}
    if kind == Kind.NEW:
        data = dict(data)
        if who.group == AUTHORITY:
            data.setdefault("french_authorities", [who.authority_code])
        elif who.group == EMBASSY:
            data.setdefault("country", who.country)
        errors: dict[str, list] = {}
        try:
            changes = clean_changes(data, complete=True)
        except ValidationError as error:
            errors, changes = error.message_dict, {}
        given = changes or {name: data.get(name) for name in ("french_authorities", "country")}
        if who.group == AUTHORITY and who.authority_code not in (given.get("french_authorities") or []):
            errors.setdefault("french_authorities", []).append(
                _("A project your authority proposes must include your authority.")
            )
        if who.group == EMBASSY and str(given.get("country") or "").upper() != who.country:
            errors.setdefault("country", []).append(_("An embassy proposes projects in its own country."))
        if (
            who.group == PREFECTURE
            and "french_authorities" not in errors
            and not _in_region(given.get("french_authorities") or [], who.region)
        ):
            errors.setdefault("french_authorities", []).append(
                _("A prefecture proposes projects of the authorities of its region: name at least one of them.")
            )
        if errors:
            raise ValidationError(errors)
    else:
        project = Project.objects.select_related("country").filter(pk=project_id).first() if project_id else None
        if project is None:
            raise ValidationError({"project_id": [_("Choose the project of the Atlas to update.")]})
        if not may_change(who, project):
            raise Forbidden(_("You may propose updates only of your authority's projects (or your country's)."))
        before = snapshot(project)
        if kind == Kind.END:
            end_year = data.get("end_year") or timezone.localdate().year
            changes = clean_changes({"status": Project.Status.COMPLETED, "end_year": end_year}, complete=False)
            if changes["end_year"] and changes["end_year"] < project.start_year:
                raise ValidationError({"end_year": [_("The end year cannot come before the start year.")]})
        else:
            changes = clean_changes(data, complete=False)
            if who.group == EMBASSY and changes.get("country", who.country) != who.country:
                raise ValidationError({"country": [_("An embassy proposes projects in its own country.")]})
            if (
                who.group == PREFECTURE
                and "french_authorities" in changes
                and not _in_region(changes["french_authorities"], who.region)
            ):
                raise ValidationError(
                    {"french_authorities": [_("The project would no longer include an authority of your region.")]}
                )
            start = changes.get("start_year") or project.start_year
            end = changes.get("end_year", project.end_year)
            if end and start and end < start and "end_year" in changes:
                raise ValidationError({"end_year": [_("The end year cannot come before the start year.")]})
        changes = {name: value for name, value in changes.items() if before.get(name) != value}
        if not changes:
            raise ValidationError({"changes": [_("Nothing differs from the Atlas: change at least one value.")]})
    item = AtlasUpdate.objects.create(
        kind=kind,
        project=project,
        project_title=changes.get("title") or (project.title if project else ""),
        proposed_by=user,
        proposer_group=who.group,
        proposer_organisation=who.organisation,
        authority_code=who.authority_code,
        country_code=who.country,
        region=who.region,
        before=before,
        changes=changes,
        comment=comment,
    )
    notifications.atlas_update_proposed(item)
    return item


def withdraw(user: User, update_id: int) -> AtlasUpdate:
    item = update(user, update_id)
    if item.proposed_by_id != user.pk:
        raise Forbidden(_("Only who proposed it withdraws a proposal."))
    if not AtlasUpdate.objects.filter(pk=item.pk, state=State.PENDING).update(state=State.WITHDRAWN):
        raise NotPending()
    item.refresh_from_db()
    return item


# --- the diff ---------------------------------------------------------------------------------


@dataclass
class Difference:
    field: str
    label: str
    before: str
    after: str


def _shown(field: str, value, names: dict) -> str:
    if value in (None, "", []):
        return ""
    if field == "country":
        return country_name(value) or value
    if field == "kind":
        return str(Project.Kind(value).label) if value in Project.Kind.values else value
    if field == "status":
        return str(Project.Status(value).label) if value in Project.Status.values else value
    if field == "themes":
        return ", ".join(names["themes"].get(slug, slug) for slug in value)
    if field == "french_authorities":
        return ", ".join(f"{names['authorities'].get(code, code)} ({code})" for code in value)
    if field == "partner_authorities":
        return ", ".join(value)
    return str(value)


def diff(items: list[AtlasUpdate]) -> dict[int, list[Difference]]:
    """Each proposal's differences, values as people read them (two queries for them all)."""
    slugs: set[str] = set()
    codes: set[str] = set()
    for item in items:
        for values in (item.before, item.changes):
            slugs.update(values.get("themes") or [])
            codes.update(values.get("french_authorities") or [])
    names = {
        "themes": {theme.slug: str(theme.label) for theme in Theme.objects.filter(slug__in=slugs)},
        "authorities": dict(FrenchAuthority.objects.filter(code__in=codes).values_list("code", "name")),
    }
    result = {}
    for item in items:
        result[item.pk] = [
            Difference(
                field=field,
                label=str(label),
                before=_shown(field, item.before.get(field), names),
                after=_shown(field, item.changes[field], names),
            )
            for field, label in FIELDS.items()
            if field in item.changes and item.changes[field] != item.before.get(field)
        ]
    return result


# --- moderation ---------------------------------------------------------------------------------


def _staff_only(user: User) -> None:
    if not Viewer.of(user).is_staff:
        raise Forbidden(_("Proposals are moderated by the CNCD's staff."))


def _apply(project: Project, changes: dict[str, Any]) -> None:
    for field in ("title", "kind", "status", "start_year", "end_year", "description", "contact"):
        if field in changes:
            setattr(project, field, changes[field])
    if "budget" in changes:
        project.budget = None if changes["budget"] is None else Decimal(changes["budget"])
    if "country" in changes:
        project.country = Country.objects.get(iso2=changes["country"])
    project.save()
    if "themes" in changes:
        project.themes.set(Theme.objects.filter(slug__in=changes["themes"]))
    if "french_authorities" in changes:
        project.french_authorities.set(FrenchAuthority.objects.filter(code__in=changes["french_authorities"]))
    if "partner_authorities" in changes:
        project.partner_authorities.set(
            [PartnerAuthority.named(name, project.country) for name in changes["partner_authorities"]]
        )


def accept(user: User, update_id: int, override: bool = False) -> AtlasUpdate:
    """Applies the proposal to the Atlas. If someone changed the same fields of the project since
    it was made, 409 names them, unless ``override``."""
    from forms.atlas_updates import notifications

    _staff_only(user)
    item = update(user, update_id)
    if item.state != State.PENDING:
        raise NotPending()
    with transaction.atomic():
        if item.kind == Kind.NEW:
            values = item.changes
            project = Project(
                title=values["title"],
                kind=values.get("kind") or Project.Kind.PROJECT,
                status=values.get("status") or Project.Status.ONGOING,
                country=Country.objects.get(iso2=values["country"]),
                start_year=values["start_year"],
                updated_by=item.proposed_by,
            )
            _apply(project, values)
        else:
            found = (
                Project.objects.select_for_update().select_related("country").filter(pk=item.project_id or 0).first()
            )
            if found is None:
                raise Conflict(_("The project is no longer in the Atlas."))
            project = found
            now = snapshot(project)
            moved = [field for field in item.changes if now.get(field) != item.before.get(field)]
            if moved and not override:
                raise ChangedSince(
                    _("The project has changed since this proposal was made (%(fields)s): check and accept anyway.")
                    % {"fields": ", ".join(str(FIELDS[field]) for field in moved)}
                )
            project.updated_by = item.proposed_by
            _apply(project, item.changes)
        claimed = AtlasUpdate.objects.filter(pk=item.pk, state=State.PENDING).update(
            state=State.ACCEPTED, project=project, moderated_by=user, moderated_at=timezone.now()
        )
        if not claimed:
            raise NotPending()
        item.refresh_from_db()
        for accepted in cncd_hooks.implementations(cncd_hooks.ATLAS_UPDATE_ACCEPTED):
            accepted(item, project)  # a funded dossier links its project
        notifications.atlas_update_moderated(item)
    return item


def reject(user: User, update_id: int, reason: str) -> AtlasUpdate:
    from forms.atlas_updates import notifications

    _staff_only(user)
    item = update(user, update_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the proposal is rejected.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    with transaction.atomic():
        claimed = AtlasUpdate.objects.filter(pk=item.pk, state=State.PENDING).update(
            state=State.REJECTED, reason=reason, moderated_by=user, moderated_at=timezone.now()
        )
        if not claimed:
            raise NotPending()
        item.refresh_from_db()
        notifications.atlas_update_moderated(item)
    return item


def history(project_id: int) -> QuerySet[AtlasUpdate]:
    """The accepted proposals of a project, latest first: who changed what, when, accepted by whom."""
    return AtlasUpdate.objects.filter(project_id=project_id, state=State.ACCEPTED).select_related(
        "proposed_by", "moderated_by"
    )


# --- a funded dossier's project -----------------------------------------------------------------


def propose_from_dossier(dossier) -> AtlasUpdate | None:
    """An accepted co-financing dossier's project, proposed to the Atlas in its authority's name:
    a new project, or a change of the one it is already linked to. It goes through the same
    moderation as any update; accepted, the dossier and the project are linked (hook
    ``cncd_atlas_update_accepted``). Nothing is proposed twice while a proposal waits."""
    from forms.atlas_updates import notifications

    if AtlasUpdate.objects.filter(dossier=dossier, state=State.PENDING).exists():
        return None
    end = dossier.start_year + dossier.duration_years - 1 if dossier.start_year and dossier.duration_years else None
    expenses = sum((line.amount for line in dossier.budget_lines.all() if line.kind == "expense"), Decimal(0))
    values = {
        "title": dossier.title[:255],
        "kind": Project.Kind.PROJECT,
        "status": Project.Status.ONGOING,
        "country": dossier.partner_country.iso2 if dossier.partner_country else "",
        "start_year": dossier.start_year,
        "end_year": end,
        "budget": f"{expenses:.2f}" if expenses else None,
        "description": dossier.description[:10000],
        "themes": sorted(theme.slug for theme in dossier.themes.all()),
        "french_authorities": [dossier.authority.code],
        "partner_authorities": [dossier.partner_name] if dossier.partner_name else [],
    }
    project = dossier.atlas_project
    before = snapshot(project) if project is not None else {}
    changes = {name: value for name, value in values.items() if before.get(name) != value} if project else values
    if project is not None and not changes:
        return None
    profile = verified_profile(dossier.created_by) if dossier.created_by else None
    item = AtlasUpdate.objects.create(
        kind=Kind.EDIT if project is not None else Kind.NEW,
        project=project,
        project_title=values["title"],
        proposed_by=dossier.created_by,
        proposer_group=AUTHORITY,
        proposer_organisation=profile.organisation if profile else dossier.authority.name,
        authority_code=dossier.authority.code,
        before=before,
        changes=changes,
        comment=str(_("Co-financing dossier %(reference)s, accepted.") % {"reference": dossier.reference}),
        dossier=dossier,
    )
    notifications.atlas_update_proposed(item)
    return item
