"""Staff edit the Atlas in the Wagtail admin: listings with filters, Leaflet location panels,
and who changed a project last."""

import pytest

from atlas_pages.atlas.models import point
from atlas_pages.models import Country, FrenchAuthority, Project, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    lyon = FrenchAuthority.objects.create(
        code="69123", name="Lyon", kind="commune", region="Auvergne-Rhône-Alpes", location=point(45.76, 4.84)
    )
    item = Project.objects.create(
        title="Eau potable à Dakar", country=Country.objects.get(iso2="SN"), start_year=2018,
        location_abroad=point(14.72, -17.45),
    )  # fmt: skip
    item.french_authorities.set([lyon])
    return item


def test_project_listing_filters(staff_client, project):
    page = staff_client.get("/admin/atlas_pages/project/?continent=afrique").content.decode()
    assert "Eau potable à Dakar" in page
    page = staff_client.get("/admin/atlas_pages/project/?continent=asie").content.decode()
    assert "Eau potable à Dakar" not in page


def test_edit_with_leaflet_panels_records_who_and_the_map_point(staff_client, staff_user, project):
    url = f"/admin/atlas_pages/project/edit/{project.pk}/"
    page = staff_client.get(url).content.decode()
    assert "leaflet" in page.lower()
    assert 'name="location_abroad"' in page and 'name="location_france"' in page
    response = staff_client.post(
        url,
        {
            "title": "Eau potable et assainissement à Dakar",
            "kind": "project",
            "status": "ongoing",
            "country": Country.objects.get(iso2="SN").pk,
            "french_authorities": [project.french_authorities.get().pk],
            "themes": [Theme.objects.get(slug="eau-assainissement").pk],
            "start_year": 2018,
            "end_year": "",
            "budget": "150000",
            "description": "Réseau de bornes-fontaines.",
            "contact": "",
            "location_france": "SRID=4326;POINT(4.84 45.76)",
            "location_abroad": "SRID=4326;POINT(-17.40 14.70)",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.updated_by == staff_user
    assert (project.latitude_abroad, project.longitude_abroad) == (14.70, -17.40)
    assert "assainissement" in project.search_text and "lyon" in project.search_text


def test_an_authority_is_checked_against_the_official_list_in_the_admin(staff_client):
    url = "/admin/atlas_pages/frenchauthority/create/"
    data = {"name": "Nulle-part", "kind": "commune", "code": "26999", "region": "Auvergne-Rhône-Alpes"}
    data |= {"department": "Drôme", "department_code": "26", "location": ""}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Code officiel inconnu « 26999 »" in response.content.decode()
    response = staff_client.post(url, {**data, "code": "200040459"})  # an intercommunality, not a commune
    assert "La liste officielle a 200040459 comme Intercommunalité." in response.content.decode()
    assert not FrenchAuthority.objects.exists()
    response = staff_client.post(url, {**data, "name": "Montélimar", "code": "26198"})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert FrenchAuthority.objects.get().code == "26198"
