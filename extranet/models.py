from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.uploads import private_storage
from extranet.groups import LABELS


class ActorGroup(models.Model):
    """One of the nine groups of cooperation actors a member registers into."""

    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="actor_group", verbose_name=_("group"))
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("actor group")
        verbose_name_plural = _("actor groups")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The name in the active language (the Django group keeps the French one)."""
        return LABELS.get(self.slug, self.group.name)


class StaffDecision(models.Model):
    """Who decided a request that waits for staff, when, and why (sent to the member)."""

    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    class Meta:
        abstract = True


class MemberProfile(StaffDecision):
    """What a member told us at registration, and where staff's verification of it stands.

    Approval is kept apart from ``is_active`` and from e-mail verification: the e-mail is
    verified first, then the registration waits for staff, who approve or reject it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Civility(models.TextChoices):
        MADAME = "mme", _("Ms")
        MONSIEUR = "m", _("Mr")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile", verbose_name=_("user")
    )
    actor_group = models.ForeignKey(
        ActorGroup, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("group asked for")
    )
    civility = models.CharField(_("civility"), max_length=3, choices=Civility.choices, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255)
    organisation_code = models.CharField(
        _("organisation code"), max_length=20, blank=True, help_text=_("Official code of the local authority.")
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("For embassies: the country."))
    region = models.CharField(
        _("region"), max_length=3, blank=True, help_text=_("For prefectures: the INSEE code of the region.")
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    newsletter_opt_in = models.BooleanField(_("subscribes to the newsletter"), default=False)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    retention_warned_at = models.DateTimeField(
        _("warned of the deletion of the unused account at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.actor_group})"


class GroupChangeRequest(StaffDecision):
    """A member asks to change their affiliation: another actor group, organisation, official
    code, country or region. Staff verify it as they verified the registration, and only their
    approval changes the values that decide what the member may see."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_requests", verbose_name=_("member")
    )
    actor_group = models.ForeignKey(
        ActorGroup, on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("group asked for")
    )
    organisation = models.CharField(_("organisation asked for"), max_length=255, blank=True)
    organisation_code = models.CharField(_("official code asked for"), max_length=20, blank=True)
    country = models.CharField(_("country asked for"), max_length=2, blank=True)
    region = models.CharField(_("region asked for"), max_length=3, blank=True)
    motivation = models.TextField(_("motivation"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("affiliation change request")
        verbose_name_plural = _("affiliation change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_group_request_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} → {self.actor_group}"


class Bookmark(models.Model):
    """“Ajouter cet article à ma sélection”: a page in the member's selection, with a private note.

    The page may later be unpublished, deleted or padlocked away from the member: the bookmark
    stays, shown as unavailable under the title it had when it was added.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("member")
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("page")
    )
    title = models.CharField(_("title when added"), max_length=255)
    note = models.TextField(_("private note"), max_length=1000, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_bookmark_per_page_and_member"),
        ]

    def __str__(self) -> str:
        return self.title


class MapAlbum(models.Model):
    """An album of Atlas maps the member saved (“Enregistrer cette carte dans mon espace personnel”)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="map_albums", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("album of maps")
        verbose_name_plural = _("albums of maps")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_album_name_per_member")]

    def __str__(self) -> str:
        return self.name


class SavedMap(models.Model):
    """An Atlas map as the member saw it: the search's filters, the area shown and the zoom,
    everything needed to redraw it exactly (the markers come from the live Atlas)."""

    album = models.ForeignKey(MapAlbum, on_delete=models.CASCADE, related_name="maps", verbose_name=_("album"))
    title = models.CharField(_("title"), max_length=255)
    query = models.TextField(_("filters (query string)"), blank=True)
    view_bbox = models.CharField(_("area shown (west,south,east,north)"), max_length=100)
    zoom = models.PositiveSmallIntegerField(_("zoom"))
    project_count = models.PositiveIntegerField(_("number of projects when saved"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("saved map")
        verbose_name_plural = _("saved maps")

    def __str__(self) -> str:
        return self.title


class BriefReading(models.Model):
    """The member opened this article of their group's brief: it is no longer marked new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article read")
        verbose_name_plural = _("articles read")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="one_reading_per_page_and_member")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.page_id}"


class Notice(models.Model):
    """What the site told the member by e-mail, kept in their personal space (a dossier filed,
    an opinion asked, a decision…), so that nothing depends on the mailbox alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("member")
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class AtlasExport(models.Model):
    """A PDF of Atlas search results kept for a member (made in the background when large).

    The personal space owns it: the Atlas renders the PDF (``atlas_pages.atlas.pdf``); the
    table keeps the name it had when the Atlas kept it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Scope(models.TextChoices):
        COUNTRY = "country", _("By country")
        CONTINENT = "continent", _("By continent")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="atlas_exports", verbose_name=_("member")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    query = models.TextField(_("filters (query string)"), blank=True)
    scope = models.CharField(_("grouped"), max_length=10, choices=Scope.choices, default=Scope.COUNTRY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    project_count = models.PositiveIntegerField(_("number of projects"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("PDF"), upload_to="atlas-exports/%Y/%m/", storage=private_storage, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        db_table = "atlas_pages_atlasexport"
        ordering = ["-created_at"]
        verbose_name = _("Atlas PDF export")
        verbose_name_plural = _("Atlas PDF exports")

    def __str__(self) -> str:
        return self.title or f"Atlas {self.created_at:%Y-%m-%d}"


class SearchAlert(models.Model):
    """An Atlas search the member follows: at most once a week, an e-mail lists the projects
    added to the Atlas since the last one that match it, and the new Bourse-projets entries of
    its countries and themes (``extranet.alerts``)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search_alerts", verbose_name=_("member")
    )
    title = models.CharField(_("title"), max_length=255)
    query = models.TextField(_("filters (query string)"), blank=True)
    bourse = models.BooleanField(_("Bourse-projets entries too"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last e-mail"), null=True, blank=True)
    # What the member has been told of: projects up to this id (a project is only ever added,
    # with a higher id), and these Bourse-projets entries (published later than recorded).
    last_project_id = models.PositiveBigIntegerField(default=0, editable=False)
    bourse_told = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Atlas search alert")
        verbose_name_plural = _("Atlas search alerts")

    def __str__(self) -> str:
        return self.title


# The thematic spaces' models live with the rest of them in extranet/spaces/.
from extranet.spaces.models import (  # noqa: E402, F401
    Discussion,
    Following,
    Message,
    ModerationEntry,
    Report,
    SpaceDigest,
    SpaceIndexPage,
    SpacePage,
    Suspension,
)
