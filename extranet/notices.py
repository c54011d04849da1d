"""The member's notifications: what the site told them by e-mail, kept in the personal space.
Other apps call ``record`` with the addresses they wrote to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from extranet.models import Notice


def record(addresses: list[str], subject: str, body: str, url: str = "") -> int:
    """One notice for each active member among these addresses (the CNCD's mailboxes are not members)."""
    users = get_user_model().objects.filter(is_active=True, email__in=addresses)
    notices = [Notice(user=user, subject=subject[:255], body=body, url=url[:500]) for user in users]
    Notice.objects.bulk_create(notices)
    return len(notices)


def notices(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notice.objects.filter(user=user, read_at=None).count()


def mark_all_read(user: User) -> int:
    return Notice.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
