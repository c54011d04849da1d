"""Publish webhooks: staff register endpoints (URL, secret, events) in the admin; each event
queues a signed POST to each endpoint that asked for it (Standard Webhooks: ``webhook-id``, the
idempotency key; ``webhook-timestamp``; ``webhook-signature``, HMAC-SHA256 over the id, the
timestamp and the body), retried with back-off, every attempt and its answer kept.

Rooms announce what changed through :func:`services.announce`; the payload names what to
revalidate (ids, paths, locales, API addresses), never a body."""
