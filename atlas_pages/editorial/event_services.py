"""What the agenda does (``events.py`` holds its pages): the coming events and the archive, the
next ones for the home page, the newsletter and the API, and the iCalendar files."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from wagtail.models import Locale

from atlas_pages.editorial.events import EventIndexPage, EventPage
from atlas_pages.editorial.padlock import Reader, locked_page_ids

PER_PAGE = 12
#: How long past events stay in the iCalendar and RSS feeds (calendars keep what they showed).
FEED_PAST_DAYS = 180


def _live(index: EventIndexPage | None = None) -> QuerySet[EventPage]:
    """Live events of this agenda, or of the agenda in the reader's language (each event has its
    alias on the English site until it is translated)."""
    events = EventPage.objects.live()
    return events.child_of(index) if index is not None else events.filter(locale=Locale.get_active())


def upcoming(index: EventIndexPage | None = None) -> QuerySet[EventPage]:
    """Events not over yet, the soonest first."""
    return _live(index).filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")


def past(index: EventIndexPage | None = None) -> QuerySet[EventPage]:
    """The archive: events over, the latest first."""
    return _live(index).filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")


def visible(events: list[EventPage], user) -> list[EventPage]:
    """The events a padlock does not keep from this reader (``None``: anyone)."""
    locked = locked_page_ids(events, Reader.of(user))
    return [event for event in events if event.pk not in locked]


def agenda() -> EventIndexPage | None:
    """The agenda of the reader's language."""
    return EventIndexPage.objects.live().filter(locale=Locale.get_active()).first()


def next_events(user, limit: int = 3) -> list[EventPage]:
    """The next events the reader may open (``None``: anyone): the home page, the newsletter."""
    return visible(list(upcoming()[: limit * 2]), user)[:limit]


@dataclass
class Listing:
    page: PaginatorPage
    archive: bool


def listing(index: EventIndexPage, user, *, archive: bool, page_number=None) -> Listing:
    """The coming events, or the archive, a page at a time."""
    events = past(index) if archive else upcoming(index)
    page = Paginator(events, PER_PAGE).get_page(page_number)
    page.object_list = visible(list(page.object_list), user)
    return Listing(page=page, archive=archive)


def for_feeds(index: EventIndexPage) -> list[EventPage]:
    """What the feeds carry (read anonymously): the coming events and those of the last months."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    return visible(list(_live(index).filter(ends_at__gte=since).order_by("starts_at", "pk")[:200]), None)


def calendar(events: list[EventPage], request, name: str = "") -> bytes:
    """An iCalendar (RFC 5545) of the events: what calendars import and subscribe to."""
    cal = Calendar()
    cal.add("prodid", "-//CNCD à la carte//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    host = request.get_host().split(":")[0] if request is not None else "cncd"
    for item in events:
        event = Event()
        url = item.get_full_url(request)
        event.add("uid", f"event-{item.pk}@{host}")
        event.add("dtstamp", item.last_published_at or timezone.now())
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        lines = [item.teaser, _("Organised by %(organiser)s.") % {"organiser": item.organiser}]
        if item.online_url:
            lines.append(_("Online: %(url)s") % {"url": item.online_url})
        if item.registration_url:
            lines.append(_("Registration: %(url)s") % {"url": item.registration_url})
        event.add("description", "\n".join(lines))
        event.add("location", item.place or item.online_url)
        event.add("categories", [str(item.get_kind_display())])
        if url:
            event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()
