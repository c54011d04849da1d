"""What the extranet does for members, used by both the API and the pages."""

from django.contrib.auth.models import AbstractBaseUser

from .models import ActorGroup


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
