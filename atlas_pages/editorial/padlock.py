"""The padlock: who may read the body of a page under Wagtail's view restrictions.

Wagtail's own check looks restrictions up page by page, and its v2 API excludes them with
one ``NOT descendant_of`` clause per restriction. Here the question “is this page locked for
this reader?” is one SQL expression: a restriction applies to a page when the restricted
page's path is a prefix of the page's path, and the prefixes of a materialised path are few
and indexed. The cost stays constant whatever the number of restrictions.

Rules (those of ``PageViewRestriction.accept_request``, less the session state):
- staff (and superusers) read everything: they publish and verify it;
- “login” restrictions admit any logged-in member;
- “groups” restrictions admit members of one of their groups;
- “password” restrictions admit nobody through the API and listings (the front end lets
  Wagtail ask for the password).

Translations: a page in English and its French source are two rows in two trees. A padlock
holds across them: a page is locked wherever a restriction refuses the reader on it, on one of
its translations (the pages of its ``translation_key``), or on an ancestor of any of them. So an
English alias of a padlocked French article is padlocked, even in an English tree that editors
rearranged. ``atlas_pages.editorial.translations`` also copies each page's own restrictions onto
its translations, so that Wagtail's own checks (its serve view, ``public()``) agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction

STEPLEN = Page.steplen


@dataclass(frozen=True)
class Reader:
    """What the padlock needs to know about who reads, fetched once per request."""

    is_authenticated: bool = False
    sees_everything: bool = False
    group_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user, group_ids: frozenset[int] | None = None) -> Reader:
        """``group_ids``: the user's groups when already read (for many users at once)."""
        if user is None or not user.is_authenticated:
            return ANONYMOUS
        if user.is_staff or user.is_superuser:
            return cls(is_authenticated=True, sees_everything=True)
        cached = group_ids if group_ids is not None else getattr(user, "_padlock_group_ids", None)
        if cached is None:
            cached = frozenset(user.groups.values_list("id", flat=True))
            user._padlock_group_ids = cached
        return cls(is_authenticated=True, group_ids=cached)


ANONYMOUS = Reader()


def _restrictions_refusing(reader: Reader) -> Q:
    """The view restrictions that do not admit this reader."""
    if not reader.is_authenticated:
        return Q()
    admitted_by_group = Exists(
        PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction_id=OuterRef("pk"), group_id__in=reader.group_ids
        )
    )
    return Q(restriction_type=PageViewRestriction.PASSWORD) | (
        Q(restriction_type=PageViewRestriction.GROUPS) & ~admitted_by_group
    )


def _max_restricted_depth() -> int:
    """How deep the deepest restricted page is: how many path prefixes need checking."""
    deepest = PageViewRestriction.objects.order_by("-page__depth").values_list("page__depth", flat=True).first()
    return deepest or 0


def locked_expression(reader: Reader, max_depth: int | None = None):
    """A boolean SQL expression on a Page queryset: true where the reader may not read the body,
    because of a restriction on the page, one of its translations, or an ancestor of either."""
    if reader.sees_everything:
        return Value(False)
    depth = _max_restricted_depth() if max_depth is None else max_depth
    if depth == 0:
        return Value(False)
    on_ancestor_or_self = reduce(
        or_, (Q(page__path=Substr(OuterRef("path"), 1, STEPLEN * level)) for level in range(1, depth + 1))
    )
    refused = Exists(PageViewRestriction.objects.filter(on_ancestor_or_self).filter(_restrictions_refusing(reader)))
    return Exists(Page.objects.filter(translation_key=OuterRef("translation_key")).filter(refused))


def ancestor_paths(page: Page) -> list[str]:
    """The materialised paths of the page and of its ancestors: its path's prefixes."""
    return [page.path[: STEPLEN * level] for level in range(1, page.depth + 1)]


def family_paths(pages: list[Page]) -> dict[int, set[str]]:
    """The paths of each page and of its translations (one query for all of them)."""
    paths = {page.pk: {page.path} for page in pages}
    by_key: dict[object, set[str]] = defaultdict(set)
    rows = Page.objects.filter(translation_key__in={page.translation_key for page in pages})
    for key, path in rows.values_list("translation_key", "path"):
        by_key[key].add(path)
    for page in pages:
        paths[page.pk] |= by_key[page.translation_key]
    return paths


def _prefixes(path: str) -> list[str]:
    return [path[: STEPLEN * level] for level in range(1, len(path) // STEPLEN + 1)]


def locked_page_ids(pages, reader: Reader) -> set[int]:
    """Which of these pages are locked for the reader: two queries, whatever the restrictions.

    The pages in hand and their translations name their ancestors (the prefixes of their
    paths); the restrictions on those few paths are read once and judged here by the same rules
    as ``locked_expression``.
    """
    pages = list(pages)
    if not pages or reader.sees_everything:
        return set()
    paths = family_paths(pages)
    prefixes_of = {pk: {prefix for path in family for prefix in _prefixes(path)} for pk, family in paths.items()}
    prefixes = set().union(*prefixes_of.values())
    restrictions: dict[int, tuple[str, str, set[int]]] = {}
    rows = PageViewRestriction.objects.filter(page__path__in=prefixes).values_list(
        "pk", "page__path", "restriction_type", "groups"
    )
    for pk, path, kind, group_id in rows:
        restrictions.setdefault(pk, (path, kind, set()))[2].add(group_id)
    refusing = {path for path, kind, groups in restrictions.values() if not admits(kind, groups, reader)}
    if not refusing:
        return set()
    return {page.pk for page in pages if refusing.intersection(prefixes_of[page.pk])}


def readable(queryset: QuerySet, reader: Reader) -> QuerySet:
    """The pages of the queryset whose body the reader may read."""
    if reader.sees_everything:
        return queryset
    expression = locked_expression(reader)
    if isinstance(expression, Value):
        return queryset
    return queryset.exclude(expression)


def is_locked(page: Page, reader: Reader) -> bool:
    return page.pk in locked_page_ids([page], reader)


def admits(kind: str, group_ids: set[int], reader: Reader) -> bool:
    """The rules of ``locked_expression``, in Python, for one restriction of this kind and groups."""
    if reader.sees_everything:
        return True
    if kind == PageViewRestriction.LOGIN:
        return reader.is_authenticated
    if kind == PageViewRestriction.GROUPS:
        return reader.is_authenticated and not reader.group_ids.isdisjoint(group_ids)
    return False


def restriction_admits(restriction: PageViewRestriction, reader: Reader) -> bool:
    return admits(restriction.restriction_type, {group.pk for group in restriction.groups.all()}, reader)


def admitted_users(page: Page, users: list) -> list:
    """Those of these users the padlock lets read the page (for whom to tell of it): the
    restrictions read once and the users' groups in one query, whatever their number."""
    restrictions = list(restrictions_of(page).prefetch_related("groups"))
    if not restrictions:
        return list(users)
    groups: dict[int, set[int]] = defaultdict(set)
    membership = Group.user_set.through.objects.filter(user__in=users).values_list("user_id", "group_id")
    for user_id, group_id in membership:
        groups[user_id].add(group_id)
    readers = {user.pk: Reader.of(user, frozenset(groups[user.pk])) for user in users}
    return [user for user in users if all(restriction_admits(found, readers[user.pk]) for found in restrictions)]


def refusal_status(reader: Reader) -> int:
    """401 asks the visitor to log in; 403 tells a member their group is not admitted."""
    return 403 if reader.is_authenticated else 401


def restrictions_of(page: Page) -> QuerySet[PageViewRestriction]:
    """The restrictions that hold on this page: on it, its translations, or their ancestors."""
    prefixes = {prefix for path in family_paths([page])[page.pk] for prefix in _prefixes(path)}
    return PageViewRestriction.objects.filter(page__path__in=prefixes)


def admitted_group_names(page: Page) -> list[str]:
    """The groups named by the restrictions on this page, to tell a member who may read it."""
    names: list[str] = []
    for restriction in restrictions_of(page).prefetch_related("groups"):
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            names.extend(group.name for group in restriction.groups.all())
    return sorted(set(names))


__all__ = [
    "ANONYMOUS",
    "Reader",
    "admitted_group_names",
    "admitted_users",
    "is_locked",
    "locked_expression",
    "admits",
    "ancestor_paths",
    "locked_page_ids",
    "readable",
    "refusal_status",
    "restriction_admits",
    "restrictions_of",
]
