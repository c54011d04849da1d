"""The tamper-evident history of a dossier: each entry carries the hash of the previous one.

An entry's hash covers its dossier, number, time, author, action and detail, and the previous
entry's hash; rewriting or removing an entry afterwards breaks every hash after it.
"""

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import Dossier, DossierEvent


def _digest(event: DossierEvent) -> str:
    content = json.dumps(
        [
            event.dossier_id,
            event.sequence,
            event.at.isoformat(),
            event.actor_id,
            event.actor_name,
            event.action,
            event.detail,
            event.confidential,
            event.previous_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def actor_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "CNCD"
    return user.get_full_name() or user.get_username()


def record(
    dossier: Dossier, actor: AbstractBaseUser | None, action: str, detail: dict | None = None, confidential=False
) -> DossierEvent:
    """Appends an entry. Call it in the transaction that changed the dossier (its version claim
    keeps two entries from taking the same number)."""
    last = dossier.events.order_by("-sequence").values("sequence", "hash").first()
    event = DossierEvent(
        dossier=dossier,
        sequence=(last["sequence"] + 1) if last else 1,
        at=timezone.now().replace(microsecond=0),
        actor=actor,
        actor_name=actor_name(actor),
        action=action,
        detail=detail or {},
        confidential=confidential,
        previous_hash=last["hash"] if last else "",
    )
    event.hash = _digest(event)
    event.save()
    return event


@dataclass
class Break:
    dossier_id: int
    sequence: int
    reason: str


def verify(dossiers=None) -> list[Break]:
    """Every place where a chain is broken: an entry whose hash does not match its content, or
    that does not follow the previous one. Reads the entries in one pass."""
    events = DossierEvent.objects.order_by("dossier_id", "sequence")
    if dossiers is not None:
        events = events.filter(dossier__in=dossiers)
    breaks = []
    previous: DossierEvent | None = None
    for event in events.iterator(chunk_size=2000):
        if previous is None or previous.dossier_id != event.dossier_id:
            expected_sequence, expected_previous = 1, ""
        else:
            expected_sequence, expected_previous = previous.sequence + 1, previous.hash
        if event.sequence != expected_sequence:
            breaks.append(Break(event.dossier_id, event.sequence, "missing entry before this one"))
        elif event.previous_hash != expected_previous:
            breaks.append(Break(event.dossier_id, event.sequence, "does not follow the previous entry"))
        if _digest(event) != event.hash:
            breaks.append(Break(event.dossier_id, event.sequence, "content changed after it was written"))
        previous = event
    return breaks
