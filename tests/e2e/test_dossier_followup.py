"""A funded dossier followed to its end in the browser, both sides at their own screens: the
instructor (logged in with the authenticator app's code, as staff must) accepts the dossier,
prepares the agreement and signs it for the CNCD; the authority signs, requests the advance with
its supporting document; the instructor checks and pays it; the authority files the final report;
the instructor accepts it and closes the follow-up with what is to be recovered, which the
authority then reads on the dossier's page."""

import datetime as dt

import pytest
from django.utils import timezone

from forms.dossiers import services
from forms.models import Dossier
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.e2e.test_editor_journeys import enter_totp_code
from tests.factories import PASSWORD, STAFF_TOTP_SECRET, UserFactory, add_call, member_of_authority
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def staff_log_in(page, username: str, next_url: str) -> None:
    """Staff log in on the site as members do, then give their authenticator app's code."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    enter_totp_code(page, STAFF_TOTP_SECRET)
    page.wait_for_url(f"**{next_url}")


def act(page, action: str):
    """The form of the dossier page that takes this action."""
    return page.locator(f"form:has(input[name=action][value={action}]), form:has(button[value={action}])")


def done(page) -> None:
    page.wait_for_selector("text=C’est fait.")


def test_a_dossier_through_agreement_payment_and_final_report_to_closure(page, browser, live_server, tmp_path):
    call = add_call("Appel à projets 2027")
    lyon = member_of_authority("maire-lyon", "69123", "Lyon")
    UserFactory(username="instructeur", is_staff=True, is_superuser=True)
    dossier = services.create_dossier(lyon, call.pk, {**COMPLETE})
    dossier = services.submit(lyon, dossier.pk, dossier.version)
    today = timezone.localdate()
    url = f"/teleprocedures/dossiers/{dossier.pk}/"

    instructor = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    staff_log_in(instructor, "instructeur", url)
    decide = act(instructor, "decide")
    decide.locator("select[name=decision]").select_option("accepted")
    decide.locator("textarea[name=motivation]").fill("Projet solide.")
    decide.locator("button").click()
    done(instructor)

    prepare = act(instructor, "agreement")
    prepare.locator("input[name=amount]").fill("40000")
    prepare.locator("textarea[name=conditions]").fill("Mention du soutien de l'État.")
    for row, (label, amount, date) in enumerate(
        [("Avance", "16000", today), ("Solde", "24000", today + dt.timedelta(days=200))], start=1
    ):
        prepare.locator(f"#tranche-label-{row}").fill(label)
        prepare.locator(f"#tranche-amount-{row}").fill(amount)
        prepare.locator(f"#tranche-date-{row}").fill(date.isoformat())
    prepare.locator("#report-kind-1").select_option("final")
    prepare.locator("#report-due-1").fill((today + dt.timedelta(days=300)).isoformat())
    prepare.locator("button").click()
    done(instructor)
    act(instructor, "sign").locator("button:has-text('Signer pour la CNCD')").click()
    done(instructor)
    assert accessibility_violations(instructor) == []

    log_in(page, "maire-lyon", url)
    assert page.locator("[data-agreement-state]").text_content() == "En attente des signatures"
    assert "Pour la CNCD : signée en ligne" in page.locator("#suivi").inner_text()
    act(page, "sign").locator("button:has-text('Signer pour ma collectivité')").click()
    done(page)
    assert page.locator("[data-agreement-state]").text_content() == "Signée"

    proof = tmp_path / "devis.pdf"
    proof.write_bytes(b"%PDF-1.4\n%%EOF\n")
    agreement = Dossier.objects.get(pk=dossier.pk).agreement
    advance = agreement.tranches.get(label="Avance")
    form = page.locator(f"[data-tranche='{advance.pk}'] form")
    form.locator("textarea[name=note]").fill("Démarrage des travaux")
    form.locator("input[name=files]").set_input_files(str(proof))
    form.locator("button:has-text('Demander le versement')").click()
    done(page)
    assert "Demandée" in page.locator(f"[data-tranche='{advance.pk}']").inner_text()
    assert accessibility_violations(page) == []

    instructor.goto(url)
    row = instructor.locator(f"[data-tranche='{advance.pk}']")
    assert "devis.pdf" in row.inner_text()
    row.locator("button[value=check_tranche]").click()
    done(instructor)
    pay = instructor.locator(f"[data-tranche='{advance.pk}'] form")
    pay.locator("input[name=paid_on]").fill(today.isoformat())
    pay.locator("button").click()
    done(instructor)

    page.goto(url)
    assert "Versée" in page.locator(f"[data-tranche='{advance.pk}']").inner_text()
    final = agreement.reports.get()
    report = page.locator(f"[data-report='{final.pk}'] form")
    report.locator("textarea[name=text]").fill("Trois quartiers raccordés, douze mille euros non dépensés.")
    report.locator("button:has-text('Déposer le rapport')").click()
    done(page)

    instructor.goto(url)
    instructor.locator(f"[data-report='{final.pk}'] button[value=accept_report]").click()
    done(instructor)
    close = act(instructor, "close_followup")
    close.locator("input[name=spent_amount]").fill("4000")
    close.locator("textarea[name=note]").fill("Projet réduit à un quartier.")
    close.locator("button").click()
    done(instructor)
    assert accessibility_violations(instructor) == []

    page.goto(url)
    closure = page.locator("#closure").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "à recouvrer : 12 000,00 €" in closure, closure
    assert "Projet réduit à un quartier." in closure
    found = Dossier.objects.get(pk=dossier.pk)
    assert (found.state, found.agreement.state) == ("accepted", "closed")
    assert found.agreement.tranches.get(label="Avance").paid_amount == 16000
    assert accessibility_violations(page) == []
    screenshot(page, "dossier-followup")
