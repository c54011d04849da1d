"""Who sees and who may change a co-financing dossier: decided here once, for the API, the pages
and the back office.

- the filing authority's members (local authorities whose profile names its official code),
  and whoever created the dossier: their own dossiers, drafts included;
- embassies: the filed dossiers whose partner is in their country;
- prefectures: the filed dossiers of authorities of their region;
- ministries and operators: every filed dossier;
- staff: everything; other groups: nothing.
"""

from django.db.models import Q, QuerySet

from atlas_pages.atlas.geography import regions
from forms.dossiers.models import Dossier
from forms.permissions import Viewer


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
