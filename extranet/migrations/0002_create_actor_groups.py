"""Creates the nine actor groups with their French names (the slugs never change)."""

from django.db import migrations

GROUPS = [
    ("ambassades", "Ambassades"),
    ("collectivites", "Collectivités territoriales"),
    ("associations-nationales-elus", "Associations nationales d'élus"),
    ("associations-internationales-elus", "Associations internationales d'élus"),
    ("reseaux-regionaux", "Réseaux régionaux"),
    ("ministeres-operateurs", "Ministères et opérateurs"),
    ("prefectures", "Préfectures"),
    ("ong", "Organisations non gouvernementales (ONG)"),
    ("entreprises", "Entreprises"),
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ActorGroup = apps.get_model("extranet", "ActorGroup")
    for position, (slug, name) in enumerate(GROUPS):
        group, _ = Group.objects.get_or_create(name=name)
        ActorGroup.objects.update_or_create(slug=slug, defaults={"group": group, "position": position})


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ActorGroup = apps.get_model("extranet", "ActorGroup")
    ActorGroup.objects.filter(slug__in=[slug for slug, _ in GROUPS]).delete()
    Group.objects.filter(name__in=[name for _, name in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("extranet", "0001_initial")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
