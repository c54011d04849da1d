"""The back office of the dossiers: staff list them per call with filters (state, country,
region, waiting for an opinion, overdue), export them as CSV and XLSX, and ask for the
opinions of every dossier a filter shows."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from forms.models import Opinion
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db
INDEX = "/admin/cncd_forms/dossier/"


def file(client, call, **data):
    created = client.post(
        "/api/dossiers/", {"call_id": call.pk, **COMPLETE, **data}, content_type="application/json"
    ).json()
    response = client.post(f"/api/dossiers/{created['id']}/submit/", {"version": 1}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def dossiers(people, call):
    dakar = file(people.lyon, call)
    hue = file(people.rennes, call, title="Patrimoine de Hué", partner_country="VN")
    draft = people.lyon.post(
        "/api/dossiers/", {"call_id": call.pk, "title": "Esquisse inachevée"}, content_type="application/json"
    ).json()
    return {"dakar": dakar, "hue": hue, "draft": draft}


def listed(client, query="") -> set[str]:
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return {title for title in ("Eau potable à Dakar", "Patrimoine de Hué", "Esquisse inachevée") if title in html}


def test_staff_filter_the_dossiers(people, call, dossiers):
    assert listed(people.staff) == {"Eau potable à Dakar", "Patrimoine de Hué"}  # drafts stay with their authority
    assert listed(people.staff, f"appel={call.pk}") == {"Eau potable à Dakar", "Patrimoine de Hué"}
    assert listed(people.staff, "pays=VN") == {"Patrimoine de Hué"}
    assert listed(people.staff, "region=Auvergne-Rhône-Alpes") == {"Eau potable à Dakar"}
    people.staff.post(f"/api/dossiers/{dossiers['hue']['id']}/review/", {"version": 2}, content_type="application/json")
    assert listed(people.staff, "state__exact=under_review") == {"Patrimoine de Hué"}

    people.staff.post(
        f"/api/dossiers/{dossiers['dakar']['id']}/opinions/",
        {"bodies": ["ambassades"]},
        content_type="application/json",
    )
    assert listed(people.staff, "avis=waiting") == {"Eau potable à Dakar"}
    assert listed(people.staff, "avis=waiting-prefectures") == set()
    assert listed(people.staff, "avis=overdue") == set()
    Opinion.objects.update(due_date=timezone.localdate() - dt.timedelta(days=1))
    assert listed(people.staff, "avis=overdue") == {"Eau potable à Dakar"}


def test_export_as_csv_and_xlsx(people, call, dossiers):
    response = people.staff.get(f"{INDEX}?export=csv&pays=SN")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:4] == ["Référence", "Appel", "État", "Intitulé du projet"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Intitulé du projet"], row["État"], row["Code officiel"]) == ("Eau potable à Dakar", "Déposé", "69123")
    assert (Decimal(row["Dépenses (EUR)"]), Decimal(row["Demandé (EUR)"])) == (Decimal(100000), Decimal(40000))

    response = people.staff.get(f"{INDEX}?export=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = book.active
    titles = sorted(sheet.cell(row=row, column=4).value for row in range(2, sheet.max_row + 1))
    assert titles == ["Eau potable à Dakar", "Patrimoine de Hué"]


def test_ask_the_opinions_of_every_dossier_a_filter_shows(people, call, dossiers):
    url = f"{INDEX}demander-les-avis/?appel={call.pk}"
    page = people.staff.get(url).content.decode()
    assert "Eau potable à Dakar" in page and "Patrimoine de Hué" in page and "Esquisse inachevée" not in page
    response = people.staff.post(url)
    assert response.status_code == 302 and response["Location"] == f"{INDEX}?appel={call.pk}"
    asked = sorted(Opinion.objects.values_list("dossier__title", "body"))
    assert asked == [
        ("Eau potable à Dakar", "ambassades"),
        ("Eau potable à Dakar", "prefectures"),
        ("Patrimoine de Hué", "ambassades"),
        ("Patrimoine de Hué", "prefectures"),
    ]
    people.staff.post(url)  # twice: nothing more
    assert Opinion.objects.count() == 4


def test_members_do_not_reach_the_back_office(people, dossiers):
    for client in (people.lyon, people.ministry):
        for path in (INDEX, f"{INDEX}?export=csv", f"{INDEX}demander-les-avis/"):
            response = client.get(path)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    assert people.lyon.post(f"{INDEX}demander-les-avis/").status_code == 302
    assert Opinion.objects.count() == 0
