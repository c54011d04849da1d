from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasPagesConfig(AppConfig):
    name = "atlas_pages"
    verbose_name = _("Editorial pages and Atlas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from atlas_pages.atlas import signals as atlas_signals  # noqa: F401 (checks registers itself)
        from atlas_pages.core.webhooks import pages as page_webhooks
        from atlas_pages.editorial import translations
        from atlas_pages.editorial.services import bump_pages, forget_sites, on_content_saved

        post_save.connect(forget_sites, sender=Site, dispatch_uid="cncd-forget-sites-save")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="cncd-forget-sites-delete")
        post_page_move.connect(forget_sites, dispatch_uid="cncd-forget-sites-move")
        # The page API's version (its ETags): any page, padlock, site or contact change.
        post_save.connect(on_content_saved, dispatch_uid="cncd-pages-version-save")
        post_delete.connect(on_content_saved, dispatch_uid="cncd-pages-version-delete")
        m2m_changed.connect(bump_pages, sender=PageViewRestriction.groups.through, dispatch_uid="cncd-pages-padlock")
        page_published.connect(bump_pages, dispatch_uid="cncd-pages-version-published")
        page_unpublished.connect(bump_pages, dispatch_uid="cncd-pages-version-unpublished")
        post_page_move.connect(bump_pages, dispatch_uid="cncd-pages-version-moved")
        # A padlock set on a page holds on its translations (English aliases included).
        translations.connect()
        atlas_signals.connect()
        page_webhooks.connect()
