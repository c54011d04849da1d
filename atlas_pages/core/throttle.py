"""Rate limits on what anyone may ask for often, with allauth's rate limiter (rates in
``ACCOUNT_RATE_LIMITS``, counted in the shared cache: Redis in production)."""

from allauth.core.internal import ratelimit
from django.http import HttpRequest

from atlas_pages.core.exceptions import TooManyRequests


def consume(request: HttpRequest, action: str) -> None:
    """Counts one ``action`` of the caller (by address, or as a member, as its rates say),
    GET requests included; past its rate, answers 429."""
    user = request.user if request.user.is_authenticated else None
    if not ratelimit.consume(request, app="allauth.account", action=action, user=user, limit_get=True):
        raise TooManyRequests()
