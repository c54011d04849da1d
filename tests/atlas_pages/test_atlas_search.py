"""The Atlas's search, facets, GeoJSON and reference lists against a hand-built dataset whose
answers are known."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from atlas_pages.atlas.models import point
from atlas_pages.models import BourseProject, Country, FrenchAuthority, PartnerAuthority, Project, Theme

pytestmark = pytest.mark.django_db


def authority(code, name, kind, region, department="", department_code="", at=(45.0, 4.0)):
    return FrenchAuthority.objects.create(
        code=code,
        name=name,
        kind=kind,
        region=region,
        department=department,
        department_code=department_code,
        location=point(*at),
    )


def project(
    title, country, french, partners=(), themes=(), *, kind="project", status="ongoing", years=(2018, None), at
):
    item = Project.objects.create(
        title=title,
        kind=kind,
        status=status,
        country=Country.objects.get(iso2=country),
        start_year=years[0],
        end_year=years[1],
        description=f"Description de « {title} ».",
        location_france=point(french[0].latitude, french[0].longitude),
        location_abroad=point(*at),
    )
    item.french_authorities.set(french)
    item.partner_authorities.set(partners)
    item.themes.set(Theme.objects.filter(slug__in=themes))
    return item


@pytest.fixture
def atlas(db):
    ara = "Auvergne-Rhône-Alpes"
    lyon = authority("69123", "Lyon", "commune", ara, "Rhône", "69", at=(45.76, 4.84))
    region = authority("R84", "Auvergne-Rhône-Alpes (région)", "region", ara, at=(45.76, 4.84))
    rennes = authority("35238", "Rennes", "commune", "Bretagne", "Ille-et-Vilaine", "35", at=(48.11, -1.68))
    die = authority("26113", "Die", "commune", ara, "Drôme", "26", at=(44.75, 5.37))
    dakar = PartnerAuthority.objects.create(name="Ville de Dakar", country=Country.objects.get(iso2="SN"))
    hue = PartnerAuthority.objects.create(name="Province de Thua Thien Hué", country=Country.objects.get(iso2="VN"))
    leipzig = PartnerAuthority.objects.create(name="Stadt Leipzig", country=Country.objects.get(iso2="DE"))
    p1 = project("Eau potable à Dakar", "SN", [lyon], [dakar], ["eau-assainissement"], at=(14.72, -17.45))
    p2 = project(
        "Jumelage Rennes – Leipzig",
        "DE",
        [rennes],
        [leipzig],
        ["culture-patrimoine"],
        kind="twinning",
        years=(1990, None),
        at=(51.34, 12.37),
    )
    p3 = project(
        "Formation des élus à Hué",
        "VN",
        [region, lyon],
        [hue],
        ["gouvernance-locale", "education-jeunesse"],
        status="completed",
        years=(2010, 2015),
        at=(16.46, 107.59),
    )
    p4 = project(
        "Maraîchage à Saint-Louis",
        "SN",
        [die],
        [],
        ["agriculture-alimentation"],
        status="planned",
        years=(2027, 2029),
        at=(16.03, -16.49),
    )
    p5 = project(
        "Déchets à Thiès", "SN", [region], [], ["dechets"], status="completed", years=(2012, 2016), at=(14.79, -16.93)
    )
    BourseProject.objects.create(
        title="Marché couvert de Kaolack",
        partner_authority=dakar,
        country=dakar.country,
        theme=Theme.objects.get(slug="developpement-economique"),
        description="Un marché.",
        expected_partnership="Une ville française.",
        location=point(14.15, -16.07),
    )
    BourseProject.objects.create(
        title="Musée de Hué",
        partner_authority=hue,
        country=hue.country,
        theme=Theme.objects.get(slug="culture-patrimoine"),
        description="Un musée.",
        expected_partnership="Un échange.",
        status="matched",
    )
    return SimpleNamespace(
        lyon=lyon, region=region, rennes=rennes, die=die, dakar=dakar, hue=hue, leipzig=leipzig,
        p1=p1, p2=p2, p3=p3, p4=p4, p5=p5,
    )  # fmt: skip


def titles(client, query: str) -> set[str]:
    response = client.get(f"/api/atlas/projects/?limit=100&{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["title"] for item in body["items"]}


def ids(*projects) -> set[str]:
    return {project.title for project in projects}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", "p1 p2 p3 p4 p5"),
        ("q=dakar", "p1"),
        ("q=ELUS", "p3"),  # accents and case folded
        ("q=leipzig", "p2"),  # the partner's name
        ("q=Rhone+Alpes", "p3 p5"),  # the French authority's name, every word
        ("q=senegal", "p1 p4 p5"),  # the country's name
        ("country=SN", "p1 p4 p5"),
        ("continent=asie", "p3"),
        ("region=84", "p1 p3 p4 p5"),
        ("department=69", "p1 p3"),
        ("authority=35238", "p2"),
        ("kind=twinning", "p2"),
        ("theme=eau-assainissement", "p1"),
        ("status=completed", "p3 p5"),
        ("year=2014", "p2 p3 p5"),
        ("year=2028", "p1 p2 p4"),
        ("bbox=-18,4,16,28", "p1 p4 p5"),
        ("bbox=100,0,-170,60", "p3"),  # across the date line
        ("country=SN&status=completed", "p5"),
        ("region=84&theme=gouvernance-locale", "p3"),
        ("q=dakar&kind=twinning", ""),
        ("continent=afrique&year=2013&department=69", ""),
    ],
)
def test_each_filter_and_combinations(client, atlas, query, expected):
    wanted = {getattr(atlas, name).title for name in expected.split()}
    assert titles(client, query) == wanted


def test_partner_filter(client, atlas):
    assert titles(client, f"partner={atlas.dakar.pk}") == ids(atlas.p1)


def test_sorting_and_paging(client, atlas):
    body = client.get("/api/atlas/projects/?ordering=-start_year&limit=2").json()
    assert body["count"] == 5
    assert [item["title"] for item in body["items"]] == [atlas.p4.title, atlas.p1.title]
    body = client.get("/api/atlas/projects/?ordering=-start_year&limit=2&offset=4").json()
    assert [item["title"] for item in body["items"]] == [atlas.p2.title]


@pytest.mark.parametrize(
    "query,field",
    [
        ("country=XX", "country"),
        ("continent=antarctique", "continent"),
        ("region=99", "region"),
        ("department=100", "department"),
        ("theme=peche", "theme"),
        ("kind=jumelage", "kind"),
        ("year=abc", "year"),
        ("year=1500", "year"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,50,20,40", "bbox"),
        ("ordering=budget", "ordering"),
    ],
)
def test_bad_filters_name_the_field(client, atlas, query, field):
    for endpoint in ("projects/", "facets/", "projects.geojson"):
        response = client.get(f"/api/atlas/{endpoint}?{query}")
        assert response.status_code == 422, (endpoint, response.content)
        assert field in [error["field"] for error in response.json()["detail"]]


def test_facets_match_the_results(client, atlas):
    body = client.get("/api/atlas/facets/?country=SN").json()
    facets = {name: {item["value"]: item["count"] for item in values} for name, values in body["facets"].items()}
    assert body["count"] == 3
    assert facets["kind"] == {"project": 3, "twinning": 0}
    assert facets["status"] == {"planned": 1, "ongoing": 1, "completed": 1}
    assert facets["country"] == {"SN": 3}
    assert facets["continent"]["afrique"] == 3 and facets["continent"]["asie"] == 0
    assert facets["region"] == {"84": 3}
    assert facets["department"] == {"69": 1, "26": 1}
    assert facets["authority"] == {"R84": 1, "69123": 1, "26113": 1}
    assert facets["partner"] == {str(atlas.dakar.pk): 1}
    assert facets["year"]["2014"] == 1 and facets["year"]["2028"] == 2
    # Every facet value, added as a filter, gives exactly its count.
    for name in ("theme", "department", "status", "year"):
        for value, count in facets[name].items():
            if count:
                assert len(titles(client, f"country=SN&{name}={value}")) == count, (name, value)


def test_facets_cost_a_fixed_number_of_queries(client, atlas, django_assert_max_num_queries):
    client.get("/api/atlas/facets/?kind=project")  # the index of this version is built once
    with django_assert_max_num_queries(4):  # the version, the names of the top authorities and partners
        client.get("/api/atlas/facets/")


def test_list_costs_the_same_queries_for_five_or_forty_rows(client, atlas, django_assert_max_num_queries):
    for number in range(35):
        project(f"Projet {number}", "SN", [atlas.lyon], [atlas.dakar], ["dechets"], at=(14.7, -17.4))
    client.get("/api/atlas/projects/?limit=99")  # the index of this version is built once
    with django_assert_max_num_queries(6):
        response = client.get("/api/atlas/projects/?limit=100")
    assert response.json()["count"] == 40


def test_geojson_is_a_valid_feature_collection_of_the_same_results(client, atlas):
    response = client.get("/api/atlas/projects.geojson?country=SN")
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert {feature["id"] for feature in data["features"]} == {atlas.p1.pk, atlas.p4.pk, atlas.p5.pk}
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert -18 < lng < -11 and 12 < lat < 17  # inside Senegal
        assert feature["properties"]["country"] == "SN"


def test_project_sheet(client, atlas):
    body = client.get(f"/api/atlas/projects/{atlas.p3.pk}/").json()
    assert body["title"] == "Formation des élus à Hué"
    assert body["country"] == {"code": "VN", "name": "Viêt Nam"}
    assert body["continent"]["code"] == "asie"
    assert {item["code"] for item in body["french_authorities"]} == {"R84", "69123"}
    assert [item["name"] for item in body["partner_authorities"]] == ["Province de Thua Thien Hué"]
    assert {item["code"] for item in body["themes"]} == {"gouvernance-locale", "education-jeunesse"}
    assert body["location_abroad"] == {"lat": 16.46, "lng": 107.59}
    assert (body["start_year"], body["end_year"], body["status"]) == (2010, 2015, "completed")
    assert client.get("/api/atlas/projects/999999/").status_code == 404


def test_countries_with_their_counts(client, atlas):
    countries = {item["code"]: item for item in client.get("/api/atlas/countries/?with_projects=true").json()}
    assert {code: item["projects"] for code, item in countries.items()} == {"SN": 3, "VN": 1, "DE": 1}
    assert countries["SN"]["name"] == "Sénégal" and countries["SN"]["continent"]["code"] == "afrique"
    west, south, east, north = countries["SN"]["bbox"]
    assert west < countries["SN"]["lng"] < east and south < countries["SN"]["lat"] < north
    everything = client.get("/api/atlas/countries/?continent=europe").json()
    assert len(everything) > 40 and all(item["continent"]["code"] == "europe" for item in everything)


def test_authorities(client, atlas):
    body = client.get("/api/atlas/authorities/?q=lyon").json()
    assert [(item["code"], item["projects"]) for item in body["items"]] == [("69123", 2)]
    body = client.get("/api/atlas/authorities/?region=84&kind=commune").json()
    assert {item["name"] for item in body["items"]} == {"Lyon", "Die"}


def test_bourse_projects(client, atlas):
    body = client.get("/api/bourse/projects/?status=open").json()
    assert [item["title"] for item in body["items"]] == ["Marché couvert de Kaolack"]
    assert body["items"][0]["partner_authority"]["name"] == "Ville de Dakar"
    assert client.get("/api/bourse/projects/?country=VN").json()["count"] == 1


def test_renaming_an_authority_is_found_by_the_search(client, atlas):
    atlas.rennes.name = "Rennes Métropole"
    atlas.rennes.save()
    assert titles(client, "q=metropole") == ids(atlas.p2)
    atlas.p5.partner_authorities.add(atlas.leipzig)
    assert titles(client, "q=leipzig") == ids(atlas.p2, atlas.p5)


def test_generation_is_reproducible_and_realistic():
    call_command("atlas_generate", projects=300, authorities=200, countries=12, seed=7)
    first = list(Project.objects.order_by("pk").values_list("title", "country__iso2", "start_year"))
    assert len(first) == 300
    assert FrenchAuthority.objects.count() == 200
    assert FrenchAuthority.objects.filter(kind="region").count() == 18
    assert Project.objects.values("country").distinct().count() == 12
    for item in Project.objects.select_related("country"):
        country = item.country
        assert country.min_latitude <= item.latitude_abroad <= country.max_latitude
        assert country.min_longitude <= item.longitude_abroad <= country.max_longitude
        assert item.french_authorities.exists()
    call_command("atlas_generate", projects=300, authorities=200, countries=12, seed=7)
    assert list(Project.objects.order_by("pk").values_list("title", "country__iso2", "start_year")) == first
    call_command("atlas_generate", projects=300, authorities=200, countries=12, seed=8)
    assert list(Project.objects.order_by("pk").values_list("title", "country__iso2", "start_year")) != first
