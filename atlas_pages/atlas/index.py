"""The Atlas's search index: every project's filterable values as columns of numbers (numpy), so
that a search, its count, its page and its facets cost a few passes over arrays, in C, whatever
the number of projects (about 15 MB at 120,000 projects).

It is built once per version of the Atlas and kept in the shared cache (Redis in production):
the processes load it from there instead of reading the projects. Saving a project, its links or
an authority, a CSV import and ``atlas_generate`` bump the version, and when the change commits
a worker builds the next index (``tasks.build_index``); a search that comes before it is ready
builds it itself, or waits for the process that does.

Multi-valued fields (themes, French authorities, their regions and departments, partner
authorities) are kept as pairs: ``rows[i]`` is the project's position, ``values[i]`` the value.
The orders the search offers are permutations read from the database as it sorts, so that
titles sort by the database's collation as before.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db import transaction

from atlas_pages.core import versions

VERSION_KEY = "cncd:atlas:version"
INDEX_KEY = "cncd:atlas:index:"
BUILD_SECONDS = 60  # how long a build may hold the lock
WAIT_SECONDS = 10  # how long a search waits for another process's build before building itself
ORDERINGS = {"title": "title", "start_year": "start_year", "country": "country__name_fr", "updated": "updated_at"}
#: Projects with no end year count as active at least up to this year.
CURRENT_YEAR = 2026

_lock = threading.Lock()
_current: Index | None = None


@dataclass
class Pairs:
    """A multi-valued field: project positions and value codes, one pair per link."""

    rows: np.ndarray
    values: np.ndarray

    def having(self, code: int, size: int) -> np.ndarray:
        """A mask of the projects that have the value ``code``."""
        mask = np.zeros(size, dtype=bool)
        mask[self.rows[self.values == code]] = True
        return mask

    def counts(self, mask: np.ndarray, size: int) -> np.ndarray:
        """How many of the projects in ``mask`` have each value."""
        return np.bincount(self.values[mask[self.rows]], minlength=size)


@dataclass
class Index:
    version: str
    pk: np.ndarray  # sorted: a project's position is its rank by id
    country: np.ndarray
    continent: np.ndarray
    kind: np.ndarray
    status: np.ndarray
    start: np.ndarray
    end: np.ndarray  # 0: open-ended
    lat: np.ndarray  # NaN: no location abroad
    lng: np.ndarray
    themes: Pairs
    authorities: Pairs
    regions: Pairs
    departments: Pairs
    partners: Pairs
    orders: dict[str, np.ndarray]
    # What the codes stand for, by position.
    countries: list[str] = field(default_factory=list)
    continents: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    authority_codes: list[str] = field(default_factory=list)
    region_names: list[str] = field(default_factory=list)
    department_codes: list[str] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    everything_counts: Counts | None = None  # in this process, once asked

    @property
    def size(self) -> int:
        return len(self.pk)

    def everything(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def positions(self, ids) -> np.ndarray:
        """A mask of the projects ``ids`` (ids not in the index are left out)."""
        ids = np.asarray(list(ids), dtype=np.int64)
        mask = np.zeros(self.size, dtype=bool)
        if len(ids):
            found = np.searchsorted(self.pk, ids)
            found = found[found < self.size]
            mask[found[self.pk[found] == ids[: len(found)]]] = True
        return mask

    def ordered(self, mask: np.ndarray, ordering: str | None) -> np.ndarray:
        """The positions in ``mask``, in the search's order (``-name`` reverses it)."""
        name = (ordering or "title").lstrip("-")
        order = self.orders[name]
        chosen = order[mask[order]]
        return chosen[::-1] if ordering and ordering.startswith("-") else chosen

    def inside(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        """A mask of the projects located abroad in ``bbox`` (west, south, east, north; west may
        exceed east across the date line). NaN, no location, is never inside."""
        west, south, east, north = bbox
        inside = (self.lat >= south) & (self.lat <= north)
        if west <= east:
            return inside & (self.lng >= west) & (self.lng <= east)
        return inside & ((self.lng >= west) | (self.lng <= east))

    def ids(self, positions: np.ndarray) -> list[int]:
        return self.pk[positions].tolist()


def code_of(labels: list, value) -> int:
    """The value's code in the index, or -1 (which nothing has) for a value no project has."""
    try:
        return labels.index(value)
    except ValueError:
        return -1


def bump() -> None:
    """The Atlas changed: every process uses the next index. Once the transaction commits, the
    version moves again (an index built from what other processes could not see yet is
    dropped) and a worker builds the next index (``tasks.build_index``), once per transaction,
    so that no search waits for it."""
    versions.bump(VERSION_KEY)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _committed()
        return
    pending = getattr(connection, "_cncd_atlas_changed", None)
    if pending is None or pending.ran or not any(callback is pending for _i, callback, _r in connection.run_on_commit):
        connection._cncd_atlas_changed = pending = _Changed()
        transaction.on_commit(pending, robust=True)


class _Changed:
    """What the commit of a change does, once per transaction however many bumps it made."""

    ran = False

    def __call__(self) -> None:
        self.ran = True
        _committed()


def _committed() -> None:
    from atlas_pages.atlas.tasks import build_index

    versions.bump(VERSION_KEY)
    build_index.enqueue()


def version() -> str:
    """The Atlas's current version, the same in every process (the shared cache holds it)."""
    return versions.current(VERSION_KEY)


def current() -> Index:
    """The index of the Atlas as it stands: this process's copy, the shared cache's, or built."""
    global _current
    version_now = version()
    found = _current
    if found is not None and found.version == version_now:
        return found
    with _lock:
        if _current is None or _current.version != version_now:
            _current = _shared(version_now)
        return _current


def _shared(version_now: str) -> Index:
    key = INDEX_KEY + version_now
    found = cache.get(key)
    if found is not None:
        return found
    building = cache.add(key + ":building", 1, BUILD_SECONDS)
    if not building:  # another process builds it: wait a while (well within a web worker's timeout)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            found = cache.get(key)
            if found is not None:
                return found
    try:
        built = build(version_now)
        cache.set(key, built, 24 * 3600)
    finally:
        if building:  # a failed build does not make the others wait
            cache.delete(key + ":building")
    return built


def _codes(values, labels: list) -> np.ndarray:
    """Each value's position in ``labels`` (built as values come)."""
    known = {label: number for number, label in enumerate(labels)}
    out = []
    for value in values:
        number = known.get(value)
        if number is None:
            number = known[value] = len(labels)
            labels.append(value)
        out.append(number)
    return np.asarray(out, dtype=np.int32)


def _pairs(rows, values) -> Pairs:
    """Distinct (project, value) pairs, sorted by project."""
    if not len(rows):
        return Pairs(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
    both = np.unique(np.stack([np.asarray(rows, dtype=np.int64), np.asarray(values, dtype=np.int64)], axis=1), axis=0)
    return Pairs(both[:, 0].astype(np.int32), both[:, 1].astype(np.int32))


def build(version_now: str) -> Index:
    """Reads the Atlas (a query per column group, streamed) into columns."""
    from atlas_pages.atlas.models import Country, FrenchAuthority, Project

    continent_of = dict(Country.objects.values_list("iso2", "continent__slug"))
    rows = list(
        Project.objects.order_by("pk").values_list(
            "pk", "country__iso2", "kind", "status", "start_year", "end_year", "latitude_abroad", "longitude_abroad"
        )
    )
    pk = np.asarray([row[0] for row in rows], dtype=np.int64)
    position = {value: number for number, value in enumerate(pk.tolist())}
    countries: list[str] = []
    continents: list[str] = []
    kinds = [value for value, _label in Project.Kind.choices]
    statuses = [value for value, _label in Project.Status.choices]
    country = _codes((row[1] for row in rows), countries)
    continent_codes = _codes((continent_of.get(iso2, "") for iso2 in countries), continents)
    columns = {
        "country": country.astype(np.int16),
        "continent": continent_codes[country].astype(np.int8) if len(rows) else np.zeros(0, dtype=np.int8),
        "kind": _codes((row[2] for row in rows), kinds).astype(np.int8),
        "status": _codes((row[3] for row in rows), statuses).astype(np.int8),
        "start": np.asarray([row[4] for row in rows], dtype=np.int16),
        "end": np.asarray([row[5] or 0 for row in rows], dtype=np.int16),
        "lat": np.asarray([np.nan if row[6] is None else row[6] for row in rows], dtype=np.float32),
        "lng": np.asarray([np.nan if row[7] is None else row[7] for row in rows], dtype=np.float32),
    }
    del rows

    theme_slugs: list[str] = []
    project_ids, slugs = _columns(Project.themes.through.objects.values_list("project_id", "theme__slug").order_by())
    themes = _pairs([position[value] for value in project_ids], _codes(slugs, theme_slugs))

    authority = {
        pk: (code, region, department)
        for pk, code, region, department in FrenchAuthority.objects.values_list(
            "pk", "code", "region", "department_code"
        ).order_by()
    }
    authority_codes: list[str] = []
    region_names: list[str] = []
    department_codes: list[str] = []
    links = Project.french_authorities.through.objects.values_list("project_id", "frenchauthority_id").order_by()
    project_ids, authority_ids = _columns(links)
    rows_of = [position[value] for value in project_ids]
    found = [authority[value] for value in authority_ids]
    with_department = [(row, dep) for row, (_c, _r, dep) in zip(rows_of, found, strict=True) if dep]

    partner_ids: list[int] = []
    links = Project.partner_authorities.through.objects.values_list("project_id", "partnerauthority_id").order_by()
    project_ids, partners = _columns(links)

    index = Index(
        version=version_now,
        pk=pk,
        **columns,
        themes=themes,
        authorities=_pairs(rows_of, _codes((code for code, _r, _d in found), authority_codes)),
        regions=_pairs(rows_of, _codes((region for _c, region, _d in found), region_names)),
        departments=_pairs(
            [row for row, _dep in with_department], _codes((dep for _row, dep in with_department), department_codes)
        ),
        partners=_pairs([position[value] for value in project_ids], _codes(partners, partner_ids)),
        orders={},
        countries=countries,
        continents=continents,
        kinds=kinds,
        statuses=statuses,
        theme_slugs=theme_slugs,
        authority_codes=authority_codes,
        region_names=region_names,
        department_codes=department_codes,
        partner_ids=partner_ids,
    )
    for name, column in ORDERINGS.items():
        ordered = Project.objects.order_by(column, "pk").values_list("pk", flat=True)
        found_order = np.fromiter(ordered.iterator(chunk_size=10_000), dtype=np.int64)
        index.orders[name] = np.searchsorted(pk, found_order).astype(np.int32)
    return index


def _columns(rows) -> tuple[list, list]:
    first, second = [], []
    for one, two in rows.iterator(chunk_size=10_000):
        first.append(one)
        second.append(two)
    return first, second


@dataclass
class Counts:
    """Facet counts of a set of projects (several themes or authorities count under each)."""

    total: int
    country: Counter
    continent: Counter
    kind: Counter
    status: Counter
    theme: Counter
    authority: Tally
    region: Counter
    department: Counter
    partner: Tally
    years: dict[int, int]  # projects active each year


class Tally:
    """Counts over many values (tens of thousands of authorities): kept as an array, of which
    only the largest are ever read; a Counter of every value cost more than the search."""

    def __init__(self, counts: np.ndarray, labels: list):
        self.counts, self.labels = counts, labels

    def __len__(self) -> int:
        return int(np.count_nonzero(self.counts))

    def most_common(self, number: int) -> list[tuple]:
        found = np.flatnonzero(self.counts)
        if len(found) > number:
            found = found[np.argpartition(-self.counts[found], number)[:number]]
        ordered = sorted(found.tolist(), key=lambda code: (-int(self.counts[code]), code))
        return [(self.labels[code], int(self.counts[code])) for code in ordered]


def _counter(counts: np.ndarray, labels: list) -> Counter:
    found = np.flatnonzero(counts)
    return Counter({labels[number]: int(counts[number]) for number in found.tolist()})


def count(index: Index, mask: np.ndarray) -> Counts:
    """The facet counts of ``mask``; those of the whole Atlas are counted once per version."""
    if index.everything_counts is not None and mask.all():
        return index.everything_counts
    counted = _count(index, mask)
    if mask.all():
        index.everything_counts = counted
    return counted


def _single(column: np.ndarray, mask: np.ndarray, labels: list) -> Counter:
    return _counter(np.bincount(column[mask], minlength=len(labels)), labels)


def _count(index: Index, mask: np.ndarray) -> Counts:
    return Counts(
        total=int(mask.sum()),
        country=_single(index.country, mask, index.countries),
        continent=_single(index.continent, mask, index.continents),
        kind=_single(index.kind, mask, index.kinds),
        status=_single(index.status, mask, index.statuses),
        theme=_counter(index.themes.counts(mask, len(index.theme_slugs)), index.theme_slugs),
        authority=Tally(index.authorities.counts(mask, len(index.authority_codes)), index.authority_codes),
        region=_counter(index.regions.counts(mask, len(index.region_names)), index.region_names),
        department=_counter(index.departments.counts(mask, len(index.department_codes)), index.department_codes),
        partner=Tally(index.partners.counts(mask, len(index.partner_ids)), index.partner_ids),
        years=active_years(index, mask),
    )


def active_years(index: Index, mask: np.ndarray) -> dict[int, int]:
    """How many projects of ``mask`` are active each year, from the first start to the last end;
    open-ended ones up to the last year any of them reaches, and at least ``CURRENT_YEAR``."""
    start = index.start[mask].astype(np.int64)
    if not len(start):
        return {}
    end = index.end[mask].astype(np.int64)
    horizon = max(CURRENT_YEAR, int(np.max(np.where(end > 0, end, start))))
    end = np.where(end > 0, end, horizon)
    first = int(start.min())
    span = horizon - first + 2
    change = np.bincount(start - first, minlength=span) - np.bincount(end + 1 - first, minlength=span)
    active = np.cumsum(change)[: span - 1]
    return {first + offset: int(number) for offset, number in enumerate(active.tolist())}
