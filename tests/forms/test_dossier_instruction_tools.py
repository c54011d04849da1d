"""The instructors' tools: private notes that never leave the CNCD team, a dossier assigned to
an instructor, and following (told of every change one may read), with the listings narrowed to
"mine", "unassigned" and "followed", in the API, the pages and the back office."""

import pytest
from django.core import mail

from forms.models import Dossier
from tests.factories import UserFactory
from tests.forms.conftest import client_for
from tests.forms.test_dossier_lifecycle import filed, post
from tests.forms.test_dossier_pdf import text_of

pytestmark = pytest.mark.django_db
SECRET = "Doute sur la capacité financière du partenaire"


def put(client, path, body=None):
    return client.put(path, body or {}, content_type="application/json")


def test_private_notes_stay_with_the_cncd_team(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/notes/"
    added = post(people.staff, url, {"text": SECRET})
    assert added.status_code == 201 and added.json()["text"] == SECRET
    assert [note["text"] for note in people.staff.get(url).json()] == [SECRET]
    assert post(people.staff, url, {"text": "   "}).json()["detail"][0]["field"] == "text"

    for who in (people.lyon, people.embassy_sn, people.ministry):  # who sees the dossier
        assert who.get(f"/api/dossiers/{dossier['id']}/").status_code == 200
        assert who.get(url).status_code == 403
        assert post(who, url, {"text": "Moi aussi"}).status_code == 403
        assert SECRET not in who.get(f"/api/dossiers/{dossier['id']}/").content.decode()
        assert SECRET not in who.get(f"/api/dossiers/{dossier['id']}/history/").content.decode()
        assert SECRET not in who.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
        assert SECRET not in text_of(who.get(f"/api/dossiers/{dossier['id']}/pdf"))
    assert people.embassy_vn.get(url).status_code == 404, "a dossier one does not see is not found"
    assert SECRET not in people.lyon.get("/api/me/export/").content.decode()
    assert SECRET not in text_of(people.staff.get(f"/api/dossiers/{dossier['id']}/pdf"))
    export = people.staff.get("/admin/cncd_forms/dossier/?export=csv")
    assert SECRET not in b"".join(export.streaming_content).decode()

    page = people.staff.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert SECRET in page
    history = people.staff.get(f"/api/dossiers/{dossier['id']}/history/").json()
    assert history[-1]["action"] == "note_added" and SECRET not in str(history[-1]), "that it was written"
    lyon_history = people.lyon.get(f"/api/dossiers/{dossier['id']}/history/").json()
    assert "note_added" not in [entry["action"] for entry in lyon_history]

    page_note = people.staff.post(
        f"/teleprocedures/dossiers/{dossier['id']}/action/", {"action": "note", "text": "Relancer la préfecture"}
    )
    assert page_note.status_code == 302
    assert [note["text"] for note in people.staff.get(url).json()] == [SECRET, "Relancer la préfecture"]


def test_a_dossier_is_assigned_to_an_instructor_who_then_follows_it(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/assignee/"
    colleague = UserFactory(username="instructrice", first_name="Anne", last_name="Moreau", is_staff=True)
    assigned = put(people.staff, url, {"instructor_id": colleague.pk})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assigned_to"] == {"id": colleague.pk, "name": "Anne Moreau"}
    assert client_for(colleague).get(f"/api/dossiers/{dossier['id']}/").json()["following"] is True
    assert people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()["assigned_to"] is None, "staff only"

    refused = put(people.staff, url, {"instructor_id": people.users.lyon.pk})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "instructor_id"
    assert put(people.lyon, url, {"instructor_id": colleague.pk}).status_code == 403
    assert put(people.embassy_vn, url, {"instructor_id": colleague.pk}).status_code == 404

    mine = client_for(colleague).get("/api/dossiers/", {"assigned": "me"}).json()
    assert [item["id"] for item in mine["items"]] == [dossier["id"]]
    assert people.staff.get("/api/dossiers/", {"assigned": "me"}).json()["count"] == 0
    assert people.staff.get("/api/dossiers/", {"assigned": "none"}).json()["count"] == 0
    assert people.staff.get("/api/dossiers/", {"assigned": "someone"}).status_code == 422

    page = client_for(colleague).get("/teleprocedures/dossiers/", {"suivi": "attribues"}).content.decode()
    assert dossier["title"] in page and "Anne Moreau" in page
    admin = people.staff.get("/admin/cncd_forms/dossier/", {"suivi": "sans-instructeur"}).content.decode()
    assert dossier["reference"] not in admin

    assert put(people.staff, url, {"instructor_id": None}).json()["assigned_to"] is None
    admin = people.staff.get("/admin/cncd_forms/dossier/", {"suivi": "sans-instructeur"}).content.decode()
    assert dossier["reference"] in admin


def test_followers_are_told_of_every_change_they_may_read(people, call):
    dossier = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/following/"
    assert put(people.embassy_sn, url).json() == {"following": True}
    assert put(people.staff, url).json() == {"following": True}
    assert put(people.embassy_vn, url).status_code == 404, "one follows only what one sees"
    assert people.embassy_sn.get("/api/dossiers/", {"followed": True}).json()["count"] == 1
    mail.outbox.clear()

    post(people.staff, f"/api/dossiers/{dossier['id']}/notes/", {"text": SECRET})
    told = {address for message in mail.outbox for address in message.to}
    assert people.users.embassy_sn.email not in told, "a note is not for the embassy"
    assert people.users.staff.email not in told, "nor for who wrote it"

    mail.outbox.clear()
    response = post(people.staff, f"/api/dossiers/{dossier['id']}/review/", {"version": dossier["version"]})
    assert response.status_code == 200, response.content
    [message] = [item for item in mail.outbox if people.users.embassy_sn.email in item.to]
    assert message.subject == f"Dossier {dossier['reference']} : Instruction commencée"
    assert "vous suivez" in message.body and f"/teleprocedures/dossiers/{dossier['id']}/" in message.body
    assert SECRET not in message.body

    assert people.embassy_sn.delete(url).json() == {"following": False}
    mail.outbox.clear()
    assert people.lyon.post(f"/api/dossiers/{dossier['id']}/messages/", {"body": "Une question."}).status_code == 201
    assert people.users.embassy_sn.email not in {address for message in mail.outbox for address in message.to}
    assert people.users.staff.email in {address for message in mail.outbox for address in message.to}

    page = people.lyon.post(f"/teleprocedures/dossiers/{dossier['id']}/action/", {"action": "follow"})
    assert page.status_code == 302
    assert Dossier.objects.get(pk=dossier["id"]).followers.filter(pk=people.users.lyon.pk).exists()
    assert "Ne plus suivre" in people.lyon.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert [item["dossier"] for item in people.lyon.get("/api/me/export/").json()["followed_dossiers"]] == [
        dossier["reference"]
    ]


def test_the_listing_reads_in_a_fixed_number_of_queries(people, call, django_assert_max_num_queries):
    colleague = UserFactory(username="instructrice", is_staff=True)
    for _number in range(6):
        dossier = filed(people.lyon, call)
        put(people.staff, f"/api/dossiers/{dossier['id']}/assignee/", {"instructor_id": colleague.pk})
    with django_assert_max_num_queries(12):
        page = people.staff.get("/teleprocedures/dossiers/")
    assert page.content.decode().count("data-dossier=") == 6
