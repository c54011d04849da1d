from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    label = "cncd_forms"
    verbose_name = _("Teleprocedures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forms import checks  # noqa: F401 (registers the deployment checks)
