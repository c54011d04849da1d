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
