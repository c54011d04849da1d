"""Wagtail's Moderators verify registrations and group changes (superusers always can)."""

from django.db import migrations

CODENAMES = [
    "view_memberprofile",
    "change_memberprofile",
    "view_groupchangerequest",
    "change_groupchangerequest",
]


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
    dependencies = [
        ("extranet", "0004_group_change_request"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
