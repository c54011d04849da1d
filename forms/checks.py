"""Deployment checks of the teleprocedures (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def history_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The dossiers' histories are keyed with ``CNCD_HISTORY_KEY``; derived from the secret key
    when it is not set, a rotation of ``SECRET_KEY`` would break every chain."""
    if getattr(settings, "CNCD_HISTORY_KEY", ""):
        return []
    return [
        checks.Warning(
            "CNCD_HISTORY_KEY is not set: the dossiers' histories are keyed with a key derived from SECRET_KEY.",
            hint="Set CNCD_HISTORY_KEY to 50 random characters, kept apart from the database and never changed.",
            id="cncd.W002",
        )
    ]
