"""The editor in the Wagtail admin: publishes an article padlocked for local authorities (the
visitor then sees its teaser and a login prompt); composes the month's newsletter issue
(pre-filled with the month's pages), publishes it, sends a test, then sends it to the
subscribers and follows the progress."""

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from atlas_pages.models import ArticlePage, TestimonyPage
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscription
from tests.e2e.conftest import screenshot
from tests.factories import (
    PASSWORD,
    STAFF_TOTP_SECRET,
    UserFactory,
    add_article,
    add_page,
    add_rubric,
    home_page,
    totp_code,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def admin_log_in(page, username: str) -> None:
    """The admin's login is allauth's (rate limits, approval, MFA): /admin/login/ leads there,
    then the code of the editor's authenticator app (staff must have one)."""
    page.goto("/admin/login/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    enter_totp_code(page, STAFF_TOTP_SECRET)
    page.wait_for_url("**/admin/")


def enter_totp_code(page, secret: str) -> None:
    """Types the authenticator app's current code (computed by the test) where allauth asks."""
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code(secret))
    page.click("form:has(input[name=code]) button[type=submit]")


def test_the_editor_composes_publishes_and_sends_the_newsletter(page, live_server):
    today = timezone.localdate()
    add_page(
        add_rubric("Témoignages", kind="testimonies"),
        TestimonyPage,
        title="L'ambassadeur témoigne",
        teaser="Vingt ans de coopération.",
        person_name="Jean Dupont",
        person_role="Ambassadeur",
        date=today,
    )
    add_article(add_rubric("Actualités"), "Les nouvelles du mois", date=today)
    archive = add_page(home_page(), NewsletterIndexPage, title="Lettre d'information", slug="lettre")
    for number in range(3):
        Subscription.objects.create(email=f"abonne{number}@example.org", state="confirmed", source="import")
    UserFactory(username="redaction", is_staff=True, is_superuser=True)

    admin_log_in(page, "redaction")
    page.goto(f"/admin/pages/add/newsletter/newsletterissuepage/{archive.pk}/")
    page.fill("input[name=title]", "La lettre du mois")
    page.press("input[name=title]", "Tab")  # leaving the title fills the slug
    expect(page.locator("input[name=slug]")).to_have_value("la-lettre-du-mois")
    page.fill("input[name=subject]", "La lettre de la coopération décentralisée")
    page.fill("input[name=preheader]", "Un témoignage et les nouvelles du mois")
    page.get_by_text("L'ambassadeur témoigne").first.wait_for()  # pre-filled with the month's pages
    page.locator("footer [data-w-dropdown-target='toggle']").click()  # the footer's “more actions”
    page.locator("footer button[name=action-publish]").click()
    page.get_by_text("publiée").first.wait_for()
    issue = NewsletterIssuePage.objects.get()
    assert issue.live and [block.value["page"].title for block in issue.items] == [
        "L'ambassadeur témoigne",
        "Les nouvelles du mois",
    ]

    page.goto(f"/admin/newsletter/issues/{issue.pk}/")
    page.fill("input[name=addresses]", "relecture@example.org")
    page.click("form:has(input[name=addresses]) button[type=submit]")
    page.get_by_text("message(s) de test envoyé(s)").wait_for()
    assert mail.outbox[-1].subject.startswith("[TEST]")
    page.click("button:has-text('Envoyer le numéro maintenant')")
    page.get_by_text("3 envoyés sur 3").wait_for()
    assert sorted(message.to[0] for message in mail.outbox[1:]) == [f"abonne{n}@example.org" for n in range(3)]
    screenshot(page, "editor-newsletter")


def test_the_editor_publishes_a_padlocked_article(page, browser, live_server):
    from wagtail.models import PageViewRestriction

    rubric = add_rubric("Actualités")
    UserFactory(username="redaction", is_staff=True, is_superuser=True)
    admin_log_in(page, "redaction")
    page.goto(f"/admin/pages/add/atlas_pages/articlepage/{rubric.pk}/")
    page.fill("input[name=title]", "Note aux collectivités")
    page.press("input[name=title]", "Tab")
    page.fill("textarea[name=teaser]", "Une note que seules les collectivités liront en entier.")
    expect(page.locator("input[name=slug]")).to_have_value("note-aux-collectivites")  # the admin's script fills it
    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.locator("footer button[name=action-publish]").click()
    page.wait_for_url(f"**/admin/pages/{rubric.pk}/")  # back to the rubric's listing: published
    article = ArticlePage.objects.get(title="Note aux collectivités", locale__language_code="fr")
    assert article.live
    english = ArticlePage.objects.get(locale__language_code="en", alias_of=article)  # the English site has it

    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.locator("[data-side-panel-toggle='status']").first.click()
    page.locator(
        "[data-side-panel='status'] button:has-text('confidentialité'), "
        "[data-side-panel='status'] button:has-text('Confidentialité')"
    ).first.click()
    page.get_by_role("dialog").locator("input[name=restriction_type][value=groups]").check()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Collectivités territoriales", exact=True).check()
    dialog.locator("input[type=submit], button[type=submit], form button:not([type])").first.click()
    dialog.wait_for(state="hidden")
    restriction = PageViewRestriction.objects.get(page=article)
    assert [group.actor_group.slug for group in restriction.groups.all()] == ["collectivites"]
    copy = PageViewRestriction.objects.get(page=english)  # the padlock holds in English too
    assert [group.actor_group.slug for group in copy.groups.all()] == ["collectivites"]

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    visitor = context.new_page()
    visitor.goto(article.url)
    text = visitor.content()
    assert "Une note que seules les collectivités liront en entier." in text, "the teaser, for everyone"
    assert "identifier" in text, "the padlock asks the visitor to log in"
    visitor.goto(english.url)
    assert "Une note que seules les collectivités liront en entier." in visitor.content()
    assert "This article is reserved for the members of the CNCD extranet" in visitor.content(), "padlocked in English"
    context.close()
    screenshot(page, "editor-padlock")
