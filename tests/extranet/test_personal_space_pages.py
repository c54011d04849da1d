"""“Mon espace personnel” in the browser's pages: the bookmark button on every article, the
selection (notes, order, removal), saving an Atlas map into an album and reopening it, albums,
saved PDF exports sent to a colleague, the history of teleprocedures."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from atlas_pages.models import AtlasPage
from extranet.models import AtlasExport, Bookmark, MapAlbum, SavedMap
from tests.atlas_pages.test_atlas_search import atlas  # noqa: F401 (fixture)
from tests.factories import MemberFactory, add_article, add_page, add_rubric, home_page, padlock

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def articles(db):
    rubric = add_rubric("Actualités")
    return [add_article(rubric, f"Article {number}") for number in range(1, 4)]


def test_the_bookmark_button_adds_the_article_and_comes_back(member_client, articles):
    article = articles[0]
    html = page_text(member_client.get(article.url))
    assert "Ajouter cet article à ma sélection" in html
    response = member_client.post(
        "/espace-personnel/ma-selection/ajouter/", {"page_id": article.pk, "next": article.url}, follow=True
    )
    assert response.redirect_chain[-1][0] == article.url
    html = page_text(response)
    assert "L'article a été ajouté à votre sélection." in html
    assert "Dans ma sélection" in html and "Ajouter cet article à ma sélection" not in html
    # Twice is said, not saved twice.
    response = member_client.post("/espace-personnel/ma-selection/ajouter/", {"page_id": article.pk}, follow=True)
    assert "Cette page est déjà dans votre sélection." in page_text(response)
    assert Bookmark.objects.count() == 1


def test_anonymous_visitors_are_asked_to_log_in(client, articles):
    html = page_text(client.get(articles[0].url))
    assert "Se connecter pour ajouter cet article à sa sélection" in html
    assert f'href="/accounts/login/?next={articles[0].url}"' in html


def test_the_button_only_comes_back_to_this_site(member_client, articles):
    response = member_client.post(
        "/espace-personnel/ma-selection/ajouter/", {"page_id": articles[0].pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/espace-personnel/ma-selection/"


def test_a_padlocked_article_cannot_be_added_by_an_outsider(articles):
    padlock(articles[0], "ambassades")
    outsider = Client()
    outsider.force_login(MemberFactory(groups=["ong"]))
    assert "Ajouter cet article" not in page_text(outsider.get(articles[0].url))
    response = outsider.post("/espace-personnel/ma-selection/ajouter/", {"page_id": articles[0].pk}, follow=True)
    assert "Cette page est réservée à d’autres membres : elle ne peut pas entrer dans votre sélection." in page_text(
        response
    )
    assert Bookmark.objects.count() == 0


def test_the_selection_page_annotates_reorders_and_removes(member, member_client, articles):
    for article in articles:
        member_client.post("/espace-personnel/ma-selection/ajouter/", {"page_id": article.pk})
    first, second, third = Bookmark.objects.filter(user=member).order_by("position")
    url = "/espace-personnel/ma-selection/"

    response = member_client.post(f"{url}{third.pk}/", {"action": "note", f"b{third.pk}-note": "À citer"}, follow=True)
    assert "Votre note a été enregistrée." in page_text(response)
    member_client.post(f"{url}{third.pk}/", {"action": "up", "position": 3})
    member_client.post(f"{url}{first.pk}/", {"action": "remove"})
    html = page_text(member_client.get(url))
    assert html.index("Article 3") < html.index("Article 2") and "Article 1" not in html
    assert "À citer" in html

    # An article unpublished since stays listed, as unavailable, under its title.
    articles[1].unpublish()
    html = page_text(member_client.get(url))
    assert "Article 2" in html and "Cette page n'est plus publiée." in html
    assert 'href="/actualites/article-2/"' not in html


def test_another_members_bookmark_is_left_alone(member_client, articles):
    other = MemberFactory(groups=["ong"])
    theirs = Bookmark.objects.create(user=other, page=articles[0], title="Article 1", note="Privé")
    member_client.post(f"/espace-personnel/ma-selection/{theirs.pk}/", {"action": "remove"})
    member_client.post(f"/espace-personnel/ma-selection/{theirs.pk}/", {"action": "note", f"b{theirs.pk}-note": "x"})
    theirs.refresh_from_db()
    assert theirs.note == "Privé"


@pytest.fixture
def atlas_page(db):
    return add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")


def test_save_a_map_from_the_atlas_into_a_new_album_and_reopen_it(member, member_client, atlas, atlas_page):  # noqa: F811
    html = page_text(member_client.get("/atlas/?country=SN"))
    assert "Enregistrer cette carte dans mon espace personnel" in html
    assert 'value="Atlas : Sénégal"' in html  # the title proposed
    assert 'data-map-bbox="atlas-map"' in html and 'data-map-zoom="atlas-map"' in html

    form = {
        "title": "Sénégal",
        "album": "new",
        "album_name": "Afrique",
        "query": "country=SN",
        "view_bbox": "-17.6,12.3,-11.3,16.7",
        "zoom": "7",
    }
    response = member_client.post("/espace-personnel/mes-cartes/enregistrer/", form, follow=True)
    html = page_text(response)
    assert "La carte « Sénégal » a été enregistrée dans l'album « Afrique »." in html
    saved = SavedMap.objects.get()
    assert (saved.album.user, saved.album.name, saved.zoom, saved.project_count) == (member, "Afrique", 7, 3)
    reopen = re.search(r'<a href="([^"]+)">Sénégal</a>', html)[1]
    assert reopen == "/atlas/?country=SN&vue=-17.6%2C12.3%2C-11.3%2C16.7&zoom=7"
    atlas_html = page_text(member_client.get(reopen))
    assert 'data-view="-17.6,12.3,-11.3,16.7" data-zoom="7"' in atlas_html
    assert '<option value="SN" selected>' in atlas_html

    # A second map goes into the existing album, chosen in the list.
    html = page_text(member_client.get("/atlas/?country=VN"))
    assert f'<option value="{saved.album.pk}">Afrique</option>' in html
    member_client.post(
        "/espace-personnel/mes-cartes/enregistrer/",
        {**form, "title": "Viêt Nam", "album": saved.album.pk, "query": "country=VN"},
    )
    assert list(saved.album.maps.values_list("title", flat=True)) == ["Sénégal", "Viêt Nam"]


def test_a_bad_map_comes_back_with_what_was_typed(member_client, atlas, atlas_page):  # noqa: F811
    form = {"title": "Ma carte", "album": "new", "album_name": "", "query": "country=XX", "view_bbox": "1,2,3"}
    response = member_client.post("/espace-personnel/mes-cartes/enregistrer/", {**form, "zoom": "7"})
    assert response.status_code == 400
    html = page_text(response)
    assert 'value="Ma carte"' in html
    assert "Indiquez la zone de la carte en degrés : ouest,sud,est,nord" in html  # the hidden view, said above
    assert "Sélectionnez un choix valide. XX n’en fait pas partie." in html
    assert MapAlbum.objects.count() == 0 and SavedMap.objects.count() == 0


def test_albums_page_creates_renames_moves_and_deletes(member, member_client, atlas):  # noqa: F811
    url = "/espace-personnel/mes-cartes/"
    for name in ("Asie", "Afrique"):
        member_client.post(url, {"name": name})
    response = member_client.post(url, {"name": "Asie"})
    assert response.status_code == 400 and "Vous avez déjà un album de ce nom." in page_text(response)
    asia, africa = MapAlbum.objects.filter(user=member).order_by("position")
    member_client.post(f"{url}album/{africa.pk}/", {"action": "up", "position": 2})
    member_client.post(f"{url}album/{asia.pk}/", {"action": "rename", f"a{asia.pk}-name": "Asie du Sud-Est"})
    html = page_text(member_client.get(url))
    assert html.index("Afrique") < html.index("Asie du Sud-Est")

    saved = SavedMap.objects.create(album=asia, title="Hué", view_bbox="100,10,110,20", zoom=6)
    member_client.post(f"{url}carte/{saved.pk}/", {"action": "move", "album": africa.pk})
    saved.refresh_from_db()
    assert saved.album == africa
    response = member_client.post(f"{url}album/{africa.pk}/", {"action": "delete"}, follow=True)
    assert "L'album et ses cartes ont été supprimés." in page_text(response)
    assert not SavedMap.objects.exists()


def test_keep_an_export_from_the_atlas_and_send_it(member, member_client, atlas, atlas_page):  # noqa: F811
    html = page_text(member_client.get("/atlas/?country=SN"))
    assert "Conserver le PDF dans mon espace personnel (par pays)" in html
    response = member_client.post(
        "/espace-personnel/mes-exports/enregistrer/", {"query": "country=SN", "scope": "continent"}, follow=True
    )
    html = page_text(response)
    assert "Le PDF a été enregistré dans votre espace personnel." in html
    export = AtlasExport.objects.get(owner=member)
    assert f'id="export-{export.pk}"' in html and "Atlas : Sénégal" in html and "Par continent" in html
    assert f'href="/api/me/exports/{export.pk}/pdf"' in html

    send_url = f"/espace-personnel/mes-exports/{export.pk}/envoyer/"
    response = member_client.post(send_url, {"email": "pas-une-adresse", "message": "Pour la réunion"})
    assert response.status_code == 400
    html = page_text(response)
    assert "Saisissez une adresse de courriel valide." in html and "Pour la réunion" in html
    response = member_client.post(
        send_url, {"email": "collegue@example.org", "message": "Pour la réunion"}, follow=True
    )
    assert "L'export a été adressé à collegue@example.org." in page_text(response)
    assert [message.to for message in mail.outbox] == [["collegue@example.org"]]

    response = member_client.post(f"/espace-personnel/mes-exports/{export.pk}/supprimer/", follow=True)
    assert "L'export a été supprimé." in page_text(response) and not AtlasExport.objects.exists()


def test_anonymous_visitors_of_the_atlas_are_asked_to_log_in_to_save(client, atlas, atlas_page):  # noqa: F811
    html = page_text(client.get("/atlas/?country=SN"))
    assert "pour enregistrer cette carte ou le PDF des résultats dans votre espace personnel." in html
    assert "mes-cartes/enregistrer" not in html


def test_another_members_export_is_not_found(member_client, atlas):  # noqa: F811
    theirs = AtlasExport.objects.create(owner=MemberFactory(groups=["ong"]), query="", status="ready")
    assert member_client.get(f"/espace-personnel/mes-exports/{theirs.pk}/envoyer/").status_code == 404
    member_client.post(f"/espace-personnel/mes-exports/{theirs.pk}/supprimer/")
    assert AtlasExport.objects.filter(pk=theirs.pk).exists()


def test_history_of_teleprocedures_is_there_and_empty(member_client):
    html = page_text(member_client.get("/espace-personnel/mes-teledeclarations/"))
    assert "Mes télédéclarations" in html and "Vous n'avez encore déposé aucune télédéclaration." in html
    assert member_client.get("/api/me/declarations/").json() == {"count": 0, "items": []}


def test_home_counts_what_the_member_keeps(member, member_client, articles):
    Bookmark.objects.create(user=member, page=articles[0], title="Article 1")
    MapAlbum.objects.create(user=member, name="Asie")
    html = page_text(member_client.get("/espace-personnel/"))
    assert "1 article" in html and "1 album" in html and "0 export" in html


def test_forged_buttons_are_answered_not_crashed(member, member_client, articles):
    bookmark = Bookmark.objects.create(user=member, page=articles[0], title="Article 1", position=1)
    album = MapAlbum.objects.create(user=member, name="Asie", position=1)
    saved = SavedMap.objects.create(album=album, title="Hué", view_bbox="100,10,110,20", zoom=6, position=1)
    assert (
        member_client.post(
            f"/espace-personnel/ma-selection/{bookmark.pk}/", {"action": "up", "position": "x"}
        ).status_code
        == 302
    )
    response = member_client.post(
        f"/espace-personnel/mes-cartes/carte/{saved.pk}/", {"action": "move", "album": "x"}, follow=True
    )
    assert "Vous n'avez pas d'album portant cet identifiant." in page_text(response)
    response = member_client.post("/espace-personnel/ma-selection/ajouter/", {"page_id": "x"}, follow=True)
    assert "Aucune page publiée ne porte cet identifiant." in page_text(response)
