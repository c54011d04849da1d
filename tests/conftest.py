import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import MemberFactory, UserFactory
from tests.permissions import PRINCIPALS, Principal, make_principal


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (remembered sites, rate limits)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    """A verified member of the `collectivites` group."""
    return MemberFactory(groups=["collectivites"])


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture(params=PRINCIPALS)
def principal(request, db) -> Principal:
    """Each of: anonymous, a member of each of the nine groups, staff (see tests/permissions.py)."""
    return make_principal(request.param)
