"""Reference data of the Atlas shipped in ``atlas_pages/data/`` (sources in its README):
continents, countries with their bounding boxes, French regions and departments."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The continents of the Atlas, from the UN regions of the country list.
CONTINENTS: list[tuple[str, str, str]] = [
    ("afrique", "Africa", _("Africa")),
    ("amerique", "Americas", _("Americas")),
    ("asie", "Asia", _("Asia")),
    ("europe", "Europe", _("Europe")),
    ("oceanie", "Oceania", _("Oceania")),
]
CONTINENT_LABELS = {slug: label for slug, _region, label in CONTINENTS}
CONTINENT_OF_REGION = {region: slug for slug, region, _label in CONTINENTS}

#: Each region's capital department (where its council sits).
REGION_CAPITALS = {
    "84": "69", "27": "21", "53": "35", "24": "45", "94": "2A", "44": "67", "32": "59", "11": "75",
    "28": "76", "75": "33", "76": "31", "52": "44", "93": "13",
    "01": "971", "02": "972", "03": "973", "04": "974", "06": "976",
}  # fmt: skip


@dataclass(frozen=True)
class CountryRow:
    iso2: str
    iso3: str
    continent: str
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float
    lat: float
    lng: float


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    region_code: str
    region: str
    lat: float
    lng: float


@cache
def countries() -> list[CountryRow]:
    with open(DATA_DIR / "countries.csv", newline="", encoding="utf-8") as handle:
        return [
            CountryRow(
                iso2=row["iso2"],
                iso3=row["iso3"],
                continent=CONTINENT_OF_REGION[row["region_un"]],
                **{key: float(row[key]) for key in ("min_lng", "min_lat", "max_lng", "max_lat", "lat", "lng")},
            )
            for row in csv.DictReader(handle)
        ]


@cache
def departments() -> list[Department]:
    with open(DATA_DIR / "departements.csv", newline="", encoding="utf-8") as handle:
        return [
            Department(
                code=row["code"],
                name=row["name"],
                region_code=row["region_code"],
                region=row["region"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
            )
            for row in csv.DictReader(handle)
        ]


@cache
def regions() -> dict[str, str]:
    """Region code -> name, in the order of the codes."""
    return dict(sorted({(dep.region_code, dep.region) for dep in departments()}))
