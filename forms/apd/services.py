"""e-APD: local authorities' annual declaration of Official Development Assistance, used by the
API, the pages and the back office.

A local authority's members (their profile names its official code) declare for it; staff read
every declaration, follow the campaign and ask for corrections. Each line is checked against
the OECD codelists shipped in ``forms/data/codelists`` and every fault is named by its field;
a refused line changes nothing that was saved.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.auth import Caller
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.models import FrenchAuthority, Project
from forms.apd import codelists
from forms.apd.models import MARKERS, ApdCampaign, ApdDeclaration, ApdEvent, ApdLine
from forms.listing import narrowed
from forms.permissions import Viewer

State = ApdDeclaration.State
MAX_AMOUNT = Decimal("999999999999.99")
CENTS = Decimal("0.01")
TEXT_LIMITS = {"title": 255, "description": 2000}
CODE_FIELDS = {
    "recipient": "recipient",
    "purpose_code": "purpose",
    "aid_type": "aid_type",
    "channel_code": "channel",
    "flow_type": "flow_type",
    "finance_type": "finance_type",
}


class CampaignNotOpen(Conflict):
    default_message = _("This declaration campaign is not open.")


class NotEditable(Conflict):
    default_message = _(
        "This declaration has been submitted: it can only be changed if the CNCD asks for a correction."
    )


class NothingToCopy(Conflict):
    default_message = _("Your authority has no earlier declaration to copy from.")


# --- campaigns and declarations -----------------------------------------------------------------


def _event(item: ApdDeclaration, user: User, action: str, detail: str = "") -> None:
    ApdEvent.objects.create(declaration=item, actor=user, action=action, detail=detail[:2000])


def history(user: User, declaration_id: int) -> list[ApdEvent]:
    """Who did what to the declaration, and when, oldest first."""
    item = declaration(user, declaration_id)
    return list(item.events.select_related("actor"))


def campaigns() -> QuerySet[ApdCampaign]:
    return ApdCampaign.objects.all()


def campaign(campaign_id: int) -> ApdCampaign:
    found = ApdCampaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise NotFound()
    return found


def declarer_authority(user: User) -> FrenchAuthority | None:
    """The authority the member declares for: members of ``collectivites`` whose profile names it."""
    viewer = Viewer.of(user)
    if "collectivites" not in viewer.groups or not viewer.authority_code:
        return None
    return FrenchAuthority.objects.filter(code=viewer.authority_code).first()


def declarations(
    user: Caller, *, campaign: int | str | None = None, state: str | None = None
) -> QuerySet[ApdDeclaration]:
    """Staff: every declaration; a local authority's members: their authority's; others: none.
    Of one campaign and in one state if asked (each filter checked, named when not valid)."""
    viewer = Viewer.of(user)
    queryset = ApdDeclaration.objects.select_related("campaign", "authority", "submitted_by")
    if not viewer.is_staff:
        if "collectivites" in viewer.groups and viewer.authority_code:
            queryset = queryset.filter(authority__code=viewer.authority_code)
        else:
            queryset = queryset.none()
    return narrowed(
        queryset,
        field="campaign",
        parent=campaign,
        parent_message=_("Choose a campaign from the list."),
        state=state,
        states=ApdDeclaration.State.values,
    )


def declaration(user: User, declaration_id: int) -> ApdDeclaration:
    found = declarations(user).filter(pk=declaration_id).first()
    if found is None:
        raise NotFound()
    return found


def _declarer_only(user: User, declaration_id: int) -> ApdDeclaration:
    """The declaration, for a change only its authority's members may make."""
    found = declaration(user, declaration_id)
    viewer = Viewer.of(user)
    if viewer.authority_code != found.authority.code:
        raise Forbidden(_("Only the local authority's members change its declaration."))
    return found


def _editable(user: User, declaration_id: int) -> ApdDeclaration:
    found = _declarer_only(user, declaration_id)
    if not found.editable:
        if found.state == State.DRAFT:
            raise CampaignNotOpen()
        raise NotEditable()
    return found


def start(user: User, campaign_id: int) -> tuple[ApdDeclaration, bool]:
    """The authority's declaration for the campaign, a new draft if it had none."""
    found = campaign(campaign_id)
    authority = declarer_authority(user)
    if authority is None:
        raise Forbidden(_("Only members of a local authority whose profile names it declare its assistance."))
    existing = ApdDeclaration.objects.filter(campaign=found, authority=authority).first()
    if existing is not None:
        return existing, False
    if found.status != ApdCampaign.Status.OPEN:
        raise CampaignNotOpen()
    with transaction.atomic():
        created, was_created = ApdDeclaration.objects.get_or_create(
            campaign=found, authority=authority, defaults={"created_by": user}
        )
        if was_created:
            _event(created, user, ApdEvent.Action.STARTED)
    return created, was_created


# --- lines ------------------------------------------------------------------------------------


def _amount(value, field: str, errors: dict, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("Give the amount in euros (0 if nothing was spent)."))
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Give an amount in euros, such as 12500 or 12500.50."))
        return None
    if not amount.is_finite():
        errors.setdefault(field, []).append(_("Give an amount in euros, such as 12500 or 12500.50."))
        return None
    if amount < 0:
        errors.setdefault(field, []).append(_("An amount cannot be negative."))
        return None
    if amount > MAX_AMOUNT or amount != amount.quantize(CENTS):
        errors.setdefault(field, []).append(_("Give the amount in euros with at most two decimals."))
        return None
    return amount.quantize(CENTS)


def clean_line(data: dict[str, Any], authority: FrenchAuthority) -> dict[str, Any]:
    """The line's values, or a ``ValidationError`` naming every faulty field and saying why."""
    errors: dict[str, list] = {}
    values: dict[str, Any] = {}

    project = None
    project_id = data.get("project_id")
    if project_id not in (None, ""):
        project = (
            Project.objects.filter(pk=project_id, french_authorities=authority).select_related("country").first()
            if str(project_id).isdigit()
            else None
        )
        if project is None:
            errors["project_id"] = [_("Choose one of your authority's projects in the Atlas, or leave it empty.")]
    values["project"] = project

    for name, limit in TEXT_LIMITS.items():
        text = str(data.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
        values[name] = text
    if not values["title"] and project is not None:
        values["title"] = project.title
    if not values["title"] and "title" not in errors:
        errors["title"] = [_("Give the project's title, or choose it among your Atlas projects.")]

    defaults = {field.name: field.default for field in ApdLine._meta.fields if field.name in CODE_FIELDS}
    if not data.get("recipient") and project is not None and project.country_id:
        data = {**data, "recipient": project.country.iso2}
    for name, kind in CODE_FIELDS.items():
        given = data.get(name)
        code = str(given if given not in (None, "") else defaults.get(name) or "").strip()
        if not code:
            errors[name] = [_("This code is required.")]
            continue
        try:
            values[name] = codelists.check(kind, code, name).code
        except ValidationError as error:
            errors.update(error.message_dict)

    values["disbursed"] = _amount(data.get("disbursed"), "disbursed", errors, required=True)
    values["committed"] = _amount(data.get("committed"), "committed", errors, required=False)

    for name in MARKERS:
        given = data.get(name, 0)
        given = 0 if given in (None, "") else given
        try:
            marker = int(given)
        except (TypeError, ValueError):
            marker = -1
        if marker not in (0, 1, 2) or isinstance(given, bool):
            errors[name] = [
                _("A policy marker is 0 (not targeted), 1 (significant objective) or 2 (principal objective).")
            ]
        values[name] = marker

    legal_basis = data.get("legal_basis") or ApdLine.LegalBasis.GENERAL
    if legal_basis not in ApdLine.LegalBasis.values:
        errors["legal_basis"] = [_("Choose the legal basis among those listed.")]
    values["legal_basis"] = legal_basis

    if errors:
        raise ValidationError(errors)
    return values


def lines(item: ApdDeclaration) -> list[ApdLine]:
    return list(item.lines.select_related("project"))


def add_line(user: User, declaration_id: int, data: dict[str, Any]) -> ApdLine:
    item = _editable(user, declaration_id)
    values = clean_line(data, item.authority)
    with transaction.atomic():
        position = (item.lines.aggregate(last=Max("position"))["last"] or 0) + 1
        line = ApdLine.objects.create(declaration=item, position=position, **values)
        ApdDeclaration.objects.filter(pk=item.pk).update(updated_at=timezone.now())
        _event(item, user, ApdEvent.Action.LINE_ADDED, _describe(line))
    return line


def _describe(line: ApdLine) -> str:
    return f"{line.title} — {line.recipient} — {line.purpose_code} — {line.disbursed} €"


def _line(item: ApdDeclaration, line_id: int) -> ApdLine:
    found = item.lines.filter(pk=line_id).first()
    if found is None:
        raise NotFound()
    return found


def update_line(user: User, declaration_id: int, line_id: int, data: dict[str, Any]) -> ApdLine:
    """Replaces the line with what is given (a refused change leaves it as it was)."""
    item = _editable(user, declaration_id)
    line = _line(item, line_id)
    values = clean_line(data, item.authority)
    with transaction.atomic():
        before = _describe(line)
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
        ApdDeclaration.objects.filter(pk=item.pk).update(updated_at=timezone.now())
        _event(item, user, ApdEvent.Action.LINE_CHANGED, f"{before} → {_describe(line)}")
    return line


def remove_line(user: User, declaration_id: int, line_id: int) -> None:
    item = _editable(user, declaration_id)
    line = _line(item, line_id)
    with transaction.atomic():
        _event(item, user, ApdEvent.Action.LINE_REMOVED, _describe(line))
        line.delete()
        ApdDeclaration.objects.filter(pk=item.pk).update(updated_at=timezone.now())


def copy_previous(user: User, declaration_id: int) -> int:
    """Adds the lines of the authority's latest earlier declaration (codes, projects and amounts,
    to be reviewed); returns how many. Projects the authority left since are dropped, not the line."""
    item = _editable(user, declaration_id)
    previous = (
        ApdDeclaration.objects.filter(authority=item.authority, campaign__year__lt=item.campaign.year)
        .order_by("-campaign__year")
        .first()
    )
    if previous is None or not previous.lines.exists():
        raise NothingToCopy()
    still_ours = set(Project.objects.filter(french_authorities=item.authority).values_list("pk", flat=True))
    start_at = item.lines.aggregate(last=Max("position"))["last"] or 0
    copies = []
    for offset, line in enumerate(previous.lines.all(), start=1):
        line.pk = None
        line.declaration = item
        line.position = start_at + offset
        if line.project_id not in still_ours:
            line.project_id = None
        copies.append(line)
    with transaction.atomic():
        ApdLine.objects.bulk_create(copies)
        ApdDeclaration.objects.filter(pk=item.pk).update(updated_at=timezone.now())
        _event(item, user, ApdEvent.Action.COPIED, previous.reference)
    return len(copies)


# --- submission and correction ----------------------------------------------------------------


@dataclass
class Totals:
    lines: int
    disbursed: Decimal
    committed: Decimal


def totals(item: ApdDeclaration) -> Totals:
    found = item.lines.aggregate(count=Count("pk"), disbursed=Sum("disbursed"), committed=Sum("committed"))
    return Totals(
        found["count"],
        Decimal(found["disbursed"] or 0).quantize(CENTS),
        Decimal(found["committed"] or 0).quantize(CENTS),
    )


def submit(user: User, declaration_id: int) -> ApdDeclaration:
    """Sends the declaration to the CNCD: its receipt (PDF) is kept and e-mailed to the authority's members."""
    from forms.apd import notifications, pdf

    item = _editable(user, declaration_id)
    if not item.lines.exists():
        raise ValidationError({"lines": [_("Declare at least one line before submitting.")]})
    with transaction.atomic():
        claimed = ApdDeclaration.objects.filter(pk=item.pk, state=item.state).update(
            state=State.SUBMITTED, submitted_at=timezone.now(), submitted_by=user, updated_at=timezone.now()
        )
        if not claimed:
            raise NotEditable()
        item.refresh_from_db()
        receipt = pdf.apd_receipt_pdf(item, lines(item), totals(item))
        if item.receipt:
            item.receipt.delete(save=False)
        item.receipt.save(f"{item.reference}.pdf", ContentFile(receipt), save=True)
        totals_now = totals(item)
        _event(item, user, ApdEvent.Action.SUBMITTED, f"{totals_now.lines} / {totals_now.disbursed} €")
        notifications.apd_submitted(item)
    return item


def request_correction(user: User, declaration_id: int, reason: str) -> ApdDeclaration:
    """Staff reopen a submitted declaration, saying what to correct; its members are told."""
    from forms.apd import notifications

    if not Viewer.of(user).is_staff:
        raise Forbidden(_("Only the CNCD's staff ask for a correction."))
    item = declaration(user, declaration_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what is to be corrected.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    with transaction.atomic():
        claimed = ApdDeclaration.objects.filter(pk=item.pk, state=State.SUBMITTED).update(
            state=State.CORRECTION, correction_reason=reason, updated_at=timezone.now()
        )
        if not claimed:
            raise Conflict(_("Only a submitted declaration can be sent back for correction."))
        item.refresh_from_db()
        _event(item, user, ApdEvent.Action.CORRECTION, reason)
        notifications.apd_correction_requested(item)
    return item


# --- the campaign's progress (staff) ------------------------------------------------------------


@dataclass
class Progress:
    declarations: int
    submitted: int
    drafts: int
    to_correct: int
    authorities_with_projects: int
    disbursed: Decimal
    committed: Decimal
    by_country: list[dict]
    by_sector: list[dict]
    by_state: dict[str, int]


def progress(user: User, campaign_id: int) -> Progress:
    """Who declared, and the submitted totals by recipient and by sector category: a few
    aggregate queries, whatever the number of lines."""
    if not Viewer.of(user).is_staff:
        raise Forbidden(_("The campaign's progress is for the CNCD's staff."))
    found = campaign(campaign_id)
    counts = dict(found.declarations.values_list("state").annotate(n=Count("pk")).order_by().values_list("state", "n"))
    submitted_lines = ApdLine.objects.filter(declaration__campaign=found, declaration__state=State.SUBMITTED)
    sums = submitted_lines.aggregate(disbursed=Sum("disbursed"), committed=Sum("committed"))
    by_country = [
        {
            "recipient": row["recipient"],
            "name": codelists.codelist("recipient")[row["recipient"]].name
            if row["recipient"] in codelists.codelist("recipient")
            else row["recipient"],
            "disbursed": Decimal(row["total"] or 0).quantize(CENTS),
            "lines": row["n"],
        }
        for row in submitted_lines.values("recipient")
        .annotate(total=Sum("disbursed"), n=Count("pk"))
        .order_by("-total", "recipient")
    ]
    sectors: dict[str, dict] = {}
    for row in submitted_lines.values("purpose_code").annotate(total=Sum("disbursed"), n=Count("pk")).order_by():
        code = codelists.codelist("purpose").get(row["purpose_code"])
        category = code.category if code else row["purpose_code"][:3]
        names = codelists.codelist("sector_category")
        entry = sectors.setdefault(
            category,
            {
                "category": category,
                "name": names[category].name if category in names else category,
                "disbursed": Decimal(0),
                "lines": 0,
            },
        )
        entry["disbursed"] += Decimal(row["total"] or 0).quantize(CENTS)
        entry["lines"] += row["n"]
    active = FrenchAuthority.objects.filter(projects__isnull=False).distinct().count()
    return Progress(
        declarations=sum(counts.values()),
        submitted=counts.get(State.SUBMITTED, 0),
        drafts=counts.get(State.DRAFT, 0),
        to_correct=counts.get(State.CORRECTION, 0),
        authorities_with_projects=active,
        disbursed=Decimal(sums["disbursed"] or 0).quantize(CENTS),
        committed=Decimal(sums["committed"] or 0).quantize(CENTS),
        by_country=by_country,
        by_sector=sorted(sectors.values(), key=lambda entry: (-entry["disbursed"], entry["category"])),
        by_state=counts,
    )


def submitted_lines(campaign_id: int) -> QuerySet[ApdLine]:
    """Every line of the campaign's submitted declarations, for the exports."""
    return (
        ApdLine.objects.filter(declaration__campaign_id=campaign_id, declaration__state=State.SUBMITTED)
        .select_related("declaration__campaign", "declaration__authority", "project")
        .order_by("declaration__authority__name", "declaration_id", "position", "pk")
    )


def exportable(user: User, campaign_id: int) -> ApdCampaign:
    if not Viewer.of(user).is_staff:
        raise Forbidden(_("The campaign's exports are for the CNCD's staff."))
    return campaign(campaign_id)


def pending_authorities(campaign_id: int) -> QuerySet[FrenchAuthority]:
    """Authorities active in the Atlas that have not submitted (to remind them)."""
    return (
        FrenchAuthority.objects.filter(projects__isnull=False)
        .exclude(Q(apd_declarations__campaign_id=campaign_id) & Q(apd_declarations__state=State.SUBMITTED))
        .distinct()
    )
