"""The editor previews a draft in the Wagtail admin: the preview panel shows the page as the
front end renders it (through a signed, short-lived token), while visitors keep seeing the
published page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_editor_journeys import admin_log_in
from tests.factories import UserFactory, add_article, add_rubric

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_editor_sees_the_draft_as_the_front_end_renders_it(page, live_server):
    article = add_article(add_rubric("Actualités"), "Le titre publié", body="Le corps publié")
    UserFactory(username="redaction", is_staff=True, is_superuser=True)

    admin_log_in(page, "redaction")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.fill("input[name=title]", "Le titre du brouillon")
    page.locator("[data-side-panel-toggle='preview']").click()

    front_end = page.frame_locator("iframe.w-preview__iframe").last.frame_locator("iframe")
    expect(front_end.locator("main h1")).to_have_text("Le titre du brouillon", timeout=15_000)
    expect(front_end.get_by_text("Aperçu d’un brouillon : cette version n’est pas publiée.")).to_be_visible()
    expect(front_end.get_by_text("Le corps publié")).to_be_visible()  # the body as it stands in the form

    screenshot(page, "editor-previews-a-draft")

    visitor = page.context.browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(article.url)
    expect(visitor.locator("main h1")).to_have_text("Le titre publié")
    visitor.context.close()
