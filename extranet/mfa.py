"""Multi-factor authentication where the policy requires it.

allauth's ``mfa`` asks for the second factor at login (pages, headless API, the admin, since the
admin's login is allauth's) once an account has an authenticator. This module makes it
compulsory: staff and editors (``CNCD_MFA_REQUIRED_FOR_STAFF``), and members of the actor groups
named in ``CNCD_MFA_REQUIRED_GROUPS``. Until such an account has set up an authenticator app, it
can do nothing but set one up (or log out): the pages lead to ``/accounts/2fa/totp/activate/``,
the API answers 403 saying so.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

#: Where an account that must set up MFA may still go: allauth (its MFA pages, logout, the
#: headless API that sets up an authenticator), static files, the health check, languages.
OPEN_PREFIXES = ("/accounts/", "/_allauth/", "/static/", "/media/", "/healthz", "/i18n/")


def required_for(user, *, in_the_admin: bool = False) -> bool:
    """Staff, editors (whoever may enter the Wagtail admin, checked where they enter it) and
    the members of the groups the policy names."""
    if not user.is_authenticated:
        return False
    if settings.CNCD_MFA_REQUIRED_FOR_STAFF and (
        user.is_staff or user.is_superuser or (in_the_admin and user.has_perm("wagtailadmin.access_admin"))
    ):
        return True
    groups = settings.CNCD_MFA_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(actor_group__slug__in=groups).exists()


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def missing_for(user, *, in_the_admin: bool = False) -> bool:
    """The policy requires MFA of this account, and it has no authenticator app yet."""
    return required_for(user, in_the_admin=in_the_admin) and not has_authenticator(user)


def refusal() -> str:
    """What an account the policy requires MFA of is told until it has an authenticator app."""
    return gettext("Your account must use two-factor authentication: set up an authenticator app first (%(url)s).") % {
        "url": reverse("mfa_activate_totp")
    }


class RequireMultiFactor:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        in_the_admin = request.path.startswith("/admin/")
        if request.path.startswith(OPEN_PREFIXES) or not missing_for(request.user, in_the_admin=in_the_admin):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": refusal()}, status=403)
        return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")


def api_refusal(user) -> str | None:
    """For the API's app tokens (``cncd_refuse_api_caller``), which the middleware cannot see."""
    return refusal() if missing_for(user) else None
