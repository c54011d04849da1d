"""A verified registration waits for staff: pending and rejected members get an explained
answer at login, approval adds them to their group and tells them by e-mail."""

from html import unescape

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from extranet.exceptions import ReasonRequired, RegistrationAlreadyDecided
from extranet.models import ActorGroup, MemberProfile
from extranet.services import approve_registration, reject_registration
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(db):
    user = UserFactory(
        username="maire-adjointe", email="adjointe@lyon.example.org", first_name="Inès", last_name="Roux"
    )
    return MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug="collectivites"),
        organisation="Ville de Lyon",
        position="Adjointe aux relations internationales",
    )


def web_login(client, username):
    return client.post("/accounts/login/", {"login": username, "password": PASSWORD})


def api_login(client, username):
    return client.post(
        "/_allauth/browser/v1/auth/login",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )


def test_pending_member_is_told_the_registration_awaits_verification(registration, client):
    response = web_login(client, "maire-adjointe")
    assert response.status_code == 403
    html = unescape(response.content.decode())
    assert "Votre inscription est en attente de vérification" in html
    assert "Collectivités territoriales" in html
    assert client.get("/api/me/").status_code == 401


def test_pending_member_gets_a_distinct_flow_in_the_headless_api(registration, client):
    response = api_login(client, "maire-adjointe")
    assert response.status_code == 401
    flows = response.json()["data"]["flows"]
    assert {"id": "cncd_pending_approval", "is_pending": True} in flows
    assert response.json()["meta"]["is_authenticated"] is False


def test_approval_adds_the_group_logs_and_sends_the_confirmation(registration, staff_user, client):
    approve_registration(registration, by=staff_user)

    registration.refresh_from_db()
    assert registration.status == MemberProfile.Status.APPROVED
    assert registration.decided_by == staff_user
    assert registration.user.groups.filter(actor_group__slug="collectivites").exists()

    [message] = mail.outbox
    assert message.to == ["adjointe@lyon.example.org"]
    assert message.subject == "Votre inscription à CNCD à la carte est confirmée"
    assert "« Collectivités territoriales »" in message.body
    assert "http://testserver/espace-personnel/" in message.body
    assert PASSWORD not in message.body

    entry = ModelLogEntry.objects.get(action="cncd.registration.approve")
    assert entry.user == staff_user
    assert entry.object_id == str(registration.pk)

    assert web_login(client, "maire-adjointe").status_code == 302
    me = client.get("/api/me/").json()
    assert [group["slug"] for group in me["groups"]] == ["collectivites"]


def test_rejection_needs_a_reason_and_changes_nothing_without_one(registration, staff_user):
    with pytest.raises(ReasonRequired) as error:
        reject_registration(registration, by=staff_user, reason="  ")
    assert error.value.field == "reason"
    registration.refresh_from_db()
    assert registration.status == MemberProfile.Status.PENDING
    assert mail.outbox == []


def test_rejected_member_receives_the_reason_and_sees_it_at_login(registration, staff_user, client):
    reject_registration(registration, by=staff_user, reason="Organisme inconnu de la préfecture.")
    [message] = mail.outbox
    assert "Organisme inconnu de la préfecture." in message.body
    assert not registration.user.groups.exists()
    assert ModelLogEntry.objects.filter(action="cncd.registration.reject", user=staff_user).exists()

    response = web_login(client, "maire-adjointe")
    assert response.status_code == 403
    html = unescape(response.content.decode())
    assert "Votre inscription n’a pas été confirmée" in html
    assert "Organisme inconnu de la préfecture." in html

    flows = api_login(client, "maire-adjointe").json()["data"]["flows"]
    assert {"id": "cncd_registration_rejected", "is_pending": True} in flows


def test_a_decision_is_final(registration, staff_user):
    approve_registration(registration, by=staff_user)
    with pytest.raises(RegistrationAlreadyDecided):
        reject_registration(registration, by=staff_user, reason="Trop tard")
    with pytest.raises(RegistrationAlreadyDecided):
        approve_registration(registration, by=staff_user)
    assert len(mail.outbox) == 1
    registration.refresh_from_db()
    assert registration.status == MemberProfile.Status.APPROVED
