"""The front-end pages of the journeys pass axe-core with no serious or critical violation,
for a visitor and for a member."""

import datetime as dt

import pytest
from django.utils import timezone

from atlas_pages.atlas.generate import generate
from atlas_pages.models import AtlasPage, EventIndexPage, EventPage
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
    "/agenda/",
    "/agenda/archives/",
    "/agenda/assises-2027/",
]
MEMBER_PAGES = [
    "/espace-personnel/",
    "/espace-personnel/informations-personnelles/",
    "/espace-personnel/ma-selection/",
    "/espace-personnel/mes-cartes/",
    "/espace-personnel/mes-exports/",
    "/espace-personnel/mes-teledeclarations/",
    "/espace-personnel/mes-contributions/",
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
    agenda = add_page(home_page(), EventIndexPage, title="Agenda", slug="agenda")
    soon = timezone.now() + dt.timedelta(days=20)
    add_page(
        agenda,
        EventPage,
        title="Assises 2027",
        starts_at=soon,
        ends_at=soon + dt.timedelta(days=1),
        place="Paris",
        registration_url="https://inscriptions.example.org",
        organiser="DAECT",
        teaser="Les Assises de la coopération décentralisée.",
    )

    found = []
    for path in VISITOR_PAGES:
        assert page.goto(path).status == 200, path
        if page.locator("[data-atlas-map]").count():  # judge the map once its markers are drawn
            page.locator("[data-atlas-map][data-markers]").first.wait_for(state="attached")
        found += accessibility_violations(page)
    log_in(page, "maire-lyon", "/espace-personnel/")
    for path in MEMBER_PAGES:
        assert page.goto(path).status == 200, path
        found += accessibility_violations(page)
    assert found == [], "\n".join(found)


CLUSTER_SIZES = {"small": 7, "medium": 42, "large": 420}


def test_every_size_of_cluster_marker_is_readable(page, live_server):
    """The map clusters as the data and the viewport happen to fall, so the test does not wait
    for it to: it puts one cluster marker of each size in the map's marker pane, as
    Leaflet.markercluster draws them (``marker-cluster-small|medium|large``, a count in a span),
    over a dark tile, and has axe judge each count's contrast."""
    generate(projects=20, authorities=10, countries=3, seed=2)
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    assert page.goto("/atlas/").status == 200
    page.wait_for_selector(".leaflet-marker-pane", state="attached")
    page.evaluate(
        """(sizes) => {
            const pane = document.querySelector('.leaflet-marker-pane');
            document.querySelector('.leaflet-tile-pane').style.background = '#1b1b35';
            Object.entries(sizes).forEach(([size, count], index) => {
                const icon = document.createElement('div');
                icon.className = `leaflet-marker-icon marker-cluster marker-cluster-${size} leaflet-interactive`;
                icon.dataset.test = size;
                const at = `translate(${100 + 60 * index}px,100px)`;
                icon.style.cssText = `width:40px;height:40px;margin:-20px;transform:${at}`;
                icon.innerHTML = `<div><span>${count}</span></div>`;
                pane.appendChild(icon);
            });
        }""",
        CLUSTER_SIZES,
    )
    for size in CLUSTER_SIZES:
        background = page.eval_on_selector(
            f"[data-test={size}] > div", "element => getComputedStyle(element).backgroundColor"
        )
        assert background.startswith("rgb("), (size, background)  # opaque: the tiles never show through
    found = [line for line in accessibility_violations(page) if "color-contrast" in line]
    assert found == [], "\n".join(found)
