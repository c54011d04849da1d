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
    _thematic_spaces(report)


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


SPACES = (
    (
        "Tourisme responsable",
        "tourisme-responsable",
        "La plateforme « Coopération et tourisme responsable » : partager les expériences de tourisme "
        "solidaire entre collectivités françaises et partenaires.",
        (),
        False,
    ),
    (
        "Eau et assainissement",
        "eau-et-assainissement",
        "Les projets 1 % eau, les forages et les services d'assainissement : questions et retours "
        "d'expérience entre membres.",
        (),
        True,
    ),
    (
        "Réseau de l'État à l'étranger et en région",
        "reseau-etat",
        "Ambassades et préfectures échangent sur l'accompagnement des collectivités.",
        ("ambassades", "prefectures"),
        True,
    ),
)

DISCUSSIONS = {
    "tourisme-responsable": [
        (
            "demo-collectivites",
            "Écogîtes villageois : quel modèle de gestion ?",
            "Notre région accompagne trois villages du delta du Saloum qui ouvrent des écogîtes.\n\n"
            "Qui a l'expérience d'une gestion par une association villageoise plutôt que par la commune ?",
            [
                (
                    "demo-ong",
                    "Nous avons suivi ce modèle au Burkina Faso : une association gère, la commune garde la "
                    "propriété. Le point clé a été la formation des trésoriers.",
                ),
                ("demo-ambassades", "Le poste peut vous mettre en relation avec le projet d'appui au tourisme rural."),
            ],
        ),
        (
            "demo-reseaux-regionaux",
            "Assises du tourisme solidaire : qui vient ?",
            "Nous organisons un atelier commun aux Assises ; dites-nous si votre collectivité souhaite témoigner.",
            [],
        ),
    ],
    "eau-et-assainissement": [
        (
            "demo-collectivites",
            "Mobiliser le 1 % eau avec l'agence de l'eau",
            "Nous montons un premier projet au titre de la loi Oudin-Santini. Quelles pièces l'agence de "
            "l'eau vous a-t-elle demandées ?",
            [("demo-ong", "Le budget détaillé par composante et une lettre d'engagement du partenaire.")],
        ),
    ],
    "reseau-etat": [
        (
            "demo-prefectures",
            "Accompagner les petites communes dans leur premier dossier",
            "Comment vos services orientent-ils les communes qui n'ont jamais déposé de dossier de cofinancement ?",
            [("demo-ambassades", "Nous organisons une visioconférence avec le partenaire avant le dépôt.")],
        ),
    ],
}


def _thematic_spaces(report) -> None:
    """Three thematic spaces (public, members, two groups), a few discussions in each, and
    demo-collectivites following the public one."""
    from wagtail.models import Locale, PageViewRestriction

    from atlas_pages.demo import home_page
    from extranet.spaces import services as spaces
    from extranet.spaces.models import Discussion, SpaceIndexPage, SpacePage

    home = home_page()
    index = SpaceIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        index = SpaceIndexPage(
            title="Espaces thématiques",
            slug="espaces-thematiques",
            intro="<p>Partageons nos expériences pour un monde meilleur : les membres échangent ici par thème.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for title, slug, teaser, groups, restricted in SPACES:
        space = SpacePage.objects.filter(slug=slug, locale=Locale.get_default()).first()
        if space is None:
            space = SpacePage(
                title=title,
                slug=slug,
                teaser=teaser,
                rules="<p>Restez courtois, ne publiez pas de données personnelles ; la modération veille.</p>",
            )
            index.add_child(instance=space)
            space.save_revision().publish()
        if restricted and not PageViewRestriction.objects.filter(page=space).exists():
            kind = PageViewRestriction.GROUPS if groups else PageViewRestriction.LOGIN
            restriction = PageViewRestriction.objects.create(page=space, restriction_type=kind)
            if groups:
                restriction.groups.set(Group.objects.filter(actor_group__slug__in=groups))
        for username, subject, text, replies in DISCUSSIONS[slug]:
            if Discussion.objects.filter(space=space, title=subject).exists():
                continue
            opened = spaces.open_discussion(User.objects.get(username=username), space.pk, subject, text)
            for author, answer in replies:
                spaces.reply(User.objects.get(username=author), opened.pk, answer)
    member = User.objects.get(username="demo-collectivites")
    spaces.follow(member, space_id=SpacePage.objects.get(slug="tourisme-responsable", locale=Locale.get_default()).pk)
    report.note(
        "Espaces thématiques : « Tourisme responsable » (public), « Eau et assainissement » (membres), "
        "« Réseau de l'État » (ambassades et préfectures), avec leurs discussions ; la rédaction modère."
    )
