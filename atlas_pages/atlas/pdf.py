"""“Exporter les résultats en pdf”: the Atlas search results as a PDF, by country or by continent.

A title page (the filters used, the date, the counts), then the projects grouped by continent
and country, and within a country by French local authority; page numbers in the footer.
Rendered by WeasyPrint from an HTML template, in French.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.fulltext import folded
from atlas_pages.atlas.geography import CONTINENT_LABELS, departments, regions
from atlas_pages.atlas.models import Country, Project
from atlas_pages.core.countries import country_name
from atlas_pages.core.themes import LABELS as THEME_LABELS

#: Above this many projects the PDF is made in the background and the member told when ready:
#: what a request renders stays well within gunicorn's timeout (2,000 projects took 36 s).
IMMEDIATE_LIMIT = settings.CNCD_PDF_IMMEDIATE_LIMIT
#: A kept export is named by its filters, within this many characters.
TITLE_MAX = 255

logger = logging.getLogger(__name__)


@dataclass
class AuthorityGroup:
    name: str
    projects: list[dict] = field(default_factory=list)


@dataclass
class CountryGroup:
    code: str
    name: str
    authorities: list[AuthorityGroup] = field(default_factory=list)
    count: int = 0


@dataclass
class ContinentGroup:
    slug: str
    name: str
    countries: list[CountryGroup] = field(default_factory=list)
    count: int = 0


def describe_filters(params) -> list[tuple[str, str]]:
    """The filters of the search, as (label, value) in words."""
    filterset = atlas_search.ProjectFilter(params)
    filterset.is_valid()
    values = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}
    labels = {name: str(item.label) for name, item in filterset.filters.items()}
    readable = {
        "continent": lambda value: str(CONTINENT_LABELS.get(value, value)),
        "region": lambda value: regions().get(value, value),
        "department": lambda value: {dep.code: dep.name for dep in departments()}.get(value, value),
        "theme": lambda value: str(THEME_LABELS.get(value, value)),
        "bbox": lambda value: ", ".join(f"{number:g}" for number in value),
        "kind": lambda value: str(dict(Project.Kind.choices).get(value, value)),
        "status": lambda value: str(dict(Project.Status.choices).get(value, value)),
        "country": country_name,
    }
    described = []
    for name, value in values.items():
        if value in (None, "", []) or name == "ordering":
            continue
        text = readable.get(name, str)(value)
        described.append((labels.get(name, name), text))
    return described


def group(rows: list[dict], scope: str) -> list[ContinentGroup]:
    continent_of = dict(Country.objects.values_list("iso2", "continent__slug")) if scope == "continent" else {}
    by_continent: dict[str, dict[str, CountryGroup]] = defaultdict(dict)
    for row in rows:
        code = row["country"]["code"]
        continent = continent_of.get(code, "") if scope == "continent" else ""
        country = by_continent[continent].setdefault(code, CountryGroup(code=code, name=row["country"]["name"]))
        authority_name = ", ".join(item["name"] for item in row["french_authorities"]) or "—"
        if not country.authorities or country.authorities[-1].name != authority_name:
            existing = next((item for item in country.authorities if item.name == authority_name), None)
            if existing is None:
                existing = AuthorityGroup(name=authority_name)
                country.authorities.append(existing)
        else:
            existing = country.authorities[-1]
        existing.projects.append(row)
        country.count += 1
    result = []
    for slug, countries in by_continent.items():
        ordered = sorted(countries.values(), key=lambda item: folded(item.name))
        for country in ordered:
            country.authorities.sort(key=lambda item: folded(item.name))
        result.append(
            ContinentGroup(
                slug=slug,
                name=str(CONTINENT_LABELS.get(slug, "")),
                countries=ordered,
                count=sum(country.count for country in ordered),
            )
        )
    return sorted(result, key=lambda item: item.name)


def meta_line(row: dict, statuses: dict) -> str:
    """Kind, status, years, partners and themes of a project, on one line."""
    parts = [_("Twinning")] if row["kind"] == "twinning" else []
    parts.append(str(statuses[row["status"]]))
    parts.append(f"{row['start_year']}–{row['end_year'] or '…'}")
    if row["partner_authorities"]:
        parts.append(", ".join(partner["name"] for partner in row["partner_authorities"]))
    if row["themes"]:
        parts.append(", ".join(theme["name"] for theme in row["themes"]))
    return " · ".join(parts)


def render_pdf(
    params, scope: str = "country", *, ids: list[int] | None = None, when: dt.datetime | None = None
) -> bytes:
    """The PDF of the search ``params`` (already validated), in French."""
    from weasyprint import HTML

    if ids is None:
        ids = atlas_search.find(params).ids()
    with translation.override(settings.LANGUAGE_CODE):
        rows = atlas_search.summary_rows(ids)
        statuses = {"planned": _("Planned"), "ongoing": _("Ongoing"), "completed": _("Completed")}
        for row in rows:
            row["meta"] = meta_line(row, statuses)
        groups = group(rows, scope)
        html = render_to_string(
            "atlas_pages/pdf/projects.html",
            {
                "groups": groups,
                "scope": scope,
                "filters": describe_filters(params),
                "count": len(rows),
                "country_count": sum(len(continent.countries) for continent in groups),
                "continent_count": len([continent for continent in groups if continent.slug]),
                "generated_at": when or timezone.localtime(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def export_title(params) -> str:
    """What a kept export is called in the member's space: its filters in words."""
    with translation.override(settings.LANGUAGE_CODE):
        words = [text for _label, text in describe_filters(params)]
        title = _("Atlas: %(filters)s") % {"filters": ", ".join(words)} if words else _("Atlas: every project")
    return title[:TITLE_MAX]
