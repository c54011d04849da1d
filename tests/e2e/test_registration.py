"""A visitor registers into a group in the browser, verifies the address, is approved by staff
in the Wagtail admin, logs in, reads the padlocked article of the group and bookmarks it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from extranet.models import MemberProfile
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_editor_journeys import admin_log_in
from tests.factories import PASSWORD, UserFactory, add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_register_be_approved_and_read_the_padlocked_article(page, browser, live_server):
    article = add_article(add_rubric("Actualités"), "Appel à projets 2027", body="Les critères détaillés de l'appel")
    padlock(article, "collectivites")
    UserFactory(username="moderation", is_staff=True, is_superuser=True)

    page.goto("/accounts/signup/")
    page.click("a[href='/accounts/signup/?groupe=collectivites']")
    page.fill("input[name=username]", "ines.roux")
    page.fill("input[name=email]", "ines.roux@montelimar.example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.select_option("select[name=civility]", "mme")
    page.fill("input[name=first_name]", "Inès")
    page.fill("input[name=last_name]", "Roux")
    # The name is offered from the official list as it is typed; the keyboard chooses it.
    organisation = page.locator("input[name=organisation]")
    organisation.press_sequentially("montel", delay=30)
    options = page.get_by_role("listbox", name="collectivités territoriales françaises").get_by_role("option")
    expect(options.first).to_have_text("Montélimar (26198)")
    expect(organisation).to_have_attribute("aria-expanded", "true")
    assert accessibility_violations(page) == []  # with the list open
    organisation.press("ArrowDown")
    expect(organisation).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    organisation.press("Enter")
    expect(organisation).to_have_value("Montélimar")
    expect(page.locator("input[name=organisation_code]")).to_have_value("26198")
    expect(organisation).to_have_attribute("aria-expanded", "false")
    page.fill("input[name=position]", "Adjointe aux relations internationales")
    page.locator("label[for=id_terms]").click()  # DSFR draws the box on the label
    page.click("form:has(input[name=password1]) button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("en attente de vérification").first.wait_for()

    staff = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    admin_log_in(staff, "moderation")
    profile = MemberProfile.objects.get(user__username="ines.roux")
    assert (profile.organisation, profile.organisation_code) == ("Montélimar", "26198")
    staff.goto(f"/admin/extranet/memberprofile/decide/{profile.pk}/")
    staff.locator("input[name=decision][value=approve]").check()
    staff.get_by_role("button", name="Enregistrer la décision").click()
    staff.wait_for_url(lambda url: "/decide/" not in url)
    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.APPROVED
    staff.context.close()

    page.goto(f"/accounts/login/?next={article.url}")
    page.fill("input[name=login]", "ines.roux@montelimar.example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.get_by_text("Les critères détaillés de l'appel").wait_for()
    page.click("text=Ajouter cet article à ma sélection")
    page.goto("/espace-personnel/ma-selection/")
    page.get_by_text("Appel à projets 2027").first.wait_for()
    screenshot(page, "registration-approval-selection")
