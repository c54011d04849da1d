from atlas_pages.atlas.models import (
    BourseProject,
    Continent,
    Country,
    FrenchAuthority,
    PartnerAuthority,
    Project,
)
from atlas_pages.atlas.page import AtlasPage
from atlas_pages.core.taxonomy import Theme
from atlas_pages.core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from atlas_pages.editorial.articles import (
    ArticlePage,
    ArticlePageTag,
    CountryZoomPage,
    EditorialPage,
    GoodPracticePage,
    RubricIndexPage,
    TestimonyPage,
)
from atlas_pages.editorial.events import EventIndexPage, EventPage
from atlas_pages.editorial.pages import HomePage, StandardPage
from atlas_pages.editorial.site_settings import ContactSettings

__all__ = [
    "AtlasPage",
    "BourseProject",
    "Continent",
    "Country",
    "FrenchAuthority",
    "PartnerAuthority",
    "Project",
    "ArticlePage",
    "ArticlePageTag",
    "ContactSettings",
    "CountryZoomPage",
    "EditorialPage",
    "EventIndexPage",
    "EventPage",
    "GoodPracticePage",
    "HomePage",
    "RubricIndexPage",
    "StandardPage",
    "TestimonyPage",
    "Theme",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
