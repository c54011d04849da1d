"""Albums of Atlas maps: “Enregistrer cette carte dans mon espace personnel” saves the filters,
the area shown and the zoom; albums are created, renamed, reordered and deleted; a saved map
reopens as it was saved; nobody reaches another member's albums."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from atlas_pages.models import AtlasPage
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import MemberFactory, add_page, home_page

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def patch(client, path, body):
    return client.patch(path, body, content_type="application/json")


def new_album(client, name):
    response = post(client, "/api/me/albums/", {"name": name})
    assert response.status_code == 201, response.content
    return response.json()


SENEGAL_VIEW = {"title": "Nos projets au Sénégal", "query": "country=SN&theme=", "view_bbox": "-17.6,12.3,-11.3,16.7"}


def test_a_saved_map_reopens_with_its_filters_and_view(member_client, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    album = new_album(member_client, "Afrique de l'Ouest")
    response = post(member_client, f"/api/me/albums/{album['id']}/maps/", {**SENEGAL_VIEW, "zoom": 7})
    assert response.status_code == 201, response.content
    saved = response.json()
    assert saved["title"] == "Nos projets au Sénégal"
    assert saved["query"] == "country=SN"  # empty filters are not kept
    assert saved["view_bbox"] == [-17.6, 12.3, -11.3, 16.7] and saved["zoom"] == 7
    assert saved["project_count"] == 3
    assert saved["geojson_url"] == "/api/atlas/projects.geojson?country=SN"
    reopen = urlsplit(saved["url"])
    assert reopen.path == "/atlas/"
    assert parse_qs(reopen.query) == {"country": ["SN"], "vue": ["-17.6,12.3,-11.3,16.7"], "zoom": ["7"]}

    # The Atlas page opened at that address shows the same filters and hands the view to the map.
    page = member_client.get(saved["url"])
    html = page.content.decode()
    assert 'data-view="-17.6,12.3,-11.3,16.7" data-zoom="7"' in html
    assert 'data-geojson="/api/atlas/projects.geojson?country=SN"' in html
    assert "3 projets" in html

    # The markers come from the live Atlas: the GeoJSON behind the saved map.
    features = member_client.get(saved["geojson_url"]).json()["features"]
    assert sorted(feature["properties"]["title"] for feature in features) == [
        "Déchets à Thiès",
        "Eau potable à Dakar",
        "Maraîchage à Saint-Louis",
    ]

    listed = member_client.get("/api/me/albums/").json()
    assert [(item["name"], [item["title"] for item in item["maps"]]) for item in listed] == [
        ("Afrique de l'Ouest", ["Nos projets au Sénégal"])
    ]
    assert member_client.get(f"/api/me/albums/{album['id']}/maps/{saved['id']}/").json() == saved


def test_albums_are_renamed_reordered_and_deleted_with_their_maps(member_client, atlas):  # noqa: F811
    first, second, third = (new_album(member_client, name)["id"] for name in ("Asie", "Europe", "Afrique"))
    response = patch(member_client, f"/api/me/albums/{third}/", {"position": 1, "name": "Afrique subsaharienne"})
    assert response.status_code == 200 and response.json()["name"] == "Afrique subsaharienne"
    assert [(item["name"], item["position"]) for item in member_client.get("/api/me/albums/").json()] == [
        ("Afrique subsaharienne", 1),
        ("Asie", 2),
        ("Europe", 3),
    ]
    for number in range(2):
        post(member_client, f"/api/me/albums/{first}/maps/", {**SENEGAL_VIEW, "title": f"Carte {number}", "zoom": 3})
    assert member_client.delete(f"/api/me/albums/{first}/").status_code == 204
    listed = member_client.get("/api/me/albums/").json()
    assert [(item["name"], item["position"]) for item in listed] == [("Afrique subsaharienne", 1), ("Europe", 2)]
    assert member_client.get(f"/api/me/albums/{first}/").status_code == 404


def test_maps_are_reordered_renamed_and_moved_between_albums(member_client, atlas):  # noqa: F811
    asia, africa = new_album(member_client, "Asie")["id"], new_album(member_client, "Afrique")["id"]
    ids = [
        post(member_client, f"/api/me/albums/{asia}/maps/", {**SENEGAL_VIEW, "title": title, "zoom": 4}).json()["id"]
        for title in ("A", "B", "C")
    ]
    response = patch(member_client, f"/api/me/albums/{asia}/maps/{ids[2]}/", {"position": 1, "title": "C bis"})
    assert response.status_code == 200
    titles = [item["title"] for item in member_client.get(f"/api/me/albums/{asia}/").json()["maps"]]
    assert titles == ["C bis", "A", "B"]

    response = patch(member_client, f"/api/me/albums/{asia}/maps/{ids[0]}/", {"album_id": africa})
    assert response.status_code == 200 and response.json()["album_id"] == africa
    remaining = member_client.get(f"/api/me/albums/{asia}/").json()["maps"]
    assert [(item["title"], item["position"]) for item in remaining] == [("C bis", 1), ("B", 2)]
    assert [item["title"] for item in member_client.get(f"/api/me/albums/{africa}/").json()["maps"]] == ["A"]
    # The map now lives in the other album only.
    assert member_client.get(f"/api/me/albums/{asia}/maps/{ids[0]}/").status_code == 404

    assert member_client.delete(f"/api/me/albums/{africa}/maps/{ids[0]}/").status_code == 204
    assert member_client.get(f"/api/me/albums/{africa}/").json()["maps"] == []


def fields(response) -> dict:
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def test_bad_input_is_named_and_nothing_is_saved(member_client, atlas):  # noqa: F811
    album = new_album(member_client, "Asie")["id"]
    response = post(member_client, "/api/me/albums/", {"name": "Asie"})
    assert response.status_code == 422 and fields(response) == {"name": "Vous avez déjà un album de ce nom."}
    response = post(member_client, "/api/me/albums/", {"name": "x" * 101})
    assert response.status_code == 422 and list(fields(response)) == ["name"]
    response = post(member_client, "/api/me/albums/", {"name": "   "})
    assert response.status_code == 422 and list(fields(response)) == ["name"]

    response = post(
        member_client,
        f"/api/me/albums/{album}/maps/",
        {"title": " ", "query": "country=ZZ&status=someday", "view_bbox": "10,50,20", "zoom": 25},
    )
    assert response.status_code == 422
    assert set(fields(response)) == {"title", "query.country", "query.status", "view_bbox", "zoom"}
    response = post(
        member_client, f"/api/me/albums/{album}/maps/", {**SENEGAL_VIEW, "view_bbox": "10,60,20,50", "zoom": 3}
    )
    assert list(fields(response)) == ["view_bbox"]  # south above north
    assert member_client.get(f"/api/me/albums/{album}/").json()["maps"] == []


def test_english_messages_follow_accept_language(member_client):
    new_album(member_client, "Asie")
    response = member_client.post(
        "/api/me/albums/", {"name": "Asie"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert fields(response) == {"name": "You already have an album with this name."}


def test_nobody_reaches_another_members_albums(member_client, atlas):  # noqa: F811
    album = new_album(member_client, "Asie")["id"]
    saved = post(member_client, f"/api/me/albums/{album}/maps/", {**SENEGAL_VIEW, "zoom": 4}).json()["id"]
    other = Client()
    other.force_login(MemberFactory(groups=["collectivites"]))
    assert other.get("/api/me/albums/").json() == []
    for method, path, body in [
        ("get", f"/api/me/albums/{album}/", None),
        ("patch", f"/api/me/albums/{album}/", {"name": "À moi"}),
        ("delete", f"/api/me/albums/{album}/", None),
        ("post", f"/api/me/albums/{album}/maps/", {**SENEGAL_VIEW, "zoom": 4}),
        ("get", f"/api/me/albums/{album}/maps/{saved}/", None),
        ("patch", f"/api/me/albums/{album}/maps/{saved}/", {"title": "À moi"}),
        ("delete", f"/api/me/albums/{album}/maps/{saved}/", None),
    ]:
        kwargs = {"data": body, "content_type": "application/json"} if body else {}
        assert getattr(other, method)(path, **kwargs).status_code == 404, (method, path)
    # A map cannot be moved into someone else's album either.
    mine = new_album(other, "Mes cartes")["id"]
    response = patch(member_client, f"/api/me/albums/{album}/maps/{saved}/", {"album_id": mine})
    assert response.status_code == 422 and list(fields(response)) == ["album_id"]
    assert member_client.get(f"/api/me/albums/{album}/").json()["maps"][0]["id"] == saved


def test_albums_list_in_a_fixed_number_of_queries(member_client, atlas, django_assert_max_num_queries):  # noqa: F811
    for number in range(5):
        album = new_album(member_client, f"Album {number}")["id"]
        for _ in range(4):
            post(member_client, f"/api/me/albums/{album}/maps/", {**SENEGAL_VIEW, "zoom": 5})
    with django_assert_max_num_queries(6):
        listed = member_client.get("/api/me/albums/").json()
    assert sum(len(item["maps"]) for item in listed) == 20


def test_my_maps_shows_each_saved_map_as_a_preview_of_its_area(member_client, atlas, django_assert_max_num_queries):  # noqa: F811
    from django.urls import reverse

    from atlas_pages.atlas import search as atlas_search

    album = new_album(member_client, "Afrique de l'Ouest")["id"]
    for _ in range(6):
        post(member_client, f"/api/me/albums/{album}/maps/", {**SENEGAL_VIEW, "zoom": 7})
    atlas_search.find({})  # the search index, built once per version whoever asks first
    with django_assert_max_num_queries(14):  # the same with 6 maps as with 1: the index, not a query per map
        page = member_client.get(reverse("extranet:albums")).content.decode()
    assert page.count('aria-label="Aperçu de la carte « Nos projets au Sénégal »"') == 6
    assert "<title>Sénégal : 3 projets</title>" in page  # the fixture's Atlas has three there
    assert "<title>Mali : 0 projet</title>" in page  # a neighbour in the area
    assert "<title>Viêt Nam" not in page  # outside the area: not drawn
