"""Multi-factor authentication (allauth's mfa): required of staff and editors, and of the
groups the policy names; offered to every member, in the pages and in the headless API."""

import re
from html import unescape

import pytest
from django.test import Client, override_settings

from tests.factories import PASSWORD, STAFF_TOTP_SECRET, UserFactory, app_token, member_with_profile, totp_code

pytestmark = pytest.mark.django_db


def log_in(client, username):
    return client.post("/accounts/login/", {"login": username, "password": PASSWORD})


def reauthenticate(client):
    """allauth asks for the password again before an authenticator is set up or shown."""
    return client.post("/accounts/reauthenticate/", {"password": PASSWORD})


def test_staff_without_an_authenticator_app_can_only_set_one_up():
    editor = UserFactory(username="nouvelle-redactrice", is_staff=True, authenticator_app=False)
    client = Client()
    assert log_in(client, editor.username).status_code == 302  # no authenticator yet: no code to ask
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2Fpages%2F"
    refused = client.get("/api/me/")
    assert refused.status_code == 403 and "/accounts/2fa/totp/activate/" in refused.json()["detail"]
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200

    token = app_token(editor.username)
    response = Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 403 and "authentification" in response.json()["detail"]


def test_staff_log_in_with_a_password_then_a_code():
    UserFactory(username="redactrice", is_staff=True, is_superuser=True)
    client = Client()
    response = log_in(client, "redactrice")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(STAFF_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_headless_api_asks_for_the_second_factor():
    UserFactory(username="instructrice", is_staff=True)
    client = Client()
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": "instructrice", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert {"id": "mfa_authenticate", "is_pending": True} in [
        {key: flow.get(key) for key in ("id", "is_pending")} for flow in response.json()["data"]["flows"]
    ]
    token = response.json()["meta"]["session_token"]
    response = client.post(
        "/_allauth/app/v1/auth/2fa/authenticate",
        {"code": totp_code(STAFF_TOTP_SECRET)},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    assert Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token).json()["is_staff"] is True


def test_a_member_sets_up_an_authenticator_app_in_the_headless_api_and_then_needs_it():
    member_with_profile("ambassade", "ambassades", country="SN")
    client = Client()
    client.post(
        "/_allauth/browser/v1/auth/login",
        {"username": "ambassade", "password": PASSWORD},
        content_type="application/json",
    )
    client.post("/_allauth/browser/v1/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json")
    offer = client.get("/_allauth/browser/v1/account/authenticators/totp")
    assert offer.status_code == 404  # not set up yet: allauth offers a secret
    secret = offer.json()["meta"]["secret"]
    wrong = client.post(
        "/_allauth/browser/v1/account/authenticators/totp", {"code": "123456"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    done = client.post(
        "/_allauth/browser/v1/account/authenticators/totp", {"code": totp_code(secret)}, content_type="application/json"
    )
    assert done.status_code == 200
    client.post("/_allauth/browser/v1/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json")
    codes = client.get("/_allauth/browser/v1/account/authenticators/recovery-codes")
    assert codes.status_code == 200 and len(codes.json()["data"]["unused_codes"]) == 10

    again = Client()
    response = again.post(
        "/_allauth/browser/v1/auth/login",
        {"username": "ambassade", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 401  # the code is asked now
    recovery = codes.json()["data"]["unused_codes"][0]
    response = again.post(
        "/_allauth/browser/v1/auth/2fa/authenticate", {"code": recovery}, content_type="application/json"
    )
    assert response.status_code == 200 and again.get("/api/me/").status_code == 200


def test_members_are_offered_mfa_and_it_is_optional_unless_their_group_requires_it():
    member_with_profile("prefecture", "prefectures", region="84")
    client = Client()
    log_in(client, "prefecture")
    page = unescape(client.get("/espace-personnel/").content.decode())
    assert "/accounts/2fa/" in page
    assert client.get("/api/me/").status_code == 200
    with override_settings(CNCD_MFA_REQUIRED_GROUPS=["prefectures"]):
        assert client.get("/api/me/").status_code == 403
        assert client.get("/espace-personnel/")["Location"].startswith("/accounts/2fa/totp/activate/")


def test_the_mfa_pages_are_in_french_in_the_site_layout():
    member_with_profile("elue", "collectivites")
    client = Client()
    log_in(client, "elue")
    reauthenticate(client)
    page = unescape(client.get("/accounts/2fa/totp/activate/").content.decode())
    assert "fr-header" in page and "authentification" in page.lower()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page)
    assert secret is not None, "the secret is shown for the app"


def test_an_editor_who_is_not_staff_needs_mfa_to_enter_the_admin():
    from django.contrib.auth.models import Group

    editor = UserFactory(username="redacteur-invite")
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/")
