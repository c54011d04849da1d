"""e-APD in the reference front end: a local authority's member declares, corrects and submits
on the site; a refused line comes back with what was typed and each fault next to its field;
the declaration and its receipt appear in “Mes télédéclarations”."""

import pytest
from django.core import mail

from forms.models import ApdDeclaration
from tests.factories import add_apd_campaign

pytestmark = pytest.mark.django_db

LINE = {
    "action": "save_line",
    "project_id": "",
    "title": "Eau potable à Dakar",
    "recipient": "SN",
    "purpose_code": "14030",
    "aid_type": "C01",
    "channel_code": "11002",
    "flow_type": "10",
    "finance_type": "110",
    "disbursed": "45 000,50",
    "committed": "",
    "marker_gender": "1",
    "marker_environment": "0",
    "marker_climate_mitigation": "0",
    "marker_climate_adaptation": "0",
    "marker_biodiversity": "0",
    "legal_basis": "water",
}


@pytest.fixture
def campaign(db):
    return add_apd_campaign(2026)


def start(client, campaign) -> str:
    response = client.post(f"/teleprocedures/apd/campagnes/{campaign.pk}/declarer/")
    assert response.status_code == 302
    return response["Location"]


def test_a_member_declares_on_the_site(people, campaign):
    home = people.lyon.get("/teleprocedures/apd/")
    assert home.status_code == 200
    assert "Déclaration APD 2026" in home.content.decode() and "Déclarer" in home.content.decode()
    page = start(people.lyon, campaign)
    assert people.lyon.get(page).status_code == 200
    added = people.lyon.post(page, LINE, follow=True)
    text = added.content.decode()
    assert "La ligne a été ajoutée." in text
    assert "Sénégal" in text and "Approvisionnement en eau potable" in text
    line = ApdDeclaration.objects.get().lines.get()
    assert str(line.disbursed) == "45000.50", "French amounts are understood"
    correcting = people.lyon.get(f"{page}?ligne={line.pk}")
    assert 'value="Eau potable à Dakar"' in correcting.content.decode()
    people.lyon.post(page, {**LINE, "line": line.pk, "purpose_code": "14031"})
    line.refresh_from_db()
    assert line.purpose_code == "14031"
    submitted = people.lyon.post(page, {"action": "submit"}, follow=True)
    assert "Votre déclaration a été transmise" in submitted.content.decode()
    assert "accusé de réception (PDF)" in submitted.content.decode()
    assert mail.outbox[-1].attachments[0][0] == "APD-2026-69123.pdf"
    receipt = people.lyon.get(f"{page}accuse-de-reception.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_a_refused_line_keeps_what_was_typed_and_names_each_fault(people, campaign):
    page = start(people.lyon, campaign)
    people.lyon.post(page, LINE)
    response = people.lyon.post(
        page, {**LINE, "title": "Formation", "purpose_code": "12345", "disbursed": "-3", "marker_gender": "5"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"purpose_code", "disbursed", "marker_gender"}
    text = response.content.decode()
    assert "12345 ne figure pas dans la liste de l’OCDE" in text
    assert "Un montant ne peut pas être négatif." in text
    assert 'value="Formation"' in text, "what was typed is kept"
    assert ApdDeclaration.objects.get().lines.count() == 1, "the saved line is still there, nothing else"


def test_staff_ask_for_a_correction_from_the_page(people, campaign):
    page = start(people.lyon, campaign)
    people.lyon.post(page, LINE)
    people.lyon.post(page, {"action": "submit"})
    staff_view = people.staff.get(page).content.decode()
    assert "Demander une correction" in staff_view and "Ajouter la ligne" not in staff_view
    people.staff.post(page, {"action": "request_correction", "reason": "Le canal est à revoir."})
    lyon_view = people.lyon.get(page).content.decode()
    assert "La CNCD demande une correction" in lyon_view and "Le canal est à revoir." in lyon_view
    assert "Ajouter la ligne" in lyon_view


def test_the_page_is_for_a_local_authority_s_members_and_staff(people, campaign):
    page = start(people.lyon, campaign)
    for outsider in (people.ngo, people.embassy_sn):
        refused = outsider.get("/teleprocedures/apd/")
        assert refused.status_code == 403
        assert "complétez votre profil" in refused.content.decode()
        assert outsider.get(page).status_code == 404
    assert people.rennes.get(page).status_code == 404
    assert people.staff.get("/teleprocedures/apd/").status_code == 200
    assert "APD-2026-69123" in people.staff.get("/teleprocedures/apd/").content.decode()


def test_declarations_appear_in_the_member_s_history(people, campaign):
    page = start(people.lyon, campaign)
    people.lyon.post(page, LINE)
    people.lyon.post(page, {"action": "submit"})
    history = people.lyon_colleague.get("/api/me/declarations/").json()
    apd = next(item for item in history["items"] if item["kind"] == "apd")
    assert apd["reference"] == "APD-2026-69123" and apd["status"] == "submitted"
    assert apd["receipt_url"].endswith("accuse-de-reception.pdf") and apd["url"] == page
    listed = people.lyon.get("/espace-personnel/mes-teledeclarations/").content.decode()
    assert "APD-2026-69123" in listed and "accuse-de-reception.pdf" in listed
    space = people.lyon.get("/espace-personnel/").content.decode()
    assert "/teleprocedures/apd/" in space
    assert "/teleprocedures/apd/" not in people.ngo.get("/espace-personnel/").content.decode()
    assert people.rennes.get("/api/me/declarations/").json()["count"] == 0


def test_a_filter_that_is_not_valid_is_named_on_the_page_and_in_the_api(people, campaign):
    start(people.lyon, campaign)
    page = people.lyon.get("/teleprocedures/apd/?etat=perdu&campagne=x")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Choisissez une campagne dans la liste" in text and "Choisissez l’un des états" in text
    assert "APD-2026-69123" in text  # the list, unfiltered
    refused = people.lyon.get("/api/declarations/apd/?state=perdu")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "state"
    assert people.lyon.get("/api/declarations/apd/?state=draft").json()["count"] == 1
