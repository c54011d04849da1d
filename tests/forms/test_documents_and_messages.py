"""Documents of a dossier, judged by their content and size, handed out only to those who see
the dossier; messages between the authority and the CNCD team, with documents, told by e-mail."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from forms.models import DossierAttachment
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Budget détaillé"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, dossier, name, content, label=""):
    return client.post(
        f"/api/dossiers/{dossier['id']}/attachments/", {"file": SimpleUploadedFile(name, content), "label": label}
    )


@pytest.fixture
def dossier(people, call):
    created = people.lyon.post(
        "/api/dossiers/", {"call_id": call.pk, **COMPLETE}, content_type="application/json"
    ).json()
    people.lyon.post(f"/api/dossiers/{created['id']}/submit/", {"version": 1}, content_type="application/json")
    mail.outbox.clear()
    return created


def test_documents_go_to_those_who_see_the_dossier(people, dossier):
    response = upload(people.lyon, dossier, "lettre-dakar.pdf", PDF, label="Lettre d'intention de Dakar")
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["name"], document["label"], document["content_type"], document["size"]) == (
        "lettre-dakar.pdf",
        "Lettre d'intention de Dakar",
        "application/pdf",
        len(PDF),
    )
    response = upload(people.lyon, dossier, "budget.xlsx", xlsx())
    assert response.json()["content_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert upload(people.lyon, dossier, "photo.png", PNG).status_code == 201

    listed = people.embassy_sn.get(f"/api/dossiers/{dossier['id']}/attachments/").json()
    assert [item["name"] for item in listed] == ["lettre-dakar.pdf", "budget.xlsx", "photo.png"]
    response = people.embassy_sn.get(document["url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="lettre-dakar.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert people.embassy_vn.get(document["url"]).status_code == 404
    assert people.ngo.get(document["url"]).status_code == 404

    stored = DossierAttachment.objects.get(pk=document["id"]).file
    assert people.lyon.get(f"/media/{stored.name}").status_code == 404  # no URL of the site serves it


def test_a_file_is_judged_by_its_content_and_size(people, dossier, settings):
    for name, content in [("budget.pdf", EXE), ("budget.pdf", b"Ceci est un texte, pas un PDF."), ("vide.pdf", b"")]:
        response = upload(people.lyon, dossier, name, content)
        assert response.status_code == 422, name
        assert response.json()["detail"][0]["field"] == "file"
    assert response.json()["detail"][0]["msg"] == "Le fichier est vide."
    response = upload(people.lyon, dossier, "programme.exe.pdf", EXE)
    assert response.json()["detail"][0]["msg"] == (
        "Ce type de fichier n’est pas accepté : envoyez un PDF, un document bureautique ou une image."
    )
    settings.CNCD_UPLOAD_MAX_BYTES = 1024 * 1024
    response = upload(people.lyon, dossier, "gros.pdf", PDF + b"0" * (1024 * 1024))
    assert response.json()["detail"][0]["msg"] == "Le fichier est trop volumineux : 1 Mo au plus."
    assert DossierAttachment.objects.count() == 0


def test_under_review_the_authority_adds_no_document_but_staff_do(people, dossier):
    people.staff.post(f"/api/dossiers/{dossier['id']}/review/", {"version": 2}, content_type="application/json")
    assert upload(people.lyon, dossier, "tard.pdf", PDF).status_code == 403
    assert upload(people.embassy_sn, dossier, "avis.pdf", PDF).status_code == 403
    assert upload(people.staff, dossier, "note-instruction.pdf", PDF).status_code == 201


def test_the_authority_removes_a_document_and_the_history_keeps_both(people, dossier):
    document = upload(people.lyon, dossier, "erreur.pdf", PDF).json()
    path = f"/api/dossiers/{dossier['id']}/attachments/{document['id']}/"
    assert people.embassy_sn.delete(path).status_code == 403
    assert people.lyon.delete(path).status_code == 204
    assert people.lyon.get(f"/api/dossiers/{dossier['id']}/attachments/").json() == []
    history = people.lyon.get(f"/api/dossiers/{dossier['id']}/history/").json()
    assert [(entry["action"], entry["detail"].get("name")) for entry in history[-2:]] == [
        ("attachment_added", "erreur.pdf"),
        ("attachment_removed", "erreur.pdf"),
    ]


def test_messages_between_the_authority_and_the_cncd_team(people, dossier):
    url = f"/api/dossiers/{dossier['id']}/messages/"
    response = people.lyon.post(url, {"body": "Le partenaire a signé la convention."})
    assert response.status_code == 201
    [to_staff] = mail.outbox
    assert to_staff.to == ["cofinancements@cncd.example.org"]
    assert to_staff.subject == f"Dossier {dossier['reference']} : nouveau message"
    assert "Le partenaire a signé la convention." in to_staff.body

    mail.outbox.clear()
    response = people.staff.post(url, {"body": "Merci, joignez-la.", "file": SimpleUploadedFile("modele.pdf", PDF)})
    assert response.status_code == 201 and response.json()["attachments"][0]["name"] == "modele.pdf"
    assert sorted(message.to[0] for message in mail.outbox) == ["adjointe-lyon@example.org", "maire-lyon@example.org"]

    thread = people.lyon_colleague.get(url).json()
    assert [(item["from_staff"], item["body"]) for item in thread] == [
        (False, "Le partenaire a signé la convention."),
        (True, "Merci, joignez-la."),
    ]
    # Others who see the dossier do not read its messages, nor their documents.
    assert people.embassy_sn.get(url).status_code == 403
    assert people.embassy_sn.post(url, {"body": "Bonjour"}).status_code == 403
    document = thread[1]["attachments"][0]["url"]
    assert people.lyon.get(document).status_code == 200
    assert people.embassy_sn.get(document).status_code == 404
    assert "modele.pdf" not in [
        item["name"] for item in people.embassy_sn.get(f"/api/dossiers/{dossier['id']}/attachments/").json()
    ]

    response = people.lyon.post(url, {"body": "  "})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "body"


def opinion_document(client, dossier, opinion, name="note.pdf"):
    return client.post(
        f"/api/dossiers/{dossier['id']}/opinions/{opinion['id']}/documents/", {"file": SimpleUploadedFile(name, PDF)}
    )


def test_an_opinion_comes_with_a_document_read_by_whoever_reads_the_opinion(people, dossier):
    url = f"/api/dossiers/{dossier['id']}/opinions/"
    embassy, prefecture = people.staff.post(url, {}, content_type="application/json").json()
    people.embassy_sn.put(
        f"{url}{embassy['id']}/", {"verdict": "favourable", "text": "Oui."}, content_type="application/json"
    )
    people.prefecture_ara.put(
        f"{url}{prefecture['id']}/",
        {"verdict": "reserved", "text": "Réserves.", "confidential": True},
        content_type="application/json",
    )
    public = opinion_document(people.embassy_sn, dossier, embassy, "note-ambassade.pdf")
    assert public.status_code == 201
    secret = opinion_document(people.prefecture_ara, dossier, prefecture, "note-prefecture.pdf")
    assert secret.status_code == 201
    assert opinion_document(people.embassy_sn, dossier, prefecture).status_code == 403  # another body's opinion
    assert opinion_document(people.lyon, dossier, embassy).status_code == 403

    opinions = {item["body"]: item for item in people.lyon.get(url).json()}
    assert [item["name"] for item in opinions["ambassades"]["documents"]] == ["note-ambassade.pdf"]
    assert people.lyon.get(public.json()["url"]).status_code == 200
    assert people.lyon.get(secret.json()["url"]).status_code == 404  # the confidential opinion's document
    assert people.staff.get(secret.json()["url"]).status_code == 200
    assert people.prefecture_ara.get(secret.json()["url"]).status_code == 200
    listed = [item["name"] for item in people.lyon.get(f"/api/dossiers/{dossier['id']}/attachments/").json()]
    assert listed == ["note-ambassade.pdf"]

    version = people.staff.get(f"/api/dossiers/{dossier['id']}/").json()["version"]
    people.staff.post(
        f"/api/dossiers/{dossier['id']}/decision/",
        {"version": version, "decision": "accepted", "motivation": "Oui."},
        content_type="application/json",
    )
    assert opinion_document(people.embassy_sn, dossier, embassy).status_code == 409


def test_the_opinion_form_takes_a_document(people, dossier):
    [embassy] = people.staff.post(
        f"/api/dossiers/{dossier['id']}/opinions/", {"bodies": ["ambassades"]}, content_type="application/json"
    ).json()
    prefix = f"o{embassy['id']}"
    response = people.embassy_sn.post(
        f"/teleprocedures/dossiers/{dossier['id']}/action/",
        {
            "action": "opinion",
            "opinion": embassy["id"],
            f"{prefix}-verdict": "favourable",
            f"{prefix}-text": "Avis favorable, voir la note.",
            f"{prefix}-file": SimpleUploadedFile("note.pdf", PDF),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Avis favorable, voir la note." in page and "note.pdf" in page
    response = people.embassy_sn.post(
        f"/teleprocedures/dossiers/{dossier['id']}/action/",
        {
            "action": "opinion",
            "opinion": embassy["id"],
            f"{prefix}-verdict": "unfavourable",
            f"{prefix}-text": "Changé d'avis.",
            f"{prefix}-file": SimpleUploadedFile("virus.pdf", EXE),
        },
        follow=True,
    )
    assert "Ce type de fichier n’est pas accepté" in response.content.decode()
    opinion = people.lyon.get(f"/api/dossiers/{dossier['id']}/opinions/").json()[0]
    assert (opinion["verdict"], [item["name"] for item in opinion["documents"]]) == ("favourable", ["note.pdf"])
