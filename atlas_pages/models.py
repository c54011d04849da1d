from atlas_pages.models.atlas import (
    AtlasExport,
    BourseProject,
    Continent,
    Country,
    FrenchAuthority,
    PartnerAuthority,
    Project,
)
from atlas_pages.models.atlas_page import AtlasPage
from atlas_pages.models.editorial import (
    ArticlePage,
    ArticlePageTag,
    CountryZoomPage,
    EditorialPage,
    GoodPracticePage,
    RubricIndexPage,
    TestimonyPage,
)
from atlas_pages.models.pages import HomePage, StandardPage
from atlas_pages.models.site_settings import ContactSettings
from atlas_pages.models.taxonomy import Theme

__all__ = [
    "AtlasExport",
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
    "GoodPracticePage",
    "HomePage",
    "RubricIndexPage",
    "StandardPage",
    "TestimonyPage",
    "Theme",
]
