"""The co-financing procedure in the browser's pages: a local authority starts a dossier from
the call, saves a draft, is told what is missing next to each field, files it; staff ask for
opinions and decide; the embassy gives its opinion; the authority reads the decision."""

import re
from html import unescape

import pytest
from django.core import mail

from forms.models import Dossier, Opinion

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


def form_data(version, **fields):
    data = {
        "version": version,
        "budget-TOTAL_FORMS": 3,
        "budget-INITIAL_FORMS": 0,
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return data


COMPLETE_FORM = {
    "title": "Eau potable à Dakar",
    "partner_name": "Ville de Dakar",
    "partner_country": "SN",
    "themes": ["eau-assainissement"],
    "description": "Raccorder trois quartiers.",
    "objectives": "10 000 habitants raccordés.",
    "start_year": 2027,
    "duration_years": 1,
    "budget-0-kind": "expense",
    "budget-0-year": 1,
    "budget-0-label": "Travaux",
    "budget-0-amount": "100000",
    "budget-1-kind": "resource",
    "budget-1-year": 1,
    "budget-1-label": "Ville de Lyon",
    "budget-1-source": "own",
    "budget-1-amount": "60000",
    "budget-2-kind": "resource",
    "budget-2-year": 1,
    "budget-2-label": "MEAE",
    "budget-2-source": "requested",
    "budget-2-amount": "40000",
    "contacts-0-name": "Inès Roux",
    "contacts-0-email": "ines.roux@lyon.example.org",
}


def start(people, call) -> Dossier:
    page = text(people.lyon.get(call.url))
    assert "Déposer un dossier" in page
    response = people.lyon.post(f"/teleprocedures/appels/{call.pk}/deposer/")
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/teleprocedures/dossiers/{dossier.pk}/modifier/"
    return dossier


def test_from_the_call_to_a_filed_dossier(people, call):
    dossier = start(people, call)
    url = f"/teleprocedures/dossiers/{dossier.pk}/modifier/"
    response = people.lyon.post(url, form_data(1, title="Eau potable", description="Premier jet", save=""), follow=True)
    assert "Votre brouillon a été enregistré." in text(response)
    dossier.refresh_from_db()
    assert (dossier.title, dossier.state, dossier.version) == ("Eau potable", "draft", 2)

    # Filing an incomplete dossier: what is missing is said next to each field, nothing typed is lost.
    typed = form_data(2, title="Eau potable à Dakar", description="Premier jet", objectives="Des objectifs")
    typed.update({"budget-0-kind": "expense", "budget-0-label": "Travaux", "budget-0-amount": "-3", "submit": ""})
    response = people.lyon.post(url, typed)
    assert response.status_code == 400
    page = text(response)
    assert (
        page.count("Ce champ est obligatoire pour déposer le dossier.") == 0
    )  # the faulty amount stops the save first
    assert "Saisissez un montant en euros, positif ou nul, avec au plus deux décimales." in page
    assert 'value="Eau potable à Dakar"' in page and "Des objectifs" in page

    typed["budget-0-amount"] = "100"
    response = people.lyon.post(url, typed)
    page = text(response)
    assert response.status_code == 400
    assert page.count("Ce champ est obligatoire pour déposer le dossier.") >= 4
    assert "Le budget n’est pas équilibré : 100,00 € de dépenses, 0,00 € de ressources." in page
    assert "Indiquez au moins un contact." in page
    dossier.refresh_from_db()
    assert (dossier.state, dossier.objectives) == ("draft", "Des objectifs")  # saved as a draft
    version = re.search(r'name="version" value="(\d+)"', page)[1]

    response = people.lyon.post(url, {**form_data(version), **COMPLETE_FORM, "submit": ""}, follow=True)
    page = text(response)
    assert "Votre dossier a été déposé" in page
    assert response.redirect_chain[-1][0] == f"/teleprocedures/dossiers/{dossier.pk}/"
    dossier.refresh_from_db()
    assert dossier.state == "filed" and dossier.budget_lines.count() == 3
    assert any(message.subject == f"Dossier {dossier.reference} déposé" for message in mail.outbox)
    assert "Eau potable à Dakar" in text(people.lyon.get(call.url))  # “Vos dossiers pour cet appel”


def test_a_stale_form_does_not_overwrite_a_colleagues_change(people, call):
    dossier = start(people, call)
    url = f"/teleprocedures/dossiers/{dossier.pk}/modifier/"
    people.lyon_colleague.post(url, form_data(1, title="Titre de l'adjointe", save=""))
    response = people.lyon.post(url, form_data(1, title="Titre du maire", save=""))
    assert response.status_code == 400
    page = text(response)
    assert "Ce dossier a été modifié par quelqu’un d’autre depuis que vous l’avez ouvert" in page
    assert 'value="Titre du maire"' in page  # kept in the form
    dossier.refresh_from_db()
    assert dossier.title == "Titre de l'adjointe"


def test_staff_instruct_the_embassy_gives_its_opinion_the_authority_reads_the_decision(people, call):
    dossier = start(people, call)
    people.lyon.post(
        f"/teleprocedures/dossiers/{dossier.pk}/modifier/", {**form_data(1), **COMPLETE_FORM, "submit": ""}
    )
    action = f"/teleprocedures/dossiers/{dossier.pk}/action/"
    page = text(people.staff.get(f"/teleprocedures/dossiers/{dossier.pk}/"))
    assert "Instruction" in page and "Demander les avis" in page

    people.staff.post(action, {"action": "request_opinions", "bodies": ["ambassades"]})
    opinion = Opinion.objects.get()
    page = text(people.embassy_sn.get(f"/teleprocedures/dossiers/{dossier.pk}/"))
    assert "Donner votre avis" in page
    response = people.embassy_sn.post(
        action,
        {
            "action": "opinion",
            "opinion": opinion.pk,
            f"o{opinion.pk}-verdict": "favourable",
            f"o{opinion.pk}-text": "Utile.",
        },
        follow=True,
    )
    assert "Favorable" in text(response)

    dossier.refresh_from_db()
    response = people.staff.post(
        action, {"action": "decide", "version": dossier.version, "decision": "accepted", "motivation": ""}, follow=True
    )
    assert "Dites pourquoi : la collectivité le lira." in text(response)
    people.staff.post(
        action, {"action": "decide", "version": dossier.version, "decision": "accepted", "motivation": "Projet solide."}
    )
    page = text(people.lyon.get(f"/teleprocedures/dossiers/{dossier.pk}/"))
    assert "Décision : Accepté" in page and "Projet solide." in page and "La lettre de décision (PDF)" in page
    assert "Modifier le dossier" not in page and "Instruction" not in page


def test_who_may_file_from_the_call_page(people, call, client):
    assert "Déposer un dossier" not in text(people.ngo.get(call.url))
    assert "Se connecter pour déposer un dossier" in text(client.get(call.url))
    response = people.ngo.post(f"/teleprocedures/appels/{call.pk}/deposer/", follow=True)
    assert "Seuls les membres du groupe des collectivités territoriales" in text(response)
    assert Dossier.objects.count() == 0
