"""The Atlas as open data: any search as CSV with the documented columns, as JSON valid against
its published JSON Schema, and as IATI 2.03 activities valid against the IATI schema; offered on
the Atlas page and, for a member's own searches, in the personal space."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema_rs
import pytest
from django.core.management import call_command
from lxml import etree

from atlas_pages.atlas import opendata
from atlas_pages.core.themes import THEMES
from atlas_pages.models import AtlasPage, Project
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import MemberFactory, add_page, home_page
from tests.forms.test_apd_exports import iati_schema

pytestmark = pytest.mark.django_db

CODELISTS = Path(__file__).resolve().parents[2] / "forms" / "apd" / "data" / "codelists"


def body(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def csv_rows(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/atlas/projects.csv?{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="atlas-cncd-')
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def test_csv_has_the_documented_columns_and_the_search_results(client, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    atlas.p3.contact = "jeanne.martin@example.org"
    atlas.p3.budget = Decimal("120000.50")
    atlas.p3.save()
    rows = csv_rows(client, "country=VN")
    assert list(rows[0]) == [field.name for field in opendata.FIELDS]
    [hue] = rows
    assert hue["id"] == str(atlas.p3.pk) and hue["title"] == "Formation des élus à Hué"
    assert hue["url"].endswith(f"/atlas/projet/{atlas.p3.pk}/")
    assert (hue["kind"], hue["status"], hue["country"], hue["country_name"]) == (
        "project",
        "completed",
        "VN",
        "Viêt Nam",
    )
    assert hue["continent"] == "asie" and (hue["start_year"], hue["end_year"]) == ("2010", "2015")
    codes, names = hue["french_authorities"].split(" | "), hue["french_authority_names"].split(" | ")
    assert dict(zip(codes, names, strict=True)) == {"R84": "Auvergne-Rhône-Alpes (région)", "69123": "Lyon"}
    assert hue["partner_authorities"] == "Province de Thua Thien Hué"
    assert hue["themes"] == "gouvernance-locale | education-jeunesse"
    assert hue["dac_purpose_codes"] == "15112 | 11110"
    assert hue["budget"] == "120000.5" and hue["latitude"] == "16.46" and hue["longitude"] == "107.59"
    assert "jeanne.martin" not in str(rows)  # the contact is not published
    # The whole Atlas, in the search's order.
    assert [row["title"] for row in csv_rows(client, "ordering=title")] == sorted(
        Project.objects.values_list("title", flat=True)
    )
    open_ended = next(row for row in csv_rows(client) if row["id"] == str(atlas.p2.pk))
    assert open_ended["end_year"] == "" and open_ended["kind"] == "twinning"


def test_json_is_valid_against_its_published_schema(client, atlas):  # noqa: F811
    schema = client.get("/api/atlas/projects.schema.json")
    assert schema["Content-Type"] == "application/schema+json"
    schema = schema.json()
    assert schema["$id"] == "http://testserver/api/atlas/projects.schema.json"
    items = schema["properties"]["projects"]["items"]
    assert list(items["properties"]) == [field.name for field in opendata.FIELDS]
    assert items["properties"]["end_year"] == {
        "type": ["integer", "null"],
        "description": "Année de fin (vide : sans fin prévue)",
    }
    document = json.loads(body(client.get("/api/atlas/projects.json?country=SN&ordering=title")))
    jsonschema_rs.validator_for(schema).validate(document)
    assert document["$schema"] == schema["$id"] and document["filters"] == "country=SN&ordering=title"
    assert document["count"] == 3 and [item["title"] for item in document["projects"]] == [
        "Déchets à Thiès",
        "Eau potable à Dakar",
        "Maraîchage à Saint-Louis",
    ]
    dakar = document["projects"][1]
    assert dakar["end_year"] is None and dakar["french_authorities"] == ["69123"] and dakar["budget"] is None
    # A file that breaks the schema is refused by it (the schema says something).
    dakar["start_year"] = "2018"
    assert not jsonschema_rs.validator_for(schema).is_valid(document)
    empty = json.loads(body(client.get("/api/atlas/projects.json?country=FR")))
    assert empty["count"] == 0 and empty["projects"] == []
    jsonschema_rs.validator_for(schema).validate(empty)


def test_iati_activities_are_valid_against_the_iati_schema(client, atlas):  # noqa: F811
    atlas.p4.budget = Decimal("8000")
    atlas.p4.end_year = 2027
    atlas.p4.save()
    xml = body(client.get("/api/atlas/projects.iati.xml"))
    document = etree.fromstring(xml)
    schema = iati_schema()
    assert schema.validate(document), schema.error_log
    activities = document.findall("iati-activity")
    assert len(activities) == Project.objects.count() == 5
    [hue] = [item for item in activities if item.findtext("iati-identifier") == f"FR-CNCD-ATLAS-{atlas.p3.pk}"]
    assert hue.findtext("title/narrative") == "Formation des élus à Hué"
    organisations = [(org.get("role"), org.findtext("narrative")) for org in hue.findall("participating-org")]
    assert sorted(organisations) == [  # the French side extends, the partner implements
        ("3", "Auvergne-Rhône-Alpes (région)"),
        ("3", "Lyon"),
        ("4", "Province de Thua Thien Hué"),
    ]
    assert hue.find("recipient-country").get("code") == "VN"
    assert hue.find("activity-status").get("code") == "4"
    assert [(date.get("type"), date.get("iso-date")) for date in hue.findall("activity-date")] == [
        ("2", "2010-01-01"),
        ("4", "2015-12-31"),
    ]
    assert [(sector.get("code"), sector.get("percentage")) for sector in hue.findall("sector")] == [
        ("15112", "50"),
        ("11110", "50"),
    ]
    [saint_louis] = [item for item in activities if item.findtext("title/narrative") == "Maraîchage à Saint-Louis"]
    assert saint_louis.find("activity-status").get("code") == "1"  # planned
    assert saint_louis.find("budget/value").text == "8000.00"
    assert saint_louis.find("location/point/pos").text == "16.03000 -16.49000"


def test_three_themes_share_a_hundred_percent():
    assert opendata._percentages(3) == ["33.33", "33.33", "33.34"]
    assert opendata._percentages(1) == ["100"]


def test_every_theme_has_an_oecd_purpose_code():
    with open(CODELISTS / "dac_purpose_codes.csv", encoding="utf-8") as handle:
        active = {row["code"] for row in csv.DictReader(handle) if row["status"] == "active"}
    assert set(opendata.DAC_PURPOSE) == {slug for slug, _label in THEMES}
    assert set(opendata.DAC_PURPOSE.values()) <= active


def test_the_files_cost_queries_per_batch_not_per_project(client, django_assert_max_num_queries, monkeypatch):
    call_command("atlas_generate", projects=120, authorities=40, countries=6, seed=2)
    monkeypatch.setattr(opendata, "BATCH", 50)
    csv_rows(client)  # the search index is built once per version of the Atlas
    monkeypatch.setattr(opendata, "BATCH", 1000)
    with django_assert_max_num_queries(12):  # one batch, the search and the Atlas page's address
        assert len(csv_rows(client)) == 120
    monkeypatch.setattr(opendata, "BATCH", 50)
    with django_assert_max_num_queries(12 + 2 * 7):  # three batches: seven queries more for each
        assert len(csv_rows(client)) == 120
    with django_assert_max_num_queries(12 + 2 * 7 + 1):  # and the JSON's count
        assert len(json.loads(body(client.get("/api/atlas/projects.json")))["projects"]) == 120


@pytest.mark.parametrize("kind", ["csv", "json", "iati.xml"])
@pytest.mark.parametrize(("query", "field"), [("country=ZZ", "country"), ("year=abc", "year"), ("bbox=1,2", "bbox")])
def test_a_bad_filter_is_named_before_the_file_starts(client, atlas, kind, query, field):  # noqa: F811
    response = client.get(f"/api/atlas/projects.{kind}?{query}")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]


def test_offered_on_the_atlas_page_and_in_the_personal_space(client, atlas):  # noqa: F811
    from extranet import albums

    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    page = client.get("/atlas/?country=SN").content.decode()
    assert 'href="/api/atlas/projects.csv?country=SN" download>CSV</a>' in page
    assert 'href="/api/atlas/projects.iati.xml?country=SN" download>IATI 2.03</a>' in page
    assert 'href="/api/atlas/projects.schema.json"' in page
    member = MemberFactory()
    client.force_login(member)
    albums.save_map(
        member, title="Sénégal", query="country=SN", view_bbox="-18,12,-11,17", zoom=6, album_name="Afrique"
    )
    page = client.get("/espace-personnel/mes-cartes/").content.decode()
    assert 'href="/api/atlas/projects.csv?country=SN" download>Ses projets (CSV)' in page
    rows = csv_rows(client, "country=SN")
    assert len(rows) == 3
