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
    # (the reviewers' scores: one query; the footer's legal pages: one, and their row made on first use)
    with django_assert_max_num_queries(16):
        page = people.staff.get("/teleprocedures/dossiers/")
    assert page.content.decode().count("data-dossier=") == 6


def decided_dossier(people, call) -> dict:
    dossier = filed(people.lyon, call)
    response = post(
        people.staff,
        f"/api/dossiers/{dossier['id']}/decision/",
        {"version": dossier["version"], "decision": "accepted", "motivation": "Projet solide."},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_labels_are_chosen_by_staff_filter_the_listings_and_go_into_the_exports(people, call):
    from forms.models import DossierLabel

    priority = DossierLabel.objects.create(name="Priorité Afrique", description="Sahel et Afrique de l'Ouest")
    incomplete = DossierLabel.objects.create(name="À compléter")
    dossier = filed(people.lyon, call)
    other = filed(people.lyon, call)
    url = f"/api/dossiers/{dossier['id']}/labels/"
    labelled = put(people.staff, url, {"label_ids": [priority.pk, incomplete.pk]})
    assert labelled.status_code == 200, labelled.content
    assert [label["name"] for label in labelled.json()["labels"]] == ["Priorité Afrique", "À compléter"]
    assert put(people.staff, url, {"label_ids": [999]}).json()["detail"][0]["field"] == "labels"
    assert put(people.lyon, url, {"label_ids": [priority.pk]}).status_code == 403
    assert people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()["labels"] == [], "the instructors' own"
    assert people.lyon.get("/api/dossier-labels/").status_code == 403
    assert [label["name"] for label in people.staff.get("/api/dossier-labels/").json()] == [
        "Priorité Afrique",
        "À compléter",
    ]

    found = people.staff.get("/api/dossiers/", {"label": priority.pk}).json()
    assert [item["id"] for item in found["items"]] == [dossier["id"]]
    assert people.staff.get("/api/dossiers/", {"label": 999}).json()["detail"][0]["field"] == "label"
    page = people.staff.get("/teleprocedures/dossiers/", {"etiquette": priority.pk}).content.decode()
    assert f'data-dossier="{dossier["id"]}"' in page and f'data-dossier="{other["id"]}"' not in page

    admin = people.staff.get("/admin/cncd_forms/dossier/", {"etiquette": priority.pk}).content.decode()
    assert dossier["reference"] in admin and other["reference"] not in admin
    export = people.staff.get("/admin/cncd_forms/dossier/?export=csv")
    rows = b"".join(export.streaming_content).decode()
    assert "Priorité Afrique, À compléter" in rows

    page_labels = people.staff.post(
        f"/teleprocedures/dossiers/{other['id']}/action/", {"action": "labels", "labels": [str(incomplete.pk)]}
    )
    assert page_labels.status_code == 302
    assert people.staff.get("/api/dossiers/", {"label": incomplete.pk}).json()["count"] == 2
    entries = people.staff.get(f"/api/dossiers/{dossier['id']}/history/").json()
    assert entries[-1]["action"] == "labelled"
    assert "labelled" not in [
        entry["action"] for entry in people.lyon.get(f"/api/dossiers/{dossier['id']}/history/").json()
    ]


def test_decided_dossiers_are_archived_out_of_the_instructors_listings(people, call):
    pending = filed(people.lyon, call)
    decided = decided_dossier(people, call)
    assert put(people.staff, f"/api/dossiers/{pending['id']}/archive/").status_code == 409, "not decided yet"
    assert put(people.lyon, f"/api/dossiers/{decided['id']}/archive/").status_code == 403
    archived = put(people.staff, f"/api/dossiers/{decided['id']}/archive/")
    assert archived.status_code == 200 and archived.json()["archived"] is True

    assert [item["id"] for item in people.staff.get("/api/dossiers/").json()["items"]] == [pending["id"]]
    assert [item["id"] for item in people.staff.get("/api/dossiers/", {"archived": True}).json()["items"]] == [
        decided["id"]
    ]
    assert people.lyon.get("/api/dossiers/").json()["count"] == 2, "the authority still sees its dossiers"
    admin = people.staff.get("/admin/cncd_forms/dossier/").content.decode()
    assert pending["reference"] in admin and decided["reference"] not in admin
    admin = people.staff.get("/admin/cncd_forms/dossier/", {"archives": "1"}).content.decode()
    assert decided["reference"] in admin and pending["reference"] not in admin
    page = people.staff.get("/teleprocedures/dossiers/", {"archives": "1"}).content.decode()
    assert f'data-dossier="{decided["id"]}"' in page and f'data-dossier="{pending["id"]}"' not in page

    back = people.staff.delete(f"/api/dossiers/{decided['id']}/archive/")
    assert back.json()["archived"] is False
    assert people.staff.get("/api/dossiers/").json()["count"] == 2


def test_the_back_office_shows_opinions_received_against_opinions_asked(people, call):
    dossier = filed(people.lyon, call)
    post(people.staff, f"/api/dossiers/{dossier['id']}/opinions/", {})  # the embassy and the prefecture
    opinions = people.embassy_sn.get(f"/api/dossiers/{dossier['id']}/opinions/").json()
    [embassy] = [item for item in opinions if item["body"] == "ambassades"]
    put(
        people.embassy_sn,
        f"/api/dossiers/{dossier['id']}/opinions/{embassy['id']}/",
        {"verdict": "favourable", "text": "Oui."},
    )
    admin = people.staff.get("/admin/cncd_forms/dossier/").content.decode()
    assert "1 / 2" in admin


def test_a_request_for_an_opinion_carries_a_question_and_documents_and_is_withdrawn_until_answered(people, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = filed(people.lyon, call)
    question = "Le partenaire a-t-il déjà reçu des fonds de l’AFD ?"
    mail.outbox.clear()
    asked = post(
        people.staff,
        f"/api/dossiers/{dossier['id']}/opinions/",
        {"bodies": ["ambassades", "prefectures"], "question": question},
    )
    assert asked.status_code == 201, asked.content
    embassy, prefecture = asked.json()
    [told] = [message for message in mail.outbox if people.users.embassy_sn.email in message.to]
    assert question in told.body

    opinions = f"/api/dossiers/{dossier['id']}/opinions/"
    assert {item["body"]: item["question"] for item in people.embassy_sn.get(opinions).json()}["ambassades"] == question
    assert all(item["question"] == "" for item in people.lyon.get(opinions).json()), "not for the authority"
    assert question not in people.lyon.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert question in people.embassy_sn.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()

    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    added = people.staff.post(f"{opinions}{embassy['id']}/documents/", {"file": pdf})
    assert added.status_code == 201, added.content
    seen = {item["body"]: item for item in people.embassy_sn.get(opinions).json()}["ambassades"]
    assert [document["name"] for document in seen["documents"]] == ["note.pdf"]

    put(people.embassy_sn, f"{opinions}{embassy['id']}/", {"verdict": "favourable", "text": "Oui."})
    assert people.staff.delete(f"{opinions}{embassy['id']}/").status_code == 409, "given: it stays"
    assert people.lyon.delete(f"{opinions}{prefecture['id']}/").status_code == 403
    mail.outbox.clear()
    assert people.staff.delete(f"{opinions}{prefecture['id']}/").status_code == 204
    assert [item["body"] for item in people.staff.get(opinions).json()] == ["ambassades"]
    [withdrawn] = [message for message in mail.outbox if people.users.prefecture_ara.email in message.to]
    assert "retire" in withdrawn.body and dossier["title"] in withdrawn.body
    history = people.staff.get(f"/api/dossiers/{dossier['id']}/history/").json()
    assert history[-1]["action"] == "opinion_revoked"
    assert people.staff.delete(f"{opinions}{prefecture['id']}/").status_code == 404

    asked_again = people.staff.post(
        f"/teleprocedures/dossiers/{dossier['id']}/action/",
        {"action": "request_opinions", "bodies": ["prefectures"], "question": "Avis sur le volet régional ?"},
    )
    assert asked_again.status_code == 302
    [again] = [item for item in people.staff.get(opinions).json() if item["body"] == "prefectures"]
    assert again["question"] == "Avis sur le volet régional ?"
    page = people.staff.post(
        f"/teleprocedures/dossiers/{dossier['id']}/action/", {"action": "revoke_opinion", "opinion": again["id"]}
    )
    assert page.status_code == 302
    assert [item["body"] for item in people.staff.get(opinions).json()] == ["ambassades"]
