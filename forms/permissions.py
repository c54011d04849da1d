"""Who sees and who may change a co-financing dossier: decided here once, for the API, the pages
and the back office.

- the filing authority's members (local authorities whose profile names its official code),
  and whoever created the dossier: their own dossiers, drafts included;
- embassies: the filed dossiers whose partner is in their country;
- prefectures: the filed dossiers of authorities of their region;
- ministries and operators: every filed dossier;
- staff: everything; other groups: nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from atlas_pages.atlas.geography import regions
from extranet.services import member_groups, verified_profile
from forms.models import Dossier


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
    def of(cls, user: AbstractBaseUser) -> "Viewer":
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


def own(viewer: Viewer) -> Q:
    """The dossiers the member files: their own and their authority's."""
    own = Q(created_by_id=viewer.user_id)
    if viewer.authority_code:
        own |= Q(authority__code=viewer.authority_code)
    return own


def visible(viewer: Viewer, queryset: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    queryset = Dossier.objects.all() if queryset is None else queryset
    if viewer.user_id is None:
        return queryset.none()
    if viewer.is_staff:
        return queryset
    seen = own(viewer)
    filed = ~Q(state=Dossier.State.DRAFT)
    if "ministeres-operateurs" in viewer.groups:
        seen |= filed
    if viewer.country:
        seen |= filed & Q(partner_country__iso2=viewer.country)
    if viewer.region_name:
        seen |= filed & Q(authority__region=viewer.region_name)
    return queryset.filter(seen)


def is_filer(viewer: Viewer, dossier: Dossier) -> bool:
    """The member files for the dossier's authority (or created it)."""
    if viewer.user_id is None:
        return False
    return dossier.created_by_id == viewer.user_id or (
        bool(viewer.authority_code) and dossier.authority.code == viewer.authority_code
    )


def speaks_for(viewer: Viewer, body: str, dossier: Dossier) -> bool:
    """The member gives the opinion of ``body`` on this dossier: the embassy in the partner
    country, the prefecture of the authority's region, ministries and operators."""
    if body not in viewer.groups:
        return False
    if body == "ambassades":
        return (
            bool(viewer.country)
            and dossier.partner_country is not None
            and dossier.partner_country.iso2 == viewer.country
        )
    if body == "prefectures":
        return bool(viewer.region_name) and dossier.authority.region == viewer.region_name
    return body == "ministeres-operateurs"


def body_members(body: str, dossier: Dossier):
    """The approved members who speak for ``body`` on this dossier (to tell them)."""
    from django.contrib.auth import get_user_model

    from extranet.models import MemberProfile

    members = get_user_model().objects.filter(
        is_active=True,
        groups__actor_group__slug=body,
        member_profile__status=MemberProfile.Status.APPROVED,
    )
    if body == "ambassades":
        members = members.filter(
            member_profile__country=dossier.partner_country.iso2 if dossier.partner_country else ""
        )
    elif body == "prefectures":
        codes = [code for code, name in regions().items() if name == dossier.authority.region]
        members = members.filter(member_profile__region__in=codes)
    return members.distinct()
