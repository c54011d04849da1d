"""The demo's home page in a browser at 1,280 px: the main menu holds on one line, the month's
pages, the next events and the Atlas in figures are there, and axe finds nothing serious."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import accessibility_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_demo_home_shows_the_month_and_its_menu_holds_on_one_line(page):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    items = page.locator("#header-navigation .fr-nav__item")
    assert items.count() >= 10
    tops = {round(box["y"]) for box in (items.nth(number).bounding_box() for number in range(items.count()))}
    assert len(tops) == 1, f"the main menu wraps onto {len(tops)} lines"
    assert page.locator("#home-latest .fr-card").count() >= 4
    assert page.locator("#home-events [data-event]").count() == 2
    assert page.locator("#home-atlas svg").count() == 1
    assert accessibility_violations(page) == []
    screenshot(page, "home")
