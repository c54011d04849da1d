"""A member sets up an authenticator app in the browser (the secret read from the page, the
code computed by the test), logs out, and logs in again with the password and a code."""

import re
import time

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.e2e.test_editor_journeys import enter_totp_code
from tests.factories import PASSWORD, member_with_profile, totp_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_member_sets_up_totp_and_logs_in_with_a_code(page, live_server):
    member_with_profile("ambassade-sn", "ambassades", country="SN")
    log_in(page, "ambassade-sn", "/espace-personnel/")
    page.locator("#space-navigation").get_by_role("button", name="Mon profil").click()  # the menu holds it
    page.click("text=Authentification à deux facteurs")
    page.wait_for_url("**/accounts/2fa/")
    page.goto("/accounts/2fa/totp/activate/")
    page.wait_for_url("**/accounts/reauthenticate/**")  # allauth asks for the password again
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    page.fill("input[name=code]", totp_code(secret))
    page.click("form:has(input[name=code]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/2fa/" in url and "activate" not in url)
    screenshot(page, "mfa-activated")

    page.context.clear_cookies()
    time.sleep(max(0.0, 30.5 - time.time() % 30))  # a code is taken once: wait for the next one
    page.goto("/accounts/login/?next=/espace-personnel/")
    page.fill("input[name=login]", "ambassade-sn")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    enter_totp_code(page, secret)
    page.wait_for_url("**/espace-personnel/")
    assert "Mon espace personnel" in page.content()
