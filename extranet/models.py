from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from .groups import LABELS


class ActorGroup(models.Model):
    """One of the nine groups of cooperation actors a member registers into."""

    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="actor_group", verbose_name=_("group"))
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("actor group")
        verbose_name_plural = _("actor groups")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The name in the active language (the Django group keeps the French one)."""
        return LABELS.get(self.slug, self.group.name)
