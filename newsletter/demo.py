"""Demo of the newsletter (``manage.py load_demo``): the archive, this month's issue pre-filled
with the month's pages (not sent), the local authorities' demo member subscribed from the
personal space and two public subscribers."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from atlas_pages.demo import ensure_child
from atlas_pages.models import HomePage
from newsletter import services
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscription


def load(report) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    archive = ensure_child(
        home,
        NewsletterIndexPage,
        "lettre",
        title="Lettre d'information",
        intro=(
            "Chaque mois, les témoignages, zooms pays, bonnes pratiques et actualités de la coopération décentralisée."
        ),
        show_in_menus=True,
    )
    today = timezone.localdate()
    slug = f"lettre-{today:%Y-%m}"
    issue = ensure_child(
        archive,
        NewsletterIssuePage,
        slug,
        title=f"La lettre de {today:%m/%Y}",
        subject="La lettre de la coopération décentralisée",
        preheader="Témoignage, zoom pays, bonne pratique et actualités du mois",
        editorial="<p>Bonne lecture, et rendez-vous le mois prochain.</p>",
        issue_date=today,
    )
    member = get_user_model().objects.filter(username="demo-collectivites").first()
    if member is not None and services.member_subscription(member) is None:
        services.set_member_subscription(member, True)
    for email in ("lectrice@example.org", "lecteur@example.org"):
        Subscription.objects.get_or_create(
            email=email,
            defaults={
                "state": Subscription.State.CONFIRMED,
                "source": Subscription.Source.IMPORT,
                "consent_method": "Import: démonstration",
                "consent_at": timezone.now(),
            },
        )
    report.note(
        f"Lettre d'information : les archives à {archive.url}, le numéro du mois « {issue.title} » (pas envoyé : "
        "Pages → le numéro → Envoi du numéro), 3 abonnés."
    )
