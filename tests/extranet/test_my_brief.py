"""The brief of my group: the latest articles editors targeted to the member's groups, on the
personal-space home and in the API, new ones marked until the member opens them; a padlocked
item shows its title and teaser only."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import MemberFactory, add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def brief(db):
    rubric = add_rubric("Actualités")
    return {
        "older": add_article(
            rubric, "Appel à projets 2027", target_groups=["collectivites"], date=dt.date(2026, 10, 2)
        ),
        "newer": add_article(
            rubric, "Réunion des préfectures", target_groups=["collectivites", "prefectures"], date=dt.date(2026, 11, 3)
        ),
        "embassies": add_article(rubric, "Note aux ambassades", target_groups=["ambassades"]),
        "untargeted": add_article(rubric, "Article pour tous"),
    }


def items(client) -> list[tuple[str, bool]]:
    return [(item["title"], item["unread"]) for item in client.get("/api/me/brief/").json()["items"]]


def test_new_items_are_marked_until_opened(member_client, brief):
    assert items(member_client) == [("Réunion des préfectures", True), ("Appel à projets 2027", True)]
    assert member_client.get("/api/me/brief/").json()["unread"] == 2

    assert member_client.get(brief["newer"].url).status_code == 200  # opening the article on the site
    assert items(member_client) == [("Réunion des préfectures", False), ("Appel à projets 2027", True)]

    # A front end that shows the article itself marks it through the API.
    assert member_client.post(f"/api/me/brief/{brief['older'].pk}/read").status_code == 204
    assert member_client.get("/api/me/brief/").json()["unread"] == 0
    # An article outside the member's brief cannot be marked.
    response = member_client.post(f"/api/me/brief/{brief['embassies'].pk}/read")
    assert response.status_code == 404 and response.json()["detail"]


def test_each_group_has_its_own_brief(brief):
    prefecture = Client()
    prefecture.force_login(MemberFactory(groups=["prefectures"]))
    assert items(prefecture) == [("Réunion des préfectures", True)]
    ngo = Client()
    ngo.force_login(MemberFactory(groups=["ong"]))
    assert items(ngo) == []
    assert "Aucune actualité n'a encore été adressée à votre groupe." in ngo.get("/espace-personnel/").content.decode()


def test_a_padlocked_item_shows_its_teaser_only(member_client, brief):
    secret = add_article(
        add_rubric("Diplomatie", slug="diplomatie"),
        "Télégramme",
        body="Contenu diplomatique confidentiel",
        target_groups=["collectivites"],
        date=dt.date(2026, 11, 20),
    )
    padlock(secret, "ambassades")
    item = member_client.get("/api/me/brief/").json()["items"][0]
    assert (item["title"], item["locked"], item["teaser"]) == ("Télégramme", True, "Chapô de « Télégramme ».")
    assert "Contenu diplomatique" not in member_client.get("/api/me/brief/").content.decode()
    home = member_client.get("/espace-personnel/").content.decode()
    assert "Télégramme" in home and "Réservé" in home and "Contenu diplomatique" not in home
    # Opening it is refused by the padlock, and it does not count as read.
    member_client.get(secret.url)
    assert member_client.post(f"/api/me/brief/{secret.pk}/read").status_code == 404
    assert member_client.get("/api/me/brief/").json()["items"][0]["unread"] is True


def test_a_padlocked_article_of_the_group_is_marked_read_when_opened(member_client, brief):
    padlock(brief["older"], "collectivites")
    assert "Corps public" in member_client.get(brief["older"].url).content.decode()
    assert items(member_client) == [("Réunion des préfectures", True), ("Appel à projets 2027", False)]


def test_the_home_marks_new_items(member_client, brief):
    member_client.get(brief["older"].url)
    home = member_client.get("/espace-personnel/").content.decode()
    newer = home.index("Réunion des préfectures")
    older = home.index("Appel à projets 2027")
    assert newer < older  # newest first
    assert home.count("fr-badge--new") == 1 and home.index("fr-badge--new") < newer


def test_the_brief_costs_a_fixed_number_of_queries(member_client, django_assert_max_num_queries):
    rubric = add_rubric("Actualités")
    for number in range(12):
        add_article(rubric, f"Note {number}", target_groups=["collectivites"])
    with django_assert_max_num_queries(8):
        assert len(member_client.get("/api/me/brief/?limit=12").json()["items"]) == 12
