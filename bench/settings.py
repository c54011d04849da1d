"""Benchmarks run on a SQLite file with Wagtail's stock v2 API mounted beside ours (the baseline)."""

import os
import tempfile
from pathlib import Path

from cncd.settings.test import *  # noqa: F403
from cncd.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
ROOT_URLCONF = "bench.urls"
DEBUG = False
BENCH_DIR = Path(os.environ.get("BENCH_DIR", tempfile.gettempdir())) / "cncd-bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DIR / "bench.sqlite3"),
        # As the embedded default is configured (cncd.settings.base).
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": True}
# The tests send over one connection to make failures exact; the benchmark sends as production does.
from cncd.settings.base import NEWSLETTER_CONNECTIONS  # noqa: E402, F401

# The Atlas benchmark measures each database and size in a process of its own, on the database
# and the shared cache it names (bench/atlas_measure.py).
if os.environ.get("BENCH_ATLAS_DATABASE_URL"):
    import dj_database_url

    _options = DATABASES["default"]["OPTIONS"]
    DATABASES = {"default": dj_database_url.parse(os.environ["BENCH_ATLAS_DATABASE_URL"])}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = _options
if os.environ.get("BENCH_ATLAS_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["BENCH_ATLAS_CACHE_URL"],
        }
    }
