"""e-APD for the CNCD's staff: the campaign's progress, and its submitted lines exported as a
CRS CSV and as an IATI 2.03 activity file validated against the IATI schema (shipped by pyIATI)."""

import csv
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from atlas_pages.models import FrenchAuthority
from forms.models import ApdDeclaration
from tests.factories import add_apd_campaign, add_project

pytestmark = pytest.mark.django_db


def iati_schema() -> etree.XMLSchema:
    package = Path(importlib.util.find_spec("iati").submodule_search_locations[0])
    return etree.XMLSchema(etree.parse(str(package / "resources/standard/2-03/schemas/iati-activities-schema.xsd")))


@pytest.fixture
def campaign(people):
    """Lyon submitted two lines (one on an Atlas project), Rennes one line to Viet Nam and one
    unallocated; a draft of another authority is not exported."""
    campaign = add_apd_campaign(2026)
    project = add_project("Eau potable à Dakar", "69123", country="SN", start_year=2023)
    lyon = ApdDeclaration.objects.create(
        campaign=campaign, authority=FrenchAuthority.objects.get(code="69123"), state="submitted"
    )
    lyon.lines.create(
        project=project,
        title="Eau potable à Dakar",
        description="Raccordement de trois quartiers",
        recipient="SN",
        purpose_code="14030",
        disbursed=Decimal("45000.50"),
        committed=Decimal("60000"),
        marker_gender=1,
        marker_environment=2,
        legal_basis="water",
        position=1,
    )
    lyon.lines.create(title="Bourses d'études", recipient="SN", purpose_code="11420", disbursed=5000, position=2)
    rennes = ApdDeclaration.objects.create(
        campaign=campaign, authority=FrenchAuthority.objects.get(code="35238"), state="submitted"
    )
    rennes.lines.create(title="Gouvernance locale à Hué", recipient="VN", purpose_code="15112", disbursed=20000)
    rennes.lines.create(title="Éducation à la citoyenneté", recipient="998", purpose_code="99820", disbursed=1500)
    other = FrenchAuthority.objects.create(code="13055", name="Marseille", kind="commune", region="PACA")
    add_project("Déchets à Tunis", "13055", country="TN")
    draft = ApdDeclaration.objects.create(campaign=campaign, authority=other)
    draft.lines.create(title="Brouillon", recipient="TN", purpose_code="14030", disbursed=999)
    return campaign


def test_the_crs_csv_has_every_submitted_line_in_crs_columns(people, campaign):
    response = people.staff.get(f"/api/declarations/apd/campaigns/{campaign.pk}/crs.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="apd-2026-crs.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["ProjectTitle"] for row in rows] == [
        "Eau potable à Dakar",
        "Bourses d'études",
        "Gouvernance locale à Hué",
        "Éducation à la citoyenneté",
    ], "submitted lines only, by authority"
    water = rows[0]
    assert water["Year"] == "2026" and water["DonorCode"] == "4"
    assert water["ExtendingAgency"] == "Lyon" and water["ExtendingAgencyCode"] == "69123"
    assert (water["RecipientCode"], water["RecipientName"]) == ("SN", "Senegal")
    assert (water["PurposeCode"], water["SectorCode"]) == ("14030", "140")
    assert water["PurposeName"] == "Basic drinking water supply and basic sanitation"
    assert (water["FlowType"], water["FinanceType"], water["AidType"], water["ChannelCode"]) == (
        "10",
        "110",
        "C01",
        "11002",
    )
    assert (water["DisbursementAmount"], water["CommitmentAmount"], water["Currency"]) == (
        "45000.50",
        "60000.00",
        "EUR",
    )
    assert (water["Gender"], water["Environment"], water["Biodiversity"]) == ("1", "2", "0")
    assert water["DeclarationReference"] == "APD-2026-69123" and water["LegalBasis"] == "water"
    assert rows[3]["RecipientCode"] == "998" and rows[3]["RecipientName"] == "Developing countries, unspecified"


def test_the_iati_file_is_valid_against_the_iati_schema(people, campaign):
    response = people.staff.get(f"/api/declarations/apd/campaigns/{campaign.pk}/iati.xml")
    assert response.status_code == 200
    document = etree.fromstring(b"".join(response.streaming_content))
    schema = iati_schema()
    assert schema.validate(document), schema.error_log
    activities = document.findall("iati-activity")
    assert len(activities) == 4
    water = activities[0]
    assert water.findtext("iati-identifier").startswith("FR-CNCD-APD-2026-69123-")
    assert water.findtext("title/narrative") == "Eau potable à Dakar"
    assert water.find("recipient-country").get("code") == "SN"
    assert water.find("sector").get("code") == "14030"
    assert water.find("activity-date").get("iso-date") == "2023-01-01", "the Atlas project's start"
    markers = {marker.get("code"): marker.get("significance") for marker in water.findall("policy-marker")}
    assert markers == {"1": "1", "2": "2", "5": "0", "6": "0", "7": "0"}
    transactions = [
        (item.find("transaction-type").get("code"), item.findtext("value")) for item in water.findall("transaction")
    ]
    assert transactions == [("2", "60000.00"), ("3", "45000.50")]
    assert activities[3].find("recipient-region").get("code") == "998"
    assert activities[3].find("recipient-country") is None


def test_the_exports_take_a_fixed_number_of_queries(people, campaign, django_assert_max_num_queries):
    declaration = ApdDeclaration.objects.get(authority__code="35238")
    for number in range(30):
        declaration.lines.create(title=f"Ligne {number}", recipient="VN", purpose_code="15112", disbursed=10)
    for path, item in (("crs.csv", b"\r\n"), ("iati.xml", b"<iati-activity ")):
        with django_assert_max_num_queries(8):
            response = people.staff.get(f"/api/declarations/apd/campaigns/{campaign.pk}/{path}")
            body = b"".join(response.streaming_content)
        assert body.count(item) == 34 + (path == "crs.csv"), "every line (and the CSV's header)"


def test_progress_counts_declarations_and_totals_by_country_and_sector(people, campaign):
    with_projects = people.staff.get(f"/api/declarations/apd/campaigns/{campaign.pk}/progress")
    assert with_projects.status_code == 200
    progress = with_projects.json()
    assert (progress["declarations"], progress["submitted"], progress["drafts"]) == (3, 2, 1)
    assert progress["disbursed"] == "71500.50"
    assert progress["by_country"][0] == {"key": "SN", "name": "Sénégal", "disbursed": "50000.50", "lines": 2}
    assert {row["key"] for row in progress["by_country"]} == {"SN", "VN", "998"}, "drafts are not counted"
    water = next(row for row in progress["by_sector"] if row["key"] == "140")
    assert water["disbursed"] == "45000.50" and water["name"].startswith("I.4")


def test_staff_see_the_progress_in_the_admin(people, campaign):
    from forms.apd.wagtail_hooks import ApdCampaignAdmin

    url = ApdCampaignAdmin().url_helper.get_action_url("inspect", campaign.pk)
    page = people.staff.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Déclarations transmises : 2" in text
    assert (
        f"/api/declarations/apd/campaigns/{campaign.pk}/crs.csv" in text
        and f"/api/declarations/apd/campaigns/{campaign.pk}/iati.xml" in text
    )
    assert "Marseille (13055)" in text, "authorities that have not submitted"
    assert people.lyon.get(url).status_code in (302, 403)


def test_members_do_not_export(people, campaign):
    for client in (people.lyon, people.ministry, people.embassy_sn):
        assert client.get(f"/api/declarations/apd/campaigns/{campaign.pk}/crs.csv").status_code == 403
        assert client.get(f"/api/declarations/apd/campaigns/{campaign.pk}/iati.xml").status_code == 403
