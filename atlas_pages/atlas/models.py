"""The Atlas of decentralised cooperation and the Bourse-projets.

Locations are kept twice: ``location`` is the "SRID=4326;POINT(lng lat)" text that
wagtailgeowidget's Leaflet panel edits, ``latitude``/``longitude`` the indexed numbers that
searches by map area use; saving the model keeps them in step.
"""

import re

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index
from wagtailgeowidget.panels import LeafletPanel

from atlas_pages.atlas.fulltext import folded
from atlas_pages.core.countries import country_name
from atlas_pages.core.taxonomy import Theme

POINT = re.compile(r"POINT\s*\(\s*(?P<lng>-?\d+(\.\d+)?)\s+(?P<lat>-?\d+(\.\d+)?)\s*\)")


def point(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return ""
    return f"SRID=4326;POINT({longitude} {latitude})"


def parse_point(value: str) -> tuple[float | None, float | None]:
    match = POINT.search(value or "")
    if not match:
        return None, None
    return float(match["lat"]), float(match["lng"])


def search_text(title: str, description: str, country, french: list[str], partners: list[str]) -> str:
    """What the Atlas's full-text filter searches: title, description, the country's names and
    the authorities' names, folded."""
    return folded(" ".join([title, description, country.name_fr, country.name_en, *french, *partners]))


class Located(models.Model):
    location = models.CharField(_("location"), max_length=250, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.latitude, self.longitude = parse_point(self.location)
        super().save(*args, **kwargs)


class Continent(models.Model):
    slug = models.SlugField(_("slug"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("continent")
        verbose_name_plural = _("continents")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        from atlas_pages.atlas.geography import CONTINENT_LABELS

        return str(CONTINENT_LABELS.get(self.slug, self.slug))


class Country(models.Model):
    """A country of ISO 3166-1; names come from pycountry in the active language."""

    iso2 = models.CharField(_("ISO code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    continent = models.ForeignKey(Continent, on_delete=models.PROTECT, related_name="countries")
    name_fr = models.CharField(_("French name"), max_length=100, db_index=True)
    name_en = models.CharField(_("English name"), max_length=100)
    latitude = models.FloatField(_("latitude of the centre"))
    longitude = models.FloatField(_("longitude of the centre"))
    min_latitude = models.FloatField()
    min_longitude = models.FloatField()
    max_latitude = models.FloatField()
    max_longitude = models.FloatField()

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return country_name(self.iso2) or self.name_fr

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        return (self.min_longitude, self.min_latitude, self.max_longitude, self.max_latitude)


class FrenchAuthority(index.Indexed, Located):
    """A French local authority (collectivité territoriale)."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        DEPARTMENT = "department", _("Department")
        COMMUNE = "commune", _("Commune")
        INTERCOMMUNALITY = "intercommunality", _("Intercommunality")

    code = models.CharField(
        _("official code"),
        max_length=14,
        unique=True,
        help_text=_(
            "INSEE code of the commune (5 characters), R + INSEE code of a region, D + code of a department, "
            "SIREN of an intercommunality (9 digits)."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    region = models.CharField(_("region"), max_length=100, db_index=True)
    department = models.CharField(_("department"), max_length=100, blank=True, db_index=True)
    department_code = models.CharField(_("department code"), max_length=3, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("kind")]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("department"), FieldPanel("department_code")]),
        LeafletPanel("location"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("French local authority")
        verbose_name_plural = _("French local authorities")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The code and the kind are those of the official list of French local authorities
        (whatever form saves it: the admin, the snippets; the CSV import checks the same)."""
        from atlas_pages.atlas import official

        super().clean()
        found = official.listed(self.code)
        self.code = found.atlas_code
        if self.kind:
            official.check_kind(found, self.kind)


class PartnerAuthority(index.Indexed, Located):
    """A foreign local authority, partner of French ones."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region or province")
        DISTRICT = "district", _("District or department")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="partner_authorities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("country"), FieldPanel("kind")]), LeafletPanel("location")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner authority")
        verbose_name_plural = _("partner authorities")

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @classmethod
    def named(cls, name: str, country: "Country") -> "PartnerAuthority":
        """The foreign authority of that name (whatever its case) in the country, created if new."""
        found = cls.objects.filter(name__iexact=name, country=country).first()
        return found or cls.objects.create(name=name, country=country)


class Project(models.Model):
    """A decentralised-cooperation project (or twinning) between French and foreign authorities."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        TWINNING = "twinning", _("Twinning")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROJECT, db_index=True)
    french_authorities = models.ManyToManyField(
        FrenchAuthority, related_name="projects", verbose_name=_("French local authorities")
    )
    partner_authorities = models.ManyToManyField(
        PartnerAuthority, related_name="projects", blank=True, verbose_name=_("partner authorities")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="projects", verbose_name=_("country"))
    themes = models.ManyToManyField(Theme, related_name="projects", blank=True, verbose_name=_("themes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ONGOING, db_index=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), db_index=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True, db_index=True)
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    location_france = models.CharField(_("location in France"), max_length=250, blank=True)
    location_abroad = models.CharField(_("location abroad"), max_length=250, blank=True)
    latitude_france = models.FloatField(null=True, blank=True, editable=False)
    longitude_france = models.FloatField(null=True, blank=True, editable=False)
    latitude_abroad = models.FloatField(null=True, blank=True, editable=False, db_index=True)
    longitude_abroad = models.FloatField(null=True, blank=True, editable=False)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    # The same text as French stems, which the database's full-text index holds (fulltext.py).
    search_stems = models.TextField(editable=False, blank=True, default="")
    updated_at = models.DateTimeField(_("last update"), auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last updated by"),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("country"),
        FieldPanel("french_authorities"),
        FieldPanel("partner_authorities"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year"), FieldPanel("budget")]),
        FieldPanel("description"),
        FieldPanel("contact"),
        MultiFieldPanel([LeafletPanel("location_france")], heading=_("Map in France")),
        MultiFieldPanel([LeafletPanel("location_abroad")], heading=_("Map in the partner country")),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        indexes = [models.Index(fields=["country", "start_year"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.latitude_france, self.longitude_france = parse_point(self.location_france)
        self.latitude_abroad, self.longitude_abroad = parse_point(self.location_abroad)
        super().save(*args, **kwargs)  # the search text follows (atlas_signals)

    def build_search_text(self) -> str:
        return search_text(
            self.title,
            self.description,
            self.country,
            [authority.name for authority in self.french_authorities.all()],
            [authority.name for authority in self.partner_authorities.all()],
        )


class BourseProject(index.Indexed, Located):
    """Bourse-projets: a foreign authority's project looking for a French partner."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_CONTACT = "in_contact", _("In contact")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    title = models.CharField(_("title"), max_length=255)
    partner_authority = models.ForeignKey(
        PartnerAuthority, on_delete=models.PROTECT, related_name="bourse_projects", verbose_name=_("foreign authority")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="bourse_projects")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="bourse_projects", verbose_name=_("sector"))
    description = models.TextField(_("description"))
    expected_partnership = models.TextField(_("expected partnership"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by (embassy)"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    # Entries the embassies record wait for the staff's moderation; only published ones are shown.
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED, db_index=True
    )
    moderation_reason = models.TextField(_("reason of the rejection"), blank=True)
    matched_authority = models.ForeignKey(
        FrenchAuthority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bourse_matches",
        verbose_name=_("matched with"),
    )
    atlas_project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bourse_entries",
        verbose_name=_("Atlas project"),
    )

    search_fields = [index.SearchField("title"), index.SearchField("description")]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("partner_authority"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("status")]),
        FieldPanel("description"),
        FieldPanel("expected_partnership"),
        FieldPanel("contact"),
        FieldRowPanel([FieldPanel("moderation"), FieldPanel("matched_authority")]),
        FieldPanel("moderation_reason"),
        LeafletPanel("location"),
    ]

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("Bourse-projets entry")
        verbose_name_plural = _("Bourse-projets entries")

    def __str__(self) -> str:
        return self.title
