"""An index for the hot path of every listing: live pages of a subtree (a range on the path)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0005_api_chooser_blocks"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX cncd_page_live_path ON wagtailcore_page (live, path)",
            "DROP INDEX cncd_page_live_path",
        )
    ]
