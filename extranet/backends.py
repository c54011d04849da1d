"""The one authentication backend: whichever door a user comes in by (allauth's pages or its
headless API, the Wagtail admin, a session cookie or an ``X-Session-Token``), an account is
authenticated only when it is active and its registration was approved by staff.

- ``user_can_authenticate`` refuses pending and rejected registrations, so a right password
  does not log them in. allauth keeps the refused account aside (its "stash") and runs its login
  stages, which explain the refusal (``extranet.stages``) without opening a session.
- ``get_user`` refuses them too, in the same single query that loads the user: a session or an
  app token opened before a registration was rejected (or by any other path) no longer
  authenticates anybody.

Accounts created by staff have no registration: they count as approved.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import Q

from extranet.models import MemberProfile

APPROVED = Q(member_profile__isnull=True) | Q(member_profile__status=MemberProfile.Status.APPROVED)


class ApprovedAccountsBackend(AuthenticationBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return get_user_model()._default_manager.filter(APPROVED, pk=user.pk).exists()

    def get_user(self, user_id):
        return get_user_model()._default_manager.filter(APPROVED, pk=user_id, is_active=True).first()
