"""Filing sees the map: the authorities already cooperating with the same partner or in the
partner country, and the Bourse-projets entries there, shown to the authority as it files and to
staff as they instruct, in a fixed number of queries."""

import pytest

from atlas_pages.models import BourseProject, Country, FrenchAuthority, PartnerAuthority, Theme
from tests.factories import add_project
from tests.forms.test_dossier_lifecycle import filed

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas(db):
    """Rennes already works with Dakar (written another way), Paris in Senegal elsewhere, Lyon
    (who files) too; an open Bourse entry in Senegal and a closed one."""
    for code, name, region in (
        ("75056", "Paris", "Île-de-France"),
        ("13055", "Marseille", "Provence-Alpes-Côte d'Azur"),
    ):
        FrenchAuthority.objects.get_or_create(code=code, defaults={"name": name, "kind": "commune", "region": region})
    senegal = Country.objects.get(iso2="SN")
    dakar = PartnerAuthority.objects.create(name="VILLE DE DAKAR", country=senegal)
    with_dakar = add_project("Assainissement à Dakar", "35238", country="SN")
    with_dakar.partner_authorities.add(dakar)
    add_project("Écoles à Thiès", "75056", country="SN")
    add_project("Santé à Saint-Louis", "69123", country="SN")
    add_project("Patrimoine à Hué", "13055", country="VN")
    water = Theme.objects.get(slug="eau-assainissement")
    thies = PartnerAuthority.objects.create(name="Commune de Thiès", country=senegal)
    BourseProject.objects.create(
        title="Forages à Thiès",
        partner_authority=thies,
        country=senegal,
        theme=water,
        description="Trois forages",
        expected_partnership="Expertise",
    )
    BourseProject.objects.create(
        title="Marché couvert",
        partner_authority=thies,
        country=senegal,
        theme=water,
        description="Un marché",
        expected_partnership="Financement",
        status=BourseProject.Status.CLOSED,
    )


def test_the_authority_and_staff_see_who_already_works_there(people, call, atlas, django_assert_max_num_queries):
    dossier = filed(people.lyon, call)  # with the Ville de Dakar, in Senegal
    with django_assert_max_num_queries(12):
        found = people.lyon.get(f"/api/dossiers/{dossier['id']}/atlas-neighbours/")
    assert found.status_code == 200, found.content
    body = found.json()
    rennes = FrenchAuthority.objects.get(code="35238").name
    assert [item["name"] for item in body["same_partner"]] == [rennes]
    assert [item["code"] for item in body["same_country"]] == ["75056"], "neither Lyon itself nor Rennes again"
    assert [entry["title"] for entry in body["bourse"]] == ["Forages à Thiès"], "only entries still looking"

    page = people.staff.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert "Déjà sur la carte" in page and "Forages à Thiès" in page and rennes in page
    draft = people.lyon.post(
        "/api/dossiers/",
        {"call_id": call.pk, "partner_name": "Ville de Dakar", "partner_country": "SN"},
        content_type="application/json",
    ).json()
    form = people.lyon.get(f"/teleprocedures/dossiers/{draft['id']}/modifier/").content.decode()
    assert "Déjà sur la carte" in form and rennes in form, "as it files"
    assert people.embassy_vn.get(f"/api/dossiers/{dossier['id']}/atlas-neighbours/").status_code == 404
