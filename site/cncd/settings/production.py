"""Production: every secret and address comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL; REDIS_URL as soon as more than one process
serves the site or runs tasks (rate limits, the Atlas's summary version and the cache are shared
there; ``check --deploy`` warns without it). Optional:
EMAIL_URL (smtp+tls://user:password@host:587, or smtps:// for implicit TLS) or EMAIL_HOST & co., MEDIA_ROOT.
"""

from django.core.exceptions import ImproperlyConfigured

from cncd.settings.base import *  # noqa: F403
from cncd.settings.base import MIDDLEWARE, env

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

CNCD_ENVIRONMENT = "production"
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in e-mails: the public address, by default the first host name in HTTPS.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "")
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS if host and "*" not in host]
)
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# One cache that every web process and worker sees: rate limits, the Atlas's and the pages'
# versions (the API's ETags) and the API's kept answers. A cache per process would let each
# count on its own and serve answers another process knows to be stale.
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured("REDIS_URL must be set in the environment for production (redis://host:6379/1).")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }
}
# Sessions (browser cookies and apps' X-Session-Token alike) are read from the shared cache and
# written through to the database: a request then costs no query to find who asks.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# Background tasks go to the database queue, consumed by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Webhook payloads are signed, not encrypted: production endpoints are https:// only.
CNCD_WEBHOOK_REQUIRE_HTTPS = env.bool("CNCD_WEBHOOK_REQUIRE_HTTPS", default=True)

# Static files served by the application itself (behind the proxy's cache).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere behind the reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer asks for /healthz over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
