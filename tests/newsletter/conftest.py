import contextlib
import datetime as dt
import socket

import pytest
from django.utils import timezone

from atlas_pages.models import CountryZoomPage, GoodPracticePage, TestimonyPage
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscription
from tests.factories import add_article, add_page, add_rubric, home_page, padlock


@pytest.fixture
def month_pages(db):
    """This month's pages of the four rubrics (the news padlocked for members), and an older one."""
    today = timezone.localdate()
    testimonies = add_rubric("Témoignages", kind="testimonies")
    zooms = add_rubric("Zoom sur un pays", kind="country_zooms")
    practices = add_rubric("Bonnes pratiques", kind="good_practices")
    news = add_rubric("Actualités", kind="news")
    testimony = add_page(
        testimonies,
        TestimonyPage,
        title="L'ambassadeur au Sénégal témoigne",
        teaser="Vingt ans de coopération à Saint-Louis.",
        person_name="Jean Dupont",
        person_role="Ambassadeur de France au Sénégal",
        date=today,
    )
    zoom = add_page(
        zooms, CountryZoomPage, title="Zoom sur le Viet Nam", teaser="Hué et la France.", country="VN", date=today
    )
    practice = add_page(practices, GoodPracticePage, title="L'eau à Dakar", teaser="Une réussite partagée.", date=today)
    older = add_article(news, "Ancienne actualité", date=today - dt.timedelta(days=70))
    locked = add_article(
        news,
        "Note réservée",
        body="Le montant confidentiel est de 42 000 euros.",
        date=today,
        teaser="Une note pour les collectivités.",
    )
    padlock(locked, "collectivites")
    return {"testimony": testimony, "zoom": zoom, "practice": practice, "older": older, "locked": locked}


def add_issue(subject: str = "La lettre de novembre", language: str = "fr", **fields) -> NewsletterIssuePage:
    index = NewsletterIndexPage.objects.first() or add_page(
        home_page(), NewsletterIndexPage, title="Lettre", slug="lettre"
    )
    return add_page(
        index,
        NewsletterIssuePage,
        title=fields.pop("title", subject),
        subject=subject,
        language=language,
        preheader=fields.pop("preheader", "Les nouvelles du mois"),
        editorial=fields.pop("editorial", "<p>Bonne lecture.</p>"),
        **fields,
    )


def subscribers(count: int, language: str = "fr", **fields) -> list[Subscription]:
    return Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"abonne{number}-{language}@example.org",
                state=Subscription.State.CONFIRMED,
                language=language,
                source=Subscription.Source.IMPORT,
                token=f"tok-{language}-{number}",
                **fields,
            )
            for number in range(count)
        ]
    )


@contextlib.contextmanager
def smtp_server(handler):
    """A real SMTP server (aiosmtpd) on a free loopback port, with ``handler``; yields the port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
