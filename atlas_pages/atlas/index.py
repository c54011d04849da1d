"""An in-memory summary of every project, for facet counts in a few milliseconds.

Counting ten facets in SQL means ten scans of the results joined to the link tables; with the
summary, the database finds the matching ids once and Python counts. The summary is rebuilt
(five queries) when the Atlas changes: saving a project, its links or an authority, and
``atlas_generate`` bump a version kept in the shared cache, so every process notices.
"""

from collections import Counter
from dataclasses import dataclass, field
from threading import Lock

from atlas_pages.core import versions

VERSION_KEY = "cncd:atlas:version"
_lock = Lock()
_current: "Summary | None" = None


@dataclass
class Summary:
    version: str
    country: dict[int, str] = field(default_factory=dict)
    kind: dict[int, str] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)
    span: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    themes: dict[int, list[str]] = field(default_factory=dict)
    authorities: dict[int, list[str]] = field(default_factory=dict)
    regions: dict[int, set[str]] = field(default_factory=dict)
    departments: dict[int, set[str]] = field(default_factory=dict)
    partners: dict[int, list[int]] = field(default_factory=dict)
    continent_of: dict[str, str] = field(default_factory=dict)
    authority_names: dict[str, str] = field(default_factory=dict)
    partner_names: dict[int, str] = field(default_factory=dict)
    everything: "Counts | None" = None


def bump() -> None:
    """The Atlas changed: every process rebuilds its summary on next use."""
    versions.bump(VERSION_KEY)


def version() -> str:
    """The Atlas's current version, the same in every process (the shared cache holds it)."""
    return versions.current(VERSION_KEY)


def summary() -> Summary:
    global _current
    version_now = version()
    current = _current
    if current is not None and current.version == version_now:
        return current
    with _lock:
        if _current is None or _current.version != version_now:
            _current = _build(version_now)
        return _current


def _build(version: str) -> Summary:
    from atlas_pages.atlas.models import Country, FrenchAuthority, PartnerAuthority, Project

    result = Summary(version=version)
    result.continent_of = dict(Country.objects.values_list("iso2", "continent__slug"))
    for pk, iso2, kind, status, start, end in Project.objects.values_list(
        "pk", "country__iso2", "kind", "status", "start_year", "end_year"
    ).order_by():
        result.country[pk] = iso2
        result.kind[pk] = kind
        result.status[pk] = status
        result.span[pk] = (start, end)
    for project_id, slug in Project.themes.through.objects.values_list("project_id", "theme__slug").order_by():
        result.themes.setdefault(project_id, []).append(slug)
    authorities = {
        pk: (code, name, region, department_code)
        for pk, code, name, region, department_code in FrenchAuthority.objects.values_list(
            "pk", "code", "name", "region", "department_code"
        ).order_by()
    }
    for project_id, authority_id in Project.french_authorities.through.objects.values_list(
        "project_id", "frenchauthority_id"
    ).order_by():
        code, name, region, department_code = authorities[authority_id]
        result.authorities.setdefault(project_id, []).append(code)
        result.regions.setdefault(project_id, set()).add(region)
        if department_code:
            result.departments.setdefault(project_id, set()).add(department_code)
        result.authority_names[code] = name
    partner_ids = set()
    for project_id, partner_id in Project.partner_authorities.through.objects.values_list(
        "project_id", "partnerauthority_id"
    ).order_by():
        result.partners.setdefault(project_id, []).append(partner_id)
        partner_ids.add(partner_id)
    result.partner_names = dict(PartnerAuthority.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
    return result


@dataclass
class Counts:
    total: int
    country: Counter
    continent: Counter
    kind: Counter
    status: Counter
    theme: Counter
    authority: Counter
    region: Counter
    department: Counter
    partner: Counter
    spans: Counter


def count(ids: list[int]) -> Counts:
    """Facet counts of the projects ``ids`` (several themes or authorities count under each)."""
    data = summary()
    if len(ids) == len(data.country):  # every project: counted once per version
        if data.everything is None:
            data.everything = _count(data, list(data.country))
        return data.everything
    return _count(data, ids)


def _count(data: Summary, ids: list[int]) -> Counts:
    countries = Counter(data.country[pk] for pk in ids if pk in data.country)
    continents = Counter()
    for iso2, number in countries.items():
        continents[data.continent_of.get(iso2, "")] += number
    empty: list = []
    return Counts(
        total=len(ids),
        country=countries,
        continent=continents,
        kind=Counter(data.kind.get(pk) for pk in ids),
        status=Counter(data.status.get(pk) for pk in ids),
        theme=Counter(slug for pk in ids for slug in data.themes.get(pk, empty)),
        authority=Counter(code for pk in ids for code in data.authorities.get(pk, empty)),
        region=Counter(region for pk in ids for region in data.regions.get(pk, empty)),
        department=Counter(code for pk in ids for code in data.departments.get(pk, empty)),
        partner=Counter(partner for pk in ids for partner in data.partners.get(pk, empty)),
        spans=Counter(data.span[pk] for pk in ids if pk in data.span),
    )
