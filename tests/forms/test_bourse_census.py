"""Bourse-projets census: embassies record entries, staff moderate them before the Bourse map
shows them, French authorities express interest (the embassy is told), the entry moves along
its life cycle and may become an Atlas project; each entry is offered French authorities by a
ranking that says why."""

import pytest
from django.core import mail

from atlas_pages.models import AtlasPage, BourseProject, Project, Theme
from tests.factories import add_page, add_project, home_page

pytestmark = pytest.mark.django_db

ENTRY = {
    "title": "Gestion des déchets à Saint-Louis",
    "partner_name": "Commune de Saint-Louis",
    "theme": "dechets",
    "description": "Collecte et tri des déchets ménagers dans trois quartiers.",
    "expected_partnership": "Échange d'expertise technique et cofinancement.",
    "contact": "Service de coopération, ambassade de France à Dakar",
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def errors_by_field(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def published(people) -> dict:
    entry = post(people.embassy_sn, "/api/bourse/entries/", ENTRY).json()
    post(people.staff, f"/api/bourse/entries/{entry['id']}/moderation", {"decision": "publish"})
    return entry


def test_an_embassy_records_and_staff_publish(people):
    response = post(people.embassy_sn, "/api/bourse/entries/", ENTRY)
    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["country"], entry["moderation"], entry["status"]) == ("SN", "pending", "open")
    assert "atlas@cncd.example.org" in mail.outbox[-1].to
    public = people.ngo.get("/api/bourse/projects/", {"country": "SN"}).json()
    assert entry["title"] not in [item["title"] for item in public["items"]], "not shown before moderation"
    assert people.ngo.get(f"/api/bourse/entries/{entry['id']}/").status_code == 404
    assert (
        post(people.embassy_sn, f"/api/bourse/entries/{entry['id']}/moderation", {"decision": "publish"}).status_code
        == 403
    )
    post(people.staff, f"/api/bourse/entries/{entry['id']}/moderation", {"decision": "publish"})
    public = people.ngo.get("/api/bourse/projects/", {"country": "SN"}).json()
    assert entry["title"] in [item["title"] for item in public["items"]]
    assert mail.outbox[-1].to == [people.users.embassy_sn.email] and "publiée" in mail.outbox[-1].subject


def test_a_rejected_entry_says_why_and_returns_to_moderation_once_corrected(people):
    entry = post(people.embassy_sn, "/api/bourse/entries/", ENTRY).json()
    blank = post(people.staff, f"/api/bourse/entries/{entry['id']}/moderation", {"decision": "reject"})
    assert blank.status_code == 422 and set(errors_by_field(blank)) == {"reason"}
    post(people.staff, f"/api/bourse/entries/{entry['id']}/moderation", {"decision": "reject", "reason": "Trop vague."})
    assert "Trop vague." in mail.outbox[-1].body
    corrected = people.embassy_sn.patch(
        f"/api/bourse/entries/{entry['id']}/",
        {"description": "Collecte de 40 tonnes par mois, tri et compostage."},
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["moderation"] == "pending"


def test_who_records_and_what_is_refused(people):
    for outsider in (people.lyon, people.ngo, people.staff):
        assert post(outsider, "/api/bourse/entries/", ENTRY).status_code == 403
    faulty = post(people.embassy_sn, "/api/bourse/entries/", {**ENTRY, "title": "", "theme": "inconnu"})
    assert faulty.status_code == 422 and set(errors_by_field(faulty)) == {"title", "theme"}
    assert BourseProject.objects.filter(title=ENTRY["title"]).count() == 0
    entry = post(people.embassy_sn, "/api/bourse/entries/", ENTRY).json()
    assert people.embassy_vn.get(f"/api/bourse/entries/{entry['id']}/").status_code == 404, "another embassy"
    assert people.embassy_vn.get("/api/bourse/entries/").json()["count"] == 0
    assert people.embassy_sn.get("/api/bourse/entries/").json()["count"] == 1


def test_a_local_authority_expresses_interest_and_the_embassy_is_told(people):
    entry = published(people)
    mail.outbox.clear()
    assert post(people.embassy_sn, f"/api/bourse/entries/{entry['id']}/interest", {"message": "x"}).status_code == 403
    empty = post(people.lyon, f"/api/bourse/entries/{entry['id']}/interest", {"message": ""})
    assert empty.status_code == 422 and set(errors_by_field(empty)) == {"message"}
    interest = post(
        people.lyon, f"/api/bourse/entries/{entry['id']}/interest", {"message": "Lyon a un plan déchets ambitieux."}
    )
    assert interest.status_code == 201
    assert mail.outbox[-1].to == [people.users.embassy_sn.email]
    assert "Lyon" in mail.outbox[-1].subject and "Lyon a un plan déchets ambitieux." in mail.outbox[-1].body
    again = post(people.lyon_colleague, f"/api/bourse/entries/{entry['id']}/interest", {"message": "Aussi"})
    assert again.status_code == 409, "one interest per authority"
    seen = people.embassy_sn.get(f"/api/bourse/entries/{entry['id']}/").json()
    assert seen["status"] == "in_contact" and [item["authority_code"] for item in seen["interests"]] == ["69123"]
    assert people.rennes.get(f"/api/bourse/entries/{entry['id']}/").json()["interests"] == [], (
        "other authorities do not see Lyon's message"
    )


def test_the_life_cycle_and_the_atlas_project(people):
    entry = published(people)
    path = f"/api/bourse/entries/{entry['id']}"
    assert post(people.embassy_vn, f"{path}/status", {"status": "closed"}).status_code == 403, "another embassy"
    no_partner = post(people.embassy_sn, f"{path}/status", {"status": "matched"})
    assert no_partner.status_code == 422 and set(errors_by_field(no_partner)) == {"matched_authority"}
    matched = post(people.embassy_sn, f"{path}/status", {"status": "matched", "matched_authority": "69123"})
    assert matched.json()["status"] == "matched" and matched.json()["matched_authority"] == "69123"
    assert post(people.embassy_sn, f"{path}/status", {"status": "open"}).status_code == 409, "matched → open"
    assert post(people.embassy_sn, f"{path}/atlas-project").status_code == 403
    created = post(people.staff, f"{path}/atlas-project")
    assert created.status_code == 201
    project = Project.objects.get(pk=created.json()["project_id"])
    assert project.country.iso2 == "SN" and [a.code for a in project.french_authorities.all()] == ["69123"]
    assert [p.name for p in project.partner_authorities.all()] == ["Commune de Saint-Louis"]
    assert [t.slug for t in project.themes.all()] == ["dechets"]
    assert post(people.staff, f"{path}/atlas-project").status_code == 409, "only once"
    closed = post(people.embassy_sn, f"{path}/status", {"status": "closed"})
    assert closed.json()["status"] == "closed"
    history = people.embassy_sn.get(f"{path}/history/").json()
    assert [event["action"] for event in history] == ["recorded", "published", "status", "atlas", "status"]
    assert history[2]["detail"] == "Ouvert → Partenaire trouvé (Lyon)"
    assert people.lyon.get(f"{path}/history/").status_code == 403


def test_suggestions_rank_french_authorities_and_say_why(people, django_assert_max_num_queries):
    entry = published(people)
    waste = Theme.objects.get(slug="dechets")
    add_project("Déchets à Dakar", "35238", country="SN").themes.set([waste])  # Rennes: 3 points
    add_project("Eau à Thiès", "69123", country="SN")  # Lyon: 2 points
    add_project("Déchets à Hué", "69123", country="VN").themes.set([waste])  # Lyon: +1
    add_project("Santé à Hanoï", "35238", country="VN")  # not counted
    with django_assert_max_num_queries(12):
        response = people.embassy_sn.get(f"/api/bourse/entries/{entry['id']}/suggestions")
    ranked = response.json()
    assert [(item["authority_code"], item["score"]) for item in ranked] == [("35238", 3), ("69123", 3)]
    rennes, lyon = ranked
    assert rennes["reasons"] == ["1 projet dans ce pays et ce secteur"]
    assert lyon["reasons"] == ["1 autre projet dans ce pays", "1 projet dans ce secteur ailleurs"]
    assert people.lyon.get(f"/api/bourse/entries/{entry['id']}/suggestions").status_code == 403


def test_the_census_on_the_site(people):
    page = people.embassy_sn.post("/teleprocedures/bourse-projets/", {**ENTRY, "title": ""})
    assert page.status_code == 400 and "Indiquez l&#x27;intitulé du projet." in page.content.decode()
    assert "Commune de Saint-Louis" in page.content.decode(), "what was typed is kept"
    recorded = people.embassy_sn.post("/teleprocedures/bourse-projets/", ENTRY)
    assert recorded.status_code == 302
    entry_page = recorded["Location"]
    people.staff.post(entry_page, {"action": "publish"})
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    bourse = people.lyon.get("/atlas/bourse-projets/?country=SN").content.decode()
    assert ENTRY["title"] in bourse and entry_page in bourse and "Ma collectivité est intéressée" in bourse
    assert entry_page not in people.ngo.get("/atlas/bourse-projets/?country=SN").content.decode()
    lyon_view = people.lyon.get(entry_page).content.decode()
    assert "Exprimer notre intérêt" in lyon_view
    people.lyon.post(entry_page, {"action": "interest", "message": "Nous sommes intéressés."})
    embassy_view = people.embassy_sn.get(entry_page).content.decode()
    assert "Nous sommes intéressés." in embassy_view and "Lyon" in embassy_view
    assert "Exprimer notre intérêt" not in people.lyon.get(entry_page).content.decode(), "once"
    history = people.embassy_sn.get("/api/me/declarations/").json()["items"]
    assert [item["kind"] for item in history] == ["bourse"]
    lyon_history = people.lyon.get("/api/me/declarations/").json()["items"]
    assert [item["kind"] for item in lyon_history] == ["bourse_interest"]
    assert people.ngo.get("/teleprocedures/bourse-projets/").status_code == 403


def test_the_public_list_names_a_status_that_is_not_valid(client, people):
    published(people)
    refused = client.get("/api/bourse/projects/?status=lost")
    assert refused.status_code == 422 and list(errors_by_field(refused)) == ["status"]
    assert client.get("/api/bourse/projects/?status=open").json()["count"] == 1
    assert client.get("/api/bourse/projects/?status=matched").json()["count"] == 0
