"""Site and pages API: member-aware, the padlock applied in a constant number of queries."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from wagtail.models import Locale, Page

from atlas_pages.core import preview
from atlas_pages.core.auth import any_caller
from atlas_pages.core.countries import country_name
from atlas_pages.core.exceptions import NotFound
from atlas_pages.core.http_cache import cached_answer
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from atlas_pages.core.themes import LABELS as THEME_LABELS
from atlas_pages.editorial import services, translations
from atlas_pages.editorial.padlock import Reader, refusal_status
from atlas_pages.editorial.representation import page_fields

router = Router(tags=["pages"])


def reader_key(request: HttpRequest) -> str:
    """What this caller may read: "" for anonymous visitors (their answers are public)."""
    reader = Reader.of(request.user)
    if not reader.is_authenticated:
        return ""
    return "staff" if reader.sees_everything else "groups:" + ",".join(str(pk) for pk in sorted(reader.group_ids))


PAGES_CACHE = cached_answer(services.pages_version, caller=reader_key)


class MenuItemOut(Schema):
    id: int
    title: str
    url: str


class SiteContactOut(Schema):
    organisation: str
    department: str
    address: str
    phone: str
    fax: str
    email: str


class SiteOut(Schema):
    name: str
    language: str
    navigation: list[MenuItemOut]
    contact: SiteContactOut


class ThemeOut(Schema):
    slug: str
    name: str


class SiteCountryOut(Schema):
    code: str
    name: str


class PageTranslationOut(Schema):
    locale: str = Field(description="Language code of this version's site: fr (the source) or en")
    id: int
    title: str
    url: str
    translated: bool = Field(description="False while the page is not translated: its text is the French page's")


class PageSummaryOut(Schema):
    id: int
    type: str = Field(description="app_label.ModelName, as in Wagtail's APIs")
    title: str
    slug: str
    url: str
    parent_id: int | None
    date: dt.date | None
    first_published_at: dt.datetime | None
    teaser: str = Field(description="Public summary: shown to everyone, padlock or not")
    locked: bool = Field(description="True when the caller may not read the body")
    country: SiteCountryOut | None
    themes: list[ThemeOut]
    locale: str = Field(description="Language code of the site the page belongs to: fr, or en under /en/")
    translated: bool = Field(
        description="False for a page of the English site not translated yet: its title, teaser and body are "
        "the French page's (written_in says so), and front ends should say it"
    )
    written_in: str = Field(description="Language code of the page's text (its lang attribute)")
    translations: list[PageTranslationOut] = Field(
        description="Every published language version of the page, this one included"
    )


class PageListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PageSummaryOut]


class PageDetailOut(PageSummaryOut):
    fields: dict[str, Any] = Field(description="Every field of the page type (StreamField as JSON, rich text as HTML)")


class PreviewOut(PageDetailOut):
    id: int | None = Field(description="None for a page not saved yet")  # type: ignore[assignment]
    draft: bool = Field(True, description="Always true: this is the draft, not what is published")


class LockedPageOut(Schema):
    detail: str
    page: PageSummaryOut


class ErrorOut(Schema):
    detail: Any


LOCALE_DESCRIPTION = (
    "Language of the answer: fr (the default, the source) or en. Without it, Accept-Language decides. "
    "Listings and the site's navigation are those of this language's site; a page asked by id or path "
    "is the one asked, and its translations are listed."
)


class LocaleQuery(InputSchema):
    locale: Literal["fr", "en"] | None = Field(None, description=LOCALE_DESCRIPTION)


class PageListQuery(LocaleQuery):
    type: str | None = Field(None, description="Comma-separated app_label.ModelName, e.g. atlas_pages.ArticlePage")
    rubric: int | None = Field(None, description="Id of a rubric: its pages only")
    month: str | None = Field(None, description="YYYY-MM, on the editorial date", pattern=r"^\d{4}-\d{2}$")
    theme: str | None = Field(None, description="Theme slug")
    country: str | None = Field(None, description="ISO 3166 alpha-2 code", min_length=2, max_length=2)
    search: str | None = Field(None, max_length=200)
    ordering: str | None = Field(
        None, description="date, -date, title, -title, first_published_at, -first_published_at"
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000_000)


def summary(row: services.PageRow, request: HttpRequest, languages: translations.Languages) -> PageSummaryOut:
    return PageSummaryOut(**summary_fields(row, request, languages))


def summary_fields(row: services.PageRow, request: HttpRequest, languages: translations.Languages) -> dict[str, Any]:
    page = row.page
    locale = languages.locale_of(page)
    written_in = languages.written_in.get(page.pk, locale)
    return {
        "id": page.pk,
        "type": services.page_type_name(page.specific_class or type(page)),
        "title": page.title,
        "slug": page.slug,
        "url": page.get_url(request) or "",
        "parent_id": row.parent_id,
        "date": row.date,
        "first_published_at": page.first_published_at,
        "teaser": row.teaser or "",
        "locked": row.locked,
        "country": SiteCountryOut(code=row.country, name=country_name(row.country)) if row.country else None,
        "themes": [ThemeOut(slug=slug, name=str(THEME_LABELS.get(slug, slug))) for slug in row.theme_slugs],
        "locale": locale,
        "translated": written_in == locale,
        "written_in": written_in,
        "translations": [
            PageTranslationOut(
                locale=version.language,
                id=version.id,
                title=version.title,
                url=version.url,
                translated=version.translated,
            )
            for version in languages.translations.get(page.pk, [])
        ],
    }


def detail_response(request: HttpRequest, page: Page):
    reader = Reader.of(request.user)
    row = services.page_row(page, reader)
    languages = translations.languages_of([page], request)
    if row.locked:
        status = refusal_status(reader)
        message = (
            _("This page is reserved for members: log in to read it.")
            if status == 401
            else _("This page is reserved for other groups of members.")
        )
        return Status(status, LockedPageOut(detail=message, page=summary(row, request, languages)))
    fields = page_fields(page, request)
    return Status(200, PageDetailOut(**summary(row, request, languages).dict(), fields=fields))


@router.get("/site/", response=SiteOut, summary="Site name, main navigation and contact", auth=None)
@decorate_view(PAGES_CACHE)
def site(request: HttpRequest, language: Query[LocaleQuery]):
    """What a front end needs to draw the header and the footer."""
    current_site = services.site_for(request)
    contact = services.contact_details(request)
    return SiteOut(
        name=current_site.site_name if current_site and current_site.site_name else "CNCD à la carte",
        language=request.LANGUAGE_CODE,
        navigation=[
            MenuItemOut(id=page.pk, title=page.title, url=page.get_url(request) or "")
            for page in services.main_menu(current_site)
        ],
        contact=SiteContactOut(
            organisation=contact.organisation,
            department=contact.department,
            address=contact.address,
            phone=contact.phone,
            fax=contact.fax,
            email=contact.email,
        ),
    )


@router.get("/pages/", response=PageListOut, summary="List pages (padlocked ones flagged)", auth=any_caller)
@decorate_view(PAGES_CACHE)
def list_pages(request: HttpRequest, query: Query[PageListQuery]):
    """Every live page, padlocked ones included with ``locked: true`` and their teaser only."""
    filters = services.PageFilters(
        types=[name for name in (query.type or "").split(",") if name.strip()],
        rubric=query.rubric,
        month=query.month,
        theme=query.theme,
        country=query.country,
        search=query.search,
        ordering=query.ordering,
    )
    result = services.list_pages(
        services.site_for(request), filters, Reader.of(request.user), query.limit, query.offset
    )
    languages = translations.languages_of([row.page for row in result.rows], request)
    return PageListOut(
        count=result.count,
        limit=query.limit,
        offset=query.offset,
        items=[summary(row, request, languages) for row in result.rows],
    )


@router.get(
    "/pages/preview/",
    response={200: PreviewOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The draft an editor is previewing (for the holder of the preview token)",
    auth=None,
)
def preview_page(
    request: HttpRequest,
    response: HttpResponse,
    content_type: str = Query(..., max_length=100, description="app_label.model, as in the preview address"),
    token: str = Query(..., max_length=255, description="The token of the preview address"),
):
    """What the Wagtail admin's Preview sends the front end to: its preview address gets
    ``?content_type=&token=`` and asks this with them. The token is signed and short-lived
    (``CNCD_PREVIEW_MAX_AGE``); a forged or expired one gets 403, a deleted preview 404. The draft
    is served whole, padlock or not, to the token's holder only, and is never cached."""
    add_never_cache_headers(response)
    found = preview.draft(content_type, token)
    page = found.page
    languages = translations.languages_of([page] if page.pk else [], request)
    return PreviewOut(
        **summary_fields(services.draft_row(page, found.parent_id), request, languages),
        fields=page_fields(page, request),
    )


@router.get(
    "/pages/find/",
    response={200: PageDetailOut, 401: LockedPageOut, 403: LockedPageOut, 404: ErrorOut},
    summary="Find a page by its URL path",
    auth=any_caller,
)
@decorate_view(PAGES_CACHE)
def find_page(request: HttpRequest, language: Query[LocaleQuery], path: str = Query("/", max_length=2048)):
    return detail_response(request, services.find_page(services.site_for(request), path, request))


@router.get(
    "/pages/{int:page_id}/",
    response={200: PageDetailOut, 401: LockedPageOut, 403: LockedPageOut, 404: ErrorOut},
    summary="One page with all its fields",
    auth=any_caller,
)
@decorate_view(PAGES_CACHE)
def get_page(request: HttpRequest, page_id: int, language: Query[LocaleQuery]):
    """The body goes only to callers the padlock admits: 401 when anonymous, 403 for another group."""
    page = services.live_page(services.site_for(request), page_id)
    if page is None:
        raise NotFound()
    return detail_response(request, page)


# --- the events agenda --------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    url: str
    kind: str = Field(description="plenary, assises, webinar, meeting or other")
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str = Field(description="The address; empty for an event online only")
    online_url: str
    registration_url: str
    organiser: str
    teaser: str
    ical_url: str = Field(description="The event's iCalendar (.ics) file")
    past: bool


class EventListOut(Schema):
    count: int
    items: list[EventOut]
    ical_url: str = Field(description="The agenda's iCalendar feed (coming events and those of the last months)")
    rss_url: str


class EventQuery(InputSchema):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="The coming events (soonest first) or the archive"
    )


@router.get("/events/", response=EventListOut, summary="The events agenda", auth=any_caller)
def list_events(request: HttpRequest, query: Query[EventQuery], paging: Query[Paging]):
    """CNCD plenary sessions, the Assises, webinars: the coming ones or the archive, with their
    links to register and to add them to a calendar."""
    from atlas_pages.editorial import event_services
    from atlas_pages.editorial.events import EventIndexPage

    events = event_services.past() if query.when == "past" else event_services.upcoming()
    chosen = event_services.visible(list(events[paging.offset : paging.offset + paging.limit]), request.user)
    agenda = EventIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    base = agenda.get_full_url(request) if agenda else ""
    return {
        "count": events.count(),
        "items": [
            {
                "id": event.pk,
                "title": event.title,
                "url": event.get_full_url(request) or "",
                "kind": event.kind,
                "kind_label": str(event.get_kind_display()),
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "place": event.place,
                "online_url": event.online_url,
                "registration_url": event.registration_url,
                "organiser": event.organiser,
                "teaser": event.teaser,
                "ical_url": f"{event.get_full_url(request)}ical/",
                "past": event.is_past,
            }
            for event in chosen
        ],
        "ical_url": f"{base}ical/" if base else "",
        "rss_url": f"{base}rss/" if base else "",
    }
