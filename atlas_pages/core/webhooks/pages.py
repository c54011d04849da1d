"""The page events: published, unpublished, moved (with every page below it) and deleted
(a subtree at once), for every page type. The payload names the pages, never their content."""

from django.db.models.signals import post_delete
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from atlas_pages.core.webhooks.services import announce


def _locales() -> dict[int, str]:
    return dict(Locale.objects.values_list("pk", "language_code"))


def path_of(page: Page, url_path: str | None = None) -> str:
    """The page's path on its site (``/actualites/un-article/``), as a front end routes it."""
    url_path = url_path if url_path is not None else page.url_path
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


def item(page: Page, locales: dict[int, str], path: str | None = None) -> tuple[int, dict]:
    path = path if path is not None else path_of(page)
    return page.pk, {
        "id": page.pk,
        "type": f"{page.specific_class._meta.app_label}.{page.specific_class.__name__}"
        if page.specific_class
        else "wagtailcore.Page",
        "path": path,
        "locale": locales.get(page.locale_id, ""),
        "api": f"/api/pages/{page.pk}/",
    }


def revalidate(items: list[tuple[int, dict]], *extra_paths: str) -> list[str]:
    paths = ["/api/pages/", "/api/site/"]
    for _pk, described in items:
        paths += [described["api"], f"/api/pages/find/?path={described['path']}", described["path"]]
    for path in extra_paths:
        paths += [f"/api/pages/find/?path={path}", path]
    return paths


def address_of(page: Page) -> str:
    """The page's address on its site, language prefix included (``/en/news/…``)."""
    parts = page.get_url_parts()
    return parts[2] if parts is not None else path_of(page)


def _with_translations(instance: Page) -> list[Page] | None:
    """The page and its versions in the other language, announced together; None for the
    English alias of a French page, which its source's announcement already names."""
    family = list(
        Page.objects.filter(translation_key=instance.translation_key).only(
            "pk", "url_path", "path", "depth", "locale_id", "content_type_id", "alias_of_id", "translation_key"
        )
    )
    ids = {page.pk for page in family}
    if instance.alias_of_id in ids:
        return None
    return [instance, *(page for page in family if page.pk != instance.pk)]


def _announce_family(event: str, instance: Page) -> None:
    pages = _with_translations(instance)
    if pages is None:
        return
    locales = _locales()
    found = [item(page, locales, address_of(page)) for page in pages]
    announce(event, found, revalidate(found))


def on_published(sender, instance: Page, **kwargs) -> None:
    _announce_family("page.published", instance)


def on_unpublished(sender, instance: Page, **kwargs) -> None:
    _announce_family("page.unpublished", instance)


def on_moved(sender, instance: Page, url_path_before: str, url_path_after: str, **kwargs) -> None:
    if url_path_before == url_path_after:
        return  # a reordering among siblings: no address changed
    locales = _locales()
    moved = [instance, *Page.objects.descendant_of(instance).only("pk", "url_path", "locale_id", "content_type_id")]
    found, before = [], []
    for page in moved:
        old_path = path_of(page, url_path_before + page.url_path[len(url_path_after) :])
        key, described = item(page, locales)
        found.append((key, {**described, "previous_path": old_path}))
        before.append(old_path)
    announce("page.moved", found, revalidate(found, *before))


def on_deleted(sender, instance, **kwargs) -> None:
    if type(instance) is not Page:
        return  # the same page's specific row: announced once, for its Page row
    found = [item(instance, _locales())]
    announce("page.deleted", found, revalidate(found))


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="cncd-webhooks-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="cncd-webhooks-unpublished")
    post_page_move.connect(on_moved, dispatch_uid="cncd-webhooks-moved")
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="cncd-webhooks-deleted")
