"""The home page shows the month: the latest page of each rubric with its image, the next events,
the Atlas in figures on a small map, and a member's brief; in a fixed number of queries."""

import datetime as dt
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from atlas_pages.atlas.generate import generate
from atlas_pages.models import AtlasPage, EventIndexPage, EventPage, Project
from tests.factories import MemberFactory, add_article, add_page, add_rubric, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(db):
    news, practices = add_rubric("Actualités"), add_rubric("Bonnes pratiques", kind="good_practices")
    add_article(news, "Une actualité ancienne", date=dt.date(2026, 9, 1))
    photo = Image.objects.create(title="Puits à Podor", file=get_test_image_file())
    latest = add_article(news, "La CNCD réunie en plénière", date=dt.date(2026, 11, 20), image=photo)
    practice = add_article(practices, "L'eau à Dakar", date=dt.date(2026, 11, 2))
    brief = add_article(news, "Note aux collectivités", date=dt.date(2026, 10, 1), target_groups=["collectivites"])
    agenda = add_page(home_page(), EventIndexPage, title="Agenda", slug="agenda")
    now = timezone.now()
    for days, title in ((30, "Assises 2027"), (3, "Webinaire de lancement"), (-3, "Séance passée")):
        add_page(
            agenda,
            EventPage,
            title=title,
            starts_at=now + dt.timedelta(days=days),
            ends_at=now + dt.timedelta(days=days, hours=2),
            online_url="https://webinaire.example.org",
            organiser="DAECT",
            teaser=f"{title}.",
        )
    generate(projects=40, authorities=12, countries=6, seed=3)
    add_page(home_page(), AtlasPage, title="Atlas", slug="atlas")
    return {"latest": latest, "practice": practice, "brief": brief}


def section(html: str, name: str) -> str:
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def test_the_home_shows_the_month(client, month, django_assert_max_num_queries):
    html = unescape(client.get("/").content.decode())
    latest = section(html, "home-latest")
    assert "La CNCD réunie en plénière" in latest and "Une actualité ancienne" not in latest
    assert "L'eau à Dakar" in latest and latest.count("<img") == 1  # the news has its image
    assert 'alt="Puits à Podor"' in latest

    events = section(html, "home-events")
    assert events.index("Webinaire de lancement") < events.index("Assises 2027")
    assert "Séance passée" not in events and 'href="/agenda/"' in events

    atlas = section(html, "home-atlas")
    projects = Project.objects.count()
    assert f"<strong>{projects}</strong> projets" in atlas
    assert "<svg" in atlas and 'href="/atlas/"' in atlas

    assert 'id="home-brief"' not in html  # the brief is a member's
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200


def test_a_member_sees_their_brief_on_the_home(month):
    member = Client()
    member.force_login(MemberFactory(groups=["collectivites"]))
    brief = section(unescape(member.get("/").content.decode()), "home-brief")
    assert "Note aux collectivités" in brief and 'href="/espace-personnel/"' in brief
