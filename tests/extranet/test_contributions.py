"""Members share their experience: a verified member proposes a good practice or a testimony from
the personal space or the API; it is a draft page in Wagtail's moderation workflow; the editor sends
it back with a comment or publishes it, and the author is told either way; published, it is
credited to the member's organisation. What the member typed is escaped wherever it is shown."""

from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from atlas_pages.models import EditorialPage, GoodPracticePage
from extranet import services
from tests.factories import UserFactory, add_rubric, member_of_authority, member_with_profile

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "kind": "good_practice",
    "title": "Des cantines scolaires au Bénin",
    "teaser": "Deux écoles de Bohicon servent un repas chaud par jour grâce au jardin de la commune.",
    "text": "Le projet a commencé en 2024.\n\nLes parents gèrent le jardin <script>alert(1)</script> & la cuisine.",
    "authority": "Ville de Lyon",
    "country": "BJ",
    "themes": ["education-jeunesse"],
}


@pytest.fixture
def setting(db):
    rubric = add_rubric("Bonnes pratiques", kind="good_practices", slug="bonnes-pratiques")
    author = member_of_authority("maire", "69123", "Ville de Lyon")
    client = Client()
    client.force_login(author)
    editor = Client()
    editor.force_login(UserFactory(username="redaction", is_staff=True, is_superuser=True))
    return rubric, author, client, editor


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def act(page_id: int, action: str, comment: str = "") -> None:
    """What the editor's Approve / Request changes buttons of the Wagtail admin do."""
    page = EditorialPage.objects.get(pk=page_id)
    task_state = page.current_workflow_task_state
    editor = UserFactory(username=f"moderateur-{action}", is_staff=True, is_superuser=True)
    task_state.task.specific.on_action(task_state, editor, action, comment=comment)


def test_a_proposal_goes_through_moderation_and_the_author_is_told(setting):
    rubric, author, client, editor = setting
    response = post(client, "/api/me/contributions/", PROPOSAL)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["state"], created["organisation"], created["url"]) == ("waiting", "Ville de Lyon", "")
    page = GoodPracticePage.objects.get(pk=created["id"])
    assert not page.live and page.get_parent().pk == rubric.pk
    assert [theme.slug for theme in page.themes.all()] == ["education-jeunesse"] and page.country == "BJ"
    assert page.current_workflow_state is not None  # in the editors' “awaiting review”
    assert client.get(page.url or "/bonnes-pratiques/des-cantines-scolaires-au-benin/").status_code == 404
    assert "Des cantines" not in client.get(rubric.url).content.decode()

    # The editor sends it back with a comment: the author is told, with the comment.
    mail.outbox.clear()
    act(page.pk, "reject", comment="Ajoutez le nombre d'élèves concernés.")
    [told] = mail.outbox
    assert told.to == [author.email] and "Ajoutez le nombre d'élèves concernés." in told.body
    [mine] = client.get("/api/me/contributions/").json()
    assert (mine["state"], mine["comment"]) == ("sent_back", "Ajoutez le nombre d'élèves concernés.")

    # The author changes it and submits it again; the editor publishes it.
    changed = {**PROPOSAL, "text": PROPOSAL["text"] + "\n\n180 élèves mangent chaque jour."}
    response = client.put(f"/api/me/contributions/{page.pk}/", changed, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "waiting"
    assert client.put(f"/api/me/contributions/{page.pk}/", changed, content_type="application/json").status_code == 409
    mail.outbox.clear()
    act(page.pk, "approve")
    page.refresh_from_db()
    assert page.live
    [told] = mail.outbox
    assert told.to == [author.email] and "Des cantines scolaires au Bénin" in told.subject

    html = client.get(page.url).content.decode()
    assert "Contribution de Ville de Lyon" in unescape(html)
    assert "180 élèves mangent chaque jour." in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    api = Client().get(f"/api/pages/{page.pk}/").json()
    assert api["fields"]["contributor_organisation"] == "Ville de Lyon"
    assert "<script>" not in str(api["fields"]["body"])
    [mine] = client.get("/api/me/contributions/").json()
    assert mine["state"] == "published" and mine["url"].endswith(page.url)
    assert services.personal_data(author)["contributions"] == [
        {
            "title": "Des cantines scolaires au Bénin",
            "state": "published",
            "organisation": "Ville de Lyon",
            "images": [],
        }
    ]


def test_only_verified_members_propose_and_faults_are_named(setting):
    _rubric, _author, client, _editor = setting
    response = post(
        client, "/api/me/contributions/", {**PROPOSAL, "title": "", "themes": ["inconnu"], "projects": [999999]}
    )
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} == {"title", "themes", "projects"}
    testimony = post(client, "/api/me/contributions/", {**PROPOSAL, "kind": "testimony"})
    assert testimony.status_code == 422
    assert {item["field"] for item in testimony.json()["detail"]} >= {"person_name", "person_role"}

    pending = member_with_profile("en-attente", "ong")
    pending.member_profile.status = pending.member_profile.Status.PENDING
    pending.member_profile.save()
    other = Client()
    other.force_login(pending)
    assert post(other, "/api/me/contributions/", PROPOSAL).status_code == 401  # not a member until verified
    assert Client().post("/api/me/contributions/", PROPOSAL, content_type="application/json").status_code == 401
    assert not EditorialPage.objects.filter(title=PROPOSAL["title"]).exists()


def test_a_member_proposes_from_the_personal_space(setting):
    _rubric, _author, client, _editor = setting
    page = client.get("/espace-personnel/mes-contributions/").content.decode()
    assert "Proposer une page" in page
    form = {**PROPOSAL, "themes": PROPOSAL["themes"]}
    response = client.post("/espace-personnel/mes-contributions/", {**form, "title": ""})
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.content.decode()
    response = client.post("/espace-personnel/mes-contributions/", form, follow=True)
    html = unescape(response.content.decode())
    assert "Votre proposition a été envoyée à la rédaction" in html
    assert "Des cantines scolaires au Bénin" in html and "En attente de la rédaction" in html


def png(name: str = "jardin.png", colour: str = "green"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    content = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(content, format="PNG")
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/png")


def test_a_proposal_carries_images_uploaded_first_with_their_description(setting):
    _rubric, author, client, _editor = setting
    refused = client.post("/api/me/contributions/images/", {"file": png(), "alt": ""})
    assert refused.status_code == 422 and [item["field"] for item in refused.json()["detail"]] == ["alt"]
    fake = client.post(
        "/api/me/contributions/images/",
        {"file": SimpleUploadedFile("photo.png", b"#!/bin/sh\necho not an image"), "alt": "Le jardin"},
    )
    assert fake.status_code == 422 and [item["field"] for item in fake.json()["detail"]] == ["file"]
    garden = client.post("/api/me/contributions/images/", {"file": png(), "alt": "Le jardin <b>potager</b>"})
    assert garden.status_code == 201
    kitchen = client.post("/api/me/contributions/images/", {"file": png("cuisine.png", "red"), "alt": "La cuisine"})
    ids = [garden.json()["id"], kitchen.json()["id"]]

    someone_else = member_with_profile("autre", "ong")
    theirs = Client()
    theirs.force_login(someone_else)
    stolen = post(theirs, "/api/me/contributions/", {**PROPOSAL, "images": ids[:1]})
    assert stolen.status_code == 422 and [item["field"] for item in stolen.json()["detail"]] == ["images"]

    created = post(client, "/api/me/contributions/", {**PROPOSAL, "images": ids})
    assert created.status_code == 201
    assert [image["alt"] for image in created.json()["images"]] == ["Le jardin <b>potager</b>", "La cuisine"]
    page = GoodPracticePage.objects.get(pk=created.json()["id"])
    assert page.image_id == ids[0]

    act(page.pk, "reject", comment="Gardez une seule photo.")
    kept = client.put(
        f"/api/me/contributions/{page.pk}/", {**PROPOSAL, "images": ids[1:]}, content_type="application/json"
    )
    assert [image["id"] for image in kept.json()["images"]] == ids[1:]
    act(page.pk, "approve")
    page.refresh_from_db()
    assert page.image_id == ids[1]
    html = client.get(page.url).content.decode()
    assert 'alt="La cuisine"' in html and 'alt="Le jardin' not in html


def test_the_personal_space_form_uploads_an_image_with_its_description(setting):
    _rubric, _author, client, _editor = setting
    form = {**PROPOSAL, "image": png(), "image_alt": ""}
    response = client.post("/espace-personnel/mes-contributions/", form)
    assert response.status_code == 400
    assert "Décrivez l'image pour qui ne peut pas la voir." in unescape(response.content.decode())
    response = client.post(
        "/espace-personnel/mes-contributions/", {**PROPOSAL, "image": png(), "image_alt": "Le jardin"}
    )
    assert response.status_code == 302
    page = GoodPracticePage.objects.get(title=PROPOSAL["title"])
    assert page.image.description == "Le jardin"
    act(page.pk, "reject", comment="Une autre photo ?")
    edit = client.get(f"/espace-personnel/mes-contributions/{page.pk}/").content.decode()
    assert 'name="images"' in edit and "Le jardin" in edit  # the image kept, unless unticked
    response = client.post(
        f"/espace-personnel/mes-contributions/{page.pk}/",
        {**PROPOSAL, "kind": "good_practice", "image": png("autre.png", "blue"), "image_alt": "Le marché"},
    )
    assert response.status_code == 302
    [only] = __import__("extranet.contributions", fromlist=["x"]).contribution(_author, page.pk).page.body.raw_data[-1:]
    assert only["type"] == "image"
