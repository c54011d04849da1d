"""“Exporter les résultats en pdf”: the Atlas search results as a PDF, by country or by continent.

A title page (the State's logo block, the filters used, the date, the counts), the maps and the
trends, then the projects grouped by continent and country; within a country the projects follow
their French local authorities, whose names begin each entry. The date and page numbers are in
the footer. Rendered by WeasyPrint from an HTML template, in French, in Marianne.

WeasyPrint's time goes by the block and the line it lays out: each project is one paragraph of
two lines (a heading per authority, kept with what follows, cost a fifth more), and the footer
is one margin box.

WeasyPrint lays a whole document out in memory, and its cost per page grows with the document:
the projects are rendered in parts of ``PART_PROJECTS`` (headings repeated "(suite)" where a
group goes on), each part its own document numbered from where the previous one ended, and the
parts are joined by pikepdf. Memory stays that of one part, whatever the export's size.
"""

import datetime as dt
import gc
import io
import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import names, svgmap, trends
from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.fulltext import folded
from atlas_pages.atlas.geography import CONTINENT_LABELS, departments, regions
from atlas_pages.atlas.models import Country, FrenchAuthority, Project
from atlas_pages.core.countries import country_name
from atlas_pages.core.pdf_brand import FONT_FAMILY, brand_css
from atlas_pages.core.themes import LABELS as THEME_LABELS

#: Above this many projects the PDF is made in the background and the member told when ready:
#: what a request renders stays well within gunicorn's timeout (2,000 projects took 36 s).
IMMEDIATE_LIMIT = settings.CNCD_PDF_IMMEDIATE_LIMIT
#: A kept export is named by its filters, within this many characters.
TITLE_MAX = 255
#: Projects per rendered part (see above).
PART_PROJECTS = 400

logger = logging.getLogger(__name__)


@dataclass
class CountryGroup:
    code: str
    name: str
    projects: list[dict] = field(default_factory=list)  # by French authority, each row's "by"
    count: int = 0
    continued: bool = False  # began in an earlier part


@dataclass
class ContinentGroup:
    slug: str
    name: str
    countries: list[CountryGroup] = field(default_factory=list)
    count: int = 0
    continued: bool = False


def _named(kind: str, code) -> str:
    return names.name_of(kind, str(code)) or str(code)


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
        "authority": lambda value: _named(names.FRENCH, value),
        "partner": lambda value: _named(names.PARTNER, value),
    }
    described = []
    for name, value in values.items():
        if value in (None, "", []) or name == "ordering":
            continue
        text = readable.get(name, str)(value)
        described.append((labels.get(name, name), text))
    return described


def entries(ids: list[int]) -> list[dict]:
    """What orders and groups the projects ``ids`` (in that order), and no more: each one's id,
    country and French authorities' names ("by"), in three queries. A part's full rows are read
    when it is rendered (``filled``): the whole export's rows would be held through every part."""
    countries = dict(Project.objects.filter(pk__in=ids).values_list("id", "country__iso2"))
    links = list(
        atlas_search.FrenchLink.objects.filter(project_id__in=ids)
        .order_by("pk")
        .values_list("project_id", "frenchauthority_id")
    )
    authority_names = dict(FrenchAuthority.objects.filter(pk__in={pk for _p, pk in links}).values_list("pk", "name"))
    by: dict[int, list[str]] = defaultdict(list)
    for project_id, pk in links:
        by[project_id].append(authority_names[pk])
    return [{"id": pk, "country": countries[pk], "by": ", ".join(by[pk]) or "—"} for pk in ids]


def group(rows: list[dict], scope: str) -> list[ContinentGroup]:
    """The ``entries`` by continent (when ``scope`` is "continent") and country, in alphabetical
    order, each country's projects in the order of their French authorities."""
    continent_of = dict(Country.objects.values_list("iso2", "continent__slug")) if scope == "continent" else {}
    by_continent: dict[str, dict[str, CountryGroup]] = defaultdict(dict)
    for row in rows:
        code = row["country"]
        continent = continent_of.get(code, "") if scope == "continent" else ""
        country = by_continent[continent].get(code)
        if country is None:
            country = by_continent[continent][code] = CountryGroup(code=code, name=country_name(code))
        country.projects.append(row)
        country.count += 1
    result = []
    for slug, countries in by_continent.items():
        ordered = sorted(countries.values(), key=lambda item: folded(item.name))
        for country in ordered:
            country.projects.sort(key=lambda row: folded(row["by"]))  # stable: the search's order within
        result.append(
            ContinentGroup(
                slug=slug,
                name=str(CONTINENT_LABELS.get(slug, "")),
                countries=ordered,
                count=sum(country.count for country in ordered),
            )
        )
    return sorted(result, key=lambda item: item.name)


def filled(part: list[ContinentGroup]) -> list[ContinentGroup]:
    """A copy of the part whose entries are the projects' full rows with their ``meta`` line
    (the part itself keeps its light entries: the rows go when the part is rendered)."""
    ids = [entry["id"] for continent in part for country in continent.countries for entry in country.projects]
    rows = {row["id"]: row for row in atlas_search.summary_rows(ids)}
    statuses = {"planned": _("Planned"), "ongoing": _("Ongoing"), "completed": _("Completed")}
    return [
        replace(
            continent,
            countries=[
                replace(
                    country,
                    projects=[
                        {**rows[entry["id"]], "by": entry["by"], "meta": meta_line(rows[entry["id"]], statuses)}
                        for entry in country.projects
                    ],
                )
                for country in continent.countries
            ],
        )
        for continent in part
    ]


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


def parts(groups: list[ContinentGroup], size: int) -> Iterator[list[ContinentGroup]]:
    """The groups cut into parts of ``size`` projects at most, in order; a group cut in two
    appears in both parts, marked ``continued`` in the later one (its count stays the whole's)."""
    flat = [
        (continent, country, project)
        for continent in groups
        for country in continent.countries
        for project in country.projects
    ]
    seen: set[int] = set()  # the groups of earlier parts
    for start in range(0, len(flat), size):
        part: list[ContinentGroup] = []
        last: tuple = (None, None)
        for continent, country, project in flat[start : start + size]:
            if continent is not last[0]:
                continent_part = replace(continent, countries=[], continued=id(continent) in seen)
                part.append(continent_part)
            if country is not last[1]:
                country_part = replace(country, projects=[], continued=id(country) in seen)
                continent_part.countries.append(country_part)
            country_part.projects.append(project)
            last = (continent, country)
        seen.update(id(group) for item in flat[start : start + size] for group in item[:2])
        yield part


def projects_in(part: list[ContinentGroup]) -> int:
    return sum(len(country.projects) for continent in part for country in continent.countries)


def render_pdf(
    params,
    scope: str = "country",
    *,
    ids: list[int] | None = None,
    when: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PDF of the search ``params`` (already validated), in French. ``progress(done, total)``
    is told after each part (projects rendered so far, projects in all)."""
    import pikepdf
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if ids is None:
        ids = atlas_search.find(params).ids()
    total = len(ids)
    with translation.override(settings.LANGUAGE_CODE):
        groups = group(entries(ids), scope)
        index = atlas_index.current()
        chosen = index.positions(ids)
        counted = atlas_index.count(index, chosen)
        context = {
            "world_map": mark_safe(svgmap.world_svg(counted.country)),  # noqa: S308 — built from numbers and escaped names
            "france_map": mark_safe(svgmap.france_svg(counted.department)),  # noqa: S308
            "trends": trends.charts(trends.years(index, chosen, counted.years)),
            "scope": scope,
            "filters": describe_filters(params),
            "count": total,
            "country_count": sum(len(continent.countries) for continent in groups),
            "continent_count": len([continent for continent in groups if continent.slug]),
            "generated_at": when or timezone.localtime(),
            "brand_css": brand_css(),
            "font_family": FONT_FAMILY,
        }

        # One font configuration for every part: Marianne's faces are read and registered once,
        # not again for each part.
        fonts = FontConfiguration()

        def rendered(document: dict, first_page: int, whole: bool):
            html = render_to_string(
                "atlas_pages/pdf/projects.html", {**context, **document, "whole": whole, "first_page": first_page}
            )
            return HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=fonts)

        cut = list(parts(groups, PART_PROJECTS))
        if len(cut) <= 1:  # one document: its pages say "Page n / total"
            pdf = rendered({"cover": True, "groups": filled(cut[0]) if cut else []}, 0, whole=True).write_pdf()
            if progress:
                progress(total, total)
            return pdf
        joined = pikepdf.new()
        # What lives through every part (the rows, the modules, Django) is set apart from the
        # collector: collecting a part's boxes then scans that part only, not the whole heap
        # again (a full collection per part cost a sixth of the time).
        gc.collect()
        gc.freeze()
        try:
            _render_parts(cut, rendered, joined, progress, total)
        finally:
            gc.unfreeze()
        output = io.BytesIO()
        joined.save(output, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _render_parts(cut, rendered, joined, progress, total) -> None:
    """The cover, then each part, each numbered from where the previous ended, into ``joined``."""
    import pikepdf

    pages = done = 0
    documents = itertools.chain([{"cover": True, "groups": []}], ({"groups": filled(part)} for part in cut))
    for document in documents:  # a part's rows are read as it comes, and go with it
        made = rendered(document, pages + 1, whole=False)  # the number of its first page
        pages += len(made.pages)
        part_pdf = pikepdf.open(io.BytesIO(made.write_pdf()))
        del made
        gc.collect()  # WeasyPrint's boxes hold cycles: free one part's before the next
        joined.pages.extend(part_pdf.pages)
        done += projects_in(document["groups"])
        if progress:
            progress(done, total)


def export_title(params) -> str:
    """What a kept export is called in the member's space: its filters in words."""
    with translation.override(settings.LANGUAGE_CODE):
        words = [text for _label, text in describe_filters(params)]
        title = _("Atlas: %(filters)s") % {"filters": ", ".join(words)} if words else _("Atlas: every project")
    return title[:TITLE_MAX]
