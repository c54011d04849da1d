"""Pages in English beside the French source: the English locale, kept in step with the French
tree (wagtail-localize's LocaleSynchronization: every French page not translated yet has an
alias in the English tree). Existing pages get their aliases from ``manage.py
sync_locale_trees`` (README, upgrade notes); new ones as they are created."""

from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    french, _created = Locale.objects.get_or_create(language_code="fr")
    english, _created = Locale.objects.get_or_create(language_code="en")
    LocaleSynchronization.objects.get_or_create(locale=english, defaults={"sync_from": french})


def remove_english(apps, schema_editor):
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    LocaleSynchronization.objects.filter(locale__language_code="en").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("atlas_pages", "0013_webhooks"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(add_english, remove_english)]
