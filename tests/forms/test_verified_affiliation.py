"""A membership nobody can grant themselves: the authority, country and region that decide
which dossiers a member sees are the values staff verified. A member who changes them directly
is refused, naming the field and saying how to ask; a request changes nothing until staff
approve it."""

import pytest

from extranet import services
from extranet.models import GroupChangeRequest, MemberProfile
from forms.permissions import Viewer
from tests.forms.conftest import COMPLETE
from tests.forms.test_dossier_visibility import create, submit

pytestmark = pytest.mark.django_db


def patch_me(client, body):
    return client.patch("/api/me/", body, content_type="application/json")


@pytest.fixture
def rennes_dossier(people, call):
    dossier = create(people.rennes, call, **{**COMPLETE, "title": "Patrimoine de Hué", "partner_country": "VN"})
    submit(people.rennes, dossier)
    return dossier["id"]


@pytest.mark.parametrize(
    ("who", "field", "value"),
    [("lyon", "organisation_code", "35238"), ("embassy_sn", "country", "VN"), ("prefecture_ara", "region", "53")],
)
def test_a_member_cannot_move_into_another_authority_country_or_region(people, rennes_dossier, who, field, value):
    client = getattr(people, who)
    assert client.get(f"/api/dossiers/{rennes_dossier}/").status_code == 404
    before = client.get("/api/me/").json()[field]

    response = patch_me(client, {field: value, "position": "Chargée de mission"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert "/api/me/group-requests/" in error["msg"] and "CNCD" in error["msg"]
    assert client.get("/api/me/").json()[field] == before
    assert client.get("/api/me/").json()["position"] == ""  # nothing of the change was saved
    assert client.get(f"/api/dossiers/{rennes_dossier}/").status_code == 404


def test_sending_the_verified_value_again_is_no_change(people):
    response = patch_me(people.lyon, {"organisation_code": "69123", "position": "Maire adjointe"})
    assert response.status_code == 200 and response.json()["position"] == "Maire adjointe"


def test_a_change_of_authority_is_a_request_that_only_staff_approval_applies(people, rennes_dossier):
    response = people.lyon.post(
        "/api/me/group-requests/",
        {"organisation_code": "35238", "organisation": "Rennes", "motivation": "J'ai rejoint la ville de Rennes."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    request = response.json()
    assert request["status"] == "pending" and request["group"]["slug"] == "collectivites"
    assert request["organisation_code"] == "35238"
    assert people.lyon.get(f"/api/dossiers/{rennes_dossier}/").status_code == 404  # not before staff decide

    item = GroupChangeRequest.objects.get(pk=request["id"])
    response = people.staff.post(
        f"/admin/extranet/groupchangerequest/decide/{item.pk}/", {"decision": "approve", "reason": ""}
    )
    assert response.status_code == 302
    assert people.lyon.get(f"/api/dossiers/{rennes_dossier}/").status_code == 200
    assert people.lyon.get("/api/me/").json()["organisation_code"] == "35238"


def test_a_request_is_checked_by_the_rules_of_the_group_asked_for(people):
    response = people.lyon.post(
        "/api/me/group-requests/",
        {"group": "ambassades", "motivation": "Je pars en poste."},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} == {"country"}
    response = people.lyon.post(
        "/api/me/group-requests/",
        {"organisation_code": "69123", "motivation": "Rien ne change."},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "group"


def test_a_rejected_request_leaves_the_verified_affiliation(people, rennes_dossier, staff_user):
    item = services.request_group_change(
        people.users.embassy_sn, None, "Nouveau poste à Hanoï.", country="VN", organisation="Ambassade à Hanoï"
    )
    services.reject_group_change(item, by=staff_user, reason="Aucune nomination connue.")
    assert people.embassy_sn.get(f"/api/dossiers/{rennes_dossier}/").status_code == 404
    assert people.embassy_sn.get("/api/me/").json()["country"] == "SN"


def test_permissions_read_only_an_approved_profile(people):
    user = people.users.lyon
    assert Viewer.of(user).authority_code == "69123"
    MemberProfile.objects.filter(user=user).update(status=MemberProfile.Status.PENDING)
    assert Viewer.of(type(user).objects.get(pk=user.pk)).authority_code == ""


def test_the_profile_page_shows_the_verified_values_without_letting_them_change(people):
    page = people.embassy_sn.get("/espace-personnel/informations-personnelles/").content.decode()
    assert 'name="country"' in page and "disabled" in page.split('name="country"')[1].split(">")[0]
    response = people.embassy_sn.post(
        "/espace-personnel/informations-personnelles/",
        {"username": "ambassade-sn", "first_name": "Awa", "last_name": "Diop", "country": "VN", "organisation": "X"},
    )
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user=people.users.embassy_sn)
    assert (profile.country, profile.organisation) == ("SN", "ambassades")
    assert people.users.embassy_sn.__class__.objects.get(pk=people.users.embassy_sn.pk).first_name == "Awa"
