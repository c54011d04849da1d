"""The e-mails of the co-financing procedure, in French, sent by a background task queued with
the change (see ``tasks``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from atlas_pages.core.links import site_url
from extranet import notices
from extranet.models import MemberProfile
from forms.models import Dossier, Opinion
from forms.permissions import body_members


def dossier_url(dossier: Dossier) -> str:
    return site_url(reverse("cncd_forms:dossier", args=[dossier.pk]))


def authority_members(dossier) -> list[str]:
    """The addresses of whoever files for the dossier's (or declaration's) authority."""
    users = get_user_model().objects.filter(
        is_active=True,
        member_profile__organisation_code=dossier.authority.code,
        member_profile__status=MemberProfile.Status.APPROVED,
    )
    addresses = set(users.values_list("email", flat=True))
    if dossier.created_by and dossier.created_by.is_active:
        addresses.add(dossier.created_by.email)
    return sorted(address for address in addresses if address)


def staff_addresses() -> list[str]:
    return [settings.CNCD_DOSSIERS_EMAIL] if settings.CNCD_DOSSIERS_EMAIL else []


def send(template: str, recipients: list[str], context: dict, attachments: tuple = ()) -> None:
    """One message per recipient (nobody sees the others' addresses), over one connection;
    ``attachments`` are (file name, content, MIME type)."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"cncd_forms/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"cncd_forms/email/{template}.txt", context)
    messages = []
    for address in recipients:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for attachment in attachments:
            message.attach(*attachment)
        messages.append(message)
    get_connection().send_messages(messages)
    notices.record(recipients, subject, body, url=urlsplit(context.get("url", "")).path)


def _queue(template: str, recipients, dossier: Dossier, opinion: Opinion | None = None, **flags) -> None:
    from forms.tasks import send_procedure_mail

    recipients = sorted(set(recipients))
    if recipients:
        send_procedure_mail.enqueue(template, recipients, dossier.pk, opinion.pk if opinion else None, **flags)


def dossier_filed(dossier: Dossier, again: bool) -> None:
    _queue("dossier_filed", authority_members(dossier), dossier, again=again)
    _queue("dossier_filed_staff", staff_addresses(), dossier)


def sent_back(dossier: Dossier) -> None:
    _queue("dossier_sent_back", authority_members(dossier), dossier)


def decided(dossier: Dossier) -> None:
    _queue("dossier_decided", authority_members(dossier), dossier)


def opinion_requested(opinion: Opinion) -> None:
    recipients = body_members(opinion.body, opinion.dossier).values_list("email", flat=True)
    _queue("opinion_requested", [address for address in recipients if address], opinion.dossier, opinion)


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
    recipients = body_members(opinion.body, opinion.dossier).values_list("email", flat=True)
    _queue("opinion_reminder", [address for address in recipients if address], opinion.dossier, opinion)


# --- e-APD ------------------------------------------------------------------------------------


def declaration_url(declaration) -> str:
    return site_url(reverse("cncd_forms:apd_declaration", args=[declaration.pk]))


def _queue_apd(template: str, declaration, receipt: bool = False) -> None:
    from forms.tasks import send_apd_mail

    recipients = set(authority_members(declaration))
    if declaration.submitted_by and declaration.submitted_by.is_active and declaration.submitted_by.email:
        recipients.add(declaration.submitted_by.email)
    if recipients:
        send_apd_mail.enqueue(template, sorted(recipients), declaration.pk, receipt)


def apd_submitted(declaration) -> None:
    """The acknowledgement, with the receipt attached, to the authority's members."""
    _queue_apd("apd_submitted", declaration, receipt=True)


def apd_correction_requested(declaration) -> None:
    _queue_apd("apd_correction", declaration)


# --- Atlas updates ------------------------------------------------------------------------------


def atlas_update_url(update) -> str:
    return site_url(reverse("cncd_forms:atlas_update", args=[update.pk]))


def _queue_atlas(template: str, recipients, update) -> None:
    from forms.tasks import send_atlas_update_mail

    recipients = sorted({address for address in recipients if address})
    if recipients:
        send_atlas_update_mail.enqueue(template, recipients, update.pk)


def atlas_update_proposed(update) -> None:
    """The Atlas's moderators are told of a new proposal."""
    _queue_atlas("atlas_update_proposed", [settings.CNCD_ATLAS_EMAIL] if settings.CNCD_ATLAS_EMAIL else [], update)


def atlas_update_moderated(update) -> None:
    """Who proposed learns whether it was accepted, or why not."""
    if update.proposed_by and update.proposed_by.is_active:
        _queue_atlas("atlas_update_moderated", [update.proposed_by.email], update)


# --- Bourse-projets -----------------------------------------------------------------------------


def bourse_url(entry) -> str:
    return site_url(reverse("cncd_forms:bourse_entry", args=[entry.pk]))


def _queue_bourse(template: str, recipients, entry, interest=None) -> None:
    from forms.tasks import send_bourse_mail

    recipients = sorted({address for address in recipients if address})
    if recipients:
        send_bourse_mail.enqueue(template, recipients, entry.pk, interest.pk if interest else None)


def embassy_members(entry) -> list[str]:
    """The embassy of the entry's country, and whoever recorded the entry."""
    users = get_user_model().objects.filter(
        is_active=True,
        groups__actor_group__slug="ambassades",
        member_profile__country=entry.country.iso2,
        member_profile__status=MemberProfile.Status.APPROVED,
    )
    addresses = set(users.values_list("email", flat=True))
    if entry.recorded_by and entry.recorded_by.is_active:
        addresses.add(entry.recorded_by.email)
    return sorted(address for address in addresses if address)


def bourse_recorded(entry) -> None:
    _queue_bourse("bourse_recorded", [settings.CNCD_ATLAS_EMAIL] if settings.CNCD_ATLAS_EMAIL else [], entry)


def bourse_moderated(entry) -> None:
    if entry.recorded_by and entry.recorded_by.is_active:
        _queue_bourse("bourse_moderated", [entry.recorded_by.email], entry)


def bourse_interest(interest) -> None:
    _queue_bourse("bourse_interest", embassy_members(interest.entry), interest.entry, interest)
