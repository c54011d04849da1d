"""A call's review grid: staff and the bodies the call invites score its dossiers on weighted
criteria; a reviewer reads nobody else's score before giving their own; listings show the average
and the spread, and staff rank the call's dossiers against its envelope. The authority never
reads a score."""

import csv
import io

import pytest

from forms.dossiers.models import ReviewCriterion, ReviewerBody
from forms.models import Dossier
from tests.factories import UserFactory, add_call
from tests.forms.conftest import COMPLETE, client_for
from tests.forms.test_dossier_pdf import text_of

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def put(client, path, body):
    return client.put(path, body, content_type="application/json")


def errors(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def graded(db):
    return add_call(
        "Appel 2027 noté",
        budget_envelope=100000,
        criteria=[
            ReviewCriterion(label="Pertinence", description="Besoins du partenaire", weight=2, scale=5),
            ReviewCriterion(label="Solidité du budget", weight=1, scale=10),
        ],
        review_bodies=[ReviewerBody(body="ambassades")],
    )


def file(client, call, **data) -> dict:
    created = post(client, "/api/dossiers/", {"call_id": call.pk, **COMPLETE, **data}).json()
    response = post(client, f"/api/dossiers/{created['id']}/submit/", {"version": created["version"]})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def filed(people, graded):
    return {
        "dakar": file(people.lyon, graded),
        "hue": file(people.rennes, graded, title="Patrimoine de Hué", partner_country="VN"),
        "dechets": file(people.lyon, graded, title="Déchets à Thiès"),
    }


def grid(graded) -> list[int]:
    return [item.pk for item in graded.criteria.all()]


def score(client, dossier, graded, relevance, budget, comment=""):
    relevance_id, budget_id = grid(graded)
    return put(
        client,
        f"/api/dossiers/{dossier['id']}/scores/mine/",
        {"scores": {str(relevance_id): relevance, str(budget_id): budget}, "comment": comment},
    )


def test_a_reviewer_reads_no_other_score_before_giving_their_own(people, graded, filed):
    dakar = filed["dakar"]
    sheet_url = f"/api/dossiers/{dakar['id']}/scores/"
    response = score(people.embassy_sn, dakar, graded, 4, 7, "Partenaire solide.")
    assert response.status_code == 200, response.content
    mine = response.json()["mine"]
    # (4/5 × 2 + 7/10 × 1) / 3 × 20
    assert (mine["total"], mine["body"], mine["comment"]) == ("15.33", "ambassades", "Partenaire solide.")
    assert response.json()["others"] == [] and response.json()["summary"]["count"] == 1

    # Staff have not scored: they read that someone has, not what.
    sheet = people.staff.get(sheet_url).json()
    assert (sheet["reviewer_as"], sheet["mine"], sheet["others"], sheet["summary"], sheet["hidden"]) == (
        "staff",
        None,
        None,
        None,
        1,
    )
    listed = {item["id"]: item for item in people.staff.get(f"/api/dossiers/?call={graded.pk}").json()["items"]}
    assert listed[dakar["id"]]["score"] is None
    assert people.staff.get(f"/api/dossiers/{dakar['id']}/").json()["score"] is None
    page = people.staff.get(f"/teleprocedures/dossiers/{dakar['id']}/").content.decode()
    assert "1 évaluateur a noté ce dossier : vous lirez sa note une fois la vôtre donnée." in page
    assert "15,33" not in page and "Partenaire solide." not in page
    history = people.staff.get(f"/api/dossiers/{dakar['id']}/history/").json()
    scored = [entry for entry in history if entry["action"] == "scored"]
    assert [entry["detail"] for entry in scored] == [{"for": "ambassades"}]  # who scored, never the score

    # Once staff score, each reads the other, and the summary.
    response = score(people.staff, dakar, graded, 2, 10)
    sheet = response.json()
    assert sheet["mine"]["total"] == "12.00"
    assert [(item["body"], item["total"], item["comment"]) for item in sheet["others"]] == [
        ("ambassades", "15.33", "Partenaire solide.")
    ]
    assert sheet["summary"] == {"count": 2, "average": "13.67", "spread": "1.67", "lowest": "12.00", "highest": "15.33"}
    assert [item["total"] for item in people.embassy_sn.get(sheet_url).json()["others"]] == ["12.00"]
    listed = {item["id"]: item for item in people.staff.get("/api/dossiers/").json()["items"]}
    assert listed[dakar["id"]]["score"]["average"] == "13.67"
    page = people.staff.get(f"/teleprocedures/dossiers/{dakar['id']}/").content.decode()
    assert "Moyenne 13,67/20 (écart-type 1,67), sur 2 évaluations." in page and "Partenaire solide." in page

    # Another instructor who has not scored stays blind, in the API and the back office.
    colleague = client_for(UserFactory(username="instructrice", is_staff=True, is_superuser=True))
    assert colleague.get(sheet_url).json()["hidden"] == 2
    index = colleague.get(f"/admin/cncd_forms/dossier/?appel={graded.pk}").content.decode()
    assert "Après votre propre note" in index and "13,67" not in index
    assert "13,67 (± 1,67)" in people.staff.get(f"/admin/cncd_forms/dossier/?appel={graded.pk}").content.decode()


def test_who_scores_and_who_never_reads_a_score(people, graded, filed):
    dakar, hue = filed["dakar"], filed["hue"]
    assert score(people.staff, dakar, graded, 5, 10).status_code == 200
    assert score(people.embassy_sn, dakar, graded, 3, 5).status_code == 200
    # The embassy in Viet Nam scores the dossier of its country, not Senegal's (which it does not see).
    assert score(people.embassy_vn, hue, graded, 3, 5).status_code == 200
    assert score(people.embassy_vn, dakar, graded, 3, 5).status_code == 404
    # Bodies the call does not invite see the dossier but do not score it.
    for client in (people.prefecture_ara, people.ministry):
        assert client.get(f"/api/dossiers/{dakar['id']}/scores/").status_code == 403
        assert score(client, dakar, graded, 1, 1).status_code == 403
    assert "Grille d’évaluation" not in people.ministry.get(f"/teleprocedures/dossiers/{dakar['id']}/").content.decode()

    # The authority: no sheet, no score in its dossier, listing, page, PDF or history.
    assert people.lyon.get(f"/api/dossiers/{dakar['id']}/scores/").status_code == 403
    assert score(people.lyon, dakar, graded, 5, 10).status_code == 403
    assert people.lyon.get(f"/api/dossiers/{dakar['id']}/").json()["score"] is None
    assert all(item["score"] is None for item in people.lyon.get("/api/dossiers/").json()["items"])
    assert people.lyon.get(f"/api/calls/{graded.pk}/ranking/").status_code == 403
    page = people.lyon.get(f"/teleprocedures/dossiers/{dakar['id']}/").content.decode()
    assert "Grille d’évaluation" not in page and "/20" not in page
    assert "/20" not in text_of(people.lyon.get(f"/api/dossiers/{dakar['id']}/pdf"))
    actions = [entry["action"] for entry in people.lyon.get(f"/api/dossiers/{dakar['id']}/history/").json()]
    assert "scored" not in actions
    listing = people.lyon.get(f"/teleprocedures/dossiers/?appel={graded.pk}").content.decode()
    assert "Note /20" not in listing and "Classement" not in listing


def test_a_call_that_invites_the_prefectures(people):
    regional = add_call(
        "Appel régional",
        criteria=[ReviewCriterion(label="Ancrage territorial", scale=4)],
        review_bodies=[ReviewerBody(body="prefectures")],
    )
    dakar = file(people.lyon, regional)
    body = {"scores": {str(regional.criteria.get().pk): 3}}
    url = f"/api/dossiers/{dakar['id']}/scores/mine/"
    response = put(people.prefecture_ara, url, body)  # the prefecture of Lyon's region
    assert response.status_code == 200 and response.json()["mine"]["total"] == "15.00"
    assert put(people.prefecture_bzh, url, body).status_code == 404  # another region's: not theirs to see
    assert put(people.embassy_sn, url, body).status_code == 403  # sees it, not invited by this call
    html = people.prefecture_ara.get(f"/teleprocedures/dossiers/{dakar['id']}/").content.decode()
    assert "Votre note : 15,00/20." in html


def test_scores_are_checked_and_closed_by_the_decision(people, graded, filed):
    dakar = filed["dakar"]
    relevance, budget = grid(graded)
    url = f"/api/dossiers/{dakar['id']}/scores/mine/"
    response = put(people.staff, url, {"scores": {str(relevance): 6, "999": 1}})
    assert response.status_code == 422
    assert errors(response) == {
        "scores.999": "Ce critère n’est pas dans la grille de l’appel.",
        f"scores.{relevance}": "Donnez un nombre entier de 0 à 5.",
        f"scores.{budget}": "Donnez une note à ce critère.",
    }
    response = put(people.staff, url, {"scores": {str(relevance): 1, str(budget): 1}, "comment": "x" * 5001})
    assert response.status_code == 422 and list(errors(response)) == ["comment"]
    assert not Dossier.objects.get(pk=dakar["id"]).reviews.exists()

    draft = post(people.lyon, "/api/dossiers/", {"call_id": graded.pk, "title": "Esquisse"}).json()
    response = put(
        people.staff, f"/api/dossiers/{draft['id']}/scores/mine/", {"scores": {str(relevance): 1, str(budget): 1}}
    )
    assert response.status_code == 409

    # Scores change until the decision; after it, nobody's do, and every instructor reads them all.
    assert score(people.embassy_sn, dakar, graded, 2, 2).status_code == 200
    assert score(people.embassy_sn, dakar, graded, 5, 10).json()["mine"]["total"] == "20.00"
    version = people.staff.get(f"/api/dossiers/{dakar['id']}/").json()["version"]
    post(
        people.staff,
        f"/api/dossiers/{dakar['id']}/decision/",
        {"version": version, "decision": "accepted", "motivation": "Oui."},
    )
    response = score(people.embassy_sn, dakar, graded, 1, 1)
    assert response.status_code == 409
    assert response.json()["detail"] == "Le dossier a été décidé : son évaluation est close."
    sheet = people.staff.get(f"/api/dossiers/{dakar['id']}/scores/").json()
    assert (sheet["can_score"], sheet["mine"], [item["total"] for item in sheet["others"]]) == (False, None, ["20.00"])


def test_staff_rank_a_calls_dossiers_against_its_envelope(people, graded, filed, django_assert_max_num_queries):
    for name, relevance, budget in (("dakar", 3, 6), ("hue", 5, 9), ("dechets", 4, 5)):
        assert score(people.staff, filed[name], graded, relevance, budget).status_code == 200
    assert score(people.embassy_sn, filed["dakar"], graded, 5, 10).status_code == 200

    with django_assert_max_num_queries(8):
        ranking = people.staff.get(f"/api/calls/{graded.pk}/ranking/").json()
    # Each requests 40,000 € of an envelope of 100,000 €: the third is beyond it.
    assert [
        (item["rank"], item["dossier"]["title"], item["score"]["average"], item["cumulated"], item["within_envelope"])
        for item in ranking["items"]
    ] == [
        (1, "Patrimoine de Hué", "19.33", "40000.00", True),
        (2, "Eau potable à Dakar", "16.00", "80000.00", True),
        (3, "Déchets à Thiès", "14.00", "120000.00", False),
    ]
    assert ranking["hidden"] == 0

    # An instructor ranks only the dossiers they have scored; the others are counted.
    colleague_user = UserFactory(username="instructrice", is_staff=True, is_superuser=True)
    colleague = client_for(colleague_user)
    assert score(colleague, filed["dechets"], graded, 1, 1).status_code == 200
    ranking = colleague.get(f"/api/calls/{graded.pk}/ranking/").json()
    assert [item["dossier"]["title"] for item in ranking["items"]] == ["Déchets à Thiès"] and ranking["hidden"] == 2

    page = people.staff.get(f"/teleprocedures/dossiers/?appel={graded.pk}").content.decode()
    assert "Classement de « Appel 2027 noté »" in page
    table = page[page.index('id="ranking"') :]
    assert table.index("Patrimoine de Hué</a></td><td>19,33") < table.index(
        "Déchets à Thiès</a></td><td>8,67"
    )  # with the colleague's
    with django_assert_max_num_queries(30):
        assert people.staff.get(f"/api/dossiers/?call={graded.pk}").status_code == 200

    response = people.staff.get(f"/admin/cncd_forms/dossier/?export=csv&appel={graded.pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    column = rows[0].index("Note /20 (écart-type)")
    assert {row[rows[0].index("Intitulé du projet")]: row[column] for row in rows[1:]}["Eau potable à Dakar"] == (
        "16,00 (± 4,00)"
    )


def test_a_reviewer_scores_on_the_dossiers_page(people, graded, filed):
    dakar = filed["dakar"]
    relevance, budget = grid(graded)
    page = f"/teleprocedures/dossiers/{dakar['id']}/"
    html = people.embassy_sn.get(page).content.decode()
    assert "Grille d’évaluation" in html and "Besoins du partenaire · de 0 à 5, poids 2" in html
    action = f"/teleprocedures/dossiers/{dakar['id']}/action/"
    response = people.embassy_sn.post(
        action, {"action": "score", f"score-{relevance}": "4", f"score-{budget}": ""}, follow=True
    )
    assert "Donnez une note à ce critère." in response.content.decode()
    response = people.embassy_sn.post(
        action,
        {"action": "score", f"score-{relevance}": "4", f"score-{budget}": "7", "comment": "Solide."},
        follow=True,
    )
    html = response.content.decode()
    assert "Votre note : 15,33/20." in html and "Modifier mes notes" in html
    assert '<option value="4" selected>4</option>' in html
