"""What the Atlas pages of the reference front end show; the same search and facets as the API."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import names, services, svgmap, trends
from atlas_pages.atlas import pdf as atlas_pdf
from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.fulltext import folded
from atlas_pages.atlas.geography import CONTINENT_LABELS, CONTINENTS, departments, regions
from atlas_pages.atlas.models import Continent, Country, Project
from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.countries import country_name
from atlas_pages.core.feedback import report_refusal
from atlas_pages.core.themes import LABELS as THEME_LABELS

PER_PAGE = 20
FACETS_SHOWN = 8


def map_settings() -> dict:
    """The maps' base map: the countries the site ships (Natural Earth), and the tiles of
    ``CNCD_MAP_TILES`` over them when the site has a tile server (none by default)."""
    tiles = getattr(settings, "CNCD_MAP_TILES", "")
    return {
        "tiles": tiles,
        "attribution": getattr(settings, "CNCD_MAP_ATTRIBUTION", "© OpenStreetMap") if tiles else "",
        "outlines": static("vendor/world-atlas/countries-50m.json"),
    }


#: The filters that take an authority's code, chosen on the page by its name: (filter, kind of
#: names, label, the suggestions' API).
NAMED_FILTERS = (
    ("authority", names.FRENCH, gettext_lazy("French authority"), "api:authority_suggestions"),
    ("partner", names.PARTNER, gettext_lazy("Partner authority"), "api:partner_suggestions"),
)


def _named_filters(params) -> tuple[dict[str, str], dict[str, str]]:
    """The names typed in the form (``authority_name``, ``partner_name``) taken out of ``params``:
    a name chosen from the list comes with its code; a name typed without choosing gives the code
    of the one authority it names, or an error for its field. Returns the names to show (those of
    the codes, when only codes came: a facet's link, a saved map) and the errors."""
    shown, errors = {}, {}
    for name, kind, _label, _url in NAMED_FILTERS:
        sent = f"{name}_name" in params  # the form was sent: its name field says what is wanted
        typed = params.pop(f"{name}_name", [""])[-1].strip()[:200]
        if sent and not typed:
            params.pop(name, None)  # the name was erased: its authority is no longer wanted
        code = params.get(name, "").strip()
        if typed and not code:
            try:
                params[name] = names.resolve(kind, typed)
            except names.Unresolved as error:
                errors[f"{name}_name"] = str(error)
        code = params.get(name, "").strip()
        shown[f"{name}_name"] = names.name_of(kind, code) if code else typed
    return shown, errors


def _search_form(params, shown: dict[str, str]):
    """django-filter's form, with lists to choose from where the API takes codes, authorities
    chosen by name (suggested as they are typed) and the map's area chosen on the map."""
    data = params.copy()
    for name, value in shown.items():
        data[name] = value
    filterset = atlas_search.ProjectFilter(data)
    form = filterset.form
    countries = sorted(
        ((code, country_name(code)) for code in atlas_index.current().countries if code),
        key=lambda item: folded(item[1]),
    )
    for name, choices in (
        ("country", countries),
        ("region", list(regions().items())),
        ("department", [(dep.code, f"{dep.code} — {dep.name}") for dep in departments()]),
    ):
        form.fields[name].widget = forms.Select(choices=[("", "—"), *choices])
    fields = {}
    for name, field in form.fields.items():
        named = next((item for item in NAMED_FILTERS if item[0] == name), None)
        if named is not None:
            fields[f"{name}_name"] = _name_field(*named)
            field.widget = forms.HiddenInput()
        elif name == "bbox":
            field.widget = forms.HiddenInput()
        fields[name] = field
    form.fields = fields
    return filterset, form


def _name_field(name: str, kind: str, label, url_name: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        help_text=_("Type two letters of its name or more, then choose it in the list."),
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-url": reverse(url_name),
                "data-autocomplete-code": f"id_{name}",
                "data-autocomplete-label": _("Suggestions for “%(field)s”") % {"field": label},
                "data-autocomplete-found": _("authorities found"),
            }
        ),
    )


def _area(params) -> tuple[float, float, float, float] | None:
    """The map area the search is limited to, when valid (the form names a bad one)."""
    try:
        return atlas_search.BBoxField(required=False).clean(params.get("bbox", ""))
    except ValidationError:
        return None


def saved_view(params) -> tuple[str, int | None]:
    """The view a saved map reopens with (``vue=west,south,east,north&zoom=N``), if valid."""
    view, zoom = params.pop("vue", [""])[-1], params.pop("zoom", [""])[-1]
    try:
        bbox = atlas_search.BBoxField(required=True).clean(view)
        zoom = int(zoom)
    except (ValidationError, ValueError):
        return "", None
    if not 0 <= zoom <= 18:
        return "", None
    return atlas_search.format_bbox(bbox), zoom


def search_context(page, request) -> dict:
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    view, zoom = saved_view(params)
    shown, name_errors = _named_filters(params)
    filterset, form = _search_form(params, shown)
    query = urlencode([(key, value) for key, value in params.lists() for value in value if value])
    context = {
        "view": view,
        "zoom": zoom,
        "form": form,
        "query": query,
        "map": map_settings(),
        "geojson_url": f"/api/atlas/projects.geojson?{query}",
        "pdf_url": f"/api/atlas/projects.pdf?{query}",
        "project_url": page.url + "projet/",
        "area": atlas_search.format_bbox(area) if (area := _area(params)) else "",
        "query_without_area": urlencode(
            [(key, value) for key, value in params.lists() for value in value if value and key != "bbox"]
        ),
        "pdf_limit": atlas_pdf.IMMEDIATE_LIMIT,
        "open_data": {
            kind: reverse(f"api:atlas_{kind}") + (f"?{query}" if query else "") for kind in ("csv", "json", "iati")
        }
        | {"schema": reverse("api:atlas_json_schema")},
        "results": [],
        "count": 0,
        "facets": [],
    }
    try:
        if name_errors:
            raise ValidationError(name_errors)
        found = atlas_search.find(params)
    except ValidationError:
        form.is_valid()  # the errors show next to each field
        for name, message in name_errors.items():
            form.add_error(name, message)
        return context
    paginator = Paginator(Results(found), PER_PAGE)
    current = paginator.get_page(page_number)
    context["search"] = {
        "query": query,
        "count": found.count,
        "title": page.title,
        "pdf_limit": atlas_pdf.IMMEDIATE_LIMIT,
    }
    counts = found.counts()
    context.update(
        count=found.count,
        page_obj=current,
        results=atlas_search.summary_rows(list(current.object_list)),
        facets=_facet_links(atlas_search.facets(counts), params),
        trends={
            **trends.charts(trends.years(found.index, found.mask, counts.years)),
            "api_url": f"/api/atlas/trends/?{query}",
        },
    )
    return context


class Results:
    """The search's results as Django's paginator takes them: a count and a slice of ids."""

    def __init__(self, found: atlas_search.Found):
        self.found = found

    def count(self) -> int:
        return self.found.count

    def __len__(self) -> int:
        return self.found.count

    def __getitem__(self, part: slice) -> list[int]:
        return self.found.ids(part.start or 0, (part.stop or self.found.count) - (part.start or 0))


FACET_TITLES = {
    "continent": gettext_lazy("Continent"),
    "country": gettext_lazy("Country"),
    "theme": gettext_lazy("Theme"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "region": gettext_lazy("French region"),
}


def _facet_links(facets: dict, params) -> list[dict]:
    """The facets as links that add (or remove) their filter."""
    groups = []
    for name in ("continent", "country", "theme", "kind", "status", "region"):
        values = [item for item in facets[name] if item["count"]]
        values.sort(key=lambda item: -item["count"])
        links = []
        for item in values[:FACETS_SHOWN]:
            chosen = params.get(name) == item["value"]
            query = params.copy()
            if chosen:
                query.pop(name, None)
            else:
                query[name] = item["value"]
            links.append({**item, "chosen": chosen, "query": query.urlencode()})
        if links:
            groups.append({"name": name, "title": str(FACET_TITLES[name]), "values": links})
    return groups


def project_context(page, request, project_id: int) -> dict:
    project = Project.objects.select_related("country__continent", "updated_by").filter(pk=project_id).first()
    if project is None:
        raise Http404
    [row] = atlas_search.summary_rows([project.pk])
    points = []
    if project.latitude_france is not None:
        points.append({"lat": project.latitude_france, "lng": project.longitude_france, "label": _("In France")})
    return {
        "project": project,
        "row": row,
        "map": map_settings(),
        "france_point": points[0] if points else None,
        "abroad_point": row["location_abroad"],
        "country_url": page.url + f"pays/{project.country.iso2}/",
        "continent": project.country.continent,
        "continent_url": page.url + f"continent/{project.country.continent.slug}/",
        "search_url": page.url,
        "notes": services.project_notes(project, request.user),
    }


def figures(counts: atlas_index.Counts) -> dict:
    """Key figures of a selection of the Atlas, from its facet counts."""
    return {
        "projects": counts.total,
        "twinnings": counts.kind.get("twinning", 0),
        "ongoing": counts.status.get("ongoing", 0),
        "french_authorities": len(counts.authority),
        "partner_authorities": len(counts.partner),
        "themes": [
            {"slug": slug, "name": str(THEME_LABELS.get(slug, slug)), "count": number}
            for slug, number in counts.theme.most_common(5)
        ],
    }


def country_figures(iso2: str) -> dict | None:
    """The live Atlas figures of a country (for its page and its country zoom)."""
    country = Country.objects.filter(iso2=iso2).first()
    if country is None:
        return None
    index = atlas_index.current()
    code = atlas_index.code_of(index.countries, iso2)
    counts = atlas_index.count(index, index.country == code)
    return {"country": country, "name": country.name, "counts": counts, **figures(counts)}


def country_maps(data: dict) -> dict:
    """A country's two static maps (SVG drawn on the server): the country in its region, shaded
    by its projects, and France with the départements of the French authorities that cooperate
    with it."""
    country, counts = data["country"], data["counts"]
    west, south, east, north = country.bbox
    margin = max(east - west, north - south) * 0.35 + 1
    area = (west - margin, south - margin, east + margin, north + margin)
    label = ngettext(
        "Map of %(country)s and its neighbours: %(count)d project in the Atlas",
        "Map of %(country)s and its neighbours: %(count)d projects in the Atlas",
        counts.total,
    ) % {"country": data["name"], "count": counts.total}
    return {
        "area_map": mark_safe(svgmap.area_svg({country.iso2: counts.total}, area, label, width=320)),  # noqa: S308
        "france_map": mark_safe(svgmap.france_svg(counts.department, width=260)),  # noqa: S308
    }


def country_context(page, request, iso2: str) -> dict:
    data = country_figures(iso2)
    if data is None:
        raise Http404
    latest = list(
        Project.objects.filter(country=data["country"])
        .order_by("-start_year", "title")
        .values_list("pk", flat=True)[:10]
    )
    zooms = [page for pages in cncd_hooks.implementations(cncd_hooks.ATLAS_COUNTRY_PAGES) for page in pages(iso2)]
    return {
        **data,
        "latest": atlas_search.summary_rows(latest),
        "zooms": zooms,
        "map": map_settings(),
        "geojson_url": f"/api/atlas/projects.geojson?country={iso2}",
        "project_url": page.url + "projet/",
        "search_url": page.url + f"?country={iso2}",
        "continent": data["country"].continent,
        "continent_url": page.url + f"continent/{data['country'].continent.slug}/",
        "bbox": ",".join(str(value) for value in data["country"].bbox),
    }


def continent_context(page, request, slug: str) -> dict:
    if slug not in CONTINENT_LABELS:
        raise Http404
    continent = Continent.objects.get(slug=slug)
    index = atlas_index.current()
    mask = index.continent == atlas_index.code_of(index.continents, slug)
    counts = atlas_index.count(index, mask)
    countries = [
        {"code": iso2, "name": country_name(iso2), "count": number, "url": page.url + f"pays/{iso2}/"}
        for iso2, number in counts.country.most_common()
    ]
    return {
        "continent": continent,
        "name": str(CONTINENT_LABELS[slug]),
        **figures(counts),
        "countries": countries,
        "continents": [(other, str(label)) for other, _region, label in CONTINENTS],
        "map": map_settings(),
        "geojson_url": f"/api/atlas/projects.geojson?continent={slug}",
        "project_url": page.url + "projet/",
        "search_url": page.url + f"?continent={slug}",
    }


BOURSE_PER_PAGE = 20


def bourse_context(page, request) -> dict:
    """Bourse-projets: foreign authorities' projects looking for a French partner, on a map."""
    from atlas_pages.atlas.models import BourseProject
    from atlas_pages.core.taxonomy import Theme

    country = (request.GET.get("country") or "").upper()
    theme = request.GET.get("theme") or ""
    status = request.GET.get("status") or BourseProject.Status.OPEN
    try:
        entries = services.bourse_entries(country=country, theme=theme, status=status)
    except ValidationError as error:
        report_refusal(request, error)
        status = BourseProject.Status.OPEN
        entries = services.bourse_entries(country=country, theme=theme, status=status)
    current = Paginator(entries, BOURSE_PER_PAGE).get_page(request.GET.get("page"))
    features = [
        {
            "type": "Feature",
            "id": entry.pk,
            "geometry": {"type": "Point", "coordinates": [entry.longitude, entry.latitude]},
            "properties": {"title": entry.title},
        }
        for entry in current.object_list
        if entry.latitude is not None
    ]
    return {
        "page_obj": current,
        "entries": list(current.object_list),
        "features": {"type": "FeatureCollection", "features": features},
        "map": map_settings(),
        "countries": sorted(
            ((code, country_name(code)) for code in services.bourse_countries()),
            key=lambda item: folded(item[1]),
        ),
        "themes": [(item.slug, item.label) for item in Theme.objects.all()],
        "statuses": [*BourseProject.Status.choices, ("all", _("All"))],
        "chosen": {"country": country, "theme": theme, "status": status},
    }
