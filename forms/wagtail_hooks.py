"""Back-office screens and hooks of the teleprocedures."""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, OuterRef, Subquery, Sum, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from atlas_pages.core.admin_helpers import ReadOnlyPermissionHelper
from atlas_pages.core.countries import country_name
from atlas_pages.core.exceptions import DomainError
from extranet.declarations import Declaration
from extranet.navigation import space_link
from forms import apd, atlas_updates, bourse, services
from forms.models import (
    ApdCampaign,
    ApdDeclaration,
    AtlasUpdate,
    BourseInterest,
    BudgetLine,
    CallForProjectsPage,
    Dossier,
    Opinion,
    RequiredOpinion,
)
from forms.permissions import Viewer, own


@hooks.register("cncd_personal_space_links")
def dossiers_link(request, subject=None):
    """“Dossiers de cofinancement” in the personal space of those who file or read them."""
    viewer = Viewer.of(request.user)
    if not (viewer.is_staff or viewer.groups & {"collectivites", "ambassades", "prefectures", "ministeres-operateurs"}):
        return ""
    url = reverse("cncd_forms:dossiers")
    label = _("Co-financing dossiers")
    return space_link(request, url, label)


@hooks.register("cncd_personal_space_links")
def apd_link(request, subject=None):
    """“Déclaration de l'APD” for those who declare it (a local authority's members) and staff."""
    if not (request.user.is_staff or apd.declarer_authority(request.user) is not None):
        return ""
    url = reverse("cncd_forms:apd")
    label = _("ODA declaration")
    return space_link(request, url, label)


@hooks.register("cncd_personal_space_links")
def atlas_updates_link(request, subject=None):
    """“Mettre à jour l'Atlas” for local authorities and embassies (and staff, who moderate)."""
    if not (request.user.is_staff or atlas_updates.proposer(request.user) is not None):
        return ""
    url = reverse("cncd_forms:atlas_updates")
    label = _("Update the Atlas")
    return space_link(request, url, label)


@hooks.register("cncd_personal_space_links")
def bourse_census_link(request, subject=None):
    """“Recensement Bourse-projets” for embassies, and staff who moderate it."""
    if not (request.user.is_staff or bourse.embassy_country(request.user)):
        return ""
    url = reverse("cncd_forms:bourse_census")
    label = _("Bourse-projets census")
    return space_link(request, url, label)


@hooks.register("cncd_bourse_entry_actions")
def bourse_entry_action(request, entry):
    """Under an entry of the Bourse-projets: its page, for a local authority to express its
    interest, or for its embassy and staff to manage it."""
    viewer = Viewer.of(request.user)
    url = reverse("cncd_forms:bourse_entry", args=[entry.pk])
    if viewer.is_staff or (viewer.country and "ambassades" in viewer.groups and entry.country.iso2 == viewer.country):
        label = _("Manage this entry")
    elif "collectivites" in viewer.groups and viewer.authority_code and entry.status in ("open", "in_contact"):
        label = _("My authority is interested")
    else:
        return ""
    return format_html(
        '<p><a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="{}">{}</a></p>', url, label
    )


@hooks.register("cncd_declarations")
def bourse_in_the_history(user):
    """An embassy's census entries; a local authority's interests in entries."""
    if user.is_staff or not user.is_authenticated:
        return []
    items = [
        Declaration(
            kind="bourse",
            kind_label=_("Bourse-projets entry"),
            reference=f"BP-{entry.pk:06d}",
            title=entry.title,
            status=entry.moderation if entry.moderation != "published" else entry.status,
            status_label=str(
                entry.get_moderation_display() if entry.moderation != "published" else entry.get_status_display()
            ),
            filed_at=entry.recorded_at,
            updated_at=entry.updated_at,
            url=reverse("cncd_forms:bourse_entry", args=[entry.pk]),
        )
        for entry in bourse.managed(user)
    ]
    viewer = Viewer.of(user)
    if viewer.authority_code:
        interests = BourseInterest.objects.filter(authority__code=viewer.authority_code).select_related("entry")
        items += [
            Declaration(
                kind="bourse_interest",
                kind_label=_("Interest in a Bourse-projets entry"),
                reference=f"BP-{interest.entry_id:06d}",
                title=interest.entry.title,
                status=interest.entry.status,
                status_label=str(interest.entry.get_status_display()),
                filed_at=interest.created_at,
                updated_at=interest.created_at,
                url=reverse("cncd_forms:bourse_entry", args=[interest.entry_id]),
            )
            for interest in interests
        ]
    return items


@hooks.register("cncd_declarations")
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


@hooks.register("cncd_declarations")
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


# --- back office: the dossiers of each call ---------------------------------------------------


class CallFilter(SimpleListFilter):
    title = gettext_lazy("call")
    parameter_name = "appel"

    def lookups(self, request, model_admin):
        return [(str(page.pk), page.title) for page in CallForProjectsPage.objects.order_by("-closes_at")]

    def queryset(self, request, queryset):
        return queryset.filter(call_id=self.value()) if self.value() else queryset


class CountryFilter(SimpleListFilter):
    title = gettext_lazy("partner country")
    parameter_name = "pays"

    def lookups(self, request, model_admin):
        codes = Dossier.objects.exclude(partner_country=None).values_list("partner_country__iso2", flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(partner_country__iso2=self.value()) if self.value() else queryset


class RegionFilter(SimpleListFilter):
    title = gettext_lazy("region of the authority")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        names = Dossier.objects.values_list("authority__region", flat=True).distinct()
        return [(name, name) for name in sorted(name for name in names if name)]

    def queryset(self, request, queryset):
        return queryset.filter(authority__region=self.value()) if self.value() else queryset


class OpinionFilter(SimpleListFilter):
    """Dossiers waiting for an opinion (from a given body), or whose opinion is overdue."""

    title = gettext_lazy("opinions")
    parameter_name = "avis"

    def lookups(self, request, model_admin):
        return [
            ("waiting", gettext_lazy("Waiting for an opinion")),
            *[
                (f"waiting-{body}", gettext_lazy("Waiting for: %(body)s") % {"body": label})
                for body, label in RequiredOpinion.Body.choices
            ],
            ("overdue", gettext_lazy("An opinion is overdue")),
        ]

    def queryset(self, request, queryset):
        value = self.value() or ""
        waiting = Opinion.objects.filter(dossier=OuterRef("pk"), verdict="")
        if value == "waiting":
            return queryset.filter(Exists(waiting))
        if value.startswith("waiting-"):
            return queryset.filter(Exists(waiting.filter(body=value.removeprefix("waiting-"))))
        if value == "overdue":
            return queryset.filter(Exists(waiting.filter(due_date__lt=timezone.localdate())))
        return queryset


class DossierPermissionHelper(ReadOnlyPermissionHelper):
    """Dossiers change through the procedure (API, pages), never by editing rows here."""

    def user_can_list(self, user):
        return user.is_active and user.is_staff and self.user_has_any_permissions(user)

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)


class DossierIndexView(IndexView):
    def get_heading(self, queryset, field):
        """Column headings as people write them (“Intitulé du projet”, not title case)."""
        return capfirst(force_str(label_for_field(field, model=self.model, model_admin=self.model_admin)))


class DossierAdmin(ModelAdmin):
    model = Dossier
    menu_label = gettext_lazy("Co-financing dossiers")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    permission_helper_class = DossierPermissionHelper
    inspect_view_enabled = True
    list_display = ("reference", "title", "authority", "partner_country", "state", "waiting", "filed_at")
    list_filter = (CallFilter, "state", CountryFilter, RegionFilter, OpinionFilter)
    search_fields = ("reference", "title", "partner_name", "authority__name", "authority__code")
    list_export = (
        "reference",
        "call",
        "state_label",
        "title",
        "authority",
        "authority_code",
        "region",
        "partner_name",
        "partner_country",
        "expenses",
        "requested",
        "waiting",
        "filed_at",
        "decided_at",
    )
    export_filename = "dossiers-cofinancement"
    index_template_name = "cncd_forms/admin/dossier_index.html"
    index_view_class = DossierIndexView

    def get_queryset(self, request):
        waiting = Opinion.objects.filter(dossier=OuterRef("pk"), verdict="").values("dossier")
        expenses = BudgetLine.objects.filter(dossier=OuterRef("pk"), kind="expense").values("dossier")
        requested = BudgetLine.objects.filter(dossier=OuterRef("pk"), kind="resource", source="requested").values(
            "dossier"
        )
        return (
            super()
            .get_queryset(request)
            .exclude(state=Dossier.State.DRAFT)
            .select_related("call", "authority", "partner_country")
            .annotate(
                waiting_count=Subquery(waiting.annotate(n=Count("pk")).values("n")[:1]),
                expenses_total=Subquery(expenses.annotate(total=Sum("amount")).values("total")[:1]),
                requested_total=Subquery(requested.annotate(total=Sum("amount")).values("total")[:1]),
            )
        )

    def state_label(self, obj):
        return obj.get_state_display()

    state_label.short_description = gettext_lazy("state")

    def waiting(self, obj):
        return obj.waiting_count or 0

    waiting.short_description = gettext_lazy("opinions awaited")

    def authority_code(self, obj):
        return obj.authority.code

    authority_code.short_description = gettext_lazy("official code")

    def region(self, obj):
        return obj.authority.region

    region.short_description = gettext_lazy("region")

    def expenses(self, obj):
        return obj.expenses_total or 0

    expenses.short_description = gettext_lazy("expenses (EUR)")

    def requested(self, obj):
        return obj.requested_total or 0

    requested.short_description = gettext_lazy("requested (EUR)")

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                rf"^{self.opts.app_label}/{self.opts.model_name}/demander-les-avis/$",
                self.request_opinions_view,
                name=f"{self.opts.app_label}_{self.opts.model_name}_request_opinions",
            ),
        )

    def request_opinions_view(self, request):
        """“Ask for the opinions” of every dossier the filters show, as their calls require."""
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        index = self.url_helper.index_url
        query = request.GET.urlencode()
        dossiers = self._filtered(request).filter(
            state__in=[Dossier.State.FILED, Dossier.State.UNDER_REVIEW, Dossier.State.CORRECTION]
        )
        if request.method == "POST":
            asked = 0
            for item in dossiers:
                try:
                    asked += len(services.request_opinions(request.user, item.pk))
                except (DomainError, ValidationError):
                    continue
            messages.success(request, gettext("%(count)d opinion(s) asked.") % {"count": asked})
            return redirect(f"{index}?{query}" if query else index)
        return TemplateResponse(
            request,
            "cncd_forms/admin/request_opinions.html",
            {"dossiers": dossiers, "index_url": index, "query": query, "view": self},
        )

    def _filtered(self, request):
        """The dossiers the index shows for these filters (its search aside)."""
        queryset = self.get_queryset(request)
        for filter_class in (CallFilter, CountryFilter, RegionFilter, OpinionFilter):
            chosen = filter_class(request, request.GET.copy(), Dossier, self)
            queryset = chosen.queryset(request, queryset)
        if request.GET.get("state__exact"):
            queryset = queryset.filter(state=request.GET["state__exact"])
        return queryset


# --- back office: e-APD campaigns --------------------------------------------------------------


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


class ApdDeclarationPermissionHelper(DossierPermissionHelper):
    """Declarations change through the procedure, never by editing rows here."""


class ApdDeclarationAdmin(ModelAdmin):
    model = ApdDeclaration
    menu_label = gettext_lazy("Declarations")
    menu_icon = "doc-full"
    permission_helper_class = ApdDeclarationPermissionHelper
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


class AtlasUpdateAdmin(ModelAdmin):
    """The proposals to moderate: pending first; each opens on its page with its diff."""

    model = AtlasUpdate
    menu_label = gettext_lazy("Atlas updates")
    menu_icon = "site"
    menu_order = 270
    permission_helper_class = ApdDeclarationPermissionHelper
    list_display = ("reference_link", "kind", "project_title", "proposer_organisation", "state", "created_at")
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


class ApdGroup(ModelAdminGroup):
    menu_label = gettext_lazy("ODA declaration (e-APD)")
    menu_icon = "table"
    menu_order = 265
    items = (ApdCampaignAdmin, ApdDeclarationAdmin)


modeladmin_register(DossierAdmin)
modeladmin_register(ApdGroup)
modeladmin_register(AtlasUpdateAdmin)


# --- personal data (RGPD) ----------------------------------------------------------------------

from forms import personal_data  # noqa: E402

hooks.register("cncd_personal_data", personal_data.export)
hooks.register("cncd_before_account_deletion", personal_data.before_deletion)
hooks.register("cncd_personal_data_coverage", lambda: personal_data.COVERAGE)
