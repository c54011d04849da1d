"""Limits on what a member may do often (allauth's rate limiter, rates in ACCOUNT_RATE_LIMITS)."""

from allauth.core import ratelimit
from django.http import HttpRequest

from atlas_pages.core.exceptions import TooManyRequests


def limited(request: HttpRequest, action: str) -> None:
    """Counts one ``action`` of the logged-in member; past its rate, answers 429."""
    if not ratelimit.consume(request, action=action, user=request.user):
        raise TooManyRequests()
