"""The events agenda: the CNCD's plenary sessions, the Assises de la coopération décentralisée,
webinars. Each event is a page with its dates, its place or online link, its registration link
and organiser, and an ``.ics`` file; the agenda lists the coming ones, keeps the past ones in
its archive, and publishes an iCalendar feed and an RSS feed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from atlas_pages.core.preview import FrontEndPreview
from atlas_pages.editorial.blocks import BodyBlock


class EventIndexPage(FrontEndPreview, RoutablePageMixin, Page):
    """“Agenda”: the coming events, the archive of past ones, and their feeds."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["atlas_pages.HomePage"]
    subpage_types = ["atlas_pages.EventPage"]
    max_count = 1
    template = "atlas_pages/event_index_page.html"
    api_fields = ["intro"]

    class Meta:
        verbose_name = _("events agenda")
        verbose_name_plural = _("events agendas")

    @path("")
    def index(self, request):
        return self.render(request)

    @path("archives/", name="archive")
    def archive(self, request):
        return self.render(request)

    @path("ical/", name="ical")
    def ical(self, request):
        from atlas_pages.editorial import event_services

        events = event_services.for_feeds(self)
        return ical_response(event_services.calendar(events, request, name=self.title), "agenda-cncd.ics")

    @path("rss/", name="rss")
    def rss(self, request):
        from atlas_pages.editorial.feeds import EventFeed

        return EventFeed(self, request)(request)

    def get_context(self, request, *args, **kwargs):
        from atlas_pages.editorial import event_services

        context = super().get_context(request, *args, **kwargs)
        match = getattr(request, "routable_resolver_match", None)
        archive = bool(match and match.url_name == "archive")
        context["archive"] = archive
        context["listing"] = event_services.listing(
            self, request.user, archive=archive, page_number=request.GET.get("page")
        )
        return context


class EventPage(FrontEndPreview, RoutablePageMixin, Page):
    """One event: when, where (a place, an online link, or both), who organises it and how to
    register; anyone adds it to their calendar with its ``.ics`` file."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary session of the CNCD")
        ASSISES = "assises", _("Assises de la coopération décentralisée")
        WEBINAR = "webinar", _("Webinar")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other event")

    kind = models.CharField(_("kind of event"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    place = models.CharField(_("place"), max_length=255, blank=True, help_text=_("The address, for an event on site."))
    online_url = models.URLField(_("online link"), blank=True, help_text=_("The link to follow it online."))
    registration_url = models.URLField(_("registration link"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=255)
    teaser = models.TextField(
        _("teaser"), max_length=600, help_text=_("Shown in the agenda, the feeds, the home page and the newsletter.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("programme"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("online_url"), FieldPanel("registration_url"), FieldPanel("organiser")],
            heading=_("Where and how"),
        ),
        FieldPanel("teaser"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("teaser"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("starts_at"),
    ]
    api_fields = [
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "online_url",
        "registration_url",
        "organiser",
        "teaser",
        "body",
    ]
    parent_page_types = ["atlas_pages.EventIndexPage"]
    subpage_types: list[str] = []
    template = "atlas_pages/event_page.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @path("")
    def index(self, request):
        return self.render(request)

    @path("ical/", name="ical")
    def ical(self, request):
        from atlas_pages.editorial import event_services

        return ical_response(event_services.calendar([self], request), f"{self.slug}.ics")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event ends after it starts.")
        if not (self.place or "").strip() and not (self.online_url or "").strip():
            errors["place"] = _("Give the place, the online link, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def days(self) -> int:
        """How many calendar days it spans (1 for a day's event)."""
        start, end = timezone.localtime(self.starts_at).date(), timezone.localtime(self.ends_at).date()
        return (end - start).days + 1 if end >= start else 1


def ical_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
