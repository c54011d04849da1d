from types import SimpleNamespace

import pytest
from django.test import Client

from tests.factories import MemberFactory, add_article, add_rubric, padlock

SECRET = "Confidentiel-{}"


@pytest.fixture
def news(db):
    """A news rubric with a public article, one for any member, one for local authorities only,
    and a sub-section padlocked for embassies whose article inherits the padlock."""
    rubric = add_rubric("Actualités")
    public = add_article(rubric, "Article public", body="Le texte public sur Dakar")
    members = add_article(rubric, "Article membres", body=SECRET.format("membres"), teaser="Réservé aux membres.")
    padlock(members)
    local = add_article(rubric, "Article collectivités", body=SECRET.format("collectivites"), teaser="Pour les élus.")
    padlock(local, "collectivites")
    embassies_rubric = add_rubric("Réservé ambassades", slug="reserve-ambassades")
    padlock(embassies_rubric, "ambassades")
    embassy = add_article(embassies_rubric, "Note diplomatique", body=SECRET.format("ambassades"), teaser="Une note.")
    return SimpleNamespace(
        rubric=rubric, public=public, members=members, local=local, embassies=embassies_rubric, embassy=embassy
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def readers(db):
    """anonymous, a local authority member, an embassy member, a member of another group, staff."""
    return {
        "anonymous": client_for(None),
        "collectivites": client_for(MemberFactory(username="elu", groups=["collectivites"])),
        "ambassades": client_for(MemberFactory(username="diplomate", groups=["ambassades"])),
        "ong": client_for(MemberFactory(username="ong", groups=["ong"])),
        "staff": client_for(MemberFactory(username="daect", is_staff=True)),
    }
