"""A member shares an experience in the browser: proposes a good practice from the personal space,
reads that the editors sent it back with a comment, changes it and sends it again; once published,
the page credits the member's organisation and shows the member's text escaped."""

import pytest

from atlas_pages.models import EditorialPage
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.factories import UserFactory, add_rubric, member_of_authority

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def editors(action: str, comment: str = "") -> None:
    """The editor's Approve / Request changes in the Wagtail admin (staff's admin needs 2FA)."""
    proposal = EditorialPage.objects.get(title__startswith="Des cantines")
    task_state = proposal.current_workflow_task_state
    editor = UserFactory(username=f"redaction-{action}", is_staff=True, is_superuser=True)
    task_state.task.specific.on_action(task_state, editor, action, comment=comment)


def test_a_member_proposes_a_good_practice_that_the_editors_publish(page, live_server):
    add_rubric("Bonnes pratiques", kind="good_practices", slug="bonnes-pratiques")
    member_of_authority("maire-lyon", "69123", "Ville de Lyon")
    log_in(page, "maire-lyon", "/espace-personnel/mes-contributions/")
    form = page.locator("form[aria-labelledby=propose]")
    form.locator("label[for=id_kind_0]").click()  # (the DSFR draws the radio in its label)
    form.locator("#id_title").fill("Des cantines scolaires au Bénin")
    form.locator("#id_teaser").fill("Deux écoles servent un repas chaud par jour.")
    form.locator("#id_text").fill("Le jardin <b>de la commune</b> nourrit les élèves.\n\nLes parents cuisinent.")
    form.get_by_role("button", name="Envoyer à la rédaction").click()
    page.wait_for_selector("text=Votre proposition a été envoyée à la rédaction")
    row = page.locator("#my-contributions [data-contribution]")
    assert "En attente de la rédaction" in row.text_content()
    assert accessibility_violations(page) == []

    editors("reject", comment="Ajoutez le nombre d'élèves.")
    page.reload()
    assert "Ajoutez le nombre d'élèves." in row.inner_text()
    row.get_by_role("link", name="Des cantines scolaires au Bénin").click()
    text = page.locator("#id_text")
    text.fill(text.input_value() + "\n\n180 élèves mangent chaque jour.")
    page.get_by_role("button", name="Renvoyer à la rédaction").click()
    page.wait_for_selector("text=Votre proposition a été renvoyée à la rédaction.")

    editors("approve")
    page.reload()
    page.locator("#my-contributions").get_by_role("link", name="Des cantines scolaires au Bénin").click()
    assert page.locator("#contribution").inner_text() == "Contribution de Ville de Lyon"
    body = page.locator("main").inner_text()
    assert "Le jardin <b>de la commune</b> nourrit les élèves." in body and "180 élèves mangent chaque jour." in body
    assert accessibility_violations(page) == []
    screenshot(page, "contribution-published")
