"""Who is calling the API: allauth's session (browser, with CSRF) or X-Session-Token (app).

Every app's router uses these, so they live in the base app that all may import.
"""

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja.security import SessionAuth

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.exceptions import Forbidden, NotAuthenticated


class SessionTokenAuth(XSessionTokenAuth):
    """allauth's app token, also set as ``request.user`` so services see one kind of caller."""

    # Where the OpenAPI schema says the key goes (allauth's class leaves it out, which makes
    # the security scheme invalid for clients that read it).
    openapi_in = "header"
    openapi_name = "X-Session-Token"

    def __call__(self, request: HttpRequest):
        # Read once a request: the answers' cache asks who calls before the endpoint's auth does.
        token = self.get_session_token(request)
        read = getattr(request, "_cncd_session_token", None)
        if read is not None and read[0] == token:
            return read[1]
        user = super().__call__(request)
        if user is not None:
            # What holds for sessions in the middleware holds for app tokens here: an app may
            # refuse the caller (multi-factor authentication required and not set up).
            for refusal in cncd_hooks.implementations(cncd_hooks.REFUSE_API_CALLER):
                message = refusal(user)
                if message:
                    raise Forbidden(message)
            request.user = user
        request._cncd_session_token = (token, user)  # type: ignore[attr-defined]
        return user


class MemberSessionAuth(SessionAuth):
    """The browser session.

    One CSRF rule for the whole API: a caller whose session is logged in sends the CSRF token
    on unsafe methods (django-ninja's check), since the browser adds the cookie by itself; an
    anonymous caller and an ``X-Session-Token`` caller (no cookie involved) need none, as there
    is no ambient authority to borrow.
    """

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return request.COOKIES.get(self.param_name)
        return super()._get_key(request)


class AnyCaller(MemberSessionAuth):
    """Lets everybody in; a logged-in caller is recognised, others are anonymous."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user or AnonymousUser()


#: Endpoints for logged-in callers only (401 otherwise).
member_auth = [SessionTokenAuth(), MemberSessionAuth()]
#: Endpoints open to everybody that still answer according to who asks.
any_caller = [SessionTokenAuth(), AnyCaller()]


#: Who calls a service: a member (or staff), or an anonymous visitor where the service allows it.
Caller = User | AnonymousUser


def member(request: HttpRequest) -> User:
    """The logged-in member behind an endpoint that requires one (``member_auth``): the auth class
    has already refused anyone else, this says so to the type checker and holds if it did not."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated()
    return user
