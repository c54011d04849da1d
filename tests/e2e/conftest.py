"""End-to-end tests: Playwright for Python driving Debian's chromium (no browser download)
against the live test server. Screenshots of each journey's last step go to var/e2e/."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CNCD_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"


@pytest.fixture
def orm_beside_playwright():
    """While Playwright's sync API is open it keeps an event loop in this thread; the tests'
    own ORM calls are synchronous and safe. Set for the browser's lifetime only, so that
    subprocesses and other tests never see it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser(orm_beside_playwright):
    """One browser per journey, started after the test database is ready: restoring the
    serialized data (``serialized_rollback``) while Playwright's loop runs in this thread
    writes nowhere the test then sees, so a module-wide browser left every journey after the
    first without the reference data (countries, groups)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed for the end-to-end tests ({CHROMIUM}): `make test` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    # Only the site under test: map tiles and anything else outside are not fetched.
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
    )
    page = context.new_page()
    violations = []  # what the Content Security Policy blocked: the front end must need none of it
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert violations == [], violations


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands. axe comes from the
    npm registry (``make test`` runs ``npm ci``) and is evaluated through the DevTools protocol,
    which the page's Content Security Policy does not restrict."""
    if not AXE.exists():
        pytest.fail(f"axe-core is needed for the accessibility checks ({AXE}): `make test` installs it.")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} — {violation['impact']} {violation['id']}: {violation['help']} "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
