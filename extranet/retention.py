"""Accounts nobody uses are not kept for ever (RGPD, storage limitation).

A member's account unused for ``CNCD_ACCOUNT_RETENTION_DAYS`` (no login since, or since it was
created) is warned by e-mail; if nobody logs in within ``CNCD_ACCOUNT_RETENTION_NOTICE_DAYS``
after the warning, it is deleted as the member would delete it (the apps' hooks keep what the
procedures must keep, anonymised). Staff accounts are left to administrators.
``manage.py prune_inactive_accounts`` does both, daily from cron.
"""

import datetime as dt
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from atlas_pages.core import mail
from atlas_pages.core.links import site_url
from extranet.models import MemberProfile


@dataclass
class Pruned:
    warned: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _members():
    return get_user_model().objects.filter(is_staff=False, is_superuser=False, member_profile__isnull=False)


def prune(now=None, dry_run: bool = False) -> Pruned:
    from extranet.services import delete_account_for_good

    now = now or timezone.now()
    unused_since = now - timedelta(days=settings.CNCD_ACCOUNT_RETENTION_DAYS)
    notice = timedelta(days=settings.CNCD_ACCOUNT_RETENTION_NOTICE_DAYS)
    done = Pruned()
    members = _members().annotate(last_seen=Coalesce("last_login", "date_joined"))

    # Logged in since the warning: the warning no longer holds.
    if not dry_run:
        MemberProfile.objects.filter(
            retention_warned_at__isnull=False, user__last_login__gt=F("retention_warned_at")
        ).update(retention_warned_at=None)

    # Warned long enough ago, and not logged in since the warning.
    to_delete = members.filter(member_profile__retention_warned_at__lt=now - notice).filter(
        Q(last_login__isnull=True) | Q(last_login__lte=F("member_profile__retention_warned_at"))
    )
    for user in to_delete:
        done.deleted.append(user.get_username())
        if not dry_run:
            delete_account_for_good(user)

    to_warn = members.filter(last_seen__lt=unused_since, member_profile__retention_warned_at__isnull=True)
    for user in to_warn.select_related("member_profile").exclude(Q(email="")):
        done.warned.append(user.get_username())
        if not dry_run:
            _warn(user, deletion_on=now + notice)
            MemberProfile.objects.filter(user=user).update(retention_warned_at=now)
    return done


def _warn(user, deletion_on) -> None:
    mail.send(
        "extranet/email/account_unused",
        [user.email],
        context_from="extranet.retention.warning_context",
        context_args={"user_id": user.pk, "deletion_on": deletion_on.isoformat()},
    )


def warning_context(user_id: int, deletion_on: str) -> dict:
    """What the warning says, read when it is sent."""
    return {
        "user": get_user_model().objects.get(pk=user_id),
        "deletion_on": dt.datetime.fromisoformat(deletion_on),
        "months": settings.CNCD_ACCOUNT_RETENTION_DAYS // 30,
        "login_url": site_url(reverse("account_login")),
    }
