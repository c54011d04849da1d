"""The Atlas and the Bourse-projets in the API: search, facets, GeoJSON, reference lists.

Public, like the Atlas of the ministry's site. Filters are the ``ProjectFilter`` of
``atlas_search``, shared with the front end.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import names, official, opendata, services, trends
from atlas_pages.atlas import pdf as atlas_pdf
from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas.models import Country, Project
from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core import throttle
from atlas_pages.core.auth import any_caller
from atlas_pages.core.countries import country_name
from atlas_pages.core.exceptions import Conflict, NotAuthenticated
from atlas_pages.core.http_cache import cached_answer
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema

ATLAS_CACHE = cached_answer(atlas_index.version)  # the same for everyone, until the Atlas changes

router = Router(tags=["atlas"])


class ProjectQuery(InputSchema):
    q: str | None = Field(None, max_length=200, description="Words in the title, description, authorities, country")
    country: str | None = Field(None, description="ISO 3166 alpha-2 code")
    continent: str | None = Field(None, description="afrique, amerique, asie, europe, oceanie")
    region: str | None = Field(None, description="INSEE code of a French region, e.g. 84")
    department: str | None = Field(None, description="Code of a French department, e.g. 69 or 2A")
    authority: str | None = Field(None, description="Official code of a French local authority")
    partner: int | None = Field(None, description="Id of a partner authority")
    kind: str | None = Field(None, description="project or twinning")
    theme: str | None = Field(None, description="Theme slug")
    status: str | None = Field(None, description="planned, ongoing or completed")
    year: int | None = Field(None, description="Projects active that year")
    bbox: str | None = Field(None, description="Map area: west,south,east,north in degrees")
    ordering: str | None = Field(None, description="title, start_year, country, updated (prefix - to reverse)")


class NamedOut(Schema):
    code: str
    name: str


class AuthorityRefOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class PartnerRefOut(Schema):
    id: int
    name: str


class PointOut(Schema):
    lat: float
    lng: float


class ProjectSummaryOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    country: NamedOut
    french_authorities: list[AuthorityRefOut]
    partner_authorities: list[PartnerRefOut]
    themes: list[NamedOut]
    start_year: int
    end_year: int | None
    location_abroad: PointOut | None


class ProjectListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectSummaryOut]


class ProjectDetailOut(ProjectSummaryOut):
    description: str
    budget: Decimal | None
    contact: str
    location_france: PointOut | None
    continent: NamedOut
    updated_at: dt.datetime
    updated_by: str | None
    funding: list[str] = Field(description="Public funding of the project, in words (a co-financing by the State)")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    count: int
    facets: dict[str, list[FacetValueOut]]


class CountryOut(Schema):
    code: str
    iso3: str
    name: str
    continent: NamedOut
    lat: float
    lng: float
    bbox: list[float] = Field(description="west, south, east, north")
    projects: int


class AuthorityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region: str
    department: str
    location: PointOut | None
    projects: int


class AuthorityListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuthorityOut]


class AuthorityQuery(InputSchema):
    q: str | None = Field(None, max_length=100, description="Part of the name or the official code")
    kind: str | None = Field(None, description="region, department, commune, intercommunality")
    region: str | None = Field(None, description="INSEE code of the region")
    department: str | None = Field(None, description="Department code")


class BourseQuery(InputSchema):
    country: str | None = Field(None, description="ISO 3166 alpha-2 code")
    theme: str | None = Field(None, description="Sector (theme slug)")
    status: str | None = Field(None, description="open, in_contact, matched or closed")


class BourseOut(Schema):
    id: int
    title: str
    partner_authority: PartnerRefOut
    country: NamedOut
    theme: NamedOut
    description: str
    expected_partnership: str
    status: str
    location: PointOut | None
    recorded_at: dt.datetime


class BourseListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[BourseOut]


def _point(lat, lng) -> PointOut | None:
    return PointOut(lat=lat, lng=lng) if lat is not None and lng is not None else None


def _country(country: Country) -> NamedOut:
    return NamedOut(code=country.iso2, name=country_name(country.iso2) or country.name_fr)


@router.get("/atlas/projects/", response=ProjectListOut, summary="Search the Atlas's projects", auth=None)
@decorate_view(ATLAS_CACHE)
def list_projects(request: HttpRequest, filters: Query[ProjectQuery], paging: Query[Paging]):
    """The advanced search: every filter optional and combined; field errors name the filter."""
    found = atlas_search.find(request.GET)
    body = {
        "count": found.count,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": atlas_search.summary_rows(found.ids(paging.offset, paging.limit)),
    }
    return JsonResponse(body)  # built to the documented schema; not validated again, for speed


class MapQuery(InputSchema):
    zoom: int | None = Field(
        None,
        ge=0,
        le=18,
        description="The map's zoom: the results come clustered for it (a few hundred features at most) "
        "instead of one point per project",
    )
    view: str | None = Field(
        None, description="With zoom, the map's area (west,south,east,north): only what is inside comes"
    )


@router.get(
    "/atlas/projects.geojson",
    summary="The search results as GeoJSON points (same filters), clustered for a map's zoom",
    auth=None,
    openapi_extra={"responses": {200: {"content": {"application/geo+json": {}}}}},
)
@decorate_view(ATLAS_CACHE)
def projects_geojson(request: HttpRequest, filters: Query[ProjectQuery], map_query: Query[MapQuery]):
    """Every matching project with a location abroad, as a FeatureCollection. With ``zoom``, the
    points that would overlap on the map are gathered: a feature with ``cluster: true``, the
    ``count`` of projects and their ``bbox``; lone projects stay points with their title."""
    if map_query.zoom is None:
        data = atlas_search.geojson(atlas_search.search(request.GET))
    else:
        try:
            view = atlas_search.BBoxField(required=False).clean(map_query.view or "")
        except ValidationError as error:
            raise ValidationError({"view": error.messages}) from error
        data = atlas_search.clusters(atlas_search.find(request.GET), map_query.zoom, view)
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


def _download(chunks, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="atlas-cncd-{day}.{extension}"'
    return response


def _open_data(request: HttpRequest) -> list[int]:
    """The search's results, found before the file starts (a bad filter is a 422 naming it)."""
    throttle.consume(request, "atlas_open_data")
    return atlas_search.find(request.GET).ids()


@router.get(
    "/atlas/projects.csv",
    summary="Open data: the search results as CSV (same filters; the columns are documented)",
    auth=None,
    url_name="atlas_csv",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def projects_csv(request: HttpRequest, filters: Query[ProjectQuery]):
    """UTF-8, comma-separated, a header row of the columns of ``/api/atlas/projects.schema.json``;
    several values in a cell are separated by " | ". Licence Ouverte 2.0."""
    return _download(opendata.csv_chunks(_open_data(request)), "text/csv; charset=utf-8", "csv")


@router.get(
    "/atlas/projects.json",
    summary="Open data: the search results as JSON, valid against /api/atlas/projects.schema.json",
    auth=None,
    url_name="atlas_json",
)
def projects_json(request: HttpRequest, filters: Query[ProjectQuery]):
    ids = _open_data(request)
    schema_url = request.build_absolute_uri(reverse("api:atlas_json_schema"))
    chunks = opendata.json_chunks(ids, atlas_search.clean_query(request.GET), schema_url)
    return _download(chunks, "application/json", "json")


@router.get(
    "/atlas/projects.schema.json",
    summary="Open data: the JSON Schema of the JSON file (its fields are the CSV's columns)",
    auth=None,
    url_name="atlas_json_schema",
)
def projects_json_schema(request: HttpRequest):
    return JsonResponse(
        opendata.schema(request.build_absolute_uri()),
        content_type="application/schema+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@router.get(
    "/atlas/projects.iati.xml",
    summary="Open data: the search results as IATI 2.03 activities (same filters)",
    auth=None,
    url_name="atlas_iati",
    openapi_extra={"responses": {200: {"content": {"application/xml": {}}}}},
)
def projects_iati(request: HttpRequest, filters: Query[ProjectQuery]):
    """One ``iati-activity`` per project: the French authorities as extending organisations, the
    partners as implementing ones, the themes as OECD DAC purpose codes."""
    return _download(opendata.iati_chunks(_open_data(request)), "application/xml", "iati.xml")


class ExportAcceptedOut(Schema):
    id: int = Field(description="The export, followed at /api/me/exports/{id}/")
    status: str = Field(description="pending, ready or failed")
    progress: int = Field(0, description="How much of the PDF is made, in percent: follow it at /api/me/exports/{id}/")
    project_count: int
    detail: str


class PdfQuery(InputSchema):
    scope: Literal["country", "continent"] = Field(
        "country", description="Group the projects by country or by continent"
    )


@router.get(
    "/atlas/projects.pdf",
    response={200: None, 202: ExportAcceptedOut},
    summary="“Exporter les résultats en pdf”: the search results as a PDF (same filters)",
    auth=any_caller,
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def projects_pdf(request: HttpRequest, filters: Query[ProjectQuery], options: Query[PdfQuery]):
    """Up to ``CNCD_PDF_IMMEDIATE_LIMIT`` projects (300) the PDF comes at once; above, a member's export is
    made in the background (202), kept in the personal space and announced by e-mail. A
    visitor asks for ten PDFs a minute at most (429 beyond)."""
    throttle.consume(request, "atlas_pdf")
    ids = atlas_search.find(request.GET).ids()
    if len(ids) <= atlas_pdf.IMMEDIATE_LIMIT:
        response = HttpResponse(
            atlas_pdf.render_pdf(request.GET, options.scope, ids=ids), content_type="application/pdf"
        )
        response["Content-Disposition"] = 'attachment; filename="atlas-cncd.pdf"'
        return response
    if not request.user.is_authenticated:
        raise NotAuthenticated(
            _("Large exports are prepared in the background for members: log in, or narrow the search.")
        )
    keepers = cncd_hooks.implementations(cncd_hooks.KEEP_ATLAS_EXPORT)
    if not keepers:  # no personal space installed to keep it
        raise Conflict(_("This search has too many projects for one PDF: narrow it."))
    kept = keepers[0](request.user, request.GET, options.scope, ids)
    message = _("The PDF is being prepared: you will receive an e-mail when it is ready.")
    return Status(202, {**kept, "detail": message})


@router.get("/atlas/projects/{project_id}/", response=ProjectDetailOut, summary="A project sheet", auth=None)
@decorate_view(ATLAS_CACHE)
def get_project(request: HttpRequest, project_id: int):
    project = get_object_or_404(Project.objects.select_related("country__continent", "updated_by"), pk=project_id)
    [row] = atlas_search.summary_rows([project.pk])  # the same shape as a list row
    updated_by = project.updated_by.get_full_name() or project.updated_by.get_username() if project.updated_by else None
    return ProjectDetailOut(
        **row,
        description=project.description,
        budget=project.budget,
        contact=project.contact,
        location_france=_point(project.latitude_france, project.longitude_france),
        continent=NamedOut(code=project.country.continent.slug, name=str(project.country.continent.label)),
        updated_at=project.updated_at,
        updated_by=updated_by,
        funding=[note["label"] for note in services.project_notes(project, AnonymousUser())],  # public: cached
    )


@router.get("/atlas/facets/", response=FacetsOut, summary="Facet counts of a search (same filters)", auth=None)
@decorate_view(ATLAS_CACHE)
def project_facets(request: HttpRequest, filters: Query[ProjectQuery]):
    """How many results fall under each value of every filter."""
    found = atlas_search.find(request.GET)
    return JsonResponse({"count": found.count, "facets": found.facets()})


class YearOut(Schema):
    year: int
    started: int = Field(description="Projects whose start year it is")
    active: int = Field(description="Projects under way that year (open-ended ones up to the last year of the Atlas)")


class TrendsOut(Schema):
    count: int
    years: list[YearOut] = Field(description="Every year from the first start to the last year a project is active")


@router.get(
    "/atlas/trends/",
    response=TrendsOut,
    summary="Trends of a search (same filters): projects started and active each year",
    auth=None,
    url_name="atlas_trends",
)
@decorate_view(ATLAS_CACHE)
def project_trends(request: HttpRequest, filters: Query[ProjectQuery]):
    """What the search page and the PDF chart: per year, how many of the results started then
    and how many were under way."""
    found = atlas_search.find(request.GET)
    return JsonResponse({"count": found.count, "years": trends.as_dicts(found.trends())})


@router.get(
    "/atlas/countries/", response=list[CountryOut], summary="Countries with their number of projects", auth=None
)
@decorate_view(ATLAS_CACHE)
def list_countries(
    request: HttpRequest, continent: str | None = Query(None, max_length=20), with_projects: bool = False
):
    return [
        CountryOut(
            code=country.iso2,
            iso3=country.iso3,
            name=country.name,
            continent=NamedOut(code=country.continent.slug, name=str(country.continent.label)),
            lat=country.latitude,
            lng=country.longitude,
            bbox=list(country.bbox),
            projects=country.project_count,  # type: ignore[attr-defined]  # annotated by services.countries
        )
        for country in services.countries(continent=continent, with_projects=with_projects)
    ]


@router.get("/atlas/authorities/", response=AuthorityListOut, summary="French local authorities", auth=None)
@decorate_view(ATLAS_CACHE)
def list_authorities(request: HttpRequest, filters: Query[AuthorityQuery], paging: Query[Paging]):
    found = services.authorities(q=filters.q, kind=filters.kind, region=filters.region, department=filters.department)
    count = found.count()
    rows = found[paging.offset : paging.offset + paging.limit]
    return AuthorityListOut(
        count=count,
        limit=paging.limit,
        offset=paging.offset,
        items=[
            AuthorityOut(
                id=item.pk,
                code=item.code,
                name=item.name,
                kind=item.kind,
                region=item.region,
                department=item.department,
                location=_point(item.latitude, item.longitude),
                projects=item.project_count,
            )
            for item in rows
        ],
    )


class OfficialAuthorityQuery(InputSchema):
    q: str = Field(..., min_length=2, max_length=100, description="Part of the name, accents and case aside")
    limit: int = Field(10, ge=1, le=30)


class OfficialAuthorityOut(Schema):
    code: str = Field(
        description="The code as the Atlas and registration write it (R/D + code for régions and départements)"
    )
    official_code: str = Field(description="INSEE code (commune, département, région) or SIREN (EPCI)")
    siren: str = Field(description="SIREN of a commune or an EPCI; empty for régions and départements")
    name: str
    kind: str = Field(description="region, department, intercommunality or commune")
    department: str = Field(description="INSEE code of the département")
    region: str = Field(description="INSEE code of the région")
    population: int | None


class OfficialAuthorityListOut(Schema):
    source: str = Field(description="The list and its version")
    items: list[OfficialAuthorityOut]


@router.get(
    "/atlas/official-authorities/",
    response=OfficialAuthorityListOut,
    summary="The official list of French local authorities, by name (what a form offers as it is typed)",
    auth=None,
    url_name="official_authorities",
)
def official_authorities(request: HttpRequest, filters: Query[OfficialAuthorityQuery]):
    """Etalab's découpage administratif: names beginning with ``q`` first, then the most
    populous. Any French local authority, in the Atlas or not (``/atlas/authorities/`` lists
    those of the Atlas)."""
    return {
        "source": official.SOURCE,
        "items": [
            {
                "code": item.atlas_code,
                "official_code": item.code,
                "siren": item.siren,
                "name": item.name,
                "kind": item.atlas_kind,
                "department": item.department,
                "region": item.region,
                "population": item.population,
            }
            for item in official.search(filters.q, filters.limit)
        ],
    }


class SuggestionQuery(InputSchema):
    q: str = Field(..., min_length=2, max_length=100, description="Part of the name, accents and case aside")
    limit: int = Field(10, ge=1, le=30)


class SuggestionOut(Schema):
    code: str = Field(description="What the search takes: ?authority= (the official code) or ?partner= (the id)")
    name: str
    detail: str = Field(description="Kind and département of a French authority, country of a partner")
    projects: int = Field(description="Its projects in the Atlas")


class SuggestionListOut(Schema):
    items: list[SuggestionOut]


def _suggestions(kind: str, filters: SuggestionQuery) -> dict:
    return {"items": [vars(item) for item in names.suggest(kind, filters.q, filters.limit)]}


@router.get(
    "/atlas/authority-suggestions/",
    response=SuggestionListOut,
    summary="French authorities of the Atlas by name (what the search form offers as it is typed)",
    auth=None,
    url_name="authority_suggestions",
)
@decorate_view(ATLAS_CACHE)
def authority_suggestions(request: HttpRequest, filters: Query[SuggestionQuery]):
    """The French authorities that have projects, whose name has ``q`` (accents and case aside):
    names beginning with it first, then those with most projects."""
    return _suggestions(names.FRENCH, filters)


@router.get(
    "/atlas/partner-suggestions/",
    response=SuggestionListOut,
    summary="Partner authorities of the Atlas by name (what the search form offers as it is typed)",
    auth=None,
    url_name="partner_suggestions",
)
@decorate_view(ATLAS_CACHE)
def partner_suggestions(request: HttpRequest, filters: Query[SuggestionQuery]):
    """The partner authorities abroad that have projects, whose name has ``q`` (accents and case
    aside): names beginning with it first, then those with most projects."""
    return _suggestions(names.PARTNER, filters)


@router.get("/bourse/projects/", response=BourseListOut, summary="Bourse-projets: partners sought", auth=None)
def list_bourse(request: HttpRequest, filters: Query[BourseQuery], paging: Query[Paging]):
    qs = services.bourse_entries(country=filters.country, theme=filters.theme, status=filters.status)
    count = qs.count()
    return BourseListOut(
        count=count,
        limit=paging.limit,
        offset=paging.offset,
        items=[
            BourseOut(
                id=item.pk,
                title=item.title,
                partner_authority=PartnerRefOut(id=item.partner_authority_id, name=item.partner_authority.name),
                country=_country(item.country),
                theme=NamedOut(code=item.theme.slug, name=str(item.theme.label)),
                description=item.description,
                expected_partnership=item.expected_partnership,
                status=item.status,
                location=_point(item.latitude, item.longitude),
                recorded_at=item.recorded_at,
            )
            for item in qs[paging.offset : paging.offset + paging.limit]
        ],
    )
