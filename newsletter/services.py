"""Subscriptions to the letter, used by the API, the pages and the back office.

- The public form uses double opt-in: the address gets a signed confirmation link valid
  ``NEWSLETTER_CONFIRM_DAYS`` days; until it is followed nothing is sent. Asking again (or
  re-subscribing after unsubscribing) sends a new link, and the older ones stop working. The
  answer is the same whether the address is known or not.
- A member subscribes from the personal space with the address allauth verified: confirmed at
  once, tied to the account and its actor group.
- Unsubscribing needs only the subscription's token (the link in every letter): no login.
- Bounced and complained addresses are never written to again; only staff, by an import with a
  fresh consent, can change that.
"""

import csv
import io
from dataclasses import dataclass, field

from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core import mail
from atlas_pages.core.exceptions import Conflict, NotFound, TooManyRequests
from atlas_pages.core.links import site_url
from newsletter.models import CONSENT_TEXT_VERSION, RUBRICS, Subscription, new_token

State, Source = Subscription.State, Subscription.Source
CONFIRM_SALT = "newsletter.confirm"
# The words the person agrees to, by version (kept with each subscription).
CONSENT_TEXT = _(
    "I agree to receive the monthly newsletter of decentralised cooperation at this address. "
    "I can unsubscribe at any time with the link in each letter."
)


def clean_email(value: str, field: str = "email") -> str:
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({field: [_("Give a valid e-mail address.")]}) from error
    return email


def clean_rubrics(values, field: str = "rubrics") -> list[str]:
    values = list(values or [])
    unknown = sorted(set(values) - set(RUBRICS.values))
    if unknown:
        raise ValidationError({field: [_("Unknown rubric: %(names)s.") % {"names": ", ".join(unknown)}]})
    return sorted(set(values))


def clean_language(value: str, field: str = "language") -> str:
    value = value or settings.LANGUAGE_CODE
    if value not in dict(settings.LANGUAGES):
        raise ValidationError({field: [_("Choose French or English.")]})
    return value


# --- double opt-in ------------------------------------------------------------------------------


def confirmation_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "n": subscription.confirm_nonce}, salt=CONFIRM_SALT, compress=True)


def confirmation_url(subscription: Subscription) -> str:
    return site_url(reverse("newsletter:confirm", args=[confirmation_token(subscription)]))


def confirmation_context(subscription_id: int, nonce: str) -> dict:
    """The double opt-in e-mail, unless the subscription was confirmed or asked again since."""
    subscription = Subscription.objects.filter(pk=subscription_id, confirm_nonce=nonce).first()
    if subscription is None or subscription.state != Subscription.State.PENDING:
        raise mail.Skip()
    return {
        "url": confirmation_url(subscription),
        "days": settings.NEWSLETTER_CONFIRM_DAYS,
        "consent": CONSENT_TEXT,
    }


def send_confirmation(subscription: Subscription) -> None:
    """Queues the confirmation e-mail, in the subscription's language, from the newsletter's address."""
    mail.send(
        "newsletter/email/confirm",
        [subscription.email],
        context_from="newsletter.services.confirmation_context",
        context_args={"subscription_id": subscription.pk, "nonce": subscription.confirm_nonce},
        language=subscription.language,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
    )


def subscribe(
    request: HttpRequest | None,
    email: str,
    language: str = "",
    rubrics=(),
    source: str = Source.PUBLIC_FORM,
) -> None:
    """Asks the address to confirm. Says nothing of whether it was known (the caller answers
    the same “check your inbox” either way)."""
    email = clean_email(email)
    language = clean_language(language)
    rubrics = clean_rubrics(rubrics)
    if request is not None and not ratelimit.consume(request, action="newsletter_subscribe", key=email):
        raise TooManyRequests()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email).first()
        if subscription is not None and subscription.state in (State.CONFIRMED, State.BOUNCED, State.COMPLAINED):
            return  # nothing to confirm, and never write again to a bounced or complaining address
        if subscription is None:
            subscription = Subscription(email=email, source=source)
        subscription.state = State.PENDING
        subscription.language, subscription.rubrics = language, rubrics
        subscription.consent_method = str(Source(source).label)
        subscription.confirm_nonce = new_token()
        subscription.save()
        # Queued with the change (the worker sends it, and a failed send is retried there).
        send_confirmation(subscription)


def pending_confirmation(token: str) -> Subscription:
    """The subscription a confirmation link is for, if the link still confirms it."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise ValidationError({"token": [_("This confirmation link has expired: subscribe again.")]}) from error
    except signing.BadSignature as error:
        raise ValidationError({"token": [_("This confirmation link is not valid.")]}) from error
    subscription = Subscription.objects.filter(pk=data.get("s"), confirm_nonce=data.get("n")).first()
    if subscription is None or subscription.state != State.PENDING or not subscription.confirm_nonce:
        raise ValidationError({"token": [_("This confirmation link is no longer valid: subscribe again.")]})
    return subscription


def confirm(token: str) -> Subscription:
    subscription = pending_confirmation(token)
    now = timezone.now()
    updated = Subscription.objects.filter(
        pk=subscription.pk, state=State.PENDING, confirm_nonce=subscription.confirm_nonce
    )
    updated.update(
        state=State.CONFIRMED,
        confirmed_at=now,
        consent_at=now,
        consent_text_version=CONSENT_TEXT_VERSION,
        confirm_nonce="",
        updated_at=now,
    )
    subscription.refresh_from_db()
    return subscription


# --- unsubscribing ------------------------------------------------------------------------------


def by_token(token: str) -> Subscription:
    subscription = Subscription.objects.filter(token=token).first() if token else None
    if subscription is None:
        raise NotFound(_("This unsubscribe link is not valid."))
    return subscription


def unsubscribe(token: str) -> Subscription:
    """One click: no login, no question. Unsubscribing twice is fine."""
    subscription = by_token(token)
    if subscription.state in (State.CONFIRMED, State.PENDING):
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk).update(
            state=State.UNSUBSCRIBED, unsubscribed_at=now, confirm_nonce="", updated_at=now
        )
        subscription.refresh_from_db()
    return subscription


def change_preferences(token: str, rubrics, language: str) -> Subscription:
    """A subscriber, member or not, changes their rubrics and language from the link in every
    letter (the token is the credential, as for unsubscribing)."""
    subscription = by_token(token)
    if subscription.state not in (State.CONFIRMED, State.PENDING):
        raise Conflict(_("This address no longer receives the newsletter: subscribe again to choose its rubrics."))
    subscription.rubrics = clean_rubrics(rubrics)
    subscription.language = clean_language(language)
    subscription.save(update_fields=["rubrics", "language", "updated_at"])
    return subscription


# --- members ------------------------------------------------------------------------------------


def member_subscription(user: User) -> Subscription | None:
    return (
        Subscription.objects.filter(user=user).first() or Subscription.objects.filter(email=user.email.lower()).first()
    )


def _member_group(user: User) -> str:
    from extranet.services import member_groups

    groups = [group.slug for group in member_groups(user)]
    return groups[0] if groups else ""


def set_member_subscription(
    user: User, subscribed: bool, rubrics=None, language: str | None = None
) -> Subscription | None:
    """A member turns the letter on or off from the personal space, with their verified address."""
    rubrics = clean_rubrics(rubrics) if rubrics is not None else None
    language = clean_language(language) if language is not None else None
    now = timezone.now()
    with transaction.atomic():
        subscription = member_subscription(user)
        if subscription is None and not subscribed:
            return None
        if subscription is None:
            subscription = Subscription(email=user.email, source=Source.MEMBER_SPACE)
        subscription.user = user
        subscription.group = _member_group(user)
        if rubrics is not None:
            subscription.rubrics = rubrics
        if language is not None:
            subscription.language = language
        if subscribed and subscription.state != State.CONFIRMED:
            if subscription.state in (State.BOUNCED, State.COMPLAINED) and subscription.email == user.email.lower():
                raise ValidationError(
                    {"subscribed": [_("Letters to this address came back: change your address, then subscribe.")]}
                )
            subscription.email = user.email
            subscription.state = State.CONFIRMED
            subscription.confirmed_at = subscription.consent_at = now
            subscription.consent_method = str(Source.MEMBER_SPACE.label)
            subscription.consent_text_version = CONSENT_TEXT_VERSION
            subscription.confirm_nonce = ""
        elif not subscribed and subscription.state in (State.CONFIRMED, State.PENDING):
            subscription.state = State.UNSUBSCRIBED
            subscription.unsubscribed_at = now
        subscription.save()
    return subscription


# --- bounces and complaints ---------------------------------------------------------------------


def mark_undeliverable(emails, complaint: bool = False) -> int:
    """Marks the addresses bounced (or complained): no letter goes to them again."""
    addresses = {(email or "").strip().lower() for email in emails if email}
    state = State.COMPLAINED if complaint else State.BOUNCED
    queryset = Subscription.objects.filter(email__in=addresses)
    if not complaint:
        queryset = queryset.exclude(state=State.COMPLAINED)
    return queryset.update(state=state, bounced_at=timezone.now(), updated_at=timezone.now())


# --- import and export (staff) ------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # why, by line


def import_csv(content: str, consent: str, user: User) -> ImportReport:
    """Columns ``email`` (required), ``language``, ``rubrics`` (separated by ``|``). The consent
    (how and when these people agreed) is required and kept on each subscription. Addresses that
    unsubscribed, bounced or complained are left as they are."""
    consent = (consent or "").strip()
    if not consent:
        raise ValidationError({"consent": [_("Say how these people agreed to receive the letter.")]})
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if not reader.fieldnames or "email" not in [name.strip().lower() for name in reader.fieldnames]:
        raise ValidationError({"file": [_("The file needs an “email” column.")]})
    report = ImportReport()
    now = timezone.now()
    existing = {item.email: item for item in Subscription.objects.all().only("pk", "email", "state")}
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        try:
            email = clean_email(row.get("email", ""))
            language = clean_language(row.get("language", ""))
            rubrics = clean_rubrics([part for part in row.get("rubrics", "").split("|") if part])
        except ValidationError as error:
            messages = [str(message) for messages in error.message_dict.values() for message in messages]
            report.skipped.append(_("Line %(line)d: %(why)s") % {"line": line, "why": " ".join(messages)})
            continue
        found = existing.get(email)
        if found is not None and found.state in (State.UNSUBSCRIBED, State.BOUNCED, State.COMPLAINED):
            report.skipped.append(
                _("Line %(line)d: %(email)s is %(state)s: left as it is.")
                % {"line": line, "email": email, "state": found.get_state_display()}
            )
            continue
        values = {
            "language": language,
            "rubrics": rubrics,
            "state": State.CONFIRMED,
            "consent_at": now,
            "consent_method": f"{Source.IMPORT.label}: {consent}"[:255],
            "consent_text_version": CONSENT_TEXT_VERSION,
            "confirmed_at": now,
        }
        if found is None:
            created = Subscription.objects.create(email=email, source=Source.IMPORT, **values)
            existing[email] = created
            report.created += 1
        else:
            Subscription.objects.filter(pk=found.pk).update(**values, updated_at=now)
            report.updated += 1
    return report


EXPORT_COLUMNS = ["email", "state", "language", "rubrics", "source", "group", "consent_at", "consent_method"]


def export_rows(queryset):
    yield EXPORT_COLUMNS
    for item in queryset.iterator(chunk_size=2000):
        yield [
            item.email,
            item.state,
            item.language,
            "|".join(item.rubrics or []),
            item.source,
            item.group,
            item.consent_at.isoformat() if item.consent_at else "",
            item.consent_method,
        ]
