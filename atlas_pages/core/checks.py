"""Deployment checks (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """More than one process needs one cache they all see: the login rate limits, the Atlas's
    summary version and the cached answers are kept there."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            checks.Warning(
                "The cache is local to each process: rate limits and the Atlas's summary version are not shared.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/1) as soon as more than one process runs.",
                id="cncd.W001",
            )
        ]
    return []
