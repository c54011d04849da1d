"""The security review, as tests: CSRF on the session API, no open redirect after login,
the front end's Content Security Policy and framing rules, HSTS in production."""

import pytest
from django.test import Client

from tests.core.test_settings import PRODUCTION_ENV, manage
from tests.factories import PASSWORD, add_article, add_rubric

pytestmark = pytest.mark.django_db


def test_the_session_api_needs_the_csrf_token(member):
    page = add_article(add_rubric("Actualités"), "Article public")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = client.post("/api/me/bookmarks/", {"page_id": page.pk}, content_type="application/json")
    assert refused.status_code == 403 and "detail" in refused.json()
    client.get("/espace-personnel/")  # the page sets the csrftoken cookie, as a browser gets it
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/me/bookmarks/", {"page_id": page.pk}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_an_app_token_needs_no_csrf_token(member):
    page = add_article(add_rubric("Actualités"), "Article public")
    login = Client(enforce_csrf_checks=True).post(
        "/_allauth/app/v1/auth/login",
        {"username": member.username, "password": PASSWORD},
        content_type="application/json",
    )
    token = login.json()["meta"]["session_token"]
    response = Client(enforce_csrf_checks=True).post(
        "/api/me/bookmarks/", {"page_id": page.pk}, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "target", ["https://evil.example.org/", "//evil.example.org/", "/\\evil.example.org", "javascript:alert(1)"]
)
def test_no_open_redirect_after_login(member, target):
    client = Client()
    response = client.post(f"/accounts/login/?next={target}", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_a_local_next_is_followed_after_login(member):
    response = Client().post(
        "/accounts/login/?next=/espace-personnel/ma-selection/", {"login": member.username, "password": PASSWORD}
    )
    assert response["Location"] == "/espace-personnel/ma-selection/"


def test_front_end_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "http" not in img_src, "no tile server by default: the maps draw the base map the site ships"
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe" not in script_src, "no inline script, no eval"
    assert "style-src 'self' 'unsafe-inline'" in policy, "the style attributes the DSFR's script sets"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    login = client.get("/accounts/login/")
    assert "script-src 'self'" in login["Content-Security-Policy"]


def test_the_front_end_has_no_inline_script_or_style(client, member_client):
    """What the policy would block: the pages must not rely on it."""
    import re

    for response in (client.get("/"), client.get("/accounts/login/"), member_client.get("/espace-personnel/")):
        html = response.content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert scripts == [], scripts
        assert " style=" not in html and "<style" not in html


def test_the_admin_keeps_its_own_rules(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response, "Wagtail's admin needs its inline scripts"
    assert response["X-Frame-Options"] == "DENY"


def test_production_sends_hsts_and_secure_cookies():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS)",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    hsts, subdomains, session_secure, csrf_secure, redirect, framing = result.stdout.split()[-6:]
    assert int(hsts) >= 31_536_000 and subdomains == "True"
    assert (session_secure, csrf_secure, redirect, framing) == ("True", "True", "True", "DENY")


def test_a_nul_character_is_refused_naming_the_field(client, member_client):
    """PostgreSQL cannot store it: the API refuses it before it gets there (found by fuzzing)."""
    response = client.get("/api/atlas/authorities/", {"kind": "commune\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "kind"
    assert "nuls" in response.json()["detail"][0]["msg"]
    body = member_client.post(
        "/api/me/albums/", {"name": "Asie", "notes": ["ok", "x\x00"]}, content_type="application/json"
    )
    assert body.status_code == 422 and body.json()["detail"][0]["field"] == "notes.1"


def test_an_anonymous_caller_needs_no_csrf_token_but_a_logged_in_session_does(member):
    """One CSRF rule for the API: the token is asked of callers whose session is logged in."""
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        "/api/newsletter/subscriptions/", {"email": "visiteur@example.org"}, content_type="application/json"
    )
    assert response.status_code == 202
    logged_in = Client(enforce_csrf_checks=True)
    logged_in.force_login(member)
    response = logged_in.post(
        "/api/newsletter/subscriptions/", {"email": "visiteur@example.org"}, content_type="application/json"
    )
    assert response.status_code == 403 and "detail" in response.json()
