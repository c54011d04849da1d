"""What the editorial site does, shared by the API, the pages, the feeds and the other apps."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from atlas_pages.core import versions
from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.editorial import translations
from atlas_pages.editorial.articles import ArticlePage, EditorialPage, RubricIndexPage
from atlas_pages.editorial.padlock import Reader, is_locked, locked_page_ids, readable
from atlas_pages.editorial.site_settings import ContactSettings, LegalSettings

logger = logging.getLogger(__name__)

#: How many matches a search returns at most (the padlock sorts them in Python).
SEARCH_LIMIT = 500

ORDERINGS = {
    "date": ("editorialpage__date", "first_published_at", "pk"),
    "-date": ("-editorialpage__date", "-first_published_at", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "first_published_at": ("first_published_at", "pk"),
    "-first_published_at": ("-first_published_at", "-pk"),
}
DEFAULT_ORDERING = "-first_published_at"


class InvalidFilter(DomainError):
    status_code = 422


# --- site-wide -----------------------------------------------------------------------------


SITE_CACHE_VERSION_KEY = "cncd:site:version"
SITE_CACHE_SECONDS = 300


def site_for(request: HttpRequest) -> Site | None:
    """Wagtail's ``Site.find_for_request``, remembered per host and port in the cache.

    Wagtail's lookup is one query with a CASE ordering on every request; the answer changes
    only when a site is edited or a root page moves, and ``forget_sites`` is called then.
    """
    if request is None:
        return None
    site = getattr(request, "_wagtail_site", None)
    if site is not None:
        return site
    version = cache.get(SITE_CACHE_VERSION_KEY, 0)
    key = f"cncd:site:{version}:{request.get_host()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, SITE_CACHE_SECONDS)
    request._wagtail_site = site  # type: ignore[attr-defined]  # where Wagtail looks first
    return site


PAGES_VERSION_KEY = "cncd:pages:version"
# A page saved with only these fields changed a draft or a lock: nothing published changed.
DRAFT_FIELDS = frozenset(
    {"has_unpublished_changes", "latest_revision", "latest_revision_created_at", "draft_title", "locked",
     "locked_at", "locked_by", "live_revision", "url_path"}
)  # fmt: skip


def pages_version() -> str:
    """The version of everything the page API shows (pages, padlocks, sites, menus), the same in
    every process; the API's ETags are made from it (``atlas_pages.core.http_cache``)."""
    return versions.current(PAGES_VERSION_KEY)


def bump_pages(**kwargs) -> None:
    versions.bump(PAGES_VERSION_KEY)


def on_content_saved(sender, instance=None, update_fields=None, raw=False, **kwargs) -> None:
    """Connected to every save and deletion: a page, a padlock, a site or the contact details
    changed, so every cached page answer is stale."""
    if raw or not isinstance(instance, (Page, PageViewRestriction, Site, ContactSettings)):
        return
    if isinstance(instance, Page) and update_fields and DRAFT_FIELDS.issuperset(update_fields):
        return
    bump_pages()


def forget_sites(**kwargs) -> None:
    """Invalidates every remembered site (called on site changes and page moves)."""
    try:
        cache.incr(SITE_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(SITE_CACHE_VERSION_KEY, 1, None)


def home_of(site: Site | None, language: str | None = None) -> Page | None:
    """The site's home in this language (the active one by default): its translation, or the
    French home where there is no live one."""
    return None if site is None else home_in(site, language)


def home_in(site: Site, language: str | None = None) -> Page:
    """``home_of`` for a site in hand."""
    home = site.root_page
    locale = translations.locale_for(language)
    if locale is None or home.locale_id == locale.pk:
        return home
    translated = home.get_translation_or_none(locale)
    return translated if translated is not None and translated.live else home


def main_menu(site: Site | None) -> list[Page]:
    """The live children of the site's home (in the active language) that editors marked “show
    in menus”, in tree order: English pages on the English site, and their aliases where a page
    is not translated yet."""
    home = home_of(site)
    if home is None:
        return []
    return list(home.get_children().live().in_menu().specific(defer=True).order_by("path"))


def breadcrumb(page: Page, site: Site | None) -> list[Page]:
    """The page's ancestors below the site root (the home is the first crumb)."""
    if site is None:
        return []
    return list(page.get_ancestors().filter(depth__gte=site.root_page.depth).order_by("depth"))


def contact_details(request: HttpRequest | None = None) -> ContactSettings:
    return ContactSettings.load(request_or_site=request)


def legal_pages(request: HttpRequest | None = None) -> dict[str, Page]:
    """The terms of use and the privacy notice, when editors have chosen them and they are live,
    in the reader's language when translated."""
    chosen = LegalSettings.load(request_or_site=request)
    pages = {}
    for name in ("terms_page", "privacy_page"):
        page = getattr(chosen, name)
        if page is not None:
            page = page.localized
            if page.live:
                pages[name.removesuffix("_page")] = page
    return pages


# --- page types and filters -----------------------------------------------------------------


def page_type_name(model: type[Page]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def page_types() -> dict[str, type[Page]]:
    """Every page model by its API name, lower-cased for lookup ("atlas_pages.articlepage")."""
    return {page_type_name(model).lower(): model for model in get_page_models()}


@dataclass
class PageFilters:
    types: list[str] = field(default_factory=list)
    rubric: int | None = None
    month: str | None = None
    theme: str | None = None
    country: str | None = None
    search: str | None = None
    ordering: str | None = None


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """ "2026-11" -> (1 Nov 2026, 30 Nov 2026); a clear field error otherwise."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.date(year, number, 1)
    except (TypeError, ValueError):
        raise InvalidFilter(_("Give the month as YYYY-MM, for example 2026-11."), field="month") from None
    return first, first.replace(day=calendar.monthrange(year, number)[1])


def in_subtree(root: Page) -> Q:
    """The page and its descendants, as a range on the materialised path: counted on the
    (live, path) index where ``descendant_of``'s LIKE reads every row."""
    upper = root.path[:-1] + chr(ord(root.path[-1]) + 1)
    return Q(path__gte=root.path, path__lt=upper)


def in_site(site: Site) -> Q:
    """The pages of the site in every language: below its home or one of the home's
    translations, judged in the query itself."""
    root = site.root_page
    homes = Page.objects.filter(
        translation_key=root.translation_key, depth=root.depth, path=Substr(OuterRef("path"), 1, len(root.path))
    )
    return Q(Exists(homes), depth__gte=root.depth)


def filtered_pages(site: Site | None, filters: PageFilters, *, subtree_as_range: bool = False) -> QuerySet[Page]:
    """Live pages of the site in the active language matching the filters (no search, no
    padlock: listing shows everything)."""
    home = home_of(site)
    if home is not None and subtree_as_range:
        queryset = Page.objects.live().filter(in_subtree(home))
    elif home is not None:
        queryset = Page.objects.live().descendant_of(home, inclusive=True)
    else:
        queryset = Page.objects.live().filter(depth__gt=1)
    if filters.types:
        known = page_types()
        models = []
        for name in filters.types:
            model = known.get(name.strip().lower())
            if model is None:
                raise InvalidFilter(
                    _("Unknown page type “%(type)s”; use app_label.ModelName, for example atlas_pages.ArticlePage.")
                    % {"type": name},
                    field="type",
                )
            models.append(model)
        queryset = queryset.type(*models)
    if filters.rubric is not None:
        rubric = RubricIndexPage.objects.filter(pk=filters.rubric).first()
        if rubric is None:
            raise InvalidFilter(_("No rubric has the id %(id)s.") % {"id": filters.rubric}, field="rubric")
        queryset = queryset.child_of(rubric)
    if filters.month:
        first, last = month_bounds(filters.month)
        queryset = queryset.filter(editorialpage__date__range=(first, last))
    if filters.theme:
        queryset = queryset.filter(editorialpage__themes__slug=filters.theme)
    if filters.country:
        queryset = queryset.filter(editorialpage__country=filters.country.upper())
    ordering = filters.ordering or DEFAULT_ORDERING
    if ordering not in ORDERINGS:
        raise InvalidFilter(
            _("Unknown ordering; use one of: %(choices)s.") % {"choices": ", ".join(ORDERINGS)}, field="ordering"
        )
    return queryset.order_by(*ORDERINGS[ordering])


#: Words of a search: letters and digits (any script). Quotes, operators and punctuation are
#: not search syntax here; lower case keeps FTS5's AND/OR/NOT/NEAR out of the query.
SEARCH_WORD = re.compile(r"\w+")
SEARCH_MAX_TERMS = 12


def search_terms(query: str) -> list[str]:
    return [word.lower() for word in SEARCH_WORD.findall(query or "")][:SEARCH_MAX_TERMS]


def search_page_ids(queryset: QuerySet[Page], query: str, reader: Reader) -> list[int]:
    """Matching page ids, the padlock respected: bodies count only where the reader may read.

    Wagtail search ranks every live page; of those, only the ones the reader may read and that
    pass the other filters are kept. Locked pages match on their title and teaser alone, with a
    plain word-by-word match, so a word of their body never finds them for an outsider.
    """
    terms = search_terms(query)
    if not terms:
        return []
    try:
        with transaction.atomic():  # a failing search must not break the request's transaction
            found = Page.objects.live().search(" ".join(terms), order_by_relevance=True)[: SEARCH_LIMIT * 2]
            ranked = [page.pk for page in found]
    except DatabaseError:
        logger.warning("Search failed for %r; answered by title and teaser only", terms, exc_info=True)
        ranked = []
    kept = set(readable(queryset.filter(pk__in=ranked), reader).values_list("pk", flat=True))
    ids = [pk for pk in ranked if pk in kept][:SEARCH_LIMIT]
    if reader.sees_everything:
        return ids
    locked = queryset.exclude(pk__in=readable(queryset, reader).values("pk"))
    for term in terms:
        locked = locked.filter(Q(title__icontains=term) | Q(editorialpage__teaser__icontains=term))
    seen = set(ids)
    ids += [pk for pk in locked.values_list("pk", flat=True)[:SEARCH_LIMIT] if pk not in seen]
    return ids


@dataclass
class PageRow:
    """A page as listings show it: a light page (enough for its URL and type), its editorial
    fields but never its body, its themes, and whether the padlock keeps the reader out."""

    page: Page
    locked: bool
    parent_id: int | None = None
    date: dt.date | None = None
    teaser: str = ""
    country: str = ""
    theme_slugs: list[str] = field(default_factory=list)
    language: str = ""  # what the text is written in: French on an English page not translated yet


@dataclass
class PageList:
    count: int
    rows: list[PageRow]


LISTING_FIELDS = (
    "id",
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "content_type_id",
    "first_published_at",
    "search_description",
    "locale_id",
    "translation_key",
    "alias_of_id",
    "live",
)
EDITORIAL_FIELDS = ("editorialpage__date", "editorialpage__teaser", "editorialpage__country")


def listing_rows(queryset: QuerySet[Page], reader: Reader) -> list[PageRow]:
    """The rows of a listing in four queries, whatever their number and their padlocks."""
    values = list(queryset.values(*LISTING_FIELDS, *EDITORIAL_FIELDS))
    pages = [Page(**{name: row[name] for name in LISTING_FIELDS}) for row in values]
    locked = locked_page_ids(pages, reader)
    parents = parent_ids(pages)
    themes = theme_slugs([page.pk for page in pages])
    return [
        PageRow(
            page=page,
            locked=page.pk in locked,
            parent_id=parents[page.pk],
            date=row["editorialpage__date"],
            teaser=row["editorialpage__teaser"]
            if row["editorialpage__teaser"] is not None
            else row["search_description"],
            country=row["editorialpage__country"] or "",
            theme_slugs=themes.get(page.pk, []),
        )
        for page, row in zip(pages, values, strict=True)
    ]


def theme_slugs(page_ids: list[int]) -> dict[int, list[str]]:
    through = EditorialPage.themes.through
    result: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(editorialpage_id__in=page_ids)
        .order_by("theme__position")
        .values_list("editorialpage_id", "theme__slug")
    )
    for page_id, slug in rows:
        result.setdefault(page_id, []).append(slug)
    return result


def list_pages(site: Site | None, filters: PageFilters, reader: Reader, limit: int, offset: int) -> PageList:
    """One page of the listing, each row flagged locked or not, in a constant number of queries."""
    queryset = filtered_pages(site, filters)
    if filters.search:
        ids = search_page_ids(queryset, filters.search, reader)
        window = ids[offset : offset + limit]
        by_id = {row.page.pk: row for row in listing_rows(Page.objects.filter(pk__in=window), reader)}
        return PageList(count=len(ids), rows=[by_id[pk] for pk in window if pk in by_id])
    # Rows: descendant_of's LIKE keeps the planner on the ordering index, which stops after
    # `limit` rows. Count: the same filters with the subtree as a path range, an index range scan.
    count = filtered_pages(site, filters, subtree_as_range=True).count()
    return PageList(count=count, rows=listing_rows(queryset[offset : offset + limit], reader))


def page_row(page: Page, reader: Reader) -> PageRow:
    """The listing row of one page already in hand (for detail answers)."""
    return _row(page, locked=is_locked(page, reader), parent_id=parent_ids([page])[page.pk])


def draft_row(page: Page, parent_id: int | None) -> PageRow:
    """The row of a draft being previewed (saved or not): its holder reads it whole."""
    return _row(page, locked=False, parent_id=parent_id)


def _row(page: Page, *, locked: bool, parent_id: int | None) -> PageRow:
    editorial = page if isinstance(page, EditorialPage) else None
    return PageRow(
        page=page,
        locked=locked,
        parent_id=parent_id,
        date=editorial.date if editorial else None,
        teaser=editorial.teaser if editorial else page.search_description,
        country=editorial.country if editorial else "",
        theme_slugs=[theme.slug for theme in editorial.themes.all()] if editorial else [],
    )


def find_page(site: Site | None, path: str, request: HttpRequest | None = None) -> Page:
    """The live page at this URL path on the site (as the front end would route it): a path
    starting with a language (``/en/…``) is in that language's tree, any other in French."""
    if site is None:
        raise NotFound()
    components = [component for component in unquote(path or "/").split("/") if component]
    language = components.pop(0) if components and components[0] in translations.other_languages() else None
    home = home_in(site, language or translations.default_language())
    try:
        page, _args, _kwargs = home.specific.route(request, components)
    except Exception as error:  # Http404 and friends: the path does not lead to a page
        raise NotFound() from error
    if not page.live:
        raise NotFound()
    return page


# --- rubrics and briefs ---------------------------------------------------------------------


@dataclass
class MonthGroup:
    month: dt.date
    rows: list[PageRow]


@dataclass
class RubricListing:
    months: list[MonthGroup]
    paginator_page: object
    month: str | None


def rubric_listing(rubric: RubricIndexPage, user, page_number=None, month: str | None = None) -> RubricListing:
    """A rubric's pages, newest first, grouped by month, paginated, each flagged locked or not."""
    reader = Reader.of(user)
    queryset = EditorialPage.objects.live().child_of(rubric).order_by("-date", "-first_published_at", "-pk")
    if month:
        try:
            first, last = month_bounds(month)
            queryset = queryset.filter(date__range=(first, last))
        except InvalidFilter:
            month = None
    queryset = queryset.defer("body").prefetch_related("themes")
    paginator = Paginator(queryset, rubric.per_page or 12)
    try:
        current = paginator.page(page_number or 1)
    except PageNotAnInteger:
        current = paginator.page(1)
    except EmptyPage:
        current = paginator.page(paginator.num_pages)
    pages = list(current.object_list)
    locked = locked_page_ids(pages, reader)
    languages = translations.written_in(pages)
    groups: OrderedDict[dt.date, list[PageRow]] = OrderedDict()
    for page in pages:
        row = PageRow(page=page, locked=page.pk in locked, language=languages[page.pk])
        groups.setdefault(page.date.replace(day=1), []).append(row)
    return RubricListing(
        months=[MonthGroup(month=key, rows=rows) for key, rows in groups.items()], paginator_page=current, month=month
    )


def group_brief(group_ids, limit: int = 10) -> QuerySet[ArticlePage]:
    """The latest live articles editors targeted to any of these groups, in the active
    language's site (an article not translated yet is there as its alias)."""
    queryset = ArticlePage.objects.live()
    locale = translations.locale_for()
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return (
        queryset.filter(target_groups__in=list(group_ids)).distinct().order_by("-date", "-first_published_at")[:limit]
    )


def live_page(site: Site | None, page_id: int) -> Page | None:
    """A live page of the site, in any language: below the site's home or one of its
    translations (judged in the same query)."""
    queryset = Page.objects.live().filter(pk=page_id, depth__gt=1)
    if site is not None:
        queryset = queryset.filter(in_site(site))
    page = queryset.first()
    return page.specific if page is not None else None


def parent_ids(pages: list[Page]) -> dict[int, int | None]:
    """Each page's parent id, in one query for all of them (read off the materialised paths)."""
    paths = {page.pk: page.path[: -Page.steplen] for page in pages}
    by_path = dict(Page.objects.filter(path__in=set(paths.values())).values_list("path", "pk"))
    return {pk: by_path.get(path) for pk, path in paths.items()}


# --- the home page ------------------------------------------------------------------------------


@dataclass
class Latest:
    """The latest page of a rubric, as the home page shows it."""

    rubric: RubricIndexPage
    page: EditorialPage
    locked: bool
    language: str = ""


def latest_by_rubric(home: Page, user) -> list[Latest]:
    """Each of the home's rubrics with its latest live page (three queries whatever the number
    of rubrics): their image, date and teaser, padlocked ones flagged."""
    from django.db.models import Subquery

    latest = (
        EditorialPage.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by("-date", "-first_published_at", "-pk")
        .values("pk")[:1]
    )
    rubrics = list(
        RubricIndexPage.objects.child_of(home)
        .live()
        .in_menu()
        .annotate(latest_id=Subquery(latest))
        .exclude(latest_id=None)
        .order_by("path")
    )
    pages = EditorialPage.objects.filter(pk__in=[rubric.latest_id for rubric in rubrics]).select_related("image")
    by_id = {page.pk: page for page in pages}
    locked = locked_page_ids(list(by_id.values()), Reader.of(user))
    languages = translations.written_in(list(by_id.values()))
    return [
        Latest(
            rubric=rubric,
            page=by_id[rubric.latest_id],
            locked=rubric.latest_id in locked,
            language=languages[rubric.latest_id],
        )
        for rubric in rubrics
        if rubric.latest_id in by_id
    ]


def home_brief(user, limit: int = 3) -> list[tuple[ArticlePage, bool]]:
    """A member's brief on the home page: the latest articles addressed to their groups."""
    if not getattr(user, "is_authenticated", False):
        return []
    reader = Reader.of(user)
    if not reader.group_ids:
        return []
    pages = list(group_brief(reader.group_ids, limit=limit))
    locked = locked_page_ids(pages, reader)
    return [(page, page.pk in locked) for page in pages]
