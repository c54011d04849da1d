"""State agents sign in through ProConnect (allauth's openid_connect provider), tested against a
real OpenID Connect provider started on loopback (django-oauth-toolkit in a project of its own,
``tests/oidc_provider``): the authorisation code, PKCE, the token, the ID token's signature and
the userinfo all cross a real HTTP connection."""

import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import checks
from django.test import Client, override_settings

from extranet.models import MemberProfile
from tests.oidc_provider import serve

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/proconnect/login/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (folder / "key.pem").write_bytes(pem)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"OIDC_PROVIDER_DB": str(folder / "idp.sqlite3"), "OIDC_PROVIDER_KEY": str(folder / "key.pem")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "oidc_provider" / "serve.py"), str(port), CALLBACK],
        env={**__import__("os").environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", line + (process.stdout.read() if process.poll() is not None else "")
        yield f"http://127.0.0.1:{port}/o"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def proconnect(provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "proconnect",
                    "name": "ProConnect",
                    "client_id": serve.CLIENT_ID,
                    "secret": serve.CLIENT_SECRET,
                    "settings": {
                        "server_url": provider,
                        "oauth_pkce_enabled": True,
                        "scope": ["openid", "email", "given_name", "usual_name", "uid"],
                    },
                }
            ]
        }
    }
    return provider


def sign_in_at_the_provider(site: Client, username: str) -> str:
    """The browser's part: the site sends it to ProConnect, the agent logs in there, and
    ProConnect sends it back to the site's callback with a code. Returns the callback's path."""
    response = site.post("/accounts/oidc/proconnect/login/")
    assert response.status_code == 302, response.content[:300]
    authorize = response["Location"]
    assert "code_challenge=" in authorize  # PKCE
    browser = requests.Session()
    response = browser.get(authorize, allow_redirects=False, timeout=30)
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    login_url = requests.compat.urljoin(authorize, response.headers["Location"])
    page = browser.get(login_url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        login_url,
        data={"username": username, "password": serve.PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:300]
    response = browser.get(requests.compat.urljoin(login_url, response.headers["Location"]), allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].startswith(CALLBACK)
    parts = urlsplit(response.headers["Location"])
    return f"{parts.path}?{parts.query}"


def register(site: Client, callback: str, group: str, **fields):
    response = site.get(callback)
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/", response.content[:500]
    form = site.get("/accounts/3rdparty/signup/")
    assert form.status_code == 200
    initial = {name: value for name, value in form.context["form"].initial.items() if value}
    assert initial["email"] and initial["first_name"] and initial["last_name"]  # filled from ProConnect
    data = {**initial, "group": group, "organisation": "Ministère", "terms": "on", **fields}
    data.setdefault("username", "agent")
    response = site.post("/accounts/3rdparty/signup/", data)
    if response.status_code == 200 and response.context and "form" in response.context:
        assert not response.context["form"].errors, response.context["form"].errors
    return response


@override_settings(CNCD_STATE_AUTO_APPROVE=["ministeres-operateurs"])
def test_an_agent_of_a_state_domain_is_approved_at_once_where_the_setting_says_so(proconnect):
    site = Client()
    response = register(site, sign_in_at_the_provider(site, "agent-ministere"), "ministeres-operateurs")
    assert response.status_code == 302, response.content[:500]
    me = site.get("/api/me/").json()
    assert me["email"] == "paul.durand@finances.gouv.fr" and me["first_name"] == "Paul"
    assert [group["slug"] for group in me["groups"]] == ["ministeres-operateurs"]
    assert me["registration"]["status"] == "approved"

    again = Client()  # the next time: straight in, no form
    response = again.get(sign_in_at_the_provider(again, "agent-ministere"))
    assert response.status_code == 302 and again.get("/api/me/").status_code == 200


@override_settings(CNCD_STATE_AUTO_APPROVE=["ministeres-operateurs"])
def test_an_address_outside_the_state_domains_waits_for_staff(proconnect):
    site = Client()
    response = register(site, sign_in_at_the_provider(site, "agent-prive"), "ministeres-operateurs")
    assert response.status_code == 403  # the explained "waiting for verification" page
    assert site.get("/api/me/").status_code == 401
    profile = MemberProfile.objects.get(user__email="lea.petit@example.org")
    assert profile.status == MemberProfile.Status.PENDING


def test_an_embassy_agent_waits_for_staff_who_verify_the_country_and_see_the_domain(proconnect):
    site = Client()
    response = register(site, sign_in_at_the_provider(site, "agent-dakar"), "ambassades", country="SN")
    assert response.status_code == 403
    profile = MemberProfile.objects.get(user__email="camille.martin@diplomatie.gouv.fr")
    assert profile.status == MemberProfile.Status.PENDING and profile.country == "SN"
    assert "diplomatie.gouv.fr" in profile.decision_reason


def test_auto_approval_is_refused_for_groups_whose_rights_rest_on_a_typed_value():
    with override_settings(CNCD_STATE_AUTO_APPROVE=["ambassades"]):
        errors = [message.id for message in checks.run_checks() if message.level >= checks.ERROR]
    assert "cncd.E003" in errors


def test_the_login_page_offers_proconnect(proconnect, client):
    assert "/accounts/oidc/proconnect/login/" in client.get("/accounts/login/").content.decode()
