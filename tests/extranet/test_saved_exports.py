"""Saved PDF exports: “Exporter les résultats en pdf” kept in the personal space with the filters
that made it, listed, downloaded, deleted, and sent to a colleague with a short message —
attached, or by a link that expires; rate-limited; never reachable by another member."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from extranet import exports
from extranet.models import AtlasExport
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"[ \t]+", " ", "\n".join(page.extract_text() for page in reader.pages))


def downloaded(response) -> bytes:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def elu(db):
    return MemberFactory(
        username="elu", email="elu@lyon.fr", first_name="Camille", last_name="Roux", groups=["collectivites"]
    )


@pytest.fixture
def elu_client(elu):
    client = Client()
    client.force_login(elu)
    return client


def keep(client, query="country=SN&status=completed", scope="country"):
    return client.post("/api/me/exports/", {"query": query, "scope": scope}, content_type="application/json")


def test_kept_export_is_listed_with_its_filters_downloaded_and_deleted(elu_client, atlas):  # noqa: F811
    response = keep(elu_client)
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["status"] == "ready" and item["project_count"] == 1
    assert item["title"] == "Atlas : Sénégal, Terminé"
    assert item["filters"] == [
        {"label": "Pays", "value": "Sénégal"},
        {"label": "Statut", "value": "Terminé"},
    ]
    assert item["query"] == "country=SN&status=completed"

    listed = elu_client.get("/api/me/exports/").json()
    assert listed["count"] == 1 and [entry["id"] for entry in listed["items"]] == [item["id"]]
    text = text_of(downloaded(elu_client.get(item["download_url"].removeprefix("http://testserver"))))
    assert atlas.p5.title in text and atlas.p1.title not in text

    stored = AtlasExport.objects.get(pk=item["id"]).file
    assert stored.storage.exists(stored.name)
    # The file is the member's: among the private files, at no public media address.
    assert Path(stored.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not (Path(settings.MEDIA_ROOT) / stored.name).exists()
    assert Client().get(f"{settings.MEDIA_URL}{stored.name}").status_code == 404
    assert elu_client.delete(f"/api/me/exports/{item['id']}/").status_code == 204
    assert not stored.storage.exists(stored.name)
    assert elu_client.get(f"/api/me/exports/{item['id']}/").status_code == 404
    assert elu_client.get("/api/me/exports/").json() == {"count": 0, "items": []}


def test_bad_filters_are_named(elu_client, atlas):  # noqa: F811
    response = keep(elu_client, query="country=XX&year=soon")
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} == {"query.country", "query.year"}
    response = keep(elu_client, scope="planet")
    assert [item["field"] for item in response.json()["detail"]] == ["scope"]
    assert AtlasExport.objects.count() == 0


def send(client, export_id, email="collegue@rennes.fr", message="Voici nos projets au Sénégal."):
    return client.post(
        f"/api/me/exports/{export_id}/send", {"email": email, "message": message}, content_type="application/json"
    )


def test_sent_to_a_colleague_with_the_pdf_attached(elu_client, atlas, settings):  # noqa: F811
    export_id = keep(elu_client).json()["id"]
    response = send(elu_client, export_id)
    assert response.status_code == 200
    assert response.json() == {"detail": "L'export a été adressé à collegue@rennes.fr.", "attached": True}
    [message] = mail.outbox
    assert message.to == ["collegue@rennes.fr"]
    assert message.reply_to == ["elu@lyon.fr"]  # the colleague answers the member
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Camille Roux vous adresse un export de l'Atlas de la coopération décentralisée"
    assert "Voici nos projets au Sénégal." in message.body
    assert "Pays : Sénégal" in message.body and "Le PDF est joint à ce courriel." in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == (f"atlas-cncd-{export_id}.pdf", "application/pdf")
    assert atlas.p5.title in text_of(content)


def test_a_large_pdf_goes_as_a_link_that_expires(elu_client, atlas, settings, monkeypatch):  # noqa: F811
    settings.CNCD_EXPORT_ATTACHMENT_MAX_BYTES = 100
    export_id = keep(elu_client).json()["id"]
    assert send(elu_client, export_id).json()["attached"] is False
    [message] = mail.outbox
    assert message.attachments == []
    assert "le lien est valable 7 jours" in message.body
    link = re.search(r"http://testserver(/espace-personnel/export-partage/\S+/)", message.body)[1]

    colleague = Client()  # not a member
    assert atlas.p5.title in text_of(downloaded(colleague.get(link)))
    assert colleague.get(link.replace(link[-6:-1], "xxxxx")).status_code == 404
    monkeypatch.setattr(exports, "SHARE_LINK_SECONDS", -1)
    expired = colleague.get(link)
    assert expired.status_code == 404 and "Ce lien a expiré" in expired.content.decode()


def test_sending_checks_the_address_and_the_message(elu_client, atlas):  # noqa: F811
    export_id = keep(elu_client).json()["id"]
    response = send(elu_client, export_id, email="pas-une-adresse")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "email",
            "loc": ["body", "email"],
            "type": "invalid",
            "msg": "Saisissez une adresse de courriel valide.",
        }
    ]
    response = send(elu_client, export_id, message="x" * 1001)
    assert [item["field"] for item in response.json()["detail"]] == ["message"]
    assert mail.outbox == []


def test_a_pending_export_cannot_be_sent_or_downloaded(elu_client, elu, atlas):  # noqa: F811
    pending = AtlasExport.objects.create(owner=elu, query="country=SN")
    assert send(elu_client, pending.pk).status_code == 409
    assert elu_client.get(f"/api/me/exports/{pending.pk}/pdf").status_code == 409
    assert mail.outbox == []


def test_sending_is_rate_limited(elu_client, atlas):  # noqa: F811
    export_id = keep(elu_client).json()["id"]
    statuses = [send(elu_client, export_id).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    assert len(mail.outbox) == 10


def test_nobody_reaches_another_members_exports(elu_client, atlas):  # noqa: F811
    export_id = keep(elu_client).json()["id"]
    other = Client()
    other.force_login(MemberFactory(username="autre", groups=["collectivites"]))
    assert other.get("/api/me/exports/").json()["count"] == 0
    assert other.get(f"/api/me/exports/{export_id}/").status_code == 404
    assert other.get(f"/api/me/exports/{export_id}/pdf").status_code == 404
    assert send(other, export_id).status_code == 404
    assert other.delete(f"/api/me/exports/{export_id}/").status_code == 404
    assert mail.outbox == [] and AtlasExport.objects.filter(pk=export_id).exists()


def test_exports_list_in_a_fixed_number_of_queries(elu_client, elu, atlas, django_assert_max_num_queries):  # noqa: F811
    for query in ("country=SN", "country=VN", "kind=twinning", "continent=europe", "status=planned"):
        AtlasExport.objects.create(owner=elu, query=query, status="ready", file="atlas-exports/x.pdf")
    with django_assert_max_num_queries(4):
        listed = elu_client.get("/api/me/exports/").json()
    assert listed["count"] == 5
