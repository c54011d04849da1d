"""Bounces and complaints: an address that bounced for good or complained is never written to
again. They come from the ESP's webhooks through django-anymail's ``tracking`` signal (where
anymail's tracking URLs are configured), or from ``manage.py newsletter_bounces`` for a list
exported from the mail server."""

from newsletter import services

# anymail's event types: a hard bounce or a refusal marks the address bounced; a complaint
# (the “spam” button) marks it complained. Soft bounces (“deferred”) change nothing.
BOUNCED = {"bounced", "rejected"}
COMPLAINED = {"complained"}


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    if not event.recipient:
        return
    if event.event_type in COMPLAINED:
        services.mark_undeliverable([event.recipient], complaint=True)
    elif event.event_type in BOUNCED:
        services.mark_undeliverable([event.recipient])


def connect() -> None:
    try:
        from anymail.signals import tracking
    except ImportError:  # anymail not installed: the management command remains
        return
    tracking.connect(on_tracking, dispatch_uid="newsletter.bounces")
