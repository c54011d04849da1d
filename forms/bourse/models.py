"""Bourse-projets census: a French local authority's interest in an entry an embassy recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BourseInterest(models.Model):
    entry = models.ForeignKey(
        "atlas_pages.BourseProject", on_delete=models.CASCADE, related_name="interests", verbose_name=_("entry")
    )
    authority = models.ForeignKey(
        "atlas_pages.FrenchAuthority",
        on_delete=models.CASCADE,
        related_name="bourse_interests",
        verbose_name=_("local authority"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("member")
    )
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("expressed at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry", "authority"], name="one_interest_per_authority")]
        verbose_name = _("interest in a Bourse-projets entry")
        verbose_name_plural = _("interests in Bourse-projets entries")

    def __str__(self) -> str:
        return f"{self.authority} → {self.entry}"


class BourseEvent(models.Model):
    """An entry's history: recorded, corrected, published or rejected, moved, interest, into the Atlas."""

    class Action(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        EDITED = "edited", _("Corrected")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        STATUS = "status", _("Status changed")
        INTEREST = "interest", _("Interest expressed")
        ATLAS = "atlas", _("Added to the Atlas")

    entry = models.ForeignKey("atlas_pages.BourseProject", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("Bourse-projets history entry")
        verbose_name_plural = _("Bourse-projets history")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"
