"""Wagtail's Moderators moderate the thematic spaces (superusers always can)."""

from django.db import migrations

CODENAMES = ["moderate_spaces", "view_report", "view_moderationentry"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("extranet")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.add(*Permission.objects.filter(content_type__app_label="extranet", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.remove(
            *Permission.objects.filter(content_type__app_label="extranet", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("extranet", "0016_thematic_spaces")]

    operations = [migrations.RunPython(grant, revoke)]
