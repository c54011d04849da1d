"""A call with its own questions and a review grid, in the browser: the authority answers the
questions (a number, a choice, a document) in the dossier's form and files it; the embassy the
call invites reads the answers, is told the instructor has scored but not what, gives its own
scores, and then reads the instructor's and the average."""

from urllib.parse import urlsplit

import pytest

from forms.dossiers import scoring, services
from forms.dossiers.models import CallQuestion, ReviewCriterion, ReviewerBody
from forms.models import Dossier
from tests.e2e.conftest import accessibility_violations, screenshot
from tests.e2e.test_cofinancing_dossier import log_in
from tests.factories import UserFactory, add_call, member_of_authority, member_with_profile
from tests.forms.conftest import COMPLETE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_authority_answers_the_calls_questions_and_the_embassy_scores_blind(page, live_server, tmp_path):
    call = add_call(
        "Appel Jeunesse 2027",
        questions=[
            CallQuestion(label="Nombre de bénéficiaires", field_type="number"),
            CallQuestion(label="Zone d'intervention", field_type="radio", choices="Urbaine\nRurale"),
            CallQuestion(label="Lettre d'engagement du partenaire", field_type="file"),
        ],
        criteria=[
            ReviewCriterion(label="Pertinence", weight=2, scale=5),
            ReviewCriterion(label="Solidité du budget", weight=1, scale=5),
        ],
        review_bodies=[ReviewerBody(body="ambassades")],
    )
    lyon = member_of_authority("maire-lyon", "69123", "Lyon")
    member_with_profile("ambassade-sn", "ambassades", country="SN")
    staff = UserFactory(username="instructeur", is_staff=True, is_superuser=True, first_name="Claire", last_name="Roy")
    dossier = services.create_dossier(lyon, call.pk, {**COMPLETE})
    edit = f"/teleprocedures/dossiers/{dossier.pk}/modifier/"

    log_in(page, "maire-lyon", edit)
    page.click("button[name=submit]")  # nothing answered: each question says so, the draft is kept
    assert page.locator("#answers").inner_text().count("Ce champ est obligatoire pour déposer le dossier.") == 3
    assert accessibility_violations(page) == []
    answers = page.locator("#answers")
    answers.get_by_label("Nombre de bénéficiaires").fill("1200")
    answers.get_by_text("Rurale").click()
    page.click("button[name=save]")
    page.wait_for_selector("text=Votre brouillon a été enregistré.")
    assert page.locator("#answers").get_by_label("Nombre de bénéficiaires").input_value() == "1200"
    letter = tmp_path / "engagement.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator("#answers input[type=file]").set_input_files(str(letter))
    page.click("button[name=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == f"/teleprocedures/dossiers/{dossier.pk}/")
    assert Dossier.objects.get(pk=dossier.pk).state == "filed"
    shown = page.locator("#answers").inner_text().replace("\xa0", " ")
    assert "1 200" in shown and "Rurale" in shown and "engagement.pdf" in shown

    criteria = [str(item.pk) for item in call.criteria.all()]
    scoring.give(staff, dossier.pk, dict(zip(criteria, [2, 5], strict=True)), "Partenaire à consolider.")
    page.context.clear_cookies()
    url = f"/teleprocedures/dossiers/{dossier.pk}/"
    log_in(page, "ambassade-sn", url)
    grid = page.locator("#review-grid")
    assert "vous lirez sa note une fois la vôtre donnée" in grid.inner_text()
    assert "Partenaire à consolider." not in page.content()
    grid.get_by_label("Pertinence").select_option("5")
    grid.get_by_label("Solidité du budget").select_option("4")
    grid.get_by_label("Observations").fill("Partenaire fiable, budget réaliste.")
    grid.get_by_role("button", name="Donner mes notes").click()
    page.wait_for_selector("text=C’est fait.")
    grid = page.locator("#review-grid")
    text = grid.inner_text()
    assert "Votre note : 18,67/20." in text  # (5/5 × 2 + 4/5) / 3 × 20
    assert "Moyenne 15,34/20 (écart-type 3,34), sur 2 évaluations." in text
    assert "Partenaire à consolider." in grid.locator("#review-others").inner_text()
    assert accessibility_violations(page) == []
    screenshot(page, "dossier-review-grid")
