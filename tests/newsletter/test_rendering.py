"""An issue as an e-mail: pre-filled with the month's pages, rendered by MJML with its CSS
inlined, items in order, a padlocked page as its teaser only, a plain-text alternative,
absolute links, the web version in the archive."""

import re

import pytest
from lxml import html as lxml_html
from wagtail.models import Locale

from newsletter import rendering
from newsletter.models import Subscription
from tests.newsletter.conftest import add_issue

pytestmark = pytest.mark.django_db


def test_an_issue_starts_with_the_month_s_latest_page_of_each_rubric(month_pages):
    issue = add_issue()
    pages = [block.value["page"].specific for block in issue.items]
    assert [page.title for page in pages] == [
        "L'ambassadeur au Sénégal témoigne",
        "Zoom sur le Viet Nam",
        "L'eau à Dakar",
        "Note réservée",
    ], "testimony, country zoom, good practice, news; the older news is left out"


def test_the_e_mail_is_valid_html_with_the_items_in_order_and_inlined_css(month_pages):
    issue = add_issue()
    issue.items = [(block.block_type, block.value) for block in reversed(list(issue.items))]
    issue.save_revision().publish()
    compiled = rendering.build(issue)
    document = lxml_html.document_fromstring(compiled.html)
    assert document.find(".//title").text == "La lettre de novembre"
    headings = [node.text_content().strip() for node in document.xpath("//*[contains(@class, 'heading')]")]
    assert headings == ["Note réservée", "L'eau à Dakar", "Zoom sur le Viet Nam", "L'ambassadeur au Sénégal témoigne"]
    heading_style = document.xpath("//*[contains(@class, 'heading')]//div")[0].get("style")
    assert "font-weight:bold" in heading_style.replace(" ", ""), "the mj-style inline CSS is inlined"
    assert "@media" in compiled.html, "MJML's responsive styles stay"
    assert "Les nouvelles du mois" in compiled.html, "the preheader"
    links = [link.get("href") for link in document.xpath("//a[@href]")]
    assert all(link.startswith(("http://", "https://", "%%CNCD")) for link in links), links
    assert "Voir la version en ligne" in compiled.html or "Lire dans votre navigateur" in compiled.html


def test_a_padlocked_page_sends_its_teaser_never_its_body(month_pages):
    issue = add_issue()
    compiled = rendering.build(issue)
    for text in (compiled.html, compiled.text):
        assert "Une note pour les collectivités." in text
        assert "42 000" not in text and "confidentiel" not in text
        assert "Réservé aux membres" in text
    public = rendering.build(issue).html
    assert "Vingt ans de coopération à Saint-Louis." in public


def test_each_recipient_gets_their_greeting_and_unsubscribe_link(month_pages, django_user_model):
    issue = add_issue()
    compiled = rendering.compile_issue(issue)
    user = django_user_model.objects.create_user(
        "camille", "camille@example.org", first_name="Camille", last_name="Martin"
    )
    member = Subscription.objects.create(
        email="camille@example.org", user=user, state="confirmed", source="member_space"
    )
    anonymous = Subscription.objects.create(email="anonyme@example.org", state="confirmed", source="public_form")
    personalise = rendering.Personaliser(compiled, "fr")
    html, text, _url = personalise(member)
    assert "Bonjour Camille Martin," in html and "Bonjour Camille Martin," in text
    assert f"/lettre-information/desinscription/{member.token}/" in html
    other_html, _text, _url = personalise(anonymous)
    assert "Bonjour," in other_html and anonymous.token in other_html and member.token not in other_html
    assert not re.search(r"%%CNCD_[A-Z_]+%%", html + text + other_html)


def test_french_and_english_issues(month_pages):
    french = rendering.build(add_issue("La lettre de novembre", "fr"))
    english = rendering.build(add_issue("November's newsletter", "en", slug="november"))
    assert "Lettre d'information de la coopération décentralisée" in french.html
    assert "Newsletter of decentralised cooperation" in english.html
    assert "Se désinscrire" in french.text and "Unsubscribe" in english.text


def test_an_english_issue_shows_the_english_versions_and_says_which_are_in_french(month_pages):
    testimony = month_pages["testimony"]
    english = testimony.get_translation(Locale.objects.get(language_code="en")).specific
    english.alias_of = None
    english.title, english.slug, english.teaser = (
        "The ambassador in Senegal",
        "ambassador",
        "Twenty years in Saint-Louis.",
    )
    english.save()
    english.save_revision().publish()

    french_issue = add_issue("La lettre de novembre", "fr")
    assert [block.value["page"].locale.language_code for block in french_issue.items] == ["fr"] * 4
    built = rendering.build(add_issue("November's newsletter", "en", slug="november"))
    assert "The ambassador in Senegal" in built.html and "Twenty years in Saint-Louis." in built.text
    assert f"/en/{english.get_parent().slug}/ambassador/" in built.html
    # Not translated: the French teaser, marked as French, with a note; padlocks hold in English too.
    assert '<span lang="fr">Hué et la France.</span>' in built.html
    assert "Not translated yet: in French." in built.text
    assert "42 000" not in built.html and "42 000" not in built.text
    assert "Reserved for members" in built.text
    french = rendering.build(french_issue)
    assert "Not translated yet" not in french.text and "The ambassador" not in french.html


def test_the_web_version_is_in_the_public_archive(client, month_pages):
    issue = add_issue()
    page = client.get(issue.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zoom sur le Viet Nam" in text and "42 000" not in text
    assert "%%CNCD" not in text
    archive = client.get("/lettre/").content.decode()
    assert "La lettre de novembre" in archive
