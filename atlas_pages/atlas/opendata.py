"""The Atlas as open data: the whole Atlas, or any search, as CSV with documented columns, as
JSON with a published JSON Schema, and as IATI 2.03 activities (the International Aid
Transparency Initiative's standard, which the European Atlas of decentralised cooperation and
the open-data portals take).

The fields are written once, in ``FIELDS``: their order is the CSV's columns, their types and
descriptions are the JSON Schema, and the README's table says the same. Every file streams the
projects in batches of ``BATCH`` (seven queries a batch), whatever the size of the search.

The projects' contact (a person, often an e-mail address) is not published.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas import search as atlas_search
from atlas_pages.atlas import services
from atlas_pages.atlas.models import Project
from atlas_pages.core.iati import XML_LANG, narrative
from atlas_pages.core.links import site_url

BATCH = 1000
LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SEPARATOR = " | "  # between the values of a multi-valued CSV cell
#: The OECD DAC purpose code (CRS, 5 digits) each theme of the Atlas stands for: the IATI sector
#: of its activities, and the "sector" of the European Atlas.
DAC_PURPOSE = {
    "gouvernance-locale": "15112",  # Decentralisation and support to subnational government
    "developpement-economique": "25010",  # Business policy and administration
    "eau-assainissement": "14030",  # Basic drinking water supply and basic sanitation
    "environnement-climat-energie": "41010",  # Environmental policy and administrative management
    "agriculture-alimentation": "31110",  # Agricultural policy and administrative management
    "sante-social": "12110",  # Health policy and administrative management
    "education-jeunesse": "11110",  # Education policy and administrative management
    "culture-patrimoine": "16061",  # Culture and cultural diversity
    "tourisme": "33210",  # Tourism policy and administrative management
    "urbanisme-amenagement": "43030",  # Urban development and management
    "dechets": "14050",  # Waste management/disposal
    "humanitaire-crise": "72010",  # Material relief assistance and services
    "numerique": "22040",  # Information and communication technology (ICT)
    "egalite-femmes-hommes": "15170",  # Women's rights organisations and movements, and government institutions
}
#: The Atlas's statuses as IATI's ActivityStatus codes.
IATI_STATUS = {"planned": "1", "ongoing": "2", "completed": "4"}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # JSON Schema type: string, integer, number, or array (of strings)
    description: Any  # lazy translation
    value: Callable[[dict], Any]
    nullable: bool = False
    enum: tuple[str, ...] = ()


def _codes(row: dict, key: str, part: str) -> list:
    return [item[part] for item in row[key]]


FIELDS: tuple[Field, ...] = (
    Field("id", "integer", _("The project's identifier in the Atlas"), lambda row: row["id"]),
    Field("url", "string", _("Its sheet on the site"), lambda row: row["url"]),
    Field("title", "string", _("Title"), lambda row: row["title"]),
    Field("kind", "string", _("project or twinning"), lambda row: row["kind"], enum=("project", "twinning")),
    Field(
        "status",
        "string",
        _("planned, ongoing or completed"),
        lambda row: row["status"],
        enum=("planned", "ongoing", "completed"),
    ),
    Field("country", "string", _("Partner country: ISO 3166-1 alpha-2 code"), lambda row: row["country"]["code"]),
    Field("country_name", "string", _("Partner country: name in French"), lambda row: row["country"]["name"]),
    Field("continent", "string", _("afrique, amerique, asie, europe or oceanie"), lambda row: row["continent"]),
    Field("start_year", "integer", _("Year the project started"), lambda row: row["start_year"]),
    Field("end_year", "integer", _("Year it ends (empty: open-ended)"), lambda row: row["end_year"], nullable=True),
    Field(
        "french_authorities",
        "array",
        _("French local authorities: official codes (INSEE code, EPCI SIREN, R or D + code)"),
        lambda row: _codes(row, "french_authorities", "code"),
    ),
    Field(
        "french_authority_names",
        "array",
        _("French local authorities: names, in the same order"),
        lambda row: _codes(row, "french_authorities", "name"),
    ),
    Field(
        "partner_authorities",
        "array",
        _("Partner authorities abroad: names"),
        lambda row: _codes(row, "partner_authorities", "name"),
    ),
    Field("themes", "array", _("Themes: the Atlas's codes (slugs)"), lambda row: _codes(row, "themes", "code")),
    Field("theme_names", "array", _("Themes: names, in the same order"), lambda row: _codes(row, "themes", "name")),
    Field(
        "dac_purpose_codes",
        "array",
        _("Themes as OECD DAC purpose codes (CRS), in the same order"),
        lambda row: [DAC_PURPOSE.get(item["code"], "") for item in row["themes"]],
    ),
    Field(
        "budget",
        "number",
        _("Budget in euros (empty: not given)"),
        lambda row: None if row["budget"] is None else float(row["budget"]),
        nullable=True,
    ),
    Field("description", "string", _("Description"), lambda row: row["description"]),
    Field("latitude", "number", _("Location abroad: latitude (WGS 84)"), lambda row: row["lat"], nullable=True),
    Field("longitude", "number", _("Location abroad: longitude (WGS 84)"), lambda row: row["lng"], nullable=True),
    Field(
        "latitude_france",
        "number",
        _("Location in France: latitude (WGS 84)"),
        lambda row: row["latitude_france"],
        nullable=True,
    ),
    Field(
        "longitude_france",
        "number",
        _("Location in France: longitude (WGS 84)"),
        lambda row: row["longitude_france"],
        nullable=True,
    ),
    Field("updated_at", "string", _("Last update (ISO 8601)"), lambda row: row["updated_at"]),
)


def _project_url() -> Callable[[int], str]:
    """Each project's sheet, absolute; the Atlas page is looked up once per file."""
    page = services.atlas_page_url()
    base = site_url(page) if page else ""
    return (lambda pk: f"{base}projet/{pk}/") if base else (lambda pk: "")


def rows(ids: list[int]) -> Iterator[dict]:
    """The projects ``ids`` (a search's results, in its order), each as the fields' functions read it."""
    url = _project_url()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        more = {
            pk: rest
            for pk, *rest in Project.objects.filter(pk__in=batch).values_list(
                "pk",
                "country__continent__slug",
                "budget",
                "description",
                "latitude_france",
                "longitude_france",
                "updated_at",
            )
        }
        for row in atlas_search.summary_rows(batch):
            continent, budget, description, lat_fr, lng_fr, updated = more[row["id"]]
            location = row["location_abroad"] or {}
            yield {
                **row,
                "url": url(row["id"]),
                "continent": continent,
                "budget": budget,
                "description": description,
                "latitude_france": lat_fr,
                "longitude_france": lng_fr,
                "lat": location.get("lat"),
                "lng": location.get("lng"),
                "updated_at": updated.isoformat(timespec="seconds"),
            }


def record(row: dict) -> dict:
    return {field.name: field.value(row) for field in FIELDS}


# --- CSV -------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(str(item) for item in value)
    return str(value)


def csv_chunks(ids: list[int]) -> Iterator[str]:
    """The CSV (UTF-8, commas, a header of the fields' names), a few kilobytes at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([field.name for field in FIELDS])
    for row in rows(ids):
        writer.writerow([_cell(field.value(row)) for field in FIELDS])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- JSON and its schema ---------------------------------------------------------------------


def schema(schema_url: str) -> dict:
    """The JSON Schema (2020-12) of the JSON file, from ``FIELDS``."""
    properties = {}
    for field in FIELDS:
        if field.kind == "array":
            spec: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
        else:
            spec = {"type": [field.kind, "null"] if field.nullable else field.kind}
        if field.enum:
            spec["enum"] = list(field.enum)
        spec["description"] = str(field.description)
        properties[field.name] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": str(_("Atlas of decentralised cooperation: projects")),
        "type": "object",
        "required": ["source", "licence", "generated_at", "filters", "count", "projects"],
        "properties": {
            "$schema": {"type": "string"},
            "source": {"type": "string"},
            "licence": {"type": "string"},
            "generated_at": {"type": "string", "format": "date-time"},
            "filters": {"type": "string", "description": str(_("The search, as a query string (empty: all)"))},
            "count": {"type": "integer", "minimum": 0},
            "projects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [field.name for field in FIELDS],
                    "additionalProperties": False,
                    "properties": properties,
                },
            },
        },
        "additionalProperties": False,
    }


def json_chunks(ids: list[int], query: str, schema_url: str) -> Iterator[str]:
    """The JSON file, a project at a time: a header, then the projects."""
    head = {
        "$schema": schema_url,
        "source": str(_("Atlas of decentralised cooperation — CNCD")),
        "licence": f"{LICENCE} — {LICENCE_URL}",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "filters": query,
        "count": len(ids),
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "projects": ['
    for number, row in enumerate(rows(ids)):
        yield ("," if number else "") + "\n" + json.dumps(record(row), ensure_ascii=False)
    yield "\n]}\n"


# --- IATI 2.03 -------------------------------------------------------------------------------


def _percentages(count: int) -> list[str]:
    """``count`` shares of 100 with two decimals, adding up to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    shares = [share] * count
    shares[-1] = Decimal(100) - share * (count - 1)
    return [f"{value:.2f}".rstrip("0").rstrip(".") for value in shares]


def iati_activity(row: dict, reporting_ref: str, reporting_name: str) -> ET.Element:
    """One project as an IATI activity, children in the order of the 2.03 schema."""
    activity = ET.Element("iati-activity", {"last-updated-datetime": row["updated_at"], XML_LANG: "fr"})
    ET.SubElement(activity, "iati-identifier").text = f"{reporting_ref}-ATLAS-{row['id']}"
    narrative(activity, "reporting-org", reporting_name, ref=reporting_ref, type="10")
    narrative(activity, "title", row["title"])
    narrative(activity, "description", row["description"] or row["title"], type="1")
    for authority in row["french_authorities"]:  # funding and extending: the French side
        narrative(activity, "participating-org", authority["name"], role="3", type="11")
    for partner in row["partner_authorities"]:  # implementing: the partner abroad
        narrative(activity, "participating-org", partner["name"], role="4", type="11")
    if not row["french_authorities"] and not row["partner_authorities"]:
        narrative(activity, "participating-org", reporting_name, role="3", type="10", ref=reporting_ref)
    ET.SubElement(activity, "activity-status", code=IATI_STATUS[row["status"]])
    started = row["status"] != "planned"
    ET.SubElement(activity, "activity-date", type="2" if started else "1", **{"iso-date": f"{row['start_year']}-01-01"})
    if row["end_year"]:
        ended = row["status"] == "completed"
        ET.SubElement(activity, "activity-date", type="4" if ended else "3", **{"iso-date": f"{row['end_year']}-12-31"})
    if row.get("url"):
        info = ET.SubElement(activity, "contact-info", type="1")
        ET.SubElement(info, "website").text = row["url"]
    ET.SubElement(activity, "recipient-country", code=row["country"]["code"], percentage="100")
    if row["lat"] is not None and row["lng"] is not None:
        location = ET.SubElement(activity, "location")
        point = ET.SubElement(location, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
        ET.SubElement(point, "pos").text = f"{row['lat']:.5f} {row['lng']:.5f}"
    themes = [item for item in row["themes"] if item["code"] in DAC_PURPOSE]
    for item, share in zip(themes, _percentages(len(themes)) if themes else [], strict=True):
        sector = ET.SubElement(activity, "sector", vocabulary="1", code=DAC_PURPOSE[item["code"]], percentage=share)
        ET.SubElement(sector, "narrative").text = item["name"]
    ET.SubElement(activity, "collaboration-type", code="1")
    if row["budget"] is not None and (row["end_year"] or row["start_year"]) == row["start_year"]:
        # IATI's budgets cover a year at most: a budget over several years is in the CSV and JSON only.
        end = row["start_year"]
        budget = ET.SubElement(activity, "budget", type="1", status="1")
        ET.SubElement(budget, "period-start", **{"iso-date": f"{row['start_year']}-01-01"})
        ET.SubElement(budget, "period-end", **{"iso-date": f"{end}-12-31"})
        value = ET.SubElement(budget, "value", currency="EUR", **{"value-date": f"{row['start_year']}-01-01"})
        value.text = f"{row['budget']:.2f}"
    return activity


def iati_chunks(ids: list[int]) -> Iterator[bytes]:
    """The IATI activity file, an activity at a time."""
    reporting_ref = settings.CNCD_IATI_REPORTING_ORG["ref"]
    reporting_name = settings.CNCD_IATI_REPORTING_ORG["name"]
    now = timezone.now().replace(microsecond=0).isoformat()
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="2.03" generated-datetime="{now}">\n'.encode()
    for row in rows(ids):
        yield ET.tostring(iati_activity(row, reporting_ref, reporting_name), encoding="utf-8", xml_declaration=False)
        yield b"\n"
    yield b"</iati-activities>\n"
