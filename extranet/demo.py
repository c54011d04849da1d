"""Demo accounts: one member per actor group, an editor and a superuser (``manage.py load_demo``)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from atlas_pages.models import ArticlePage
from extranet import albums, alerts
from extranet.groups import ACTOR_GROUPS
from extranet.models import ActorGroup, Bookmark, MapAlbum, MemberProfile, SearchAlert

User = get_user_model()

DEMO_ORGANISATIONS = {
    "ambassades": "Ambassade de France — Sénégal",
    "collectivites": "Région Auvergne-Rhône-Alpes",
    "prefectures": "Préfecture de la région Occitanie",
    "ministeres-operateurs": "Ministère de l’Europe et des Affaires étrangères",
    "reseaux-regionaux": "Réseau régional multi-acteurs",
    "ong": "Association Solidarité Sahel",
}


def ensure_user(report, username: str, email: str, **fields) -> "User":
    """A demo account with the password the report gives it (the published one, or a random one)."""
    user, _ = User.objects.update_or_create(username=username, defaults={"email": email, **fields})
    user.set_password(report.password(username))
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(report) -> None:
    groups = {actor.slug: actor for actor in ActorGroup.objects.select_related("group")}
    for slug, _label in ACTOR_GROUPS:
        actor = groups[slug]
        user = ensure_user(
            report,
            f"demo-{slug}",
            f"{slug}@demo.cncd.example.org",
            first_name="Membre",
            last_name=actor.group.name,
        )
        user.groups.add(actor.group)
        MemberProfile.objects.update_or_create(
            user=user,
            defaults={
                "actor_group": actor,
                "organisation": DEMO_ORGANISATIONS.get(slug, actor.group.name),
                "country": "SN" if slug == "ambassades" else "",
                "status": MemberProfile.Status.APPROVED,
                "terms_accepted_at": timezone.now(),
            },
        )
        report.credential(user.username, f"membre du groupe « {actor.group.name} »")

    # One registration waiting for staff (Administration > Membres > Inscriptions), one rejected.
    for username, slug, status, organisation, reason in (
        ("demo-en-attente", "collectivites", MemberProfile.Status.PENDING, "Communauté de communes du Diois", ""),
        (
            "demo-refusee",
            "ong",
            MemberProfile.Status.REJECTED,
            "Association inconnue",
            "L’association n’a pas pu être identifiée : merci de nous écrire avec ses statuts.",
        ),
    ):
        user = ensure_user(
            report, username, f"{username}@demo.cncd.example.org", first_name="Demande", last_name=organisation
        )
        MemberProfile.objects.update_or_create(
            user=user,
            defaults={
                "actor_group": groups[slug],
                "organisation": organisation,
                "status": status,
                "decision_reason": reason,
                "decided_at": timezone.now() if reason else None,
                "terms_accepted_at": timezone.now(),
            },
        )
        state = "en attente de vérification" if not reason else "refusée"
        report.credential(user.username, f"inscription {state} (« {groups[slug].group.name} »)")

    editor = ensure_user(
        report,
        "redaction",
        "redaction@demo.cncd.example.org",
        first_name="Camille",
        last_name="Rédaction",
        is_staff=True,
    )
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        if group:
            editor.groups.add(group)
    report.credential(editor.username, "rédaction (administration Wagtail, /admin/)")

    admin = ensure_user(
        report,
        "admin",
        "admin@demo.cncd.example.org",
        first_name="Admin",
        last_name="DAECT",
        is_staff=True,
        is_superuser=True,
    )
    report.credential(admin.username, "superutilisateur (administration Wagtail, /admin/)")

    _personal_space(User.objects.get(username="demo-collectivites"), report)


def _personal_space(member, report) -> None:
    """The local authorities' demo member has a selection, an album with a map of Senegal and
    articles in their brief, so that “Mon espace personnel” is not empty."""
    articles = list(ArticlePage.objects.live().filter(target_groups__actor_group__slug="collectivites")[:2])
    for position, article in enumerate(articles, start=1):
        Bookmark.objects.get_or_create(
            user=member, page=article, defaults={"title": article.title, "position": position}
        )
    album, _created = MapAlbum.objects.get_or_create(user=member, name="Afrique de l'Ouest", defaults={"position": 1})
    if not album.maps.exists():
        albums.save_map(
            member,
            album_id=album.pk,
            title="Nos projets au Sénégal",
            query="country=SN",
            view_bbox="-17.6,12.3,-11.3,16.7",
            zoom=6,
        )
    if not SearchAlert.objects.filter(owner=member).exists():
        alerts.create(member, "country=SN&theme=eau-assainissement", bourse=True)
    report.note(
        "Espace personnel de demo-collectivites : une sélection, un album de cartes, une alerte sur "
        "l'Atlas, la brève du groupe."
    )
