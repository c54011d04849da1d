"""Test run: fast hashing, in-memory mail, immediate tasks; DATABASE_URL picks PostgreSQL."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

CNCD_ENVIRONMENT = "test"
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite://:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
# One SMTP connection at a time in the tests, so that a failure after N messages is exact;
# tests/newsletter/test_sending.py runs several on purpose.
NEWSLETTER_CONNECTIONS = 1
