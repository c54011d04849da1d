"""The continents and the ISO 3166 countries of the Atlas, from atlas_pages/data/countries.csv."""

from django.db import migrations


def create(apps, schema_editor):
    from atlas_pages.atlas.geography import CONTINENTS, countries
    from atlas_pages.core.countries import country_name

    Continent = apps.get_model("atlas_pages", "Continent")
    Country = apps.get_model("atlas_pages", "Country")
    continents = {}
    for position, (slug, _region, _label) in enumerate(CONTINENTS):
        continents[slug], _ = Continent.objects.update_or_create(slug=slug, defaults={"position": position})
    for row in countries():
        Country.objects.update_or_create(
            iso2=row.iso2,
            defaults={
                "iso3": row.iso3,
                "continent": continents[row.continent],
                "name_fr": country_name(row.iso2, "fr"),
                "name_en": country_name(row.iso2, "en"),
                "latitude": row.lat,
                "longitude": row.lng,
                "min_latitude": row.min_lat,
                "min_longitude": row.min_lng,
                "max_latitude": row.max_lat,
                "max_longitude": row.max_lng,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("atlas_pages", "Country").objects.all().delete()
    apps.get_model("atlas_pages", "Continent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0007_atlas")]

    operations = [migrations.RunPython(create, remove)]
