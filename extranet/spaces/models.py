"""Thematic spaces: where members share experience between themselves ("Tourisme responsable",
"Eau et assainissement"…). Editors create each space as a page of the site and choose who sees it
with Wagtail's own privacy setting (public, logged-in members, or some groups): the padlock of the
editorial pages (``atlas_pages.editorial.padlock``) is then the one rule for the space and all
that is written in it, on every channel. Members open discussions and reply in plain text;
moderators hide or edit a message and suspend a member from a space, each act logged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from atlas_pages.core.preview import FrontEndPreview

TITLE_MAX, TEXT_MAX, REASON_MAX = 200, 10000, 1000


class SpaceIndexPage(FrontEndPreview, Page):
    """“Espaces thématiques”: the spaces under it, those the reader may not enter shown with the padlock."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["extranet.SpacePage"]
    max_count = 1
    template = "extranet/spaces/space_index_page.html"

    class Meta:
        verbose_name = _("thematic spaces")
        verbose_name_plural = _("thematic spaces")

    def get_context(self, request, *args, **kwargs):
        from extranet.spaces import services

        context = super().get_context(request, *args, **kwargs)
        context["spaces"] = services.space_rows(request.user, self)
        return context


class SpacePage(RoutablePageMixin, FrontEndPreview, Page):
    """One thematic space. Who sees it is the page's privacy (the padlock on the toolbar): public,
    logged-in members, or the members of some groups."""

    teaser = models.TextField(
        _("description"),
        max_length=600,
        help_text=_("Shown in the list of spaces, also to those the space is not open to."),
    )
    rules = RichTextField(
        _("rules of the space"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("What is discussed here and how; shown above the discussions."),
    )

    content_panels = Page.content_panels + [FieldPanel("teaser"), FieldPanel("rules")]
    search_fields = Page.search_fields + [index.SearchField("teaser")]
    parent_page_types = ["extranet.SpaceIndexPage"]
    subpage_types: list[str] = []
    template = "extranet/spaces/space_page.html"
    #: What the padlock shows those the space is not open to (``apply_padlock``).
    locked_template = "extranet/spaces/locked_space.html"

    class Meta:
        verbose_name = _("thematic space")
        verbose_name_plural = _("thematic spaces")

    @path("")
    def discussions_view(self, request):
        from extranet.spaces import views

        return views.space(request, self)

    @path("discussions/<int:discussion_id>/")
    def discussion_view(self, request, discussion_id: int):
        from extranet.spaces import views

        return views.discussion(request, self, discussion_id)

    @path("rss/")
    def feed_view(self, request):
        from extranet.spaces import views

        return views.feed(request, self)


class Discussion(models.Model):
    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="discussions", verbose_name=_("space"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="space_discussions",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    last_message_at = models.DateTimeField(_("last message at"), db_index=True)
    message_count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        permissions = [("moderate_spaces", _("Can moderate the thematic spaces"))]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """Plain text as the member typed it: escaped wherever it is shown."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="messages", verbose_name=_("discussion")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="space_messages",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("signed"), max_length=255, help_text=_("Name and organisation when posted."))
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited by the moderators at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    """A member tells the moderators a message breaks the rules."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports", verbose_name=_("message"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_reports", verbose_name=_("reported by")
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="one_report_per_member")]

    def __str__(self) -> str:
        return self.reason[:60]


class Suspension(models.Model):
    """A member may not write in a space until ``until`` (or until lifted)."""

    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="suspensions", verbose_name=_("space"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_suspensions", verbose_name=_("member")
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    created_at = models.DateTimeField(_("suspended at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.member} — {self.space}"


class ModerationEntry(models.Model):
    """The moderation log: who did what, to which message or member, why; never changed."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Message hidden")
        SHOW = "show", _("Message shown again")
        EDIT = "edit", _("Message edited")
        SUSPEND = "suspend", _("Member suspended")
        LIFT = "lift", _("Suspension lifted")
        DISMISS = "dismiss", _("Reports dismissed")

    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("space"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("moderator")
    )
    moderator_name = models.CharField(_("moderator"), max_length=255)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("message")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member_name = models.CharField(_("member"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    previous_text = models.TextField(_("text before the edit"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation act")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.moderator_name}"


class Following(models.Model):
    """A member follows a space (told of new discussions) or a discussion (told of replies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_followings", verbose_name=_("member")
    )
    space = models.ForeignKey(
        SpacePage, on_delete=models.CASCADE, null=True, blank=True, related_name="followings", verbose_name=_("space")
    )
    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followings",
        verbose_name=_("discussion"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("following")
        verbose_name_plural = _("followings")
        constraints = [
            models.UniqueConstraint(fields=["user", "space"], name="follow_space_once"),
            models.UniqueConstraint(fields=["user", "discussion"], name="follow_discussion_once"),
            models.CheckConstraint(
                condition=models.Q(space__isnull=True) ^ models.Q(discussion__isnull=True), name="follows_one_thing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space or self.discussion}"


class SpaceDigest(models.Model):
    """The member's weekly e-mail of what is new where they follow: on until they stop it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_digest", verbose_name=_("member")
    )
    active = models.BooleanField(_("weekly e-mail"), default=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest of the spaces")
        verbose_name_plural = _("weekly digests of the spaces")

    def __str__(self) -> str:
        return str(self.user)
