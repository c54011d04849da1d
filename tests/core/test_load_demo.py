"""`manage.py load_demo` builds a believable site and can run again without duplicating it."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction, Revision

from atlas_pages.demo import DEMO_PASSWORD
from extranet.groups import ACTOR_GROUP_SLUGS
from extranet.models import Bookmark, SavedMap

pytestmark = pytest.mark.django_db
User = get_user_model()


def snapshot() -> dict:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "padlocks": PageViewRestriction.objects.count(),
        "bookmarks": Bookmark.objects.count(),
        "maps": SavedMap.objects.count(),
    }


def test_load_demo_twice_changes_nothing_the_second_time(capsys):
    call_command("load_demo")
    first = snapshot()
    out = capsys.readouterr().out
    call_command("load_demo")
    assert snapshot() == first
    assert DEMO_PASSWORD in out
    for slug in ACTOR_GROUP_SLUGS:
        assert f"demo-{slug}" in out
    # The summary is in one language, the site's own.
    assert "Démo prête. Comptes (mot de passe de tous" in out and "Cofinancement : l'appel" in out
    for english in ("Demo content", "waiting", "translated", "Co-financing", "Newsletter:", "projects of"):
        assert english not in out


def test_demo_members_log_in_with_the_printed_password(client):
    call_command("load_demo")
    for slug in ACTOR_GROUP_SLUGS:
        user = User.objects.get(username=f"demo-{slug}")
        assert user.groups.filter(actor_group__slug=slug).exists()
    assert client.login(username="demo-ambassades", password=DEMO_PASSWORD)


def test_demo_editor_and_superuser_reach_the_wagtail_admin_once_their_authenticator_is_set_up(client):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    call_command("load_demo")
    for username in ("redaction", "admin"):
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/")  # staff need MFA
        TOTP.activate(User.objects.get(username=username), generate_totp_secret())
        assert client.get("/admin/").status_code == 200


def test_demo_sections_appear_in_the_main_navigation(client):
    call_command("load_demo")
    page = client.get("/")
    for title in ("La CNCD", "Contact"):
        assert title in page.text
    assert client.get("/la-cncd/").status_code == 200


def test_demo_has_a_month_of_rubrics_with_padlocks_for_several_groups(client):
    call_command("load_demo")
    for url in ("/temoignages/", "/zoom-sur-un-pays/", "/bonnes-pratiques/", "/actualites/"):
        assert client.get(url).status_code == 200
    items = client.get("/api/pages/", {"type": "atlas_pages.ArticlePage", "limit": 50}).json()["items"]
    locked = {item["title"] for item in items if item["locked"]}
    assert len(locked) >= 3 and len(items) > len(locked)
    groups = {
        group.actor_group.slug
        for restriction in PageViewRestriction.objects.prefetch_related("groups__actor_group")
        for group in restriction.groups.all()
    }
    assert {"collectivites", "ambassades", "prefectures"} <= groups
    assert client.login(username="demo-collectivites", password=DEMO_PASSWORD)
    guide = client.get("/api/pages/find/", {"path": "/actualites/guide-cofinancement/"})
    assert guide.status_code == 200


def test_demo_has_a_pending_and_a_rejected_registration(client):
    from extranet.models import MemberProfile

    call_command("load_demo")
    statuses = dict(MemberProfile.objects.values_list("user__username", "status"))
    assert statuses["demo-en-attente"] == "pending"
    assert statuses["demo-refusee"] == "rejected"
    assert all(statuses[f"demo-{slug}"] == "approved" for slug in ACTOR_GROUP_SLUGS)

    response = client.post("/accounts/login/", {"login": "demo-en-attente", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "attente de vérification" in response.text
    response = client.post("/accounts/login/", {"login": "demo-refusee", "password": DEMO_PASSWORD})
    assert "statuts" in response.text


def test_the_demo_personal_space_is_not_empty(client):
    call_command("load_demo")
    assert client.login(username="demo-collectivites", password=DEMO_PASSWORD)
    assert client.get("/api/me/bookmarks/").json()
    [album] = client.get("/api/me/albums/").json()
    assert [item["title"] for item in album["maps"]] == ["Nos projets au Sénégal"]
    assert album["maps"][0]["project_count"] > 0 and album["maps"][0]["url"].startswith("/atlas/?country=SN")
    assert client.get("/api/me/brief/").json()["items"]


def test_the_demo_dossier_waits_for_the_demo_embassys_opinion(client):
    call_command("load_demo")
    assert client.login(username="demo-ambassades", password=DEMO_PASSWORD)
    [dossier] = client.get("/api/dossiers/", {"state": "filed"}).json()["items"]
    detail = client.get(f"/api/dossiers/{dossier['id']}/").json()
    assert detail["waiting_for"] == ["prefectures", "ambassades"]
    client.logout()
    assert client.login(username="demo-prefectures", password=DEMO_PASSWORD)
    assert client.get("/api/dossiers/").json()["count"] == 2, "the filed one and the funded one"
    assert client.get("/appels-a-projets/").status_code == 200


def test_a_demo_dossier_is_in_follow_up(client):
    call_command("load_demo")
    assert client.login(username="demo-collectivites", password=DEMO_PASSWORD)
    [funded] = client.get("/api/dossiers/", {"state": "accepted"}).json()["items"]
    agreement = client.get(f"/api/dossiers/{funded['id']}/agreement/").json()
    assert agreement["state"] == "signed"
    assert [item["state"] for item in agreement["tranches"]] == ["paid", "planned"]
    assert [item["state"] for item in agreement["reports"]] == ["accepted", "due"]
    assert agreement["totals"]["paid"] == "16000.00" and agreement["waiting_for"].startswith(
        "En attente du rapport final"
    )
    page = client.get(f"/teleprocedures/dossiers/{funded['id']}/").content.decode()
    assert "Suivi du dossier financé" in page and "Demander le versement" in page


def test_demo_content_reads_as_an_editor_would_publish_it(client):
    """Dated in the past, bodies of a real length, images, figures the Atlas agrees with."""
    import datetime as dt

    from django.utils import timezone

    from atlas_pages.atlas.front import country_figures
    from atlas_pages.models import CountryZoomPage, EditorialPage

    call_command("load_demo")
    pages = EditorialPage.objects.live().filter(locale__language_code="fr").specific()
    assert pages.count() >= 10
    for page in pages:
        assert page.date <= timezone.localdate(), f"{page.title} is dated in the future"
        text = " ".join(str(block.value) for block in page.body)
        assert len(text) > len(page.teaser) + 150, f"{page.title}: the body repeats the teaser"
    latest_of_each = {page.get_parent().pk: page for page in pages.order_by("date")}
    assert all(page.image_id for page in latest_of_each.values()), "the home shows each rubric's latest with its image"
    benin = CountryZoomPage.objects.get(slug="benin", locale__language_code="fr")
    figures = {block.value["label"]: block.value["value"] for block in benin.key_figures}
    live = country_figures("BJ")
    assert figures == {
        "collectivités françaises engagées": str(live["french_authorities"]),
        "projets recensés": str(live["projects"]),
    }
    assert timezone.localdate() - dt.timedelta(days=60) < min(page.date for page in pages)


def test_the_demo_has_an_agenda_with_coming_and_past_events(client):
    call_command("load_demo")
    coming = client.get("/api/events/").json()
    assert [item["kind"] for item in coming["items"]] == ["webinar", "assises"]
    assert [item["kind"] for item in client.get("/api/events/?when=past").json()["items"]] == ["webinar", "plenary"]
    assert "Assises de la coopération décentralisée" in client.get("/agenda/").content.decode()


def test_the_demo_has_terms_of_use_and_a_privacy_notice(client):
    call_command("load_demo")
    form = client.get("/accounts/signup/?groupe=collectivites").content.decode()
    assert 'href="/conditions-d-utilisation/"' in form and 'href="/donnees-personnelles/"' in form
    assert "Vos droits" in client.get("/donnees-personnelles/").content.decode()


def test_the_demo_call_asks_its_own_questions_and_has_a_review_grid(client):
    call_command("load_demo")
    assert client.login(username="demo-collectivites", password=DEMO_PASSWORD)
    [filed] = client.get("/api/dossiers/", {"state": "filed"}).json()["items"]
    call = client.get(f"/api/calls/{filed['call_id']}/").json()
    assert [item["type"] for item in call["questions"]] == ["number", "radio", "multiline", "file"]
    assert len(call["review_grid"]) == 3 and call["review_bodies"] == ["ambassades"]
    answers = {item["name"]: item["text"] for item in client.get(f"/api/dossiers/{filed['id']}/").json()["answers"]}
    assert answers["zone_dintervention"] == "Urbaine"
    # The embassy reviews it: blind to the instructor's score until it gives its own.
    client.logout()
    assert client.login(username="demo-ambassades", password=DEMO_PASSWORD)
    sheet = client.get(f"/api/dossiers/{filed['id']}/scores/").json()
    assert (sheet["reviewer_as"], sheet["mine"], sheet["hidden"]) == ("ambassades", None, 1)


def test_demo_ships_an_english_site(client):
    call_command("load_demo")
    home = client.get("/en/")
    assert '<html lang="en"' in home.text
    for title in ("Testimonies", "Country zoom", "Good practices", "News"):
        assert f">{title}</a>" in home.text
    assert "This page is not translated yet" not in home.text
    testimonies = client.get("/en/testimonies/")
    assert "“Decentralised cooperation brings territories closer”" in testimonies.text
    article = client.get("/en/testimonies/ambassador-senegal/")
    assert "Today they cover water, waste management" in article.text
    # A page nobody translated yet: the French one, with the note.
    untranslated = client.get("/en/la-cncd/")
    assert untranslated.status_code == 200
    assert "This page is not translated yet: it is shown in French." in untranslated.text
    # The padlocked good practice is padlocked in English as well.
    locked = client.get("/en/good-practices/solidarity-tourism-siem-reap/")
    assert "detailed budget" not in locked.text
    assert "Training guides" in locked.text  # its teaser, as in French
