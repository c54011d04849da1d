"""Static maps drawn on the server, as SVG, from the countries the site ships (Natural Earth's
1:110m countries, world-atlas's TopoJSON in ``data/countries-110m.json``, public domain): the
world with each partner country shaded by its number of projects, and France with a circle per
département sized by its authorities' projects. Used where no browser draws a map: the PDF
exports (WeasyPrint renders inline SVG), and wherever a page wants a map that needs no script.

Each country is a ``<path>`` with a ``<title>`` (its name and its count) and the whole an
``<svg role="img">`` with a label, so that the map says in words what it shows.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atlas_pages.atlas.geography import departments
from atlas_pages.core.countries import country_name

TOPOLOGY = Path(__file__).resolve().parent / "data" / "countries-110m.json"
#: Shades of the DSFR's blue France, from one project to the most: (at least, colour).
SHADES = ((1, "#cacafb"), (10, "#8585f6"), (50, "#4b4bd6"), (200, "#000091"))
EMPTY = "#e5e5e5"
ROOT = 'class="cncd-svgmap" font-family="Marianne, Arial, sans-serif"'
SEA = "#f0f4fb"
#: The world without Antarctica and the far north (latitudes shown).
NORTH, SOUTH = 84.0, -57.0
#: Metropolitan France and Corsica (west, south, east, north).
FRANCE_BOX = (-5.3, 41.2, 9.7, 51.2)


@dataclass(frozen=True)
class Shape:
    iso2: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (longitude, latitude) rings


def _finer() -> Path:
    """The 1:50m countries the browser's maps draw (vendored static file): France's outline."""
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/world-atlas/countries-50m.json")
    return Path(found if isinstance(found, str) else found[0])


@functools.cache
def shapes(path: Path = TOPOLOGY, only: str = "") -> tuple[Shape, ...]:
    """Every country of the topology with an ISO code (or the ``only`` one), as rings of
    coordinates; a ring that crosses the date line goes on past ±180° (the map's frame cuts it)
    instead of across. Only the arcs of the countries kept are decoded."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    chosen = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id") or "")
        if country is None or country.alpha_2 == "AQ" or (only and country.alpha_2 != only):
            continue  # (Antarctica is below the map)
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        chosen.append((country.alpha_2, [part for polygon in polygons for part in polygon]))
    decoded: dict[int, list[tuple[float, float]]] = {}

    def arc(number: int) -> list[tuple[float, float]]:
        if number not in decoded:
            x = y = 0
            points = []
            for dx, dy in topology["arcs"][number]:
                x, y = x + dx, y + dy
                points.append((x * scale_x + shift_x, y * scale_y + shift_y))
            decoded[number] = points
        return decoded[number]

    def ring(indexes: list[int]) -> tuple[tuple[float, float], ...]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            part = arc(index) if index >= 0 else arc(~index)[::-1]
            points.extend(part if not points else part[1:])
        unwrapped = points[:1]
        for lng, lat in points[1:]:
            previous = unwrapped[-1][0]
            lng += 360 * round((previous - lng) / 360)
            unwrapped.append((lng, lat))
        return tuple(unwrapped)

    return tuple(Shape(code, tuple(ring(part) for part in parts)) for code, parts in chosen)


def shade(count: int) -> str:
    colour = EMPTY
    for least, chosen in SHADES:
        if count >= least:
            colour = chosen
    return colour


def _path(rings, project) -> str:
    parts = []
    for ring in rings:
        points = [project(lng, lat) for lng, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _legend(x: float, y: float) -> str:
    title = _("Number of projects")
    items = [f'<text x="{x}" y="{y}" class="legend-title">{escape(title)}</text>']
    bounds = [least for least, _colour in SHADES[1:]]
    for number, (least, colour) in enumerate(SHADES):
        upper = bounds[number] - 1 if number < len(bounds) else None
        label = (
            f"{least}–{upper}"
            if upper is not None and upper != least
            else (f"{least}+" if upper is None else str(least))
        )
        left = x + number * 70
        items.append(f'<rect x="{left}" y="{y + 6}" width="14" height="10" fill="{colour}"/>')
        items.append(f'<text x="{left + 18}" y="{y + 15}">{label}</text>')
    return "".join(items)


def world_svg(counts: Mapping[str, int], width: int = 760) -> str:
    """The world, each country shaded by its number of projects (``counts``: ISO alpha-2 code to
    number), with a legend."""
    height = width * (NORTH - SOUTH) / 360

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (lng + 180) / 360 * width, (NORTH - lat) / (NORTH - SOUTH) * height

    paths = []
    for shape in shapes():
        count = int(counts.get(shape.iso2, 0))
        title = f"{country_name(shape.iso2)} : " + ngettext("%(count)d project", "%(count)d projects", count) % {
            "count": count
        }
        paths.append(
            f'<path d="{_path(shape.rings, project)}" fill="{shade(count)}"><title>{escape(title)}</title></path>'
        )
    countries = len([code for code, count in counts.items() if count])
    label = ngettext(
        "World map of the projects: %(count)d partner country shaded by its number of projects",
        "World map of the projects: %(count)d partner countries shaded by their number of projects",
        countries,
    ) % {"count": countries}
    total = height + 34
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {ROOT} viewBox="0 0 {width} {total:.0f}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<clipPath id="cncd-world-frame"><rect width="{width}" height="{height:.1f}"/></clipPath>'
        f'<rect width="{width}" height="{height:.1f}" fill="{SEA}"/>'
        f'<g stroke="#ffffff" stroke-width="0.4" clip-path="url(#cncd-world-frame)">{"".join(paths)}</g>'
        f"{_legend(4, height + 12)}</svg>"
    )


def france_svg(counts: Mapping[str, int], width: int = 300) -> str:
    """Metropolitan France, a circle per département sized by the projects of its authorities
    (``counts``: département code to number)."""
    west, south, east, north = FRANCE_BOX
    middle = math.cos(math.radians((south + north) / 2))
    height = width * (north - south) / ((east - west) * middle)

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (lng - west) / (east - west) * width, (north - lat) / (north - south) * height

    outline = next(iter(shapes(_finer(), only="FR")), None)
    rings = [ring for ring in (outline.rings if outline else ()) if _inside(ring, FRANCE_BOX)]
    largest = max((int(count) for count in counts.values()), default=0) or 1
    circles = []
    for department in departments():
        count = int(counts.get(department.code, 0))
        if not count or not (west <= department.lng <= east and south <= department.lat <= north):
            continue
        x, y = project(department.lng, department.lat)
        radius = 2 + 14 * math.sqrt(count / largest)
        title = f"{department.name} : " + ngettext("%(count)d project", "%(count)d projects", count) % {"count": count}
        circles.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#000091" fill-opacity="0.55" '
            f'stroke="#ffffff" stroke-width="0.6"><title>{escape(title)}</title></circle>'
        )
    label = ngettext(
        "Map of France: the projects of the French authorities of %(count)d département",
        "Map of France: the projects of the French authorities of %(count)d départements",
        len(circles),
    ) % {"count": len(circles)}
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {ROOT} viewBox="0 0 {width} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<rect width="{width}" height="{height:.1f}" fill="{SEA}"/>'
        f'<path d="{_path(rings, project)}" fill="{EMPTY}" stroke="#ffffff" stroke-width="0.6"/>'
        f"{''.join(circles)}</svg>"
    )


def _inside(ring, box) -> bool:
    west, south, east, north = box
    return any(west <= lng <= east and south <= lat <= north for lng, lat in ring)


@functools.cache
def _bounds() -> dict[str, tuple[float, float, float, float]]:
    """Each country's box (west, south, east, north), as its rings go."""
    found = {}
    for shape in shapes():
        points = [point for ring in shape.rings for point in ring]
        lngs, lats = [lng for lng, _lat in points], [lat for _lng, lat in points]
        found[shape.iso2] = (min(lngs), min(lats), max(lngs), max(lats))
    return found


def area_svg(counts: Mapping[str, int], bbox: tuple[float, float, float, float], label: str, width: int = 240) -> str:
    """A small map of the area ``bbox`` (west, south, east, north; west above east across the
    date line), its countries shaded by ``counts`` as on the world map: a saved map's preview.
    Only the countries in the area are drawn."""
    west, south, east, north = bbox
    if west > east:
        east += 360
    south, north = max(south, SOUTH), min(north, NORTH)
    if east - west < 0.01 or north - south < 0.01:
        west, south, east, north = -180.0, SOUTH, 180.0, NORTH
    middle = math.cos(math.radians((south + north) / 2))
    height = min(width * (north - south) / ((east - west) * max(middle, 0.2)), width * 1.2)

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (lng - west) / (east - west) * width, (north - lat) / (north - south) * height

    paths = []
    for shape in shapes():
        left, bottom, right, top = _bounds()[shape.iso2]
        turns = [turn for turn in (0, -360, 360) if right + turn >= west and left + turn <= east]
        if top < south or bottom > north or not turns:
            continue
        count = int(counts.get(shape.iso2, 0))
        title = f"{country_name(shape.iso2)} : " + ngettext("%(count)d project", "%(count)d projects", count) % {
            "count": count
        }
        turn = turns[0]  # the copy of the country in the area (across the date line: shifted)
        shifted = tuple(tuple((lng + turn, lat) for lng, lat in ring) for ring in shape.rings) if turn else shape.rings
        paths.append(f'<path d="{_path(shifted, project)}" fill="{shade(count)}"><title>{escape(title)}</title></path>')
    frame = "cncd-area-" + hashlib.sha1(repr((bbox, label)).encode(), usedforsecurity=False).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {ROOT} viewBox="0 0 {width} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<clipPath id="{frame}"><rect width="{width}" height="{height:.1f}"/></clipPath>'
        f'<rect width="{width}" height="{height:.1f}" fill="{SEA}"/>'
        f'<g stroke="#ffffff" stroke-width="0.5" clip-path="url(#{frame})">{"".join(paths)}</g></svg>'
    )
