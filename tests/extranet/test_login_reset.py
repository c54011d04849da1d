"""Login by username or e-mail, logout, “Mot de passe oublié” by link (never a password by
e-mail, no hint whether an address is known), and login rate limiting."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return MemberFactory(username="maire", email="maire@commune.example.org", groups=["collectivites"])


@pytest.mark.parametrize("login", ["maire", "maire@commune.example.org", "MAIRE@commune.example.org"])
def test_login_by_username_or_email_then_logout(member, client, login):
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/me/").json()["username"] == "maire"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/me/").status_code == 401


def test_headless_login_and_logout(member, client):
    response = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": "maire@commune.example.org", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["user"]["username"] == "maire"
    assert client.get("/api/me/").status_code == 200
    assert client.delete("/_allauth/browser/v1/auth/session").status_code == 401
    assert client.get("/api/me/").status_code == 401


def test_login_page_is_in_french_with_a_forgotten_password_link(client):
    page = unescape(client.get("/accounts/login/").content.decode())
    assert "Connexion" in page
    assert "/accounts/password/reset/" in page
    assert 'class="fr-input"' in page


def test_wrong_password_is_a_form_error(member, client):
    response = client.post("/accounts/login/", {"login": "maire", "password": "faux"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]


def test_login_is_rate_limited_per_account(member):
    for _attempt in range(5):
        Client().post("/accounts/login/", {"login": "maire", "password": "faux"})
    # Even the right password is refused for a while, in the pages and in the API.
    response = Client().post("/accounts/login/", {"login": "maire", "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in unescape(response.content.decode())
    response = Client().post(
        "/_allauth/app/v1/auth/login", {"username": "maire", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"


def test_password_reset_by_link_never_by_password(member, client):
    response = client.post("/accounts/password/reset/", {"email": "maire@commune.example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["maire@commune.example.org"]
    assert PASSWORD not in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form_url = client.get(link)["Location"]
    new_password = "Un-nouveau-mot-de-passe-2027"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert all(new_password not in sent.body for sent in mail.outbox)
    assert Client().post("/accounts/login/", {"login": "maire", "password": new_password}).status_code == 302


def test_password_reset_does_not_tell_whether_the_address_is_known(member):
    known = Client().post("/accounts/password/reset/", {"email": "maire@commune.example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "personne@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    api_known = Client().post(
        "/_allauth/browser/v1/auth/password/request",
        {"email": "maire@commune.example.org"},
        content_type="application/json",
    )
    api_unknown = Client().post(
        "/_allauth/browser/v1/auth/password/request",
        {"email": "personne@example.org"},
        content_type="application/json",
    )
    assert api_known.status_code == api_unknown.status_code == 200
    assert all("maire" not in message.body for message in mail.outbox if message.to == ["personne@example.org"])
