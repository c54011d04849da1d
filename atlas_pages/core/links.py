"""Absolute links for what leaves the site (e-mails, PDFs, feeds read elsewhere).

The public address is ``WAGTAILADMIN_BASE_URL``: ``make run`` sets it to the address the
development server listens on, production to its first ``ALLOWED_HOSTS`` in HTTPS unless the
environment names it.
"""

from django.conf import settings


def site_url(path: str = "") -> str:
    """``path`` (absolute, from ``reverse`` or a page's URL) on the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
