"""What an issue holds: the month's latest page of each rubric, and the items as they are shown
(a padlocked page gives its teaser and “réservé aux membres”, never its body)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.models import Page

from atlas_pages.core.links import site_url
from atlas_pages.editorial import translations
from atlas_pages.editorial.padlock import ANONYMOUS, locked_page_ids
from atlas_pages.models import ArticlePage, CountryZoomPage, GoodPracticePage, RubricIndexPage, TestimonyPage

# The rubric each kind of page belongs to, in the letter's order.
MONTH_TYPES = [
    (TestimonyPage, RubricIndexPage.Kind.TESTIMONIES),
    (CountryZoomPage, RubricIndexPage.Kind.COUNTRY_ZOOMS),
    (GoodPracticePage, RubricIndexPage.Kind.GOOD_PRACTICES),
    (ArticlePage, RubricIndexPage.Kind.NEWS),
]


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def month_items(day: dt.date) -> list[tuple[str, dict]]:
    """The latest live page of each rubric dated in ``day``'s month (four queries), French
    pages: an issue in English shows their English versions (``items``)."""
    first, following = month_bounds(day or dt.date.today())
    source = translations.locale_for(translations.default_language())
    items = []
    for model, _kind in MONTH_TYPES:
        queryset = model.objects.live()
        if source is not None:
            queryset = queryset.filter(locale=source)
        page = (
            queryset.filter(date__gte=first, date__lt=following).order_by("-date", "-first_published_at", "-pk").first()
        )
        if page is not None:
            items.append(("page", {"page": page, "heading": ""}))
    return items


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://", "mailto:")):
        return url
    return site_url(url)


@dataclass
class Item:
    kind: str  # "page" or "free"
    heading: str
    text: str  # plain text (a page's teaser) or rich-text HTML (a free block)
    url: str = ""
    link_text: str = ""
    image_url: str = ""
    rubric: str = ""
    reserved: bool = False
    language: str = ""  # of the text, when it is not the issue's (a page not translated yet)


def _image_url(image) -> str:
    if image is None:
        return ""
    return absolute(image.get_rendition("fill-1200x630").url)


def items(issue) -> list[Item]:
    """The issue's items in order, as every recipient reads them."""
    pages = [block.value["page"] for block in issue.items if block.block_type == "page" and block.value["page"]]
    shown = _versions_in(pages, issue.language or translations.default_language())
    specific = {page.pk: page for page in Page.objects.filter(pk__in=set(shown.values())).live().specific()}
    locked = locked_page_ids(list(specific.values()), ANONYMOUS)
    written_in = translations.written_in(list(specific.values()))
    rubric_of = dict(
        RubricIndexPage.objects.filter(
            path__in={page.path[: (page.depth - 1) * Page.steplen] for page in specific.values()}
        ).values_list("path", "kind")
    )
    result = []
    for block in issue.items:
        if block.block_type == "page":
            page = specific.get(shown.get(block.value["page"].pk)) if block.value["page"] else None
            if page is None:  # unpublished or deleted since: left out
                continue
            kind = rubric_of.get(page.path[: (page.depth - 1) * Page.steplen], "")
            result.append(
                Item(
                    kind="page",
                    heading=block.value["heading"] or page.title,
                    text=strip_tags(getattr(page, "teaser", "") or ""),
                    url=absolute(page.get_url()),
                    image_url=_image_url(getattr(page, "portrait", None) or getattr(page, "image", None)),
                    rubric=str(RubricIndexPage.Kind(kind).label) if kind in RubricIndexPage.Kind.values else "",
                    reserved=page.pk in locked,
                    language=written_in[page.pk] if written_in[page.pk] != issue.language else "",
                )
            )
        else:
            value = block.value
            result.append(
                Item(
                    kind="free",
                    heading=value["heading"],
                    text=str(value["text"]),
                    url=value["link_url"] or "",
                    link_text=value["link_text"] or "",
                    image_url=_image_url(value["image"]),
                )
            )
    return result


def _versions_in(pages: list[Page], language: str) -> dict[int, int]:
    """For each page chosen, the id of its live version in the issue's language (its
    translation, or its alias there), else its own: one query."""
    locale = translations.locale_for(language)
    shown = {page.pk: page.pk for page in pages}
    if locale is None:
        return shown
    versions = dict(
        Page.objects.live()
        .filter(translation_key__in={page.translation_key for page in pages}, locale=locale)
        .values_list("translation_key", "pk")
    )
    for page in pages:
        if page.translation_key in versions:
            shown[page.pk] = versions[page.translation_key]
    return shown


def rubrics_of(issue) -> set[str]:
    """The rubrics the issue's pages belong to (for the subscribers' preferences)."""
    pages = [block.value["page"] for block in issue.items if block.block_type == "page" and block.value["page"]]
    parents = {page.path[: (page.depth - 1) * Page.steplen] for page in pages}
    return set(RubricIndexPage.objects.filter(path__in=parents).values_list("kind", flat=True))


#: How many of the agenda's next events an issue announces.
EVENTS_IN_AN_ISSUE = 5


def events(issue) -> list:
    """The agenda's next events (those anyone may open), announced at the end of the issue."""
    from atlas_pages.editorial import event_services

    return event_services.next_events(None, EVENTS_IN_AN_ISSUE)


#: How many discussions of the thematic spaces an issue announces, and from how far back.
DISCUSSIONS_IN_AN_ISSUE = 5
DISCUSSIONS_SINCE = dt.timedelta(days=31)


def discussions(issue) -> list:
    """The discussions opened in the last month in the thematic spaces open to the public: the
    letter goes to anyone, so a space kept for members or groups never appears in it."""
    from django.utils import timezone

    from extranet.spaces import services as spaces

    return spaces.public_discussions(timezone.now() - DISCUSSIONS_SINCE, DISCUSSIONS_IN_AN_ISSUE)
