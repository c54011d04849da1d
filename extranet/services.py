"""What the extranet does for members, used by both the API and the pages."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.log_actions import log

from .exceptions import ReasonRequired, RegistrationAlreadyDecided
from .models import ActorGroup, MemberProfile


def actor_groups() -> list[ActorGroup]:
    """The nine groups, in their display order (one query)."""
    return list(ActorGroup.objects.select_related("group").order_by("position"))


def member_groups(user: AbstractBaseUser) -> list[ActorGroup]:
    """The actor groups this user belongs to."""
    if not user.is_authenticated:
        return []
    return list(ActorGroup.objects.filter(group__user=user).select_related("group").order_by("position"))


PROFILE_FIELDS = ("first_name", "last_name")


def update_profile(user: AbstractBaseUser, **changes: str | None) -> AbstractBaseUser:
    """Saves the given profile fields after the model's own validation (field errors name the field)."""
    fields = [name for name in PROFILE_FIELDS if name in changes]
    for name in fields:
        setattr(user, name, (changes[name] or "").strip())
    user.full_clean(exclude=[f.name for f in user._meta.fields if f.name not in fields])
    if fields:
        user.save(update_fields=fields)
    return user


# --- registrations ----------------------------------------------------------------------------


def approval_status(user: AbstractBaseUser) -> str:
    """Where the user's registration stands; accounts made by staff (no profile) count as approved."""
    profile = MemberProfile.objects.filter(user=user).only("status").first()
    return profile.status if profile is not None else MemberProfile.Status.APPROVED


def _decide(profile_id: int, by: AbstractBaseUser, status: str, reason: str) -> MemberProfile:
    with transaction.atomic():
        profile = (
            MemberProfile.objects.select_for_update().select_related("user", "actor_group__group").get(pk=profile_id)
        )
        if profile.status != MemberProfile.Status.PENDING:
            raise RegistrationAlreadyDecided()
        profile.status = status
        profile.decided_at = timezone.now()
        profile.decided_by = by
        profile.decision_reason = reason
        profile.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        if status == MemberProfile.Status.APPROVED:
            profile.user.groups.add(profile.actor_group.group)
        log(
            instance=profile,
            action=f"cncd.registration.{'approve' if status == MemberProfile.Status.APPROVED else 'reject'}",
            user=by,
            data={"group": profile.actor_group.slug, "reason": reason},
        )
    return profile


def approve_registration(profile: MemberProfile, by: AbstractBaseUser) -> MemberProfile:
    """Staff verified the registration: the member joins the group and is told by e-mail."""
    profile = _decide(profile.pk, by, MemberProfile.Status.APPROVED, "")
    _notify(profile, "approved")
    return profile


def reject_registration(profile: MemberProfile, by: AbstractBaseUser, reason: str) -> MemberProfile:
    """Staff could not verify the registration: the applicant receives the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    profile = _decide(profile.pk, by, MemberProfile.Status.REJECTED, reason)
    _notify(profile, "rejected")
    return profile


def _notify(profile: MemberProfile, decision: str) -> None:
    """The decision e-mail, in French (the language of the extranet), never with a password."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "profile": profile,
        "user": profile.user,
        "group_name": profile.actor_group.group.name,
        "personal_space_url": base_url + reverse("extranet:personal_space"),
        "login_url": base_url + reverse("account_login"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"extranet/email/registration_{decision}_subject.txt", context).strip()
        body = render_to_string(f"extranet/email/registration_{decision}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [profile.user.email])
