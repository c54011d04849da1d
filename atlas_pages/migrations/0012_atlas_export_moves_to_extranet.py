"""The kept Atlas PDF exports now belong to extranet (its migration 0012 takes the model over;
the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("atlas_pages", "0011_bourse_census"),
        ("extranet", "0012_atlas_export"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AtlasExport")],
            database_operations=[],
        ),
    ]
