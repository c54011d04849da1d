"""“Consulter un historique de vos télédéclarations”: every teleprocedure the member or their
organisation filed, newest first.

The teleprocedures live in other apps (``forms``): each registers the Wagtail hook
``cncd_declarations``, ``fn(user) -> list[Declaration]``, and the history gathers them.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from atlas_pages.core import hooks as cncd_hooks


@dataclass
class Declaration:
    kind: str  # "dossier", "apd", "atlas_update", "bourse"…
    kind_label: str
    reference: str
    title: str
    status: str
    status_label: str
    filed_at: dt.datetime | None
    updated_at: dt.datetime
    url: str = ""  # the page of the declaration in the front end
    receipt_url: str = ""  # its receipt (PDF), when there is one


def declarations(user: User) -> list[Declaration]:
    items = [item for contribute in cncd_hooks.implementations(cncd_hooks.DECLARATIONS) for item in contribute(user)]
    return sorted(items, key=lambda item: item.updated_at, reverse=True)
