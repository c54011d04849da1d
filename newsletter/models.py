"""The monthly “Lettre d'information de la coopération décentralisée”: subscriptions with their
consent, the issues composed in Wagtail, and each delivery of an issue to a subscriber.

A subscription is one e-mail address (a member's is tied to their account); its state says
whether it may be sent to: only ``confirmed`` ones are. A delivery is unique per issue and
subscription, which is what keeps a resumed sending from writing to anyone twice.
"""

import secrets

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from atlas_pages.models import RubricIndexPage

RUBRICS = RubricIndexPage.Kind
CONSENT_TEXT_VERSION = "2026-11"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained (spam)")

    class Source(models.TextChoices):
        MEMBER_SPACE = "member_space", _("Personal space")
        PUBLIC_FORM = "public_form", _("Public form")
        IMPORT = "import", _("Import")
        API = "api", _("API")

    email = models.EmailField(_("e-mail address"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscription",
        verbose_name=_("member"),
    )
    group = models.CharField(_("actor group"), max_length=40, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    rubrics = models.JSONField(_("rubrics"), default=list, blank=True, help_text=_("Empty: every rubric."))
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(_("consent given by"), max_length=255, blank=True)
    consent_text_version = models.CharField(_("version of the consent text"), max_length=20, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced or complained at"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # Changed at each confirmation asked: an older confirmation link no longer confirms.
    confirm_nonce = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def reachable(self) -> bool:
        return self.state == self.State.CONFIRMED


class NewsletterIndexPage(Page):
    """The public archive of the letter: every issue sent, newest first."""

    # Not mirrored on the English site (README, “Content in two languages”).
    cncd_english_alias = False

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["atlas_pages.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1
    template = "newsletter/index_page.html"

    class Meta:
        verbose_name = _("newsletter archive")
        verbose_name_plural = _("newsletter archives")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = NewsletterIssuePage.objects.child_of(self).live().order_by("-issue_date", "-pk")
        return context


class PageItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        label=_("page"),
        page_type=[
            "atlas_pages.TestimonyPage",
            "atlas_pages.CountryZoomPage",
            "atlas_pages.GoodPracticePage",
            "atlas_pages.ArticlePage",
        ],
    )
    heading = blocks.CharBlock(label=_("heading (the page's title if empty)"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Rubric page")


class FreeTextBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=255)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])
    image = ImageChooserBlock(label=_("image"), required=False)
    link_url = blocks.URLBlock(label=_("link"), required=False)
    link_text = blocks.CharBlock(label=_("text of the link"), required=False, max_length=100)

    class Meta:
        icon = "pilcrow"
        label = _("Free block")


class NewsletterIssuePage(Page):
    """One month's letter: its subject and preheader, an editorial, then the month's rubric
    pages (pre-filled, reorderable) and free blocks. Padlocked pages appear as their teaser."""

    # Not mirrored on the English site (README, “Content in two languages”).
    cncd_english_alias = False

    issue_date = models.DateField(_("month of the issue"), default=timezone.localdate)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("Sent to the subscribers who read this language."),
    )
    subject = models.CharField(_("subject of the e-mail"), max_length=150)
    preheader = models.CharField(
        _("preheader"), max_length=150, blank=True, help_text=_("The line mail clients show after the subject.")
    )
    editorial = RichTextField(_("editorial"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    items = StreamField(
        [("page", PageItemBlock()), ("free", FreeTextBlock())], verbose_name=_("items"), blank=True, use_json_field=True
    )
    send_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("Leave empty and use “Send” in the issue's screen.")
    )
    target_groups = ParentalManyToManyField(
        "extranet.ActorGroup",
        blank=True,
        related_name="+",
        verbose_name=_("sent to the actor groups"),
        help_text=_(
            "None ticked: every subscriber. Ticked: only the members of these groups, and the subscribers "
            "recorded in them at their import."
        ),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("language")]),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("preheader")], heading=_("E-mail")),
        FieldPanel("editorial"),
        FieldPanel("items"),
        MultiFieldPanel(
            [FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple), FieldPanel("send_at")],
            heading=_("Sending"),
        ),
    ]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []
    preview_modes = [("", _("Web page")), ("email", _("E-mail"))]

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not args and self.pk is None and "items" not in kwargs:
            from newsletter.composition import month_items

            self.items = month_items(self.issue_date)

    def serve(self, request, *args, **kwargs):
        from newsletter.rendering import web_response

        return web_response(self, request)

    def serve_preview(self, request, mode_name):
        from newsletter.rendering import preview_response

        return preview_response(self, request, mode_name)


class Sending(models.Model):
    """The sending of an issue: its progress, and whether it runs."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Sending")
        FINISHED = "finished", _("Finished")

    issue = models.OneToOneField(NewsletterIssuePage, on_delete=models.CASCADE, related_name="sending")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")

    def __str__(self) -> str:
        return f"{self.issue} — {self.get_state_display()}"


class Delivery(models.Model):
    """One issue to one subscriber. ``sending`` while a worker holds it: a crash leaves at most
    one such row in doubt per worker, which is never sent again (see ``sending.recover``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    sending = models.ForeignKey(Sending, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    chunk = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sending", "subscription"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["sending", "state", "id"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.sending_id} → {self.subscription_id} ({self.state})"
