"""The Atlas's full-text index: each project's text as French stems, indexed by the database
(a GIN index on PostgreSQL, an FTS5 table kept by triggers on SQLite). See atlas/fulltext.py."""

from django.db import migrations, models

from atlas_pages.atlas import fulltext


def fill_stems(apps, schema_editor):
    Project = apps.get_model("atlas_pages", "Project")
    batch = []
    for pk, text in Project.objects.values_list("pk", "search_text").order_by("pk").iterator(chunk_size=2000):
        batch.append(Project(pk=pk, search_stems=fulltext.stems(text)))
        if len(batch) >= 2000:
            Project.objects.bulk_update(batch, ["search_stems"])
            batch = []
    Project.objects.bulk_update(batch, ["search_stems"])


def install(apps, schema_editor):
    fulltext.install(schema_editor)


def uninstall(apps, schema_editor):
    fulltext.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0014_english_locale")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_stems",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_stems, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
