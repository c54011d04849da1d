"""e-APD: a local authority declares its official development assistance of the year, line by
line in OECD terms; codes are checked as they are typed, every fault is named by its field and
nothing saved is lost; submission is acknowledged by e-mail with a PDF receipt; staff ask for
corrections."""

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from forms.models import ApdDeclaration
from tests.factories import add_apd_campaign, add_project

pytestmark = pytest.mark.django_db

LINE = {
    "title": "Eau potable à Dakar",
    "recipient": "SN",
    "purpose_code": "14030",
    "aid_type": "C01",
    "channel_code": "11002",
    "disbursed": "45000.50",
    "committed": "60000",
    "marker_gender": 1,
    "marker_environment": 2,
    "legal_basis": "water",
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def errors_by_field(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def campaign(db):
    return add_apd_campaign(2026)


@pytest.fixture
def draft(people, campaign):
    response = post(people.lyon, f"/api/declarations/apd/campaigns/{campaign.pk}/declaration/")
    assert response.status_code == 201, response.content
    return response.json()


def test_codes_are_explained_in_french_as_they_are_typed(people):
    found = people.lyon.get("/api/declarations/apd/codes/purpose/14030")
    assert found.status_code == 200
    assert found.json()["name"].startswith("Approvisionnement en eau potable")
    unknown = people.lyon.get("/api/declarations/apd/codes/purpose/99999")
    assert unknown.status_code == 422
    assert "99999" in errors_by_field(unknown)["code"] and "OCDE" in errors_by_field(unknown)["code"]
    rich = people.lyon.get("/api/declarations/apd/codes/recipient/US")
    assert rich.status_code == 422
    assert "États-Unis" in errors_by_field(rich)["code"]
    assert "aide publique au développement" in errors_by_field(rich)["code"]
    assert (
        people.lyon.get("/api/declarations/apd/codes/recipient/998").json()["name"]
        == "Pays en développement, non spécifié"
    )
    withdrawn = people.lyon.get("/api/declarations/apd/codes/flow_type/20")
    assert withdrawn.status_code == 422 and "retiré" in errors_by_field(withdrawn)["code"]
    listed = people.lyon.get("/api/declarations/apd/codes/purpose/", {"q": "eau potable"}).json()
    assert "14030" in [item["code"] for item in listed["items"]]


def test_a_local_authority_declares_lines(people, campaign, draft):
    assert draft["reference"] == "APD-2026-69123" and draft["state"] == "draft" and draft["editable"]
    line = post(people.lyon, f"/api/declarations/apd/{draft['id']}/lines/", LINE)
    assert line.status_code == 201, line.content
    assert line.json()["recipient_name"] == "Sénégal"
    assert line.json()["purpose_name"].startswith("Approvisionnement en eau potable")
    again = post(people.lyon_colleague, f"/api/declarations/apd/campaigns/{campaign.pk}/declaration/")
    assert again.status_code == 200 and again.json()["id"] == draft["id"], "one declaration per authority and year"
    detail = again.json()
    assert detail["totals"] == {"lines": 1, "disbursed": "45000.50", "committed": "60000.00"}


def test_faulty_lines_are_refused_field_by_field_and_the_draft_is_kept(people, draft):
    path = f"/api/declarations/apd/{draft['id']}/lines/"
    kept = post(people.lyon, path, LINE).json()
    faulty = {
        **LINE,
        "purpose_code": "12345",
        "disbursed": "-10",
        "marker_gender": 3,
        "recipient": "DE",
        "committed": "abc",
    }
    response = post(people.lyon, path, faulty)
    assert response.status_code == 422
    errors = errors_by_field(response)
    assert set(errors) == {"purpose_code", "disbursed", "marker_gender", "recipient", "committed"}
    assert "12345" in errors["purpose_code"]
    assert "négatif" in errors["disbursed"]
    assert "0" in errors["marker_gender"] and "2" in errors["marker_gender"]
    assert "Allemagne" in errors["recipient"]
    change = people.lyon.put(f"{path}{kept['id']}/", {**LINE, "aid_type": "Z99"}, content_type="application/json")
    assert change.status_code == 422 and "aid_type" in errors_by_field(change)
    declaration = people.lyon.get(f"/api/declarations/apd/{draft['id']}/").json()
    assert [line["aid_type"] for line in declaration["lines"]] == ["C01"], "the saved line is as it was"
    assert declaration["totals"]["lines"] == 1


def test_lines_are_picked_among_the_authority_s_atlas_projects(people, draft):
    ours = add_project("Jumelage Lyon-Ouagadougou", "69123", country="BF")
    theirs = add_project("Coopération Rennes-Sénégal", "35238", country="SN")
    path = f"/api/declarations/apd/{draft['id']}/lines/"
    picked = post(people.lyon, path, {**LINE, "title": "", "recipient": "", "project_id": ours.pk})
    assert picked.status_code == 201, picked.content
    assert picked.json()["title"] == "Jumelage Lyon-Ouagadougou" and picked.json()["recipient"] == "BF"
    refused = post(people.lyon, path, {**LINE, "project_id": theirs.pk})
    assert refused.status_code == 422 and set(errors_by_field(refused)) == {"project_id"}


def test_lines_are_copied_from_last_year(people, draft):
    assert post(people.lyon, f"/api/declarations/apd/{draft['id']}/copy-previous/").status_code == 409
    earlier = add_apd_campaign(2025, open_now=False)
    last_year = ApdDeclaration.objects.create(
        campaign=earlier, authority_id=ApdDeclaration.objects.get(pk=draft["id"]).authority_id
    )
    last_year.lines.create(title="Formation des agents", recipient="VN", purpose_code="15110", disbursed=12000)
    last_year.lines.create(title="Sensibilisation", recipient="998", purpose_code="99820", disbursed=3000)
    response = post(people.lyon, f"/api/declarations/apd/{draft['id']}/copy-previous/")
    assert response.status_code == 200
    assert response.json()["copied"] == 2
    lines = response.json()["declaration"]["lines"]
    assert [(line["title"], line["recipient"]) for line in lines] == [
        ("Formation des agents", "VN"),
        ("Sensibilisation", "998"),
    ]
    assert last_year.lines.count() == 2, "last year's declaration is left as it was"


def pdf_text(content: bytes) -> str:
    """The PDF's text, French thousands separators (narrow no-break spaces) as plain spaces."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_submission_is_acknowledged_with_a_pdf_receipt(people, draft):
    path = f"/api/declarations/apd/{draft['id']}"
    empty = post(people.lyon, f"{path}/submit/")
    assert empty.status_code == 422 and set(errors_by_field(empty)) == {"lines"}
    post(people.lyon, f"{path}/lines/", LINE)
    mail.outbox.clear()
    submitted = post(people.lyon, f"{path}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted" and not submitted.json()["editable"]
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([people.users.lyon.email, people.users.lyon_colleague.email])
    message = mail.outbox[0]
    assert message.subject == "Déclaration APD APD-2026-69123 reçue"
    assert "accusé de réception est joint" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("APD-2026-69123.pdf", "application/pdf")
    text = pdf_text(content)
    assert "Accusé de réception" in text and "APD-2026-69123" in text and "45 000,50" in text
    receipt = people.lyon_colleague.get(submitted.json()["receipt_url"])
    assert receipt.status_code == 200 and pdf_text(b"".join(receipt.streaming_content)) == text
    late = post(people.lyon, f"{path}/lines/", LINE)
    assert late.status_code == 409 and "correction" in late.json()["detail"]


def test_staff_ask_for_a_correction_and_the_authority_submits_again(people, draft):
    path = f"/api/declarations/apd/{draft['id']}"
    line = post(people.lyon, f"{path}/lines/", LINE).json()
    post(people.lyon, f"{path}/submit/")
    assert post(people.lyon, f"{path}/request-correction/", {"reason": "x"}).status_code == 403
    blank = post(people.staff, f"{path}/request-correction/", {"reason": " "})
    assert blank.status_code == 422 and set(errors_by_field(blank)) == {"reason"}
    mail.outbox.clear()
    sent_back = post(people.staff, f"{path}/request-correction/", {"reason": "Le code 14030 ne convient pas."})
    assert sent_back.status_code == 200 and sent_back.json()["state"] == "correction"
    assert "Le code 14030 ne convient pas." in mail.outbox[0].body
    assert "correction" in mail.outbox[0].subject
    fixed = people.lyon.put(
        f"{path}/lines/{line['id']}/", {**LINE, "purpose_code": "14031"}, content_type="application/json"
    )
    assert fixed.status_code == 200
    again = post(people.lyon, f"{path}/submit/")
    assert again.json()["state"] == "submitted"
    assert "14031" in pdf_text(mail.outbox[-1].attachments[0][1])


def test_who_may_declare_and_read(people, campaign, draft):
    post(people.lyon, f"/api/declarations/apd/{draft['id']}/lines/", LINE)
    assert post(people.embassy_sn, f"/api/declarations/apd/campaigns/{campaign.pk}/declaration/").status_code == 403
    assert post(people.staff, f"/api/declarations/apd/campaigns/{campaign.pk}/declaration/").status_code == 403
    for outsider in (people.rennes, people.embassy_sn, people.ngo):
        assert outsider.get(f"/api/declarations/apd/{draft['id']}/").status_code == 404
        assert outsider.get("/api/declarations/apd/").json()["count"] == 0
    assert people.staff.get(f"/api/declarations/apd/{draft['id']}/").status_code == 200
    assert post(people.staff, f"/api/declarations/apd/{draft['id']}/lines/", LINE).status_code == 403
    assert people.rennes.get(f"/api/declarations/apd/campaigns/{campaign.pk}/progress").status_code == 403


def test_a_closed_campaign_takes_no_new_declaration(people):
    closed = add_apd_campaign(2024, open_now=False)
    response = post(people.lyon, f"/api/declarations/apd/campaigns/{closed.pk}/declaration/")
    assert response.status_code == 409 and "pas ouverte" in response.json()["detail"]


def test_the_declaration_reads_in_a_fixed_number_of_queries(people, draft, django_assert_max_num_queries):
    for number in range(12):
        post(people.lyon, f"/api/declarations/apd/{draft['id']}/lines/", {**LINE, "title": f"Projet {number}"})
    with django_assert_max_num_queries(12):
        response = people.lyon.get(f"/api/declarations/apd/{draft['id']}/")
    assert len(response.json()["lines"]) == 12


def test_every_change_is_in_the_history(people, draft):
    path = f"/api/declarations/apd/{draft['id']}"
    line = post(people.lyon, f"{path}/lines/", LINE).json()
    people.lyon.put(f"{path}/lines/{line['id']}/", {**LINE, "disbursed": "50000"}, content_type="application/json")
    post(people.lyon_colleague, f"{path}/submit/")
    post(people.staff, f"{path}/request-correction/", {"reason": "Le canal est à revoir."})
    history = people.lyon.get(f"{path}/history/").json()
    assert [event["action"] for event in history] == [
        "started",
        "line_added",
        "line_changed",
        "submitted",
        "correction",
    ]
    assert history[2]["detail"].endswith("50000.00 €") and "45000.50 €" in history[2]["detail"]
    colleague = people.users.lyon_colleague
    assert history[3]["who"] == (colleague.get_full_name() or colleague.email), "who submitted"
    assert history[4]["detail"] == "Le canal est à revoir."
    assert people.rennes.get(f"{path}/history/").status_code == 404
