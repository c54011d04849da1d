"""The events agenda: editors publish events (plenary sessions, the Assises, webinars) with their
dates, place or online link, registration link and organiser; the agenda lists the coming ones and
archives the past ones; each event has an .ics file, the agenda an iCalendar feed and an RSS feed;
the API lists them, and the newsletter announces the next ones."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils.form_data import nested_form_data, streamfield

from atlas_pages.models import EventIndexPage, EventPage
from tests.factories import add_page, home_page, padlock
from tests.newsletter.conftest import month_pages  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(db):
    agenda = add_page(home_page(), EventIndexPage, title="Agenda", slug="agenda", intro="Les rendez-vous.")
    now = timezone.now().replace(microsecond=0)
    events = {
        "assises": add_page(
            agenda,
            EventPage,
            title="Assises de la coopération décentralisée 2027",
            kind="assises",
            starts_at=now + dt.timedelta(days=40),
            ends_at=now + dt.timedelta(days=41, hours=8),
            place="Palais des congrès, Paris",
            registration_url="https://inscriptions.example.org/assises",
            organiser="DAECT",
            teaser="Deux jours d'ateliers et de rencontres.",
        ),
        "webinar": add_page(
            agenda,
            EventPage,
            title="Webinaire : l'eau au Sahel",
            kind="webinar",
            starts_at=now + dt.timedelta(days=5),
            ends_at=now + dt.timedelta(days=5, hours=1),
            online_url="https://webinaire.example.org/sahel",
            organiser="CNCD",
            teaser="Une heure d'échanges en ligne.",
        ),
        "plenary": add_page(
            agenda,
            EventPage,
            title="Séance plénière de juin",
            kind="plenary",
            starts_at=now - dt.timedelta(days=30),
            ends_at=now - dt.timedelta(days=30) + dt.timedelta(hours=3),
            place="Ministère de l'Europe et des Affaires étrangères",
            organiser="CNCD",
            teaser="La séance plénière annuelle.",
        ),
    }
    return agenda, events


def test_the_agenda_lists_the_coming_events_and_archives_the_past_ones(client, agenda):
    page, events = agenda
    html = client.get(page.url).content.decode()
    assert html.index("Webinaire : l&#x27;eau au Sahel") < html.index("Assises de la coopération décentralisée 2027")
    assert "Séance plénière de juin" not in html
    archive = client.get(f"{page.url}archives/").content.decode()
    assert "Séance plénière de juin" in archive and "Webinaire" not in archive

    event = client.get(events["assises"].url).content.decode()
    for expected in ("Palais des congrès, Paris", "Organisé par", "DAECT", "https://inscriptions.example.org/assises"):
        assert expected in event
    past = client.get(events["plenary"].url).content.decode()
    assert "Événement passé" in past and "S’inscrire" not in past


def test_each_event_and_the_agenda_are_in_icalendar(client, agenda):
    page, events = agenda
    response = client.get(f"{events['assises'].url}ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].endswith('.ics"')
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Assises de la coopération décentralisée 2027"
    assert event.decoded("DTSTART") == events["assises"].starts_at
    assert event.decoded("DTEND") == events["assises"].ends_at
    assert str(event["LOCATION"]) == "Palais des congrès, Paris"
    assert "https://inscriptions.example.org/assises" in str(event["DESCRIPTION"])

    feed = Calendar.from_ical(client.get(f"{page.url}ical/").content)
    assert [str(item["SUMMARY"]) for item in feed.walk("VEVENT")] == [
        "Séance plénière de juin",  # the last months' stay in subscribed calendars
        "Webinaire : l'eau au Sahel",
        "Assises de la coopération décentralisée 2027",
    ]
    assert len({str(item["UID"]) for item in feed.walk("VEVENT")}) == 3


def test_the_agenda_has_an_rss_feed_and_keeps_padlocked_events_out_of_it(client, agenda):
    page, events = agenda
    padlock(events["webinar"], "collectivites")
    channel = ET.fromstring(client.get(f"{page.url}rss/").content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Séance plénière de juin", "Assises de la coopération décentralisée 2027"]
    assert "Palais des congrès, Paris" in channel.findall("item")[1].findtext("description")


def test_the_api_lists_the_coming_events_and_the_archive(client, agenda, django_assert_max_num_queries):
    page, events = agenda
    with django_assert_max_num_queries(12):
        body = client.get("/api/events/").json()
    assert body["count"] == 2 and body["ical_url"].endswith("/agenda/ical/")
    first = body["items"][0]
    assert (first["title"], first["kind"], first["place"], first["online_url"]) == (
        "Webinaire : l'eau au Sahel",
        "webinar",
        "",
        "https://webinaire.example.org/sahel",
    )
    assert first["ical_url"].endswith("/agenda/webinaire-leau-au-sahel/ical/") and first["past"] is False
    past = client.get("/api/events/?when=past").json()
    assert [item["title"] for item in past["items"]] == ["Séance plénière de juin"] and past["items"][0]["past"]
    assert client.get("/api/events/?when=hier").status_code == 422


def test_the_newsletter_announces_the_next_events(agenda, month_pages):  # noqa: F811
    from newsletter import rendering
    from tests.newsletter.conftest import add_issue

    compiled = rendering.build(add_issue())
    assert "Agenda" in compiled.html and "Webinaire : l'eau au Sahel" in compiled.text
    assert "Assises de la coopération décentralisée 2027" in compiled.html
    assert "Séance plénière de juin" not in compiled.text
    assert compiled.text.index("Webinaire") < compiled.text.index("Assises de la coopération")


def test_an_editor_publishes_an_event_and_gets_each_fault_named(staff_client, agenda):
    page, _events = agenda
    url = f"/admin/pages/add/atlas_pages/eventpage/{page.pk}/"
    fields = {
        "title": "Rencontre des réseaux régionaux",
        "slug": "rencontre-reseaux",
        "kind": "meeting",
        "starts_at": "2027-03-10 09:00",
        "ends_at": "2027-03-09 17:00",
        "place": "",
        "online_url": "",
        "registration_url": "",
        "organiser": "Réseaux régionaux multi-acteurs",
        "teaser": "Une journée d'échanges.",
        "body": streamfield([]),
        "action-publish": "publish",
    }
    response = staff_client.post(url, nested_form_data(fields))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Un événement se termine après avoir commencé." in html
    assert "Indiquez le lieu, le lien en ligne, ou les deux." in html
    response = staff_client.post(url, nested_form_data({**fields, "ends_at": "2027-03-10 17:00", "place": "Lyon"}))
    assert response.status_code == 302
    assert EventPage.objects.get(slug="rencontre-reseaux", locale__language_code="fr").live
