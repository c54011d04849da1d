"""Webhook endpoints and their deliveries, each attempt with the answer it got."""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

EVENTS = [
    ("page.published", _("A page is published")),
    ("page.unpublished", _("A page is unpublished")),
    ("page.moved", _("A page is moved")),
    ("page.deleted", _("A page is deleted")),
    ("atlas.project.created", _("An Atlas project is created")),
    ("atlas.project.changed", _("An Atlas project is changed")),
    ("atlas.project.ended", _("An Atlas project is ended (completed or removed)")),
    ("newsletter.issue.sent", _("A newsletter issue is sent")),
]
EVENT_NAMES = [name for name, _label in EVENTS]


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_secret(value: str) -> None:
    raw = value.removeprefix("whsec_")
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except ValueError:
        key = b""
    if len(key) < 24:
        raise ValidationError(_("Give a secret of the form whsec_ followed by at least 24 bytes in base64."))


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    """A receiver staff registered: where to POST, the secret to sign with, the events it wants."""

    name = models.CharField(_("name"), max_length=100, help_text=_("For example: the front end's revalidation."))
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        validators=[validate_secret],
        help_text=_("Copy it into the receiver, which checks each signature with it; change it to rotate."),
    )
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if settings.CNCD_WEBHOOK_REQUIRE_HTTPS and self.url and not self.url.startswith("https://"):
            raise ValidationError({"url": _("Give an https:// address: the payloads are signed, not encrypted.")})
        unknown = [name for name in self.events or [] if name not in EVENT_NAMES]
        if unknown or not self.events:
            raise ValidationError({"events": _("Choose at least one of the events.")})


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, its idempotency key, where it stands."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        RETRYING = "retrying", _("Failed, will be retried")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, given up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("event"), max_length=40, choices=EVENTS, db_index=True)
    message_id = models.CharField(_("idempotency key"), max_length=40, default=new_message_id, db_index=True)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "message_id"], name="webhook_once_per_endpoint")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One POST and what the receiver answered (or why there was no answer)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response = models.TextField(_("answer (start)"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery} #{self.number}: {self.status_code or self.error}"
