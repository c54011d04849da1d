from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasPagesConfig(AppConfig):
    name = "atlas_pages"
    verbose_name = _("Editorial pages and Atlas")
    default_auto_field = "django.db.models.BigAutoField"
