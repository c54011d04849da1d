"""A call's own questions: an editor adds them in the Wagtail admin (text, number, choice, date,
document); the authority answers them in the API and in the dossier's form, a draft keeps what
was typed, filing names each unanswered or faulty question, and the answers are in the dossier's
page, its PDF, the back office's exports and the personal-data download."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from forms.dossiers import services
from forms.dossiers.models import CallQuestion
from forms.models import CallForProjectsIndexPage, CallForProjectsPage, Dossier
from tests.factories import add_call, add_page, home_page
from tests.forms.conftest import COMPLETE
from tests.forms.test_dossier_pdf import text_of

pytestmark = pytest.mark.django_db

QUESTIONS = [
    CallQuestion(label="Nombre de bénéficiaires", field_type="number"),
    CallQuestion(label="Zone d'intervention", field_type="dropdown", choices="Urbaine\nRurale"),
    CallQuestion(label="Publics visés", field_type="checkboxes", choices="Femmes\nJeunes\nÉlus"),
    CallQuestion(label="Date de lancement", field_type="date", required=False),
    CallQuestion(label="Lettre d'engagement du partenaire", field_type="file"),
    CallQuestion(label="Lien avec les ODD", field_type="multiline", required=False, help_text="Deux phrases."),
]


@pytest.fixture
def asking(db):
    return add_call("Appel Jeunesse 2027", questions=[CallQuestion(**_fields(item)) for item in QUESTIONS])


def _fields(question: CallQuestion) -> dict:
    return {name: getattr(question, name) for name in ("label", "field_type", "choices", "required", "help_text")}


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def pdf_file(name="engagement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def errors(response) -> dict[str, str]:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def test_an_editor_adds_questions_and_a_review_grid_to_a_call_in_the_admin(staff_client):
    index = add_page(home_page(), CallForProjectsIndexPage, title="Appels à projets", slug="appels-a-projets")
    fields = {
        "title": "Appel Jeunesse 2027",
        "slug": "appel-jeunesse",
        "kind": "annual",
        "intro": "Pour la jeunesse.",
        "opens_at": "2026-11-01 09:00",
        "closes_at": "2027-02-28 18:00",
        "budget_envelope": "500000",
        "max_share": "50",
        "rules": streamfield([]),
        "required_opinions": inline_formset([]),
        "criteria": inline_formset([]),
        "review_bodies": inline_formset([]),
        "action-publish": "publish",
    }
    url = f"/admin/pages/add/cncd_forms/callforprojectspage/{index.pk}/"

    # A choice question without its choices, and two questions with the same label: both named.
    refused = {
        **fields,
        "questions": inline_formset(
            [
                {"label": "Zone", "field_type": "dropdown", "choices": "", "required": "on"},
                {"label": "Budget local", "field_type": "number", "required": "on"},
                {"label": "Budget local", "field_type": "singleline"},
            ]
        ),
        "criteria": inline_formset([{"label": "Pertinence", "weight": "0", "scale": "5"}]),
    }
    response = staff_client.post(url, nested_form_data(refused))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez les choix, un par ligne." in html
    assert "budget_local" in html  # Wagtail's own check: the name is already taken
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in html  # a criterion weighs something
    assert not CallForProjectsPage.objects.filter(slug="appel-jeunesse").exists()

    accepted = {
        **fields,
        "questions": inline_formset(
            [
                {"label": "Zone d'intervention", "field_type": "radio", "choices": "Urbaine\nRurale", "required": "on"},
                {"label": "Budget local", "field_type": "number", "required": "on"},
                {"label": "Convention de partenariat", "field_type": "file"},
            ]
        ),
        "criteria": inline_formset(
            [
                {"label": "Pertinence", "description": "Besoins du partenaire", "weight": "3", "scale": "5"},
                {"label": "Budget", "weight": "1", "scale": "10"},
            ]
        ),
        "review_bodies": inline_formset([{"body": "prefectures"}]),
    }
    response = staff_client.post(url, nested_form_data(accepted))
    assert response.status_code == 302, response.content[:2000]
    call = CallForProjectsPage.objects.get(slug="appel-jeunesse", locale__language_code="fr")
    asked = staff_client.get(f"/api/calls/{call.pk}/").json()["questions"]
    assert [(item["name"], item["type"], item["required"], item["choices"]) for item in asked] == [
        ("zone_dintervention", "radio", True, ["Urbaine", "Rurale"]),
        ("budget_local", "number", True, []),
        ("convention_de_partenariat", "file", False, []),
    ]
    published = staff_client.get(f"/api/calls/{call.pk}/").json()
    assert [(item["label"], item["weight"], item["scale"]) for item in published["review_grid"]] == [
        ("Pertinence", 3, 5),
        ("Budget", 1, 10),
    ]
    assert published["review_bodies"] == ["prefectures"]


def test_answers_are_kept_in_a_draft_checked_for_their_form_and_required_on_filing(people, asking):
    # A wrong answer is named by its question, and nothing is created.
    response = post(
        people.lyon,
        "/api/dossiers/",
        {
            "call_id": asking.pk,
            **COMPLETE,
            "answers": {"nombre_de_beneficiaires": "beaucoup", "zone_dintervention": "Mer"},
        },
    )
    assert response.status_code == 422
    assert set(errors(response)) == {"answers.nombre_de_beneficiaires", "answers.zone_dintervention"}
    assert errors(response)["answers.nombre_de_beneficiaires"] == "Saisissez un nombre."
    response = post(people.lyon, "/api/dossiers/", {"call_id": asking.pk, "answers": {"inconnue": "x"}})
    assert response.status_code == 422 and list(errors(response)) == ["answers.inconnue"]
    assert not Dossier.objects.exists()

    # A draft keeps a part of the answers; the rest is what filing asks for.
    draft = post(
        people.lyon,
        "/api/dossiers/",
        {
            "call_id": asking.pk,
            **COMPLETE,
            "answers": {"nombre_de_beneficiaires": 1200, "publics_vises": ["Femmes", "Jeunes"]},
        },
    ).json()
    assert draft["missing"] == {
        "answers.zone_dintervention": ["Ce champ est obligatoire pour déposer le dossier."],
        "answers.lettre_dengagement_du_partenaire": ["Ce champ est obligatoire pour déposer le dossier."],
    }
    url = f"/api/dossiers/{draft['id']}/"
    response = post(people.lyon, f"{url}submit/", {"version": draft["version"]})
    assert response.status_code == 422
    assert set(errors(response)) == {"answers.zone_dintervention", "answers.lettre_dengagement_du_partenaire"}

    # Only the answers sent change; null clears one.
    response = people.lyon.patch(
        url,
        {"version": draft["version"], "answers": {"zone_dintervention": "Rurale", "date_de_lancement": "2027-03-15"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    answers = {item["name"]: item for item in response.json()["answers"]}
    assert answers["nombre_de_beneficiaires"]["value"] == "1200"
    assert answers["nombre_de_beneficiaires"]["text"] == "1\xa0200"
    assert answers["publics_vises"]["value"] == ["Femmes", "Jeunes"]
    assert answers["date_de_lancement"]["text"] == "15 mars 2027"
    version = response.json()["version"]
    response = people.lyon.patch(
        url, {"version": version, "answers": {"date_de_lancement": None}}, content_type="application/json"
    )
    assert {item["name"]: item["value"] for item in response.json()["answers"]}["date_de_lancement"] is None

    # The document question is answered with an attachment naming it; a second one replaces the first.
    attach = f"{url}attachments/"
    response = people.lyon.post(
        attach, {"file": pdf_file("brouillon.pdf"), "question": "lettre_dengagement_du_partenaire"}
    )
    assert response.status_code == 201 and response.json()["question"] == "lettre_dengagement_du_partenaire"
    response = people.lyon.post(attach, {"file": pdf_file(), "question": "lettre_dengagement_du_partenaire"})
    assert response.status_code == 201
    assert [item["name"] for item in people.lyon.get(attach).json()] == ["engagement.pdf"]
    response = people.lyon.post(attach, {"file": pdf_file(), "question": "zone_dintervention"})
    assert response.status_code == 422 and list(errors(response)) == ["question"]
    # Staff add documents to the dossier, but do not answer for the authority.
    assert (
        people.staff.post(attach, {"file": pdf_file(), "question": "lettre_dengagement_du_partenaire"}).status_code
        == 403
    )

    current = people.lyon.get(url).json()
    assert current["missing"] == {}
    document = {item["name"]: item for item in current["answers"]}["lettre_dengagement_du_partenaire"]["document"]
    assert document["name"] == "engagement.pdf"
    assert people.embassy_sn.get(document["url"]).status_code == 404  # not filed yet: not theirs to see
    response = post(people.lyon, f"{url}submit/", {"version": current["version"]})
    assert response.status_code == 200 and response.json()["state"] == "filed"
    assert people.embassy_sn.get(document["url"]).status_code == 200

    # An editor narrows a choice afterwards: the answer is kept, and filing it again names it.
    question = asking.questions.get(clean_name="zone_dintervention")
    question.choices = "Urbaine\nPériurbaine"
    question.save()
    kept = Dossier.objects.get(pk=draft["id"])
    assert kept.answers["zone_dintervention"] == "Rurale"
    assert services.missing(kept)["answers.zone_dintervention"] == [
        "Sélectionnez un choix valide. Rurale n’en fait pas partie."
    ]


def test_the_dossier_form_asks_the_calls_questions_and_keeps_what_was_typed(people, asking):
    dossier = post(people.lyon, "/api/dossiers/", {"call_id": asking.pk, **COMPLETE}).json()
    edit = f"/teleprocedures/dossiers/{dossier['id']}/modifier/"
    html = people.lyon.get(edit).content.decode()
    assert "Les questions de l’appel" in html
    assert (
        'name="answers-nombre_de_beneficiaires"' in html and 'name="answers-lettre_dengagement_du_partenaire"' in html
    )
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html

    form = {
        "version": dossier["version"],
        **_form_of(COMPLETE),
        "answers-nombre_de_beneficiaires": "mille",
        "answers-zone_dintervention": "Urbaine",
        "answers-lien_avec_les_odd": "ODD 6 : eau propre.",
    }
    response = people.lyon.post(edit, {**form, "save": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez un nombre." in html and "ODD 6 : eau propre." in html  # named, and kept as typed
    assert Dossier.objects.get(pk=dossier["id"]).answers == {}

    form["answers-nombre_de_beneficiaires"] = "1200"
    response = people.lyon.post(edit, {**form, "submit": ""})
    assert response.status_code == 400  # saved, but filing names what is missing next to it
    html = response.content.decode()
    assert html.count("Ce champ est obligatoire pour déposer le dossier.") == 2  # publics, the letter
    saved = Dossier.objects.get(pk=dossier["id"])
    assert saved.state == "draft"
    assert saved.answers == {
        "nombre_de_beneficiaires": "1200",
        "zone_dintervention": "Urbaine",
        "lien_avec_les_odd": "ODD 6 : eau propre.",
    }

    form["version"] = saved.version
    form["answers-publics_vises"] = ["Femmes", "Élus"]
    response = people.lyon.post(edit, {**form, "answers-lettre_dengagement_du_partenaire": pdf_file(), "submit": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Dossier.objects.get(pk=dossier["id"])
    assert saved.state == "filed"
    assert saved.attachments.get(question="lettre_dengagement_du_partenaire").name == "engagement.pdf"

    page = people.embassy_sn.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    for expected in ("Nombre de bénéficiaires", "1\xa0200", "Femmes, Élus", "engagement.pdf", "ODD 6 : eau propre."):
        assert expected in page


def _form_of(content: dict) -> dict:
    """COMPLETE as the dossier's form posts it."""
    form = {name: content[name] for name in ("title", "partner_name", "partner_country", "description", "objectives")}
    form.update(
        {"themes": content["themes"], "start_year": content["start_year"], "duration_years": content["duration_years"]}
    )
    lines, contacts = content["budget"], content["contacts"]
    form.update({"budget-TOTAL_FORMS": len(lines), "budget-INITIAL_FORMS": 0})
    for number, line in enumerate(lines):
        form.update({f"budget-{number}-{key}": value for key, value in line.items()})
        form[f"budget-{number}-year"] = 1
    form.update({"contacts-TOTAL_FORMS": len(contacts), "contacts-INITIAL_FORMS": 0})
    for number, contact in enumerate(contacts):
        form.update({f"contacts-{number}-{key}": value for key, value in contact.items()})
    return form


@pytest.fixture
def answered(people, asking):
    dossier = post(
        people.lyon,
        "/api/dossiers/",
        {
            "call_id": asking.pk,
            **COMPLETE,
            "answers": {
                "nombre_de_beneficiaires": "1200",
                "zone_dintervention": "Rurale",
                "publics_vises": ["Jeunes"],
                "lien_avec_les_odd": "ODD 6 : eau propre.",
            },
        },
    ).json()
    url = f"/api/dossiers/{dossier['id']}/"
    people.lyon.post(f"{url}attachments/", {"file": pdf_file(), "question": "lettre_dengagement_du_partenaire"})
    version = people.lyon.get(url).json()["version"]
    assert post(people.lyon, f"{url}submit/", {"version": version}).status_code == 200
    return dossier


def test_the_answers_are_in_the_pdf(people, answered):
    text = text_of(people.lyon.get(f"/api/dossiers/{answered['id']}/pdf"))
    for expected in (
        "Les questions de l’appel",
        "Nombre de bénéficiaires 1 200",
        "Zone d'intervention Rurale",
        "Publics visés Jeunes",
        "Lettre d'engagement du partenaire engagement.pdf",
        "ODD 6 : eau propre.",
    ):
        assert expected in text.replace("\xa0", " ").replace("\u202f", " ")


def test_the_answers_are_in_the_exports_a_column_per_question_for_one_call(people, call, asking, answered):
    index = "/admin/cncd_forms/dossier/"
    response = people.staff.get(f"{index}?export=csv&appel={asking.pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    heading, row = rows[0], rows[1]
    for label, value in (
        ("Nombre de bénéficiaires", "1\xa0200"),
        ("Zone d'intervention", "Rurale"),
        ("Publics visés", "Jeunes"),
        ("Lettre d'engagement du partenaire", "engagement.pdf"),
        ("Lien avec les ODD", "ODD 6 : eau propre."),
    ):
        assert row[heading.index(label)] == value

    # Every call at once: the answers together in one column, each after its question.
    response = people.staff.get(f"{index}?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading = [cell.value for cell in sheet[1]]
    column = heading.index("Réponses aux questions de l’appel")
    cell = sheet.cell(row=2, column=column + 1).value
    assert "Zone d'intervention : Rurale" in cell and "Lettre d'engagement du partenaire : engagement.pdf" in cell


def test_the_answers_are_in_the_personal_data_download(people, answered):
    from extranet import services

    data = services.personal_data(people.users.lyon)
    mine = next(item for item in data["dossiers"] if item["reference"] == answered["reference"])
    assert mine["answers"]["zone_dintervention"] == "Rurale"


def test_a_call_without_questions_asks_none(people, call):
    dossier = post(people.lyon, "/api/dossiers/", {"call_id": call.pk, **COMPLETE}).json()
    assert dossier["answers"] == [] and dossier["missing"] == {}
    html = people.lyon.get(f"/teleprocedures/dossiers/{dossier['id']}/modifier/").content.decode()
    assert "Les questions de l’appel" not in html
