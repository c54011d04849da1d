"""The Atlas in CSV: ``manage.py atlas_export`` and ``atlas_import``.

Three files, UTF-8 with a header row, lists inside a cell separated by ``|``:

- authorities: ``code, kind, name, region, department, department_code, latitude, longitude``
- partners: ``country, name, kind, latitude, longitude`` (a partner is known by its country
  and name)
- projects: ``id, title, kind, status, country, french_authorities`` (official codes),
  ``partner_authorities`` (names, in the project's country), ``themes`` (slugs),
  ``start_year, end_year, budget, description, contact, latitude_france, longitude_france,
  latitude_abroad, longitude_abroad``. A row whose ``id`` is a project of the Atlas updates
  it; any other row creates a project.

An import checks every row first; if one is wrong, nothing is written and each fault is
reported with its line and column.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import official
from atlas_pages.atlas.models import Country, FrenchAuthority, PartnerAuthority, Project, point
from atlas_pages.core.taxonomy import Theme

COLUMNS = {
    "authorities": [
        "code", "kind", "name", "region", "department", "department_code", "latitude", "longitude",
    ],
    "partners": ["country", "name", "kind", "latitude", "longitude"],
    "projects": [
        "id", "title", "kind", "status", "country", "french_authorities", "partner_authorities", "themes",
        "start_year", "end_year", "budget", "description", "contact", "latitude_france", "longitude_france",
        "latitude_abroad", "longitude_abroad",
    ],
}  # fmt: skip
KINDS = list(COLUMNS)


@dataclass
class Fault:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    faults: list[Fault] = field(default_factory=list)


class RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def _number(row: dict, column: str, *, required: bool = False, low=None, high=None, kind=float):
    raw = (row.get(column) or "").strip()
    if not raw:
        if required:
            raise RowError(column, _("This value is required."))
        return None
    try:
        value = kind(raw)
    except (ValueError, InvalidOperation) as error:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": raw}) from error
    if (low is not None and value < low) or (high is not None and value > high):
        raise RowError(column, _("%(value)s is out of range.") % {"value": raw})
    return value


def _coordinates(row: dict, lat: str, lng: str) -> tuple[float | None, float | None]:
    latitude = _number(row, lat, low=-90, high=90)
    longitude = _number(row, lng, low=-180, high=180)
    if (latitude is None) != (longitude is None):
        raise RowError(lng if latitude is not None else lat, _("Give both the latitude and the longitude."))
    return latitude, longitude


def _choice(row: dict, column: str, choices: Iterable[str], default: str | None = None) -> str:
    value = (row.get(column) or "").strip() or default or ""
    allowed = list(choices)
    if value not in allowed:
        raise RowError(
            column, _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": ", ".join(allowed)}
        )
    return value


def _text(row: dict, column: str, *, required: bool = False, max_length: int = 255) -> str:
    value = (row.get(column) or "").strip()
    if required and not value:
        raise RowError(column, _("This value is required."))
    if max_length and len(value) > max_length:
        raise RowError(column, _("At most %(max)s characters.") % {"max": max_length})
    return value


# --- export ---------------------------------------------------------------------------------------


def export(kind: str, stream: IO[str]) -> int:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS[kind])
    rows = {"authorities": _authority_rows, "partners": _partner_rows, "projects": _project_rows}[kind]()
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return count


def _authority_rows():
    yield from FrenchAuthority.objects.order_by("code").values_list(*COLUMNS["authorities"])


def _partner_rows():
    yield from PartnerAuthority.objects.order_by("country__iso2", "name", "pk").values_list(
        "country__iso2", "name", "kind", "latitude", "longitude"
    )


def _project_rows():
    links: dict[str, dict[int, list[str]]] = {"french": {}, "partners": {}, "themes": {}}
    for project_id, code in Project.french_authorities.through.objects.values_list(
        "project_id", "frenchauthority__code"
    ).order_by("pk"):
        links["french"].setdefault(project_id, []).append(code)
    for project_id, name in Project.partner_authorities.through.objects.values_list(
        "project_id", "partnerauthority__name"
    ).order_by("pk"):
        links["partners"].setdefault(project_id, []).append(name)
    for project_id, slug in Project.themes.through.objects.values_list("project_id", "theme__slug").order_by("pk"):
        links["themes"].setdefault(project_id, []).append(slug)
    for row in Project.objects.order_by("pk").values(
        "id", "title", "kind", "status", "country__iso2", "start_year", "end_year", "budget", "description",
        "contact", "latitude_france", "longitude_france", "latitude_abroad", "longitude_abroad",
    ):  # fmt: skip
        pk = row["id"]
        yield [
            pk, row["title"], row["kind"], row["status"], row["country__iso2"],
            "|".join(links["french"].get(pk, [])), "|".join(links["partners"].get(pk, [])),
            "|".join(links["themes"].get(pk, [])), row["start_year"], row["end_year"], row["budget"],
            row["description"], row["contact"], row["latitude_france"], row["longitude_france"],
            row["latitude_abroad"], row["longitude_abroad"],
        ]  # fmt: skip


# --- import ---------------------------------------------------------------------------------------


def import_csv(kind: str, stream: IO[str]) -> ImportResult:
    """Checks every row, then writes all of them in one transaction, or none."""
    reader = csv.DictReader(stream)
    result = ImportResult()
    missing = [column for column in COLUMNS[kind] if column not in (reader.fieldnames or []) and column != "id"]
    if missing:
        result.faults.append(Fault(1, ", ".join(missing), _("Missing column(s) in the header.")))
        return result
    parse = {"authorities": _parse_authority, "partners": _parse_partner, "projects": _parse_project}[kind]
    context = _Context()
    parsed = []
    for line, row in enumerate(reader, start=2):
        try:
            parsed.append(parse(row, context))
        except RowError as error:
            result.faults.append(Fault(line, error.column, error.message))
    if result.faults:
        return result
    with transaction.atomic():
        for item in parsed:
            created = item()
            if created:
                result.created += 1
            else:
                result.updated += 1
    atlas_index.bump()
    return result


class _Context:
    """What rows refer to, loaded once."""

    def __init__(self) -> None:
        self.countries = {country.iso2: country for country in Country.objects.all()}
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.authorities = dict(FrenchAuthority.objects.values_list("code", "pk"))
        self.partners = {
            (country_id, name): pk
            for pk, country_id, name in PartnerAuthority.objects.values_list("pk", "country_id", "name")
        }
        self.project_ids = set(Project.objects.values_list("pk", flat=True))
        self.seen_codes: set[str] = set()

    def country(self, row: dict, column: str = "country") -> Country:
        code = (row.get(column) or "").strip().upper()
        if code not in self.countries:
            raise RowError(column, _("Unknown country code “%(code)s” (ISO 3166 alpha-2).") % {"code": code})
        return self.countries[code]


def _checked(check, *args):
    """``check(*args)``, its ``ValidationError`` as the row's error in the column it names."""
    try:
        return check(*args)
    except ValidationError as error:
        [(column, [message])] = error.message_dict.items()
        raise RowError(column, message) from error


def _parse_authority(row: dict, context: _Context):
    code = _text(row, "code", required=True, max_length=14)
    if code in context.seen_codes:
        raise RowError("code", _("The code %(code)s appears twice in the file.") % {"code": code})
    context.seen_codes.add(code)
    found = _checked(official.listed, code)
    code = found.atlas_code
    values = {
        "kind": _choice(row, "kind", FrenchAuthority.Kind.values),
        "name": _text(row, "name", required=True),
        "region": _text(row, "region", required=True, max_length=100),
        "department": _text(row, "department", max_length=100),
        "department_code": _text(row, "department_code", max_length=3),
    }
    _checked(official.check_kind, found, values["kind"])
    latitude, longitude = _coordinates(row, "latitude", "longitude")
    values["location"] = point(latitude, longitude)

    def write() -> bool:
        authority, created = FrenchAuthority.objects.update_or_create(code=code, defaults=values)
        return created

    return write


def _parse_partner(row: dict, context: _Context):
    country = context.country(row)
    name = _text(row, "name", required=True)
    kind = _choice(row, "kind", PartnerAuthority.Kind.values, default=PartnerAuthority.Kind.MUNICIPALITY)
    latitude, longitude = _coordinates(row, "latitude", "longitude")

    def write() -> bool:
        partner = PartnerAuthority.objects.filter(country=country, name=name).first()
        created = partner is None
        partner = partner or PartnerAuthority(country=country, name=name)
        partner.kind = kind
        partner.location = point(latitude, longitude)
        partner.save()
        return created

    return write


def _parse_project(row: dict, context: _Context):
    project_id = _number(row, "id", kind=int, low=1) if "id" in row else None
    values: dict[str, Any] = {
        "title": _text(row, "title", required=True),
        "kind": _choice(row, "kind", Project.Kind.values, default=Project.Kind.PROJECT),
        "status": _choice(row, "status", Project.Status.values, default=Project.Status.ONGOING),
        "country": context.country(row),
        "start_year": _number(row, "start_year", required=True, kind=int, low=1900, high=2100),
        "end_year": _number(row, "end_year", kind=int, low=1900, high=2100),
        "budget": _number(row, "budget", kind=Decimal, low=0, high=Decimal("9999999999.99")),
        "description": _text(row, "description", max_length=0),
        "contact": _text(row, "contact"),
    }
    if values["end_year"] is not None and values["end_year"] < values["start_year"]:
        raise RowError("end_year", _("The end year comes before the start year."))
    codes = _split(row.get("french_authorities", ""))
    if not codes:
        raise RowError("french_authorities", _("Name at least one French local authority by its official code."))
    unknown = [code for code in codes if code not in context.authorities]
    if unknown:
        raise RowError("french_authorities", _("Unknown official code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
    partner_names = _split(row.get("partner_authorities", ""))
    partner_ids = []
    for name in partner_names:
        key = (values["country"].pk, name)
        if key not in context.partners:
            raise RowError(
                "partner_authorities",
                _("No partner authority “%(name)s” in %(country)s: import the partners first.")
                % {"name": name, "country": values["country"].iso2},
            )
        partner_ids.append(context.partners[key])
    slugs = _split(row.get("themes", ""))
    unknown = [slug for slug in slugs if slug not in context.themes]
    if unknown:
        raise RowError("themes", _("Unknown theme(s): %(themes)s.") % {"themes": ", ".join(unknown)})
    lat_f, lng_f = _coordinates(row, "latitude_france", "longitude_france")
    lat_a, lng_a = _coordinates(row, "latitude_abroad", "longitude_abroad")
    values["location_france"] = point(lat_f, lng_f)
    values["location_abroad"] = point(lat_a, lng_a)
    authority_ids = [context.authorities[code] for code in codes]
    theme_ids = [context.themes[slug].pk for slug in slugs]

    def write() -> bool:
        existing = project_id in context.project_ids
        if existing:
            project = Project.objects.get(pk=project_id)
            for name, value in values.items():
                setattr(project, name, value)
        else:
            project = Project(**values)
        project.save()
        project.french_authorities.set(authority_ids)
        project.partner_authorities.set(partner_ids)
        project.themes.set(theme_ids)  # the search text follows (atlas_signals)
        return not existing

    return write
