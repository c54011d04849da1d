"""Back-office screens and hooks of the e-APD declaration."""

from django.contrib.admin import SimpleListFilter
from django.db.models import Count, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from atlas_pages.core import hooks as cncd_hooks
from extranet.declarations import Declaration
from extranet.navigation import space_link
from forms.admin_helpers import ProcedurePermissionHelper
from forms.apd import services as apd
from forms.apd.models import ApdCampaign, ApdDeclaration


@cncd_hooks.register(cncd_hooks.PERSONAL_SPACE_LINKS, order=11)
def apd_link(request, subject=None):
    """“Déclaration de l'APD” for those who declare it (a local authority's members) and staff."""
    if not (request.user.is_staff or apd.declarer_authority(request.user) is not None):
        return ""
    url = reverse("cncd_forms:apd")
    label = _("ODA declaration")
    return space_link(request, url, label)


@cncd_hooks.register(cncd_hooks.DECLARATIONS)
def apd_in_the_history(user):
    """The e-APD declarations of the member's authority, with their receipts."""
    if user.is_staff or apd.declarer_authority(user) is None:
        return []
    return [
        Declaration(
            kind="apd",
            kind_label=_("ODA declaration"),
            reference=item.reference,
            title=str(item.campaign),
            status=item.state,
            status_label=str(item.get_state_display()),
            filed_at=item.submitted_at,
            updated_at=item.updated_at,
            url=reverse("cncd_forms:apd_declaration", args=[item.pk]),
            receipt_url=reverse("cncd_forms:apd_receipt", args=[item.pk]) if item.receipt else "",
        )
        for item in apd.declarations(user)
    ]


class ApdCampaignInspectView(InspectView):
    """The campaign's progress: who declared, totals by country and sector, and the exports."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = apd.progress(self.request.user, self.instance.pk)
        context["pending"] = apd.pending_authorities(self.instance.pk).order_by("name")[:200]
        context["crs_url"] = f"/api/declarations/apd/campaigns/{self.instance.pk}/crs.csv"
        context["iati_url"] = f"/api/declarations/apd/campaigns/{self.instance.pk}/iati.xml"
        context["declarations_url"] = ApdDeclarationAdmin().url_helper.index_url + f"?campagne={self.instance.pk}"
        return context


class ApdCampaignAdmin(ModelAdmin):
    model = ApdCampaign
    menu_label = gettext_lazy("Campaigns")
    menu_icon = "date"
    inspect_view_enabled = True
    inspect_view_class = ApdCampaignInspectView
    inspect_template_name = "cncd_forms/admin/apd_campaign_inspect.html"
    list_display = ("year", "opens_at", "closes_at", "status_label", "submitted")

    def get_queryset(self, request):
        submitted = ApdDeclaration.objects.filter(campaign=OuterRef("pk"), state=ApdDeclaration.State.SUBMITTED)
        return (
            super()
            .get_queryset(request)
            .annotate(submitted_count=Subquery(submitted.values("campaign").annotate(n=Count("pk")).values("n")[:1]))
        )

    def status_label(self, obj):
        return obj.get_status_display()

    status_label.short_description = gettext_lazy("status")

    def submitted(self, obj):
        return obj.submitted_count or 0

    submitted.short_description = gettext_lazy("declarations submitted")


class CampaignFilter(SimpleListFilter):
    title = gettext_lazy("campaign")
    parameter_name = "campagne"

    def lookups(self, request, model_admin):
        return [(str(item.pk), str(item.year)) for item in ApdCampaign.objects.all()]

    def queryset(self, request, queryset):
        return queryset.filter(campaign_id=self.value()) if self.value() else queryset


class ApdDeclarationAdmin(ModelAdmin):
    model = ApdDeclaration
    menu_label = gettext_lazy("Declarations")
    menu_icon = "doc-full"
    permission_helper_class = ProcedurePermissionHelper
    list_display = ("reference_link", "authority", "campaign", "state", "submitted_at", "disbursed")
    list_filter = (CampaignFilter, "state")
    search_fields = ("authority__name", "authority__code")
    list_export = ("reference", "campaign", "authority", "authority_code", "state_label", "submitted_at", "disbursed")
    export_filename = "declarations-apd"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("campaign", "authority")
            .annotate(disbursed_total=Sum("lines__disbursed"))
        )

    def reference_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("cncd_forms:apd_declaration", args=[obj.pk]), obj.reference)

    reference_link.short_description = gettext_lazy("reference")

    def reference(self, obj):
        return obj.reference

    reference.short_description = gettext_lazy("reference")

    def authority_code(self, obj):
        return obj.authority.code

    authority_code.short_description = gettext_lazy("official code")

    def state_label(self, obj):
        return obj.get_state_display()

    state_label.short_description = gettext_lazy("state")

    def disbursed(self, obj):
        return obj.disbursed_total or 0

    disbursed.short_description = gettext_lazy("disbursed (EUR)")


class ApdGroup(ModelAdminGroup):
    menu_label = gettext_lazy("ODA declaration (e-APD)")
    menu_icon = "table"
    menu_order = 265
    items = (ApdCampaignAdmin, ApdDeclarationAdmin)


modeladmin_register(ApdGroup)
