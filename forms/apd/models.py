"""e-APD: the annual declaration of the Official Development Assistance of local authorities.

Every year the CNCD asks each local authority what it spent on development cooperation the
year before, line by line in the OECD's Creditor Reporting System terms (recipient country,
purpose code, type of aid, channel, amounts, policy markers), for the Treasury and the OECD
survey. Staff open a campaign for a year; an authority's declaration is a draft until it is
submitted, and staff may ask for a correction, which reopens it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from atlas_pages.core.uploads import private_storage


class ApdCampaign(models.Model):
    """A year's declaration campaign: when authorities may declare, and what they are told."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(
        _("year declared"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year whose spending is declared (usually last year)."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    instructions = RichTextField(_("instructions"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("e-APD campaign")
        verbose_name_plural = _("e-APD campaigns")

    def __str__(self) -> str:
        return _("ODA declaration %(year)s") % {"year": self.year}

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class ApdDeclaration(models.Model):
    """One local authority's declaration for a campaign."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CORRECTION = "correction", _("Correction requested")

    campaign = models.ForeignKey(ApdCampaign, on_delete=models.PROTECT, related_name="declarations")
    authority = models.ForeignKey(
        "atlas_pages.FrenchAuthority",
        on_delete=models.PROTECT,
        related_name="apd_declarations",
        verbose_name=_("local authority"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    correction_reason = models.TextField(_("what to correct"), blank=True)
    receipt = models.FileField(_("receipt (PDF)"), storage=private_storage, upload_to="apd/receipts/", blank=True)

    class Meta:
        ordering = ["-campaign__year", "authority__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "authority"], name="one_apd_declaration_a_year")]
        verbose_name = _("e-APD declaration")
        verbose_name_plural = _("e-APD declarations")

    def __str__(self) -> str:
        return f"{self.reference} — {self.authority}"

    @property
    def reference(self) -> str:
        return f"APD-{self.campaign.year}-{self.authority.code}"

    @property
    def editable(self) -> bool:
        """Drafts while the campaign is open; a declaration sent back for correction at any time."""
        if self.state == self.State.CORRECTION:
            return True
        return self.state == self.State.DRAFT and self.campaign.status == ApdCampaign.Status.OPEN


MARKERS = ("marker_gender", "marker_environment", "marker_climate_mitigation", "marker_climate_adaptation")
MARKERS += ("marker_biodiversity",)


def _marker(label):
    return models.PositiveSmallIntegerField(label, default=0, help_text=_("0 not targeted, 1 significant, 2 principal"))


class ApdLine(models.Model):
    """A line of the declaration: one activity, in CRS terms."""

    class LegalBasis(models.TextChoices):
        GENERAL = "L1115-1", _("Decentralised cooperation (CGCT art. L1115-1)")
        WATER = "water", _("One per cent for water and sanitation (Oudin-Santini law, CGCT art. L1115-1-1)")
        ENERGY = "energy", _("One per cent for energy: electricity and gas (CGCT art. L1115-1-1)")
        WASTE = "waste", _("One per cent for household waste (CGCT art. L1115-1-1)")
        MOBILITY = "mobility", _("One per cent for mobility and transport (CGCT art. L1115-1-1)")
        HUMANITARIAN = "humanitarian", _("Emergency humanitarian aid (CGCT art. L1115-1)")

    declaration = models.ForeignKey(ApdDeclaration, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    project = models.ForeignKey(
        "atlas_pages.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="apd_lines",
        verbose_name=_("Atlas project"),
    )
    title = models.CharField(_("project title"), max_length=255)
    description = models.TextField(_("short description"), blank=True, max_length=2000)
    recipient = models.CharField(
        _("recipient country"),
        max_length=3,
        help_text=_("ISO code of a country on the OECD DAC list, or 998 for spending no country can be given."),
    )
    purpose_code = models.CharField(_("purpose code (DAC sector)"), max_length=5)
    aid_type = models.CharField(_("type of aid"), max_length=4, default="C01")
    channel_code = models.CharField(_("channel of delivery"), max_length=5, default="11002")
    flow_type = models.CharField(_("type of flow"), max_length=2, default="10")
    finance_type = models.CharField(_("type of finance"), max_length=4, default="110")
    disbursed = models.DecimalField(_("amount disbursed (EUR)"), max_digits=14, decimal_places=2)
    committed = models.DecimalField(_("amount committed (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    marker_gender = _marker(_("gender equality marker"))
    marker_environment = _marker(_("environment marker"))
    marker_climate_mitigation = _marker(_("climate change mitigation marker"))
    marker_climate_adaptation = _marker(_("climate change adaptation marker"))
    marker_biodiversity = _marker(_("biodiversity marker"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=12, choices=LegalBasis.choices, default=LegalBasis.GENERAL
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("e-APD line")
        verbose_name_plural = _("e-APD lines")

    def __str__(self) -> str:
        return self.title


class ApdEvent(models.Model):
    """The declaration's history: who did what, when."""

    class Action(models.TextChoices):
        STARTED = "started", _("Declaration started")
        LINE_ADDED = "line_added", _("Line added")
        LINE_CHANGED = "line_changed", _("Line corrected")
        LINE_REMOVED = "line_removed", _("Line removed")
        COPIED = "copied", _("Lines copied from last year")
        SUBMITTED = "submitted", _("Submitted")
        CORRECTION = "correction", _("Correction requested")

    declaration = models.ForeignKey(ApdDeclaration, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("what"), max_length=14, choices=Action.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("e-APD history entry")
        verbose_name_plural = _("e-APD history")

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
