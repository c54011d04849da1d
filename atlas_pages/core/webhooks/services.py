"""Announcing events, signing and delivering them.

- :func:`announce` is what the rooms call when something a front end shows has changed. The
  events of one transaction are gathered and announced once it commits (a subtree deleted, a
  CSV import of a thousand projects: one delivery per endpoint, listing every id); nothing is
  announced for a transaction that rolls back.
- Each delivery is a task (:func:`deliver_webhook`); a failure is retried after
  ``CNCD_WEBHOOK_RETRIES`` seconds (one figure per retry), then given up. The periodic
  ``manage.py webhooks_retry`` sends what is due when the task backend cannot wait (the
  immediate one) and what a dead worker left.
- The signature is Standard Webhooks' (https://www.standardwebhooks.com), so receivers can use
  its libraries: ``webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``.
"""

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from standardwebhooks.webhooks import Webhook

from atlas_pages.core.webhooks.models import (
    EVENT_NAMES,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    new_message_id,
)

logger = logging.getLogger(__name__)
State = WebhookDelivery.State
ANSWER_KEPT = 2000  # characters of each answer kept in the attempt log
STALE_SENDING = dt.timedelta(minutes=10)  # a delivery "being sent" longer than this was abandoned


# --- announcing -------------------------------------------------------------------------------


@dataclass
class _Batch:
    """What one transaction announced: per event, the items (deduplicated by key), in order."""

    events: dict[str, dict[Any, dict]] = field(default_factory=dict)
    revalidate: dict[str, dict[str, None]] = field(default_factory=dict)
    flushed: bool = False

    def add(self, event: str, items: Iterable[tuple[Any, dict]], revalidate: Iterable[str]) -> None:
        kept = self.events.setdefault(event, {})
        for key, item in items:
            kept.setdefault(key, item)
        paths = self.revalidate.setdefault(event, {})
        for path in revalidate:
            paths.setdefault(path, None)

    def flush(self) -> None:
        if self.flushed:
            return
        self.flushed = True
        for event, items in self.events.items():
            queue(event, list(items.values()), list(self.revalidate.get(event, {})))


def _open_batch() -> _Batch:
    connection = transaction.get_connection()
    batch = getattr(connection, "_cncd_webhook_batch", None)
    waiting = (
        batch is not None
        and not batch.flushed
        and any(callback == batch.flush for _ids, callback, _robust in connection.run_on_commit)
    )
    if not waiting or batch is None:
        batch = _Batch()
        connection._cncd_webhook_batch = batch
        transaction.on_commit(batch.flush, robust=True)
    return batch


def announce(event: str, items: Iterable[tuple[Any, dict]], revalidate: Iterable[str] = ()) -> None:
    """``items``: (key, description) pairs, for example ``(page.pk, {"id", "path", "locale"})``;
    ``revalidate``: the API addresses a cache should drop. Sent once the transaction commits."""
    if event not in EVENT_NAMES:
        raise ValueError(f"Unknown webhook event {event!r}: see atlas_pages.core.webhooks.models.EVENTS")
    if not settings.CNCD_WEBHOOKS_ENABLED:
        return
    if not transaction.get_connection().in_atomic_block:
        single = _Batch()
        single.add(event, items, revalidate)
        single.flush()
        return
    _open_batch().add(event, items, revalidate)


def queue(event: str, items: list[dict], revalidate: list[str]) -> list[WebhookDelivery]:
    """One delivery per active endpoint that asked for ``event``, each queued as a task."""
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if event in (endpoint.events or [])
    ]
    if not endpoints:
        return []
    message_id = new_message_id()
    payload = {
        "id": message_id,
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "items": items,
        "revalidate": revalidate,
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event=event, message_id=message_id, payload=payload)
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        _enqueue(delivery.pk)
    return deliveries


def _enqueue(delivery_id: int, at: dt.datetime | None = None) -> None:
    if at is not None and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=at).enqueue(delivery_id)
    elif at is None:
        deliver_webhook.enqueue(delivery_id)
    # Otherwise (a backend that cannot wait): ``webhooks_retry`` sends it when it is due.


# --- delivering -------------------------------------------------------------------------------


def body_of(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def signed_headers(secret: str, message_id: str, body: str, at: dt.datetime | None = None) -> dict[str, str]:
    """Standard Webhooks' three headers for this body."""
    at = at or timezone.now()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def retry_delay(attempts: int) -> float | None:
    """Seconds to wait after the ``attempts``-th failure, or None when it is time to give up."""
    schedule = settings.CNCD_WEBHOOK_RETRIES
    return float(schedule[attempts - 1]) if attempts <= len(schedule) else None


@task()
def deliver_webhook(delivery_id: int) -> str:
    return attempt(delivery_id)


def attempt(delivery_id: int) -> str:
    """One POST of a waiting delivery; what it got is logged, and a failure is scheduled again."""
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, state__in=[State.PENDING, State.RETRYING]).update(
        state=State.SENDING, next_attempt_at=timezone.now()
    )
    if not claimed:
        return "not waiting"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    number = delivery.attempts + 1
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CNCD-a-la-carte-webhooks",
        "webhook-event": delivery.event,
        **signed_headers(endpoint.secret, delivery.message_id, body),
    }
    started = time.monotonic()
    status_code, answer, error = None, "", ""
    try:
        response = requests.post(
            endpoint.url,
            data=body.encode(),
            headers=headers,
            timeout=settings.CNCD_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        status_code, answer = response.status_code, response.text[:ANSWER_KEPT]
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    delivered = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            duration_ms=duration,
            status_code=status_code,
            response=answer,
            error=error or ("" if delivered else f"HTTP {status_code}"),
        )
        delay = None if delivered else retry_delay(number)
        next_at = now + dt.timedelta(seconds=delay) if delay is not None else None
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=number,
            last_status=status_code,
            state=State.DELIVERED if delivered else State.RETRYING if next_at else State.FAILED,
            delivered_at=now if delivered else None,
            next_attempt_at=next_at,
        )
    if next_at is not None:
        transaction.on_commit(lambda: _enqueue(delivery.pk, next_at))
    if not delivered:
        logger.warning(
            "Webhook %s to %s failed (attempt %s): %s", delivery.event, endpoint.url, number, error or status_code
        )
    return "delivered" if delivered else "retrying" if next_at else "failed"


def replay(delivery: WebhookDelivery) -> None:
    """Staff send a delivery again (the same payload and idempotency key), whatever its state."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.PENDING, next_attempt_at=None)
    transaction.on_commit(lambda: _enqueue(delivery.pk))


def retry_due(now: dt.datetime | None = None) -> int:
    """What the periodic command does: queue the retries that are due, the deliveries a crash
    left waiting without a task, and those a dead worker left "being sent"."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(state=State.SENDING, next_attempt_at__lt=now - STALE_SENDING).update(
        state=State.RETRYING, next_attempt_at=now
    )
    due = list(
        WebhookDelivery.objects.filter(state=State.RETRYING, next_attempt_at__lte=now).values_list("pk", flat=True)
    ) + list(
        WebhookDelivery.objects.filter(state=State.PENDING, created_at__lt=now - dt.timedelta(minutes=1)).values_list(
            "pk", flat=True
        )
    )
    for delivery_id in due:
        deliver_webhook.enqueue(delivery_id)
    return len(due)


def prune(min_age_days: int, now: dt.datetime | None = None) -> int:
    """Deletes the settled deliveries (delivered, or given up) older than ``min_age_days``, with
    their attempts, a thousand at a time; returns how many deliveries went."""
    before = (now or timezone.now()) - dt.timedelta(days=min_age_days)
    settled = WebhookDelivery.objects.filter(state__in=[State.DELIVERED, State.FAILED], created_at__lt=before)
    deleted = 0
    while ids := list(settled.values_list("pk", flat=True)[:1000]):
        WebhookAttempt.objects.filter(delivery_id__in=ids).delete()
        deleted += WebhookDelivery.objects.filter(pk__in=ids).delete()[1].get(WebhookDelivery._meta.label, 0)
    return deleted
