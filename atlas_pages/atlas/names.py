"""The Atlas's authorities by name, as the search form offers them while a name is typed: the
French authorities and the partner authorities that have projects, found whatever the accents
and the case, names that begin with what is typed first, then those with most projects.

Each process keeps, per version of the Atlas, the folded names and the project counts (from
the search index, ``index.py``): about 60 bytes an authority, read when first asked. A search
is a pass over the folded names and one query for the names it shows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas.fulltext import folded
from atlas_pages.atlas.models import FrenchAuthority, PartnerAuthority
from atlas_pages.core.countries import country_name

FRENCH, PARTNER = "authority", "partner"
KINDS = (FRENCH, PARTNER)


@dataclass(frozen=True)
class Suggestion:
    code: str  # what the search's filter takes: the official code, or the partner's id
    name: str
    detail: str  # kind and département, or country
    projects: int


@dataclass
class _Names:
    version: str
    keys: np.ndarray  # the filter's values, as in the index (codes, or ids)
    folded: np.ndarray  # UTF-8 bytes
    projects: np.ndarray


_lock = threading.Lock()
_kept: dict[str, _Names] = {}


def _names(kind: str) -> _Names:
    index = atlas_index.current()
    found = _kept.get(kind)
    if found is not None and found.version == index.version:
        return found
    with _lock:
        found = _kept.get(kind)
        if found is None or found.version != index.version:
            found = _kept[kind] = _build(kind, index)
    return found


def _build(kind: str, index: atlas_index.Index) -> _Names:
    counts = atlas_index.count(index, index.everything())
    tally = counts.authority if kind == FRENCH else counts.partner
    having = np.flatnonzero(tally.counts)
    keys, projects = tally.labels[having], tally.counts[having]
    if kind == FRENCH:
        rows = dict(FrenchAuthority.objects.filter(code__in=keys.tolist()).values_list("code", "name"))
    else:
        rows = dict(PartnerAuthority.objects.filter(pk__in=keys.tolist()).values_list("pk", "name"))
    names = [folded(rows.get(key, "")).encode() for key in keys.tolist()]
    return _Names(
        version=index.version,
        keys=keys,
        folded=np.asarray(names, dtype=bytes) if names else np.zeros(0, dtype=bytes),
        projects=np.asarray(projects, dtype=np.int32),
    )


def _matching(kind: str, text: str) -> tuple[_Names, np.ndarray]:
    """The positions whose name has ``text``, in the order they are offered."""
    names = _names(kind)
    wanted = folded(text or "").strip()
    if len(wanted) < 2 or not len(names.keys):
        return names, np.zeros(0, dtype=np.int64)
    position = np.char.find(names.folded, wanted.encode())
    found = np.flatnonzero(position >= 0)
    order = np.lexsort((names.folded[found], -names.projects[found], position[found] != 0))
    return names, found[order]


def suggest(kind: str, text: str, limit: int = 10) -> list[Suggestion]:
    """The authorities of ``kind`` (FRENCH or PARTNER) whose name has ``text``."""
    names, found = _matching(kind, text)
    chosen = [(names.keys[number].item(), int(names.projects[number])) for number in found[:limit]]
    return _described(kind, chosen)


def _described(kind: str, chosen: list[tuple]) -> list[Suggestion]:
    keys = [key for key, _count in chosen]
    if kind == FRENCH:
        rows = {
            item.code: (item.name, _french_detail(item))
            for item in FrenchAuthority.objects.filter(code__in=keys).only("code", "name", "kind", "department")
        }
    else:
        rows = {
            pk: (name, country_name(iso2) or iso2)
            for pk, name, iso2 in PartnerAuthority.objects.filter(pk__in=keys).values_list(
                "pk", "name", "country__iso2"
            )
        }
    return [
        Suggestion(code=str(key), name=rows[key][0], detail=rows[key][1], projects=count)
        for key, count in chosen
        if key in rows
    ]


def _french_detail(item: FrenchAuthority) -> str:
    """A commune's or an intercommunality's kind and département; a region's or a département's kind."""
    kind = str(item.get_kind_display())
    if item.kind in (FrenchAuthority.Kind.REGION, FrenchAuthority.Kind.DEPARTMENT) or not item.department:
        return kind
    return f"{kind} · {item.department}"


def name_of(kind: str, code: str) -> str:
    """The name of the authority a filter names (empty when there is none)."""
    code = (code or "").strip()
    if kind == FRENCH:
        return FrenchAuthority.objects.filter(code=code).values_list("name", flat=True).first() or ""
    if not code.isdigit() or len(code) > 18:
        return ""
    return PartnerAuthority.objects.filter(pk=int(code)).values_list("name", flat=True).first() or ""


class Unresolved(Exception):
    """A typed name that names no authority with projects, or several."""


def resolve(kind: str, text: str) -> str:
    """The code of the authority a name typed without choosing from the list stands for: the
    one whose whole name it is, or the only one whose name has it; ``Unresolved`` otherwise,
    with a message that says what to do."""
    names, found = _matching(kind, text)
    wanted = folded(text or "").strip().encode()
    whole = [number for number in found.tolist() if names.folded[number] == wanted]
    if len(whole) == 1:
        return str(names.keys[whole[0]].item())
    if len(found) == 1:
        return str(names.keys[found[0]].item())
    if not len(found):
        raise Unresolved(_("No authority of the Atlas has projects under the name “%(name)s”.") % {"name": text})
    raise Unresolved(
        _("%(count)s authorities match “%(name)s”: choose one in the list offered as you type.")
        % {"count": len(found), "name": text}
    )
