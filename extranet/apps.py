from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtranetConfig(AppConfig):
    name = "extranet"
    verbose_name = _("Extranet members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from extranet import sso  # noqa: F401 (registers the check of the single sign-on's auto-approval)
