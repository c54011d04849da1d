"""The dossier as a PDF and the decision letter, read back as text: every field, the budget,
the opinions the reader may read (confidential ones only in the staff's copy), the history."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db
SECRET = "Relations tendues entre les exécutifs"


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def decided(people, call):
    dossier = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    url = f"/api/dossiers/{dossier['id']}/"
    post(people.lyon, f"{url}submit/", {"version": 1})
    embassy, prefecture = post(people.staff, f"{url}opinions/", {}).json()
    people.embassy_sn.put(
        f"{url}opinions/{embassy['id']}/",
        {"verdict": "favourable", "text": "Partenaire fiable."},
        content_type="application/json",
    )
    people.prefecture_ara.put(
        f"{url}opinions/{prefecture['id']}/",
        {"verdict": "reserved", "text": SECRET, "confidential": True},
        content_type="application/json",
    )
    version = people.staff.get(url).json()["version"]
    post(
        people.staff,
        f"{url}decision/",
        {"version": version, "decision": "accepted", "motivation": "Projet exemplaire."},
    )
    return dossier


def test_the_dossier_pdf_has_every_field_and_the_readers_opinions(people, decided):
    text = text_of(people.lyon.get(f"/api/dossiers/{decided['id']}/pdf"))
    for expected in (
        decided["reference"],
        "Eau potable à Dakar",
        "Lyon (69123), Auvergne-Rhône-Alpes",
        "Ville de Dakar — Sénégal",
        "Raccorder trois quartiers au réseau d'eau potable.",
        "Inès Roux",
        "Travaux",
        "Demandé à l'État (MEAE)",
        "Ambassade du pays partenaire — Favorable",
        "Partenaire fiable.",
        "Accepté",
        "Projet exemplaire.",
        "Dossier déposé",
        "Avis rendu",
    ):
        assert expected in text, expected
    assert SECRET not in text and "Préfecture de la région de la collectivité — Favorable avec réserves" not in text

    staff_copy = text_of(people.staff.get(f"/api/dossiers/{decided['id']}/pdf"))
    assert SECRET in staff_copy and "Copie de l’équipe : avis confidentiels compris" in staff_copy
    assert people.embassy_vn.get(f"/api/dossiers/{decided['id']}/pdf").status_code == 404


def test_the_decision_letter_goes_to_the_authority(people, decided):
    text = text_of(people.lyon_colleague.get(f"/api/dossiers/{decided['id']}/decision-letter.pdf"))
    assert "Lettre de décision" in text and "Lyon" in text
    assert f"dossier de cofinancement {decided['reference']}" in text
    assert "a été retenue, pour un cofinancement de 40 000,00 €" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Projet exemplaire." in text
    assert people.embassy_sn.get(f"/api/dossiers/{decided['id']}/decision-letter.pdf").status_code == 403


def test_no_decision_letter_before_the_decision(people, call):
    dossier = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    response = people.lyon.get(f"/api/dossiers/{dossier['id']}/decision-letter.pdf")
    assert response.status_code == 409 and response.json()["detail"] == "Le dossier n’a pas encore été décidé."


def test_the_procedures_pdfs_carry_the_state_logo_block_in_marianne(people, decided):
    response = people.lyon_colleague.get(f"/api/dossiers/{decided['id']}/decision-letter.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].extract_text().startswith("RÉPUBLIQUE\nFRANÇAISE")
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert "Marianne" in fonts and not any("DejaVu" in name for name in fonts)
