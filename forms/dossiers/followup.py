"""After the decision: the follow-up of a funded dossier ("le suivi des dossiers financés").

- **Agreement.** Staff prepare the agreement of an accepted dossier: the State's grant, its
  conditions, the schedule of payment tranches (which add up to the grant) and the reports due
  (a final one at least). Both sides sign it online: staff for the CNCD, a member of the filing
  authority for it; each signature is an acknowledgement with the date and the signer's name,
  given on the version they read (409 if it changed since). Changed before both signed, the
  signatures given are withdrawn; signed, it no longer changes.
- **Payment tranches.** Planned → requested by the authority, with its supporting documents →
  checked by staff (or sent back with a comment, planned again) → paid (date, amount). No
  request or payment exceeds what remains of the grant: the totals always balance
  (paid + requested + remaining = grant).
- **Reports.** Interim and final reports are due on dates: the authority files them with their
  documents; staff accept them or send them back with a comment. ``remind_reports`` (daily)
  reminds the authority a week before the date, and again, with staff, once it is overdue.
- **Closure.** Staff close the follow-up, once the final report is accepted, with the amount
  actually spent; what was paid and not spent is shown as to be recovered.

Every step is an entry of the dossier's chained history, a notice and an e-mail to the other
side; the embassy, the prefecture and the ministries see the follow-up as they see the dossier.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.auth import Caller
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from forms import history
from forms.dossiers import notifications
from forms.dossiers.models import Agreement, Dossier, DueReport, PaymentTranche
from forms.dossiers.permissions import is_filer
from forms.dossiers.services import _attach, dossier, euros, lock
from forms.permissions import Viewer

REMIND_DAYS_BEFORE = 7
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1e10")


class NoAgreement(NotFound):
    default_message = _("This dossier has no agreement yet.")


class AgreementSigned(Conflict):
    default_message = _("The agreement is signed: it no longer changes.")


class AgreementChanged(Conflict):
    default_message = _("The agreement has changed since you read it: read it again before signing.")


class WrongStep(Conflict):
    default_message = _("This step does not come now.")


@dataclass
class Totals:
    grant: Decimal
    paid: Decimal
    requested: Decimal  # requested or checked, not yet paid
    remaining: Decimal  # what may still be requested
    spent: Decimal | None
    to_recover: Decimal  # paid and not spent, once closed


def totals(agreement: Agreement, tranches: list[PaymentTranche] | None = None) -> Totals:
    tranches = list(agreement.tranches.all()) if tranches is None else tranches
    paid = sum((item.paid_amount or ZERO for item in tranches if item.state == PaymentTranche.State.PAID), ZERO)
    requested = sum(
        (
            item.requested_amount or ZERO
            for item in tranches
            if item.state in (PaymentTranche.State.REQUESTED, PaymentTranche.State.CHECKED)
        ),
        ZERO,
    )
    spent = agreement.spent_amount
    to_recover = max(ZERO, paid - spent) if spent is not None else ZERO
    return Totals(
        grant=agreement.amount,
        paid=paid,
        requested=requested,
        remaining=agreement.amount - paid - requested,
        spent=spent,
        to_recover=to_recover,
    )


# --- reading ----------------------------------------------------------------------------------


def agreement(user: User, dossier_id: int) -> tuple[Dossier, Agreement]:
    """The dossier's agreement, for whoever sees the dossier (404 for others, and when none)."""
    current = dossier(user, dossier_id)
    found = Agreement.objects.filter(dossier=current).first()
    if found is None:
        raise NoAgreement()
    found.dossier = current
    return current, found


def may_act_for_authority(user: Caller, current: Dossier) -> bool:
    return not user.is_staff and is_filer(Viewer.of(user), current)


def _staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden(_("Only the CNCD team does this step of the follow-up."))


def _authority(user: User, current: Dossier) -> None:
    if not may_act_for_authority(user, current):
        raise Forbidden(_("Only the filing authority does this step of the follow-up."))


def _amount(value, field: str, errors: dict, *, positive: bool = True) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors[field] = [_("Give an amount in euros, such as 12500 or 12500.50.")]
        return None
    if amount < 0 or (positive and amount == 0) or amount >= MAX_AMOUNT:
        errors[field] = [_("Give an amount above zero.") if positive else _("Give an amount of zero or more.")]
        return None
    return amount.quantize(CENT)


def _date(value, field: str, errors: dict) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        errors[field] = [_("Give a date such as 2027-03-31.")]
        return None


def _text(value, field: str, limit: int, errors: dict, *, required: "str | Promise" = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = [required]
    elif len(text) > limit:
        errors[field] = [_("At most %(max)d characters.") % {"max": limit}]
    return text


# --- the agreement ------------------------------------------------------------------------------


def clean_agreement(data: dict[str, Any]) -> tuple[dict, list[dict], list[dict]]:
    """The agreement as given, checked field by field (``tranches.1.amount``): the grant, the
    tranches (adding up to it) and the reports (a final one at least)."""
    errors: dict[str, list] = {}
    grant = _amount(data.get("amount"), "amount", errors)
    values: dict[str, Any] = {"amount": grant, "conditions": _text(data.get("conditions"), "conditions", 10000, errors)}
    tranches = []
    given = data.get("tranches") or []
    if not isinstance(given, list) or not given:
        errors["tranches"] = [_("Plan at least one payment tranche.")]
        given = []
    for number, item in enumerate(given[:20]):
        item = item if isinstance(item, dict) else {}
        tranches.append(
            {
                "label": _text(item.get("label"), f"tranches.{number}.label", 255, errors, required=_("Name it.")),
                "amount": _amount(item.get("amount"), f"tranches.{number}.amount", errors),
                "date": _date(item.get("date"), f"tranches.{number}.date", errors),
            }
        )
    reports = []
    given = data.get("reports") or []
    if not isinstance(given, list):
        given = []
    for number, item in enumerate(given[:20]):
        item = item if isinstance(item, dict) else {}
        kind = item.get("kind")
        if kind not in DueReport.Kind.values:
            errors[f"reports.{number}.kind"] = [_("Choose interim or final.")]
        reports.append({"kind": kind, "due_date": _date(item.get("due_date"), f"reports.{number}.due_date", errors)})
    if not any(item["kind"] == DueReport.Kind.FINAL for item in reports):
        errors.setdefault("reports", []).append(_("Plan the final report."))
    amounts: list[Decimal] = [item["amount"] for item in tranches if isinstance(item["amount"], Decimal)]
    if grant is not None and tranches and len(amounts) == len(tranches):
        planned = sum(amounts, Decimal(0))
        if planned != grant:
            errors.setdefault("tranches", []).append(
                _("The tranches add up to %(planned)s €; the grant is %(grant)s €: they must be equal.")
                % {"planned": euros(planned), "grant": euros(grant)}
            )
    if errors:
        raise ValidationError(errors)
    return values, tranches, reports


@transaction.atomic
def prepare(user: User, dossier_id: int, data: dict[str, Any]) -> Agreement:
    """Staff prepare (or change, until both sides signed) the agreement of an accepted dossier;
    it then waits for the signatures. A change withdraws the signatures already given."""
    _staff(user)
    current = dossier(user, dossier_id)
    if current.state != Dossier.State.ACCEPTED:
        raise WrongStep(_("An agreement follows the acceptance of the dossier."))
    values, tranches, reports = clean_agreement(data)
    lock(current)
    found = Agreement.objects.select_for_update().filter(dossier=current).first()
    if found is not None and found.state in (Agreement.State.SIGNED, Agreement.State.CLOSED):
        raise AgreementSigned()
    if found is None:
        found = Agreement(dossier=current, amount=values["amount"])
    else:
        found.version += 1
        found.tranches.all().delete()
        found.reports.all().delete()
    found.amount, found.conditions = values["amount"], values["conditions"]
    found.state = Agreement.State.TO_SIGN
    found.cncd_signer_name = found.authority_signer_name = ""
    found.cncd_signed_at = found.authority_signed_at = None
    found.save()
    PaymentTranche.objects.bulk_create(
        PaymentTranche(
            agreement=found,
            position=number,
            label=item["label"],
            planned_amount=item["amount"],
            planned_date=item["date"],
        )
        for number, item in enumerate(tranches)
    )
    DueReport.objects.bulk_create(
        DueReport(agreement=found, kind=item["kind"], due_date=item["due_date"]) for item in reports
    )
    history.record(current, user, "agreement_prepared", {"amount": str(found.amount), "version": found.version})
    notifications.followup(current, "agreement_prepared", to_authority=True)
    return found


@transaction.atomic
def sign(user: User, dossier_id: int, version: int) -> Agreement:
    """Staff sign for the CNCD, a member of the filing authority for it, on the version they read."""
    current, found = agreement(user, dossier_id)
    staff = user.is_staff
    if not staff:
        _authority(user, current)
    lock(current)
    found = Agreement.objects.select_for_update().get(pk=found.pk)
    if found.state != Agreement.State.TO_SIGN:
        raise AgreementSigned() if found.state != Agreement.State.DRAFT else WrongStep()
    if found.version != version:
        raise AgreementChanged()
    now, name = timezone.now(), history.actor_name(user)
    if staff:
        if found.cncd_signed_at:
            raise WrongStep(_("The CNCD has signed already."))
        found.cncd_signer_name, found.cncd_signed_at = name, now
    else:
        if found.authority_signed_at:
            raise WrongStep(_("Your authority has signed already."))
        found.authority_signer_name, found.authority_signed_at = name, now
    if found.cncd_signed_at and found.authority_signed_at:
        found.state = Agreement.State.SIGNED
    found.save()
    history.record(current, user, "agreement_signed", {"for": "cncd" if staff else "authority"})
    notifications.followup(current, "agreement_signed", to_authority=staff, to_staff=not staff)
    return found


# --- payment tranches ---------------------------------------------------------------------------


STAFF, AUTHORITY = "staff", "authority"


def _signed_step(user: User, dossier_id: int, by: str) -> tuple[Dossier, Agreement]:
    """What every step after the signature checks first: who does it (a staff step refuses
    others before the dossier is looked up; an authority step once it is found), the dossier
    locked, and the agreement signed and not closed."""
    if by == STAFF:
        _staff(user)
    current, found = agreement(user, dossier_id)
    if by == AUTHORITY:
        _authority(user, current)
    lock(current)
    if found.state != Agreement.State.SIGNED:
        raise WrongStep(_("Payments and reports follow the signature of the agreement, until its closure."))
    return current, found


def _locked_row(rows, pk: int):
    """One tranche or report of the agreement, locked for the step (404 when not one of its own)."""
    row = rows.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


@transaction.atomic
def request_tranche(user: User, dossier_id: int, tranche_id: int, amount, note: str, uploads: list) -> PaymentTranche:
    """The authority asks for a planned tranche, with its supporting documents (one at least)."""
    current, found = _signed_step(user, dossier_id, AUTHORITY)
    tranche = _locked_row(found.tranches, tranche_id)
    if tranche.state != PaymentTranche.State.PLANNED:
        raise WrongStep(_("This tranche has been requested already."))
    errors: dict[str, list] = {}
    value = _amount(amount if amount not in (None, "") else tranche.planned_amount, "amount", errors)
    note = _text(note, "note", 5000, errors)
    if not uploads:
        errors["files"] = [_("Add the supporting documents of the request.")]
    if value is not None and "amount" not in errors:
        remaining = totals(found).remaining
        if value > remaining:
            errors["amount"] = [
                _("At most %(remaining)s €: what remains of the grant.") % {"remaining": euros(remaining)}
            ]
    if errors:
        raise ValidationError(errors)
    for upload in uploads:
        _attach(user, current, upload, "", tranche=tranche)
    tranche.state, tranche.requested_amount = PaymentTranche.State.REQUESTED, value
    tranche.requested_at, tranche.request_note, tranche.staff_comment = timezone.now(), note, ""
    tranche.save()
    history.record(current, user, "tranche_requested", {"tranche": tranche.label, "amount": str(value)})
    notifications.followup(current, "tranche_requested", to_staff=True, tranche=tranche.label)
    return tranche


@transaction.atomic
def check_tranche(user: User, dossier_id: int, tranche_id: int, approve: bool, comment: str) -> PaymentTranche:
    """Staff check a requested tranche, or send it back (planned again) saying why."""
    current, found = _signed_step(user, dossier_id, STAFF)
    tranche = _locked_row(found.tranches, tranche_id)
    if tranche.state != PaymentTranche.State.REQUESTED:
        raise WrongStep(_("Only a requested tranche is checked."))
    errors: dict[str, list] = {}
    comment = _text(comment, "comment", 5000, errors, required="" if approve else _("Say what to correct."))
    if errors:
        raise ValidationError(errors)
    tranche.staff_comment = comment
    if approve:
        tranche.state, tranche.checked_at = PaymentTranche.State.CHECKED, timezone.now()
        action = "tranche_checked"
    else:
        tranche.state, tranche.requested_amount, tranche.requested_at = PaymentTranche.State.PLANNED, None, None
        action = "tranche_sent_back"
    tranche.save()
    history.record(current, user, action, {"tranche": tranche.label, "comment": comment})
    notifications.followup(current, action, to_authority=True, tranche=tranche.label, comment=comment)
    return tranche


@transaction.atomic
def pay_tranche(user: User, dossier_id: int, tranche_id: int, paid_on, amount) -> PaymentTranche:
    """Staff record the payment of a checked tranche: its date and amount (never above what
    remains of the grant with this tranche's request)."""
    current, found = _signed_step(user, dossier_id, STAFF)
    tranche = _locked_row(found.tranches, tranche_id)
    if tranche.state != PaymentTranche.State.CHECKED:
        raise WrongStep(_("A tranche is paid once checked."))
    errors: dict[str, list] = {}
    value = _amount(amount if amount not in (None, "") else tranche.requested_amount, "amount", errors)
    day = _date(paid_on, "paid_on", errors)
    if value is not None and "amount" not in errors:
        available = totals(found).remaining + (tranche.requested_amount or Decimal(0))
        if value > available:
            errors["amount"] = [
                _("At most %(remaining)s €: what remains of the grant.") % {"remaining": euros(available)}
            ]
    if errors:
        raise ValidationError(errors)
    tranche.state, tranche.paid_amount, tranche.paid_on = PaymentTranche.State.PAID, value, day
    tranche.save()
    history.record(current, user, "tranche_paid", {"tranche": tranche.label, "amount": str(value), "on": str(day)})
    notifications.followup(current, "tranche_paid", to_authority=True, tranche=tranche.label)
    return tranche


# --- reports ------------------------------------------------------------------------------------


@transaction.atomic
def file_report(user: User, dossier_id: int, report_id: int, text: str, uploads: list) -> DueReport:
    current, found = _signed_step(user, dossier_id, AUTHORITY)
    report = _locked_row(found.reports, report_id)
    if report.state not in (DueReport.State.DUE, DueReport.State.RETURNED):
        raise WrongStep(_("This report has been filed already."))
    errors: dict[str, list] = {}
    text = _text(text, "text", 20000, errors, required=_("Write the report."))
    if errors:
        raise ValidationError(errors)
    for upload in uploads:
        _attach(user, current, upload, "", report=report)
    report.state, report.text, report.filed_at = DueReport.State.FILED, text, timezone.now()
    report.save()
    history.record(current, user, "report_filed", {"report": report.kind})
    notifications.followup(current, "report_filed", to_staff=True, report=str(report.get_kind_display()))
    return report


@transaction.atomic
def review_report(user: User, dossier_id: int, report_id: int, accept: bool, comment: str) -> DueReport:
    current, found = _signed_step(user, dossier_id, STAFF)
    report = _locked_row(found.reports, report_id)
    if report.state != DueReport.State.FILED:
        raise WrongStep(_("Only a filed report is accepted or sent back."))
    errors: dict[str, list] = {}
    comment = _text(comment, "comment", 5000, errors, required="" if accept else _("Say what to correct."))
    if errors:
        raise ValidationError(errors)
    report.state = DueReport.State.ACCEPTED if accept else DueReport.State.RETURNED
    report.staff_comment, report.reviewed_at = comment, timezone.now()
    report.save()
    action = "report_accepted" if accept else "report_returned"
    history.record(current, user, action, {"report": report.kind, "comment": comment})
    notifications.followup(current, action, to_authority=True, report=str(report.get_kind_display()), comment=comment)
    return report


def awaited_reports():
    """The reports still expected (due or sent back) of signed agreements, earliest first."""
    return (
        DueReport.objects.filter(
            agreement__state=Agreement.State.SIGNED, state__in=(DueReport.State.DUE, DueReport.State.RETURNED)
        )
        .select_related("agreement__dossier__authority", "agreement__dossier__created_by")
        .order_by("due_date", "pk")
    )


def remind_reports(today: dt.date | None = None) -> int:
    """A week before a report is due, the authority is reminded; once it is overdue, the
    authority and staff are, once each. Returns how many reminders went."""
    today = today or timezone.localdate()
    sent = 0
    soon = awaited_reports().filter(
        reminded_at__isnull=True, due_date__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE), due_date__gte=today
    )
    late = awaited_reports().filter(overdue_reminded_at__isnull=True, due_date__lt=today)
    now = timezone.now()
    for report, overdue in [*((item, False) for item in soon), *((item, True) for item in late)]:
        field = "overdue_reminded_at" if overdue else "reminded_at"
        if not DueReport.objects.filter(pk=report.pk, **{f"{field}__isnull": True}).update(**{field: now}):
            continue  # another run took it
        notifications.report_reminder(report, overdue=overdue)
        sent += 1
    return sent


# --- closure ------------------------------------------------------------------------------------


@transaction.atomic
def close(user: User, dossier_id: int, spent_amount, note: str) -> Agreement:
    """Staff close the follow-up, once the final report is accepted, with the amount actually
    spent; the paid share not spent is to be recovered. Tranches not requested lapse."""
    current, found = _signed_step(user, dossier_id, STAFF)
    if not found.reports.filter(kind=DueReport.Kind.FINAL, state=DueReport.State.ACCEPTED).exists():
        raise WrongStep(_("The follow-up closes once the final report is accepted."))
    if found.tranches.filter(state__in=(PaymentTranche.State.REQUESTED, PaymentTranche.State.CHECKED)).exists():
        raise WrongStep(_("A payment is still being processed: pay it or send it back first."))
    errors: dict[str, list] = {}
    spent = _amount(spent_amount, "spent_amount", errors, positive=False)
    note = _text(note, "note", 5000, errors)
    if errors:
        raise ValidationError(errors)
    found.state, found.spent_amount, found.closure_note, found.closed_at = (
        Agreement.State.CLOSED,
        spent,
        note,
        timezone.now(),
    )
    found.save()
    summary = totals(found)
    history.record(current, user, "followup_closed", {"spent": str(spent), "to_recover": str(summary.to_recover)})
    notifications.followup(current, "followup_closed", to_authority=True)
    return found


# --- where each dossier stands (listings) -------------------------------------------------------


def waiting_label(reports: list[DueReport], today: dt.date | None = None) -> str:
    """What the follow-up waits for, as staff read it in their listings: "Waiting for the final
    report (due 31 March 2027)", overdue ones first."""
    from django.utils.formats import date_format

    today = today or timezone.localdate()
    awaited = [item for item in reports if item.state in (DueReport.State.DUE, DueReport.State.RETURNED)]
    if not awaited:
        return ""
    first = sorted(awaited, key=lambda item: (not item.is_overdue, item.due_date))[0]
    label = str(first.get_kind_display()).lower()
    if first.is_overdue:
        return str(_("%(report)s overdue since %(date)s") % {"report": label, "date": date_format(first.due_date)})
    return str(_("Waiting for the %(report)s (due %(date)s)") % {"report": label, "date": date_format(first.due_date)})


def in_followup(queryset):
    """Dossiers whose agreement is signed and whose follow-up is not closed."""
    return queryset.filter(agreement__state=Agreement.State.SIGNED)


def report_overdue(queryset, today: dt.date | None = None):
    today = today or timezone.localdate()
    late = Q(
        agreement__reports__state__in=(DueReport.State.DUE, DueReport.State.RETURNED),
        agreement__reports__due_date__lt=today,
        agreement__state=Agreement.State.SIGNED,
    )
    return queryset.filter(late).distinct()
