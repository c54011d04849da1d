"""``/healthz``: may a load balancer send this process traffic?

It checks, cheaply and without saying more than "ok" or "fail" (no host, no error text):
- the database answers;
- the cache answers (Redis in production: rate limits and the Atlas's summary version live there);
- the task queue is consumed: the oldest task waiting for a worker is younger than
  ``CNCD_HEALTHZ_MAX_TASK_AGE`` seconds (with the database queue of production; the immediate
  backend of development has no queue).

200 when every check holds, 503 otherwise; never cached.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK, FAIL = "ok", "fail"


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK}


def _cache() -> dict:
    key, value = f"cncd:healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 10)
    seen = cache.get(key)
    cache.delete(key)
    return {"status": OK if seen == value else FAIL}


def _tasks() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"status": OK, "queue": "none"}
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = 0 if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))
    status = OK if age <= settings.CNCD_HEALTHZ_MAX_TASK_AGE else FAIL
    return {"status": status, "queue": "database", "oldest_waiting_seconds": age}


CHECKS = {"database": _database, "cache": _cache, "tasks": _tasks}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # a check that cannot run has failed; the reason goes to the log only
            logger.exception("healthz: the %s check failed", name)
            results[name] = {"status": FAIL}
    healthy = all(result["status"] == OK for result in results.values())
    response = JsonResponse({"status": OK if healthy else FAIL, "checks": results}, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
