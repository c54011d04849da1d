"""Every API error is JSON {"detail": ...} with the right status, whatever raised it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI, Router, Schema
from ninja.testing import TestClient

from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from cncd.api import install_error_handlers

pytestmark = pytest.mark.django_db


def test_unknown_url_under_api_is_a_json_404(client):
    response = client.get("/api/no-such-thing/at/all")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_anonymous_caller_gets_401_from_member_endpoint(client):
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Vous devez vous connecter pour faire cela."}


def test_unknown_resource_is_a_json_404(client):
    response = client.get("/api/groups/no-such-group/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_malformed_json_body_is_a_400(member_client):
    response = member_client.patch("/api/me/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_field_error_names_the_field_and_keeps_the_profile(member, member_client):
    response = member_client.patch("/api/me/", data={"last_name": "x" * 151}, content_type="application/json")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "last_name"
    assert error["msg"] == "Ce texte est trop long."
    member.refresh_from_db()
    assert member.last_name == "Martin"


def test_valid_patch_changes_only_what_was_sent(member, member_client):
    response = member_client.patch("/api/me/", data={"first_name": "Aïssata"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Aïssata"
    assert response.json()["last_name"] == "Martin"
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Aïssata", "Martin")


class Payload(Schema):
    amount: int


@pytest.fixture
def error_api_client() -> TestClient:
    """A router whose endpoints raise each kind of error, behind the real handlers."""
    router = Router()

    @router.post("/conflict")
    def conflict(request):
        raise Conflict("Ce dossier a été modifié entre-temps.")

    @router.get("/forbidden")
    def forbidden(request):
        raise Forbidden()

    @router.get("/denied")
    def denied(request):
        raise PermissionDenied

    @router.get("/missing")
    def missing(request):
        raise NotFound()

    @router.post("/typed")
    def typed(request, payload: Payload):
        return {"amount": payload.amount}

    @router.post("/model")
    def model(request):
        raise DjangoValidationError({"email": ["Adresse invalide."]})

    api = NinjaAPI(urls_namespace="error-format-test")
    install_error_handlers(api)
    api.add_router("", router)
    return TestClient(api)


@pytest.mark.parametrize(
    ("method", "path", "status", "detail"),
    [
        ("post", "/conflict", 409, "Ce dossier a été modifié entre-temps."),
        ("get", "/forbidden", 403, "Vous n’êtes pas autorisé à faire cela."),
        ("get", "/denied", 403, "Vous n’êtes pas autorisé à faire cela."),
        ("get", "/missing", 404, "Introuvable."),
    ],
)
def test_domain_errors_map_to_their_status(error_api_client, method, path, status, detail):
    response = getattr(error_api_client, method)(path)
    assert response.status_code == status
    assert response.json() == {"detail": detail}


def test_type_error_in_body_is_a_422_naming_the_field(error_api_client):
    response = error_api_client.post("/typed", json={"amount": "beaucoup"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "amount"
    assert error["msg"] == "Saisissez un nombre entier."


def test_missing_field_is_reported_as_required(error_api_client):
    response = error_api_client.post("/typed", json={})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "amount"
    assert response.json()["detail"][0]["msg"] == "Ce champ est obligatoire."


def test_model_validation_error_names_the_field(error_api_client):
    response = error_api_client.post("/model")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "email", "loc": ["body", "email"], "type": "invalid", "msg": "Adresse invalide."}
    ]


@pytest.mark.parametrize("path", ["/api/calls/{id}/", "/api/newsletter/issues/{id}/", "/api/atlas/projects/{id}/"])
def test_an_id_beyond_what_the_database_stores_is_a_404_not_a_500(client, path):
    # Found by the API fuzzing: SQLite refuses an integer over 2^63 (OverflowError).
    response = client.get(path.format(id=193477488372485330000869851136))
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}
