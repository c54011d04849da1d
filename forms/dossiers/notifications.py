"""The e-mails of the co-financing procedure (see ``forms.notifications``)."""

from datetime import date

from django.urls import reverse

from atlas_pages.core.links import site_url
from forms.dossiers.models import EVENT_LABELS, Dossier, Opinion, RequiredOpinion
from forms.dossiers.permissions import body_members
from forms.notifications import authority_members, staff_addresses, tell

CONTEXT = "forms.dossiers.notifications.context"


def dossier_url(dossier: Dossier) -> str:
    return site_url(reverse("cncd_forms:dossier", args=[dossier.pk]))


def context(dossier_id: int, opinion_id: int | None = None, **flags) -> dict:
    """What the messages say, read when they are sent."""
    dossier = Dossier.objects.select_related("call", "authority", "partner_country").get(pk=dossier_id)
    found = {"dossier": dossier, "url": dossier_url(dossier), **flags}
    if "due" in flags:
        from django.utils.formats import date_format

        found["due_date"] = date_format(date.fromisoformat(flags["due"]))
    if "body" in flags:
        found["body_label"] = str(dict(RequiredOpinion.Body.choices).get(flags["body"], flags["body"]))
    if "action" in flags:  # an entry of the history, named in the language of the message
        found["event_label"] = str(EVENT_LABELS.get(flags["action"], flags["action"]))
    if opinion_id is not None:
        found["opinion"] = Opinion.objects.get(pk=opinion_id)
    return found


def _queue(template: str, recipients, dossier: Dossier, opinion: Opinion | None = None, **flags) -> None:
    tell(template, recipients, CONTEXT, dossier_id=dossier.pk, opinion_id=opinion.pk if opinion else None, **flags)


def _members_of(opinion: Opinion) -> list[str]:
    return list(body_members(opinion.body, opinion.dossier).values_list("email", flat=True))


def dossier_filed(dossier: Dossier, again: bool) -> None:
    _queue("dossier_filed", authority_members(dossier), dossier, again=again)
    _queue("dossier_filed_staff", staff_addresses(), dossier)


def sent_back(dossier: Dossier) -> None:
    _queue("dossier_sent_back", authority_members(dossier), dossier)


def decided(dossier: Dossier) -> None:
    _queue("dossier_decided", authority_members(dossier), dossier)


def opinion_requested(opinion: Opinion) -> None:
    _queue("opinion_requested", _members_of(opinion), opinion.dossier, opinion)


def opinion_given(opinion: Opinion, edited: bool) -> None:
    recipients = set(staff_addresses())
    if opinion.requested_by and opinion.requested_by.email:
        recipients.add(opinion.requested_by.email)
    _queue("opinion_given", recipients, opinion.dossier, opinion, edited=edited)


def message_sent(message) -> None:
    """To the other side: the authority's members, or the CNCD team's mailbox."""
    recipients = staff_addresses() if not message.from_staff else authority_members(message.dossier)
    _queue("dossier_message", recipients, message.dossier, author=message.author_name, body=message.body)


def opinion_reminder(opinion: Opinion) -> None:
    _queue("opinion_reminder", _members_of(opinion), opinion.dossier, opinion)


def followed_change(dossier: Dossier, event, recipients) -> None:
    """To the dossier's followers: what happened, by whom (see ``instruction.tell_followers``)."""
    _queue("dossier_followed", recipients, dossier, action=event.action, by=event.actor_name)


def body_addresses(opinion: Opinion) -> list[str]:
    return _members_of(opinion)


def opinion_revoked(dossier: Dossier, body: str, recipients) -> None:
    _queue("opinion_revoked", recipients, dossier, body=body)


def followup(dossier: Dossier, action: str, *, to_authority=False, to_staff=False, **flags) -> None:
    """A step of the follow-up, to the other side: the authority's members, or the CNCD's mailbox."""
    recipients = [*(authority_members(dossier) if to_authority else []), *(staff_addresses() if to_staff else [])]
    _queue("followup_step", recipients, dossier, action=action, **flags)


def report_reminder(report, overdue: bool) -> None:
    """A report due within the week, or overdue (then the CNCD's mailbox too)."""
    dossier = report.agreement.dossier
    recipients = [*authority_members(dossier), *(staff_addresses() if overdue else [])]
    _queue(
        "report_reminder",
        recipients,
        dossier,
        report=str(report.get_kind_display()),
        due=report.due_date.isoformat(),
        overdue=overdue,
    )
