"""Online updates of the Atlas: who may propose what, the diff staff see, moderation (accept
updates the Atlas and keeps who changed what; reject tells why), and changes made since."""

import pytest
from django.core import mail

from atlas_pages.models import Project
from forms.models import AtlasUpdate
from tests.factories import add_project

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def errors_by_field(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def projects(people):
    """Lyon's project in Senegal, Rennes's in Viet Nam."""
    return (
        add_project("Eau potable à Dakar", "69123", country="SN", start_year=2021, budget=50000),
        add_project("Gouvernance locale à Hué", "35238", country="VN", start_year=2020),
    )


def test_who_may_propose_what(people, projects):
    """The seed's actors: authorities (their projects), embassies (their country), prefectures
    (their region's authorities), ministries and operators (any project); nobody else."""
    lyon_project, rennes_project = projects
    change = {"kind": "edit", "changes": {"title": "Nouveau titre"}}

    def status(who, project) -> int:
        return post(who, "/api/atlas/updates/", {**change, "project_id": project.pk}).status_code

    assert (status(people.lyon, lyon_project), status(people.lyon, rennes_project)) == (201, 403)
    assert (status(people.embassy_sn, lyon_project), status(people.embassy_vn, lyon_project)) == (201, 403)
    assert (status(people.prefecture_ara, lyon_project), status(people.prefecture_ara, rennes_project)) == (201, 403)
    assert (status(people.prefecture_bzh, rennes_project), status(people.prefecture_bzh, lyon_project)) == (201, 403)
    assert (status(people.ministry, lyon_project), status(people.ministry, rennes_project)) == (201, 201)
    for outsider in (people.ngo, people.staff):
        assert status(outsider, lyon_project) == 403
    assert post(people.lyon, "/api/atlas/updates/", change).status_code == 422, "a change names its project"


def test_a_prefecture_proposes_for_the_authorities_of_its_region(people, projects):
    lyon_project, rennes_project = projects
    new = {"title": "Jumelage Rennes-Hué", "country": "VN", "start_year": 2026}
    refused = post(people.prefecture_ara, "/api/atlas/updates/", {"kind": "new", "changes": {**new}})
    assert refused.status_code == 422 and "french_authorities" in errors_by_field(refused)
    refused = post(
        people.prefecture_ara,
        "/api/atlas/updates/",
        {"kind": "new", "changes": {**new, "french_authorities": ["35238"]}},
    )
    assert refused.status_code == 422, "Rennes is in Brittany"
    assert "région" in errors_by_field(refused)["french_authorities"]
    made = post(
        people.prefecture_bzh,
        "/api/atlas/updates/",
        {"kind": "new", "changes": {**new, "french_authorities": ["35238"]}},
    )
    assert made.status_code == 201, made.content
    assert (made.json()["proposer_group"], made.json()["proposer_group_label"]) == ("prefectures", "Préfectures")

    moved_away = post(
        people.prefecture_ara,
        "/api/atlas/updates/",
        {"kind": "edit", "project_id": lyon_project.pk, "changes": {"french_authorities": ["35238"]}},
    )
    assert moved_away.status_code == 422, "the project would leave the prefecture's region"
    assert "french_authorities" in errors_by_field(moved_away)

    ended = post(people.prefecture_ara, "/api/atlas/updates/", {"kind": "end", "project_id": lyon_project.pk})
    assert ended.status_code == 201
    other_prefecture = people.prefecture_bzh.get(f"/api/atlas/updates/{ended.json()['id']}/")
    assert other_prefecture.status_code == 404
    assert people.prefecture_ara.get("/api/atlas/updates/").json()["count"] == 1

    home = people.prefecture_ara.get("/teleprocedures/atlas/").content.decode()
    assert "Eau potable à Dakar" in home and "Gouvernance locale à Hué" not in home
    assert "Auvergne-Rhône-Alpes" in home


def test_a_ministry_proposes_for_any_project_and_its_proposals_are_marked_as_its_own(people, projects):
    lyon_project, rennes_project = projects
    made = post(
        people.ministry,
        "/api/atlas/updates/",
        {"kind": "edit", "project_id": rennes_project.pk, "changes": {"budget": "15000"}},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["proposer_group"], body["proposer_group_label"]) == (
        "ministeres-operateurs",
        "Ministères et opérateurs",
    )
    assert "(Ministères et opérateurs)" in mail.outbox[-1].body, "the moderators are told who proposes"
    page = people.staff.get(f"/teleprocedures/atlas/propositions/{body['id']}/").content.decode()
    assert "(Ministères et opérateurs)" in page
    assert people.ministry.get("/api/atlas/updates/").json()["count"] == 1
    assert people.rennes.get(f"/api/atlas/updates/{body['id']}/").status_code == 404, "not Rennes's proposal"
    accepted = post(people.staff, f"/api/atlas/updates/{body['id']}/accept", {})
    assert accepted.json()["state"] == "accepted"
    rennes_project.refresh_from_db()
    assert str(rennes_project.budget) == "15000.00"
    home = people.ministry.get("/teleprocedures/atlas/").content.decode()
    assert "Eau potable à Dakar" in home and "Gouvernance locale à Hué" in home


def test_a_new_project_proposed_then_accepted_appears_in_the_atlas(people, projects):
    proposal = post(
        people.lyon,
        "/api/atlas/updates/",
        {
            "kind": "new",
            "changes": {
                "title": "Jumelage Lyon-Ouagadougou",
                "country": "BF",
                "start_year": 2025,
                "themes": ["eau-assainissement"],
                "partner_authorities": ["Commune de Ouagadougou"],
                "budget": "120000",
            },
            "comment": "Convention signée en mars.",
        },
    )
    assert proposal.status_code == 201, proposal.content
    body = proposal.json()
    assert body["state"] == "pending" and body["changes"]["french_authorities"] == ["69123"], "Lyon by default"
    assert {item["field"]: item["after"] for item in body["differences"]}["country"] == "Burkina Faso"
    assert "atlas@cncd.example.org" in mail.outbox[-1].to
    assert "Jumelage Lyon-Ouagadougou" in mail.outbox[-1].subject
    assert not Project.objects.filter(title="Jumelage Lyon-Ouagadougou").exists(), "nothing shows before moderation"
    accepted = post(people.staff, f"/api/atlas/updates/{body['id']}/accept", {})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    project = Project.objects.get(title="Jumelage Lyon-Ouagadougou")
    assert project.country.iso2 == "BF" and str(project.budget) == "120000.00"
    assert [authority.code for authority in project.french_authorities.all()] == ["69123"]
    assert [partner.name for partner in project.partner_authorities.all()] == ["Commune de Ouagadougou"]
    assert project.updated_by == people.users.lyon
    atlas = people.ngo.get("/api/atlas/projects/", {"q": "Ouagadougou"}).json()
    assert "Jumelage Lyon-Ouagadougou" in [item["title"] for item in atlas["items"]], "the Atlas shows it now"
    assert mail.outbox[-1].to == [people.users.lyon.email] and "acceptée" in mail.outbox[-1].subject


def test_a_change_shows_its_diff_and_keeps_who_changed_what(people, projects):
    lyon_project, _ = projects
    proposal = post(
        people.embassy_sn,
        "/api/atlas/updates/",
        {
            "kind": "edit",
            "project_id": lyon_project.pk,
            "changes": {"title": "Eau potable à Dakar", "budget": "65000", "description": "Trois quartiers raccordés."},
        },
    ).json()
    differences = {item["field"]: (item["before"], item["after"]) for item in proposal["differences"]}
    assert differences == {"budget": ("50000.00", "65000.00"), "description": ("", "Trois quartiers raccordés.")}, (
        "only what differs"
    )
    post(people.staff, f"/api/atlas/updates/{proposal['id']}/accept", {})
    lyon_project.refresh_from_db()
    assert str(lyon_project.budget) == "65000.00" and lyon_project.title == "Eau potable à Dakar"
    history = people.embassy_sn.get("/api/atlas/updates/", {"project": lyon_project.pk, "state": "accepted"}).json()
    assert [item["proposer_group"] for item in history["items"]] == ["ambassades"]
    page = people.staff.get(f"/teleprocedures/atlas/propositions/{proposal['id']}/").content.decode()
    assert "Historique du projet" in page and proposal["reference"] in page


def test_the_end_of_a_project(people, projects):
    lyon_project, _ = projects
    ended = post(people.lyon, "/api/atlas/updates/", {"kind": "end", "project_id": lyon_project.pk, "changes": {}})
    assert ended.status_code == 201
    assert ended.json()["changes"]["status"] == "completed"
    too_early = post(
        people.lyon,
        "/api/atlas/updates/",
        {"kind": "end", "project_id": lyon_project.pk, "changes": {"end_year": 2019}},
    )
    assert too_early.status_code == 422 and set(errors_by_field(too_early)) == {"end_year"}
    post(people.staff, f"/api/atlas/updates/{ended.json()['id']}/accept", {})
    lyon_project.refresh_from_db()
    assert lyon_project.status == "completed" and lyon_project.end_year is not None


def test_rejection_says_why_and_changes_nothing(people, projects):
    lyon_project, _ = projects
    proposal = post(
        people.lyon, "/api/atlas/updates/", {"kind": "edit", "project_id": lyon_project.pk, "changes": {"budget": "1"}}
    ).json()
    assert post(people.lyon, f"/api/atlas/updates/{proposal['id']}/reject", {"reason": "x"}).status_code == 403
    blank = post(people.staff, f"/api/atlas/updates/{proposal['id']}/reject", {"reason": ""})
    assert blank.status_code == 422 and set(errors_by_field(blank)) == {"reason"}
    rejected = post(people.staff, f"/api/atlas/updates/{proposal['id']}/reject", {"reason": "Budget à justifier."})
    assert rejected.json()["state"] == "rejected"
    assert "Budget à justifier." in mail.outbox[-1].body
    lyon_project.refresh_from_db()
    assert str(lyon_project.budget) == "50000.00"
    again = post(people.staff, f"/api/atlas/updates/{proposal['id']}/accept", {})
    assert again.status_code == 409, "a moderated proposal stays as it was"


def test_a_project_changed_since_the_proposal_is_not_overwritten_silently(people, projects):
    lyon_project, _ = projects
    proposal = post(
        people.lyon,
        "/api/atlas/updates/",
        {"kind": "edit", "project_id": lyon_project.pk, "changes": {"budget": "70000"}},
    ).json()
    Project.objects.filter(pk=lyon_project.pk).update(budget=80000)  # an editor changed it in the admin
    conflict = post(people.staff, f"/api/atlas/updates/{proposal['id']}/accept", {})
    assert conflict.status_code == 409 and "Budget" in conflict.json()["detail"]
    forced = post(people.staff, f"/api/atlas/updates/{proposal['id']}/accept", {"override": True})
    assert forced.status_code == 200
    lyon_project.refresh_from_db()
    assert str(lyon_project.budget) == "70000.00"


def test_bad_values_are_named(people, projects):
    response = post(
        people.lyon,
        "/api/atlas/updates/",
        {
            "kind": "new",
            "changes": {
                "title": "",
                "country": "ZZ",
                "start_year": 1800,
                "themes": ["inconnu"],
                "french_authorities": ["35238"],
            },
        },
    )
    assert response.status_code == 422
    assert set(errors_by_field(response)) == {"title", "country", "start_year", "themes", "french_authorities"}
    embassy = post(
        people.embassy_vn,
        "/api/atlas/updates/",
        {
            "kind": "new",
            "changes": {"title": "X", "country": "SN", "start_year": 2024, "french_authorities": ["69123"]},
        },
    )
    assert embassy.status_code == 422 and set(errors_by_field(embassy)) == {"country"}
    same = post(
        people.lyon,
        "/api/atlas/updates/",
        {"kind": "edit", "project_id": projects[0].pk, "changes": {"title": "Eau potable à Dakar"}},
    )
    assert same.status_code == 422 and set(errors_by_field(same)) == {"changes"}
    assert AtlasUpdate.objects.count() == 0


def test_who_sees_which_proposals(people, projects):
    lyon_project, rennes_project = projects
    mine = post(
        people.lyon, "/api/atlas/updates/", {"kind": "end", "project_id": lyon_project.pk, "changes": {}}
    ).json()
    post(people.rennes, "/api/atlas/updates/", {"kind": "end", "project_id": rennes_project.pk, "changes": {}})
    assert people.lyon_colleague.get(f"/api/atlas/updates/{mine['id']}/").status_code == 200, "the same authority"
    assert people.rennes.get(f"/api/atlas/updates/{mine['id']}/").status_code == 404
    assert people.lyon.get("/api/atlas/updates/").json()["count"] == 1
    assert people.staff.get("/api/atlas/updates/", {"state": "pending"}).json()["count"] == 2
    assert post(people.lyon_colleague, f"/api/atlas/updates/{mine['id']}/withdraw").status_code == 403
    assert post(people.lyon, f"/api/atlas/updates/{mine['id']}/withdraw").json()["state"] == "withdrawn"


def test_the_list_reads_in_a_fixed_number_of_queries(people, projects, django_assert_max_num_queries):
    lyon_project, _ = projects
    for number in range(10):
        post(
            people.lyon,
            "/api/atlas/updates/",
            {
                "kind": "edit",
                "project_id": lyon_project.pk,
                "changes": {"budget": str(1000 + number), "themes": ["eau-assainissement"]},
            },
        )
    with django_assert_max_num_queries(10):
        response = people.staff.get("/api/atlas/updates/")
    assert response.json()["count"] == 10


def test_proposing_on_the_site(people, projects):
    lyon_project, _ = projects
    home = people.lyon.get("/teleprocedures/atlas/").content.decode()
    assert "Eau potable à Dakar" in home and "Gouvernance locale à Hué" not in home
    form = people.lyon.get(f"/teleprocedures/atlas/proposer/?projet={lyon_project.pk}")
    assert form.status_code == 200 and 'value="Eau potable à Dakar"' in form.content.decode()
    data = {
        "title": "Eau potable à Dakar",
        "kind": "project",
        "status": "ongoing",
        "country": "SN",
        "start_year": "2021",
        "end_year": "",
        "budget": "50000.00",
        "description": "",
        "contact": "",
        "french_authorities": "69123",
        "partner_authorities": "",
        "comment": "",
    }
    refused = people.lyon.post(
        f"/teleprocedures/atlas/proposer/?projet={lyon_project.pk}", {**data, "start_year": "20"}
    )
    assert refused.status_code == 400 and "start_year" in refused.context["form"].errors
    assert 'value="20"' in refused.content.decode(), "what was typed is kept"
    sent = people.lyon.post(
        f"/teleprocedures/atlas/proposer/?projet={lyon_project.pk}", {**data, "contact": "eau@lyon.example.org"}
    )
    assert sent.status_code == 302
    page = people.lyon.get(sent["Location"]).content.decode()
    assert "eau@lyon.example.org" in page and "En attente de modération" in page
    people.staff.post(sent["Location"], {"action": "accept"})
    lyon_project.refresh_from_db()
    assert lyon_project.contact == "eau@lyon.example.org"
    assert people.ngo.get("/teleprocedures/atlas/").status_code == 403
    assert people.rennes.get(f"/teleprocedures/atlas/proposer/?projet={lyon_project.pk}").status_code == 404


def test_proposals_appear_in_the_history_of_the_authority(people, projects):
    lyon_project, _ = projects
    post(people.lyon, "/api/atlas/updates/", {"kind": "end", "project_id": lyon_project.pk, "changes": {}})
    history = people.lyon_colleague.get("/api/me/declarations/").json()["items"]
    assert [(item["kind"], item["status"]) for item in history] == [("atlas_update", "pending")]
    assert people.rennes.get("/api/me/declarations/").json()["count"] == 0
    space = people.embassy_sn.get("/espace-personnel/").content.decode()
    assert "/teleprocedures/atlas/" in space
    assert "/teleprocedures/atlas/" not in people.ngo.get("/espace-personnel/").content.decode()
