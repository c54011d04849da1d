"""Online updates of the Atlas: local authorities propose changes to their projects, embassies to
the projects in their country, prefectures to those of their region's authorities, ministries and
operators to any; staff moderate; an accepted proposal changes the Atlas and stays
as the project's history of who changed what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from extranet.groups import ACTOR_GROUPS


class AtlasUpdate(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("New project")
        EDIT = "edit", _("Change")
        END = "end", _("End of the project")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    project = models.ForeignKey(
        "atlas_pages.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_updates",
        verbose_name=_("project"),
    )
    project_title = models.CharField(_("project"), max_length=255, help_text=_("As proposed (kept if it goes)."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="atlas_updates",
        verbose_name=_("proposed by"),
    )
    proposer_group = models.CharField(_("on behalf of"), max_length=40, choices=ACTOR_GROUPS)
    proposer_organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    authority_code = models.CharField(max_length=14, blank=True, db_index=True)
    country_code = models.CharField(max_length=2, blank=True, db_index=True)
    region = models.CharField(max_length=100, blank=True, db_index=True, help_text=_("A prefecture's region."))
    before = models.JSONField(_("values before"), default=dict, blank=True)
    changes = models.JSONField(_("values proposed"), default=dict)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    dossier = models.ForeignKey(
        "cncd_forms.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="atlas_updates",
        verbose_name=_("from the co-financing dossier"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    reason = models.TextField(_("reason of the rejection"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Atlas update")
        verbose_name_plural = _("Atlas updates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.project_title}"

    @property
    def reference(self) -> str:
        return f"MAJ-{self.pk:06d}"
