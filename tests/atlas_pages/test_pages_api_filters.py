"""/api/pages/ filters, ordering and pagination, with field errors for bad values."""

import datetime as dt

import pytest

from atlas_pages.models import CountryZoomPage, GoodPracticePage, TestimonyPage
from tests.factories import add_article, add_page, add_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    news = add_rubric("Actualités")
    zooms = add_rubric("Zoom sur un pays", kind="country_zooms")
    october = add_article(news, "Octobre", date=dt.date(2026, 10, 20), themes=["numerique"], country="SN")
    november = add_article(news, "Novembre", date=dt.date(2026, 11, 2), themes=["tourisme"])
    zoom = add_page(
        zooms, CountryZoomPage, title="Zoom Sénégal", teaser="Le Sénégal", country="SN", date=dt.date(2026, 11, 9)
    )
    practice = add_page(
        zooms, GoodPracticePage, title="Bonne pratique", teaser="Eau", country="ML", date=dt.date(2026, 9, 1)
    )
    testimony = add_page(
        news,
        TestimonyPage,
        title="Témoignage",
        teaser="Parole",
        person_name="A",
        person_role="B",
        date=dt.date(2026, 11, 30),
    )
    return {
        "news": news,
        "zooms": zooms,
        "october": october,
        "november": november,
        "zoom": zoom,
        "practice": practice,
        "testimony": testimony,
    }


def ids(client, **params):
    response = client.get("/api/pages/", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_filter_by_type_like_wagtail(pages, client):
    assert ids(client, type="atlas_pages.CountryZoomPage") == [pages["zoom"].pk]
    both = set(ids(client, type="atlas_pages.countryzoompage,atlas_pages.GoodPracticePage"))
    assert both == {pages["zoom"].pk, pages["practice"].pk}


def test_filter_by_rubric(pages, client):
    assert set(ids(client, rubric=pages["zooms"].pk)) == {pages["zoom"].pk, pages["practice"].pk}


def test_filter_by_month(pages, client):
    november = set(ids(client, month="2026-11"))
    assert november == {pages["november"].pk, pages["zoom"].pk, pages["testimony"].pk}


def test_filter_by_theme_and_country(pages, client):
    assert ids(client, theme="numerique") == [pages["october"].pk]
    assert set(ids(client, country="sn")) == {pages["october"].pk, pages["zoom"].pk}
    assert ids(client, country="SN", type="atlas_pages.ArticlePage") == [pages["october"].pk]


def test_ordering_by_date_and_title(pages, client):
    dated = [pages[name].pk for name in ("testimony", "zoom", "november", "october", "practice")]
    assert ids(client, ordering="-date", month="2026-11") == dated[:3]
    assert ids(client, ordering="date", rubric=pages["zooms"].pk) == [pages["practice"].pk, pages["zoom"].pk]
    titles = [
        item["title"]
        for item in client.get("/api/pages/", {"ordering": "title", "rubric": pages["news"].pk}).json()["items"]
    ]
    assert titles == sorted(titles)


def test_pagination_counts_everything_and_slices(pages, client):
    first = client.get("/api/pages/", {"limit": 2, "offset": 0, "ordering": "title"}).json()
    second = client.get("/api/pages/", {"limit": 2, "offset": 2, "ordering": "title"}).json()
    assert first["count"] == second["count"] >= 7
    assert (first["limit"], first["offset"], len(first["items"])) == (2, 0, 2)
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}


def test_search_combines_with_filters(pages, client):
    assert ids(client, search="Sénégal") == [pages["zoom"].pk]
    assert ids(client, search="Sénégal", type="atlas_pages.ArticlePage") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "atlas_pages.Nope"}, "type"),
        ({"month": "novembre"}, "month"),
        ({"month": "2026-13"}, "month"),
        ({"ordering": "hasard"}, "ordering"),
        ({"rubric": "abc"}, "rubric"),
        ({"rubric": 999999}, "rubric"),
        ({"limit": 1000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"country": "FRA"}, "country"),
    ],
)
def test_bad_filters_name_the_field(pages, client, params, field):
    response = client.get("/api/pages/", params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["field"] for error in errors] == [field]
    assert all(error["msg"] for error in errors)


def test_list_query_count_is_pinned(pages, client, django_assert_max_num_queries):
    client.get("/api/pages/")
    with django_assert_max_num_queries(10):
        response = client.get("/api/pages/", {"limit": 50})
    assert response.json()["count"] >= 7
