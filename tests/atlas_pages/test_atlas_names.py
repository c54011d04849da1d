"""Authorities chosen by name in the Atlas search: the suggestions the form offers as a name is
typed (French and partner authorities alike), a name typed without choosing, and the names the
PDF's list of filters gives instead of codes."""

from html import unescape

import pytest
from django.http import QueryDict

from atlas_pages.atlas.pdf import describe_filters
from atlas_pages.models import AtlasPage, Country, PartnerAuthority
from tests.atlas_pages.test_atlas_search import atlas, authority, project  # noqa: F401 (fixture)
from tests.factories import add_page, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas_page(db):
    return add_page(home_page(), AtlasPage, title="Atlas de la coopération décentralisée", slug="atlas")


def suggestions(client, kind: str, text: str, **extra) -> list[dict]:
    response = client.get(f"/api/atlas/{kind}-suggestions/", {"q": text, **extra})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_french_authorities_are_found_whatever_the_accents(client, atlas):  # noqa: F811
    found = suggestions(client, "authority", "RHONE")
    assert [item["name"] for item in found] == ["Auvergne-Rhône-Alpes (région)"]
    assert found[0] == {
        "code": "R84",
        "name": "Auvergne-Rhône-Alpes (région)",
        "detail": "Région",
        "projects": 2,
    }
    [lyon] = suggestions(client, "authority", "lyo")
    assert lyon["code"] == "69123" and lyon["detail"] == "Commune · Rhône" and lyon["projects"] == 2


def test_names_beginning_with_the_text_come_first_then_those_with_most_projects(client, atlas):  # noqa: F811
    senegal = Country.objects.get(iso2="SN")
    ville = PartnerAuthority.objects.create(name="Ville de Thiès", country=senegal)
    region = PartnerAuthority.objects.create(name="Région de Thiès", country=senegal)
    thies = PartnerAuthority.objects.create(name="Thiès Est", country=senegal)
    mayor = authority("75056", "Paris", "commune", "Île-de-France", "Paris", "75")
    for number in range(3):
        project(f"Projet {number}", "SN", [mayor], [region], ["dechets"], at=(14.8, -16.9))
    project("Projet de la ville", "SN", [mayor], [ville, thies], ["dechets"], at=(14.8, -16.9))
    PartnerAuthority.objects.create(name="Thiès sans projet", country=senegal)

    found = suggestions(client, "partner", "thies")
    assert [item["name"] for item in found] == ["Thiès Est", "Région de Thiès", "Ville de Thiès"]
    assert [item["projects"] for item in found] == [1, 3, 1]
    assert found[1] == {"code": str(region.pk), "name": "Région de Thiès", "detail": "Sénégal", "projects": 3}
    assert len(suggestions(client, "partner", "thies", limit=1)) == 1


def test_suggestions_cost_the_same_queries_for_any_number_of_names(client, atlas, django_assert_max_num_queries):  # noqa: F811
    suggestions(client, "partner", "de")  # the names are read once per version of the Atlas
    with django_assert_max_num_queries(2):
        assert len(suggestions(client, "partner", "de")) == 2  # Ville de Dakar, Province de Thua Thien Hué
    suggestions(client, "authority", "ly")
    with django_assert_max_num_queries(2):
        assert [item["name"] for item in suggestions(client, "authority", "ly")] == ["Lyon"]


@pytest.mark.parametrize("query", ["", "q=a", "q=" + "x" * 101, "q=ab&limit=0", "q=ab&limit=31"])
def test_bad_suggestion_queries_name_the_field(client, atlas, query):  # noqa: F811
    response = client.get(f"/api/atlas/partner-suggestions/?{query}")
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} <= {"q", "limit"}


def page_of(client, query: str) -> str:
    response = client.get(f"/atlas/?{query}")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_form_names_authorities_and_takes_their_codes(client, atlas, atlas_page):  # noqa: F811
    page = page_of(client, "")
    assert "Collectivité française" in page and "Collectivité partenaire" in page
    assert 'data-autocomplete-url="/api/atlas/authority-suggestions/"' in page
    assert 'data-autocomplete-url="/api/atlas/partner-suggestions/"' in page
    assert "code officiel" not in page and "(identifiant)" not in page and "ouest,sud,est,nord" not in page
    # A code alone (a facet's link, a saved map) shows its authority's name.
    page = page_of(client, "partner=" + str(atlas.dakar.pk))
    assert 'name="partner_name" value="Ville de Dakar"' in page and "1 projet" in page
    # A name chosen in the list comes with its code.
    page = page_of(client, "authority=R84&authority_name=Auvergne-Rh%C3%B4ne-Alpes+%28r%C3%A9gion%29")
    assert "2 projets" in page and atlas.p5.title in page and atlas.p1.title not in page


def test_a_name_typed_without_choosing(client, atlas, atlas_page):  # noqa: F811
    # The one authority it names, whatever the accents.
    page = page_of(client, "authority_name=rennes&partner_name=")
    assert "1 projet" in page and atlas.p2.title in page
    assert 'name="authority_name" value="Rennes"' in page and 'name="authority" value="35238"' in page
    # Several, or none: the field says so and keeps what was typed; nothing is searched.
    page = page_of(client, "authority_name=ne&country=SN")
    assert "2 collectivités correspondent à « ne » : choisissez-en une" in page
    assert 'name="authority_name" value="ne"' in page and "0 projet" in page
    assert 'aria-invalid="true"' in page and 'value="SN" selected' in page
    page = page_of(client, "partner_name=Ouagadougou")
    assert "Aucune collectivité de l'Atlas n'a de projet sous le nom « Ouagadougou »." in page
    # A name erased in the form takes its authority out of the search.
    page = page_of(client, "authority=35238&authority_name=")
    assert "5 projets" in page


def test_the_pdf_names_the_authorities_it_was_asked_for(atlas):  # noqa: F811
    described = dict(describe_filters(QueryDict(f"authority=69123&partner={atlas.hue.pk}")))
    assert described == {"Collectivité française": "Lyon", "Collectivité partenaire": "Province de Thua Thien Hué"}
