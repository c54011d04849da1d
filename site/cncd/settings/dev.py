"""Local development: SQLite, immediate tasks, e-mails printed to the console."""

from cncd.settings.base import *  # noqa: F403
from cncd.settings.base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-cncd-a-la-carte")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
