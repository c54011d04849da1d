"""The Atlas's search index: every project's filterable values as columns of numbers (numpy), so
that a search, its count, its page and its facets cost a few passes over arrays, in C, whatever
the number of projects (about 11.5 MB at 120,000 projects).

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
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from django.core.cache import cache
from django.db import transaction

from atlas_pages.core import versions

VERSION_KEY = "cncd:atlas:version"
#: Names the index's layout too: a process of a new release never reads an older release's index.
INDEX_KEY = "cncd:atlas:index:3:"
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
class Words:
    """The words index: for each stem (``stems``, sorted, UTF-8), the projects whose text has it.
    A stem that few projects have lists their positions (``postings[starts[i]:starts[i + 1]]``);
    one that many have (``dense[i]`` ≥ 0) is a bitmap, one bit per project (``bitmaps``), which
    is smaller: at 120,000 projects, 4 MB for 2.6 million (project, stem) pairs."""

    stems: np.ndarray
    starts: np.ndarray
    postings: np.ndarray
    dense: np.ndarray
    bitmaps: np.ndarray

    def having(self, stem: str, size: int) -> np.ndarray:
        """A mask of the projects whose text has ``stem``."""
        mask = np.zeros(size, dtype=bool)
        key = stem.encode()
        number = int(np.searchsorted(self.stems, key))
        if number == len(self.stems) or self.stems[number] != key:
            return mask
        if self.dense[number] >= 0:
            return np.unpackbits(self.bitmaps[self.dense[number]], count=size).astype(bool)
        mask[self.postings[self.starts[number] : self.starts[number + 1]]] = True
        return mask


def _words(batches: list[tuple[np.ndarray, np.ndarray]], vocabulary: list[str], size: int) -> Words:
    """The words index from the projects' stems, batch by batch as they were read: the number of
    distinct stems of each project and their codes (the list is emptied as it is used)."""
    keys = np.asarray([word.encode() for word in vocabulary], dtype=bytes)
    order = np.argsort(keys, kind="stable")
    rank = np.empty(len(vocabulary), dtype=np.int32)
    rank[order] = np.arange(len(vocabulary), dtype=np.int32)  # codes in the order of the stems
    counts = np.zeros(len(vocabulary), dtype=np.int64)
    for _lengths, codes in batches:
        counts += np.bincount(rank[codes], minlength=len(vocabulary))
    is_dense = counts * 4 > (size + 7) // 8  # a bitmap is smaller than the list
    dense = np.full(len(vocabulary), -1, dtype=np.int32)
    dense[is_dense] = np.arange(int(is_dense.sum()), dtype=np.int32)
    bits = np.zeros((int(is_dense.sum()), size), dtype=bool)
    listed_rows, listed_codes = [], []
    first = 0
    while batches:
        lengths, codes = batches.pop(0)
        rows = np.repeat(np.arange(first, first + len(lengths), dtype=np.int32), lengths)
        first += len(lengths)
        codes = rank[codes]
        in_bitmap = is_dense[codes]
        bits[dense[codes[in_bitmap]], rows[in_bitmap]] = True
        listed_rows.append(rows[~in_bitmap])
        listed_codes.append(codes[~in_bitmap])
    all_rows, all_codes = _joined(listed_rows), _joined(listed_codes)
    del listed_rows, listed_codes
    by_stem = np.argsort(all_codes, kind="stable")  # by stem, then by project (they came by project)
    starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(np.where(is_dense, 0, counts), out=starts[1:])
    return Words(
        stems=keys[order],
        starts=starts,
        postings=all_rows[by_stem],
        dense=dense,
        bitmaps=np.packbits(bits, axis=1),
    )


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
    words: Words
    orders: dict[str, np.ndarray]
    # What the codes stand for, by position.
    countries: list[str] = field(default_factory=list)
    continents: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    authority_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))  # tens of thousands
    region_names: list[str] = field(default_factory=list)
    department_codes: list[str] = field(default_factory=list)
    partner_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
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
            known = found < self.size
            found, ids = found[known], ids[known]
            mask[found[self.pk[found] == ids]] = True
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


def code_of(labels: list | np.ndarray, value) -> int:
    """The value's code in the index, or -1 (which nothing has) for a value no project has."""
    if isinstance(labels, np.ndarray):
        found = np.flatnonzero(labels == value) if len(labels) else ()
        return int(found[0]) if len(found) else -1
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
    found = load(key)
    if found is not None:
        return found
    building = cache.add(key + ":building", 1, BUILD_SECONDS)
    if not building:  # another process builds it: wait a while (well within a web worker's timeout)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            found = load(key)
            if found is not None:
                return found
    try:
        built = build(version_now)
        store(key, built)
    finally:
        if building:  # a failed build does not make the others wait
            cache.delete(key + ":building")
    return built


#: The index goes through the cache in pieces of this size: a process that loads it holds the
#: arrays and one piece, not the whole index twice (the cache's bytes and the unpickled copy).
PIECE_BYTES = 1 << 20
KEEP_SECONDS = 24 * 3600


def store(key: str, index: Index) -> None:
    """Puts ``index`` in the shared cache: its arrays as one buffer cut in pieces, then, last, a
    header naming them (a process finds the index only once every piece is there)."""
    arrays, plain, nested = {}, {}, {}
    for name, value in vars(index).items():
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, Pairs | Words):
            nested[name] = type(value).__name__
            arrays.update({f"{name}.{part}": column for part, column in vars(value).items()})
        elif name == "orders":
            arrays.update({f"orders.{order}": column for order, column in value.items()})
        elif name != "everything_counts":
            plain[name] = value
    layout, offset = [], 0
    for name, column in arrays.items():
        layout.append((name, column.dtype.str, column.shape, offset))
        offset += -(-column.nbytes // 8) * 8  # each array starts aligned
    buffer = np.zeros(offset, dtype=np.uint8)
    for (_name, _dtype, _shape, start), column in zip(layout, arrays.values(), strict=True):
        buffer[start : start + column.nbytes] = np.ascontiguousarray(column).reshape(-1).view(np.uint8)
    pieces = range(0, offset, PIECE_BYTES)
    for number, start in enumerate(pieces):
        cache.set(f"{key}:{number}", buffer[start : start + PIECE_BYTES].tobytes(), KEEP_SECONDS)
    header = {"layout": layout, "bytes": offset, "pieces": len(pieces), "plain": plain, "nested": nested}
    cache.set(key, header, KEEP_SECONDS)


def load(key: str) -> Index | None:
    """The index kept in the shared cache under ``key``, or None (not there, or a piece lost)."""
    header = cache.get(key)
    if header is None:
        return None
    buffer = np.empty(header["bytes"], dtype=np.uint8)
    for number in range(header["pieces"]):
        piece = cache.get(f"{key}:{number}")
        if piece is None:
            return None
        start = number * PIECE_BYTES
        buffer[start : start + len(piece)] = np.frombuffer(piece, dtype=np.uint8)
        del piece
    arrays = {
        name: buffer[offset : offset + int(np.prod(shape)) * np.dtype(dtype).itemsize].view(dtype).reshape(shape)
        for name, dtype, shape, offset in header["layout"]
    }
    fields = dict(header["plain"])
    fields["orders"] = {}
    for name, column in arrays.items():
        group, _dot, part = name.partition(".")
        if group == "orders":
            fields["orders"][part] = column
        elif part:
            fields.setdefault(group, {})[part] = column
        else:
            fields[group] = column
    kinds = {"Pairs": Pairs, "Words": Words}
    for name, kind in header["nested"].items():
        fields[name] = kinds[kind](**fields[name])
    return Index(**fields)


class _Labels:
    """Values and their codes, in the order they came, kept across the batches of a build."""

    def __init__(self, first: list | tuple = ()) -> None:
        self.labels = list(first)
        self._known = {value: number for number, value in enumerate(self.labels)}

    def code(self, value) -> int:
        number = self._known.get(value)
        if number is None:
            number = self._known[value] = len(self.labels)
            self.labels.append(value)
        return number

    def codes(self, values) -> np.ndarray:
        return np.asarray([self.code(value) for value in values], dtype=np.int32)

    def done(self) -> None:
        """Every value is coded: the lookup is let go (tens of thousands of entries, while the
        rest of the index is built)."""
        self._known = {}


def _narrow(codes: np.ndarray, count: int) -> np.ndarray:
    """``codes`` in the smallest signed type that holds ``count`` values (-1 stays "none")."""
    for dtype in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes.astype(np.int64)


def _pairs(rows: np.ndarray, values: np.ndarray, count: int) -> Pairs:
    """Distinct (project, value) pairs, sorted by project; ``count`` values in all."""
    if not len(rows):
        return Pairs(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int8))
    both = np.unique(rows.astype(np.int64) * (count + 1) + values.astype(np.int64))
    return Pairs((both // (count + 1)).astype(np.int32), _narrow(both % (count + 1), count))


BATCH = 10_000
_FIELDS = ("pk", "country__iso2", "kind", "status", "start_year", "end_year", "latitude_abroad", "longitude_abroad")


def _batches(queryset):
    """The query's rows, streamed, as batches of columns (a tuple of lists per batch)."""
    rows = queryset.iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        yield tuple(zip(*batch, strict=True))


def build(version_now: str) -> Index:
    """Reads the Atlas (a query per column group, streamed in batches) into columns."""
    from atlas_pages.atlas.models import Country, FrenchAuthority, Project

    continent_of = dict(Country.objects.values_list("iso2", "continent__slug"))
    countries = _Labels()
    kinds = _Labels([value for value, _label in Project.Kind.choices])
    statuses = _Labels([value for value, _label in Project.Status.choices])
    types = {"pk": np.int64, "country": np.int16, "kind": np.int8, "status": np.int8}
    types |= {"start": np.int16, "end": np.int16, "lat": np.float32, "lng": np.float32}
    parts: dict[str, list[np.ndarray]] = {name: [] for name in types}
    projects = Project.objects.order_by("pk").values_list(*_FIELDS, "search_stems")
    vocabulary = _Labels()
    word_batches: list[tuple[np.ndarray, np.ndarray]] = []  # per batch: stems per project, their codes
    for pks, isos, kind, status, start, end, lat, lng, texts in _batches(projects):
        lengths, codes = array("i"), array("i")
        for text in texts:
            distinct = set(text.split())
            lengths.append(len(distinct))
            codes.extend(map(vocabulary.code, distinct))
        word_batches.append((np.frombuffer(lengths, dtype=np.int32), np.frombuffer(codes, dtype=np.int32)))
        parts["pk"].append(np.asarray(pks, dtype=np.int64))
        parts["country"].append(countries.codes(isos).astype(np.int16))
        parts["kind"].append(kinds.codes(kind).astype(np.int8))
        parts["status"].append(statuses.codes(status).astype(np.int8))
        parts["start"].append(np.asarray(start, dtype=np.int16))
        parts["end"].append(np.asarray([year or 0 for year in end], dtype=np.int16))
        parts["lat"].append(np.asarray([np.nan if value is None else value for value in lat], dtype=np.float32))
        parts["lng"].append(np.asarray([np.nan if value is None else value for value in lng], dtype=np.float32))
    vocabulary.done()
    columns = {name: _joined(found, types[name]) for name, found in parts.items()}
    pk = columns.pop("pk")
    continents = _Labels()
    continent_codes = continents.codes(continent_of.get(iso2, "") for iso2 in countries.labels)
    columns["continent"] = continent_codes[columns["country"]].astype(np.int8)

    def positions(project_ids) -> np.ndarray:
        return np.searchsorted(pk, np.asarray(project_ids, dtype=np.int64)).astype(np.int32)

    theme_slugs = _Labels()
    rows, values = [], []
    links = Project.themes.through.objects.values_list("project_id", "theme__slug").order_by()
    for project_ids, slugs in _batches(links):
        rows.append(positions(project_ids))
        values.append(theme_slugs.codes(slugs))
    themes = _pairs(_joined(rows), _joined(values), len(theme_slugs.labels))

    # The French authorities as columns: id, code, region, department (codes of each).
    authority_codes, region_names = _Labels(), _Labels()
    department_codes = _Labels([""])  # 0: no department
    authority_pk, code_of_authority, region_of, department_of = [], [], [], []
    french = FrenchAuthority.objects.order_by("pk").values_list("pk", "code", "region", "department_code")
    for pks, codes, regions, departments in _batches(french):
        authority_pk.append(np.asarray(pks, dtype=np.int64))
        code_of_authority.append(authority_codes.codes(codes))
        region_of.append(region_names.codes(regions))
        department_of.append(department_codes.codes(code or "" for code in departments))
    authority_pk_all = _joined(authority_pk, np.int64)
    code_all, region_all, department_all = _joined(code_of_authority), _joined(region_of), _joined(department_of)
    rows, found = [], []
    links = Project.french_authorities.through.objects.values_list("project_id", "frenchauthority_id").order_by()
    for project_ids, authority_ids in _batches(links):
        rows.append(positions(project_ids))
        found.append(np.searchsorted(authority_pk_all, np.asarray(authority_ids, dtype=np.int64)))
    rows_of, found_all = _joined(rows), _joined(found, np.int64)
    authority_codes.done()
    with_department = department_all[found_all] > 0

    partner_ids = _Labels()
    rows, values = [], []
    links = Project.partner_authorities.through.objects.values_list("project_id", "partnerauthority_id").order_by()
    for project_ids, partners in _batches(links):
        rows.append(positions(project_ids))
        values.append(partner_ids.codes(partners))
    partner_ids.done()

    index = Index(
        version=version_now,
        pk=pk,
        **columns,
        themes=themes,
        authorities=_pairs(rows_of, code_all[found_all], len(authority_codes.labels)),
        regions=_pairs(rows_of, region_all[found_all], len(region_names.labels)),
        departments=_pairs(
            rows_of[with_department], department_all[found_all][with_department], len(department_codes.labels)
        ),
        partners=_pairs(_joined(rows), _joined(values), len(partner_ids.labels)),
        words=_words(word_batches, vocabulary.labels, len(pk)),
        orders={},
        countries=countries.labels,
        continents=continents.labels,
        kinds=kinds.labels,
        statuses=statuses.labels,
        theme_slugs=theme_slugs.labels,
        authority_codes=np.asarray(authority_codes.labels, dtype=str),
        region_names=region_names.labels,
        department_codes=department_codes.labels,
        partner_ids=np.asarray(partner_ids.labels, dtype=np.int64),
    )
    for name, column in ORDERINGS.items():
        ordered = Project.objects.order_by(column, "pk").values_list("pk", flat=True)
        found_order = np.fromiter(ordered.iterator(chunk_size=BATCH), dtype=np.int64)
        index.orders[name] = np.searchsorted(pk, found_order).astype(np.int32)
    return index


def _joined(arrays: list[np.ndarray], dtype=np.int32) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)


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

    def __init__(self, counts: np.ndarray, labels: np.ndarray):
        self.counts, self.labels = counts, labels

    def __len__(self) -> int:
        return int(np.count_nonzero(self.counts))

    def most_common(self, number: int) -> list[tuple]:
        found = np.flatnonzero(self.counts)
        if len(found) > number:
            found = found[np.argpartition(-self.counts[found], number)[:number]]
        ordered = sorted(found.tolist(), key=lambda code: (-int(self.counts[code]), code))
        return list(zip(self.labels[ordered].tolist(), self.counts[ordered].tolist(), strict=True))


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
