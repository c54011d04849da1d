"""Back-office screens and hooks of the teleprocedures."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from extranet.declarations import Declaration

from .models import Dossier
from .permissions import Viewer, own


@hooks.register("cncd_declarations")
def dossiers_in_the_history(user):
    """The member's and their authority's co-financing dossiers, in “Mes télédéclarations”."""
    viewer = Viewer.of(user)
    if viewer.user_id is None:
        return []
    mine = Dossier.objects.filter(own(viewer)).select_related("call")
    return [
        Declaration(
            kind="dossier",
            kind_label=_("Co-financing dossier"),
            reference=item.reference or "",
            title=item.title or str(item.call.title),
            status=item.state,
            status_label=str(item.get_state_display()),
            filed_at=item.filed_at,
            updated_at=item.updated_at,
            url=reverse("cncd_forms:dossier", args=[item.pk]),
        )
        for item in mine
    ]
