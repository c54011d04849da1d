"""A member logs in, reads a padlocked article of their group and adds it to their selection,
saves an Atlas map into a new album, reopens it on the same view, and keeps the PDF of the
results in their personal space (one journey: the live server's database is rebuilt between
tests)."""

from urllib.parse import urlsplit

import pytest

from atlas_pages.models import AtlasPage
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, MemberFactory, add_article, add_page, add_rubric, home_page, padlock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def settled(page) -> None:
    """Leaflet has finished animating the map (its zoom class is gone). Selectors, not
    evaluated JavaScript: the page's Content Security Policy forbids eval."""
    page.locator("#atlas-map[data-current-zoom]").wait_for(state="attached")
    page.locator("#atlas-map .leaflet-zoom-anim").wait_for(state="detached")


def test_selection_album_and_export_in_the_personal_space(page, atlas):  # noqa: F811
    MemberFactory(username="maire-lyon", groups=["collectivites"])
    article = add_article(
        add_rubric("Actualités"),
        "Programme 2027",
        body="Les montants réservés aux élus",
        target_groups=["collectivites"],
    )
    padlock(article, "collectivites")
    add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")

    page.goto(f"/accounts/login/?next={article.url}")
    page.fill("input[name=login]", "maire-lyon")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == article.url)
    assert "Les montants réservés aux élus" in page.locator(".cncd-body").inner_text()
    page.click("text=Ajouter cet article à ma sélection")
    page.wait_for_selector("text=Dans ma sélection")

    # The Atlas: search, zoom in once the map has settled, save it as it is now into a new album.
    page.goto("/atlas/?country=SN")
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    settled(page)
    before = int(page.get_attribute("#atlas-map", "data-current-zoom"))
    page.click("#atlas-map .leaflet-control-zoom-in")
    page.locator(f"#atlas-map[data-current-zoom='{before + 1}']").wait_for(state="attached")
    settled(page)
    zoom = page.get_attribute("#atlas-map", "data-current-zoom")
    centre = page.get_attribute("#atlas-map", "data-current-center")
    assert page.input_value("input[name=zoom]") == zoom  # the form follows the map
    page.click("summary:has-text('Enregistrer cette carte dans mon espace personnel')")
    # The opened form fits the page: nothing to scroll sideways at 1,280 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.fill("input[name=title]", "Nos projets au Sénégal")
    page.select_option("select[name=album]", "new")
    page.fill("input[name=album_name]", "Afrique de l'Ouest")
    page.click("form[aria-label='Enregistrer cette carte dans mon espace personnel'] button[type=submit]")
    page.wait_for_selector("text=La carte « Nos projets au Sénégal » a été enregistrée")

    # Reopened from the album, the map shows the same projects on the same view.
    page.click("a:has-text('Nos projets au Sénégal')")
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    settled(page)
    assert page.get_attribute("#atlas-map", "data-current-zoom") == zoom
    reopened = page.get_attribute("#atlas-map", "data-current-center")
    pixel = 360 / (256 * 2 ** int(zoom))  # degrees of longitude per pixel at that zoom
    for before, after in zip(centre.split(","), reopened.split(","), strict=True):
        assert abs(float(before) - float(after)) < 2 * pixel, (centre, reopened)

    # Keep the PDF of the results, then find it with the article in the personal space.
    # Small enough to be made at once: the page offers it when it is kept.
    page.click("text=Conserver le PDF dans mon espace personnel (par pays)")
    page.get_by_role("status").get_by_role("link", name="le télécharger").wait_for()
    page.get_by_role("status").get_by_role("link", name="Il est aussi conservé dans « Mes exports PDF ».").click()
    page.wait_for_url("**/espace-personnel/mes-exports/")
    assert "Atlas : Sénégal" in page.locator("[data-export]").inner_text()
    page.goto("/espace-personnel/")
    # The personal space's menus, by the keyboard: “Mes contenus”, then “Ma sélection”.
    nav = page.locator("#space-navigation")
    assert nav.get_by_role("link", name="Ma sélection").is_hidden()
    nav.get_by_role("button", name="Mes contenus").focus()
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Ma sélection").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace-personnel/ma-selection/")
    assert "Programme 2027" in page.locator("[data-bookmark]").inner_text()
    assert page.locator("#space-navigation [aria-current=true]").inner_text() == "Mes contenus"
    page.goto("/espace-personnel/")
    assert "Programme 2027" in page.locator("[data-brief-item]").inner_text()
    assert page.locator("[data-brief-item] .fr-badge--new").count() == 0  # read at the start of the journey
    screenshot(page, "personal-space")
