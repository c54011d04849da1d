"""The monthly rubrics: a rubric index and the four kinds of editorial pages under it."""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtailgeowidget.panels import LeafletPanel

from atlas_pages.core.countries import country_name, is_country_code, lazy_country_choices
from atlas_pages.core.preview import FrontEndPreview
from atlas_pages.editorial.blocks import BodyBlock, KeyFigureBlock


def validate_country_code(value: str) -> None:
    if value and not is_country_code(value):
        raise ValidationError(_("“%(code)s” is not an ISO 3166 country code."), params={"code": value})


def country_panel(heading=None) -> FieldPanel:
    widget = forms.Select(choices=[("", "---------"), *lazy_country_choices()])
    return FieldPanel("country", widget=widget, heading=heading)


class RubricIndexPage(FrontEndPreview, RoutablePageMixin, Page):
    """A rubric (“Témoignages”, “Zoom sur un pays”…): its pages listed by month, newest first."""

    class Kind(models.TextChoices):
        TESTIMONIES = "testimonies", _("Testimonies")
        COUNTRY_ZOOMS = "country_zooms", _("Country zooms")
        GOOD_PRACTICES = "good_practices", _("Good practices")
        NEWS = "news", _("News")

    kind = models.CharField(_("kind of rubric"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    intro = models.TextField(_("introduction"), blank=True)
    per_page = models.PositiveSmallIntegerField(_("pages per listing page"), default=12)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro"), FieldPanel("per_page")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["atlas_pages.HomePage"]
    subpage_types = [
        "atlas_pages.TestimonyPage",
        "atlas_pages.CountryZoomPage",
        "atlas_pages.GoodPracticePage",
        "atlas_pages.ArticlePage",
    ]
    template = "atlas_pages/rubric_index_page.html"
    api_fields = ["kind", "intro"]

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    @path("")
    def index(self, request):
        return self.render(request)

    @path("rss/", name="rss")
    def rss(self, request):
        from atlas_pages.editorial.feeds import RubricFeed

        return RubricFeed(self, request)(request)

    @path("atom/", name="atom")
    def atom(self, request):
        from atlas_pages.editorial.feeds import RubricAtomFeed

        return RubricAtomFeed(self, request)(request)

    def get_context(self, request, *args, **kwargs):
        from atlas_pages.editorial import services

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = services.rubric_listing(
            self, request.user, page_number=request.GET.get("page"), month=request.GET.get("month")
        )
        return context


class EditorialPage(FrontEndPreview, Page):
    """What every rubric page has: a date, a teaser anyone may read, a country, themes and a body."""

    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        db_index=True,
        help_text=_("The rubric lists its pages by the month of this date."),
    )
    teaser = models.TextField(
        _("teaser"),
        max_length=600,
        help_text=_(
            "Shown in listings, feeds, search results and the newsletter, and to visitors the padlock "
            "keeps out: never put reserved information here."
        ),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, db_index=True, validators=[validate_country_code]
    )
    themes = ParentalManyToManyField("atlas_pages.Theme", blank=True, related_name="pages", verbose_name=_("themes"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Shown on the home page and in the newsletter; give it a description (alt text)."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    # A member's contribution (extranet/contributions.py): who proposed it, and the organisation
    # the published page is credited to; the Atlas projects it is about.
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("proposed by"),
        editable=False,
    )
    contributor_organisation = models.CharField(
        _("contribution of"),
        max_length=255,
        blank=True,
        help_text=_("The organisation of the member who proposed it: the published page is credited to it."),
    )
    related_projects = ParentalManyToManyField(
        "atlas_pages.Project", blank=True, related_name="+", verbose_name=_("Atlas projects concerned")
    )

    is_creatable = False
    parent_page_types = ["atlas_pages.RubricIndexPage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("country"),
    ]
    api_fields = ["date", "teaser", "country", "themes", "image", "contributor_organisation", "body"]
    template = "atlas_pages/editorial_page.html"

    class Meta:
        verbose_name = _("editorial page")
        verbose_name_plural = _("editorial pages")

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def clean(self):
        super().clean()
        if self.country:
            self.country = self.country.upper()


TEASER_PANELS = [FieldPanel("date"), FieldPanel("teaser"), FieldPanel("image"), FieldPanel("contributor_organisation")]
THEME_PANEL = FieldPanel("themes", widget=forms.CheckboxSelectMultiple)


class TestimonyPage(EditorialPage):
    """An ambassador or an elected official tells about a cooperation."""

    class Kind(models.TextChoices):
        AMBASSADOR = "ambassador", _("Ambassador")
        ELECTED = "elected", _("Elected official")

    person_name = models.CharField(_("name of the person"), max_length=200)
    person_role = models.CharField(
        _("role or title"), max_length=255, help_text=_("For example “Ambassadeur de France au Sénégal”.")
    )
    kind = models.CharField(_("who testifies"), max_length=20, choices=Kind.choices, default=Kind.AMBASSADOR)
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pull_quote = models.TextField(_("pull quote"), blank=True, max_length=400)

    content_panels = Page.content_panels + [
        *TEASER_PANELS,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("person_name"), FieldPanel("kind")]),
                FieldPanel("person_role"),
                FieldPanel("portrait"),
                FieldPanel("pull_quote"),
            ],
            heading=_("The person"),
        ),
        country_panel(),
        THEME_PANEL,
        FieldPanel("body"),
    ]
    search_fields = EditorialPage.search_fields + [index.SearchField("person_name"), index.SearchField("person_role")]
    api_fields = EditorialPage.api_fields + ["person_name", "person_role", "kind", "portrait", "pull_quote"]
    template = "atlas_pages/testimony_page.html"

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")


class CountryZoomPage(EditorialPage):
    """A country seen through its decentralised cooperation."""

    location = models.CharField(
        _("location on the map"), max_length=250, blank=True, help_text=_("Where the map centres.")
    )
    key_figures = StreamField([("figure", KeyFigureBlock())], verbose_name=_("key figures"), blank=True)

    content_panels = Page.content_panels + [
        *TEASER_PANELS,
        country_panel(),
        LeafletPanel("location"),
        FieldPanel("key_figures"),
        THEME_PANEL,
        FieldPanel("body"),
    ]
    api_fields = EditorialPage.api_fields + ["location", "key_figures"]
    template = "atlas_pages/country_zoom_page.html"

    class Meta:
        verbose_name = _("country zoom")
        verbose_name_plural = _("country zooms")

    def clean(self):
        super().clean()
        if not self.country:
            raise ValidationError({"country": _("Choose the country this zoom is about.")})

    def get_context(self, request, *args, **kwargs):
        """The country's live figures from the Atlas, beside the editors' key figures."""
        from atlas_pages.atlas.front import country_figures, country_maps
        from atlas_pages.atlas.page import AtlasPage
        from atlas_pages.editorial import translations

        context = super().get_context(request, *args, **kwargs)
        context["atlas"] = country_figures(self.country) if self.country else None
        if context["atlas"] and context["atlas"]["projects"]:
            context["atlas_maps"] = country_maps(context["atlas"])
        atlas_page = translations.first_in_language(AtlasPage.objects.live())
        if context["atlas"] and atlas_page:
            context["atlas_country_url"] = f"{atlas_page.url}pays/{self.country}/"
        return context


class GoodPracticePage(EditorialPage):
    """A cooperation that worked, told so that others can do the same."""

    authority = models.CharField(
        _("local authority"), max_length=255, blank=True, help_text=_("The French local authority that carries it.")
    )

    content_panels = Page.content_panels + [
        *TEASER_PANELS,
        FieldPanel("authority"),
        country_panel(heading=_("Partner country")),
        THEME_PANEL,
        FieldPanel("body"),
    ]
    search_fields = EditorialPage.search_fields + [index.SearchField("authority")]
    api_fields = EditorialPage.api_fields + ["authority"]
    template = "atlas_pages/good_practice_page.html"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("atlas_pages.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(EditorialPage):
    """A news item; editors may target it to actor groups, whose brief then shows it."""

    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    target_groups = ParentalManyToManyField(
        Group,
        blank=True,
        related_name="targeted_articles",
        verbose_name=_("target groups"),
        help_text=_("The article appears in the news brief of these groups. This does not restrict who may read it."),
        limit_choices_to={"actor_group__isnull": False},
    )

    content_panels = Page.content_panels + [
        *TEASER_PANELS,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                THEME_PANEL,
                country_panel(),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Classification and targeting"),
        ),
    ]
    api_fields = EditorialPage.api_fields + ["tags", "target_groups"]
    template = "atlas_pages/article_page.html"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
