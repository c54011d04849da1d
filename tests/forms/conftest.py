from types import SimpleNamespace

import pytest
from django.test import Client

from tests.factories import UserFactory, add_call, member_of_authority, member_with_profile


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def call(db):
    return add_call(required_opinions=[("ambassades", 30), ("prefectures", 20)])


@pytest.fixture
def people(db):
    """Who takes part: Lyon (two members), Rennes, the embassy in Senegal and the one in Viet
    Nam, the prefectures of Auvergne-Rhône-Alpes and of Brittany, a ministry, an NGO, staff."""
    users = SimpleNamespace(
        lyon=member_of_authority("maire-lyon", "69123", "Lyon"),
        lyon_colleague=member_of_authority("adjointe-lyon", "69123", "Lyon"),
        rennes=member_of_authority("maire-rennes", "35238", "Rennes", region="Bretagne"),
        embassy_sn=member_with_profile("ambassade-sn", "ambassades", country="SN"),
        embassy_vn=member_with_profile("ambassade-vn", "ambassades", country="VN"),
        prefecture_ara=member_with_profile("prefecture-ara", "prefectures", region="84"),
        prefecture_bzh=member_with_profile("prefecture-bzh", "prefectures", region="53"),
        ministry=member_with_profile("ministere", "ministeres-operateurs"),
        ngo=member_with_profile("ong", "ong"),
        staff=UserFactory(username="instructeur", is_staff=True, is_superuser=True),
    )
    return SimpleNamespace(users=users, **{name: client_for(user) for name, user in vars(users).items()})


COMPLETE = {
    "title": "Eau potable à Dakar",
    "partner_name": "Ville de Dakar",
    "partner_country": "SN",
    "themes": ["eau-assainissement"],
    "description": "Raccorder trois quartiers au réseau d'eau potable.",
    "objectives": "10 000 habitants raccordés.",
    "start_year": 2027,
    "duration_years": 1,
    "budget": [
        {"kind": "expense", "label": "Travaux", "amount": "80000"},
        {"kind": "expense", "label": "Formation", "amount": "20000"},
        {"kind": "resource", "label": "Ville de Lyon", "source": "own", "amount": "50000"},
        {"kind": "resource", "label": "MEAE", "source": "requested", "amount": "40000"},
        {"kind": "resource", "label": "Ville de Dakar", "source": "partner", "amount": "10000"},
    ],
    "contacts": [{"name": "Inès Roux", "role": "Chargée de mission", "email": "ines.roux@lyon.example.org"}],
}
