"""Versions kept in the shared cache: a token that changes whenever what it stands for changes
(the Atlas, the pages), the same in every process. Caches and validators built on one are stale
as soon as it is bumped."""

import uuid

from django.core.cache import cache


def current(key: str) -> str:
    """The version under ``key``, made the first time it is asked for (by whichever process
    asks first: ``add`` lets one win)."""
    found = cache.get(key)
    if found is None:
        found = uuid.uuid4().hex
        cache.add(key, found, None)
        found = cache.get(key, found)
    return found


def bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)
