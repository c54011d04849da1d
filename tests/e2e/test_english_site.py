"""A visitor reads the site in English: “Version in English” leads from a French article to its
translation, the menu is in English, and a page not translated yet says so and shows the French
text, marked as French. The English pages pass axe."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.e2e.conftest import accessibility_violations, screenshot
from tests.factories import add_article, add_rubric, home_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def translate(page, **fields):
    version = page.get_translation(Locale.objects.get(language_code="en")).specific
    version.alias_of = None
    for name, value in fields.items():
        setattr(version, name, value)
    version.save()
    version.save_revision().publish()
    return version


def test_a_visitor_switches_to_english_and_back(page, live_server):
    rubric = add_rubric("Actualités")
    article = add_article(rubric, "Les Assises à Dakar", body="Le texte français des Assises")
    other = add_article(rubric, "Une note pas encore traduite", body="Seulement en français")
    translate(home_page(), title="Welcome")
    translate(rubric, title="News", slug="news")
    translate(
        article,
        title="The Assises in Dakar",
        slug="assises-dakar",
        body=[("paragraph", "<p>The English text of the Assises</p>")],
    )

    page.goto(article.url)
    expect(page.locator("main h1")).to_have_text("Les Assises à Dakar")
    page.get_by_role("button", name="Version in English").click()
    expect(page).to_have_url(f"{live_server.url}/en/news/assises-dakar/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("The Assises in Dakar")
    expect(page.get_by_text("The English text of the Assises")).to_be_visible()
    expect(page.locator("#header-navigation").get_by_role("link", name="News")).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "english-article")

    page.locator("#header-navigation").get_by_role("link", name="News").click()
    page.get_by_role("link", name="Une note pas encore traduite").click()
    expect(page.get_by_text("This page is not translated yet: it is shown in French.")).to_be_visible()
    expect(page.locator("main div[lang=fr] h1")).to_have_text("Une note pas encore traduite")
    expect(page.get_by_text("Seulement en français")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("button", name="Version en français").click()
    expect(page).to_have_url(f"{live_server.url}{other.url}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text("This page is not translated yet")).to_have_count(0)
