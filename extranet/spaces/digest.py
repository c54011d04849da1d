"""The weekly e-mail of the thematic spaces: to each member who follows something, what is new
since their last one — the discussions opened in the spaces they follow, the replies in the
discussions they follow — from the spaces they may still enter, hidden messages left out.

``manage.py send_space_digests`` (cron, daily) queues ``send_space_digests`` for the worker; a
member gets at most one e-mail a week, claimed in its own transaction so that a second run or a
second worker sends nothing twice. Each e-mail stops the digest in one click (RFC 8058's
List-Unsubscribe-Post); the notifications in the personal space go on.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.core import mail
from atlas_pages.core.exceptions import NotFound
from atlas_pages.core.links import id_from_signed, signed_id, site_url
from extranet.spaces import services
from extranet.spaces.models import Discussion, Following, Message, SpaceDigest

EVERY = dt.timedelta(days=7)
#: An e-mail lists this many discussions at most, then links to the spaces.
LISTED = 30
STOP_SALT = "cncd.spaces.digest.stop"


def settings_of(user: User) -> SpaceDigest:
    found, _created = SpaceDigest.objects.get_or_create(user=user)
    return found


def set_active(user: User, active: bool) -> SpaceDigest:
    found = settings_of(user)
    if found.active != active:
        found.active = active
        found.save(update_fields=["active"])
    return found


def stop_token(user: User) -> str:
    return signed_id(user.pk, STOP_SALT)


def by_token(token: str) -> SpaceDigest:
    pk = id_from_signed(token, STOP_SALT)
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise NotFound(_("This account no longer exists."))
    return settings_of(user)


def stop(token: str) -> SpaceDigest:
    """The e-mail's “stop the weekly e-mail”: no login needed, the signed link is the proof."""
    return set_active(by_token(token).user, False)


def _since(item: SpaceDigest | None, now: dt.datetime) -> dt.datetime:
    return item.last_sent_at if item is not None and item.last_sent_at else now - EVERY


def due_users(now: dt.datetime) -> list[User]:
    """Active members who follow something, whose digest is on and a week old or more (or never sent)."""
    stopped_or_recent = SpaceDigest.objects.filter(Q(active=False) | Q(last_sent_at__gt=now - EVERY)).values("user")
    return list(
        User.objects.filter(is_active=True, pk__in=Following.objects.values("user"))
        .exclude(pk__in=stopped_or_recent)
        .exclude(email="")
        .order_by("pk")
    )


def news_for(user: User, since: dt.datetime) -> list[dict]:
    """What is new for this member since then, by discussion (a few queries, whatever they follow)."""
    spaces = services.readable_spaces(user).values("pk")
    followed = Following.objects.filter(user=user)
    shown = Message.objects.filter(hidden_at=None, created_at__gt=since).exclude(author=user)
    new = shown.filter(discussion__space__in=spaces).filter(
        Q(discussion__in=followed.exclude(discussion=None).values("discussion"))
        | Q(discussion__space__in=followed.exclude(space=None).values("space"), discussion__created_at__gt=since)
    )
    counts = dict(new.order_by().values("discussion").annotate(count=Count("pk")).values_list("discussion", "count"))
    found = Discussion.objects.filter(pk__in=counts).select_related("space").order_by("-last_message_at")
    return [
        {
            "space": discussion.space.title,
            "title": discussion.title,
            "new": counts[discussion.pk],
            "opened": discussion.created_at > since,
            "url": site_url(services.discussion_url(discussion)),
        }
        for discussion in found[:LISTED]
    ]


def send_due(now: dt.datetime | None = None) -> int:
    """Queues the week's digest of each member who has something new; returns how many."""
    now = now or timezone.now()
    sent = 0
    users = due_users(now)
    known = {item.user_id: item for item in SpaceDigest.objects.filter(user__in=users)}
    for user in users:
        item = known.get(user.pk)
        since = _since(item, now)
        if not news_for(user, since):
            continue
        with transaction.atomic():
            current = item or settings_of(user)
            claimed = SpaceDigest.objects.filter(pk=current.pk, active=True, last_sent_at=current.last_sent_at).update(
                last_sent_at=now
            )
            if not claimed:
                continue
            stop_url = site_url(reverse("extranet:stop_space_digest", args=[stop_token(user)]))
            mail.send(
                "extranet/email/space_digest",
                [user.email],
                context_from="extranet.spaces.digest.digest_context",
                context_args={"user_id": user.pk, "since": since.isoformat(), "stop_url": stop_url},
                keep_notice=True,
            )
            sent += 1
    return sent


def digest_context(user_id: int, since: str, stop_url: str) -> dict:
    """The e-mail, read when it is sent (what a moderator hid meanwhile is not in it)."""
    user = User.objects.get(pk=user_id)
    items = news_for(user, dt.datetime.fromisoformat(since))
    if not items:
        raise mail.Skip()
    return {
        "user": user,
        "items": items,
        "following_url": site_url(reverse("extranet:followed_spaces")),
        "stop_url": stop_url,
        "url": reverse("extranet:followed_spaces"),
        "headers": mail.one_click_stop(stop_url),
    }
