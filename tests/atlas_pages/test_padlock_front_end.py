"""In the browser the padlock shows the teaser and a login invitation, then brings the member back."""

from html import unescape

import pytest

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def test_visitor_sees_teaser_and_login_invitation_not_the_body(news, client):
    response = client.get(news.local.url)
    html = unescape(response.text)
    assert response.status_code == 200
    assert news.local.title in html
    assert news.local.teaser in html
    assert "Confidentiel" not in html
    assert "Il vous sera demandé de vous identifier" in html
    assert f"/accounts/login/?next={news.local.url}" in html
    assert "no-cache" in response["Cache-Control"]


def test_member_of_another_group_is_told_which_groups_may_read(news, readers):
    response = readers["ong"].get(news.local.url)
    html = unescape(response.text)
    assert response.status_code == 403
    assert "Confidentiel" not in html
    assert "Collectivités territoriales" in html


@pytest.mark.parametrize("reader", ["collectivites", "staff"])
def test_admitted_member_reads_the_body(news, readers, reader):
    response = readers[reader].get(news.local.url)
    assert response.status_code == 200
    assert "Confidentiel-collectivites" in response.text


def test_section_padlock_covers_its_articles(news, readers):
    assert "Confidentiel-ambassades" not in readers["collectivites"].get(news.embassy.url).text
    assert "Confidentiel-ambassades" in readers["ambassades"].get(news.embassy.url).text


def test_login_brings_the_member_back_to_the_article(news, client):
    MemberFactory(username="maire", groups=["collectivites"])
    response = client.post(
        f"/accounts/login/?next={news.local.url}", {"login": "maire", "password": PASSWORD, "next": news.local.url}
    )
    assert response.status_code == 302
    assert response["Location"] == news.local.url
    assert "Confidentiel-collectivites" in client.get(news.local.url).text


def test_rubric_listing_shows_padlocks_and_teasers_only(news, client, readers):
    html = unescape(client.get(news.rubric.url).text)
    assert "Novembre 2026" in html
    for page in (news.public, news.members, news.local):
        assert page.title in html
        assert page.teaser in html
    assert html.count("fr-icon-lock-line fr-icon--sm") == 2
    assert "Confidentiel" not in html
    member_html = readers["collectivites"].get(news.rubric.url).text
    assert member_html.count("fr-icon-lock-line fr-icon--sm") == 0


def test_rubric_listing_query_count_is_constant(news, client, django_assert_max_num_queries):
    client.get(news.rubric.url)
    with django_assert_max_num_queries(20):
        assert client.get(news.rubric.url).status_code == 200


def test_home_cards_show_the_padlock_of_reserved_pages(news, client, readers):
    """The home shows each rubric's latest page: its title and teaser for all, the padlock marked."""

    def cards(reader) -> str:
        return unescape(reader.get("/").text).split('id="home-latest"')[1].split("</section>")[0]

    anonymous = cards(client)
    assert "Article collectivités" in anonymous and "Note diplomatique" in anonymous
    assert anonymous.count("fr-icon-lock-line fr-icon--sm") == 2
    assert "Confidentiel" not in anonymous
    assert cards(readers["ambassades"]).count("fr-icon-lock-line fr-icon--sm") == 1
    assert cards(readers["staff"]).count("fr-icon-lock-line fr-icon--sm") == 0


def test_header_search_form_leads_to_the_search_page(news, client):
    html = client.get("/").text
    assert 'action="/recherche/"' in html
    assert "Article public" in unescape(client.get("/recherche/", {"q": "public"}).text)
