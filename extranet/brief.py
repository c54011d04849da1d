"""The brief of my group: the latest articles editors targeted to the member's groups, the
ones not yet opened marked as new."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from wagtail.models import Page

from atlas_pages.editorial.padlock import Reader, locked_page_ids
from atlas_pages.editorial.services import group_brief
from atlas_pages.models import ArticlePage
from extranet.models import BriefReading

BRIEF_MAX = 50


@dataclass
class BriefRow:
    page: ArticlePage
    locked: bool  # padlocked away from the member: title and teaser only
    unread: bool


def _group_ids(user: User) -> frozenset[int]:
    return Reader.of(user).group_ids if user.is_authenticated else frozenset()


def brief(user: User, limit: int = 10) -> list[BriefRow]:
    """Newest first; four queries whatever the number of articles."""
    group_ids = _group_ids(user)
    if not group_ids:
        return []
    pages = list(group_brief(group_ids, limit=min(limit, BRIEF_MAX)))
    locked = locked_page_ids(pages, Reader.of(user))
    read = set(
        BriefReading.objects.filter(user=user, page__in=[page.pk for page in pages]).values_list("page_id", flat=True)
    )
    return [BriefRow(page=page, locked=page.pk in locked, unread=page.pk not in read) for page in pages]


def in_brief_of(user: User, page: Page) -> bool:
    group_ids = _group_ids(user)
    return bool(group_ids) and ArticlePage.objects.filter(pk=page.pk, target_groups__in=group_ids).exists()


def mark_read(user: User, page: Page) -> bool:
    """Remembers that the member opened this article of their brief (once); False when the
    page is not in their brief or is padlocked away from them."""
    if not in_brief_of(user, page) or locked_page_ids([page], Reader.of(user)):
        return False
    try:
        with transaction.atomic():
            BriefReading.objects.get_or_create(user=user, page=page)
    except IntegrityError:  # opened twice at once
        pass
    return True
