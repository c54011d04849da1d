"""Opinions on a dossier: staff ask the bodies the call requires, each body is told and
reminded, gives its opinion (confidential ones for staff only) and may change it until the
decision; the dossier shows what it waits for. The French e-mails of the procedure."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forms.models import Opinion
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def put(client, path, body):
    return client.put(path, body, content_type="application/json")


@pytest.fixture
def dossier(people, call):
    created = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    response = post(people.lyon, f"/api/dossiers/{created['id']}/submit/", {"version": 1})
    assert response.status_code == 200
    mail.outbox.clear()
    return response.json()


def opinions_of(client, dossier) -> dict[str, dict]:
    return {item["body"]: item for item in client.get(f"/api/dossiers/{dossier['id']}/opinions/").json()}


def ask(people, dossier, bodies=None):
    response = post(people.staff, f"/api/dossiers/{dossier['id']}/opinions/", {"bodies": bodies or []})
    assert response.status_code == 201, response.content
    return response.json()


def test_staff_ask_the_required_opinions_and_the_bodies_are_told(people, dossier):
    asked = ask(people, dossier)
    today = timezone.localdate()
    assert [(item["body"], item["due_date"]) for item in asked] == [
        ("ambassades", (today + dt.timedelta(days=30)).isoformat()),
        ("prefectures", (today + dt.timedelta(days=20)).isoformat()),
    ]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["ambassade-sn@example.org", "prefecture-ara@example.org"]
    message = next(message for message in mail.outbox if message.to == ["ambassade-sn@example.org"])
    assert message.subject.startswith(f"Votre avis est demandé sur le dossier {dossier['reference']} d’ici le ")
    assert f"http://testserver/teleprocedures/dossiers/{dossier['id']}/" in message.body
    assert people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()["waiting_for"] == ["prefectures", "ambassades"]
    assert ask(people, dossier) == []  # asked twice: nothing more
    assert post(people.lyon, f"/api/dossiers/{dossier['id']}/opinions/").status_code == 403


def test_the_embassy_of_the_partner_country_gives_its_opinion_until_the_decision(people, dossier):
    embassy = ask(people, dossier, ["ambassades"])[0]
    mail.outbox.clear()
    url = f"/api/dossiers/{dossier['id']}/opinions/{embassy['id']}/"
    opinion = {"verdict": "favourable", "text": "Partenaire fiable et projet utile."}
    assert put(people.embassy_vn, url, opinion).status_code == 404  # not their country: not even seen
    assert put(people.ministry, url, opinion).status_code == 403  # sees the dossier, speaks for another body
    assert put(people.lyon, url, opinion).status_code == 403

    response = put(people.embassy_sn, url, opinion)
    assert response.status_code == 200
    assert (response.json()["verdict_label"], response.json()["given"]) == ("Favorable", True)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "cofinancements@cncd.example.org",
        "instructeur@example.org",
    ]
    assert mail.outbox[0].subject == f"Dossier {dossier['reference']} : avis de Ambassade du pays partenaire"
    assert "Avis : Favorable." in mail.outbox[0].body
    assert opinions_of(people.lyon, dossier)["ambassades"]["text"] == "Partenaire fiable et projet utile."
    assert people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()["waiting_for"] == []

    response = put(people.embassy_sn, url, {**opinion, "verdict": "reserved", "text": "Sous réserve du budget."})
    assert response.json()["verdict"] == "reserved"
    current = people.staff.get(f"/api/dossiers/{dossier['id']}/").json()
    post(
        people.staff,
        f"/api/dossiers/{dossier['id']}/decision/",
        {"version": current["version"], "decision": "accepted", "motivation": "Oui."},
    )
    response = put(people.embassy_sn, url, opinion)
    assert response.status_code == 409
    assert response.json()["detail"] == "Le dossier a été décidé : les avis ne peuvent plus être donnés ni modifiés."
    actions = [entry["action"] for entry in people.staff.get(f"/api/dossiers/{dossier['id']}/history/").json()]
    assert actions[-4:] == ["opinion_requested", "opinion_given", "opinion_edited", "decided"]


def test_a_confidential_opinion_is_read_by_staff_only(people, dossier):
    prefecture = ask(people, dossier, ["prefectures"])[0]
    url = f"/api/dossiers/{dossier['id']}/opinions/{prefecture['id']}/"
    secret = "Élus en conflit avec la préfecture"
    response = put(people.prefecture_ara, url, {"verdict": "unfavourable", "text": secret, "confidential": True})
    assert response.status_code == 200
    assert "prefectures" in opinions_of(people.staff, dossier)
    assert "prefectures" in opinions_of(people.prefecture_ara, dossier)  # who gave it
    for client in (people.lyon, people.embassy_sn, people.ministry):
        assert "prefectures" not in opinions_of(client, dossier)
        assert secret not in client.get(f"/api/dossiers/{dossier['id']}/").content.decode()
        history = client.get(f"/api/dossiers/{dossier['id']}/history/").json()
        assert "opinion_given" not in [entry["action"] for entry in history]
        assert secret not in client.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert "opinion_given" in [
        entry["action"] for entry in people.staff.get(f"/api/dossiers/{dossier['id']}/history/").json()
    ]


def test_bad_input_is_named(people, dossier):
    response = post(people.staff, f"/api/dossiers/{dossier['id']}/opinions/", {"bodies": ["mairies"]})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "bodies"
    embassy = ask(people, dossier, ["ambassades"])[0]
    url = f"/api/dossiers/{dossier['id']}/opinions/{embassy['id']}/"
    response = put(people.embassy_sn, url, {"verdict": "peut-être", "text": "?"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "verdict"
    response = put(people.embassy_sn, url, {"verdict": "favourable", "text": "  "})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "text", "loc": ["body", "text"], "type": "invalid", "msg": "Expliquez votre avis."}
    ]
    assert Opinion.objects.get(pk=embassy["id"]).verdict == ""


def test_reminders_before_the_due_date_once_a_day(people, dossier, capsys):
    embassy, prefecture = ask(people, dossier)
    Opinion.objects.filter(pk=prefecture["id"]).update(due_date=timezone.localdate() + dt.timedelta(days=2))
    mail.outbox.clear()
    call_command("remind_opinions")
    assert "1 reminder(s) sent." in capsys.readouterr().out
    [message] = mail.outbox
    assert message.to == ["prefecture-ara@example.org"]
    assert message.subject.startswith(f"Rappel : votre avis sur le dossier {dossier['reference']} est attendu")
    call_command("remind_opinions")  # the same day: nothing more
    assert len(mail.outbox) == 1

    Opinion.objects.filter(pk=embassy["id"]).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    item = people.staff.get(f"/api/dossiers/{dossier['id']}/").json()
    assert item["waiting_for"] == ["ambassades", "prefectures"]  # the overdue one first
    assert {opinion["body"]: opinion["overdue"] for opinion in item["opinions"]} == {
        "ambassades": True,
        "prefectures": False,
    }
    page = people.staff.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert "En attente de l’avis de Ambassade du pays partenaire" in page and "En retard" in page


def test_the_procedure_writes_to_the_authority_and_the_daect(people, call):
    created = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    post(people.lyon, f"/api/dossiers/{created['id']}/submit/", {"version": 1})
    reference = created["reference"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "adjointe-lyon@example.org",
        "cofinancements@cncd.example.org",
        "maire-lyon@example.org",
    ]
    to_lyon = next(message for message in mail.outbox if message.to == ["maire-lyon@example.org"])
    assert to_lyon.subject == f"Dossier {reference} déposé"
    assert "Le dossier « Eau potable à Dakar » de Lyon a été déposé" in to_lyon.body
    assert to_lyon.from_email == "CNCD à la carte <ne-pas-repondre@cncd.example.org>"

    mail.outbox.clear()
    post(people.staff, f"/api/dossiers/{created['id']}/send-back/", {"version": 2, "reason": "Préciser le calendrier."})
    assert {message.subject for message in mail.outbox} == {f"Dossier {reference} : une correction est demandée"}
    assert "Préciser le calendrier." in mail.outbox[0].body

    mail.outbox.clear()
    post(
        people.staff,
        f"/api/dossiers/{created['id']}/decision/",
        {"version": 3, "decision": "closed", "motivation": "Sans réponse."},
    )
    assert {message.subject for message in mail.outbox} == {f"Dossier {reference} : Classé sans suite"}
    assert sorted(message.to[0] for message in mail.outbox) == ["adjointe-lyon@example.org", "maire-lyon@example.org"]


def test_the_dossier_page_shows_what_the_member_may_see(people, dossier):
    url = f"/teleprocedures/dossiers/{dossier['id']}/"
    page = people.embassy_sn.get(url).content.decode()
    assert "Eau potable à Dakar" in page and "Dossier déposé" in page and "Déposé" in page
    assert people.embassy_vn.get(url).status_code == 404
    assert people.ngo.get(url).status_code == 404


def test_each_e_mail_is_also_in_the_members_notifications(people, call):
    created = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    post(people.lyon, f"/api/dossiers/{created['id']}/submit/", {"version": 1})
    post(people.staff, f"/api/dossiers/{created['id']}/send-back/", {"version": 2, "reason": "Préciser le calendrier."})
    listed = people.lyon_colleague.get("/api/me/notifications/").json()
    assert (listed["count"], listed["unread"]) == (2, 2)
    assert [item["subject"] for item in listed["items"]] == [
        f"Dossier {created['reference']} : une correction est demandée",
        f"Dossier {created['reference']} déposé",
    ]
    assert listed["items"][0]["url"] == f"/teleprocedures/dossiers/{created['id']}/"
    assert "Préciser le calendrier." in listed["items"][0]["body"]
    page = people.lyon_colleague.get("/espace-personnel/notifications/").content.decode()
    assert "Préciser le calendrier." in page and page.count("fr-badge--new") == 2
    assert people.lyon_colleague.post("/api/me/notifications/read").status_code == 204
    assert people.lyon_colleague.get("/api/me/notifications/").json()["unread"] == 0
    assert people.embassy_sn.get("/api/me/notifications/").json()["count"] == 0  # nothing asked of them yet
