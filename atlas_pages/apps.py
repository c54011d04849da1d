from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasPagesConfig(AppConfig):
    name = "atlas_pages"
    verbose_name = _("Editorial pages and Atlas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import post_page_move

        from atlas_pages.atlas import signals as atlas_signals  # noqa: F401 (checks registers itself)
        from atlas_pages.editorial.services import forget_sites

        post_save.connect(forget_sites, sender=Site, dispatch_uid="cncd-forget-sites-save")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="cncd-forget-sites-delete")
        post_page_move.connect(forget_sites, dispatch_uid="cncd-forget-sites-move")
        atlas_signals.connect()
