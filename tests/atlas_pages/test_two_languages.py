"""Pages in French and English: the English site shows English pages where they exist and
otherwise the French page with a note; the page API takes ``?locale=`` and lists translations;
a padlock holds on every language version of a page, however the English tree is arranged."""

from html import unescape

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale, Page, PageViewRestriction

from atlas_pages.models import ArticlePage, RubricIndexPage
from tests.factories import add_article, add_rubric, home_page, padlock

pytestmark = pytest.mark.django_db

NOTE = "This page is not translated yet: it is shown in French."


def english(page: Page) -> Page:
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def translate(page: Page, **fields) -> Page:
    """What a translator does: the English alias becomes a page of its own, in English."""
    version = english(page)
    version.alias_of = None
    for name, value in fields.items():
        setattr(version, name, value)
    version.save()
    version.save_revision().publish()
    version.refresh_from_db()
    return version


@pytest.fixture
def site(news):
    """The news of the conftest, with the home, the rubric and the public article in English."""
    home = translate(home_page(), title="Welcome")
    rubric = translate(news.rubric, title="News", slug="news")
    article = translate(
        news.public,
        title="Public article",
        slug="public-article",
        teaser="An article for everyone.",
        body=[("paragraph", "<p>The public text about Dakar</p>")],
    )
    news.en = type("English", (), {"home": home, "rubric": rubric, "article": article})
    return news


def test_every_page_published_has_an_english_version_at_once(news):
    for page in (news.rubric, news.public, news.local, news.embassies, news.embassy):
        version = english(page)
        assert version.alias_of_id == page.pk
        assert version.live
        assert version.url.startswith("/en/")


def test_the_english_site_shows_english_pages_and_french_ones_with_a_note(site, client):
    translated = client.get(site.en.article.url)
    assert translated.status_code == 200
    html = unescape(translated.content.decode())
    assert '<html lang="en"' in html
    assert "The public text about Dakar" in html
    assert NOTE not in html

    untranslated = client.get(english(site.local).url)
    html = unescape(untranslated.content.decode())
    assert '<html lang="en"' in html
    assert NOTE in html
    assert '<div lang="fr">' in html  # screen readers read the French text as French
    assert site.local.title in html

    french = unescape(client.get(site.public.url).content.decode())
    assert '<html lang="fr"' in french and NOTE not in french


def test_english_menu_and_home_cards(site, client):
    html = unescape(client.get("/en/").content.decode())
    assert "<h1>Welcome</h1>" in html
    assert f'href="{site.en.rubric.url}"' in html and ">News</a>" in html
    # The embassies' rubric is not translated: French title, marked as French.
    embassies = english(site.embassies)
    assert f'href="{embassies.url}"' in html
    assert f'lang="fr">{site.embassies.title}</a>' in html

    listing = unescape(client.get(site.en.rubric.url).content.decode())
    assert "Public article" in listing
    assert site.local.title in listing  # not translated: the French card, in French
    assert 'lang="fr"' in listing


def test_search_engines_see_translations_and_one_address_per_text(site, client):
    html = client.get(site.en.article.url).content.decode()
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver{site.public.url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{site.en.article.url}">' in html
    # An untranslated English page is the French text again: its canonical address is the French one.
    untranslated = client.get(english(site.local).url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{site.local.url}">' in untranslated
    assert 'hreflang="en"' not in untranslated


def test_the_sitemap_lists_the_public_pages_of_both_languages(site, client):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"{site.public.url}</loc>" in xml
    assert f"{site.en.article.url}</loc>" in xml
    assert f"{site.en.rubric.url}</loc>" in xml
    assert english(site.embassies).url not in xml  # not translated: the French page stands for it
    assert site.local.url not in xml and english(site.local).url not in xml  # padlocked
    # A padlock set behind the signals' back (no copy on the English version) still holds.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=site.public, restriction_type=PageViewRestriction.LOGIN)]
    )
    xml = client.get("/sitemap.xml").content.decode()
    assert site.en.article.url not in xml and f"{site.public.url}</loc>" not in xml


def test_language_switcher_leads_to_the_translation(site, client):
    html = client.get(site.public.url).content.decode()
    assert f'name="next" value="{site.en.article.url}"' in html
    back = client.get(site.en.article.url).content.decode()
    assert f'name="next" value="{site.public.url}"' in back
    response = client.post("/i18n/setlang/", {"language": "en", "next": site.en.article.url})
    assert response["Location"] == site.en.article.url


def test_page_api_in_english_lists_the_english_site(site, client):
    for params, headers in (({"locale": "en"}, {}), ({}, {"accept-language": "en-GB,en;q=0.9"})):
        data = client.get("/api/pages/", {"type": "atlas_pages.ArticlePage", **params}, headers=headers).json()
        items = {item["title"]: item for item in data["items"]}
        assert items["Public article"]["locale"] == "en"
        assert items["Public article"]["translated"] is True
        assert items["Public article"]["written_in"] == "en"
        untranslated = items[site.local.title]
        assert untranslated["locale"] == "en"
        assert untranslated["translated"] is False
        assert untranslated["written_in"] == "fr"
        assert untranslated["url"].startswith("/en/")
        assert "Article public" not in items

    french = client.get("/api/pages/", {"type": "atlas_pages.ArticlePage"}).json()
    assert {item["locale"] for item in french["items"]} == {"fr"}
    assert "Public article" not in {item["title"] for item in french["items"]}


def test_page_api_lists_each_page_translations(site, client):
    detail = client.get(f"/api/pages/{site.public.pk}/").json()
    versions = {version["locale"]: version for version in detail["translations"]}
    assert versions["fr"] == {
        "locale": "fr",
        "id": site.public.pk,
        "title": "Article public",
        "url": site.public.url,
        "translated": True,
    }
    assert versions["en"]["id"] == site.en.article.pk
    assert versions["en"]["title"] == "Public article"
    assert versions["en"]["translated"] is True

    found = client.get("/api/pages/find/", {"path": site.en.article.url}).json()
    assert found["id"] == site.en.article.pk
    assert found["fields"]["body"][0]["value"] == "<p>The public text about Dakar</p>"

    listed = client.get("/api/pages/", {"locale": "en", "type": "atlas_pages.ArticlePage"}).json()
    untranslated = next(item for item in listed["items"] if item["id"] == english(site.local).pk)
    assert {(version["locale"], version["translated"]) for version in untranslated["translations"]} == {
        ("fr", True),
        ("en", False),
    }


def test_an_unknown_locale_is_refused_naming_the_field(client):
    response = client.get("/api/pages/", {"locale": "de"})
    assert response.status_code == 422
    assert "locale" in str(response.json()["detail"])


def test_site_navigation_in_english(site, client):
    data = client.get("/api/site/", {"locale": "en"}).json()
    assert data["language"] == "en"
    titles = [item["title"] for item in data["navigation"]]
    assert "News" in titles and "Actualités" not in titles


# --- the padlock in both languages -----------------------------------------------------------


def test_english_versions_of_padlocked_pages_never_leak(site, readers):
    local_en, embassy_en = english(site.local), english(site.embassy)
    for reader, status in (("anonymous", 401), ("ong", 403), ("ambassades", 403)):
        client = readers[reader]
        response = client.get(f"/api/pages/{local_en.pk}/")
        assert response.status_code == status, reader
        assert "Confidentiel" not in response.content.decode()
        found = client.get("/api/pages/find/", {"path": local_en.url})
        assert found.status_code == status, reader
        listed = client.get("/api/pages/", {"locale": "en"}).json()["items"]
        assert {item["id"]: item["locked"] for item in listed}[local_en.pk] is True
        assert "Confidentiel" not in client.get("/api/pages/", {"locale": "en", "search": "Confidentiel"}).text
        page = client.get(local_en.url)
        assert "Confidentiel" not in page.content.decode(), reader
        feed = client.get(site.en.rubric.url + "rss/")
        assert "Confidentiel" not in feed.content.decode()
    assert readers["anonymous"].get(f"/api/pages/{embassy_en.pk}/").status_code == 401
    admitted = readers["collectivites"].get(f"/api/pages/{local_en.pk}/")
    assert admitted.status_code == 200
    assert "Confidentiel-collectivites" in admitted.content.decode()


def test_padlocks_are_copied_to_every_translation_and_follow_changes(site):
    local_en = english(site.local)
    copy = PageViewRestriction.objects.get(page=local_en)
    assert copy.restriction_type == PageViewRestriction.GROUPS
    assert {group.actor_group.slug for group in copy.groups.all()} == {"collectivites"}

    original = PageViewRestriction.objects.get(page=site.local)
    original.groups.add(*type(original.groups.first()).objects.filter(actor_group__slug="ambassades"))
    assert {group.actor_group.slug for group in PageViewRestriction.objects.get(page=local_en).groups.all()} == {
        "collectivites",
        "ambassades",
    }
    original.delete()
    assert not PageViewRestriction.objects.filter(page=local_en).exists()

    # A padlock set on the English version holds on the French one too.
    padlock(site.en.article, "ong")
    assert PageViewRestriction.objects.get(page=site.public).restriction_type == PageViewRestriction.GROUPS


def test_a_padlock_set_behind_the_signals_back_still_holds_on_the_english_version(site, readers):
    """A restriction written straight into the table (a bulk import, a SQL fix) reaches no
    signal: the padlock still judges a page by the restrictions of all its versions."""
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=site.public, restriction_type=PageViewRestriction.LOGIN)]
    )
    assert not PageViewRestriction.objects.filter(page=site.en.article).exists()
    response = readers["anonymous"].get(f"/api/pages/{site.en.article.pk}/")
    assert response.status_code == 401
    assert "Dakar" not in response.content.decode()
    assert "Dakar" not in readers["anonymous"].get(site.en.article.url).content.decode()
    assert readers["collectivites"].get(f"/api/pages/{site.en.article.pk}/").status_code == 200


def test_an_english_tree_rearranged_keeps_the_padlock_of_the_french_one(site, readers):
    """Editors may move an English page out of its padlocked English section: it stays
    padlocked, because its French version sits in the padlocked French section."""
    embassy_en = english(site.embassy)
    embassy_en.move(site.en.rubric, pos="last-child")
    embassy_en.refresh_from_db()
    assert embassy_en.url.startswith(site.en.rubric.url)
    assert not PageViewRestriction.objects.filter(page=embassy_en).exists()
    for reader in ("anonymous", "ong"):
        client = readers[reader]
        assert client.get(f"/api/pages/{embassy_en.pk}/").status_code in (401, 403)
        assert "Confidentiel" not in client.get(embassy_en.url).content.decode()
        listed = client.get("/api/pages/", {"locale": "en", "rubric": site.en.rubric.pk}).json()["items"]
        assert {item["id"]: item["locked"] for item in listed}[embassy_en.pk] is True
    assert readers["ambassades"].get(f"/api/pages/{embassy_en.pk}/").status_code == 200


def test_pages_made_before_the_english_site_get_their_versions_from_the_tree_sync(db):
    """An upgrade: pages that existed before the English locale have no English version until
    ``sync_locale_trees`` (README, upgrade notes) makes their aliases."""
    rubric = add_rubric("Archives")
    Page.objects.filter(locale__language_code="en").delete()
    assert not RubricIndexPage.objects.filter(locale__language_code="en").exists()
    call_command("sync_locale_trees")
    assert RubricIndexPage.objects.get(locale__language_code="en", alias_of=rubric).live
    article = add_article(rubric, "Après la mise à jour")
    assert ArticlePage.objects.get(locale__language_code="en", alias_of=article).live


def test_english_search_marks_results_not_translated_yet_as_french(site, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # "Version in English" chosen
    untranslated = unescape(client.get("/recherche/", {"q": site.local.title}).content.decode())
    assert '<html lang="en"' in untranslated
    assert '<li class="fr-mb-3w" lang="fr">' in untranslated and site.local.title in untranslated
    translated = unescape(client.get("/recherche/", {"q": "Public article"}).content.decode())
    assert "Public article" in translated
    assert '<li class="fr-mb-3w">' in translated and '<li class="fr-mb-3w" lang="fr">' not in translated
