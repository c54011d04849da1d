"""Wagtail integration of the Atlas: its records in the admin, and its part of personal data."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView, EditView

from atlas_pages.atlas.geography import CONTINENTS
from atlas_pages.atlas.models import BourseProject, FrenchAuthority, PartnerAuthority, Project
from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.themes import THEMES


class ContinentFilter(SimpleListFilter):
    """(Django's related-field filters need django.contrib.admin, which is not installed.)"""

    title = _("continent")
    parameter_name = "continent"

    def lookups(self, request, model_admin):
        return [(slug, label) for slug, _region, label in CONTINENTS]

    def queryset(self, request, queryset):
        return queryset.filter(country__continent__slug=self.value()) if self.value() else queryset


class ThemeFilter(SimpleListFilter):
    title = _("theme")
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return THEMES

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        field = "theme__slug" if queryset.model is BourseProject else "themes__slug"
        return queryset.filter(**{field: self.value()})


class RecordUpdater:
    """Remembers who last changed a project or an entry."""

    def form_valid(self, form):
        if hasattr(form.instance, "updated_by_id"):
            form.instance.updated_by = self.request.user
        if hasattr(form.instance, "recorded_by_id") and not form.instance.recorded_by_id:
            form.instance.recorded_by = self.request.user
        return super().form_valid(form)


class AtlasCreateView(RecordUpdater, CreateView):
    pass


class AtlasEditView(RecordUpdater, EditView):
    pass


class AtlasAdmin(ModelAdmin):
    create_view_class = AtlasCreateView
    edit_view_class = AtlasEditView
    list_per_page = 50


class ProjectAdmin(AtlasAdmin):
    model = Project
    menu_label = _("Projects")
    menu_icon = "site"
    list_display = ("title", "country", "kind", "status", "start_year", "end_year", "updated_at")
    list_filter = ("kind", "status", ContinentFilter, ThemeFilter)
    search_fields = ("title", "search_text")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class FrenchAuthorityAdmin(AtlasAdmin):
    model = FrenchAuthority
    menu_label = _("French local authorities")
    menu_icon = "home"
    list_display = ("name", "code", "kind", "region", "department")
    list_filter = ("kind", "region")
    search_fields = ("name", "code")


class PartnerAuthorityAdmin(AtlasAdmin):
    model = PartnerAuthority
    menu_label = _("Partner authorities")
    menu_icon = "globe"
    list_display = ("name", "country", "kind")
    list_filter = ("kind", ContinentFilter)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class BourseAdmin(AtlasAdmin):
    model = BourseProject
    menu_label = _("Bourse-projets")
    menu_icon = "pick"
    list_display = ("title", "partner_authority", "country", "theme", "status", "moderation", "recorded_at")
    list_filter = ("moderation", "status", ContinentFilter, ThemeFilter)
    search_fields = ("title", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner_authority", "country", "theme")


@modeladmin_register
class AtlasAdminGroup(ModelAdminGroup):
    menu_label = _("Atlas")
    menu_icon = "site"
    menu_order = 260
    items = (ProjectAdmin, FrenchAuthorityAdmin, PartnerAuthorityAdmin, BourseAdmin)


# Snippets too, so other forms (dossiers, declarations) choose them with Wagtail's chooser.
for _model in (FrenchAuthority, PartnerAuthority, Project, BourseProject):
    register_snippet(_model)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def remember_who_updated(request, instance):
    if isinstance(instance, Project):
        Project.objects.filter(pk=instance.pk).update(updated_by=request.user)


# --- personal data (RGPD) ----------------------------------------------------------------------


ATLAS_COVERAGE = {
    "atlas_pages.Project.updated_by": "who last changed an Atlas project; deletion: unlinked",
    "atlas_pages.ContactSettings.email": "the CNCD's own contact address, not an account",
}
cncd_hooks.register(cncd_hooks.PERSONAL_DATA_COVERAGE, lambda: ATLAS_COVERAGE)
