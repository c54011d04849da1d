"""Who asks, read once per request from what staff verified (``extranet.services.verified_profile``):
the procedures' rules (``forms.dossiers.permissions``, and each room's services) decide on it."""

from dataclasses import dataclass

from atlas_pages.atlas.geography import regions
from atlas_pages.core.auth import Caller
from extranet.services import member_groups, verified_profile


@dataclass(frozen=True)
class Viewer:
    """What the rules need to know about who asks, read once per request."""

    user_id: int | None
    is_staff: bool = False
    groups: frozenset[str] = frozenset()
    authority_code: str = ""
    country: str = ""
    region_name: str = ""

    @classmethod
    def of(cls, user: Caller) -> "Viewer":
        if not user.is_authenticated:
            return cls(user_id=None)
        if user.is_staff:
            return cls(user_id=user.pk, is_staff=True)
        cached = getattr(user, "_dossier_viewer", None)
        if cached is not None:
            return cached
        profile = verified_profile(user)  # only what staff verified decides
        groups = frozenset(actor.slug for actor in member_groups(user))
        viewer = cls(
            user_id=user.pk,
            groups=groups,
            authority_code=(profile.organisation_code if profile and "collectivites" in groups else ""),
            country=(profile.country if profile and "ambassades" in groups else ""),
            region_name=(regions().get(profile.region, "") if profile and "prefectures" in groups else ""),
        )
        user._dossier_viewer = viewer
        return viewer
