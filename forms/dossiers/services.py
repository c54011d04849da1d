"""Co-financing dossiers: filing, instruction and decision, used by the API, the pages and the
back office. Views parse, call one of these, and render.

Every change claims the dossier's ``version`` with a conditional update: of two people who
opened the same version, the second to save gets ``StaleDossier`` (409) instead of silently
overwriting the first, on SQLite as on PostgreSQL. The claim and the history entry are
written in one transaction.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.auth import Caller
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.core.uploads import check_upload
from atlas_pages.models import Country, FrenchAuthority, Theme
from forms import history
from forms.dossiers import notifications, pdf, questions
from forms.dossiers.models import (
    BudgetLine,
    CallForProjectsPage,
    Dossier,
    DossierAttachment,
    DossierContact,
    DossierMessage,
    Opinion,
    RequiredOpinion,
)
from forms.dossiers.permissions import is_filer, speaks_for, visible
from forms.listing import narrowed
from forms.permissions import Viewer

State = Dossier.State


class StaleDossier(Conflict):
    default_message = _("This dossier was changed by someone else since you opened it: reload it and try again.")


class WrongState(Conflict):
    default_message = _("This cannot be done to the dossier in its current state.")


class CallNotOpen(Conflict):
    default_message = _("This call for projects is not open.")


class DecisionIsFinal(Conflict):
    default_message = _("The dossier has been decided: the decision is final.")


# --- calls ------------------------------------------------------------------------------------


def calls(user: User | None = None) -> QuerySet[CallForProjectsPage]:
    """The published calls, latest closing first."""
    return CallForProjectsPage.objects.live().order_by("-closes_at", "-pk")


def call(call_id: int) -> CallForProjectsPage:
    found = calls().filter(pk=call_id).first()
    if found is None:
        raise NotFound()
    return found


# --- reading ----------------------------------------------------------------------------------


def dossiers(user: User, *, call: int | str | None = None, state: str | None = None) -> QuerySet[Dossier]:
    """The dossiers the user may see, of one call and in one state if asked (each filter
    checked, and named when it is not valid)."""
    queryset = visible(Viewer.of(user)).select_related("call", "authority", "partner_country", "assigned_to")
    return narrowed(
        queryset,
        field="call",
        parent=call,
        parent_message=_("Choose a call from the list."),
        state=state,
        states=Dossier.State.values,
    )


def dossier(user: User, dossier_id: int) -> Dossier:
    """A dossier the user may see; others are not found (their existence is not told)."""
    found = dossiers(user).filter(pk=dossier_id).first()
    if found is None:
        raise NotFound()
    return found


# --- the content of a dossier -----------------------------------------------------------------

TEXT_LIMITS = {"title": 255, "partner_name": 255, "description": 10000, "objectives": 5000}
YEARS = range(2000, 2101)


@dataclass
class Content:
    """A dossier's content as typed, checked for form but not for completeness."""

    values: dict[str, Any] = field(default_factory=dict)
    themes: list[Theme] | None = None
    budget: list[BudgetLine] | None = None
    contacts: list[DossierContact] | None = None
    answers: dict[str, Any] | None = None


def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def clean_content(data: dict[str, Any], call_page: CallForProjectsPage) -> Content:
    """Checks what is given (only that): each fault named by its field, ``budget.2.amount``
    for a line, ``answers.<name>`` for a question of the call. Missing fields are fine in a draft."""
    errors: dict[str, list] = {}
    content = Content()
    if data.get("answers") is not None:
        try:
            content.answers = questions.clean(call_page, data["answers"])
        except ValidationError as error:
            errors.update(error.message_dict)
    for name, limit in TEXT_LIMITS.items():
        if name in data:
            text = (data[name] or "").strip()
            if len(text) > limit:
                errors[name] = [_("At most %(max)d characters.") % {"max": limit}]
            content.values[name] = text
    if "partner_country" in data:
        code = (data["partner_country"] or "").strip().upper()
        country = Country.objects.filter(iso2=code).first() if code else None
        if code and country is None:
            errors["partner_country"] = [_("Choose a country from the list (ISO 3166 code).")]
        content.values["partner_country"] = country
    for name in ("start_year", "duration_years"):
        if name in data:
            value = data[name]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                errors[name] = [_("Enter a whole number.")]
            elif name == "start_year" and value is not None and value not in YEARS:
                errors[name] = [_("Enter a year between 2000 and 2100.")]
            elif name == "duration_years" and value is not None and value not in (1, 2, 3):
                errors[name] = [_("A project lasts one, two or three years.")]
            content.values[name] = value
    if "themes" in data:
        slugs = list(dict.fromkeys(data["themes"] or []))
        themes = list(Theme.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {theme.slug for theme in themes})
        if unknown:
            errors["themes"] = [_("Unknown themes: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
        content.themes = themes
    if "budget" in data:
        content.budget = []
        for number, line in enumerate(data["budget"] or []):
            where = f"budget.{number}"
            kind, source = line.get("kind"), line.get("source") or ""
            amount = _amount(line.get("amount"))
            if kind not in BudgetLine.Kind.values:
                errors[f"{where}.kind"] = [_("Choose expense or resource.")]
            if kind == BudgetLine.Kind.RESOURCE and source not in BudgetLine.Source.values:
                errors[f"{where}.source"] = [_("Choose where this resource comes from.")]
            exponent = amount.as_tuple().exponent if amount is not None else 0
            if amount is None or amount < 0 or not isinstance(exponent, int) or exponent < -2:
                errors[f"{where}.amount"] = [_("Enter an amount in euros, zero or more, with at most two decimals.")]
            label = (line.get("label") or "").strip()
            if not label or len(label) > 255:
                errors[f"{where}.label"] = [_("Give the line a label (255 characters at most).")]
            year = line.get("year", 1)
            if year not in (1, 2, 3):
                errors[f"{where}.year"] = [_("The year of the project is 1, 2 or 3.")]
            content.budget.append(
                BudgetLine(
                    kind=kind or "",
                    source=source if kind == BudgetLine.Kind.RESOURCE else "",
                    amount=amount or Decimal("0"),
                    label=label,
                    year=year if year in (1, 2, 3) else 1,
                    position=number,
                )
            )
    if "contacts" in data:
        content.contacts = []
        for number, contact in enumerate(data["contacts"] or []):
            where = f"contacts.{number}"
            name = (contact.get("name") or "").strip()
            email = (contact.get("email") or "").strip()
            if not name:
                errors[f"{where}.name"] = [_("Give the contact's name.")]
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors[f"{where}.email"] = [_("Enter a valid e-mail address.")]
            content.contacts.append(
                DossierContact(
                    name=name[:255],
                    role=(contact.get("role") or "").strip()[:255],
                    email=email,
                    phone=(contact.get("phone") or "").strip()[:40],
                    position=number,
                )
            )
    if errors:
        raise ValidationError(errors)
    return content


def _store(dossier: Dossier, content: Content) -> list[str]:
    """Writes the content; returns the names of the fields that changed."""
    changed = []
    for name, value in content.values.items():
        current = getattr(dossier, name)
        if current != value:
            setattr(dossier, name, value)
            changed.append(name)
    if content.answers:
        answers = {**(dossier.answers or {}), **content.answers}
        answers = {name: value for name, value in answers.items() if value is not None}
        if answers != (dossier.answers or {}):
            dossier.answers = answers
            changed.append("answers")
    dossier.save()
    if content.themes is not None and set(dossier.themes.all()) != set(content.themes):
        dossier.themes.set(content.themes)
        changed.append("themes")
    for name, rows, model in (("budget", content.budget, BudgetLine), ("contacts", content.contacts, DossierContact)):
        if rows is None:
            continue
        related = dossier.budget_lines if model is BudgetLine else dossier.contacts
        fields = _row_fields(model)
        before = [tuple(getattr(row, name) for name in fields) for row in related.all()]
        after = [tuple(getattr(row, name) for name in fields) for row in rows]
        if before != after:
            related.all().delete()
            for row in rows:
                row.dossier = dossier
            model.objects.bulk_create(rows)  # type: ignore[arg-type]  # rows are of that model
            changed.append(name)
    return changed


def _row_fields(model) -> tuple[str, ...]:
    if model is BudgetLine:
        return ("kind", "year", "label", "source", "amount", "position")
    return ("name", "role", "email", "phone", "position")


# --- filing -----------------------------------------------------------------------------------


def filing_authority(user: User) -> FrenchAuthority:
    """The local authority a member files for: the one their profile names in the Atlas."""
    viewer = Viewer.of(user)
    if "collectivites" not in viewer.groups:
        raise Forbidden(_("Only members of the local authorities' group file co-financing dossiers."))
    authority = FrenchAuthority.objects.filter(code=viewer.authority_code).first() if viewer.authority_code else None
    if authority is None:
        raise Forbidden(
            _("Your profile names no local authority of the Atlas: give its official code in your information.")
        )
    return authority


def _open(call_page: CallForProjectsPage) -> None:
    if call_page.status != CallForProjectsPage.Status.OPEN:
        raise CallNotOpen()


@transaction.atomic
def create_dossier(user: User, call_id: int, data: dict[str, Any]) -> Dossier:
    """A new draft for the member's authority, with whatever has been typed so far."""
    call_page = call(call_id)
    authority = filing_authority(user)
    _open(call_page)
    content = clean_content(data, call_page)
    new = Dossier.objects.create(call=call_page, authority=authority, created_by=user)
    new.reference = f"AAP{call_page.opens_at:%Y}-{new.pk:05d}"
    new.save(update_fields=["reference"])
    changed = _store(new, content)
    history.record(new, user, "created", {"fields": changed})
    return new


def _claim(dossier: Dossier, version: int, allowed: tuple[str, ...], **changes) -> Dossier:
    """Takes the next version of the dossier if it is still at ``version`` and in an allowed
    state; else 409, telling which. Returns the dossier as it now is."""
    changes.setdefault("updated_at", timezone.now())
    claimed = Dossier.objects.filter(pk=dossier.pk, version=version, state__in=allowed).update(
        version=F("version") + 1, **changes
    )
    current = Dossier.objects.select_related("call", "authority", "partner_country").get(pk=dossier.pk)
    if not claimed:
        if current.version != version:
            raise StaleDossier()
        if current.is_decided:
            raise DecisionIsFinal()
        raise WrongState()
    return current


EDITABLE = (State.DRAFT, State.FILED, State.CORRECTION)


def can_edit(user: Caller, dossier: Dossier) -> bool:
    """The filing authority changes a draft or a dossier sent back at any time, a filed one
    until the call closes; under review and after the decision, nobody does."""
    if not is_filer(Viewer.of(user), dossier):
        return False
    if dossier.state == State.FILED:
        return dossier.call.status != CallForProjectsPage.Status.CLOSED
    return dossier.state in (State.DRAFT, State.CORRECTION)


@transaction.atomic
def update_dossier(user: User, dossier_id: int, version: int, data: dict[str, Any]) -> Dossier:
    """The authority changes its dossier: a draft or one sent back for correction at any time,
    a filed one until the call closes; under review it is read-only."""
    current = dossier(user, dossier_id)
    if not is_filer(Viewer.of(user), current):
        raise Forbidden(_("Only the filing authority changes its dossier."))
    if not can_edit(user, current) and current.state == State.FILED:
        raise CallNotOpen(_("The call is closed: the filed dossier can no longer be changed."))
    content = clean_content(data, current.call)
    current = _claim(current, version, EDITABLE)
    changed = _store(current, content)
    if changed:
        history.record(current, user, "edited", {"fields": changed})
    return current


# --- what a complete dossier is ---------------------------------------------------------------


def missing(dossier: Dossier) -> dict[str, list]:
    """What stops the dossier from being filed, each under its field."""
    errors: dict[str, list] = {}
    required = _("This field is required to file the dossier.")
    for name in ("title", "partner_name", "partner_country", "description", "objectives", "start_year"):
        if not getattr(dossier, name):
            errors[name] = [required]
    if not dossier.duration_years:
        errors["duration_years"] = [required]
    elif dossier.duration_years > dossier.call.years:
        errors["duration_years"] = [
            _("Projects of this call last at most %(years)d year(s).") % {"years": dossier.call.years}
        ]
    eligible_countries = set(dossier.call.eligible_countries.values_list("pk", flat=True))
    if dossier.partner_country_id and eligible_countries and dossier.partner_country_id not in eligible_countries:
        errors["partner_country"] = [_("This country is not eligible to this call.")]
    themes = set(dossier.themes.values_list("pk", flat=True))
    eligible_themes = set(dossier.call.eligible_themes.values_list("pk", flat=True))
    if not themes:
        errors["themes"] = [_("Choose at least one theme.")]
    elif eligible_themes and not themes & eligible_themes:
        errors["themes"] = [_("None of these themes is eligible to this call.")]
    if not dossier.contacts.exists():
        errors["contacts"] = [_("Give at least one contact.")]
    errors.update(budget_faults(dossier))
    errors.update(questions.missing(dossier))
    return errors


@dataclass
class BudgetTotals:
    expenses: Decimal
    resources: Decimal
    requested: Decimal


def budget_totals(lines) -> BudgetTotals:
    lines = list(lines)
    expenses = sum((line.amount for line in lines if line.kind == BudgetLine.Kind.EXPENSE), Decimal("0"))
    resources = sum((line.amount for line in lines if line.kind == BudgetLine.Kind.RESOURCE), Decimal("0"))
    requested = sum(
        (line.amount for line in lines if line.source == BudgetLine.Source.REQUESTED and line.kind == "resource"),
        Decimal("0"),
    )
    return BudgetTotals(expenses=expenses, resources=resources, requested=requested)


def requested_amounts(dossier_ids: list[int]) -> dict[int, Decimal]:
    """What each dossier requests from the State (one query)."""
    from django.db.models import Sum

    rows = (
        BudgetLine.objects.filter(
            dossier_id__in=dossier_ids, kind=BudgetLine.Kind.RESOURCE, source=BudgetLine.Source.REQUESTED
        )
        .values("dossier_id")
        .annotate(total=Sum("amount"))
    )
    return {row["dossier_id"]: Decimal(row["total"]).quantize(Decimal("0.01")) for row in rows}


def euros(amount: Decimal) -> str:
    """An amount as the reader's language writes it (“100 000,00” in French)."""
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def budget_faults(dossier: Dossier) -> dict[str, list]:
    lines = list(dossier.budget_lines.all())
    totals = budget_totals(lines)
    if not totals.expenses:
        return {"budget": [_("List the project's expenses.")]}
    if totals.expenses != totals.resources:
        return {
            "budget": [
                _("The budget does not balance: %(expenses)s € of expenses, %(resources)s € of resources.")
                % {"expenses": euros(totals.expenses), "resources": euros(totals.resources)}
            ]
        }
    if not totals.requested:
        return {"budget": [_("Say how much you request from the State (a resource “Requested from the State”).")]}
    if totals.requested * 100 > totals.expenses * dossier.call.max_share:
        return {
            "budget": [
                _("The State funds at most %(share)d %% of a project's budget.") % {"share": dossier.call.max_share}
            ]
        }
    if dossier.duration_years and any(line.year > dossier.duration_years for line in lines):
        return {"budget": [_("A budget line is dated after the last year of the project.")]}
    return {}


@transaction.atomic
def submit(user: User, dossier_id: int, version: int) -> Dossier:
    """Files the dossier (or files it again after a correction): everything is checked and
    each missing or faulty field named; nothing typed is lost when it fails."""
    current = dossier(user, dossier_id)
    if not is_filer(Viewer.of(user), current):
        raise Forbidden(_("Only the filing authority files its dossier."))
    if current.state not in (State.DRAFT, State.CORRECTION):
        raise WrongState(_("The dossier has already been filed."))
    if current.state == State.DRAFT:
        _open(current.call)
    faults = missing(current)
    if faults:
        raise ValidationError(faults)
    first = current.filed_at is None
    current = _claim(
        current,
        version,
        (State.DRAFT, State.CORRECTION),
        state=State.FILED,
        filed_at=current.filed_at or timezone.now(),
        correction_reason="",
    )
    history.record(current, user, "filed" if first else "refiled")
    notifications.dossier_filed(current, again=not first)
    return current


# --- instruction by staff ---------------------------------------------------------------------


def _staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden(_("Only the CNCD team instructs and decides dossiers."))


def _reason(text: str, field_name: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field_name: [_("Say why: the authority will read it.")]})
    return text


@transaction.atomic
def start_review(user: User, dossier_id: int, version: int) -> Dossier:
    """The dossier is under review: read-only for the authority from now on."""
    _staff(user)
    current = _claim(dossier(user, dossier_id), version, (State.FILED,), state=State.UNDER_REVIEW)
    history.record(current, user, "review_started")
    return current


@transaction.atomic
def send_back(user: User, dossier_id: int, version: int, reason: str) -> Dossier:
    """Back to the authority for correction, with what to correct."""
    _staff(user)
    reason = _reason(reason, "reason")
    current = _claim(
        dossier(user, dossier_id),
        version,
        (State.FILED, State.UNDER_REVIEW),
        state=State.CORRECTION,
        correction_reason=reason,
    )
    history.record(current, user, "sent_back", {"reason": reason})
    notifications.sent_back(current)
    return current


DECISIONS = {"accepted": State.ACCEPTED, "refused": State.REFUSED, "closed": State.CLOSED}


@transaction.atomic
def decide(user: User, dossier_id: int, version: int, decision: str, motivation: str) -> Dossier:
    """The final decision, with its motivation. Of two staff deciding at once, the second gets 409."""
    _staff(user)
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose accepted, refused or closed.")]})
    motivation = _reason(motivation, "motivation")
    current = _claim(
        dossier(user, dossier_id),
        version,
        (State.FILED, State.UNDER_REVIEW, State.CORRECTION),
        state=DECISIONS[decision],
        decision_motivation=motivation,
        decided_at=timezone.now(),
        decided_by=user,
    )
    history.record(current, user, "decided", {"decision": decision, "motivation": motivation})
    notifications.decided(current)
    if current.state == State.ACCEPTED:  # its project goes to the Atlas, through the moderation
        for accepted in cncd_hooks.implementations(cncd_hooks.DOSSIER_ACCEPTED):
            accepted(current)
    return current


def atlas_update_accepted(update, project) -> None:
    """Staff accepted the Atlas update a funded dossier proposed: the dossier and the project are
    linked (the dossier's page and the project's page point at each other)."""
    if not update.dossier_id:
        return
    current = Dossier.objects.filter(pk=update.dossier_id).first()
    if current is None or current.atlas_project_id == project.pk:
        return
    Dossier.objects.filter(pk=current.pk).update(atlas_project=project)
    current.atlas_project = project
    history.record(current, update.moderated_by, "atlas_project_linked", {"project": project.pk})


def pending_atlas_proposal(current: Dossier) -> str:
    """The reference of the Atlas update the accepted dossier proposed, while it waits."""
    waiting = current.atlas_updates.filter(state="pending").order_by("-pk").first()
    return waiting.reference if waiting is not None else ""


def project_notes(project, user) -> list[dict]:
    """On an Atlas project's page: the co-financing dossiers it comes from, for whoever sees them
    (their reference and a link), and that the State co-financed it, for everyone."""
    dossiers = list(project.cofinancing_dossiers.filter(state=State.ACCEPTED).select_related("call"))
    if not dossiers:
        return []
    seen = set(visible(Viewer.of(user)).filter(pk__in=[item.pk for item in dossiers]).values_list("pk", flat=True))
    notes = []
    for item in dossiers:
        label = _("Co-financed by the State (call “%(call)s”)") % {"call": item.call.title}
        if item.pk in seen:
            label = _("Co-financed by the State: dossier %(reference)s") % {"reference": item.reference}
        notes.append(
            {"label": str(label), "url": reverse("cncd_forms:dossier", args=[item.pk]) if item.pk in seen else ""}
        )
    return notes


@transaction.atomic
def reopen(user: User, dossier_id: int, version: int, reason: str) -> Dossier:
    """Staff only, and logged: a decided dossier goes back under review."""
    _staff(user)
    reason = _reason(reason, "reason")
    current = dossier(user, dossier_id)
    if not current.is_decided:
        raise WrongState(_("Only a decided dossier can be reopened."))
    previous = current.state
    current = _claim(
        current,
        version,
        Dossier.DECIDED,
        state=State.UNDER_REVIEW,
        decided_at=None,
        decided_by=None,
        decision_motivation="",
    )
    history.record(current, user, "reopened", {"reason": reason, "previous_decision": previous})
    return current


def events(user: User, dossier_id: int):
    """The history as the user may see it (staff also see the entries kept for them)."""
    current = dossier(user, dossier_id)
    entries = current.events.all()
    if not user.is_staff:
        entries = entries.filter(confidential=False)
    return current, list(entries)


# --- opinions ---------------------------------------------------------------------------------


class OpinionAfterDecision(Conflict):
    default_message = _("The dossier has been decided: opinions can no longer be given or changed.")


def visible_opinions(user: Caller, dossier: Dossier) -> list[Opinion]:
    """Staff read every opinion; others the ones not confidential, and those they gave."""
    opinions = list(dossier.opinions.all())
    if user.is_staff:
        return opinions
    viewer = Viewer.of(user)
    return [item for item in opinions if not item.confidential or speaks_for(viewer, item.body, dossier)]


@transaction.atomic
def request_opinions(user: User, dossier_id: int, bodies: list[str] | None = None, question: str = "") -> list[Opinion]:
    """Staff ask for opinions: the ones the call requires, or the bodies named; each due in the
    call's number of days (30 when the call does not require it), with the ``question`` staff
    put to the bodies (read by them and staff). Asking twice adds nothing."""
    _staff(user)
    question = (question or "").strip()
    if len(question) > 2000:
        raise ValidationError({"question": [_("At most %(max)d characters.") % {"max": 2000}]})
    current = dossier(user, dossier_id)
    if current.state not in (State.FILED, State.UNDER_REVIEW, State.CORRECTION):
        raise WrongState(_("Opinions are asked on a filed dossier, before the decision."))
    required = {item.body: item.days for item in current.call.required_opinions.all()}
    wanted = list(dict.fromkeys(bodies if bodies else required))
    unknown = [body for body in wanted if body not in RequiredOpinion.Body.values]
    if unknown:
        raise ValidationError({"bodies": [_("Ask embassies, prefectures or ministries and operators.")]})
    if "ambassades" in wanted and current.partner_country is None:
        raise ValidationError({"bodies": [_("The dossier names no partner country: no embassy can be asked.")]})
    existing = set(current.opinions.values_list("body", flat=True))
    today = timezone.localdate()
    created = []
    for body in wanted:
        if body in existing:
            continue
        opinion = Opinion.objects.create(
            dossier=current,
            body=body,
            due_date=today + timedelta(days=required.get(body, 30)),
            requested_by=user,
            question=question,
        )
        history.record(current, user, "opinion_requested", {"body": body, "due_date": opinion.due_date.isoformat()})
        notifications.opinion_requested(opinion)
        created.append(opinion)
    return created


class OpinionAlreadyGiven(Conflict):
    default_message = _("This opinion has been given: it can no longer be withdrawn.")


@transaction.atomic
def revoke_opinion(user: User, dossier_id: int, opinion_id: int) -> None:
    """Staff withdraw a request for an opinion that has not been answered; the body is told."""
    _staff(user)
    current = dossier(user, dossier_id)
    opinion = current.opinions.select_for_update().filter(pk=opinion_id).first()
    if opinion is None:
        raise NotFound()
    if opinion.is_given:
        raise OpinionAlreadyGiven()
    recipients = notifications.body_addresses(opinion)  # read before the request goes
    stored = [(item.file.storage, item.file.name) for item in opinion.attachments.all() if item.file.name]
    body = opinion.body
    opinion.delete()

    def delete_files() -> None:  # once the withdrawal is sure
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete_files)
    history.record(current, user, "opinion_revoked", {"body": body})
    notifications.opinion_revoked(current, body, recipients)


def reads_question(user: Caller, opinion: Opinion) -> bool:
    """The question put with a request is read by staff and the body asked."""
    return user.is_staff or speaks_for(Viewer.of(user), opinion.body, opinion.dossier)


VERDICTS = Opinion.Verdict.values


@transaction.atomic
def give_opinion(
    user: User, dossier_id: int, opinion_id: int, verdict: str, text: str, confidential: bool = False
) -> Opinion:
    """The requested body gives (or changes) its opinion, until the dossier is decided."""
    current = dossier(user, dossier_id)
    opinion = current.opinions.select_for_update().filter(pk=opinion_id).first()
    if opinion is None:
        raise NotFound()
    if not speaks_for(Viewer.of(user), opinion.body, current):
        raise Forbidden(_("This opinion is asked of another body."))
    if current.is_decided:
        raise OpinionAfterDecision()
    errors: dict[str, list] = {}
    if verdict not in VERDICTS:
        errors["verdict"] = [_("Choose favourable, favourable with reservations or unfavourable.")]
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Explain your opinion.")]
    elif len(text) > 10000:
        errors["text"] = [_("At most %(max)d characters.") % {"max": 10000}]
    if errors:
        raise ValidationError(errors)
    edited = opinion.is_given
    opinion.verdict, opinion.text, opinion.confidential = verdict, text, bool(confidential)
    opinion.given_by, opinion.given_at = user, timezone.now()
    opinion.save()
    Dossier.objects.filter(pk=current.pk).update(version=F("version") + 1, updated_at=timezone.now())
    history.record(
        current,
        user,
        "opinion_edited" if edited else "opinion_given",
        {"body": opinion.body, "verdict": verdict, "confidential": opinion.confidential},
        confidential=opinion.confidential,
    )
    notifications.opinion_given(opinion, edited=edited)
    return opinion


def waiting_for(dossier: Dossier) -> list[Opinion]:
    """The opinions still awaited, the overdue ones first."""
    waiting = [item for item in dossier.opinions.all() if not item.is_given]
    return sorted(waiting, key=lambda item: (not item.is_overdue, item.due_date))


def remind_opinions(days_before: int = 3) -> int:
    """Reminds the bodies of the opinions due within ``days_before`` days or overdue, once a
    day at most; returns how many were reminded."""
    today = timezone.localdate()
    since = timezone.now() - timedelta(hours=23)
    due = (
        Opinion.objects.filter(verdict="", due_date__lte=today + timedelta(days=days_before))
        .exclude(dossier__state__in=Dossier.DECIDED)
        .exclude(reminded_at__gte=since)
        .select_related("dossier__authority", "dossier__partner_country", "dossier__call")
    )
    count = 0
    for opinion in due:
        notifications.opinion_reminder(opinion)
        Opinion.objects.filter(pk=opinion.pk).update(reminded_at=timezone.now())
        count += 1
    return count


# --- documents and messages -------------------------------------------------------------------


def lock(dossier: Dossier) -> None:
    """Locks the dossier's row for the transaction, without changing its version: steps that do
    not make the authority's form out of date (a note, a label, the follow-up) are serialised,
    and so is the numbering of the history's entries."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").first()


def _bump(dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(version=F("version") + 1, updated_at=timezone.now())


def _attach(
    user: User,
    current: Dossier,
    upload,
    label: str,
    message=None,
    opinion=None,
    tranche=None,
    report=None,
    question: str = "",
) -> DossierAttachment:
    checked = check_upload(upload, "file")
    attachment = DossierAttachment(
        dossier=current,
        question=question,
        message=message,
        opinion=opinion,
        tranche=tranche,
        report=report,
        name=checked.name,
        label=(label or "").strip()[:255],
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(user: User, dossier_id: int, upload, label: str = "", question: str = "") -> DossierAttachment:
    """A document of the dossier, added by the authority while it may edit, or by staff. Given a
    document question of the call, it is the answer: it replaces the one given before."""
    current = dossier(user, dossier_id)
    if not (user.is_staff or can_edit(user, current)):
        raise Forbidden(_("Documents are added by the filing authority while it may change the dossier."))
    replaced = []
    if question:
        asked = current.call.questions.filter(clean_name=question, field_type=questions.Type.FILE).first()
        if asked is None:
            raise ValidationError({"question": [_("This call asks no such question answered with a document.")]})
        if not can_edit(user, current):
            raise Forbidden(_("The questions are answered by the filing authority while it may change the dossier."))
        replaced = list(current.attachments.filter(question=question))
        label = label or asked.label
    attachment = _attach(user, current, upload, label, question=question)
    for old in replaced:
        _delete_attachment(old)
    _bump(current)
    detail = {"name": attachment.name, "size": attachment.size}
    history.record(current, user, "attachment_added", {**detail, "question": question} if question else detail)
    return attachment


def _delete_attachment(attachment: DossierAttachment) -> None:
    """The row now, the file once the transaction is sure."""
    stored = attachment.file
    attachment.delete()
    if stored.name:
        stored_name = stored.name
        transaction.on_commit(lambda: stored.storage.delete(stored_name))


@transaction.atomic
def remove_attachment(user: User, dossier_id: int, attachment_id: int) -> None:
    current = dossier(user, dossier_id)
    attachment = current.attachments.filter(pk=attachment_id, message__isnull=True, opinion__isnull=True).first()
    if attachment is None:
        raise NotFound()
    if not (user.is_staff or can_edit(user, current)):
        raise Forbidden(_("Documents are removed by the filing authority while it may change the dossier."))
    name = attachment.name
    _delete_attachment(attachment)
    _bump(current)
    history.record(current, user, "attachment_removed", {"name": name})


def takes_part_in_messages(user: User, dossier: Dossier) -> bool:
    """The messages of a dossier are between its authority and the CNCD team."""
    return user.is_staff or is_filer(Viewer.of(user), dossier)


def visible_attachments(user: User, dossier: Dossier) -> list[DossierAttachment]:
    """The dossier's documents, its messages' for the authority and staff, and those of the
    opinions the user may read."""
    documents = list(dossier.attachments.all())
    in_messages = takes_part_in_messages(user, dossier)
    opinions = {opinion.pk for opinion in visible_opinions(user, dossier)}
    return [
        item
        for item in documents
        if (item.message_id is None or in_messages) and (item.opinion_id is None or item.opinion_id in opinions)
    ]


@transaction.atomic
def add_opinion_document(user: User, dossier_id: int, opinion_id: int, upload) -> DossierAttachment:
    """A document with the opinion (a note, a letter), by the body that gives it, until the
    decision; or, by staff, a document for the body asked with the request."""
    current = dossier(user, dossier_id)
    opinion = current.opinions.filter(pk=opinion_id).first()
    if opinion is None:
        raise NotFound()
    if not (user.is_staff or speaks_for(Viewer.of(user), opinion.body, current)):
        raise Forbidden(_("This opinion is asked of another body."))
    if current.is_decided:
        raise OpinionAfterDecision()
    attachment = _attach(user, current, upload, "", opinion=opinion)
    history.record(
        current,
        user,
        "attachment_added",
        {"name": attachment.name, "size": attachment.size, "opinion": opinion.body},
        confidential=opinion.confidential,
    )
    return attachment


def attachment_file(user: User, dossier_id: int, attachment_id: int):
    current = dossier(user, dossier_id)
    attachment = next((item for item in visible_attachments(user, current) if item.pk == attachment_id), None)
    if attachment is None:
        raise NotFound()
    return attachment, attachment.file.open("rb")


def dossier_messages(user: User, dossier_id: int) -> tuple[Dossier, list[DossierMessage]]:
    current = dossier(user, dossier_id)
    if not takes_part_in_messages(user, current):
        raise Forbidden(_("The messages of a dossier are between its authority and the CNCD team."))
    return current, list(current.messages.prefetch_related("attachments"))


@transaction.atomic
def send_message(user: User, dossier_id: int, body: str, upload=None) -> DossierMessage:
    """The authority writes to the CNCD team or the other way round, with a document if need be;
    the other side is told by e-mail."""
    current, _messages = dossier_messages(user, dossier_id)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write your message.")]})
    if len(body) > 5000:
        raise ValidationError({"body": [_("At most %(max)d characters.") % {"max": 5000}]})
    message = DossierMessage.objects.create(
        dossier=current, author=user, author_name=history.actor_name(user), from_staff=user.is_staff, body=body
    )
    if upload is not None:
        _attach(user, current, upload, "", message=message)
    history.record(current, user, "message", {"from_staff": user.is_staff, "attachment": upload is not None})
    notifications.message_sent(message)
    return message


# --- PDFs -------------------------------------------------------------------------------------


class NotDecided(Conflict):
    default_message = _("The dossier has not been decided yet.")


def dossier_pdf(user: User, dossier_id: int) -> tuple[Dossier, bytes]:
    """Every field, the budget, the documents, the opinions and the history the reader may
    read: confidential opinions only in the staff's copy."""
    current, entries = events(user, dossier_id)
    lines = list(current.budget_lines.all())
    return current, pdf.dossier_pdf(
        current,
        lines=lines,
        totals=budget_totals(lines),
        opinions=visible_opinions(user, current),
        events=entries,
        documents=[item for item in visible_attachments(user, current) if item.message_id is None],
        staff_copy=user.is_staff,
    )


def decision_letter(user: User, dossier_id: int) -> tuple[Dossier, bytes]:
    """The letter that tells the authority the decision: for the authority and staff."""
    current = dossier(user, dossier_id)
    if not takes_part_in_messages(user, current):
        raise Forbidden(_("The decision letter is addressed to the filing authority."))
    if not current.is_decided:
        raise NotDecided()
    return current, pdf.decision_letter_pdf(current, budget_totals(current.budget_lines.all()).requested)
