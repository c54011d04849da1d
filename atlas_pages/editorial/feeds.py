"""RSS and Atom feeds of a rubric: titles, dates and teasers only, so no padlocked body can leak."""

from django.contrib.syndication.views import Feed
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from atlas_pages.editorial.articles import EditorialPage, RubricIndexPage
from atlas_pages.editorial.padlock import ANONYMOUS, locked_page_ids

FEED_LENGTH = 30


class RubricFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, rubric: RubricIndexPage, request) -> None:
        super().__init__()
        self.rubric = rubric
        self.request = request
        self._locked: set[int] = set()

    def get_object(self, request, *args, **kwargs):
        return self.rubric

    def title(self, rubric):
        return _("%(rubric)s — CNCD à la carte") % {"rubric": rubric.title}

    def link(self, rubric):
        return rubric.get_url(self.request)

    def description(self, rubric):
        return rubric.intro

    def items(self, rubric):
        pages = list(
            EditorialPage.objects.live().child_of(rubric).order_by("-date", "-first_published_at")[:FEED_LENGTH]
        )
        # Feeds are read anonymously: anything under a padlock is announced as reserved.
        self._locked = locked_page_ids(pages, ANONYMOUS)
        return pages

    def item_title(self, page):
        if page.pk in self._locked:
            return _("%(title)s [reserved for members]") % {"title": page.title}
        return page.title

    def item_description(self, page):
        return page.teaser

    def item_link(self, page):
        return page.get_url(self.request)

    def item_pubdate(self, page):
        return page.first_published_at

    def item_categories(self, page):
        return [_("Reserved for members")] if page.pk in self._locked else []


class RubricAtomFeed(RubricFeed):
    feed_type = Atom1Feed
    subtitle = RubricFeed.description


class EventFeed(Feed):
    """The agenda's RSS: the coming events and those of the last months, with their dates."""

    feed_type = Rss201rev2Feed

    def __init__(self, agenda, request) -> None:
        super().__init__()
        self.agenda = agenda
        self.request = request

    def get_object(self, request, *args, **kwargs):
        return self.agenda

    def title(self, agenda):
        return _("%(rubric)s — CNCD à la carte") % {"rubric": agenda.title}

    def link(self, agenda):
        return agenda.get_url(self.request)

    def description(self, agenda):
        return agenda.intro

    def items(self, agenda):
        from atlas_pages.editorial import event_services

        return event_services.for_feeds(agenda)

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        when = formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
        where = event.place or _("online")
        return f"{when} — {where}. {event.teaser}"

    def item_link(self, event):
        return event.get_url(self.request)

    def item_pubdate(self, event):
        return event.first_published_at

    def item_categories(self, event):
        return [str(event.get_kind_display())]
