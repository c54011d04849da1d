"""Approval holds whichever door a user comes in by: allauth's pages and headless API, the
Wagtail admin's login, Django's own authenticate(), a session opened earlier, an app token.
And the admin door is rate-limited like the others (it is allauth's login)."""

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from extranet.models import MemberProfile
from tests.factories import PASSWORD, UserFactory, add_article, add_rubric, member_with_profile, padlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db):
    user = member_with_profile("en-attente", "collectivites")
    user.groups.clear()  # a pending registration has joined no group yet
    MemberProfile.objects.filter(user=user).update(status=MemberProfile.Status.PENDING)
    return user


@pytest.fixture
def rejected(db):
    user = member_with_profile("refusee", "ong")
    user.groups.clear()
    MemberProfile.objects.filter(user=user).update(status=MemberProfile.Status.REJECTED, decision_reason="Inconnue")
    return user


@pytest.fixture(params=["pending", "rejected"])
def unapproved(request):
    return request.getfixturevalue(request.param)


def test_the_admin_login_is_allauths_login(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/login/?next=https://evil.example.org/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_password_posted_to_the_admin_login_logs_nobody_in(unapproved, staff_user):
    for user in (unapproved, staff_user):
        client = Client()
        response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get("/api/me/").status_code == 401


def test_an_unapproved_account_is_refused_at_every_door(unapproved):
    assert authenticate(username=unapproved.username, password=PASSWORD) is None
    assert not Client().login(username=unapproved.username, password=PASSWORD)
    client = Client()
    response = client.post("/accounts/login/?next=/admin/", {"login": unapproved.username, "password": PASSWORD})
    assert response.status_code == 403  # the explained page (pending or rejected), no session
    assert client.get("/api/me/").status_code == 401
    for kind in ("browser", "app"):
        response = Client().post(
            f"/_allauth/{kind}/v1/auth/login",
            {"username": unapproved.username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 401
        assert response.json()["meta"]["is_authenticated"] is False
        token = response.json()["meta"].get("session_token")  # the app's token of the stopped flow
        if token:
            assert Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token).status_code == 401
        flows = {flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")}
        assert flows & {"cncd_pending_approval", "cncd_registration_rejected"}


def test_a_session_opened_before_stops_authenticating_when_the_registration_is_rejected(client):
    member = member_with_profile("ex-membre", "collectivites")
    assert client.post("/accounts/login/", {"login": member.username, "password": PASSWORD}).status_code == 302
    app_login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"username": member.username, "password": PASSWORD},
        content_type="application/json",
    )
    token = app_login.json()["meta"]["session_token"]
    assert client.get("/api/me/").status_code == 200
    assert Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200

    MemberProfile.objects.filter(user=member).update(status=MemberProfile.Status.REJECTED)
    assert client.get("/api/me/").status_code == 401
    assert Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token).status_code == 401
    assert client.get("/espace-personnel/")["Location"].startswith("/accounts/login/")


def test_a_session_forced_open_for_an_unapproved_account_reads_no_padlocked_page(unapproved):
    article = add_article(add_rubric("Actualités"), "Réservé aux membres", body="<p>Le corps réservé</p>")
    padlock(article)  # "private, accessible to logged-in users"
    client = Client()
    client.force_login(unapproved)
    page = client.get(article.url).content.decode()
    assert "Le corps réservé" not in page
    assert client.get(f"/api/pages/{article.pk}/").status_code == 401
    assert client.get("/espace-personnel/").status_code == 302


def test_an_inactive_account_is_refused_and_loses_its_session(client, member):
    client.force_login(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get("/api/me/").status_code == 401
    assert authenticate(username=member.username, password=PASSWORD) is None


def test_staff_accounts_without_registration_log_in():
    editor = UserFactory(username="redactrice", is_staff=True)
    assert authenticate(username="redactrice", password=PASSWORD) == editor


def test_the_admin_door_is_rate_limited_like_the_others(staff_user):
    """12 wrong passwords for one account through the admin's login, then the right one: refused."""
    for _attempt in range(12):
        Client().post("/accounts/login/?next=/admin/", {"login": staff_user.username, "password": "faux"})
    client = Client()
    response = client.post("/accounts/login/?next=/admin/", {"login": staff_user.username, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert client.get("/admin/").status_code == 302  # still not in
