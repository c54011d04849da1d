"""Schemathesis against /api/openapi.json, in process: every operation is called with generated
data, anonymously and as a member; none may answer 500, and every response must match the
schema documented for its status."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from cncd.wsgi import application
from tests.factories import PASSWORD, MemberFactory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI app, whose end closes the database connection; the
    test's transaction lives on it (Django's test client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    _keep_connections()
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _keep_connections() -> None:
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


@pytest.fixture
def member_token(db):
    """An app session token of a verified member (allauth headless)."""
    from django.test import Client

    member = MemberFactory(username="fuzz-member", groups=["collectivites"])
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"username": member.username, "password": PASSWORD},
        content_type="application/json",
    )
    _keep_connections()  # Django's test client connected them again
    return login.json()["meta"]["session_token"]


@schema.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_anonymous_calls(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_member_calls(case, member_token):
    case.call_and_validate(headers={"X-Session-Token": member_token}, checks=CHECKS)
