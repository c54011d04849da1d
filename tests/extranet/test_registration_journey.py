"""A visitor registers into a group, verifies the e-mail, waits for staff, is approved in the
Wagtail admin and reads the padlocked article of the group: in the pages and in the headless API."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from extranet.models import MemberProfile
from tests.factories import PASSWORD, MemberFactory, add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db
User = get_user_model()

REGISTRATION = {
    "group": "collectivites",
    "username": "ines.roux",
    "email": "ines.roux@lyon.example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "civility": "mme",
    "first_name": "Inès",
    "last_name": "Roux",
    "organisation": "Ville de Lyon",
    "organisation_code": "216 901 231",
    "position": "Adjointe aux relations internationales",
    "phone": "+33 4 72 10 30 30",
    "newsletter_opt_in": "on",
    "terms": "on",
}


@pytest.fixture
def local_article(db):
    article = add_article(add_rubric("Actualités"), "Appel à projets 2027", body="Les critères détaillés de l’appel")
    padlock(article, "collectivites")
    return article


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_visitor_first_picks_a_group(client):
    response = client.get("/accounts/signup/")
    html = text(response)
    assert response.status_code == 200
    assert html.count("/accounts/signup/?groupe=") == 9
    for name in ("Ambassades", "Collectivités territoriales", "Préfectures", "Entreprises"):
        assert name in html

    form = text(client.get("/accounts/signup/?groupe=collectivites"))
    assert "Inscription — Collectivités territoriales" in form
    assert 'name="organisation_code"' in form
    assert 'name="terms"' in form
    assert 'name="organisation_code"' not in text(client.get("/accounts/signup/?groupe=ambassades"))


def required_fields(client, group: str) -> dict[str, bool]:
    """The fields of the group's form, and whether each is marked required."""
    form = client.get(f"/accounts/signup/?groupe={group}").context["form"]
    return {name: field.required for name, field in form.fields.items()}


def test_each_group_is_asked_its_own_questions_and_required_means_required(client):
    """No field marked optional is refused when empty, and no group is asked another's question."""
    local = required_fields(client, "collectivites")
    assert (local["organisation_code"], local["organisation"]) == (True, False) and "country" not in local
    embassy = required_fields(client, "ambassades")
    assert (embassy["country"], embassy["organisation"]) == (True, False) and "organisation_code" not in embassy
    prefecture = required_fields(client, "prefectures")
    assert (prefecture["region"], prefecture["organisation"]) == (True, True) and "country" not in prefecture
    ngo = required_fields(client, "ong")
    assert ngo["organisation"] is True and not {"country", "region", "organisation_code"} & ngo.keys()
    html = text(client.get("/accounts/signup/?groupe=ong"))
    assert "Pays" not in html and "Embassies" not in html and "Ambassades :" not in html

    # What is not marked required is accepted empty: an embassy's organisation, from its country.
    data = {**REGISTRATION, "group": "ambassades", "organisation": "", "country": "SN"}
    data.pop("organisation_code")
    assert client.post("/accounts/signup/?groupe=ambassades", data).status_code == 302
    assert MemberProfile.objects.get().organisation == "Ambassade de France — Sénégal"
    # A local authority that gives only its code: its name comes from the list.
    other = {**REGISTRATION, "username": "paul", "email": "paul@example.org", "organisation": ""}
    assert client.post("/accounts/signup/?groupe=collectivites", other).status_code == 302
    assert MemberProfile.objects.get(user__username="paul").organisation == "Lyon"


def test_registration_verification_approval_and_the_padlocked_article(client, staff_client, local_article):
    response = client.post("/accounts/signup/?groupe=collectivites", REGISTRATION)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    user = User.objects.get(username="ines.roux")
    profile = user.member_profile
    assert profile.status == MemberProfile.Status.PENDING
    # Lyon's SIREN, kept as the Atlas writes Lyon (its INSEE code): the same authority for every check
    assert (profile.organisation, profile.organisation_code, profile.civility) == ("Ville de Lyon", "69123", "mme")
    assert profile.newsletter_opt_in is True and profile.terms_accepted_at is not None
    assert not user.groups.exists()

    [verification] = mail.outbox
    assert verification.to == ["ines.roux@lyon.example.org"]
    assert verification.subject == "[CNCD à la carte] Confirmez votre adresse e-mail"
    assert PASSWORD not in verification.body

    # Verifying the address continues the signup: the member learns the registration now waits.
    response = client.post(link_in(verification))
    assert response.status_code == 403
    assert "Votre inscription est en attente de vérification" in text(response)
    assert client.get(local_article.url).status_code == 200
    assert "Les critères détaillés" not in text(client.get(local_article.url))

    # Logging in later gets the same explained answer, not a generic failure.
    response = Client().post("/accounts/login/", {"login": "ines.roux", "password": PASSWORD})
    assert response.status_code == 403
    assert "Votre inscription est en attente de vérification" in text(response)

    # Staff find it in the queue (filtered by group) and approve it in the Wagtail admin.
    queue = staff_client.get("/admin/extranet/memberprofile/")
    assert queue.status_code == 302 and queue["Location"].endswith("?status__exact=pending")
    listing = text(staff_client.get("/admin/extranet/memberprofile/?status__exact=pending&groupe=collectivites"))
    assert "Inès Roux (ines.roux)" in listing and "Ville de Lyon" in listing
    assert "ines.roux" not in text(staff_client.get("/admin/extranet/memberprofile/?status__exact=pending&groupe=ong"))
    decide = f"/admin/extranet/memberprofile/decide/{profile.pk}/"
    assert "69123" in text(staff_client.get(decide))  # Lyon, whose SIREN was typed
    response = staff_client.post(decide, {"decision": "approve"})
    assert response.status_code == 302

    confirmation = mail.outbox[-1]
    assert confirmation.subject == "Votre inscription à CNCD à la carte est confirmée"
    assert "« Collectivités territoriales »" in confirmation.body
    assert "http://testserver/espace-personnel/" in confirmation.body
    assert PASSWORD not in confirmation.body

    member = Client()
    response = member.post("/accounts/login/", {"login": "ines.roux@lyon.example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "Les critères détaillés de l’appel" in text(member.get(local_article.url))


def test_headless_app_registration_journey(staff_client, local_article):
    app = Client()
    response = app.post(
        "/_allauth/app/v1/auth/signup",
        {
            "group": "ambassades",
            "username": "paul.diallo",
            "email": "paul.diallo@diplomatie.example.org",
            "password": PASSWORD,
            "first_name": "Paul",
            "last_name": "Diallo",
            "country": "SN",
            "terms": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 401
    assert {"id": "verify_email", "is_pending": True} in response.json()["data"]["flows"]
    token = response.json()["meta"]["session_token"]
    profile = MemberProfile.objects.get(user__username="paul.diallo")
    assert profile.organisation == "Ambassade de France — Sénégal"

    key = re.search(r"confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)
    response = app.post(
        "/_allauth/app/v1/auth/email/verify", {"key": key}, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 401
    assert {"id": "cncd_pending_approval", "is_pending": True} in response.json()["data"]["flows"]

    staff_client.post(f"/admin/extranet/memberprofile/decide/{profile.pk}/", {"decision": "approve"})

    response = app.post(
        "/_allauth/app/v1/auth/login",
        {"email": "paul.diallo@diplomatie.example.org", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    me = Client().get("/api/me/", HTTP_X_SESSION_TOKEN=token).json()
    assert [group["slug"] for group in me["groups"]] == ["ambassades"]
    assert me["registration"]["status"] == "approved"
    assert me["country"] == "SN"
    assert Client().get(f"/api/pages/{local_article.pk}/", HTTP_X_SESSION_TOKEN=token).status_code == 403


BAD_INPUT = [
    ("group", {"group": "mairies"}, "Choisissez l’un des neuf groupes d’acteurs."),
    ("username", {"username": "déjà pris!"}, None),
    ("password1", {"password1": "motdepasse", "password2": "motdepasse"}, "Ce mot de passe est trop courant."),
    ("first_name", {"first_name": ""}, "Ce champ est obligatoire."),
    ("email", {"email": "pas-une-adresse"}, None),
    ("terms", {"terms": ""}, "Vous devez accepter les conditions d’utilisation pour vous inscrire."),
    # (a local authority is named by its official code; the list gives its name)
    ("organisation_code", {"organisation": "", "organisation_code": ""}, "Ce champ est obligatoire."),
    ("organisation_code", {"organisation_code": "Lyon"}, None),
    ("phone", {"phone": "appelez-moi"}, None),
]


@pytest.mark.parametrize("field,change,message", BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_registration_is_answered_next_to_the_field_and_creates_nothing(client, field, change, message):
    response = client.post("/accounts/signup/?groupe=collectivites", {**REGISTRATION, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert 'class="fr-error-text"' in response.content.decode()
    assert not User.objects.filter(username=REGISTRATION["username"]).exists()
    assert MemberProfile.objects.count() == 0
    assert mail.outbox == []


def test_taken_username_and_email_are_named(client):
    MemberFactory(username="ines.roux", email="autre@example.org")
    MemberFactory(username="quelqun", email="ines.roux@lyon.example.org")
    response = client.post("/accounts/signup/?groupe=collectivites", REGISTRATION)
    errors = response.context["form"].errors
    assert errors["username"] == ["Un utilisateur porte déjà ce nom."]
    assert errors["email"] == ["Un membre est déjà inscrit avec cette adresse e-mail."]
    assert MemberProfile.objects.count() == 0


def test_embassy_registration_needs_the_country(client):
    data = {**REGISTRATION, "group": "ambassades", "organisation": "", "organisation_code": "", "country": ""}
    response = client.post("/accounts/signup/?groupe=ambassades", data)
    assert "country" in response.context["form"].errors
    assert not User.objects.filter(username="ines.roux").exists()


def test_headless_bad_input_lists_each_field(client):
    response = client.post(
        "/_allauth/browser/v1/auth/signup",
        {"group": "inconnu", "username": "x", "email": "x@example.org", "password": "123", "terms": False},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {error["param"] for error in response.json()["errors"]}
    assert {"group", "password", "terms", "first_name", "last_name"} <= fields
    assert not User.objects.filter(username="x").exists()


def test_a_local_authority_registers_by_a_code_of_the_official_list(client):
    data = {**REGISTRATION, "organisation": "", "organisation_code": "26999"}  # no such commune in the Drôme
    response = client.post("/accounts/signup/?groupe=collectivites", data)
    assert response.context["form"].errors["organisation_code"] == [
        "Aucune collectivité française n’a ce code officiel (Etalab, découpage administratif 6.0.0) : "
        "vérifiez-le, ou écrivez à la DAECT."
    ]
    assert not MemberProfile.objects.exists()
    response = client.post("/accounts/signup/?groupe=collectivites", {**data, "organisation_code": "26198"})
    assert response.status_code == 302
    assert (MemberProfile.objects.get().organisation, MemberProfile.objects.get().organisation_code) == (
        "Montélimar",  # the name, from the list
        "26198",
    )


@pytest.mark.parametrize(
    ("typed", "kept", "name"),
    [
        ("200 046 977", "200046977", "Métropole de Lyon"),  # an EPCI by its SIREN
        ("21260198300016", "26198", "Montélimar"),  # a commune by a SIRET of its own
        ("r84", "R84", "Auvergne-Rhône-Alpes"),  # a région
        ("D2A", "D2A", "Corse-du-Sud"),  # a département
    ],
)
def test_every_kind_of_local_authority_is_found_by_its_codes(client, typed, kept, name):
    data = {**REGISTRATION, "organisation": "", "organisation_code": typed}
    assert client.post("/accounts/signup/?groupe=collectivites", data).status_code == 302
    profile = MemberProfile.objects.get()
    assert (profile.organisation_code, profile.organisation) == (kept, name)


def test_a_prefecture_registers_with_its_region(client):
    data = {**REGISTRATION, "group": "prefectures", "organisation": "Préfecture de la région Bretagne"}
    data.pop("organisation_code")
    form = text(client.get("/accounts/signup/?groupe=prefectures"))
    assert 'name="region"' in form and '<option value="53">Bretagne</option>' in form
    assert 'name="region"' not in text(client.get("/accounts/signup/?groupe=ong"))

    response = client.post("/accounts/signup/?groupe=prefectures", data)
    assert response.context["form"].errors["region"] == ["Ce champ est obligatoire."]
    response = client.post("/accounts/signup/?groupe=prefectures", {**data, "region": "99"})
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="ines.roux").exists()

    response = client.post("/accounts/signup/?groupe=prefectures", {**data, "region": "53"})
    assert response.status_code == 302
    assert MemberProfile.objects.get().region == "53"


def test_the_headless_signup_of_a_prefecture_needs_the_region(client):
    body = {
        "group": "prefectures",
        "username": "prefet",
        "email": "prefet@bretagne.example.org",
        "password": PASSWORD,
        "first_name": "Yann",
        "last_name": "Le Goff",
        "organisation": "Préfecture de la région Bretagne",
        "terms": True,
    }
    response = client.post("/_allauth/browser/v1/auth/signup", body, content_type="application/json")
    assert response.status_code == 400
    assert {error["param"] for error in response.json()["errors"]} == {"region"}
    response = client.post(
        "/_allauth/browser/v1/auth/signup", {**body, "region": "53"}, content_type="application/json"
    )
    assert response.status_code == 401  # signed up; the e-mail is to be verified before logging in
    assert MemberProfile.objects.get().region == "53"


def test_the_terms_accepted_at_registration_and_the_privacy_notice_are_linked(client):
    from atlas_pages.editorial.pages import StandardPage
    from atlas_pages.editorial.site_settings import LegalSettings
    from tests.factories import add_page, home_page

    form = text(client.get("/accounts/signup/?groupe=ong"))
    assert 'id="legal-pages"' not in form  # none chosen yet: no link to nowhere
    terms = add_page(home_page(), StandardPage, title="Conditions d'utilisation", intro="Les règles.")
    privacy = add_page(home_page(), StandardPage, title="Données personnelles", intro="Vos droits.")
    chosen = LegalSettings.load()  # as editors do in Settings
    chosen.terms_page, chosen.privacy_page = terms, privacy
    chosen.save()

    form = text(client.get("/accounts/signup/?groupe=ong"))
    assert f'href="{terms.url}"' in form and f'href="{privacy.url}"' in form
    assert "Lire les conditions d’utilisation de l’extranet" in form
    footer = text(client.get("/"))
    assert f'href="{terms.url}">Conditions d’utilisation</a>' in footer
    assert f'href="{privacy.url}">Données personnelles</a>' in footer
    assert "Vos droits." in text(client.get(privacy.url))

    privacy.unpublish()  # an unpublished page is not linked
    assert f'href="{privacy.url}"' not in text(client.get("/accounts/signup/?groupe=ong"))
