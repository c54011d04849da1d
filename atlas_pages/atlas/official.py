"""The official list of French local authorities: Etalab's ``@etalab/decoupage-administratif``
(MIT), shipped as a dated extract (``data/collectivites.csv``, refreshed by
``manage.py atlas_extract_authorities``; ``data/README.md`` says from which version): 34,969
communes with their INSEE code and SIREN, 1,255 EPCIs (intercommunalités) by SIREN, 109
départements and 26 régions as the list counts them, with populations.

A local authority registers with a code of this list, the Atlas's authorities and its CSV
import are checked against it, and the generator and the demo name authorities from it.

It is read when first needed into a few numpy columns (about 3 MB, UTF-8 bytes): a code or a
SIREN is found by binary search, a name by a pass over the folded names.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from atlas_pages.atlas.fulltext import folded

DATA_FILE = Path(__file__).resolve().parent / "data" / "collectivites.csv"
COLUMNS = ("kind", "code", "siren", "name", "department", "region", "population")
KINDS = ("region", "departement", "epci", "commune")
#: The Atlas's kinds and codes for each kind of the list (a region is R + its code, a
#: département D + its code: their INSEE codes overlap the communes' ones otherwise).
ATLAS_KIND = {"region": "region", "departement": "department", "epci": "intercommunality", "commune": "commune"}
ATLAS_PREFIX = {"region": "R", "departement": "D"}
SOURCE = "Etalab, découpage administratif 6.0.0"


@dataclass(frozen=True)
class Official:
    kind: str  # one of KINDS
    code: str  # INSEE code (commune, département, région) or SIREN (EPCI)
    siren: str
    name: str
    department: str
    region: str
    population: int | None

    @property
    def atlas_code(self) -> str:
        return ATLAS_PREFIX.get(self.kind, "") + self.code

    @property
    def atlas_kind(self) -> str:
        return ATLAS_KIND[self.kind]


class _Table:
    def __init__(self) -> None:
        with open(DATA_FILE, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.kind = np.asarray([KINDS.index(row["kind"]) for row in rows], dtype=np.int8)
        self.code = np.asarray([_key(row) for row in rows], dtype=bytes)
        self.siren = np.asarray([row["siren"].encode() for row in rows], dtype=bytes)
        self.name = np.asarray([row["name"].encode() for row in rows], dtype=bytes)
        self.folded = np.asarray([folded(row["name"]).encode() for row in rows], dtype=bytes)
        self.department = np.asarray([row["department"].encode() for row in rows], dtype=bytes)
        self.region = np.asarray([row["region"].encode() for row in rows], dtype=bytes)
        self.population = np.asarray([int(row["population"] or -1) for row in rows], dtype=np.int32)
        self.by_code = np.argsort(self.code, kind="stable")
        self.by_siren = np.argsort(self.siren, kind="stable")

    def row(self, number: int) -> Official:
        population = int(self.population[number])
        kind = KINDS[self.kind[number]]
        code = self.code[number].decode()
        return Official(
            kind=kind,
            code=code[len(ATLAS_PREFIX.get(kind, "")) :],
            siren=self.siren[number].decode(),
            name=self.name[number].decode(),
            department=self.department[number].decode(),
            region=self.region[number].decode(),
            population=None if population < 0 else population,
        )

    def _find(self, column: np.ndarray, order: np.ndarray, key: bytes) -> int | None:
        at = int(np.searchsorted(column, key, sorter=order))
        if at < len(order) and column[order[at]] == key:
            return int(order[at])
        return None


def _key(row: dict) -> bytes:
    return (ATLAS_PREFIX.get(row["kind"], "") + row["code"]).encode()


@functools.cache
def _table() -> _Table:
    return _Table()


def find(code: str) -> Official | None:
    """The authority of an official code as the Atlas writes it (a commune's INSEE code, an
    EPCI's SIREN, R + a région's code, D + a département's), of a SIREN (communes and EPCIs) or
    of a SIRET (its SIREN), spaces ignored; None when the list has none."""
    code = (code or "").replace(" ", "").upper()
    if not code or not code.isascii():
        return None
    table = _table()
    number = table._find(table.code, table.by_code, code.encode())
    if number is None and code.isdigit() and len(code) in (9, 14):
        number = table._find(table.siren, table.by_siren, code[:9].encode())
    return None if number is None else table.row(number)


def search(text: str, limit: int = 10) -> list[Official]:
    """The authorities whose name has ``text`` (accents and case aside), names that begin with
    it first, then the most populous: what a form offers as the name is typed."""
    words = folded(text or "").strip()
    if len(words) < 2:
        return []
    table = _table()
    key = words.encode()
    position = np.char.find(table.folded, key)
    found = np.flatnonzero(position >= 0)
    if not len(found):
        return []
    starts = position[found] == 0
    order = np.lexsort((-table.population[found], ~starts))[:limit]
    return [table.row(int(number)) for number in found[order]]


def every(kinds: tuple[str, ...] = KINDS) -> list[Official]:
    """Every authority of these kinds, in the list's order (régions, départements, EPCIs,
    communes; within each, by code)."""
    table = _table()
    wanted = np.isin(table.kind, [KINDS.index(kind) for kind in kinds])
    return [table.row(int(number)) for number in np.flatnonzero(wanted)]


def listed(code: str) -> Official:
    """The authority the Atlas writes ``code`` for (its code as the Atlas writes it, not a SIREN
    or a SIRET), or a ``ValidationError`` naming ``code``: what every path that saves a French
    local authority of the Atlas checks (its model's ``clean``, the CSV import)."""
    found = find(code)
    if found is None or found.atlas_code != (code or "").strip().upper():
        raise ValidationError(
            {
                "code": _(
                    "Unknown official code “%(code)s”: give the INSEE code of a commune, the SIREN of an "
                    "intercommunality, or R or D and the code of a region or a department (%(source)s)."
                )
                % {"code": code, "source": SOURCE}
            }
        )
    return found


def check_kind(found: Official, kind: str) -> None:
    """A ``ValidationError`` naming ``kind`` unless the list has the authority as that kind."""
    from atlas_pages.atlas.models import FrenchAuthority

    if kind != found.atlas_kind:
        raise ValidationError(
            {
                "kind": _("The official list has %(code)s as a %(kind)s.")
                % {"code": found.atlas_code, "kind": FrenchAuthority.Kind(found.atlas_kind).label}
            }
        )
