from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.themes import LABELS


class Theme(models.Model):
    """A cooperation sector; the list is fixed (data migration) and its names are translated."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return str(LABELS.get(self.slug, self.slug))
