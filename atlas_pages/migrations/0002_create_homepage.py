"""Replaces Wagtail's welcome page by the CNCD home page and points the default site at it."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("atlas_pages.HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="atlas_pages")
    root = Page.objects.get(depth=1)
    numchild = Page.objects.filter(depth=2).count()
    homepage = HomePage.objects.create(
        title="La coopération décentralisée",
        draft_title="La coopération décentralisée",
        slug="accueil",
        content_type=content_type,
        path=f"{root.path}{numchild + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale_id=root.locale_id,
        live=True,
    )
    root.numchild = numchild + 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": homepage.id, "site_name": "CNCD à la carte"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("atlas_pages.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
