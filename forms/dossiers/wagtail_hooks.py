"""Back-office screens and hooks of co-financing dossiers."""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Exists, F, OuterRef, Subquery, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.countries import country_name
from atlas_pages.core.exceptions import DomainError
from extranet.declarations import Declaration
from extranet.navigation import space_link
from forms.admin_helpers import ProcedurePermissionHelper
from forms.dossiers import followup, instruction, questions, scoring, services
from forms.dossiers.models import (
    BudgetLine,
    CallForProjectsPage,
    CallQuestion,
    Dossier,
    DossierLabel,
    Opinion,
    RequiredOpinion,
    Review,
)
from forms.dossiers.permissions import own
from forms.permissions import Viewer


@cncd_hooks.register(cncd_hooks.PERSONAL_SPACE_LINKS, order=10)
def dossiers_link(request, subject=None):
    """“Dossiers de cofinancement” in the personal space of those who file or read them."""
    viewer = Viewer.of(request.user)
    if not (viewer.is_staff or viewer.groups & {"collectivites", "ambassades", "prefectures", "ministeres-operateurs"}):
        return ""
    url = reverse("cncd_forms:dossiers")
    label = _("Co-financing dossiers")
    return space_link(request, url, label)


@cncd_hooks.register(cncd_hooks.DECLARATIONS)
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


class InstructionFilter(SimpleListFilter):
    """The instructor's own view: the dossiers assigned to me, to nobody, or that I follow."""

    title = gettext_lazy("instruction")
    parameter_name = "suivi"

    def lookups(self, request, model_admin):
        return [
            ("attribues", gettext_lazy("Assigned to me")),
            ("sans-instructeur", gettext_lazy("Not assigned")),
            ("suivis", gettext_lazy("Those I follow")),
        ]

    def queryset(self, request, queryset):
        assigned, followed = instruction.MINE.get(self.value() or "", ("", False))
        archived = request.GET.get(ArchiveFilter.parameter_name) == "1"
        return instruction.narrowed(request.user, queryset, assigned=assigned, followed=followed, archived=archived)


class ArchiveFilter(SimpleListFilter):
    """The dossiers being instructed (by default), or the archive (decided dossiers put away)."""

    title = gettext_lazy("archive")
    parameter_name = "archives"

    def lookups(self, request, model_admin):
        return [("1", gettext_lazy("Archived dossiers"))]

    def queryset(self, request, queryset):
        return queryset  # applied with the instruction filter (``instruction.narrowed``)


class LabelFilter(SimpleListFilter):
    title = gettext_lazy("dossier label")
    parameter_name = "etiquette"

    def lookups(self, request, model_admin):
        return [(str(label.pk), label.name) for label in instruction.labels()]

    def queryset(self, request, queryset):
        return queryset.filter(labels=self.value()) if (self.value() or "").isdigit() else queryset


class FollowupFilter(SimpleListFilter):
    """Funded dossiers in follow-up, and those whose report is overdue."""

    title = gettext_lazy("follow-up")
    parameter_name = "suivi-financier"

    def lookups(self, request, model_admin):
        return [("en-cours", gettext_lazy("In follow-up")), ("rapport-en-retard", gettext_lazy("A report is overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "en-cours":
            return followup.in_followup(queryset)
        if self.value() == "rapport-en-retard":
            return followup.report_overdue(queryset)
        return queryset


class DossierIndexView(IndexView):
    def get_heading(self, queryset, field):
        """Column headings as people write them (“Intitulé du projet”, not title case)."""
        return capfirst(force_str(label_for_field(field, model=self.model, model_admin=self.model_admin)))


class DossierAdmin(ModelAdmin):
    model = Dossier
    menu_label = gettext_lazy("Co-financing dossiers")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    permission_helper_class = ProcedurePermissionHelper
    inspect_view_enabled = True
    list_display = (
        "reference",
        "title",
        "authority",
        "partner_country",
        "state",
        "assigned_to",
        "labels_text",
        "opinions_text",
        "score_text",
        "followup_text",
        "filed_at",
    )
    list_filter = (
        InstructionFilter,
        FollowupFilter,
        LabelFilter,
        ArchiveFilter,
        CallFilter,
        "state",
        CountryFilter,
        RegionFilter,
        OpinionFilter,
    )
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
        "received",
        "waiting",
        "assigned_to",
        "labels_text",
        "score_text",
        "filed_at",
        "decided_at",
    )
    export_filename = "dossiers-cofinancement"
    index_template_name = "cncd_forms/admin/dossier_index.html"
    index_view_class = DossierIndexView

    def get_list_export(self, request):
        """The columns of the spreadsheet: for one call, a column per question of its own; for
        several, the answers together in one column."""
        call_id = request.GET.get(CallFilter.parameter_name, "")
        if not call_id.isdigit():
            return (*self.list_export, "answers_text")
        return (*self.list_export, *(_answer_column(item) for item in CallQuestion.objects.filter(call_id=call_id)))

    def answers_text(self, obj):
        return "\n".join(
            f"{item.label} : {questions.export_text(obj, item) or '—'}" for item in obj.call.questions.all()
        )

    answers_text.short_description = gettext_lazy("answers to the call's questions")

    def get_queryset(self, request):
        waiting = Opinion.objects.filter(dossier=OuterRef("pk"), verdict="").values("dossier")
        received = Opinion.objects.filter(dossier=OuterRef("pk")).exclude(verdict="").values("dossier")
        expenses = BudgetLine.objects.filter(dossier=OuterRef("pk"), kind="expense").values("dossier")
        requested = BudgetLine.objects.filter(dossier=OuterRef("pk"), kind="resource", source="requested").values(
            "dossier"
        )
        reviews = Review.objects.filter(dossier=OuterRef("pk")).values("dossier")
        return questions.for_export(
            super()
            .get_queryset(request)
            .exclude(state=Dossier.State.DRAFT)
            .select_related("call", "authority", "partner_country", "assigned_to")
            .prefetch_related("labels", "agreement__reports")
            .annotate(
                waiting_count=Subquery(waiting.annotate(n=Count("pk")).values("n")[:1]),
                received_count=Subquery(received.annotate(n=Count("pk")).values("n")[:1]),
                expenses_total=Subquery(expenses.annotate(total=Sum("amount")).values("total")[:1]),
                requested_total=Subquery(requested.annotate(total=Sum("amount")).values("total")[:1]),
                review_count=Subquery(reviews.annotate(n=Count("pk")).values("n")[:1]),
                review_average=Subquery(reviews.annotate(mean=Avg("total")).values("mean")[:1]),
                review_square=Subquery(reviews.annotate(mean=Avg(F("total") * F("total"))).values("mean")[:1]),
                reviewed_by_me=Exists(Review.objects.filter(dossier=OuterRef("pk"), reviewer=request.user.pk)),
            )
        )

    def state_label(self, obj):
        return obj.get_state_display()

    state_label.short_description = gettext_lazy("state")

    def waiting(self, obj):
        return obj.waiting_count or 0

    waiting.short_description = gettext_lazy("opinions awaited")

    def received(self, obj):
        return obj.received_count or 0

    received.short_description = gettext_lazy("opinions received")

    def opinions_text(self, obj):
        """Received against asked, as instructors read it: "1 / 2"."""
        received, waiting = obj.received_count or 0, obj.waiting_count or 0
        return f"{received} / {received + waiting}" if received + waiting else "—"

    opinions_text.short_description = gettext_lazy("opinions received / asked")

    def followup_text(self, obj):
        """What the follow-up of a funded dossier waits for: "Waiting for the final report (due …)"."""
        found = getattr(obj, "agreement", None) if obj.state == Dossier.State.ACCEPTED else None
        if found is None or found.state != found.State.SIGNED:
            return found.get_state_display() if found is not None else ""
        return followup.waiting_label(list(found.reports.all())) or found.get_state_display()

    followup_text.short_description = gettext_lazy("follow-up")

    def score_text(self, obj):
        """The reviewers' average out of 20 and its spread, blind until my own score (or the decision)."""
        if not obj.review_count:
            return ""
        if not (obj.reviewed_by_me or obj.is_decided):
            return gettext("After your own score")
        average, square = float(obj.review_average), float(obj.review_square)
        spread = max(square - average * average, 0.0) ** 0.5
        return f"{scoring.shown(average)} (± {scoring.shown(spread)})"

    score_text.short_description = gettext_lazy("score /20 (spread)")

    def labels_text(self, obj):
        return ", ".join(label.name for label in obj.labels.all())

    labels_text.short_description = gettext_lazy("labels")

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
        for filter_class in (InstructionFilter, LabelFilter, CallFilter, CountryFilter, RegionFilter, OpinionFilter):
            chosen = filter_class(request, request.GET.copy(), Dossier, self)
            queryset = chosen.queryset(request, queryset)
        if request.GET.get("state__exact"):
            queryset = queryset.filter(state=request.GET["state__exact"])
        return queryset


def _answer_column(question: CallQuestion):
    """A spreadsheet column: the answers to one question of the call."""

    def column(obj):
        return questions.export_text(obj, question)

    column.short_description = question.label  # type: ignore[attr-defined]  # the column's heading
    return column


modeladmin_register(DossierAdmin)


class DossierLabelAdmin(ModelAdmin):
    """*Étiquettes des dossiers*: the labels the instructors put on dossiers."""

    model = DossierLabel
    menu_label = gettext_lazy("Dossier labels")
    menu_icon = "tag"
    menu_order = 261
    list_display = ("name", "description")
    search_fields = ("name",)


modeladmin_register(DossierLabelAdmin)


cncd_hooks.register(cncd_hooks.ATLAS_UPDATE_ACCEPTED, services.atlas_update_accepted)
cncd_hooks.register(cncd_hooks.ATLAS_PROJECT_NOTES, services.project_notes)
