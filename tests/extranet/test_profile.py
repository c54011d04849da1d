"""“Vérifier mes informations personnelles”: username, details, e-mail (re-verified), password,
group change requests that go back to staff, in the API and the pages."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from extranet.models import ActorGroup, GroupChangeRequest, MemberProfile
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def embassy_member(db):
    user = MemberFactory(username="diplomate", email="diplomate@example.org", groups=["ambassades"])
    MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug="ambassades"),
        organisation="Ambassade de France — Sénégal",
        country="SN",
        status=MemberProfile.Status.APPROVED,
    )
    return user


@pytest.fixture
def embassy_client(embassy_member):
    client = Client()
    client.force_login(embassy_member)
    return client


def patch(client, body):
    return client.patch("/api/me/", body, content_type="application/json")


def test_me_shows_the_registration_and_details(embassy_client):
    me = embassy_client.get("/api/me/").json()
    assert me["username"] == "diplomate"
    assert me["organisation"] == "Ambassade de France — Sénégal"
    assert me["country"] == "SN"
    assert me["registration"]["group"] == {"slug": "ambassades", "name": "Ambassades"}
    assert me["registration"]["status"] == "approved"


def test_patch_changes_only_what_is_sent(embassy_client, embassy_member):
    response = patch(embassy_client, {"username": "Consul-Dakar", "position": "Consul", "phone": "+221 33 839 51 00"})
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["position"], body["phone"]) == ("Consul-Dakar", "Consul", "+221 33 839 51 00")
    assert body["country"] == "SN" and body["last_name"] == "Martin"
    embassy_member.refresh_from_db()
    assert embassy_member.username == "Consul-Dakar"


def test_a_taken_username_is_refused_whatever_the_case(embassy_client, embassy_member):
    MemberFactory(username="prefet")
    response = patch(embassy_client, {"username": "PREFET", "position": "Consul"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["username"]
    assert response.json()["detail"][0]["msg"] == "Un utilisateur porte déjà ce nom."
    embassy_member.refresh_from_db()
    assert embassy_member.username == "diplomate"
    assert embassy_member.member_profile.position == ""  # nothing saved when a field is at fault


def test_changing_only_the_case_of_ones_own_username_is_allowed(embassy_client):
    assert patch(embassy_client, {"username": "Diplomate"}).json()["username"] == "Diplomate"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"username": "avec espace"}, "username"),
        ({"username": ""}, "username"),
        ({"country": ""}, "country"),
        ({"country": "XX"}, "country"),
        ({"phone": "joignable le matin"}, "phone"),
        ({"first_name": "  "}, "first_name"),
        ({"civility": "dr"}, "civility"),
        ({"position": "x" * 256}, "position"),
    ],
)
def test_bad_profile_input_names_the_field(embassy_client, body, field):
    response = patch(embassy_client, body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["detail"]]


def test_profile_page_saves_and_shows_errors_next_to_fields(embassy_client, embassy_member):
    page = unescape(embassy_client.get("/espace-personnel/informations-personnelles/").content.decode())
    assert "Mes informations personnelles" in page and 'value="diplomate"' in page
    data = {
        "username": "diplomate",
        "civility": "m",
        "first_name": "Paul",
        "last_name": "Diallo",
        "organisation": "Ambassade de France — Sénégal",
        "country": "SN",
        "position": "Premier conseiller",
        "phone": "",
    }
    response = embassy_client.post("/espace-personnel/informations-personnelles/", data)
    assert response.status_code == 302
    embassy_member.refresh_from_db()
    assert embassy_member.get_full_name() == "Paul Diallo"
    assert embassy_member.member_profile.position == "Premier conseiller"

    response = embassy_client.post("/espace-personnel/informations-personnelles/", {**data, "phone": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Saisissez un numéro de téléphone, par exemple +33 1 53 69 30 00."
    ]
    assert 'class="fr-error-text"' in response.content.decode()


def test_a_new_email_address_is_verified_before_it_replaces_the_old(embassy_client, embassy_member):
    new_address = {"email": "consul@diplomatie.example.org"}
    response = embassy_client.post("/_allauth/browser/v1/account/email", new_address, content_type="application/json")
    assert response.status_code == 200
    embassy_member.refresh_from_db()
    assert embassy_member.email == "diplomate@example.org"  # not yet
    [verification] = [message for message in mail.outbox if "consul@diplomatie.example.org" in message.to]
    key = re.search(r"confirm-email/([^/\s]+)/", verification.body).group(1)

    response = embassy_client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    embassy_member.refresh_from_db()
    assert embassy_member.email == "consul@diplomatie.example.org"
    emails = embassy_client.get("/api/me/").json()["email"]
    assert emails == "consul@diplomatie.example.org"


def test_password_change_through_allauth(embassy_client, embassy_member):
    response = embassy_client.post(
        "/_allauth/browser/v1/account/password/change",
        {"current_password": "faux", "new_password": "Un-autre-mot-de-passe-2027"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "current_password"
    response = embassy_client.post(
        "/_allauth/browser/v1/account/password/change",
        {"current_password": PASSWORD, "new_password": "Un-autre-mot-de-passe-2027"},
        content_type="application/json",
    )
    assert response.status_code == 200
    embassy_member.refresh_from_db()
    assert embassy_member.check_password("Un-autre-mot-de-passe-2027")
    assert all("Un-autre-mot-de-passe-2027" not in message.body for message in mail.outbox)


# --- group change --------------------------------------------------------------------------------


def ask(client, group="collectivites", motivation="Je rejoins la mairie de Lyon."):
    # A local authority's member gives its official code (verified by staff with the request).
    code = {"organisation_code": "69123"} if group == "collectivites" else {}
    return client.post(
        "/api/me/group-requests/", {"group": group, "motivation": motivation, **code}, content_type="application/json"
    )


def test_group_change_goes_to_staff_and_moves_the_member(embassy_client, embassy_member, staff_client):
    response = embassy_client.post(
        "/api/me/group-requests/", {"group": "collectivites", "motivation": "Mairie."}, content_type="application/json"
    )
    assert response.status_code == 422  # a local authority's member names it by its official code
    assert response.json()["detail"][0]["field"] == "organisation_code"
    response = ask(embassy_client)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["group"]["slug"] == "collectivites"
    assert ask(embassy_client, group="ong").status_code == 409  # one pending request at a time

    request = GroupChangeRequest.objects.get()
    listing = unescape(staff_client.get("/admin/extranet/groupchangerequest/?status__exact=pending").content.decode())
    assert "diplomate" in listing
    decide = f"/admin/extranet/groupchangerequest/decide/{request.pk}/"
    assert "Je rejoins la mairie de Lyon." in unescape(staff_client.get(decide).content.decode())
    assert staff_client.post(decide, {"decision": "approve"}).status_code == 302

    me = embassy_client.get("/api/me/").json()
    assert [group["slug"] for group in me["groups"]] == ["collectivites"]
    assert me["registration"]["group"]["slug"] == "collectivites"
    assert mail.outbox[-1].subject == "Vous appartenez désormais au groupe « Collectivités territoriales »"
    [item] = embassy_client.get("/api/me/group-requests/").json()
    assert item["status"] == "approved"


def test_group_change_rejection_needs_a_reason_and_keeps_the_group(embassy_client, staff_client):
    ask(embassy_client)
    decide = f"/admin/extranet/groupchangerequest/decide/{GroupChangeRequest.objects.get().pk}/"
    response = staff_client.post(decide, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    staff_client.post(decide, {"decision": "reject", "reason": "Fonction non confirmée par la mairie."})

    me = embassy_client.get("/api/me/").json()
    assert [group["slug"] for group in me["groups"]] == ["ambassades"]
    assert "Fonction non confirmée par la mairie." in mail.outbox[-1].body
    page = unescape(embassy_client.get("/espace-personnel/changement-de-groupe/").content.decode())
    assert "Refusé" in page and "Fonction non confirmée par la mairie." in page


@pytest.mark.parametrize(
    "group,motivation,field", [("mairies", "x", "group"), ("ambassades", "x", "group"), ("ong", " ", "motivation")]
)
def test_bad_group_change_names_the_field(embassy_client, group, motivation, field):
    response = ask(embassy_client, group, motivation)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]
    assert not GroupChangeRequest.objects.exists()


def test_group_change_page(embassy_client):
    response = embassy_client.post(
        "/espace-personnel/changement-de-groupe/",
        {"group": "ong", "organisation": "Solidarité Sahel", "motivation": "Je rejoins une ONG."},
    )
    assert response.status_code == 302
    page = unescape(embassy_client.get(response["Location"]).content.decode())
    assert "Votre demande a été transmise à l’équipe de la CNCD" in page
    assert "ONG" in page and "En attente" in page


def test_a_prefecture_changes_its_region_within_the_list(db):
    user = MemberFactory(username="prefet", groups=["prefectures"])
    MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug="prefectures"),
        organisation="Préfecture de région",
        region="53",
        status=MemberProfile.Status.APPROVED,
    )
    client = Client()
    client.force_login(user)
    assert client.get("/api/me/").json()["region"] == "53"
    response = client.post(
        "/api/me/group-requests/", {"region": "99", "motivation": "Mutation."}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "region"
    response = client.post(
        "/api/me/group-requests/", {"region": "84", "motivation": "Mutation."}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["region"] == "84"
    assert patch(client, {"region": "84"}).status_code == 422  # verified: only staff's approval changes it
    assert 'name="region"' in client.get("/espace-personnel/informations-personnelles/").content.decode()
