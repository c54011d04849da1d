"""The tamper-evident history of a dossier: a chain of entries keyed with a secret kept
outside the database, and anchored on the dossier.

- Each entry's hash is an HMAC-SHA256, keyed with ``CNCD_HISTORY_KEY`` (a setting, never in the
  database), over its dossier, number, time, author's name, action, detail, confidentiality and
  the previous entry's hash. Whoever can write to the database but does not hold the key cannot
  write an entry, or rewrite one, that checks.
- The dossier keeps the head of its chain: the number and hash of the last entry. Removing the
  last entries (or all of them) leaves a head that no entry matches.
- ``manage.py check_dossier_history`` names every dossier whose chain was changed, added to,
  cut or truncated, and exits non-zero; with ``--anchor FILE`` it also keeps the heads outside
  the database and refuses a head that went backwards since the last run.

The author's account is not part of the hash (it is a link that account deletion empties);
the name it had is.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from forms.dossiers.models import Dossier, DossierEvent


def history_key() -> bytes:
    """The HMAC key: ``CNCD_HISTORY_KEY``, or one derived from ``SECRET_KEY`` when it is not
    set (``check --deploy`` warns: rotating the secret key would then break every chain)."""
    key = getattr(settings, "CNCD_HISTORY_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"cncd-dossier-history", hashlib.sha256).digest()


def digest(dossier_id, sequence, at, actor_name, action, detail, confidential, previous_hash, key=None) -> str:
    content = json.dumps(
        [dossier_id, sequence, at.isoformat(), actor_name, action, detail, confidential, previous_hash],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hmac.new(key or history_key(), content.encode(), hashlib.sha256).hexdigest()


def _digest(event: DossierEvent, key=None) -> str:
    return digest(
        event.dossier_id,
        event.sequence,
        event.at,
        event.actor_name,
        event.action,
        event.detail,
        event.confidential,
        event.previous_hash,
        key=key,
    )


def actor_name(user: User | None) -> str:
    if user is None:
        return "CNCD"
    return user.get_full_name() or user.get_username()


def record(
    dossier: Dossier, actor: User | None, action: str, detail: dict | None = None, confidential=False
) -> DossierEvent:
    """Appends an entry and moves the head. Call it in the transaction that changed the dossier
    (its version claim keeps two entries from taking the same number)."""
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
    Dossier.objects.filter(pk=dossier.pk).update(history_head_sequence=event.sequence, history_head_hash=event.hash)
    dossier.history_head_sequence, dossier.history_head_hash = event.sequence, event.hash
    from forms.dossiers import instruction  # every entry is a change its followers are told of

    instruction.tell_followers(dossier, event)
    return event


@dataclass
class Break:
    dossier_id: int
    sequence: int
    reason: str


def verify(dossiers=None) -> list[Break]:
    """Every place where a chain is broken: an entry whose hash does not match its content (or
    was not made with the key), that does not follow the previous one, or a chain whose last
    entry is not the head kept on the dossier. Reads the heads and the entries in two passes."""
    events = DossierEvent.objects.order_by("dossier_id", "sequence")
    if dossiers is not None:
        events = events.filter(dossier__in=dossiers)
    head_of = heads(dossiers)
    key = history_key()
    breaks: list[Break] = []
    last_of: dict[int, DossierEvent] = {}
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
        if not hmac.compare_digest(_digest(event, key), event.hash):
            breaks.append(Break(event.dossier_id, event.sequence, "content changed after it was written"))
        last_of[event.dossier_id] = event
        previous = event
    for pk, (sequence, value) in head_of.items():
        last = last_of.get(pk)
        if last is None and sequence:
            breaks.append(Break(pk, sequence, "every entry was removed"))
        elif last is not None and sequence > last.sequence:
            breaks.append(Break(pk, sequence, f"entries after {last.sequence} were removed"))
        elif last is not None and (sequence != last.sequence or value != last.hash):
            breaks.append(Break(pk, last.sequence, "the last entry is not the head kept on the dossier"))
    return sorted(breaks, key=lambda item: (item.dossier_id, item.sequence))


def heads(dossiers=None) -> dict[int, tuple[int, str]]:
    """Each dossier's head of chain, to anchor outside the database."""
    queryset = Dossier.objects.order_by("pk")
    if dossiers is not None:
        queryset = queryset.filter(pk__in=dossiers)
    return {
        pk: (sequence, value)
        for pk, sequence, value in queryset.values_list("pk", "history_head_sequence", "history_head_hash")
    }


def went_backwards(anchored: dict[int, tuple[int, str]], current: dict[int, tuple[int, str]]) -> list[Break]:
    """Heads that moved back since they were anchored: a cut the database alone cannot show."""
    breaks = []
    for pk, (sequence, value) in anchored.items():
        now = current.get(pk)
        if now is None:
            breaks.append(Break(pk, sequence, "the dossier was removed since the anchor"))
        elif now[0] < sequence or (now[0] == sequence and now[1] != value):
            breaks.append(Break(pk, sequence, f"the history went back to entry {now[0]} since the anchor"))
    return breaks
