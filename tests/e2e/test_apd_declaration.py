"""A local authority declares its official development assistance in the browser: each OECD code
is explained as it is typed (its French name, or why it is refused), the line is added and the
declaration submitted."""

import pytest

from forms.models import ApdDeclaration
from tests.e2e.conftest import screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.factories import add_apd_campaign, member_of_authority

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_codes_are_explained_as_typed_then_the_declaration_is_submitted(page, browser, live_server):
    add_apd_campaign(2026)
    member_of_authority("maire-lyon", "69123", "Lyon")

    log_in(page, "maire-lyon", "/teleprocedures/apd/")
    page.click("button:has-text('Déclarer')")
    page.wait_for_selector("h1:has-text('Aide publique au développement 2026')")

    page.fill("input[name=purpose_code]", "12345")
    hint = page.locator("#id_purpose_code-code")
    hint.filter(has_text="12345 ne figure pas dans la liste").wait_for()
    page.fill("input[name=purpose_code]", "14030")
    hint.filter(has_text="Approvisionnement en eau potable").wait_for()
    page.fill("input[name=recipient]", "US")
    page.locator("#id_recipient-code").filter(has_text="ne figure pas sur la liste").wait_for()
    page.fill("input[name=recipient]", "SN")
    page.locator("#id_recipient-code").filter(has_text="Sénégal").wait_for()

    page.fill("input[name=title]", "Eau potable à Dakar")
    page.fill("input[name=disbursed]", "45000")
    page.click("button:has-text('Ajouter la ligne')")
    page.locator("tr[data-line]").filter(has_text="Eau potable à Dakar").wait_for()
    page.click("button:has-text('Transmettre la déclaration')")
    page.locator("text=accusé de réception (PDF)").wait_for()
    assert ApdDeclaration.objects.get().state == "submitted"
    screenshot(page, "apd-declaration")
