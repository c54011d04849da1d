"""A visitor searches the Atlas and sees the results on the map, opens a project sheet, opens a
cluster of projects on the zoomed-out map, then the Bourse-projets (one journey: the live
server's database is rebuilt between tests)."""

import pytest

from atlas_pages.models import AtlasPage
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.e2e.conftest import screenshot
from tests.factories import add_page, home_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_search_results_on_the_map_and_a_project_sheet(page, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")
    page.goto("/atlas/")
    page.select_option("select[name=country]", "SN")
    page.click("form[aria-label='Recherche avancée'] button[type=submit]")
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    assert page.locator("#atlas-count").inner_text() == "3 projets"
    assert page.locator(".leaflet-marker-icon").count() >= 1  # markers or clusters
    # The base map is the countries the site ships: no tile server, nothing asked outside.
    page.wait_for_selector("[data-atlas-map][data-outlines-drawn]")
    assert int(page.get_attribute("[data-atlas-map]", "data-outlines-drawn")) > 200  # Natural Earth's countries
    assert page.locator(".leaflet-outlines-pane path").count() > 100
    assert page.locator(".leaflet-tile").count() == 0
    # On a wide screen the facets sit beside the results, not under the search form.
    results, facets = page.locator("#atlas-results").bounding_box(), page.locator("#atlas-facets").bounding_box()
    assert facets["x"] >= results["x"] + results["width"] - 1 and abs(facets["y"] - results["y"]) < 2
    screenshot(page, "atlas-search")

    page.click(f"text={atlas.p1.title}")
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator("h1").inner_text() == atlas.p1.title
    assert page.locator("[data-atlas-map] .leaflet-marker-icon").count() == 2  # in France and in Senegal
    screenshot(page, "atlas-project-sheet")

    # Zoomed out, the server gathers the nearby projects into a cluster; opening it zooms in.
    page.goto("/atlas/?country=SN")
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    zoom = int(page.get_attribute("[data-atlas-map]", "data-current-zoom"))
    for level in range(zoom - 1, 0, -1):  # out to the whole world, a step at a time
        page.click(".leaflet-control-zoom-out")
        page.wait_for_selector(f"[data-atlas-map][data-current-zoom='{level}']")
    cluster = page.locator(".marker-cluster[title='3 projets']")
    cluster.wait_for()
    assert page.locator("[data-atlas-map] .leaflet-marker-icon").count() == 1
    assert cluster.inner_text() == "3"
    cluster.click()
    page.wait_for_selector(".marker-cluster", state="detached")
    assert page.locator("[data-atlas-map] .leaflet-marker-icon").count() >= 2
    screenshot(page, "atlas-cluster-opened")

    # The Bourse-projets, linked from the Atlas, maps the entries looking for a partner.
    page.goto("/atlas/")
    page.click("text=Bourse-projets")
    page.wait_for_selector("[data-atlas-map][data-markers='1']")
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup-content a").inner_text() == "Marché couvert de Kaolack"
    screenshot(page, "bourse-projets")
