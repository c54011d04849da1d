"""Creates the fixed list of cooperation sectors (names are translated in code, by slug)."""

from django.db import migrations

SLUGS = [
    "gouvernance-locale",
    "developpement-economique",
    "eau-assainissement",
    "environnement-climat-energie",
    "agriculture-alimentation",
    "sante-social",
    "education-jeunesse",
    "culture-patrimoine",
    "tourisme",
    "urbanisme-amenagement",
    "dechets",
    "humanitaire-crise",
    "numerique",
    "egalite-femmes-hommes",
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("atlas_pages", "Theme")
    for position, slug in enumerate(SLUGS):
        Theme.objects.update_or_create(slug=slug, defaults={"position": position})


def remove_themes(apps, schema_editor):
    apps.get_model("atlas_pages", "Theme").objects.filter(slug__in=SLUGS).delete()


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0003_editorial_pages")]

    operations = [migrations.RunPython(create_themes, remove_themes)]
