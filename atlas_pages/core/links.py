"""Absolute links for what leaves the site (e-mails, PDFs, feeds read elsewhere).

The public address is ``WAGTAILADMIN_BASE_URL``: ``make run`` sets it to the address the
development server listens on, production to its first ``ALLOWED_HOSTS`` in HTTPS unless the
environment names it.
"""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.exceptions import NotFound


def site_url(path: str = "") -> str:
    """``path`` (absolute, from ``reverse`` or a page's URL) on the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def signed_id(pk: int, salt: str) -> str:
    """A link's proof that the site wrote it for this row (a one-click stop, a shared file)."""
    return signing.dumps(pk, salt=salt)


def id_from_signed(token: str, salt: str, max_age: int | None = None, refusal=None) -> int:
    """The row id a ``signed_id`` token carries, or a 404 with ``refusal`` (the token is forged,
    or older than ``max_age`` seconds)."""
    try:
        return int(signing.loads(token, salt=salt, max_age=max_age))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise NotFound(refusal or _("This link is not valid.")) from error
