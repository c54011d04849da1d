from .atlas import AtlasExport, BourseProject, Continent, Country, FrenchAuthority, PartnerAuthority, Project
from .atlas_page import AtlasPage
from .editorial import (
    ArticlePage,
    ArticlePageTag,
    CountryZoomPage,
    EditorialPage,
    GoodPracticePage,
    RubricIndexPage,
    TestimonyPage,
)
from .pages import HomePage, StandardPage
from .site_settings import ContactSettings
from .taxonomy import Theme

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
