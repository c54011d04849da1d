"""Odd input never gives a 500: search syntax, NUL characters on every path, and costly
answers (the Atlas PDF) capped and rate-limited. Answers about the caller are never cached."""

import pytest
from django.conf import settings
from django.test import Client

from atlas_pages.atlas import pdf as atlas_pdf
from tests.atlas_pages.test_atlas_pdf import atlas  # noqa: F401 (fixture)
from tests.factories import add_article, add_rubric

pytestmark = pytest.mark.django_db

HOSTILE_SEARCHES = [
    '"; DROP TABLE auth_user;--',
    '"unbalanced',
    "coopération AND OR NOT",
    "NEAR(eau santé)",
    "*",
    "eau^2 -santé +(",
    "' OR 1=1 --",
    "a" * 500,
    "💧🌍",
]


@pytest.fixture
def article(db):
    return add_article(add_rubric("Actualités"), "L'eau potable à Dakar", body="<p>Un forage solaire.</p>")


@pytest.mark.parametrize("query", HOSTILE_SEARCHES)
def test_search_input_never_gives_a_500(client, article, query):
    response = client.get("/api/pages/", {"search": query})
    assert response.status_code in (200, 422), response.content[:300]
    if response.status_code == 422:
        assert response.json()["detail"][0]["field"] == "search"
    assert client.get("/recherche/", {"q": query}).status_code == 200


def test_words_are_still_found_among_the_punctuation(client, article):
    found = client.get("/api/pages/", {"search": '"eau";--'}).json()
    assert [item["title"] for item in found["items"]] == ["L'eau potable à Dakar"]
    assert "L&#x27;eau potable à Dakar" in client.get("/recherche/", {"q": "«potable»!"}).content.decode()


@pytest.mark.parametrize(
    ("method", "path", "data", "field"),
    [
        ("get", "/recherche/", {"q": "a\x00b"}, "q"),
        ("get", "/atlas/", {"country": "S\x00N"}, "country"),
        ("post", "/accounts/login/", {"login": "x\x00", "password": "y"}, "login"),
        ("post", "/lettre-information/inscription/", {"email": "a\x00@example.org"}, "email"),
    ],
)
def test_a_nul_character_is_refused_on_every_page_naming_the_field(client, method, path, data, field):
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"« {field} »" in page and "caractères nuls" in page.lower()


def test_a_nul_character_in_allauths_api_is_a_field_error(client):
    response = client.post(
        "/_allauth/browser/v1/auth/login", {"username": "x\x00", "password": "y"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "username"


def test_the_pdf_made_in_the_request_is_capped(client, atlas, monkeypatch):  # noqa: F811
    assert settings.CNCD_PDF_IMMEDIATE_LIMIT <= 300
    monkeypatch.setattr(atlas_pdf, "IMMEDIATE_LIMIT", 2)
    response = client.get("/api/atlas/projects.pdf?country=SN")  # 3 projects
    assert response.status_code == 401
    assert "connectez-vous" in response.json()["detail"].lower() or "membres" in response.json()["detail"]


def test_the_pdf_is_rate_limited_per_visitor(client, atlas):  # noqa: F811
    statuses = [client.get("/api/atlas/projects.pdf?country=SN").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert Client(REMOTE_ADDR="203.0.113.9").get("/api/atlas/projects.pdf?country=SN").status_code == 200


@pytest.mark.parametrize("path", ["/api/me/", "/api/me/bookmarks/", "/api/dossiers/", "/api/declarations/apd/"])
def test_answers_about_the_caller_are_private_and_never_stored(member_client, path):
    response = member_client.get(path)
    assert response.status_code == 200, path
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    anonymous = Client().get(path)
    assert "no-store" in anonymous["Cache-Control"]


def test_an_app_token_callers_answers_are_private_too(member):
    from tests.factories import app_token

    token = app_token(member.username)
    response = Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token)
    assert "no-store" in response["Cache-Control"]
    # What the member may read of the pages: kept by their app only, revalidated each time.
    pages = Client().get("/api/pages/", HTTP_X_SESSION_TOKEN=token)
    assert pages["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("path", ["/api/atlas/authorities/", "/api/atlas/projects/", "/api/pages/"])
def test_an_offset_beyond_any_database_integer_names_the_field(client, path):
    response = client.get(path, {"offset": 502064964338097077390894770870550528})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "offset"
