"""A funded dossier followed to its end in the browser: the authority signs the agreement the
CNCD prepared, requests the advance with its supporting document, files the final report; the
CNCD checks and pays the tranche, accepts the report and closes the follow-up with what is to be
recovered, which the authority then reads on the dossier's page."""

import datetime as dt

import pytest
from django.utils import timezone

from forms.dossiers import followup, services
from forms.models import Dossier
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.factories import UserFactory, add_call, member_of_authority
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_dossier_through_agreement_payment_and_final_report_to_closure(page, live_server, tmp_path):
    call = add_call("Appel à projets 2027")
    lyon = member_of_authority("maire-lyon", "69123", "Lyon")
    staff = UserFactory(username="instructeur", is_staff=True, is_superuser=True)
    dossier = services.create_dossier(lyon, call.pk, {**COMPLETE})
    dossier = services.submit(lyon, dossier.pk, dossier.version)
    dossier = services.decide(staff, dossier.pk, dossier.version, "accepted", "Projet solide.")
    today = timezone.localdate()
    agreement = followup.prepare(
        staff,
        dossier.pk,
        {
            "amount": "40000",
            "conditions": "Mention du soutien de l'État.",
            "tranches": [
                {"label": "Avance", "amount": "16000", "date": today.isoformat()},
                {"label": "Solde", "amount": "24000", "date": (today + dt.timedelta(days=200)).isoformat()},
            ],
            "reports": [{"kind": "final", "due_date": (today + dt.timedelta(days=300)).isoformat()}],
        },
    )
    followup.sign(staff, dossier.pk, agreement.version)
    url = f"/teleprocedures/dossiers/{dossier.pk}/"

    log_in(page, "maire-lyon", url)
    section = page.locator("#suivi")
    assert page.locator("[data-agreement-state]").text_content() == "En attente des signatures"
    section.locator("button:has-text('Signer pour ma collectivité')").click()
    page.wait_for_selector("text=C’est fait.")
    assert page.locator("[data-agreement-state]").text_content() == "Signée"

    proof = tmp_path / "devis.pdf"
    proof.write_bytes(b"%PDF-1.4\n%%EOF\n")
    advance = agreement.tranches.get(label="Avance")
    form = page.locator(f"[data-tranche='{advance.pk}'] form")
    form.locator("textarea[name=note]").fill("Démarrage des travaux")
    form.locator("input[name=files]").set_input_files(str(proof))
    form.locator("button:has-text('Demander le versement')").click()
    page.wait_for_selector("text=C’est fait.")
    assert "Demandée" in page.locator(f"[data-tranche='{advance.pk}']").inner_text()
    assert accessibility_violations(page) == []

    followup.check_tranche(staff, dossier.pk, advance.pk, True, "")
    followup.pay_tranche(staff, dossier.pk, advance.pk, today.isoformat(), "16000")
    final = agreement.reports.get()
    page.goto(url)
    assert "Versée" in page.locator(f"[data-tranche='{advance.pk}']").inner_text()
    report = page.locator(f"[data-report='{final.pk}'] form")
    report.locator("textarea[name=text]").fill("Trois quartiers raccordés, douze mille euros non dépensés.")
    report.locator("button:has-text('Déposer le rapport')").click()
    page.wait_for_selector("text=C’est fait.")

    followup.review_report(staff, dossier.pk, final.pk, True, "")
    followup.close(staff, dossier.pk, "4000", "Projet réduit à un quartier.")
    page.goto(url)
    closure = page.locator("#closure").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "à recouvrer : 12 000,00 €" in closure, closure
    assert Dossier.objects.get(pk=dossier.pk).agreement.state == "closed"
    assert accessibility_violations(page) == []
    screenshot(page, "dossier-followup")
