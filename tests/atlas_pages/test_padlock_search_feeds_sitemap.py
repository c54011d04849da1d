"""Search, feeds and the sitemap never carry a padlocked body to someone it does not admit."""

from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def api_search(client, text):
    response = client.get("/api/pages/", {"search": text})
    assert response.status_code == 200
    return {item["id"]: item for item in response.json()["items"]}


def test_words_of_a_padlocked_body_find_nothing_for_outsiders(news, readers):
    for reader in ("anonymous", "ong", "ambassades"):
        assert news.local.pk not in api_search(readers[reader], "Confidentiel-collectivites")
        html = readers[reader].get("/recherche/", {"q": "Confidentiel-collectivites"}).text
        assert news.local.title not in unescape(html)


@pytest.mark.parametrize("reader", ["collectivites", "staff"])
def test_admitted_readers_find_pages_by_their_body(news, readers, reader):
    results = api_search(readers[reader], "Confidentiel-collectivites")
    assert results[news.local.pk]["locked"] is False


def test_padlocked_pages_are_found_by_title_and_teaser(news, readers):
    by_title = api_search(readers["anonymous"], "diplomatique")
    assert by_title[news.embassy.pk]["locked"] is True
    by_teaser = api_search(readers["ong"], "élus")
    assert by_teaser[news.local.pk]["locked"] is True
    html = unescape(readers["anonymous"].get("/recherche/", {"q": "diplomatique"}).text)
    assert "Note diplomatique" in html
    assert "Réservé aux membres" in html


def test_public_body_is_searchable_by_everyone(news, client):
    assert news.public.pk in api_search(client, "Dakar")


def test_rubric_feeds_carry_teasers_and_mark_padlocked_items(news, client):
    for suffix in ("rss/", "atom/"):
        response = client.get(news.rubric.url + suffix)
        assert response.status_code == 200
        body = unescape(response.content.decode())
        assert "Confidentiel" not in body
        assert news.local.teaser in body
        assert f"{news.local.title} [réservé aux membres]" in body
        assert f"<title>{news.public.title}</title>" in body
    assert "application/rss+xml" in client.get(news.rubric.url + "rss/")["Content-Type"]


def test_sitemap_lists_public_pages_only(news, client):
    xml = client.get("/sitemap.xml").content.decode()
    assert news.public.url in xml
    assert news.local.url not in xml
    assert news.embassy.url not in xml
    assert "Confidentiel" not in xml
