"""State agents' single sign-on (ProConnect, through allauth's openid_connect provider).

An agent who signs in with ProConnect for the first time fills the registration form as any
member would (group, organisation, country or region): never an account without a registration.
The registration then waits for staff, unless:
- the address ProConnect verified is in one of ``CNCD_STATE_DOMAINS`` for the group asked for
  (``diplomatie.gouv.fr`` for embassies…), and
- the group is in ``CNCD_STATE_AUTO_APPROVE``.
Then it is approved at once, and logged as such. Groups whose rights rest on a value the agent
types (an embassy's country, a prefecture's region) cannot be approved this way, since staff
must verify that value (``check`` refuses such a setting): they stay in the queue, where the
verified domain is shown.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core import checks
from django.db import transaction

#: Groups whose permissions read a value the member types: staff verify it, always.
NEEDS_A_VERIFIED_VALUE = {"ambassades": "country", "prefectures": "region", "collectivites": "organisation_code"}


def state_domain(user, group_slug: str) -> str:
    """The configured State domain of the user's verified address for this group, or ''."""
    address = EmailAddress.objects.filter(user=user, verified=True, email__iexact=user.email).first()
    if address is None or "@" not in address.email:
        return ""
    domain = address.email.rsplit("@", 1)[1].lower()
    for allowed in settings.CNCD_STATE_DOMAINS.get(group_slug, []):
        allowed = allowed.lower().lstrip("@")
        if domain == allowed or domain.endswith("." + allowed):
            return allowed
    return ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False  # the registration form, always: an account has a registration

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = sociallogin.account.extra_data.get("userinfo", sociallogin.account.extra_data)
        user.first_name = user.first_name or claims.get("given_name", "")
        user.last_name = user.last_name or claims.get("usual_name", "") or claims.get("family_name", "")
        return user

    def save_user(self, request, sociallogin, form=None):
        from extranet import services
        from extranet.models import MemberProfile

        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            profile = MemberProfile.objects.select_related("actor_group").filter(user=user).first()
            if profile is None:
                return user
            group = profile.actor_group.slug
            domain = state_domain(user, group)
            if domain:
                MemberProfile.objects.filter(pk=profile.pk).update(
                    decision_reason=f"ProConnect: {user.email} ({domain})"
                )
            if domain and group in settings.CNCD_STATE_AUTO_APPROVE and group not in NEEDS_A_VERIFIED_VALUE:
                services.approve_registration(profile, by=None)
        return user


@checks.register(checks.Tags.security)
def auto_approval_only_where_nothing_typed_decides(app_configs=None, **kwargs):
    errors = []
    for group in settings.CNCD_STATE_AUTO_APPROVE:
        if group in NEEDS_A_VERIFIED_VALUE:
            errors.append(
                checks.Error(
                    f"CNCD_STATE_AUTO_APPROVE names {group}, whose rights rest on the {NEEDS_A_VERIFIED_VALUE[group]} "
                    "the agent types: staff must verify it.",
                    hint="Remove it; ProConnect agents of this group wait for staff (their verified domain is shown).",
                    id="cncd.E003",
                )
            )
    return errors
