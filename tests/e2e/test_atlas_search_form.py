"""A visitor, then a member, search the Atlas the way people do: authorities chosen by name as
they are typed (with the keyboard), the area chosen on the map (the area shown, then one drawn
with the mouse), and a PDF that says what will happen: downloaded at once when small, prepared
by the worker with its progress on the page when large; the search's trends, charted and in a
table. axe judges each state of the page."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from atlas_pages.atlas import pdf as atlas_pdf
from atlas_pages.models import AtlasPage
from extranet.models import AtlasExport
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.extranet.test_saved_exports import text_of
from tests.factories import MemberFactory, add_page, home_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def count(page) -> str:
    return page.locator("#atlas-count").inner_text()


def test_authorities_by_name_and_the_area_on_the_map(page, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")
    page.goto("/atlas/")
    page.wait_for_selector("[data-atlas-map][data-markers='5']")
    assert "(Optionnel)" not in page.content()

    # A French authority, by name, with the keyboard: the list opens, the arrow chooses.
    field = page.get_by_role("combobox", name="Collectivité française")
    field.press_sequentially("rhone", delay=30)
    page.wait_for_selector("#id_authority_name[aria-expanded=true]")
    options = page.get_by_role("listbox", name="Suggestions pour « Collectivité française »").get_by_role("option")
    assert options.all_inner_texts() == ["Auvergne-Rhône-Alpes (région) (Région)"]
    assert accessibility_violations(page) == []
    screenshot(page, "atlas-authority-by-name")
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "Auvergne-Rhône-Alpes (région)"
    assert page.input_value("#id_authority") == "R84"
    field.press("Enter")  # sends the form
    page.wait_for_url("**/atlas/?*authority=R84*")
    assert count(page) == "2 projets"
    assert page.get_by_role("combobox", name="Collectivité française").input_value() == "Auvergne-Rhône-Alpes (région)"

    # A partner authority the same way, after erasing the French one.
    page.get_by_role("combobox", name="Collectivité française").fill("")
    partner = page.get_by_role("combobox", name="Collectivité partenaire")
    partner.press_sequentially("dakar", delay=30)
    page.get_by_role("listbox", name="Suggestions pour « Collectivité partenaire »").get_by_role(
        "option", name="Ville de Dakar (Sénégal)"
    ).click()
    partner.press("Enter")
    page.wait_for_url(f"**/atlas/?*partner={atlas.dakar.pk}*")
    assert count(page) == "1 projet"
    assert "authority=R84" not in page.url

    # The trends of the search: two charts, and their table opened from the keyboard.
    trends = page.locator("#atlas-trends")
    assert trends.get_by_role("img").count() == 2
    trends.get_by_text("Les chiffres, année par année (tableau)").focus()
    page.keyboard.press("Enter")
    assert trends.get_by_role("row", name="2018 1 1").is_visible()
    assert accessibility_violations(page) == []

    # The area shown on the map, chosen from the keyboard: the search keeps to it.
    page.goto("/atlas/?country=SN")
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    page.get_by_role("button", name="Chercher dans la zone affichée").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/atlas/?*bbox=*")
    assert count(page) == "3 projets" and "country=SN" in page.url
    assert page.get_by_text("Recherche limitée à une zone de la carte").is_visible()
    assert accessibility_violations(page) == []

    # An area drawn with the mouse around Dakar and Thiès only (not Saint-Louis, further north).
    page.get_by_role("link", name="Retirer la zone").click()
    page.wait_for_selector("[data-atlas-map][data-markers='3']")
    draw = page.get_by_role("button", name="Dessiner une zone sur la carte")
    draw.click()
    assert draw.get_attribute("aria-pressed") == "true"
    assert "Échap annule" in page.locator("[data-area-status]").inner_text()
    corner = page.evaluate(
        """() => {
            const map = document.getElementById("atlas-map"), box = map.getBoundingClientRect();
            return {left: box.left, top: box.top, width: box.width, height: box.height};
        }"""
    )
    # The map's view is known from its current bbox: the pixels of two corners around Dakar.
    west, south, east, north = (float(v) for v in page.get_attribute("#atlas-map", "data-current-bbox").split(","))

    def pixel(lat, lng):
        import math

        def y(value):  # Web Mercator, as Leaflet draws
            return math.log(math.tan(math.pi / 4 + math.radians(value) / 2))

        return (
            corner["left"] + (lng - west) / (east - west) * corner["width"],
            corner["top"] + (y(north) - y(lat)) / (y(north) - y(south)) * corner["height"],
        )

    start, end = pixel(15.3, -17.8), pixel(14.3, -16.5)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    page.wait_for_url("**/atlas/?*bbox=*")
    assert count(page) == "2 projets"  # Dakar and Thiès
    page.wait_for_selector("[data-atlas-map][data-area]")
    screenshot(page, "atlas-area-drawn")
    assert accessibility_violations(page) == []


def test_the_pdf_now_or_prepared_with_its_progress(page, atlas, monkeypatch):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")
    # A small search: downloaded at once, and the buttons say so.
    page.goto("/atlas/?country=SN")
    assert page.get_by_text("Le PDF de ces 3 projets se télécharge tout de suite.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF (par pays)").click()
    text = text_of(Path(download.value.path()).read_bytes())
    assert "Sénégal" in text and "Eau potable à Dakar" in text

    # Above the limit, a member has it prepared by the worker and follows it on the page.
    monkeypatch.setattr(atlas_pdf, "IMMEDIATE_LIMIT", 2)
    MemberFactory(username="elu-atlas", password="Mot-de-passe-2026")
    page.goto("/accounts/login/?next=/atlas/%3Fcountry%3DSN")
    page.fill("input[name=login]", "elu-atlas")
    page.fill("input[name=password]", "Mot-de-passe-2026")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/atlas/?country=SN")
    assert page.get_by_role("link", name="Télécharger le PDF (par pays)").count() == 0
    hint = "Le PDF de ces 3 projets est préparé en arrière-plan et conservé dans « Mes exports PDF »"
    assert page.get_by_text(hint).is_visible()
    # Opening "Enregistrer cette carte" does not widen the page.
    page.get_by_text("Enregistrer cette carte dans mon espace personnel").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    with override_settings(TASKS=DB_QUEUE):
        page.get_by_role("button", name="Préparer le PDF (par pays)").click()
        page.wait_for_selector("[data-keep-progress]:not([hidden])")
        status = page.get_by_role("status")
        status.get_by_text("Le PDF est en préparation : vous pouvez quitter cette page", exact=False).wait_for()
        assert page.get_by_role("button", name="Préparer le PDF (par pays)").is_disabled()
        page.wait_for_function("() => document.querySelector('[data-progress-text]').textContent === '0 %'")
        assert accessibility_violations(page) == []
        export = AtlasExport.objects.get(owner__username="elu-atlas")
        assert export.status == "pending"
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # the worker makes it
    status = page.get_by_role("status")
    status.get_by_role("link", name="le télécharger").wait_for()
    assert status.inner_text().startswith("Le PDF est prêt : le télécharger.")
    assert page.locator("#atlas-keep-progress").get_attribute("value") == "100"
    assert (
        status.get_by_role("link", name="le télécharger")
        .get_attribute("href")
        .endswith(f"/api/me/exports/{export.pk}/pdf")
    )
    screenshot(page, "atlas-export-prepared")
    with page.expect_download() as download:
        status.get_by_role("link", name="le télécharger").click()
    assert "Déchets à Thiès" in text_of(Path(download.value.path()).read_bytes())
    assert accessibility_violations(page) == []


def test_an_alert_on_a_search_from_following_it_to_stopping_it_in_one_click(page, atlas):  # noqa: F811
    from urllib.parse import urlsplit

    from django.core import mail as outbox

    from tests.atlas_pages.test_atlas_search import project

    add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")
    MemberFactory(username="elu-alerte", password="Mot-de-passe-2026", email="elu@ville.example.org")
    page.goto("/accounts/login/?next=/atlas/%3Fcountry%3DSN")
    page.fill("input[name=login]", "elu-alerte")
    page.fill("input[name=password]", "Mot-de-passe-2026")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/atlas/?country=SN")
    page.get_by_role("button", name="Recevoir les nouveaux projets de cette recherche").click()
    page.wait_for_url("**/espace-personnel/mes-alertes/*")
    assert page.get_by_text("Vous suivez la recherche « Atlas : Sénégal »").is_visible()
    card = page.locator("[data-alert]")
    assert card.locator(".fr-badge").inner_text().lower() == "active" and "Pays : Sénégal" in card.inner_text()
    assert accessibility_violations(page) == []
    screenshot(page, "my-alerts")

    # A project is added in Senegal; the worker sends the week's digest.
    project("Santé à Ziguinchor", "SN", [atlas.lyon], [], ["sante-social"], years=(2026, None), at=(12.56, -16.27))
    outbox.outbox.clear()
    with override_settings(TASKS=DB_QUEUE):
        call_command("send_search_alerts")
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    [message] = outbox.outbox
    assert message.to == ["elu@ville.example.org"] and "Santé à Ziguinchor" in message.body
    stop = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path

    # The e-mail's link: one button, no login needed.
    page.context.clear_cookies()
    page.goto(stop)
    assert page.get_by_text("Arrêter les courriels de l'alerte « Atlas : Sénégal » ?").is_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Arrêter l'alerte").click()
    assert page.get_by_role("status").inner_text().startswith("L'alerte « Atlas : Sénégal » est arrêtée")
    page.goto("/accounts/login/?next=/espace-personnel/mes-alertes/")
    page.fill("input[name=login]", "elu-alerte")
    page.fill("input[name=password]", "Mot-de-passe-2026")
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/espace-personnel/mes-alertes/")
    assert page.locator("[data-alert] .fr-badge").inner_text().lower() == "arrêtée"
    page.get_by_role("button", name="Réactiver l'alerte").click()
    page.get_by_text("L'alerte est réactivée.").wait_for()
    assert page.locator("[data-alert] .fr-badge").inner_text().lower() == "active"
