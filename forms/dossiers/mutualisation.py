"""Filing sees the map: what the Atlas already holds near a dossier, so that authorities
coordinate (the seed's "mutualisation"). Shown to the authority as it fills the dossier and to
staff in the instruction view, and in the API:

- the French authorities that already cooperate with the same partner authority (its name,
  whatever accents and case, in the partner country);
- the other French authorities active in the partner country, those with most projects first;
- the Bourse-projets entries of the partner country still looking for a French partner, those
  of the dossier's themes first.

A handful of queries whatever the size of the Atlas (pinned by the tests); the dossier's own
authority is never listed.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from atlas_pages.atlas.fulltext import folded
from atlas_pages.models import BourseProject, FrenchAuthority, PartnerAuthority
from forms.dossiers.models import Dossier

LISTED = 8


@dataclass
class Neighbour:
    code: str
    name: str
    projects: int


@dataclass
class Neighbours:
    same_partner: list[Neighbour] = field(default_factory=list)
    same_country: list[Neighbour] = field(default_factory=list)
    bourse: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.same_partner or self.same_country or self.bourse)


def neighbours(dossier: Dossier) -> Neighbours:
    found = Neighbours()
    country = dossier.partner_country
    if country is None:
        return found
    own = dossier.authority_id
    partners = []
    if dossier.partner_name.strip():
        wanted = folded(dossier.partner_name.strip())
        partners = [
            pk
            for pk, name in PartnerAuthority.objects.filter(country=country).values_list("pk", "name")
            if folded(name) == wanted
        ]
    if partners:
        found.same_partner = [
            Neighbour(item.code, item.name, item.shared)
            for item in FrenchAuthority.objects.filter(projects__partner_authorities__in=partners)
            .exclude(pk=own)
            .annotate(shared=Count("projects", filter=Q(projects__partner_authorities__in=partners), distinct=True))
            .order_by("-shared", "name")[:LISTED]
        ]
    already = {item.code for item in found.same_partner}
    found.same_country = [
        Neighbour(item.code, item.name, item.active)
        for item in FrenchAuthority.objects.filter(projects__country=country)
        .exclude(pk=own)
        .exclude(code__in=already)
        .annotate(active=Count("projects", filter=Q(projects__country=country), distinct=True))
        .order_by("-active", "name")[:LISTED]
    ]
    themes = set(dossier.themes.values_list("pk", flat=True))
    entries = (
        BourseProject.objects.filter(
            country=country,
            moderation=BourseProject.Moderation.PUBLISHED,
            status__in=(BourseProject.Status.OPEN, BourseProject.Status.IN_CONTACT),
        )
        .select_related("partner_authority", "theme")
        .order_by("-recorded_at", "-pk")[: LISTED * 4]
    )
    ranked = sorted(entries, key=lambda entry: entry.theme_id not in themes)[:LISTED]
    found.bourse = [
        {
            "id": entry.pk,
            "title": entry.title,
            "partner": entry.partner_authority.name,
            "theme": str(entry.theme.label),
            "status": str(entry.get_status_display()),
        }
        for entry in ranked
    ]
    return found
