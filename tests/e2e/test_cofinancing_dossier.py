"""A local authority files a co-financing dossier in the browser and follows it; the embassy
of the partner country gives its opinion; the authority then reads it on the dossier's page."""

from urllib.parse import urlsplit

import pytest

from forms.dossiers import services
from forms.models import Dossier
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory, add_call, member_of_authority, member_with_profile

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == next_url)


def test_a_dossier_filed_then_given_an_opinion_by_the_embassy(page, browser, live_server):
    call = add_call("Appel à projets 2027", required_opinions=[("ambassades", 30)])
    member_of_authority("maire-lyon", "69123", "Lyon")
    member_with_profile("ambassade-sn", "ambassades", country="SN")
    staff = UserFactory(username="instructeur", is_staff=True, is_superuser=True)

    log_in(page, "maire-lyon", call.url)
    page.click("text=Déposer un dossier")
    page.wait_for_selector("form[aria-label='Dossier de cofinancement']")
    page.fill("input[name=title]", "Eau potable à Dakar")
    page.fill("input[name=partner_name]", "Ville de Dakar")
    page.select_option("select[name=partner_country]", "SN")
    page.locator("label:has-text('Eau et assainissement')").click()  # DSFR draws the box on the label
    page.fill("textarea[name=description]", "Raccorder trois quartiers au réseau d'eau potable.")
    page.fill("textarea[name=objectives]", "10 000 habitants raccordés.")
    page.fill("input[name=start_year]", "2027")
    page.select_option("select[name=duration_years]", "1")
    for number, (kind, label, source, amount) in enumerate(
        [
            ("expense", "Travaux", "", "100000"),
            ("resource", "Ville de Lyon", "own", "60000"),
            ("resource", "MEAE", "requested", "40000"),
        ]
    ):
        page.select_option(f"select[name=budget-{number}-kind]", kind)
        page.fill(f"input[name=budget-{number}-label]", label)
        if source:
            page.select_option(f"select[name=budget-{number}-source]", source)
        page.fill(f"input[name=budget-{number}-amount]", amount)
    page.fill("input[name=contacts-0-name]", "Inès Roux")
    page.click("button[name=submit]")
    page.wait_for_selector("text=Votre dossier a été déposé")
    assert page.locator("[data-state]").text_content() == "Déposé"
    dossier = Dossier.objects.get()
    dossier_url = f"/teleprocedures/dossiers/{dossier.pk}/"

    services.request_opinions(staff, dossier.pk)  # the CNCD team asks the embassy

    embassy = browser.new_context(base_url=live_server.url, locale="fr-FR")
    embassy.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
    )
    embassy_page = embassy.new_page()
    log_in(embassy_page, "ambassade-sn", dossier_url)
    assert "En attente de l’avis de Ambassade du pays partenaire" in embassy_page.locator("#waiting").inner_text()
    form = embassy_page.locator("form[aria-label='Donner votre avis']")
    form.locator("label:has-text('Favorable avec réserves')").click()
    form.locator("textarea").fill("Partenaire fiable ; calendrier à préciser.")
    form.locator("button[type=submit]").click()
    embassy_page.wait_for_selector("text=C’est fait.")
    embassy.close()

    page.goto(dossier_url)
    opinion = page.locator("[data-opinion]").inner_text()
    assert "Favorable avec réserves" in opinion and "Partenaire fiable ; calendrier à préciser." in opinion
    assert page.locator("#waiting").count() == 0
    screenshot(page, "cofinancing-dossier")
