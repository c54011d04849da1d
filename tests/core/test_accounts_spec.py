"""The accounts API (django-allauth headless: signup, login, e-mail verification, password
reset, MFA) is specified for front-end developers, and /api/docs says where."""

import json
import re

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db


def test_allauth_s_specification_is_served_whole_with_the_signup_into_a_group(client):
    answer = client.get("/_allauth/openapi.json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/vnd.oai.openapi+json"
    spec = json.loads(answer.content)
    assert spec["openapi"].startswith("3.")
    for operation in ("login", "signup", "2fa/authenticate", "password/reset"):
        assert f"/_allauth/{{client}}/v1/auth/{operation}" in spec["paths"], operation
    signup = spec["components"]["schemas"]["BaseSignup"]["properties"]
    # The registration's own fields, described in the language asked.
    assert {"group", "organisation", "organisation_code", "country", "region"} <= set(signup)
    assert "SIREN" in signup["organisation_code"]["description"]
    english = json.loads(client.get("/_allauth/openapi.json", HTTP_ACCEPT_LANGUAGE="en").content)
    assert (
        english["components"]["schemas"]["BaseSignup"]["properties"]["country"]["description"]
        != (signup["country"]["description"])
    )

    as_yaml = yaml.safe_load(client.get("/_allauth/openapi.yaml").content)
    assert as_yaml["paths"].keys() == spec["paths"].keys()


def test_it_is_browsable_without_any_cdn_and_linked_from_the_api_docs(client):
    page = client.get("/_allauth/openapi.html")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Every script and style sheet from the site itself (not "cdn" anywhere in the page: the
    # CSRF token is random and sometimes spells it).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert addresses and all(address.startswith("/") and not address.startswith("//") for address in addresses)
    assert '"url": "/_allauth/openapi.json"' in html

    description = Client().get("/api/openapi.json").json()["info"]["description"]
    assert "/_allauth/openapi.json" in description and "/_allauth/openapi.html" in description
