"""HTTP caching as a front end (or a CDN in front of it) meets it: validators on the page and
Atlas APIs, 304 to a matching conditional request, public answers for what is the same for
everyone and private ones for what depends on the caller, an exact Vary, and stale answers
gone as soon as a page is published or the Atlas changes."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from atlas_pages.atlas.generate import generate
from atlas_pages.models import Country, Project
from tests.factories import MemberFactory, add_article, add_rubric, padlock

pytestmark = pytest.mark.django_db

ATLAS = ["/api/atlas/projects/?continent=afrique", "/api/atlas/facets/", "/api/atlas/projects.geojson",
         "/api/atlas/countries/", "/api/atlas/authorities/"]  # fmt: skip


@pytest.fixture
def atlas(db):
    generate(projects=30, authorities=40, countries=4, seed=7)
    return Project.objects.order_by("pk").first()


@pytest.fixture
def pages(db):
    rubric = add_rubric("Actualités")
    public = add_article(rubric, "Article public")
    local = add_article(rubric, "Article collectivités", body="Réservé aux élus")
    padlock(local, "collectivites")
    return public, local


def member_client() -> Client:
    client = Client()
    client.force_login(MemberFactory(groups=["collectivites"]))
    return client


@pytest.mark.parametrize("path", ATLAS)
def test_the_atlas_is_public_validated_and_revalidated(client, atlas, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Vary"] == "Accept-Language"

    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Vary"] == "Accept-Language"

    # The same answer for a member: the Atlas does not depend on who asks.
    member = member_client().get(path)
    assert member["ETag"] == etag and member["Cache-Control"] == "public, max-age=60"
    assert member["Vary"] == "Accept-Language" and member.content == first.content

    # Another language is another answer.
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert english["ETag"] != etag

    # A change in the Atlas: the old validator no longer holds.
    atlas.title = "Titre changé"
    atlas.save()
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_kept_answer_costs_no_query_and_a_304_none(client, atlas, django_assert_max_num_queries):
    path = "/api/atlas/facets/?continent=afrique"
    first = client.get(path)
    with django_assert_max_num_queries(0):
        kept = client.get(path)
    assert kept.content == first.content
    with django_assert_max_num_queries(0):
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_language_of_the_api_is_the_request_s_not_the_cookie_s(client, atlas):
    client.cookies["django_language"] = "en"
    french = client.get("/api/atlas/countries/")
    assert french["Content-Language"] == "fr"
    assert client.get("/api/atlas/countries/", {"locale": "en"})["Content-Language"] == "en"
    assert client.get("/api/atlas/countries/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_pages_are_public_for_visitors_and_private_for_members(client, pages):
    public, local = pages
    anonymous = client.get("/api/pages/")
    assert anonymous["Cache-Control"] == "public, max-age=60"
    assert anonymous["Vary"] == "Accept-Language, Cookie, X-Session-Token"

    member = member_client()
    mine = member.get("/api/pages/")
    assert mine["Cache-Control"] == "private, no-cache"
    assert mine["Vary"] == "Accept-Language, Cookie, X-Session-Token"
    assert mine["ETag"] != anonymous["ETag"]  # the same address, another reader
    assert member.get("/api/pages/", HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 304

    detail = member.get(f"/api/pages/{local.pk}/")
    assert detail.status_code == 200 and detail["Cache-Control"] == "private, no-cache"
    locked = client.get(f"/api/pages/{local.pk}/")
    assert locked.status_code == 401 and "ETag" not in locked  # a refusal is not validated

    # Answers about the caller stay out of every cache.
    assert "no-store" in member.get("/api/me/")["Cache-Control"]


@pytest.mark.parametrize("change", ["publish", "padlock", "unpublish"])
def test_publishing_makes_every_page_answer_stale(client, pages, change):
    public, local = pages
    paths = ["/api/pages/", f"/api/pages/{public.pk}/", f"/api/pages/find/?path={public.url}", "/api/site/"]
    before = {path: client.get(path)["ETag"] for path in paths}
    if change == "publish":
        public.title = "Nouveau titre"
        public.save_revision().publish()
    elif change == "padlock":
        padlock(public)
    else:
        local.unpublish()
    for path in paths:
        again = client.get(path, HTTP_IF_NONE_MATCH=before[path])
        assert again.status_code != 304, path


def test_a_draft_saved_changes_nothing_published(client, pages):
    public, _local = pages
    etag = client.get("/api/pages/")["ETag"]
    public.title = "Brouillon"
    public.save_revision()  # not published
    assert client.get("/api/pages/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_app_token_caller_is_validated_too(pages):
    logged_in = member_client()
    token = logged_in.cookies[settings.SESSION_COOKIE_NAME].value  # allauth's app token is the session key
    client = Client(HTTP_X_SESSION_TOKEN=token)
    first = client.get("/api/pages/")
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    assert client.get("/api/pages/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    anonymous = Client().get("/api/pages/")
    assert anonymous["ETag"] != first["ETag"]


def test_country_counts_follow_a_new_project(client, atlas):
    before = {row["code"]: row["projects"] for row in client.get("/api/atlas/countries/").json()}
    country = Country.objects.get(iso2=next(code for code, count in before.items() if count))
    Project.objects.create(title="Nouveau", country=country, start_year=2025)
    after = {row["code"]: row["projects"] for row in client.get("/api/atlas/countries/").json()}
    assert after[country.iso2] == before[country.iso2] + 1


def test_members_who_may_read_the_same_share_the_kept_answer(pages, django_assert_max_num_queries):
    public, local = pages
    first, second = member_client(), member_client()
    stranger = Client()
    stranger.force_login(MemberFactory(groups=["ong"]))
    path = f"/api/pages/{local.pk}/"
    answer = first.get(path)
    assert answer.status_code == 200 and "Réservé aux élus" in str(answer.json()["fields"]["body"])
    with django_assert_max_num_queries(4):  # the session, the user, their groups: not the pages
        kept = second.get(path)
    assert kept.status_code == 200 and kept.content == answer.content
    assert kept["Cache-Control"] == "private, no-cache"
    refused = stranger.get(path)  # another group: its own answer, never the kept one
    assert refused.status_code == 403 and "Réservé aux élus" not in str(refused.json())
    assert Client().get(path).status_code == 401


def test_an_answer_kept_for_one_host_is_not_served_to_another(client, atlas, settings):
    settings.ALLOWED_HOSTS = ["cncd.example.org", "autre.example.org", "testserver"]
    first = client.get("/api/atlas/countries/", HTTP_HOST="cncd.example.org")
    other = client.get("/api/atlas/countries/", HTTP_HOST="autre.example.org")
    assert first.status_code == other.status_code == 200
    assert first["ETag"] != other["ETag"]


def test_a_padlock_s_refusal_is_kept_for_callers_who_may_see_the_same(pages, django_assert_max_num_queries):
    _public, local = pages
    path = f"/api/pages/{local.pk}/"
    first, second = Client(), Client()
    first.force_login(MemberFactory(groups=["ong"]))
    second.force_login(MemberFactory(groups=["ong"]))
    refused = first.get(path)
    assert refused.status_code == 403 and "ETag" not in refused
    with django_assert_max_num_queries(4):  # the session, the user, their groups: not the page
        again = second.get(path)
    assert again.status_code == 403 and again.content == refused.content and "ETag" not in again
    assert "no-store" in again["Cache-Control"]  # about a logged-in caller: in no cache on the way
    # Visitors have their own refusal, and members of the group the page is for still read it.
    assert Client().get(path).status_code == 401
    assert Client().get(path).status_code == 401
    reader = member_client().get(path)
    assert reader.status_code == 200 and "Réservé aux élus" in str(reader.json()["fields"]["body"])


def test_an_app_token_is_read_once_a_request(pages):
    """The answers' cache asks who calls before the endpoint's auth does: one reading serves both."""
    _public, local = pages
    token = member_client().cookies[settings.SESSION_COOKIE_NAME].value
    with CaptureQueriesContext(connection) as queries:
        answer = Client(HTTP_X_SESSION_TOKEN=token).get(f"/api/pages/{local.pk}/")
    assert answer.status_code == 200  # a miss: the page was read, with the token's member
    sessions = [query for query in queries.captured_queries if 'FROM "django_session"' in query["sql"]]
    users = [query for query in queries.captured_queries if 'FROM "auth_user"' in query["sql"]]
    assert len(sessions) <= 2 and len(users) == 1, [query["sql"][:80] for query in queries.captured_queries]
