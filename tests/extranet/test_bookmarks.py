"""“Ajouter cet article à ma sélection”: add, annotate, reorder, remove; a page that goes away
stays listed as unavailable, without its content; nobody reaches another member's selection."""

import pytest

from tests.factories import add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(db):
    rubric = add_rubric("Actualités")
    return [add_article(rubric, f"Article {number}", body=f"Corps secret {number}") for number in range(1, 5)]


def add(client, page, note=""):
    return client.post("/api/me/bookmarks/", {"page_id": page.pk, "note": note}, content_type="application/json")


def selection(client):
    return client.get("/api/me/bookmarks/").json()


def test_add_annotate_reorder_remove(member_client, articles):
    for article in articles[:3]:
        assert add(member_client, article).status_code == 201
    first = selection(member_client)[0]
    assert (first["title"], first["available"], first["position"]) == ("Article 1", True, 1)
    assert first["url"] == "/actualites/article-1/" and first["teaser"] == "Chapô de « Article 1 »."

    response = member_client.patch(
        f"/api/me/bookmarks/{first['id']}/", {"note": "À relire", "position": 3}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["note"] == "À relire"
    assert [item["title"] for item in selection(member_client)] == ["Article 2", "Article 3", "Article 1"]
    assert [item["position"] for item in selection(member_client)] == [1, 2, 3]

    second = selection(member_client)[0]["id"]
    assert member_client.delete(f"/api/me/bookmarks/{second}/").status_code == 204
    assert [(item["title"], item["position"]) for item in selection(member_client)] == [
        ("Article 3", 1),
        ("Article 1", 2),
    ]


def test_bad_input_names_the_field(member_client, articles):
    assert add(member_client, articles[0]).status_code == 201
    assert add(member_client, articles[0]).status_code == 409
    response = member_client.post("/api/me/bookmarks/", {"page_id": 999999}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "page_id"
    response = add(member_client, articles[1], note="x" * 1001)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "note"
    mine = selection(member_client)[0]["id"]
    response = member_client.patch(f"/api/me/bookmarks/{mine}/", {"position": 0}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "position"


def test_padlocked_pages_only_when_admitted(member_client, articles):
    padlock(articles[0], "collectivites")  # the member's group
    padlock(articles[1], "ambassades")
    assert add(member_client, articles[0]).status_code == 201
    response = add(member_client, articles[1])
    assert response.status_code == 403
    assert "Corps secret" not in response.content.decode()


def test_pages_that_go_away_stay_listed_as_unavailable(member_client, articles):
    for article in articles:
        add(member_client, article, note=f"note {article.title}")
    articles[0].unpublish()
    articles[1].delete()
    padlock(articles[2], "ambassades")
    rows = {item["title"]: item for item in selection(member_client)}
    assert rows["Article 1"]["reason"] == "unpublished"
    assert rows["Article 2"]["reason"] == "deleted" and rows["Article 2"]["page_id"] is None
    assert rows["Article 3"]["reason"] == "locked"
    for title in ("Article 1", "Article 2", "Article 3"):
        assert rows[title]["available"] is False
        assert rows[title]["url"] == "" and rows[title]["teaser"] == ""
        assert rows[title]["note"] == f"note {title}"  # the member's own note stays
    assert rows["Article 4"]["available"] is True
    assert "Corps secret" not in str(rows)


def test_selection_costs_the_same_queries_for_few_or_many(member_client, articles, django_assert_max_num_queries):
    rubric = add_rubric("Témoignages", kind="testimonies", slug="temoignages")
    more = [add_article(rubric, f"Autre {number}") for number in range(12)]
    for article in [*articles, *more]:
        add(member_client, article)
    padlock(more[0], "ambassades")
    with django_assert_max_num_queries(8):
        assert len(selection(member_client)) == 16


def test_bookmarks_are_in_the_personal_data_export(member_client, articles):
    add(member_client, articles[0], note="pour le conseil municipal")
    data = member_client.get("/api/me/export/").json()
    assert data["bookmarks"][0]["title"] == "Article 1"
    assert data["bookmarks"][0]["note"] == "pour le conseil municipal"
