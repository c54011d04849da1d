"""Who sees which co-financing dossier: the filing authority its own (drafts included), the
embassy of the partner country, the prefecture of the authority's region, ministries and
operators every filed one, staff everything, other groups nothing — in lists and details."""

import pytest

from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def create(client, call, **data):
    response = client.post("/api/dossiers/", {"call_id": call.pk, **data}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def submit(client, dossier):
    response = client.post(
        f"/api/dossiers/{dossier['id']}/submit/", {"version": dossier["version"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def dossiers(people, call):
    """Lyon (Auvergne-Rhône-Alpes) with Dakar, filed; Lyon's draft; Rennes (Brittany) with Hué, filed."""
    lyon_sn = create(people.lyon, call, **COMPLETE)
    submit(people.lyon, lyon_sn)
    lyon_draft = create(people.lyon, call, title="Brouillon de Lyon", partner_country="SN")
    rennes_vn = create(people.rennes, call, **{**COMPLETE, "title": "Patrimoine de Hué", "partner_country": "VN"})
    submit(people.rennes, rennes_vn)
    return {"lyon_sn": lyon_sn["id"], "lyon_draft": lyon_draft["id"], "rennes_vn": rennes_vn["id"]}


EXPECTED = {
    "lyon": {"lyon_sn", "lyon_draft"},
    "lyon_colleague": {"lyon_sn", "lyon_draft"},
    "rennes": {"rennes_vn"},
    "embassy_sn": {"lyon_sn"},
    "embassy_vn": {"rennes_vn"},
    "prefecture_ara": {"lyon_sn"},
    "prefecture_bzh": {"rennes_vn"},
    "ministry": {"lyon_sn", "rennes_vn"},
    "ngo": set(),
    "staff": {"lyon_sn", "lyon_draft", "rennes_vn"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_sees_the_dossiers_the_rules_give(people, dossiers, who):
    client = getattr(people, who)
    names = {pk: name for name, pk in dossiers.items()}
    listed = {names[item["id"]] for item in client.get("/api/dossiers/").json()["items"]}
    assert listed == EXPECTED[who]
    for name, pk in dossiers.items():
        status = client.get(f"/api/dossiers/{pk}/").status_code
        assert status == (200 if name in EXPECTED[who] else 404), (who, name)
        history = client.get(f"/api/dossiers/{pk}/history/").status_code
        assert history == (200 if name in EXPECTED[who] else 404), (who, name)


def test_anonymous_visitors_see_no_dossier(client, dossiers):
    assert client.get("/api/dossiers/").status_code == 401
    assert client.get(f"/api/dossiers/{dossiers['lyon_sn']}/").status_code == 401


def test_the_list_filters_and_costs_a_fixed_number_of_queries(people, call, dossiers, django_assert_max_num_queries):
    for number in range(6):
        create(people.lyon, call, title=f"Projet {number}")
    with django_assert_max_num_queries(8):
        response = people.lyon.get(f"/api/dossiers/?call={call.pk}&state=draft&limit=50")
    assert response.json()["count"] == 7
    assert people.ministry.get("/api/dossiers/?state=draft").json()["count"] == 0


def test_the_dossiers_are_in_the_members_history_of_teleprocedures(people, dossiers):
    items = people.lyon_colleague.get("/api/me/declarations/").json()["items"]
    assert sorted((item["kind"], item["title"], item["status"]) for item in items) == [
        ("dossier", "Brouillon de Lyon", "draft"),
        ("dossier", "Eau potable à Dakar", "filed"),
    ]
    assert items[0]["kind_label"] == "Dossier de cofinancement"
    assert people.embassy_sn.get("/api/me/declarations/").json()["count"] == 0


def test_calls_are_public_with_their_status_and_required_opinions(client, call):
    listed = client.get("/api/calls/").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["title"], item["status"], item["kind"], item["max_share"]) == (
        "Appel à projets 2027",
        "open",
        "annual",
        50,
    )
    assert [(opinion["body"], opinion["days"]) for opinion in item["required_opinions"]] == [
        ("ambassades", 30),
        ("prefectures", 20),
    ]
    assert client.get(f"/api/calls/{call.pk}/").json()["id"] == call.pk
    assert client.get("/api/calls/999999/").status_code == 404
    page = client.get(item["url"])
    assert page.status_code == 200 and "Ambassade du pays partenaire, sous 30 jours" in page.content.decode()


@pytest.mark.parametrize("who", ["embassy_sn", "prefecture_bzh", "ministry", "lyon", "ngo"])
def test_the_dossiers_page_lists_what_the_member_may_see(people, call, dossiers, who, django_assert_max_num_queries):
    titles = {"lyon_sn": "Eau potable à Dakar", "lyon_draft": "Brouillon de Lyon", "rennes_vn": "Patrimoine de Hué"}
    with django_assert_max_num_queries(14):  # (with the reviewers' scores and the footer's legal pages)
        page = getattr(people, who).get("/teleprocedures/dossiers/").content.decode()
    assert {name for name, title in titles.items() if title in page} == EXPECTED[who]
    filtered = getattr(people, who).get("/teleprocedures/dossiers/?etat=draft").content.decode()
    assert ("Brouillon de Lyon" in filtered) == ("lyon_draft" in EXPECTED[who])


def test_the_personal_space_links_to_the_dossiers_for_those_concerned(people):
    assert "/teleprocedures/dossiers/" in people.embassy_sn.get("/espace-personnel/").content.decode()
    assert "/teleprocedures/dossiers/" not in people.ngo.get("/espace-personnel/").content.decode()


def test_a_filter_that_is_not_valid_is_named_by_the_api_and_the_page(people, call, dossiers):
    refused = people.lyon.get("/api/dossiers/?state=nonsense")
    assert refused.status_code == 422
    assert [item["field"] for item in refused.json()["detail"]] == ["state"]

    page = people.lyon.get("/teleprocedures/dossiers/?etat=nonsense&appel=abc")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Choisissez un appel dans la liste" in text and "Choisissez l’un des états" in text
    assert "Brouillon de Lyon" in text and "Eau potable à Dakar" in text  # the list, unfiltered
