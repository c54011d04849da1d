"""The page API lists padlocked pages with their teaser and gives bodies only to those admitted."""

import pytest

from tests.atlas_pages.conftest import SECRET

pytestmark = pytest.mark.django_db

# Who may read which article: reader -> set of readable article attributes of the `news` fixture.
ADMITTED = {
    "anonymous": {"public"},
    "collectivites": {"public", "members", "local"},
    "ambassades": {"public", "members", "embassy"},
    "ong": {"public", "members"},
    "staff": {"public", "members", "local", "embassy"},
}
ARTICLES = ["public", "members", "local", "embassy"]


@pytest.mark.parametrize("reader", ADMITTED)
def test_list_flags_locked_pages_and_never_carries_bodies(news, readers, reader):
    response = readers[reader].get("/api/pages/", {"type": "atlas_pages.ArticlePage", "limit": 50})
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    for name in ARTICLES:
        page = getattr(news, name)
        assert items[page.pk]["locked"] is (name not in ADMITTED[reader]), name
        assert items[page.pk]["teaser"] == page.teaser
    assert "Confidentiel" not in response.text


@pytest.mark.parametrize("reader", ADMITTED)
@pytest.mark.parametrize("name", ARTICLES)
def test_detail_gives_the_body_only_to_admitted_readers(news, readers, reader, name):
    page = getattr(news, name)
    response = readers[reader].get(f"/api/pages/{page.pk}/")
    if name in ADMITTED[reader]:
        assert response.status_code == 200
        assert response.json()["locked"] is False
        assert response.json()["fields"]["body"][0]["type"] == "paragraph"
    else:
        assert response.status_code == (401 if reader == "anonymous" else 403)
        data = response.json()
        assert data["detail"]
        assert data["page"]["locked"] is True
        assert data["page"]["teaser"] == page.teaser
        assert SECRET.format("") not in response.text


@pytest.mark.parametrize("reader", ADMITTED)
@pytest.mark.parametrize("name", ARTICLES)
def test_find_by_path_applies_the_same_padlock(news, readers, reader, name):
    page = getattr(news, name)
    response = readers[reader].get("/api/pages/find/", {"path": page.url})
    expected = 200 if name in ADMITTED[reader] else (401 if reader == "anonymous" else 403)
    assert response.status_code == expected
    if expected != 200:
        assert "Confidentiel" not in response.text
    else:
        assert response.json()["id"] == page.pk


def test_unknown_page_and_path_are_404(news, client):
    assert client.get("/api/pages/999999/").status_code == 404
    assert client.get("/api/pages/find/", {"path": "/nulle-part/"}).status_code == 404


def test_french_and_english_refusals(news, client):
    french = client.get(f"/api/pages/{news.local.pk}/").json()["detail"]
    english = client.get(f"/api/pages/{news.local.pk}/", headers={"accept-language": "en"}).json()["detail"]
    assert french == "Cette page est réservée aux membres : connectez-vous pour la lire."
    assert english == "This page is reserved for members: log in to read it."


def test_app_clients_authenticate_with_a_session_token(news, client):
    from tests.factories import PASSWORD, MemberFactory

    MemberFactory(username="appli", groups=["collectivites"])
    login = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": "appli", "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    token = login.json()["meta"]["session_token"]
    from django.test import Client

    app = Client()
    assert app.get(f"/api/pages/{news.local.pk}/").status_code == 401
    response = app.get(f"/api/pages/{news.local.pk}/", headers={"x-session-token": token})
    assert response.status_code == 200
    assert response.json()["fields"]["body"]
    assert app.get(f"/api/pages/{news.embassy.pk}/", headers={"x-session-token": token}).status_code == 403
