"""Pages in French and English (wagtail-localize): the padlock kept the same on every
translation of a page, what language a page is written in, and each page's translations.

French is the source. The English tree holds, for each French page, either its translation or,
until one is made, an alias (wagtail-localize's LocaleSynchronization): an alias shows the
French text at an English address, and the front end says so.

A view restriction set, changed or removed on a page is copied to every page of its
``translation_key`` (the same page in the other language, translated or aliased), so that
Wagtail's own checks, which look at one tree, hold in both. The padlock itself
(``atlas_pages.editorial.padlock``) does not depend on this copy: it judges a page by the
restrictions of all its translations.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.translation import get_language
from wagtail.models import Locale, Page, PageViewRestriction

_state = threading.local()

Signature = tuple[str, str, frozenset[int]]


@contextmanager
def _mirroring():
    _state.mirroring = True
    try:
        yield
    finally:
        _state.mirroring = False


def _deleting() -> set[int]:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def signatures(page_ids) -> dict[int, set[Signature]]:
    """Each page's own restrictions, as (kind, password, groups): one query for all pages."""
    found: dict[int, dict[int, tuple[str, str, set[int]]]] = defaultdict(dict)
    rows = PageViewRestriction.objects.filter(page_id__in=list(page_ids)).values_list(
        "page_id", "pk", "restriction_type", "password", "groups"
    )
    for page_id, pk, kind, password, group_id in rows:
        entry = found[page_id].setdefault(pk, (kind, password, set()))
        if group_id is not None:
            entry[2].add(group_id)
    return {
        page_id: {(kind, password, frozenset(groups)) for kind, password, groups in by_pk.values()}
        for page_id, by_pk in found.items()
    }


def mirror_restrictions(page_id: int) -> None:
    """Gives every translation of the page the page's own restrictions."""
    if getattr(_state, "mirroring", False) or page_id in _deleting():
        return
    key = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()
    if key is None:
        return
    others = list(Page.objects.filter(translation_key=key).exclude(pk=page_id).values_list("pk", flat=True))
    if not others:
        return
    current = signatures([page_id, *others])
    wanted = current.get(page_id, set())
    with _mirroring():
        for other in others:
            if current.get(other, set()) == wanted:
                continue
            PageViewRestriction.objects.filter(page_id=other).delete()
            for kind, password, groups in sorted(wanted, key=lambda item: (item[0], item[1], sorted(item[2]))):
                copy = PageViewRestriction.objects.create(page_id=other, restriction_type=kind, password=password)
                copy.groups.set(groups)


def _restriction_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        mirror_restrictions(instance.page_id)


def _restriction_deleted(sender, instance, **kwargs) -> None:
    mirror_restrictions(instance.page_id)


def _groups_changed(sender, instance, action, reverse=False, **kwargs) -> None:
    if not reverse and action in {"post_add", "post_remove", "post_clear"}:
        mirror_restrictions(instance.page_id)


def _page_deleting(sender, instance, **kwargs) -> None:
    """A page being deleted takes its restrictions along: that is not a padlock being lifted."""
    if isinstance(instance, Page):
        _deleting().add(instance.pk)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _deleting().discard(instance.pk)


def _locale_synchronization_saved(sender, instance, raw=False, **kwargs) -> None:
    """wagtail-localize's own receiver, less when a fixture or a test database is being loaded
    (``raw``): the pages it would align are not all there yet."""
    if not raw:
        instance.sync_trees()


def _french_only(cls) -> bool:
    return not getattr(cls, "cncd_english_alias", True)


def mirrored(page: Page) -> bool:
    """Whether the page has a version on the English site. Procedures and mailings (calls for
    projects, newsletter issues: ``cncd_english_alias = False``) and what is below them are
    French only: a call is one call, an issue is written for one language."""
    return not any(_french_only(item.specific_class) for item in (page, *page.get_ancestors()))


def create_missing_aliases(page: Page) -> None:
    """Gives the page an alias in each locale synchronised from its own that lacks a version of
    it (its parents too). wagtail-localize's ``create_aliases_for_new_page``, less the error it
    raises when a version already exists, and less the pages that are not ``mirrored``."""
    from wagtail_localize.models import LocaleSynchronization

    targets = LocaleSynchronization.objects.filter(sync_from_id=page.locale_id).values_list("locale_id", flat=True)
    missing = set(targets) - set(
        Page.objects.filter(translation_key=page.translation_key).values_list("locale_id", flat=True)
    )
    if not missing or not mirrored(page):
        return
    for locale in Locale.objects.filter(pk__in=missing):
        page.copy_for_translation(locale, copy_parents=True, alias=True)


def synchronize_tree(source_locale, target_locale, *, page_index=None) -> None:
    """``sync_locale_trees`` and a new LocaleSynchronization: every page of the source locale
    that is ``mirrored`` gets its alias in the target locale (wagtail-localize's own, less the
    pages that are not mirrored). ``page_index`` is wagtail-localize's, unused here."""
    have = set(Page.objects.filter(locale=target_locale).values_list("translation_key", flat=True))
    french_only: list[str] = []  # the paths of the pages whose subtree stays French
    for page in Page.objects.filter(locale=source_locale, depth__gt=1).order_by("path"):
        if any(page.path.startswith(path) for path in french_only):
            continue
        if _french_only(page.specific_class):
            french_only.append(page.path)
            continue
        if page.translation_key not in have:
            page.copy_for_translation(target_locale, copy_parents=True, alias=True)
            have.add(page.translation_key)


def _published(sender, instance, **kwargs) -> None:
    """A page published without passing through the admin's “add page” (by ``load_demo``, an
    import or a member's proposal) gets its alias in the synchronised trees as the admin's
    pages do, so that the English site has it."""
    create_missing_aliases(instance)


def connect() -> None:
    from wagtail.signals import page_published
    from wagtail_localize import synctree
    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    # The admin's “add page” hook of wagtail-localize calls this module global: the page may
    # have its aliases already (it was published on creation, which ``_published`` follows).
    synctree.create_aliases_for_new_page = create_missing_aliases
    synctree.synchronize_tree = synchronize_tree
    page_published.connect(_published, dispatch_uid="cncd-aliases-of-published-pages")

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    post_save.connect(_locale_synchronization_saved, sender=LocaleSynchronization, dispatch_uid="cncd-locale-sync")
    post_delete.connect(_forget_locales, sender=Locale, dispatch_uid="cncd-forget-locales")
    post_save.connect(_forget_locales, sender=Locale, dispatch_uid="cncd-forget-locales-save")
    uid = "cncd-padlock-translations"
    post_save.connect(_restriction_saved, sender=PageViewRestriction, dispatch_uid=f"{uid}-save")
    post_delete.connect(_restriction_deleted, sender=PageViewRestriction, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid=f"{uid}-groups")
    pre_delete.connect(_page_deleting, dispatch_uid=f"{uid}-page-deleting")
    post_delete.connect(_page_deleted, dispatch_uid=f"{uid}-page-deleted")


# --- languages of pages ---------------------------------------------------------------------


def default_language() -> str:
    return settings.LANGUAGE_CODE


def other_languages() -> set[str]:
    """The languages whose pages live under a prefix of their own (``/en/``)."""
    return {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != default_language()}


_locales: dict[str, Locale] = {}


def locale_for(language: str | None = None) -> Locale | None:
    """The content locale of this language (the active one by default), or None.

    Locales are made once (migration 0014) and never change, so each process remembers those it
    found; one deleted in the admin is forgotten here, and elsewhere at the next restart."""
    code = (language or get_language() or default_language()).split("-")[0]
    found = _locales.get(code)
    if found is None:
        found = Locale.objects.filter(language_code=code).first()
        if found is not None:
            _locales[code] = found
    return found


_codes: dict[int, str] = {}


def language_codes() -> dict[int, str]:
    """Each locale's language code, by locale id (remembered like ``locale_for``)."""
    if not _codes:
        _codes.update(Locale.objects.values_list("pk", "language_code"))
    return _codes


def _forget_locales(**kwargs) -> None:
    _locales.clear()
    _codes.clear()


@dataclass(frozen=True)
class TranslationOut:
    """One language version of a page, as the API and the language switcher give it."""

    language: str
    id: int
    title: str
    url: str
    translated: bool  # False: an alias, the source's text at this language's address


def _families(pages: list[Page]) -> dict[object, list[Page]]:
    """Every page (live or not) sharing a translation key with these pages: one query."""
    family: dict[object, list[Page]] = defaultdict(list)
    keys = {page.translation_key for page in pages}
    if not keys:
        return family
    rows = (
        Page.objects.filter(translation_key__in=keys)
        .only("pk", "title", "path", "depth", "url_path", "locale_id", "alias_of_id", "translation_key", "live")
        .order_by("locale__language_code", "path")
    )
    for page in rows:
        family[page.translation_key].append(page)
    return family


def _written_in(page: Page, members: list[Page]) -> str:
    codes = language_codes()
    source_locale = {member.pk: member.locale_id for member in members}.get(page.alias_of_id, page.locale_id)
    return codes.get(source_locale, default_language())


def written_in(pages: list[Page]) -> dict[int, str]:
    """The language each page's text is written in (see ``languages_of``): one query when some
    of them are aliases, none otherwise."""
    codes = language_codes()
    alias_ids = {page.alias_of_id for page in pages if page.alias_of_id}
    source_locale = dict(Page.objects.filter(pk__in=alias_ids).values_list("pk", "locale_id")) if alias_ids else {}
    return {
        page.pk: codes.get(source_locale.get(page.alias_of_id, page.locale_id), default_language()) for page in pages
    }


@dataclass(frozen=True)
class Languages:
    """What the API and the templates say of a set of pages' languages."""

    written_in: dict[int, str]
    translations: dict[int, list[TranslationOut]]

    @staticmethod
    def locale_of(page: Page) -> str:
        return language_codes().get(page.locale_id, default_language())


def languages_of(pages: list[Page], request=None) -> Languages:
    """For each page: the language its text is written in (its locale's, or for an alias of a
    page of another locale, an untranslated page, that page's) and every published language
    version of it, itself included. One query for all the pages."""
    pages = [page for page in pages if page.pk]
    families = _families(pages)
    codes = language_codes()
    written: dict[int, str] = {}
    versions: dict[int, list[TranslationOut]] = {}
    for page in pages:
        members = families.get(page.translation_key, [])
        written[page.pk] = _written_in(page, members)
        versions[page.pk] = [
            TranslationOut(
                language=codes.get(member.locale_id, default_language()),
                id=member.pk,
                title=member.title,
                url=member.get_url(request) or "",
                translated=_written_in(member, members) == codes.get(member.locale_id, default_language()),
            )
            for member in members
            if member.live
        ]
    return Languages(written_in=written, translations=versions)


def first_in_language(queryset):
    """The first page of the queryset in the active language, else the first in any."""
    locale = locale_for()
    found = queryset.filter(locale=locale).first() if locale is not None else None
    return found if found is not None else queryset.first()


__all__ = [
    "Languages",
    "TranslationOut",
    "language_codes",
    "languages_of",
    "written_in",
    "connect",
    "first_in_language",
    "locale_for",
    "mirror_restrictions",
    "other_languages",
    "signatures",
]
