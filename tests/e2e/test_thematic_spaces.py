"""A thematic space in the browser: a member follows the space and opens a discussion, another
replies with markup (shown as typed, never run), the first reports the reply; the moderator, logged
in with the authenticator app's code, hides it and suspends its author from the space, who can
still read but no longer write. Each page passes axe."""

import pytest
from playwright.sync_api import expect

from extranet.models import ModerationEntry, Notice
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.e2e.test_dossier_followup import staff_log_in
from tests.factories import MemberFactory, add_space, moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MARKUP = "<img src=x onerror=alert(1)> Venez <b>nombreux</b>"


def test_members_discuss_report_and_the_moderator_hides_and_suspends(page, browser, live_server):
    space = add_space("Tourisme responsable", members=True, rules="<p>Restez courtois.</p>")
    MemberFactory(username="lyon", groups=["collectivites"], first_name="Louis", last_name="Lyon")
    MemberFactory(username="troll", groups=["ong"], first_name="Tom", last_name="Troll")
    moderator("mona")

    log_in(page, "lyon", space.url)
    assert accessibility_violations(page) == []
    page.click("button:has-text('Suivre cet espace')")
    expect(page.locator("text=Vous suivez cet espace.")).to_be_visible()
    form = page.locator("form:has(input[name=action][value=open])")
    form.locator("input[name=title]").fill("Écogîtes villageois")
    form.locator("textarea[name=text]").fill("Qui gère ses écogîtes par une association ?")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Écogîtes villageois")
    discussion_url = page.url

    troll = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    log_in(troll, "troll", discussion_url.replace(live_server.url, ""))
    dialogs = []
    troll.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    troll.locator("#id_text, textarea[name=text]").first.fill(MARKUP)
    troll.click("button:has-text('Publier la réponse')")
    expect(troll.locator("text=Votre réponse est publiée.")).to_be_visible()
    reply = troll.locator("[data-message]").nth(1)
    expect(reply.locator("[data-message-text]")).to_contain_text(MARKUP)  # shown as typed
    assert reply.locator("img").count() == 0 and dialogs == []
    assert accessibility_violations(troll) == []

    page.goto(discussion_url)
    reply = page.locator("[data-message]").nth(1)
    reply.locator("summary:has-text('Signaler ce message')").click()
    reply.locator("textarea[name=reason]").fill("Message hors sujet et agressif")
    reply.locator("button:has-text('Envoyer à la modération')").click()
    expect(page.locator("text=Merci : la modération lira votre signalement.")).to_be_visible()

    mona = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    staff_log_in(mona, "mona", discussion_url.replace(live_server.url, ""))
    reply = mona.locator("[data-message]").nth(1)
    expect(reply.locator("text=1 signalement")).to_be_visible()
    reply.locator("summary:has-text('Modérer')").click()
    reply.locator("input[name=reason]").first.fill("Hors sujet")
    reply.locator("button:has-text('Masquer le message')").click()
    expect(mona.locator("text=Le message est masqué.")).to_be_visible()
    reply = mona.locator("[data-message]").nth(1)
    reply.locator("summary:has-text('Modérer')").click()
    suspend = reply.locator("form:has(input[name=action][value=suspend])")
    suspend.locator("input[name=reason]").fill("Propos agressifs répétés")
    suspend.locator("button").click()
    expect(mona.locator("text=Le membre est suspendu de cet espace.")).to_be_visible()
    assert accessibility_violations(mona) == []
    assert list(ModerationEntry.objects.order_by("created_at").values_list("action", flat=True)) == [
        "hide",
        "suspend",
    ]

    troll.goto(discussion_url)
    expect(troll.locator("text=Ce message a été masqué par la modération.")).to_be_visible()
    expect(troll.locator(".fr-alert--warning")).to_contain_text("Propos agressifs répétés")
    assert troll.locator("button:has-text('Publier la réponse')").count() == 0

    page.goto("/espace-personnel/espaces-suivis/")
    expect(page.locator("#followings")).to_contain_text("Tourisme responsable")
    expect(page.locator("#followings")).to_contain_text("Écogîtes villageois")
    assert accessibility_violations(page) == []
    assert Notice.objects.filter(user__username="lyon", subject__contains="Nouvelle réponse").exists()
    screenshot(page, "followed-spaces")
