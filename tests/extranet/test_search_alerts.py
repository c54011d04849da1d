"""Alerts on an Atlas search: a member follows a search from the Atlas page or the API; the
worker's weekly digest lists the projects added since, and the Bourse-projets entries of its
countries and themes published since; each e-mail goes once, at most once a week, and stops
its alert in one click; the alerts are managed in the personal space."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from atlas_pages.models import AtlasPage, BourseProject, Country, PartnerAuthority, Theme
from extranet import alerts
from extranet.models import SearchAlert
from tests.atlas_pages.test_atlas_search import atlas, project  # noqa: F401 (fixture)
from tests.factories import MemberFactory, add_page, home_page

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def member(db):
    return MemberFactory(username="elue-dakar", email="elue@lyon.example.org", first_name="Awa")


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def new_entry(title, country="SN", theme="dechets", published=True):
    country = Country.objects.get(iso2=country)
    return BourseProject.objects.create(
        title=title,
        partner_authority=PartnerAuthority.objects.create(name=f"Commune de {title}", country=country),
        country=country,
        theme=Theme.objects.get(slug=theme),
        description="Un besoin.",
        expected_partnership="Un partenaire.",
        moderation=BourseProject.Moderation.PUBLISHED if published else BourseProject.Moderation.PENDING,
    )


def test_following_a_search_from_the_atlas_page(client, member, atlas):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    client.force_login(member)
    page = client.get("/atlas/?country=SN").content.decode()
    assert "Recevoir les nouveaux projets de cette recherche" in page
    response = client.post("/espace-personnel/mes-alertes/creer/", {"query": "country=SN", "bourse": "1"}, follow=True)
    text = response.content.decode()
    assert "Vous suivez la recherche « Atlas : Sénégal »" in text
    [item] = SearchAlert.objects.filter(owner=member)
    assert (item.query, item.bourse, item.active) == ("country=SN", True, True)
    assert f'id="alerte-{item.pk}"' in text and "Pays : Sénégal" in text
    # A bad filter is refused, naming it; nothing is kept.
    response = client.post("/espace-personnel/mes-alertes/creer/", {"query": "country=ZZ"}, follow=True)
    assert "ZZ" in response.content.decode() and SearchAlert.objects.count() == 1


@override_settings(TASKS=DB_QUEUE)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_weekly_digest_lists_what_is_new_once(member, atlas, django_capture_on_commit_callbacks):  # noqa: F811
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    new_entry("Kaolack")  # published before the alert: not new
    follow = alerts.create(member, "country=SN", bourse=True)
    assert alerts.create(member, "kind=twinning", bourse=False).title == "Atlas : Jumelage"
    call_command("send_search_alerts")
    run_worker()
    assert outbox.outbox == []  # nothing new yet: no e-mail, and the week has not started

    with django_capture_on_commit_callbacks(execute=True):
        ziguinchor = project(
            "Santé à Ziguinchor", "SN", [atlas.lyon], [], ["sante-social"], years=(2026, None), at=(12.56, -16.27)
        )
        project("Jumelage Lyon – Bamako", "ML", [atlas.lyon], [], [], kind="twinning", at=(12.6, -8.0))
    pending = new_entry("Matam", published=False)
    new_entry("Louga")
    new_entry("Bamako", country="ML")
    pending.moderation = BourseProject.Moderation.PUBLISHED  # recorded before, published now: new
    pending.save()

    call_command("send_search_alerts")
    call_command("send_search_alerts")  # twice: each alert still sends once
    run_worker()
    messages = sorted(outbox.outbox, key=lambda message: message.subject)
    assert [message.subject for message in messages] == [
        "Nouveau dans l'Atlas : Atlas : Jumelage",
        "Nouveau dans l'Atlas : Atlas : Sénégal",
    ]
    senegal = messages[1]
    assert senegal.to == ["elue@lyon.example.org"]
    body = senegal.body
    assert "1 nouveau projet" in body and "Santé à Ziguinchor — Sénégal — Lyon (2026)" in body
    assert f"/atlas/projet/{ziguinchor.pk}/" in body and "Bamako" not in body
    assert "2 nouvelles annonces de la Bourse-projets" in body
    assert "Louga" in body and "Matam" in body and "Kaolack" not in body
    stop_url = re.search(r"(http\S+/alerte/arreter/\S+/)", body).group(1)
    assert senegal.extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    assert senegal.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, mimetype = senegal.alternatives[0]
    assert mimetype == "text/html" and "Santé à Ziguinchor" in html
    follow.refresh_from_db()
    assert follow.last_sent_at is not None and follow.last_project_id == ziguinchor.pk

    # Within the week nothing more goes, even with something new; a week later it does.
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        later = project("Écoles à Thiès", "SN", [atlas.lyon], [], [], years=(2026, None), at=(14.8, -16.9))
    call_command("send_search_alerts")
    run_worker()
    assert outbox.outbox == []
    week_later = timezone.now() + dt.timedelta(days=7, minutes=1)
    assert alerts.send_due(week_later) == 1
    run_worker()
    [message] = outbox.outbox
    assert "Écoles à Thiès" in message.body and "Santé à Ziguinchor" not in message.body
    assert f"/atlas/projet/{later.pk}/" in message.body


def test_one_click_stop_from_the_e_mail(client, member, atlas):  # noqa: F811
    item = alerts.create(member, "country=SN")
    url = f"/espace-personnel/alerte/arreter/{alerts.stop_token(item)}/"
    page = client.get(url).content.decode()  # a link checker's GET stops nothing
    assert "Arrêter les courriels de l'alerte « Atlas : Sénégal » ?" in page
    item.refresh_from_db()
    assert item.active
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200  # the mail client's one-click POST: no login, no CSRF token
    item.refresh_from_db()
    assert not item.active
    assert alerts.send_due(timezone.now()) == 0
    broken = client.get(url[:-2] + "x/")
    assert broken.status_code == 404 and "Ce lien n'est pas valide." in unescape(broken.content.decode())


def test_managed_in_the_personal_space_and_the_api(client, member, atlas):  # noqa: F811
    client.force_login(member)
    response = client.post(
        "/api/me/alerts/", {"query": "continent=afrique&theme=dechets"}, content_type="application/json"
    )
    assert response.status_code == 201
    created = response.json()
    assert created["title"] == "Atlas : Afrique, Gestion des déchets" and created["bourse"] is True
    assert created["filters"] == [
        {"label": "Continent", "value": "Afrique"},
        {"label": "Thématique", "value": "Gestion des déchets"},
    ]
    bad = client.post("/api/me/alerts/", {"query": "year=abc"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "query.year"
    page = client.get("/espace-personnel/mes-alertes/").content.decode()
    assert "Atlas : Afrique, Gestion des déchets" in page and "aucun courriel pour l'instant" in page
    client.post(f"/espace-personnel/mes-alertes/{created['id']}/", {"action": "stop"})
    assert client.get("/api/me/alerts/").json()[0]["active"] is False
    response = client.patch(f"/api/me/alerts/{created['id']}/", {"active": True}, content_type="application/json")
    assert response.json()["active"] is True
    other = MemberFactory()
    theirs = alerts.create(other, "country=SN")
    assert (
        client.patch(f"/api/me/alerts/{theirs.pk}/", {"active": False}, content_type="application/json").status_code
        == 404
    )
    client.post(f"/espace-personnel/mes-alertes/{theirs.pk}/", {"action": "delete"})
    assert SearchAlert.objects.filter(pk=theirs.pk).exists()  # someone else's: untouched
    assert client.delete(f"/api/me/alerts/{created['id']}/").status_code == 204
    assert client.get("/api/me/alerts/").json() == []
    # The member's data download names the alerts.
    alerts.create(member, "country=SN")
    data = client.get("/espace-personnel/mes-donnees/telecharger/").json()
    assert [item["filters"] for item in data["search_alerts"]] == ["country=SN"]


@override_settings(TASKS=DB_QUEUE)  # the e-mails are queued, as in production
def test_the_digest_costs_queries_per_alert_sent_not_per_project(
    member,
    atlas,  # noqa: F811
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    followers = [MemberFactory(email=f"membre{number}@example.org") for number in range(6)]
    for person in followers:
        alerts.create(person, "country=SN")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(12):
            project(f"Projet {number}", "SN", [atlas.lyon], [], [], at=(14.7, -17.4))
    alerts.send_due()  # builds the index of this version
    SearchAlert.objects.update(last_sent_at=None, last_project_id=0)
    # The alerts and the Bourse once; for each alert sent, its claim and its queued e-mail in a
    # transaction of its own (two statements and the savepoint's two).
    with django_assert_max_num_queries(2 + 6 * 4):
        assert alerts.send_due() == 6


def test_an_alert_whose_filters_the_atlas_no_longer_takes_does_not_stop_the_others(
    member,
    atlas,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    broken = SearchAlert.objects.create(owner=member, title="Ancienne", query="theme=ancienne-thematique")
    alerts.create(member, "country=SN")
    with django_capture_on_commit_callbacks(execute=True):
        project("Santé à Ziguinchor", "SN", [atlas.lyon], [], [], at=(12.56, -16.27))
    assert alerts.send_due() == 1
    [message] = outbox.outbox
    assert "Santé à Ziguinchor" in message.body
    broken.refresh_from_db()
    assert broken.last_sent_at is None
