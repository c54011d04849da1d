"""The reference front end, the admin and the API docs answer as a visitor expects."""

from html import unescape

import pytest
from wagtail.models import Site

from atlas_pages.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def test_home_page_has_dsfr_header_skip_links_login_and_contact(client):
    response = client.get("/")
    assert response.status_code == 200
    html = unescape(response.text)
    assert 'class="fr-header"' in html
    assert "CNCD à la carte" in html
    assert 'href="#content"' in html and 'id="content"' in html
    assert "/accounts/login/?next=/" in html
    # The contact block of the brochure, in the footer.
    assert "57, boulevard des Invalides – 75007 Paris 07SP" in html
    assert "Délégation pour l'action extérieure des collectivités territoriales (DAECT)" in html
    assert "01 53 69 34 41" in html


def test_navigation_lists_the_pages_editors_put_in_menus(client, home):
    shown = home.add_child(instance=StandardPage(title="Bonnes pratiques", slug="bonnes-pratiques", show_in_menus=True))
    home.add_child(instance=StandardPage(title="Mentions légales", slug="mentions", show_in_menus=False))
    response = client.get(shown.url)
    nav = response.text.split('id="header-navigation"')[1].split("</nav>")[0]
    assert "Bonnes pratiques" in nav
    assert 'aria-current="page"' in nav
    assert "Mentions légales" not in nav


def test_logged_in_member_sees_personal_space_link(member_client):
    html = member_client.get("/").text
    assert "/espace-personnel/" in html
    assert "Mon espace personnel" in html
    assert member_client.get("/espace-personnel/").status_code == 200


def test_personal_space_sends_visitors_to_login(client):
    response = client.get("/espace-personnel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_wagtail_admin_needs_login_and_django_admin_is_not_exposed(client, staff_client):
    assert client.get("/admin/").status_code == 302
    assert staff_client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 404


def test_api_docs_and_openapi_are_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "CNCD à la carte"
    assert "/api/me/" in schema["paths"]
    assert "/api/groups/" in schema["paths"]


def test_site_endpoint_gives_navigation_and_contact(client, home):
    home.add_child(instance=StandardPage(title="Atlas", slug="atlas", show_in_menus=True))
    data = client.get("/api/site/").json()
    assert [item["title"] for item in data["navigation"]] == ["Atlas"]
    assert data["navigation"][0]["url"] == "/atlas/"
    assert data["contact"]["phone"] == "01 53 69 34 41"
    assert data["language"] == "fr"


def test_pages_are_found_by_wagtail_search(home):
    home.add_child(instance=StandardPage(title="Jumelages franco-sénégalais", slug="jumelages", intro="Dakar"))
    results = StandardPage.objects.live().search("jumelages")
    assert [page.slug for page in results] == ["jumelages"]


def test_unknown_page_is_a_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_site_changes_are_seen_at_once(client):
    assert client.get("/api/site/").json()["name"] == "CNCD à la carte"
    site = Site.objects.get(is_default_site=True)
    site.site_name = "CNCD — préproduction"
    site.save()
    assert client.get("/api/site/").json()["name"] == "CNCD — préproduction"
