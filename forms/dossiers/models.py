"""Teleprocedures: calls for projects and the co-financing dossiers local authorities file.

A call is a Wagtail page (editors write its rules, staff publish it); a dossier follows the
life cycle of démarches-simplifiées: draft → filed → under review → accepted / refused /
closed without action, with a way back for correction. Every change goes into the dossier's
history, whose entries are chained by hashes so that an edit of the past shows.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from atlas_pages.core.preview import FrontEndPreview
from atlas_pages.core.uploads import private_storage
from atlas_pages.editorial.blocks import BodyBlock


class CallForProjectsIndexPage(FrontEndPreview, Page):
    """“Appels à projets”: the calls, open ones first."""

    # Not mirrored on the English site (README, “Content in two languages”).
    cncd_english_alias = False

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cncd_forms.CallForProjectsPage"]
    max_count = 1
    template = "cncd_forms/call_index_page.html"

    class Meta:
        verbose_name = _("calls for projects")
        verbose_name_plural = _("calls for projects (index)")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["calls"] = CallForProjectsPage.objects.child_of(self).live().order_by("-closes_at")
        return context


class CallForProjectsPage(FrontEndPreview, Page):
    """An annual or triennial call for projects: rules, dates, envelope, what is eligible and
    which opinions each dossier needs. Local authorities file their dossiers while it is open."""

    # Not mirrored on the English site (README, “Content in two languages”).
    cncd_english_alias = False

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        TRIENNIAL = "triennial", _("Triennial")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UPCOMING = "upcoming", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    intro = models.TextField(_("introduction"), max_length=1000, help_text=_("Shown in listings and to visitors."))
    rules = StreamField(BodyBlock(), verbose_name=_("rules and documents"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("After this, filed dossiers can no longer be edited."))
    closed_early = models.BooleanField(_("closed before its date"), default=False)
    budget_envelope = models.DecimalField(_("budget envelope (EUR)"), max_digits=14, decimal_places=2)
    max_share = models.PositiveSmallIntegerField(
        _("largest share of a project's budget the State may fund (%)"), default=50
    )
    eligible_countries = ParentalManyToManyField(
        "atlas_pages.Country",
        blank=True,
        related_name="+",
        verbose_name=_("eligible countries"),
        help_text=_("Leave empty for every country."),
    )
    eligible_themes = ParentalManyToManyField(
        "atlas_pages.Theme",
        blank=True,
        related_name="+",
        verbose_name=_("eligible themes"),
        help_text=_("Leave empty for every theme."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("closed_early"),
        FieldRowPanel([FieldPanel("budget_envelope"), FieldPanel("max_share")]),
        MultiFieldPanel([FieldPanel("eligible_countries"), FieldPanel("eligible_themes")], heading=_("Eligibility")),
        InlinePanel("required_opinions", label=_("Opinions each dossier needs")),
        FieldPanel("rules"),
        InlinePanel(
            "questions",
            heading=_("The call's own questions"),
            label=_("Question"),
            help_text=_("Asked in the dossier's form after the project; answered in drafts, checked on filing."),
        ),
        MultiFieldPanel(
            [
                InlinePanel("criteria", label=_("Criterion")),
                InlinePanel("review_bodies", label=_("Body invited to score")),
            ],
            heading=_("Review grid"),
            help_text=_(
                "Each reviewer scores every criterion; a dossier's score is the weighted average, out of 20. "
                "Staff always review; the bodies listed here score the dossiers they see."
            ),
        ),
    ]
    # Checks that two questions do not get the same name (Wagtail's form pages' own check).
    base_form_class = WagtailAdminFormPageForm
    parent_page_types = ["cncd_forms.CallForProjectsIndexPage"]
    subpage_types: list[str] = []
    template = "cncd_forms/call_page.html"

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")

    def get_context(self, request, *args, **kwargs):
        from forms.dossiers.permissions import own
        from forms.permissions import Viewer

        context = super().get_context(request, *args, **kwargs)
        viewer = Viewer.of(request.user)
        context["can_file"] = "collectivites" in viewer.groups and bool(viewer.authority_code)
        context["my_dossiers"] = self.dossiers.filter(own(viewer)) if viewer.user_id else []
        return context

    @property
    def status(self) -> str:
        now = timezone.now()
        if not self.live:
            return self.Status.DRAFT
        if self.closed_early or now >= self.closes_at:
            return self.Status.CLOSED
        if now < self.opens_at:
            return self.Status.UPCOMING
        return self.Status.OPEN

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def years(self) -> int:
        """How many years a project of this call spans at most."""
        return 3 if self.kind == self.Kind.TRIENNIAL else 1


class RequiredOpinion(Orderable):
    """An opinion every dossier of the call needs: from embassies (of the partner country),
    prefectures (of the authority's region) or ministries and operators, within so many days."""

    class Body(models.TextChoices):
        EMBASSY = "ambassades", _("Embassy of the partner country")
        PREFECTURE = "prefectures", _("Prefecture of the authority's region")
        MINISTRY = "ministeres-operateurs", _("Ministries and operators")

    call = ParentalKey(CallForProjectsPage, on_delete=models.CASCADE, related_name="required_opinions")
    body = models.CharField(_("from"), max_length=30, choices=Body.choices)
    days = models.PositiveSmallIntegerField(_("days to give it"), default=30)

    panels = [FieldRowPanel([FieldPanel("body"), FieldPanel("days")])]

    class Meta(Orderable.Meta):
        verbose_name = _("required opinion")
        verbose_name_plural = _("required opinions")

    def __str__(self) -> str:
        return str(self.get_body_display())


class CallQuestion(AbstractFormField):
    """A question of the call's own, answered in the dossier's form (a Wagtail form field: its
    name, made from the label when first saved, never changes, so that answers keep their key)."""

    class Type(models.TextChoices):
        SINGLELINE = "singleline", _("Short text")
        MULTILINE = "multiline", _("Long text")
        NUMBER = "number", _("Number")
        DROPDOWN = "dropdown", _("Choice from a list")
        RADIO = "radio", _("One choice (buttons)")
        CHECKBOXES = "checkboxes", _("Several choices (boxes)")
        DATE = "date", _("Date")
        FILE = "file", _("Document")

    CHOICE_TYPES = (Type.DROPDOWN, Type.RADIO, Type.CHECKBOXES)

    call = ParentalKey(CallForProjectsPage, on_delete=models.CASCADE, related_name="questions")
    field_type = models.CharField(_("kind of answer"), max_length=16, choices=Type.choices)

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("question of the call")
        verbose_name_plural = _("questions of the call")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.field_type in self.CHOICE_TYPES and not self.choices.strip():
            raise ValidationError({"choices": _("List the choices, one per line.")})
        if self.field_type not in self.CHOICE_TYPES and self.choices.strip():
            raise ValidationError({"choices": _("Only a question with choices takes a list of choices.")})


class ReviewCriterion(Orderable):
    """A criterion of the call's review grid: each reviewer gives it a score from 0 to its scale."""

    call = ParentalKey(CallForProjectsPage, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("criterion"), max_length=255)
    description = models.CharField(_("what is looked at"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale = models.PositiveSmallIntegerField(
        _("scored out of"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return self.label


class ReviewerBody(Orderable):
    """A State body invited to score the dossiers of a call that it sees (the embassy of the
    partner country, the prefecture of the authority's region, the ministries)."""

    call = ParentalKey(CallForProjectsPage, on_delete=models.CASCADE, related_name="review_bodies")
    body = models.CharField(_("body"), max_length=30, choices=RequiredOpinion.Body.choices)

    panels = [FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = _("body invited to score")
        verbose_name_plural = _("bodies invited to score")
        constraints = [models.UniqueConstraint(fields=["call", "body"], name="one_reviewer_body_per_call")]

    def __str__(self) -> str:
        return str(self.get_body_display())


class Dossier(models.Model):
    """A co-financing application of a local authority to a call for projects."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FILED = "filed", _("Filed")
        CORRECTION = "correction", _("Sent back for correction")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        CLOSED = "closed", _("Closed without action")

    DECIDED = (State.ACCEPTED, State.REFUSED, State.CLOSED)

    call = models.ForeignKey(
        CallForProjectsPage, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("call")
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True)
    authority = models.ForeignKey(
        "atlas_pages.FrenchAuthority",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("filing authority"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="dossiers",
        verbose_name=_("created by"),
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.DRAFT, db_index=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Goes up with every change, so that two people cannot overwrite each other."),
    )

    title = models.CharField(_("title of the project"), max_length=255, blank=True)
    partner_name = models.CharField(_("partner authority"), max_length=255, blank=True)
    partner_country = models.ForeignKey(
        "atlas_pages.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner country"),
    )
    themes = models.ManyToManyField("atlas_pages.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    description = models.TextField(_("description"), max_length=10000, blank=True)
    objectives = models.TextField(_("objectives"), max_length=5000, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(_("duration (years)"), null=True, blank=True)
    # The answers to the call's own questions (``CallQuestion``), by the question's name; a
    # document's answer is the dossier's attachment that names the question.
    answers = models.JSONField(_("answers to the call's questions"), default=dict, blank=True)

    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    correction_reason = models.TextField(_("what to correct"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    # The instructors' own (forms/dossiers/instruction.py): never shown to the authority.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("instructor"),
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_dossiers", verbose_name=_("followed by")
    )
    labels = models.ManyToManyField("DossierLabel", blank=True, related_name="dossiers", verbose_name=_("labels"))
    atlas_project = models.ForeignKey(
        "atlas_pages.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cofinancing_dossiers",
        verbose_name=_("project in the Atlas"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)
    # The head of the history's chain: the number and keyed hash of its last entry, so that an
    # entry removed at the end (or every entry) shows (forms/history.py).
    history_head_sequence = models.PositiveIntegerField(default=0, editable=False)
    history_head_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("co-financing dossier")
        verbose_name_plural = _("co-financing dossiers")

    def __str__(self) -> str:
        return f"{self.reference or _('draft')} — {self.title or _('(untitled)')}"

    @property
    def is_decided(self) -> bool:
        return self.state in self.DECIDED


class BudgetLine(models.Model):
    """A line of the project's budget: an expense, or a resource from one source. Expenses and
    resources must balance; the State's part is what the authority requests."""

    class Kind(models.TextChoices):
        EXPENSE = "expense", _("Expense")
        RESOURCE = "resource", _("Resource")

    class Source(models.TextChoices):
        REQUESTED = "requested", _("Requested from the State (MEAE)")
        OWN = "own", _("Own funds of the authority")
        PARTNER = "partner", _("Partner authority")
        PUBLIC = "public", _("Other public co-financing")
        PRIVATE = "private", _("Private co-financing")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year of the project"), default=1)
    label = models.CharField(_("label"), max_length=255)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class DossierContact(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


EVENT_LABELS = {
    "created": _("Dossier created"),
    "edited": _("Dossier changed"),
    "filed": _("Dossier filed"),
    "refiled": _("Dossier filed again"),
    "review_started": _("Review started"),
    "sent_back": _("Sent back for correction"),
    "decided": _("Decision"),
    "reopened": _("Decision reopened"),
    "opinion_requested": _("Opinion asked"),
    "opinion_revoked": _("Request for an opinion withdrawn"),
    "opinion_given": _("Opinion given"),
    "opinion_edited": _("Opinion changed"),
    "message": _("Message"),
    "attachment_added": _("Document added"),
    "attachment_removed": _("Document removed"),
    "atlas_project_linked": _("Project added to the Atlas"),
    "agreement_prepared": _("Agreement prepared"),
    "agreement_signed": _("Agreement signed"),
    "tranche_requested": _("Payment requested"),
    "tranche_checked": _("Payment request checked"),
    "tranche_sent_back": _("Payment request sent back"),
    "tranche_paid": _("Payment made"),
    "report_filed": _("Report filed"),
    "report_accepted": _("Report accepted"),
    "report_returned": _("Report sent back"),
    "followup_closed": _("Follow-up closed"),
    "note_added": _("Private note"),
    "assigned": _("Instructor assigned"),
    "labelled": _("Labels changed"),
    "archived": _("Archived"),
    "scored": _("Review grid scored"),
    "score_changed": _("Review grid score changed"),
    "unarchived": _("Taken out of the archive"),
}


class DossierLabel(models.Model):
    """A label the instructors put on dossiers ("À compléter", "Priorité Afrique"…): chosen by
    staff in the back office, it filters the listings and goes into the exports."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("what it means"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dossier label")
        verbose_name_plural = _("dossier labels")

    def __str__(self) -> str:
        return self.name


class DossierNote(models.Model):
    """A private annotation of the instructors on a dossier: staff read and write it; it is never
    in the authority's view, the PDF, the exports or the personal-data download."""

    TEXT_LIMIT = 5000

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(_("by"), max_length=255)
    text = models.TextField(_("note"), max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.text[:40]}"


class DossierEvent(models.Model):
    """One entry of a dossier's history: who, when, what. Each entry carries the keyed hash
    (HMAC) of the previous one, and the dossier the head of the chain, so that an entry changed,
    inserted or removed afterwards breaks it (``manage.py check_dossier_history``)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField(_("number"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=255)
    action = models.CharField(_("action"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    confidential = models.BooleanField(_("staff only"), default=False)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "sequence"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="one_event_per_dossier_sequence")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.sequence} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class Opinion(models.Model):
    """An opinion staff requested on a dossier from embassies (of the partner country),
    prefectures (of the authority's region) or ministries and operators, due by a date.
    Given, it can be edited until the decision; a confidential one is read by staff only."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("Favourable")
        RESERVED = "reserved", _("Favourable with reservations")
        UNFAVOURABLE = "unfavourable", _("Unfavourable")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="opinions")
    body = models.CharField(_("from"), max_length=30, choices=RequiredOpinion.Body.choices)
    due_date = models.DateField(_("due by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    question = models.TextField(
        _("question for the body asked"), max_length=2000, blank=True, help_text=_("Read by staff and the body asked.")
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    verdict = models.CharField(_("opinion"), max_length=15, choices=Verdict.choices, blank=True)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    confidential = models.BooleanField(_("confidential (staff only)"), default=False)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [models.UniqueConstraint(fields=["dossier", "body"], name="one_opinion_per_body_and_dossier")]

    def __str__(self) -> str:
        return f"{self.get_body_display()} — {self.get_verdict_display() or _('waiting')}"

    @property
    def is_given(self) -> bool:
        return bool(self.verdict)

    @property
    def is_overdue(self) -> bool:
        return not self.is_given and timezone.localdate() > self.due_date


def _attachment_path(instance, filename: str) -> str:
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}.{instance.extension}"


class DossierAttachment(models.Model):
    """A document of the dossier (a budget, a letter of the partner, a photo…), of one of its
    messages or of an opinion. Kept in the private storage: handed out only to those who see
    the dossier (message documents: the authority and staff; a confidential opinion's: staff
    and the body that gave it)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        "DossierMessage", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    opinion = models.ForeignKey("Opinion", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    tranche = models.ForeignKey(
        "PaymentTranche", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    report = models.ForeignKey("DueReport", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    question = models.CharField(
        _("answers the question"), max_length=255, blank=True, help_text=_("The name of the call's question.")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage, max_length=255)
    name = models.CharField(_("name"), max_length=200)
    label = models.CharField(_("what it is"), max_length=255, blank=True)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.label or self.name


class DossierMessage(models.Model):
    """A message between the filing authority and the CNCD team about the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    author_name = models.CharField(_("author"), max_length=255)
    from_staff = models.BooleanField(_("from the CNCD team"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


# --- follow-up of a funded dossier (forms/dossiers/followup.py) ------------------------------------


class Agreement(models.Model):
    """The agreement (convention) of an accepted dossier: the State's grant, its conditions, the
    schedule of payment tranches and the reports due. Staff prepare it; both sides sign it online
    (an acknowledgement with the date and the signer's name); once signed it no longer changes.
    The follow-up closes with the amount actually spent."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        TO_SIGN = "to_sign", _("Waiting for signatures")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="agreement")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    amount = models.DecimalField(_("grant (EUR)"), max_digits=12, decimal_places=2)
    conditions = models.TextField(_("conditions"), max_length=10000, blank=True)
    cncd_signer_name = models.CharField(_("signed for the CNCD by"), max_length=255, blank=True)
    cncd_signed_at = models.DateTimeField(_("signed for the CNCD at"), null=True, blank=True)
    authority_signer_name = models.CharField(_("signed for the authority by"), max_length=255, blank=True)
    authority_signed_at = models.DateTimeField(_("signed for the authority at"), null=True, blank=True)
    spent_amount = models.DecimalField(_("amount actually spent (EUR)"), max_digits=12, decimal_places=2, null=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.dossier.reference} — {self.amount} €"


class PaymentTranche(models.Model):
    """A payment tranche: planned in the agreement, requested by the authority with its supporting
    documents, checked by staff (or sent back), then paid (date, amount)."""

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("payment tranche", "Planned")
        REQUESTED = "requested", _("Requested")
        CHECKED = "checked", _("Checked")
        PAID = "paid", _("Paid")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("label"), max_length=255)
    planned_amount = models.DecimalField(_("planned amount (EUR)"), max_digits=12, decimal_places=2)
    planned_date = models.DateField(_("planned for"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    requested_amount = models.DecimalField(_("amount requested (EUR)"), max_digits=12, decimal_places=2, null=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    request_note = models.TextField(_("request"), max_length=5000, blank=True)
    staff_comment = models.TextField(_("comment of the CNCD team"), max_length=5000, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid (EUR)"), max_digits=12, decimal_places=2, null=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")

    def __str__(self) -> str:
        return self.label


class DueReport(models.Model):
    """An interim or final report due on a date: filed by the authority with its documents,
    accepted by staff or sent back with a comment; reminded before it is due and when overdue."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    class State(models.TextChoices):
        DUE = "due", _("Due")
        FILED = "filed", _("Filed")
        RETURNED = "returned", _("Sent back")
        ACCEPTED = "accepted", _("Accepted")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("due by"), db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DUE)
    text = models.TextField(_("report"), max_length=20000, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    staff_comment = models.TextField(_("comment of the CNCD team"), max_length=5000, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(_("reminded overdue at"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "due_date", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.state in (self.State.DUE, self.State.RETURNED) and timezone.localdate() > self.due_date


# --- the scored review (forms/dossiers/scoring.py) ------------------------------------------------


class Review(models.Model):
    """One reviewer's scores of a dossier on its call's grid: staff, or a member of a body the
    call invites. Others' reviews stay hidden from a reviewer until they give their own."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="dossier_reviews"
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=255)
    body = models.CharField(_("for"), max_length=30, help_text=_("staff, or the body invited"))
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    total = models.DecimalField(_("score out of 20"), max_digits=5, decimal_places=2)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["dossier", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.reviewer_name} {self.total}/20"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
