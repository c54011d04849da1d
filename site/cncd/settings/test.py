"""Test run: fast hashing, in-memory mail, immediate tasks; DATABASE_URL picks PostgreSQL."""

import os

from cncd.settings.base import *  # noqa: F403
from cncd.settings.base import BASE_DIR, env

CNCD_ENVIRONMENT = "test"
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite://:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Each pytest-xdist worker (PYTEST_XDIST_WORKER: gw0, gw1…) writes its files in a folder of its own.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / _WORKER
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private" / _WORKER
# One SMTP connection at a time in the tests, so that a failure after N messages is exact;
# tests/newsletter/test_sending.py runs several on purpose.
NEWSLETTER_CONNECTIONS = 1
