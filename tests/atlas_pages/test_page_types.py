"""Editors create each page type in the Wagtail admin; the API serialises every field."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from atlas_pages.models import (
    ArticlePage,
    CountryZoomPage,
    GoodPracticePage,
    RubricIndexPage,
    StandardPage,
    TestimonyPage,
    Theme,
)
from tests.factories import add_page, add_rubric, home_page

pytestmark = pytest.mark.django_db


def admin_add(client, model, parent, fields: dict):
    url = f"/admin/pages/add/atlas_pages/{model.__name__.lower()}/{parent.pk}/"
    multiple = {name: value for name, value in fields.items() if isinstance(value, list)}
    single = {name: value for name, value in fields.items() if name not in multiple}
    return client.post(url, {**nested_form_data({"action-publish": "publish", **single}), **multiple})


def body(text: str):
    return streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])


def editorial_fields(title: str, slug: str) -> dict:
    return {"title": title, "slug": slug, "date": "2026-11-12", "teaser": f"Chapô {title}", "body": body("Corps")}


@pytest.fixture
def rubric(db):
    return add_rubric("Témoignages", kind="testimonies")


@pytest.fixture
def portrait(db):
    return Image.objects.create(title="Portrait", file=get_test_image_file())


def test_editor_creates_a_rubric(staff_client):
    response = admin_add(
        staff_client,
        RubricIndexPage,
        home_page(),
        {
            "title": "Bonnes pratiques",
            "slug": "bonnes-pratiques",
            "kind": "good_practices",
            "intro": "",
            "per_page": 12,
        },
    )
    assert response.status_code == 302, response.content[:3000]
    french = RubricIndexPage.objects.get(slug="bonnes-pratiques", locale__language_code="fr")
    assert french.live
    # The English site has it at once, as the French page until someone translates it.
    english = RubricIndexPage.objects.get(slug="bonnes-pratiques", locale__language_code="en")
    assert english.alias_of_id == french.pk and english.live


def test_editor_creates_a_testimony(staff_client, rubric, portrait):
    fields = editorial_fields("Parole d'ambassadeur", "parole")
    fields.update(
        person_name="Christine Fages",
        person_role="Ambassadrice de France au Sénégal",
        kind="ambassador",
        portrait=portrait.pk,
        pull_quote="La coopération décentralisée est un atout.",
        country="SN",
        themes=[Theme.objects.get(slug="eau-assainissement").pk],
    )
    response = admin_add(staff_client, TestimonyPage, rubric, fields)
    assert response.status_code == 302, response.content[:3000]
    page = TestimonyPage.objects.get(slug="parole", locale__language_code="fr")
    assert (page.country, page.person_name, page.live) == ("SN", "Christine Fages", True)
    assert [theme.slug for theme in page.themes.all()] == ["eau-assainissement"]


def test_editor_creates_a_country_zoom_with_a_map_point(staff_client, rubric):
    fields = editorial_fields("Zoom sur le Bénin", "zoom-benin")
    fields.update(
        country="BJ",
        location="SRID=4326;POINT(2.3158 9.3077)",
        key_figures=streamfield([("figure", {"value": "42", "label": "partenariats", "source": ""})]),
    )
    response = admin_add(staff_client, CountryZoomPage, rubric, fields)
    assert response.status_code == 302, response.content[:3000]
    assert (
        CountryZoomPage.objects.get(slug="zoom-benin", locale__language_code="fr").key_figures[0].value["value"] == "42"
    )


def test_country_zoom_without_country_is_refused_with_the_field_named(staff_client, rubric):
    fields = editorial_fields("Zoom sans pays", "zoom-sans-pays")
    fields.update(country="", location="", key_figures=streamfield([]))
    response = admin_add(staff_client, CountryZoomPage, rubric, fields)
    assert response.status_code == 200
    assert "Choisissez le pays dont traite ce zoom." in response.content.decode()
    assert not CountryZoomPage.objects.filter(slug="zoom-sans-pays").exists()


def test_editor_creates_a_good_practice(staff_client, rubric):
    fields = editorial_fields("Eau potable à Mopti", "eau-mopti")
    fields.update(authority="Région Grand Est", country="ML", themes=[Theme.objects.get(slug="eau-assainissement").pk])
    response = admin_add(staff_client, GoodPracticePage, rubric, fields)
    assert response.status_code == 302, response.content[:3000]
    assert GoodPracticePage.objects.get(slug="eau-mopti", locale__language_code="fr").authority == "Région Grand Est"


def test_editor_creates_a_targeted_news_article(staff_client, rubric):
    embassies = Group.objects.get(actor_group__slug="ambassades")
    fields = editorial_fields("Appel à projets 2027", "appel-2027")
    fields.update(tags="appel, cofinancement", country="", target_groups=[embassies.pk])
    response = admin_add(staff_client, ArticlePage, rubric, fields)
    assert response.status_code == 302, response.content[:3000]
    page = ArticlePage.objects.get(slug="appel-2027", locale__language_code="fr")
    assert sorted(tag.name for tag in page.tags.all()) == ["appel", "cofinancement"]
    assert list(page.target_groups.all()) == [embassies]


def test_editor_creates_a_standard_page(staff_client):
    response = admin_add(
        staff_client,
        StandardPage,
        home_page(),
        {"title": "Mentions légales", "slug": "mentions", "intro": "", "body": body("Texte")},
    )
    assert response.status_code == 302, response.content[:3000]


def test_unknown_country_code_is_refused(rubric):
    page = TestimonyPage(title="X", slug="x", teaser="t", person_name="A", person_role="B", country="XX")
    with pytest.raises(Exception) as error:
        page.full_clean()
    assert "country" in error.value.message_dict


# --- API output ------------------------------------------------------------------------------


def api_detail(client, page):
    response = client.get(f"/api/pages/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_testimony_in_the_api(client, rubric, portrait):
    page = add_page(
        rubric,
        TestimonyPage,
        title="Parole d'élue",
        teaser="Chapô",
        person_name="Marie Dupont",
        person_role="Maire de Lyon",
        kind="elected",
        portrait=portrait,
        pull_quote="Agir ensemble.",
        country="VN",
        date=dt.date(2026, 11, 3),
        body=[("paragraph", f'<p>Voir <a linktype="page" id="{rubric.pk}">la rubrique</a>.</p>')],
    )
    data = api_detail(client, page)
    assert data["type"] == "atlas_pages.TestimonyPage"
    assert data["date"] == "2026-11-03"
    assert data["country"] == {"code": "VN", "name": "Viêt Nam"}
    fields = data["fields"]
    assert fields["person_name"] == "Marie Dupont"
    assert fields["kind"] == "elected"
    assert fields["portrait"]["renditions"]["thumbnail"]["url"].startswith("http://testserver/media/images/")
    assert fields["portrait"]["renditions"]["thumbnail"]["width"] == 400
    # Rich text with resolved links, not Wagtail's database format.
    assert 'href="/temoignages/"' in fields["body"][0]["value"]
    assert "linktype" not in fields["body"][0]["value"]


def test_country_zoom_in_the_api(client, rubric):
    page = add_page(
        rubric,
        CountryZoomPage,
        title="Zoom Maroc",
        teaser="Chapô",
        country="MA",
        location="SRID=4326;POINT(-7.09 31.79)",
        key_figures=[("figure", {"value": "120", "label": "projets", "source": "Atlas"})],
    )
    fields = api_detail(client, page)["fields"]
    assert fields["location"] == {"lat": 31.79, "lng": -7.09}
    assert fields["key_figures"][0]["value"] == {"value": "120", "label": "projets", "source": "Atlas"}


def test_article_in_the_api_in_english(client, rubric):
    page = add_page(
        rubric,
        ArticlePage,
        title="Brève",
        teaser="Chapô",
        body=[("quote", {"text": "Citation", "author": "X", "role": ""})],
    )
    page.themes.set(Theme.objects.filter(slug="numerique"))
    page.tags.add("numérique")
    page.save_revision().publish()
    data = client.get(f"/api/pages/{page.pk}/", headers={"accept-language": "en"}).json()
    assert data["themes"] == [{"slug": "numerique", "name": "Digital"}]
    assert data["fields"]["tags"] == ["numérique"]
    assert data["fields"]["body"][0]["type"] == "quote"
    assert data["fields"]["body"][0]["value"]["text"] == "Citation"


def test_good_practice_and_rubric_in_the_api(client, rubric):
    page = add_page(
        rubric, GoodPracticePage, title="Bonne pratique", teaser="Chapô", authority="Ville de Nantes", country="SN"
    )
    assert api_detail(client, page)["fields"]["authority"] == "Ville de Nantes"
    rubric_data = api_detail(client, rubric)
    assert rubric_data["type"] == "atlas_pages.RubricIndexPage"
    assert rubric_data["fields"]["kind"] == "testimonies"
    assert rubric_data["parent_id"] == home_page().pk
