"""The Atlas's advanced search: one django-filter FilterSet for the API and the front end,
facet counts over the results, and the shapes both serve (list rows, GeoJSON).

Every list is built with a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import fulltext, trends
from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas.geography import CONTINENTS, departments, regions
from atlas_pages.atlas.geography import countries as atlas_countries
from atlas_pages.atlas.models import FrenchAuthority, PartnerAuthority, Project
from atlas_pages.core.countries import country_name
from atlas_pages.core.taxonomy import Theme
from atlas_pages.core.themes import THEMES

FrenchLink = Project.french_authorities.through
PartnerLink = Project.partner_authorities.through
ThemeLink = Project.themes.through


class BBoxField(forms.CharField):
    """``west,south,east,north`` in degrees (WGS 84); west may exceed east across the date line."""

    default_error_messages = {
        "invalid": _("Give the map area as west,south,east,north in degrees, for example -18,4,16,28."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return west, south, east, north


def format_bbox(bbox: tuple[float, float, float, float]) -> str:
    """``west,south,east,north`` to a millionth of a degree (about 10 cm), without trailing zeros."""
    return ",".join(f"{value:.6f}".rstrip("0").rstrip(".") for value in bbox)


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        west, south, east, north = value
        inside = Q(latitude_abroad__gte=south, latitude_abroad__lte=north)
        if west <= east:
            inside &= Q(longitude_abroad__gte=west, longitude_abroad__lte=east)
        else:  # across the date line
            inside &= Q(longitude_abroad__gte=west) | Q(longitude_abroad__lte=east)
        return qs.filter(inside)


class CodeField(forms.CharField):
    """A code from a fixed list (countries, regions, departments), checked against a set:
    long choice lists would be copied with every search form."""

    def __init__(self, *args, codes=None, **kwargs):
        self.codes = codes
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value not in self.codes():
            raise ValidationError(
                _("Select a valid choice. %(value)s is not one of the available choices."),
                code="invalid_choice",
                params={"value": value},
            )


class CodeFilter(django_filters.CharFilter):
    field_class = CodeField


@cache
def country_codes() -> frozenset[str]:
    return frozenset(row.iso2 for row in atlas_countries())


@cache
def department_codes() -> frozenset[str]:
    return frozenset(dep.code for dep in departments())


@cache
def region_codes() -> frozenset[str]:
    return frozenset(regions())


class ProjectFilter(django_filters.FilterSet):
    """Filters of the Atlas's advanced search; all optional, all combined."""

    q = django_filters.CharFilter(method="filter_text", label=_("Words"), max_length=200)
    country = CodeFilter(field_name="country__iso2", codes=country_codes, label=_("Country"))
    continent = django_filters.ChoiceFilter(
        method="filter_continent",
        choices=[(slug, label) for slug, _region, label in CONTINENTS],
        label=_("Continent"),
    )
    region = CodeFilter(method="filter_region", codes=region_codes, label=_("French region"))
    department = CodeFilter(method="filter_department", codes=department_codes, label=_("Department"))
    authority = django_filters.CharFilter(method="filter_authority", label=_("French authority"))
    partner = django_filters.NumberFilter(method="filter_partner", label=_("Partner authority"))
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices, label=_("Kind"))
    theme = django_filters.ChoiceFilter(method="filter_theme", choices=THEMES, label=_("Theme"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, label=_("Status"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Active in year"), min_value=1900, max_value=2100)
    bbox = BBoxFilter(label=_("Map area"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("start_year", "start_year"),
            ("country__name_fr", "country"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_continent(self, qs, name, value):
        from atlas_pages.atlas.models import Country

        return qs.filter(
            country_id__in=list(Country.objects.filter(continent__slug=value).values_list("pk", flat=True))
        )

    def filter_text(self, qs, name, value):
        return fulltext.having_words(qs, value)

    def filter_region(self, qs, name, value):
        region = regions()[value]
        return qs.filter(pk__in=FrenchLink.objects.filter(frenchauthority__region=region).values("project_id"))

    def filter_department(self, qs, name, value):
        return qs.filter(pk__in=FrenchLink.objects.filter(frenchauthority__department_code=value).values("project_id"))

    def filter_authority(self, qs, name, value):
        return qs.filter(pk__in=FrenchLink.objects.filter(frenchauthority__code=value.strip()).values("project_id"))

    def filter_partner(self, qs, name, value):
        return qs.filter(pk__in=PartnerLink.objects.filter(partnerauthority_id=int(value)).values("project_id"))

    def filter_theme(self, qs, name, value):
        theme_id = Theme.objects.filter(slug=value).values_list("pk", flat=True).first()
        return qs.filter(pk__in=ThemeLink.objects.filter(theme_id=theme_id).values("project_id"))

    def filter_year(self, qs, name, value):
        year = int(value)
        return qs.filter(Q(start_year__lte=year) & (Q(end_year__isnull=True) | Q(end_year__gte=year)))


def search(params) -> QuerySet[Project]:
    """The projects matching ``params`` (a QueryDict or dict); field errors raise ``ValidationError``
    naming each field."""
    filterset = _valid(params, Project.objects.all())
    qs = filterset.qs
    if not filterset.form.cleaned_data.get("ordering"):
        qs = qs.order_by("title", "pk")
    return qs


def clean_query(params: QueryDict | str) -> str:
    """The search's own filters in ``params``, checked and as a query string to keep (a saved
    map, a kept export): paging, unknown and empty parameters are left out. Field errors raise
    ``ValidationError`` naming each filter."""
    if isinstance(params, str):
        params = QueryDict(params)
    search(params)
    return urlencode([(name, value) for name in ProjectFilter.base_filters for value in params.getlist(name) if value])


def _valid(params, queryset: QuerySet[Project]) -> ProjectFilter:
    filterset = ProjectFilter(params, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(
            {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}
        )
    return filterset


def cleaned(params) -> dict[str, Any]:
    """The search's filters, checked: field errors raise ``ValidationError`` naming each field."""
    return _valid(params, Project.objects.none()).form.cleaned_data


@dataclass
class Found:
    """A search's results, as positions in the Atlas's index: counting them, paging them and
    faceting them are passes over arrays, whatever their number."""

    index: atlas_index.Index
    mask: Any  # numpy bool array, one per project
    ordering: str | None

    @property
    def count(self) -> int:
        return int(self.mask.sum())

    def ids(self, offset: int = 0, limit: int | None = None) -> list[int]:
        """The ids of the results, in the search's order (a page of them with offset and limit)."""
        ordered = self.index.ordered(self.mask, self.ordering)
        return self.index.ids(ordered[offset : None if limit is None else offset + limit])

    def counts(self) -> atlas_index.Counts:
        return atlas_index.count(self.index, self.mask)

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return facets(self.counts())

    def trends(self) -> list[trends.Year]:
        """Projects started, and active, each year."""
        return trends.years(self.index, self.mask)


def find(params) -> Found:
    """The projects matching ``params`` (a QueryDict or dict), from the index; the same results
    as ``search`` (which says what each filter means in SQL)."""
    data = cleaned(params)
    index = atlas_index.current()
    mask = index.everything()
    code = atlas_index.code_of
    if data.get("country"):
        mask &= index.country == code(index.countries, data["country"])
    if data.get("continent"):
        mask &= index.continent == code(index.continents, data["continent"])
    if data.get("kind"):
        mask &= index.kind == code(index.kinds, data["kind"])
    if data.get("status"):
        mask &= index.status == code(index.statuses, data["status"])
    if data.get("theme"):
        mask &= index.themes.having(code(index.theme_slugs, data["theme"]), index.size)
    if data.get("region"):
        mask &= index.regions.having(code(index.region_names, regions()[data["region"]]), index.size)
    if data.get("department"):
        mask &= index.departments.having(code(index.department_codes, data["department"]), index.size)
    if data.get("authority"):
        mask &= index.authorities.having(code(index.authority_codes, data["authority"].strip()), index.size)
    if data.get("partner") is not None:
        mask &= index.partners.having(code(index.partner_ids, int(data["partner"])), index.size)
    if data.get("year") is not None:
        year = int(data["year"])
        mask &= (index.start <= year) & ((index.end == 0) | (index.end >= year))
    if data.get("bbox"):
        mask &= index.inside(data["bbox"])
    if data.get("q"):
        for stem in fulltext.terms(data["q"]):  # every word
            mask &= index.words.having(stem, index.size)
    ordering = data.get("ordering")
    return Found(index, mask, ordering[0] if ordering else None)


def summary_rows(ids: list[int]) -> list[dict[str, Any]]:
    """List rows of the projects ``ids``, in that order, as plain data (six light queries)."""
    if not ids:
        return []
    rows = {
        row["id"]: {**row, "french_authorities": [], "partner_authorities": [], "themes": []}
        for row in Project.objects.filter(pk__in=ids).values(
            "id", "title", "kind", "status", "country__iso2", "start_year", "end_year", "latitude_abroad",
            "longitude_abroad",
        )
    }  # fmt: skip
    # The links, then their authorities by primary key: joined in one query, SQLite without
    # statistics scans every partner authority for a few hundred projects (0.3 s at 12,000).
    links = list(
        FrenchLink.objects.filter(project_id__in=ids).order_by("pk").values_list("project_id", "frenchauthority_id")
    )
    french = {
        pk: {"id": pk, "code": code, "name": name, "kind": kind}
        for pk, code, name, kind in FrenchAuthority.objects.filter(pk__in={pk for _p, pk in links}).values_list(
            "pk", "code", "name", "kind"
        )
    }
    for project_id, pk in links:
        rows[project_id]["french_authorities"].append(french[pk])
    links = list(
        PartnerLink.objects.filter(project_id__in=ids).order_by("pk").values_list("project_id", "partnerauthority_id")
    )
    partners = dict(PartnerAuthority.objects.filter(pk__in={pk for _p, pk in links}).values_list("pk", "name"))
    for project_id, pk in links:
        rows[project_id]["partner_authorities"].append({"id": pk, "name": partners[pk]})
    theme_labels = dict(THEMES)
    for project_id, slug in (
        ThemeLink.objects.filter(project_id__in=ids).order_by("pk").values_list("project_id", "theme__slug")
    ):
        rows[project_id]["themes"].append({"code": slug, "name": str(theme_labels.get(slug, slug))})
    result = []
    for pk in ids:
        row = rows[pk]
        iso2 = row.pop("country__iso2")
        row["country"] = {"code": iso2, "name": country_name(iso2)}
        lat, lng = row.pop("latitude_abroad"), row.pop("longitude_abroad")
        row["location_abroad"] = {"lat": lat, "lng": lng} if lat is not None and lng is not None else None
        result.append(row)
    return result


def facets(counts: "atlas_index.Counts") -> dict[str, list[dict[str, Any]]]:
    """How many of the results fall under each value of every filter (a project with several
    themes or authorities counts under each); the 20 authorities and partners with the most."""
    authorities = counts.authority.most_common(20)
    partners = counts.partner.most_common(20)
    authority_names = dict(
        FrenchAuthority.objects.filter(code__in=[code for code, _n in authorities]).values_list("code", "name")
    )
    partner_names = dict(PartnerAuthority.objects.filter(pk__in=[pk for pk, _n in partners]).values_list("pk", "name"))
    region_codes = {name: code for code, name in regions().items()}
    department_names = {dep.code: dep.name for dep in departments()}
    continent_labels = {slug: str(label) for slug, _region, label in CONTINENTS}
    theme_labels = {slug: str(label) for slug, label in THEMES}
    return {
        "kind": [
            {"value": value, "label": str(label), "count": counts.kind[value]} for value, label in Project.Kind.choices
        ],
        "status": [
            {"value": value, "label": str(label), "count": counts.status[value]}
            for value, label in Project.Status.choices
        ],
        "continent": [
            {"value": slug, "label": continent_labels[slug], "count": counts.continent[slug]} for slug, *_ in CONTINENTS
        ],
        "country": sorted(
            ({"value": iso2, "label": country_name(iso2), "count": number} for iso2, number in counts.country.items()),
            key=lambda item: (-item["count"], item["label"]),
        ),
        "theme": [{"value": slug, "label": theme_labels[slug], "count": counts.theme[slug]} for slug, _label in THEMES],
        "region": [
            {"value": region_codes[name], "label": name, "count": number}
            for name, number in sorted(counts.region.items(), key=lambda item: region_codes.get(item[0], ""))
            if name in region_codes
        ],
        "department": [
            {"value": code, "label": department_names[code], "count": number}
            for code, number in sorted(counts.department.items())
            if code in department_names
        ],
        "authority": [
            {"value": code, "label": authority_names.get(code, code), "count": number} for code, number in authorities
        ],
        "partner": [{"value": str(pk), "label": partner_names.get(pk, ""), "count": number} for pk, number in partners],
        "year": [{"value": str(year), "label": str(year), "count": number} for year, number in counts.years.items()],
    }


def geojson(qs: QuerySet[Project]) -> dict[str, Any]:
    """The results as a GeoJSON FeatureCollection of points abroad (one query)."""
    rows = (
        qs.exclude(latitude_abroad__isnull=True)
        .values_list("pk", "title", "kind", "status", "country__iso2", "longitude_abroad", "latitude_abroad")
        .order_by()
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {"title": title, "kind": kind, "status": status, "country": iso2},
            }
            for pk, title, kind, status, iso2, lng, lat in rows
        ],
    }


#: A cluster gathers the points of a square of about this many pixels of the map (256 a tile).
CLUSTER_PIXELS = 64


def clusters(found: Found, zoom: int, view: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    """The results as the map shows them at ``zoom``: points that fall in the same square of
    ``CLUSTER_PIXELS`` gathered into one feature (``cluster: true``, their ``count``, their
    ``bbox``, at their mean position), lone points as projects. ``view`` keeps what is in the
    map's area (``west,south,east,north``): a few hundred features at most, whatever the number
    of projects, counted from the index (one query for the lone projects' titles)."""
    import numpy as np

    index = found.index
    mask = found.mask & ~np.isnan(index.lat)
    if view is not None:
        mask &= index.inside(view)
    positions = np.flatnonzero(mask)
    if not len(positions):
        return {"type": "FeatureCollection", "features": [], "count": 0, "zoom": zoom}
    lat, lng = index.lat[positions].astype(np.float64), index.lng[positions].astype(np.float64)
    cell = 360 / (2**zoom * 256 / CLUSTER_PIXELS)
    columns = int(np.ceil(360 / cell)) + 1
    keys = np.floor((lat + 90) / cell).astype(np.int64) * columns + np.floor((lng + 180) / cell).astype(np.int64)
    _keys, group, counts = np.unique(keys, return_inverse=True, return_counts=True)
    mean_lat = np.bincount(group, weights=lat) / counts
    mean_lng = np.bincount(group, weights=lng) / counts
    order = np.argsort(group, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    bounds = [np.minimum.reduceat(values[order], starts) for values in (lng, lat)]
    bounds += [np.maximum.reduceat(values[order], starts) for values in (lng, lat)]
    lone = {
        int(index.pk[positions[order[start]]]): number for number, start in enumerate(starts) if counts[number] == 1
    }
    rows = {
        pk: (title, kind, status, iso2)
        for pk, title, kind, status, iso2 in Project.objects.filter(pk__in=list(lone)).values_list(
            "pk", "title", "kind", "status", "country__iso2"
        )
    }
    features: list[dict[str, Any]] = []
    for pk, number in lone.items():
        title, kind, status, iso2 = rows[pk]
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(lng[order[starts[number]]]), float(lat[order[starts[number]]])],
                },
                "properties": {"title": title, "kind": kind, "status": status, "country": iso2},
            }
        )
    for number in np.flatnonzero(counts > 1).tolist():
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(mean_lng[number], 5), round(mean_lat[number], 5)]},
                "properties": {
                    "cluster": True,
                    "count": int(counts[number]),
                    "bbox": [round(float(bounds[part][number]), 5) for part in range(4)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "count": int(len(positions)), "zoom": zoom}
