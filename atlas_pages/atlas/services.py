"""The Atlas's reference lists as the API and the front end ask for them: countries with their
number of projects, French local authorities, published Bourse-projets entries. Each takes its
filters, checks them (a bad one is named in a ``ValidationError``) and returns a queryset or a
list; callers parse, call and render."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas.geography import regions
from atlas_pages.atlas.models import BourseProject, Country, FrenchAuthority, folded


def countries(*, continent: str | None = None, with_projects: bool = False) -> list[Country]:
    """Countries in alphabetical order (accents folded), each with ``project_count``."""
    found = Country.objects.select_related("continent").annotate(project_count=Count("projects"))
    if continent:
        found = found.filter(continent__slug=continent)
    if with_projects:
        found = found.filter(project_count__gt=0)
    return sorted(found, key=lambda item: folded(item.name))


def authorities(
    *, q: str | None = None, kind: str | None = None, region: str | None = None, department: str | None = None
) -> QuerySet[FrenchAuthority]:
    """French local authorities by name or official code, kind, region (INSEE code) and
    department, in alphabetical order, each with ``project_count``."""
    found = FrenchAuthority.objects.all()
    if q and q.strip():
        found = found.filter(Q(name__icontains=q.strip()) | Q(code__iexact=q.strip()))
    if kind:
        found = found.filter(kind=kind)
    if region:
        found = found.filter(region=regions().get(region, "?"))
    if department:
        found = found.filter(department_code=department)
    return found.annotate(project_count=Count("projects")).order_by("name", "pk")


def bourse_entries(
    *, country: str | None = None, theme: str | None = None, status: str | None = None
) -> QuerySet[BourseProject]:
    """Published Bourse-projets entries, newest first; ``status`` "all" or empty for every status."""
    found = BourseProject.objects.filter(moderation=BourseProject.Moderation.PUBLISHED).select_related(
        "partner_authority", "country", "theme"
    )
    if status and status != "all":
        if status not in BourseProject.Status.values:
            choices = ", ".join([*BourseProject.Status.values, "all"])
            raise ValidationError({"status": [_("Choose one of: %(choices)s.") % {"choices": choices}]})
        found = found.filter(status=status)
    if country:
        found = found.filter(country__iso2=country.upper())
    if theme:
        found = found.filter(theme__slug=theme)
    return found


def bourse_countries() -> list[str]:
    """The codes of the countries that have published entries."""
    published = BourseProject.objects.filter(moderation=BourseProject.Moderation.PUBLISHED)
    return sorted(set(published.values_list("country__iso2", flat=True)))


def project_notes(project, user) -> list[dict]:
    """What the other plugins say of the project (the co-financing dossier it comes from), each
    note ``{label, url}``; an anonymous ``user`` gets what the public may read."""
    from atlas_pages.core import hooks as cncd_hooks

    return [
        note for notes in cncd_hooks.implementations(cncd_hooks.ATLAS_PROJECT_NOTES) for note in notes(project, user)
    ]


def atlas_page_url() -> str:
    """The address of the site's Atlas page ("" when the site has none)."""
    from atlas_pages.atlas.page import AtlasPage

    page = AtlasPage.objects.live().order_by("path").first()
    return page.url if page is not None and page.url else ""


def project_url(project_id: int) -> str:
    """The address of a project's sheet on the site's Atlas page ("" when the site has none)."""
    base = atlas_page_url()
    return f"{base}projet/{project_id}/" if base else ""


def key_figures() -> dict:
    """The Atlas in a few figures and a small world map, for the home page: counted on the
    whole Atlas once per version of its index (the figures and the map are kept in the cache)."""
    import numpy as np
    from django.core.cache import cache
    from django.utils.safestring import mark_safe

    from atlas_pages.atlas import index as atlas_index
    from atlas_pages.atlas import svgmap

    current = atlas_index.current()
    key = f"cncd:atlas:key-figures:{current.version}:{translation.get_language()}"
    found = cache.get(key)
    if found is None:
        counted = atlas_index.count(current, np.ones(len(current.pk), dtype=bool))
        found = {
            "projects": counted.total,
            "countries": len(counted.country),
            "authorities": len(counted.authority),
            "map": svgmap.world_svg(counted.country, width=480),
        }
        cache.set(key, found, 24 * 3600)
    return {**found, "map": mark_safe(found["map"]), "url": atlas_page_url()}  # noqa: S308 — numbers and escaped names
