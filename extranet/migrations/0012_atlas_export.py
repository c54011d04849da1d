"""The kept Atlas PDF exports belong to the personal space: the model moves from atlas_pages
to extranet, its table (atlas_pages_atlasexport) and rows stay where they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="atlas_pages", target="extranet"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="atlasexport").exists():
        ContentType.objects.filter(app_label=source, model="atlasexport").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="extranet", target="atlas_pages")


class Migration(migrations.Migration):

    dependencies = [
        ("extranet", "0011_retention_warning"),
        ("atlas_pages", "0011_bourse_census"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AtlasExport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(blank=True, max_length=255, verbose_name="title")),
                        ("query", models.TextField(blank=True, verbose_name="filters (query string)")),
                        ("scope", models.CharField(choices=[("country", "By country"), ("continent", "By continent")], default="country", max_length=10, verbose_name="grouped")),
                        ("status", models.CharField(choices=[("pending", "Being prepared"), ("ready", "Ready"), ("failed", "Failed")], default="pending", max_length=10, verbose_name="status")),
                        ("project_count", models.PositiveIntegerField(default=0, verbose_name="number of projects")),
                        ("file", models.FileField(blank=True, upload_to="atlas-exports/%Y/%m/", verbose_name="PDF")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="asked at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="ready at")),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="atlas_exports", to=settings.AUTH_USER_MODEL, verbose_name="member")),
                    ],
                    options={
                        "verbose_name": "Atlas PDF export",
                        "verbose_name_plural": "Atlas PDF exports",
                        "ordering": ["-created_at"],
                        "db_table": "atlas_pages_atlasexport",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
