"""A member downloads everything the site holds about them and deletes their account; the
history others rely on stays, without the member's name."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail import hooks
from wagtail.models import ModelLogEntry

from extranet.models import ActorGroup, GroupChangeRequest, MemberProfile
from extranet.services import approve_registration, request_group_change
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def registered(db, staff_user):
    user = UserFactory(username="elue", email="elue@commune.example.org", first_name="Anne", last_name="Morel")
    profile = MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug="collectivites"),
        organisation="Commune de Die",
        phone="+33 4 75 22 03 03",
    )
    approve_registration(profile, by=staff_user)
    request_group_change(user, "reseaux-regionaux", "Je rejoins le réseau régional.")
    return user


@pytest.fixture
def registered_client(registered):
    client = Client()
    client.force_login(registered)
    return client


def test_export_holds_everything_about_the_member_and_no_secret(registered_client):
    for url in ("/api/me/export/", "/espace-personnel/mes-donnees/telecharger/"):
        response = registered_client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="cncd-mes-donnees.json"'
        data = json.loads(response.content)
        assert data["account"]["username"] == "elue"
        assert data["email_addresses"] == [{"email": "elue@commune.example.org", "verified": True, "primary": True}]
        assert data["groups"] == ["collectivites"]
        assert data["registration"]["organisation"] == "Commune de Die"
        assert data["registration"]["phone"] == "+33 4 75 22 03 03"
        assert data["group_change_requests"][0]["group"] == "reseaux-regionaux"
        assert "password" not in response.content.decode()
        assert "md5$" not in response.content.decode()


def test_export_is_one_bounded_set_of_queries(registered_client, django_assert_max_num_queries):
    """One query per kind of data (every app's part included), whatever their number."""
    # the dossier reviews and the page contributions are one more kind each, the spaces five
    with django_assert_max_num_queries(30):
        registered_client.get("/api/me/export/")


def test_other_apps_add_their_part_of_the_export(registered_client):
    with hooks.register_temporarily("cncd_personal_data", lambda user: {"bookmarks": [user.get_username()]}):
        data = registered_client.get("/api/me/export/").json()
    assert data["bookmarks"] == ["elue"]


def test_deletion_needs_the_password_and_keeps_nothing_on_a_wrong_one(registered_client, registered):
    response = registered_client.post("/api/me/delete/", {"password": "faux"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "password"
    assert User.objects.filter(pk=registered.pk).exists()


def test_deletion_removes_the_account_and_anonymises_the_history(registered_client, registered):
    profile_id = str(registered.member_profile.pk)
    anonymised = []
    with hooks.register_temporarily("cncd_before_account_deletion", lambda user: anonymised.append(user.pk)):
        response = registered_client.post("/api/me/delete/", {"password": PASSWORD}, content_type="application/json")
    assert response.status_code == 204
    assert anonymised == [registered.pk]  # dossiers and opinions are anonymised by their apps
    assert not User.objects.filter(pk=registered.pk).exists()
    assert not MemberProfile.objects.exists() and not GroupChangeRequest.objects.exists()
    entry = ModelLogEntry.objects.get(action="cncd.registration.approve", object_id=profile_id)
    assert entry.label == "Compte supprimé"  # the decision stays in the log, without the name
    assert registered_client.get("/api/me/").status_code == 401


def test_deletion_page(registered_client, registered):
    page = registered_client.get("/espace-personnel/mes-donnees/").content.decode()
    assert "Supprimer mon compte" in page
    response = registered_client.post("/espace-personnel/mes-donnees/supprimer-mon-compte/", {"password": "faux"})
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["Ce n’est pas votre mot de passe."]
    response = registered_client.post("/espace-personnel/mes-donnees/supprimer-mon-compte/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(username="elue").exists()


def test_staff_accounts_are_not_deleted_from_the_personal_space(staff_client, staff_user):
    response = staff_client.post("/api/me/delete/", {"password": PASSWORD}, content_type="application/json")
    assert response.status_code == 403
    assert User.objects.filter(pk=staff_user.pk).exists()
