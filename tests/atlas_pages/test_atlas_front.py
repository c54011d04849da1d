"""The Atlas in the reference front end: advanced search with facets and map, project sheets
with their two maps, country and continent pages, and the live figures of a country zoom."""

import datetime as dt
from html import unescape

import pytest

from atlas_pages.models import AtlasPage, CountryZoomPage
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import add_page, add_rubric, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas_page(db):
    return add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")


def html(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_search_page_lists_filters_and_maps_the_results(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/?country=SN&status=completed"))
    assert "1 projet" in page
    assert atlas.p5.title in page and atlas.p1.title not in page
    assert f'href="/atlas/projet/{atlas.p5.pk}/"' in page
    assert 'data-geojson="/api/atlas/projects.geojson?country=SN&status=completed"' in page
    assert "/api/atlas/projects.pdf?country=SN&status=completed&scope=continent" in page
    assert '<option value="SN" selected>Sénégal</option>' in page
    assert "vendor/leaflet/leaflet.js" in page and "leaflet.markercluster.js" in page
    # Facets link to the same search with one more filter.
    assert "Gestion des déchets (1)" in page


def test_search_page_pages_through_results(client, atlas, atlas_page, monkeypatch):  # noqa: F811
    from atlas_pages.atlas import front as atlas_front

    monkeypatch.setattr(atlas_front, "PER_PAGE", 2)
    first = html(client.get("/atlas/?ordering=title"))
    assert "1 / 3" in first and "page=2" in first
    third = html(client.get("/atlas/?ordering=title&page=3"))
    assert atlas.p4.title in third  # “Maraîchage…”, last by title
    assert atlas.p5.title not in third and atlas.p5.title in first  # “Déchets…”, first


def test_search_errors_show_next_to_the_field(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/?year=1200&bbox=1,2"))
    assert "0 projet" in page
    assert page.count('class="fr-error-text"') >= 2
    # The map's area is chosen on the map (a hidden field): its error still names it.
    assert "Zone de la carte : Indiquez la zone" in page


def test_project_sheet_has_both_maps(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get(f"/atlas/projet/{atlas.p3.pk}/"))
    assert "Formation des élus à Hué" in page
    assert "Auvergne-Rhône-Alpes (région)" in page and "Province de Thua Thien Hué" in page
    assert 'data-point="45.76,4.84"' in page  # in France (its first authority)
    assert 'data-point="16.46,107.59"' in page  # in Viet Nam
    assert 'href="/atlas/pays/VN/"' in page and 'href="/atlas/continent/asie/"' in page
    assert client.get("/atlas/projet/999999/").status_code == 404


def test_country_page_figures(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/pays/SN/"))
    assert "<h1>Sénégal</h1>" in page
    assert "<strong>3</strong> projets" in page
    assert "<strong>3</strong> collectivités territoriales françaises" in page  # Lyon, the region, Die
    assert 'data-geojson="/api/atlas/projects.geojson?country=SN"' in page
    for project in (atlas.p1, atlas.p4, atlas.p5):
        assert project.title in page
    assert client.get("/atlas/pays/ZZ/").status_code == 404
    assert client.get("/atlas/pays/sn/").status_code == 404


def test_continent_page_lists_its_countries(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/continent/afrique/"))
    assert "<h1>Afrique</h1>" in page
    assert 'href="/atlas/pays/SN/">Sénégal</a></td><td>3</td>' in page
    assert "Viêt Nam" not in page
    assert client.get("/atlas/continent/atlantide/").status_code == 404


def test_country_zoom_shows_the_live_atlas_figures(client, atlas, atlas_page):  # noqa: F811
    rubric = add_rubric("Zoom sur un pays", kind="country_zooms", slug="zoom")
    zoom = add_page(
        rubric,
        CountryZoomPage,
        title="Zoom sur le Sénégal",
        country="SN",
        teaser="Le Sénégal.",
        date=dt.date(2026, 11, 2),
    )
    page = html(client.get(zoom.url))
    assert "Sénégal dans l’Atlas de la coopération décentralisée" in page
    assert "<strong>3</strong> projets" in page
    assert 'href="/atlas/pays/SN/"' in page
    # Two maps drawn on the server: Senegal in its region, and the French side.
    assert 'aria-label="Carte : Sénégal et ses voisins, 3 projets dans l’Atlas"' in page
    assert "<title>Sénégal : 3 projets</title>" in page and "<title>Mali : 0 projet</title>" in page
    assert "<title>Rhône : " in page  # Lyon's projects in Senegal
    # The figures follow the Atlas: a new project shows at once.
    atlas.p2.country = atlas.p1.country
    atlas.p2.save()
    assert "<strong>4</strong> projets" in html(client.get(zoom.url))


def test_bourse_projets_page(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/bourse-projets/"))
    assert "Marché couvert de Kaolack" in page and "Musée de Hué" not in page  # open ones by default
    assert "Partenariat recherché :" in page and "Une ville française." in page
    assert '"coordinates": [-16.07, 14.15]' in page  # on the map
    page = html(client.get("/atlas/bourse-projets/?status=all&country=VN"))
    assert "Musée de Hué" in page and "Marché couvert de Kaolack" not in page
    page = html(client.get("/atlas/bourse-projets/?status=all&theme=culture-patrimoine"))
    assert "Musée de Hué" in page


def test_the_search_form_marks_nothing_optional_and_chooses_the_area_on_the_map(client, atlas, atlas_page):  # noqa: F811
    page = html(client.get("/atlas/"))
    assert "(Optionnel)" not in page and "astérisque" not in page  # every filter is optional: no mark at all
    assert 'type="hidden" name="bbox"' in page and "Chercher dans la zone affichée" in page
    assert "Dessiner une zone sur la carte" in page and "Retirer la zone" not in page
    page = html(client.get("/atlas/?country=SN&bbox=-18,14,-16,15"))
    assert "2 projets" in page and 'data-area="-18,14,-16,15"' in page
    assert "Recherche limitée à une zone de la carte" in page and 'href="?country=SN">Retirer la zone' in page


def test_required_fields_are_marked_the_dsfr_way(client, atlas_page):
    page = html(client.get("/accounts/signup/?groupe=collectivites"))
    assert "Les champs marqués d'un astérisque (*) sont obligatoires." in page
    assert page.count('<span class="fr-required-marker" aria-hidden="true">\xa0*') >= 4  # name, e-mail, password…
    assert "(Optionnel)" not in page


def test_the_export_buttons_say_what_will_happen(client, atlas, atlas_page, monkeypatch):  # noqa: F811
    from atlas_pages.atlas import pdf as atlas_pdf
    from tests.factories import MemberFactory

    page = html(client.get("/atlas/?country=SN"))
    assert "Le PDF de ces 3 projets se télécharge tout de suite." in page
    assert "Télécharger le PDF (par pays)" in page
    assert 'href="/api/atlas/projects.pdf?country=SN&scope=country" download' in page
    monkeypatch.setattr(atlas_pdf, "IMMEDIATE_LIMIT", 2)
    page = html(client.get("/atlas/?country=SN"))
    assert "Télécharger le PDF" not in page
    assert "Plus de 2 projets : leur PDF ne se télécharge pas tout de suite" in page
    client.force_login(MemberFactory())
    page = html(client.get("/atlas/?country=SN"))
    assert "Le PDF de ces 3 projets est préparé en arrière-plan et conservé dans « Mes exports PDF »" in page
    assert "Préparer le PDF (par pays)" in page and 'data-api-url="/api/me/exports/"' in page
    assert "Plus de 2 projets" not in page  # said by the buttons a member has
    monkeypatch.setattr(atlas_pdf, "IMMEDIATE_LIMIT", 300)
    page = html(client.get("/atlas/?country=SN"))
    assert "Conserver le PDF dans mon espace personnel (par pays)" in page and "Télécharger le PDF (par pays)" in page
