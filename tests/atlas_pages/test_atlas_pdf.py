"""“Exporter les résultats en pdf”: the text of the PDF says what was searched, how many
projects, and lists every one; large exports are made in the background for members."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from atlas_pages.atlas import pdf as atlas_pdf
from extranet.models import AtlasExport
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> tuple[str, int]:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text), len(reader.pages)


def test_pdf_by_country_lists_every_project_with_the_filters(client, atlas):  # noqa: F811
    response = client.get("/api/atlas/projects.pdf?continent=afrique&status=completed&scope=country")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="atlas-cncd.pdf"'
    text, pages = pdf_text(response)
    assert "Atlas de la coopération décentralisée" in text
    assert "Résultats de la recherche par pays" in text
    assert "1\nprojet" in text or "1 projet" in text
    assert "Continent Afrique" in text
    assert "Statut Terminé" in text
    assert "Sénégal — 1 projet" in text
    assert atlas.p5.title in text and "Auvergne-Rhône-Alpes (région)" in text
    assert atlas.p1.title not in text  # ongoing, not asked for
    assert f"Page 2 / {pages}" in text


def test_pdf_by_continent_groups_continents_then_countries(client, atlas):  # noqa: F811
    text, _pages = pdf_text(client.get("/api/atlas/projects.pdf?scope=continent"))
    assert "Résultats de la recherche par continent" in text
    assert "Aucun : tout l’Atlas." in text
    for heading in ("Afrique — 3 projets", "Asie — 1 projet", "Europe — 1 projet", "Sénégal (3)", "Viêt Nam (1)"):
        assert heading in text
    for project in (atlas.p1, atlas.p2, atlas.p3, atlas.p4, atlas.p5):
        assert project.title in text
    assert text.index("Afrique — 3 projets") < text.index("Asie — 1 projet") < text.index("Europe — 1 projet")


def test_pdf_bad_input_names_the_field(client, atlas):  # noqa: F811
    response = client.get("/api/atlas/projects.pdf?scope=planet")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "scope"
    assert client.get("/api/atlas/projects.pdf?country=XX").json()["detail"][0]["field"] == "country"


def test_large_exports_are_made_in_the_background_for_members(client, atlas, monkeypatch):  # noqa: F811
    monkeypatch.setattr(atlas_pdf, "IMMEDIATE_LIMIT", 2)
    response = client.get("/api/atlas/projects.pdf?country=SN")
    assert response.status_code == 401
    assert "membres" in response.json()["detail"]

    member = MemberFactory(username="elu", email="elu@example.org", groups=["collectivites"])
    member_client = Client()
    member_client.force_login(member)
    response = member_client.get("/api/atlas/projects.pdf?country=SN&scope=continent")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "ready"  # the immediate backend in tests; pending in production
    assert body["project_count"] == 3
    export = AtlasExport.objects.get(pk=body["id"])
    assert (export.owner, export.scope, export.query) == (member, "continent", "country=SN")

    [message] = mail.outbox
    assert message.to == ["elu@example.org"]
    assert message.subject == "Votre export de l’Atlas est prêt"
    assert f"http://testserver/api/me/exports/{export.pk}/pdf" in message.body

    text, _pages = pdf_text(member_client.get(f"/api/me/exports/{export.pk}/pdf"))
    assert atlas.p1.title in text and atlas.p4.title in text and atlas.p5.title in text
    assert member_client.get(f"/api/me/exports/{export.pk}/").json()["download_url"].endswith("/pdf")

    stranger = Client()
    stranger.force_login(MemberFactory(username="autre", groups=["collectivites"]))
    assert stranger.get(f"/api/me/exports/{export.pk}/pdf").status_code == 404
    assert stranger.get(f"/api/me/exports/{export.pk}/").status_code == 404
    assert client.get(f"/api/me/exports/{export.pk}/pdf").status_code == 401
