"""A front-end developer browses the accounts API's specification: it renders in the browser
from the site's own files, under the front end's Content Security Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_accounts_specification_renders_its_operations(page):
    page.goto("/_allauth/openapi.html")
    expect(page.get_by_text("/_allauth/{client}/v1/auth/login").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/_allauth/{client}/v1/auth/2fa/authenticate").first).to_be_visible()
