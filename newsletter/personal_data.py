"""The newsletter's part of a member's personal data: the subscription tied to the account or
to its address is in the download, and goes with the account (its deliveries with it)."""

from django.contrib.auth.models import User
from django.db.models import Count, Q

from newsletter.models import Subscription


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _of(user: User):
    address = (user.email or "").strip().lower()
    return Subscription.objects.filter(Q(user=user) | Q(email=address) if address else Q(user=user))


def export(user: User) -> dict:
    return {
        "newsletter_subscriptions": [
            {
                "email": item.email,
                "state": item.state,
                "language": item.language,
                "rubrics": item.rubrics,
                "consent_at": _when(item.consent_at),
                "consent_given_by": item.consent_method,
                "consent_text_version": item.consent_text_version,
                "unsubscribed_at": _when(item.unsubscribed_at),
                "letters_sent": item.letters_sent,
            }
            for item in _of(user).annotate(letters_sent=Count("deliveries")).order_by("pk")
        ]
    }


def before_deletion(user: User) -> None:
    _of(user).delete()


COVERAGE = {
    "newsletter.Subscription.user": "export: newsletter_subscriptions; deletion: deleted with the account",
    "newsletter.Subscription.email": "export: newsletter_subscriptions; deletion: deleted with the account",
    "newsletter.Sending.requested_by": "staff who sent an issue; deletion: unlinked",
}
