"""The front-end pages of the journeys pass axe-core with no serious or critical violation,
for a visitor and for a member."""

import pytest

from atlas_pages.atlas_generate import generate
from atlas_pages.models import AtlasPage
from tests.e2e.conftest import accessibility_violations
from tests.e2e.test_cofinancing_dossier import log_in
from tests.factories import (
    add_apd_campaign,
    add_article,
    add_call,
    add_page,
    add_rubric,
    home_page,
    member_of_authority,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VISITOR_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/actualites/",
    "/actualites/article-public/",
    "/actualites/article-reserve/",
    "/recherche/?q=coop%C3%A9ration",
    "/atlas/?country=SN",
    "/atlas/bourse-projets/",
    "/lettre-information/inscription/",
]
MEMBER_PAGES = [
    "/espace-personnel/",
    "/espace-personnel/informations-personnelles/",
    "/espace-personnel/ma-selection/",
    "/espace-personnel/mes-cartes/",
    "/espace-personnel/mes-exports/",
    "/espace-personnel/mes-teledeclarations/",
    "/espace-personnel/lettre/",
    "/teleprocedures/dossiers/",
    "/teleprocedures/apd/",
    "/teleprocedures/atlas/",
]


def test_the_journeys_pages_pass_axe(page, live_server):
    rubric = add_rubric("Actualités")
    add_article(rubric, "Article public", body="La coopération décentralisée en actes.")
    add_article(rubric, "Article réservé", body="Réservé.", slug="article-reserve")
    generate(projects=20, authorities=10, countries=3, seed=2)
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    add_call()
    add_apd_campaign(2026)
    member_of_authority("maire-lyon", "69123", "Lyon")

    found = []
    for path in VISITOR_PAGES:
        assert page.goto(path).status == 200, path
        found += accessibility_violations(page)
    log_in(page, "maire-lyon", "/espace-personnel/")
    for path in MEMBER_PAGES:
        assert page.goto(path).status == 200, path
        found += accessibility_violations(page)
    assert found == [], "\n".join(found)
