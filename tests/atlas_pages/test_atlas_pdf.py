"""“Exporter les résultats en pdf”: the text of the PDF says what was searched, how many
projects, and lists every one; large exports are made in the background for members."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
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
    assert f"Auvergne-Rhône-Alpes (région) — {atlas.p5.title}" in text  # each entry begins with its authority
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


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_the_pdf_carries_the_state_logo_block_and_the_marianne_typeface(client, atlas):  # noqa: F811
    response = client.get("/api/atlas/projects.pdf?country=SN")
    reader = PdfReader(io.BytesIO(response.content))
    cover = reader.pages[0].extract_text()
    assert "RÉPUBLIQUE" in cover and "FRANÇAISE" in cover  # the block's name, as the site writes it
    assert {"Marianne", "Marianne-Bold"} <= _fonts(reader)  # regular and bold, embedded
    assert not any("DejaVu" in name for name in _fonts(reader))
    footer = reader.pages[-1].extract_text()
    assert "Atlas de la coopération décentralisée — CNCD —" in footer  # with the export's date


def test_a_large_pdf_is_made_in_parts_numbered_as_one_with_groups_marked_continued(atlas, monkeypatch):  # noqa: F811
    from django.http import QueryDict

    monkeypatch.setattr(atlas_pdf, "PART_PROJECTS", 2)
    told = []
    content = atlas_pdf.render_pdf(QueryDict("scope=continent"), "continent", progress=lambda *done: told.append(done))
    reader = PdfReader(io.BytesIO(content))
    texts = [re.sub(r"[ \t]+", " ", page.extract_text()) for page in reader.pages]
    text = "\n".join(texts)
    assert [number for page in texts for number in re.findall(r"Page (\d+)", page)] == [
        str(number) for number in range(1, len(texts) + 1)
    ]
    assert text.count("Résultats de la recherche par continent") == 1  # one cover
    for project in (atlas.p1, atlas.p2, atlas.p3, atlas.p4, atlas.p5):
        assert text.count(project.title) == 1
    assert "Sénégal (3) (suite)" in text  # three projects: cut after two
    assert "Afrique — 3 projets (suite)" in text
    assert "Asie — 1 projet (suite)" not in text
    assert told == [(0, 5), (2, 5), (4, 5), (5, 5)]  # the cover, then each part


def test_a_background_export_shows_its_progress_on_the_page_and_in_the_api(atlas, monkeypatch):  # noqa: F811
    from extranet import exports

    monkeypatch.setattr(atlas_pdf, "PART_PROJECTS", 2)
    member = MemberFactory(username="suivi", email="suivi@example.org", groups=["collectivites"])
    member_client = Client()
    member_client.force_login(member)
    pending = AtlasExport.objects.create(owner=member, query="continent=afrique", project_count=3, progress=40)
    page = member_client.get(reverse("extranet:exports")).content.decode()
    assert f'<progress id="export-progress-{pending.pk}" max="100" value="40">' in page
    api = member_client.get(f"/api/me/exports/{pending.pk}/").json()
    assert (api["status"], api["progress"]) == ("pending", 40)

    seen = []  # the export's progress in the database, each time the rendering tells it
    monkeypatch.setattr(
        atlas_pdf,
        "render_pdf",
        _spy(atlas_pdf.render_pdf, lambda: seen.append(AtlasExport.objects.get(pk=pending.pk).progress)),
    )
    exports.make_export_file(pending)
    assert seen == [40, 66, 99]  # the cover (0 %: not below what was shown), 2 of 3, 3 of 3
    done = member_client.get(f"/api/me/exports/{pending.pk}/").json()
    assert (done["status"], done["progress"]) == ("ready", 100)
    assert "<progress" not in member_client.get(reverse("extranet:exports")).content.decode()


def _spy(render, look):
    def rendered(*args, progress=None, **kwargs):
        def told(done, total):
            progress(done, total)
            look()

        return render(*args, progress=told, **kwargs)

    return rendered


def test_the_pdf_maps_where_the_projects_are_in_the_world_and_in_france(client, atlas):  # noqa: F811
    response = client.get("/api/atlas/projects.pdf?continent=afrique")
    text, _pages = pdf_text(response)
    assert "Où sont les projets" in text and "Nombre de projets" in text  # the world map's legend
    assert "Côté français : les projets par département des collectivités" in text


def test_the_world_map_shades_each_country_by_its_projects_and_says_it_in_words():
    from django.utils import translation

    from atlas_pages.atlas import svgmap

    with translation.override("fr"):
        world = svgmap.world_svg({"SN": 3, "VN": 250})
        france = svgmap.france_svg({"69": 4, "35": 1})
    assert 'aria-label="Carte du monde des projets : 2 pays partenaires, teintés selon leur nombre de projets"' in world
    assert f'fill="{svgmap.shade(3)}"><title>Sénégal : 3 projets</title>' in world
    assert f'fill="{svgmap.shade(250)}"><title>Viêt Nam : 250 projets</title>' in world
    assert f'fill="{svgmap.EMPTY}"><title>Brésil : 0 projet</title>' in world
    assert svgmap.shade(3) != svgmap.shade(250) != svgmap.EMPTY
    assert "<title>Rhône : 4 projets</title>" in france and "<title>Ille-et-Vilaine : 1 projet</title>" in france
    assert france.count("<circle") == 2
