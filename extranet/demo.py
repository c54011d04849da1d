"""Demo accounts: one member per actor group, an editor and a superuser (``manage.py load_demo``)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from atlas_pages.demo import DEMO_PASSWORD

from .groups import ACTOR_GROUPS
from .models import ActorGroup

User = get_user_model()


def ensure_user(username: str, email: str, **fields) -> "User":
    user, _ = User.objects.update_or_create(username=username, defaults={"email": email, **fields})
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(report) -> None:
    groups = {actor.slug: actor for actor in ActorGroup.objects.select_related("group")}
    for slug, _label in ACTOR_GROUPS:
        actor = groups[slug]
        user = ensure_user(
            f"demo-{slug}",
            f"{slug}@demo.cncd.example.org",
            first_name="Membre",
            last_name=actor.group.name,
        )
        user.groups.add(actor.group)
        report.credential(user.username, f"membre du groupe « {actor.group.name} »")

    editor = ensure_user(
        "redaction", "redaction@demo.cncd.example.org", first_name="Camille", last_name="Rédaction", is_staff=True
    )
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        if group:
            editor.groups.add(group)
    report.credential(editor.username, "rédaction (administration Wagtail, /admin/)")

    admin = ensure_user(
        "admin", "admin@demo.cncd.example.org", first_name="Admin", last_name="DAECT", is_staff=True, is_superuser=True
    )
    report.credential(admin.username, "superutilisateur (administration Wagtail, /admin/)")
