"""The member's selection of pages (“Ajouter cet article à ma sélection”)."""

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.editorial.padlock import Reader, locked_page_ids
from extranet.models import Bookmark
from extranet.ordering import close_gap, move, next_position


class AlreadyBookmarked(Conflict):
    default_message = _("This page is already in your selection.")


class NotReadable(Forbidden):
    default_message = _("This page is reserved for other members: it cannot go into your selection.")


@dataclass
class BookmarkRow:
    bookmark: Bookmark
    available: bool
    reason: str | None  # "deleted", "unpublished" or "locked" when not available
    url: str
    teaser: str


def selection(user: User, request=None, only: Collection[int] | None = None) -> list[BookmarkRow]:
    """The selection in its order (or the bookmarks ``only`` names); pages gone or padlocked
    away are listed as unavailable, without their content. Three queries, whatever the number
    of bookmarks."""
    kept = Bookmark.objects.filter(user=user)
    if only is not None:
        kept = kept.filter(pk__in=only)
    bookmarks = list(kept.select_related("page"))
    pages = [bookmark.page for bookmark in bookmarks if bookmark.page is not None]
    locked = locked_page_ids(pages, Reader.of(user))
    teasers = dict(
        Page.objects.filter(pk__in=[page.pk for page in pages], editorialpage__isnull=False).values_list(
            "pk", "editorialpage__teaser"
        )
    )
    rows = []
    for bookmark in bookmarks:
        page = bookmark.page
        reason = (
            "deleted" if page is None else "unpublished" if not page.live else "locked" if page.pk in locked else None
        )
        rows.append(
            BookmarkRow(
                bookmark=bookmark,
                available=reason is None,
                reason=reason,
                url=(page.get_url(request) or "") if reason is None else "",
                teaser=(teasers.get(page.pk) or "") if reason is None else "",
            )
        )
    return rows


def add(user: User, page_id: int, note: str = "") -> Bookmark:
    page = Page.objects.live().filter(pk=page_id, depth__gt=1).first()
    if page is None:
        raise ValidationError({"page_id": [_("No published page has this id.")]})
    if locked_page_ids([page], Reader.of(user)):
        raise NotReadable()
    position = next_position(Bookmark.objects.filter(user=user))
    try:
        with transaction.atomic():
            return Bookmark.objects.create(user=user, page=page, title=page.title, note=note, position=position)
    except IntegrityError as error:
        raise AlreadyBookmarked() from error


def _own(user: User, bookmark_id: int) -> Bookmark:
    bookmark = Bookmark.objects.filter(user=user, pk=bookmark_id).first()
    if bookmark is None:
        raise NotFound()  # someone else's bookmark is not found either
    return bookmark


@transaction.atomic
def update(user: User, bookmark_id: int, *, note: str | None = None, position: int | None = None):
    """Changes the note, or moves the bookmark to ``position`` (1 = first), the others following."""
    bookmark = _own(user, bookmark_id)
    if note is not None:
        bookmark.note = note
        bookmark.save(update_fields=["note"])
    if position is not None:
        move(Bookmark.objects.filter(user=user), bookmark, position)
    return bookmark


def remove(user: User, bookmark_id: int) -> None:
    bookmark = _own(user, bookmark_id)
    bookmark.delete()
    close_gap(Bookmark.objects.filter(user=user), bookmark.position)
