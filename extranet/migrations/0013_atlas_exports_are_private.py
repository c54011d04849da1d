"""Kept Atlas exports move from the public media to the private files (they belong to a member
and are handed out only by the owner's download endpoint)."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import atlas_pages.core.uploads


def move_files(apps, schema_editor):
    AtlasExport = apps.get_model("extranet", "AtlasExport")
    private = atlas_pages.core.uploads.private_storage()
    for export in AtlasExport.objects.exclude(file="").only("pk", "file").iterator():
        name = export.file.name
        if private.exists(name) or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as handle:
            saved = private.save(name, handle)
        default_storage.delete(name)
        if saved != name:
            AtlasExport.objects.filter(pk=export.pk).update(file=saved)


class Migration(migrations.Migration):
    dependencies = [
        ("extranet", "0012_atlas_export"),
    ]

    operations = [
        migrations.AlterField(
            model_name="atlasexport",
            name="file",
            field=models.FileField(
                blank=True,
                storage=atlas_pages.core.uploads.private_storage,
                upload_to="atlas-exports/%Y/%m/",
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop),
    ]
