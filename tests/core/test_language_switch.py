"""French by default, English on request: pages, API messages and data labels."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_error_in_french_by_default_and_english_on_request(client):
    assert client.get("/api/me/").json()["detail"] == "Vous devez vous connecter pour faire cela."
    english = client.get("/api/me/", headers={"accept-language": "en"})
    assert english.json()["detail"] == "You must log in to do this."


def test_group_names_follow_the_language(client):
    french = {g["slug"]: g["name"] for g in client.get("/api/groups/").json()}
    english = {g["slug"]: g["name"] for g in client.get("/api/groups/", headers={"accept-language": "en"}).json()}
    assert french["collectivites"] == "Collectivités territoriales"
    assert english["collectivites"] == "Local authorities"
    assert french["ambassades"] == "Ambassades"
    assert english["ambassades"] == "Embassies"


def test_home_page_in_french_then_english(client):
    french = client.get("/")
    assert french.status_code == 200
    assert '<html lang="fr"' in french.text
    assert "Aller au contenu" in french.text

    # One address, one page: the English site is under /en/, whatever the browser prefers.
    assert '<html lang="fr"' in client.get("/", headers={"accept-language": "en"}).text
    english = client.get("/en/")
    assert english.status_code == 200
    assert '<html lang="en"' in english.text
    assert "Skip to content" in english.text


def test_language_chosen_in_the_header_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert '<html lang="en"' in client.get(response["Location"]).text
    # Addresses that are not pages (sign-up, personal space) keep the language chosen.
    assert '<html lang="en"' in client.get("/accounts/login/").text
    # The API speaks the language the request asks for (Accept-Language, or ?locale=), which the
    # reference front end's scripts send: never the cookie, so that its answers can be cached.
    assert client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "You must log in to do this."
    assert client.get("/api/me/", {"locale": "en"}).json()["detail"] == "You must log in to do this."
    assert client.get("/api/me/").json()["detail"] == "Vous devez vous connecter pour faire cela."
