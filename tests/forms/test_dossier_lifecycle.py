"""A co-financing dossier from draft to decision in the API: every transition allowed where it
must be and refused where it must not, the draft kept through failures, concurrent changes
answered 409, and a history whose chain shows tampering."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forms.models import CallForProjectsPage, Dossier, DossierEvent
from tests.factories import add_call
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def post(client, path, body=None, **headers):
    return client.post(path, body or {}, content_type="application/json", **headers)


def patch(client, path, body):
    return client.patch(path, body, content_type="application/json")


def fields(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def draft(client, call, **data):
    response = post(client, "/api/dossiers/", {"call_id": call.pk, **data})
    assert response.status_code == 201, response.content
    return response.json()


def filed(client, call):
    dossier = draft(client, call, **COMPLETE)
    response = post(client, f"/api/dossiers/{dossier['id']}/submit/", {"version": dossier["version"]})
    assert response.status_code == 200, response.content
    return response.json()


def test_from_draft_to_decision(people, call):
    dossier = draft(people.lyon, call, title="Eau potable à Dakar")
    assert (dossier["state"], dossier["version"], dossier["can_edit"]) == ("draft", 1, True)
    assert dossier["reference"].startswith("AAP")
    assert dossier["authority"] == {"code": "69123", "name": "Lyon"}
    assert "partner_country" in dossier["missing"] and "title" not in dossier["missing"]

    url = f"/api/dossiers/{dossier['id']}/"
    response = patch(people.lyon, url, {**COMPLETE, "version": 1})
    assert response.status_code == 200 and response.json()["missing"] == {}
    budget = response.json()["budget"]
    assert (budget["expenses"], budget["resources"], budget["requested"], budget["balanced"]) == (
        "100000.00",
        "100000.00",
        "40000.00",
        True,
    )
    response = post(people.lyon, f"{url}submit/", {"version": 2})
    assert response.status_code == 200 and response.json()["state"] == "filed"
    assert response.json()["filed_at"]

    # Filed, the authority may still edit it until the call closes: a colleague does.
    response = patch(people.lyon_colleague, url, {"objectives": "12 000 habitants raccordés.", "version": 3})
    assert response.status_code == 200 and response.json()["version"] == 4

    response = post(people.staff, f"{url}review/", {"version": 4})
    assert response.json()["state"] == "under_review" and response.json()["can_edit"] is False
    response = patch(people.lyon, url, {"title": "Autre titre", "version": 5})
    assert response.status_code == 409
    assert response.json()["detail"] == "Cela ne peut pas être fait dans l’état actuel du dossier."

    response = post(
        people.staff, f"{url}decision/", {"version": 5, "decision": "accepted", "motivation": "Projet solide."}
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["decision_motivation"]) == ("accepted", "Projet solide.")
    response = post(people.staff, f"{url}decision/", {"version": 6, "decision": "refused", "motivation": "Non."})
    assert response.status_code == 409
    assert response.json()["detail"] == "Le dossier a été décidé : la décision est définitive."

    history = people.lyon.get(f"{url}history/").json()
    assert [(entry["action"], entry["by"]) for entry in history] == [
        ("created", "Dominique Martin"),
        ("edited", "Dominique Martin"),
        ("filed", "Dominique Martin"),
        ("edited", "Dominique Martin"),
        ("review_started", "Dominique Martin"),
        ("decided", "Dominique Martin"),
    ]
    assert history[3]["detail"] == {"fields": ["objectives"]}
    assert history[5]["detail"] == {"decision": "accepted", "motivation": "Projet solide."}


def test_a_failed_submit_names_each_missing_field_and_keeps_the_draft(people, call):
    dossier = draft(people.lyon, call, title="Eau potable", description="Premier jet")
    response = post(people.lyon, f"/api/dossiers/{dossier['id']}/submit/", {"version": 1})
    assert response.status_code == 422
    assert set(fields(response)) == {
        "partner_name",
        "partner_country",
        "objectives",
        "start_year",
        "duration_years",
        "themes",
        "contacts",
        "budget",
    }
    assert fields(response)["partner_country"] == "Ce champ est obligatoire pour déposer le dossier."
    kept = people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()
    assert (kept["state"], kept["title"], kept["description"], kept["version"]) == (
        "draft",
        "Eau potable",
        "Premier jet",
        1,
    )


@pytest.mark.parametrize(
    "budget,message",
    [
        (
            [
                {"kind": "expense", "label": "Travaux", "amount": "100"},
                {"kind": "resource", "label": "MEAE", "source": "requested", "amount": "40"},
            ],
            "Le budget n’est pas équilibré : 100,00 € de dépenses, 40,00 € de ressources.",
        ),
        (
            [
                {"kind": "expense", "label": "Travaux", "amount": "100"},
                {"kind": "resource", "label": "MEAE", "source": "requested", "amount": "100"},
            ],
            "L’État finance au plus 50 % du budget d’un projet.",
        ),
        (
            [
                {"kind": "expense", "label": "Travaux", "amount": "100"},
                {"kind": "resource", "label": "Ville", "source": "own", "amount": "100"},
            ],
            "Indiquez ce que vous demandez à l’État (une ressource « Demandé à l’État »).",
        ),
    ],
    ids=["unbalanced", "state-share", "nothing-requested"],
)
def test_the_budget_must_balance(people, call, budget, message):
    dossier = draft(people.lyon, call, **{**COMPLETE, "budget": budget})
    response = post(people.lyon, f"/api/dossiers/{dossier['id']}/submit/", {"version": 1})
    assert response.status_code == 422 and fields(response) == {"budget": message}


def test_bad_values_are_named_and_nothing_is_saved(people, call):
    dossier = draft(people.lyon, call, title="Titre")
    response = patch(
        people.lyon,
        f"/api/dossiers/{dossier['id']}/",
        {
            "version": 1,
            "title": "Nouveau titre",
            "partner_country": "XX",
            "themes": ["eau-assainissement", "astronomie"],
            "duration_years": 5,
            "budget": [
                {"kind": "expense", "label": "Travaux", "amount": "100"},
                {"kind": "resource", "label": "?", "source": "loto", "amount": "-5"},
            ],
            "contacts": [{"name": "", "email": "pas-une-adresse"}],
        },
    )
    assert response.status_code == 422
    assert set(fields(response)) == {
        "partner_country",
        "themes",
        "duration_years",
        "budget.1.source",
        "budget.1.amount",
        "contacts.0.name",
        "contacts.0.email",
    }
    kept = people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()
    assert (kept["title"], kept["version"], kept["budget"]["lines"]) == ("Titre", 1, [])


def test_transitions_refused_where_they_must_be(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/"
    # A member decides nothing, even the filing authority.
    for path, body in [
        ("review/", {"version": 2}),
        ("decision/", {"version": 2, "decision": "accepted", "motivation": "Oui"}),
        ("send-back/", {"version": 2, "reason": "Non"}),
    ]:
        assert post(people.lyon, url + path, body).status_code == 403, path
        assert post(people.ministry, url + path, body).status_code == 403, path
    # Filing twice; a decision without motivation; reopening what is not decided.
    assert post(people.lyon, f"{url}submit/", {"version": 2}).status_code == 409
    response = post(people.staff, f"{url}decision/", {"version": 2, "decision": "refused", "motivation": " "})
    assert response.status_code == 422 and list(fields(response)) == ["motivation"]
    assert post(people.staff, f"{url}reopen/", {"version": 2, "reason": "Erreur"}).status_code == 409
    # Others who see the dossier do not edit it.
    assert patch(people.embassy_sn, url, {"version": 2, "title": "x"}).status_code == 403


def test_sent_back_for_correction_then_filed_again(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/"
    response = post(people.staff, f"{url}send-back/", {"version": 2, "reason": "Joindre le budget détaillé."})
    assert (response.json()["state"], response.json()["correction_reason"]) == (
        "correction",
        "Joindre le budget détaillé.",
    )
    assert patch(people.lyon, url, {"version": 3, "objectives": "Précisés"}).status_code == 200
    response = post(people.lyon, f"{url}submit/", {"version": 4})
    assert (response.json()["state"], response.json()["correction_reason"]) == ("filed", "")
    actions = [entry["action"] for entry in people.lyon.get(f"{url}history/").json()]
    assert actions[-3:] == ["sent_back", "edited", "refiled"]


def test_reopening_a_decision_is_staff_only_and_logged(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/"
    post(people.staff, f"{url}decision/", {"version": 2, "decision": "refused", "motivation": "Hors critères."})
    assert post(people.lyon, f"{url}reopen/", {"version": 3, "reason": "Svp"}).status_code == 403
    response = post(people.staff, f"{url}reopen/", {"version": 3, "reason": "Pièce reçue après coup."})
    assert response.json()["state"] == "under_review" and response.json()["decided_at"] is None
    last = people.staff.get(f"{url}history/").json()[-1]
    assert last["action"] == "reopened"
    assert last["detail"] == {"reason": "Pièce reçue après coup.", "previous_decision": "refused"}


def test_after_the_closing_date(people, call):
    late = draft(people.lyon, call, **COMPLETE)
    on_time = filed(people.lyon, call)
    CallForProjectsPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    response = post(people.lyon, f"/api/dossiers/{late['id']}/submit/", {"version": 1})
    assert response.status_code == 409 and response.json()["detail"] == "Cet appel à projets n’est pas ouvert."
    response = patch(people.lyon, f"/api/dossiers/{on_time['id']}/", {"version": 2, "title": "Changé"})
    assert response.status_code == 409
    assert post(people.lyon, "/api/dossiers/", {"call_id": call.pk}).status_code == 409
    assert people.lyon.get(f"/api/dossiers/{on_time['id']}/").json()["can_edit"] is False


def test_concurrent_changes_cannot_overwrite_each_other(people, call):
    dossier = draft(people.lyon, call, **COMPLETE)
    url = f"/api/dossiers/{dossier['id']}/"
    assert patch(people.lyon, url, {"version": 1, "title": "Version de Lyon"}).status_code == 200
    response = patch(people.lyon_colleague, url, {"version": 1, "title": "Version de l'adjointe"})
    assert response.status_code == 409
    assert "modifié par quelqu’un d’autre" in response.json()["detail"]
    # An edit racing a submit: whichever comes second is refused.
    assert post(people.lyon, f"{url}submit/", {"version": 2}).status_code == 200
    assert patch(people.lyon_colleague, url, {"version": 2, "title": "Trop tard"}).status_code == 409
    # Two staff deciding at once from the same version.
    post(people.staff, f"{url}review/", {"version": 3})
    first = post(people.staff, f"{url}decision/", {"version": 4, "decision": "accepted", "motivation": "Oui."})
    second = post(people.staff, f"{url}decision/", {"version": 4, "decision": "refused", "motivation": "Non."})
    assert (first.status_code, second.status_code) == (200, 409)
    final = people.staff.get(url).json()
    assert (final["state"], final["title"], final["decision_motivation"]) == ("accepted", "Version de Lyon", "Oui.")


def test_only_members_of_a_known_local_authority_file(people, call):
    response = post(people.ngo, "/api/dossiers/", {"call_id": call.pk})
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Seuls les membres du groupe des collectivités territoriales déposent des dossiers de cofinancement."
    )
    from extranet.models import MemberProfile

    MemberProfile.objects.filter(user=people.users.rennes).update(organisation_code="")
    people.users.rennes.refresh_from_db()
    assert post(people.rennes, "/api/dossiers/", {"call_id": call.pk}).status_code == 403
    assert Dossier.objects.count() == 0


def test_a_call_not_open_yet_takes_no_dossier(people):
    upcoming = add_call(
        "Appel 2028", opens=timezone.now() + dt.timedelta(days=10), closes=timezone.now() + dt.timedelta(days=40)
    )
    assert post(people.lyon, "/api/dossiers/", {"call_id": upcoming.pk}).status_code == 409


def test_the_history_chain_shows_tampering(people, call, capsys):
    dossier = filed(people.lyon, call)
    post(people.staff, f"/api/dossiers/{dossier['id']}/review/", {"version": 2})
    call_command("check_dossier_history")
    assert "History intact: 3 entries checked." in capsys.readouterr().out

    DossierEvent.objects.filter(dossier_id=dossier["id"], sequence=2).update(actor_name="Quelqu'un d'autre")
    with pytest.raises(CommandError, match="1 break"):
        call_command("check_dossier_history")
    assert f"dossier {dossier['id']}, entry 2: content changed after it was written" in capsys.readouterr().err

    DossierEvent.objects.filter(dossier_id=dossier["id"], sequence=2).delete()
    with pytest.raises(CommandError):
        call_command("check_dossier_history")
    assert "entry 3: missing entry before this one" in capsys.readouterr().err
