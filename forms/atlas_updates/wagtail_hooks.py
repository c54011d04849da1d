"""Back-office screens and hooks of Atlas update proposals."""

from django.db.models import Case, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from atlas_pages.core import hooks as cncd_hooks
from extranet.declarations import Declaration
from extranet.navigation import space_link
from forms.admin_helpers import ProcedurePermissionHelper
from forms.atlas_updates import services as atlas_updates
from forms.atlas_updates.models import AtlasUpdate


@cncd_hooks.register(cncd_hooks.PERSONAL_SPACE_LINKS, order=12)
def atlas_updates_link(request, subject=None):
    """“Mettre à jour l'Atlas” for those who propose updates (see the services) and staff, who moderate."""
    if not (request.user.is_staff or atlas_updates.proposer(request.user) is not None):
        return ""
    url = reverse("cncd_forms:atlas_updates")
    label = _("Update the Atlas")
    return space_link(request, url, label)


@cncd_hooks.register(cncd_hooks.DECLARATIONS)
def atlas_updates_in_the_history(user):
    """The proposals of updates of the Atlas of the member and of their authority (or embassy)."""
    if user.is_staff or not user.is_authenticated:
        return []
    return [
        Declaration(
            kind="atlas_update",
            kind_label=_("Update of the Atlas"),
            reference=item.reference,
            title=item.project_title,
            status=item.state,
            status_label=str(item.get_state_display()),
            filed_at=item.created_at,
            updated_at=item.moderated_at or item.created_at,
            url=reverse("cncd_forms:atlas_update", args=[item.pk]),
        )
        for item in atlas_updates.visible(user)
    ]


class AtlasUpdateAdmin(ModelAdmin):
    """The proposals to moderate: pending first; each opens on its page with its diff."""

    model = AtlasUpdate
    menu_label = gettext_lazy("Atlas updates")
    menu_icon = "site"
    menu_order = 270
    permission_helper_class = ProcedurePermissionHelper
    list_display = (
        "reference_link",
        "kind",
        "project_title",
        "proposer_organisation",
        "proposer_group",
        "state",
        "created_at",
    )
    list_filter = ("state", "kind", "proposer_group")
    search_fields = ("project_title", "proposer_organisation")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .order_by(Case(When(state=AtlasUpdate.State.PENDING, then=0), default=1), "-created_at")
        )

    def reference_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("cncd_forms:atlas_update", args=[obj.pk]), obj.reference)

    reference_link.short_description = gettext_lazy("reference")


modeladmin_register(AtlasUpdateAdmin)


cncd_hooks.register(cncd_hooks.DOSSIER_ACCEPTED, atlas_updates.propose_from_dossier)
