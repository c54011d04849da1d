"""The letter in the back office: subscribers (filters, counts, CSV import and export), each
issue's sending screen (preview, send a test, send, progress), and the personal-space link."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.exceptions import DomainError
from atlas_pages.core.feedback import report_refusal
from extranet.navigation import space_link
from newsletter import sending, services
from newsletter.models import NewsletterIssuePage, Sending, Subscription


@cncd_hooks.register(cncd_hooks.PERSONAL_SPACE_PROFILE_LINKS, order=20)
def newsletter_link(request, subject=None):
    """“Ma lettre d'information” in every member's personal space."""
    url = reverse("newsletter_member")
    label = _("My newsletter")
    return space_link(request, url, label)


# --- subscribers --------------------------------------------------------------------------------


class SubscriptionIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Subscription.objects.values_list("state").annotate(n=Count("pk")).order_by().values_list("state", "n")
        )
        context["state_counts"] = [(label, counts.get(value, 0)) for value, label in Subscription.State.choices]
        context["import_url"] = reverse("newsletter_import")
        context["export_url"] = reverse("newsletter_export") + (
            "?" + self.request.GET.urlencode() if self.request.GET else ""
        )
        return context


class SubscriptionAdmin(ModelAdmin):
    model = Subscription
    menu_label = gettext_lazy("Newsletter subscribers")
    menu_icon = "mail"
    menu_order = 280
    list_display = ("email", "state", "language", "source", "group", "consent_at")
    list_filter = ("state", "language", "source", "group")
    search_fields = ("email",)
    index_view_class = SubscriptionIndexView
    index_template_name = "newsletter/admin/subscription_index.html"
    inspect_view_enabled = True
    form_fields_exclude = ("token", "confirm_nonce")


modeladmin_register(SubscriptionAdmin)


def _staff_only(request) -> None:
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied


def import_view(request):
    """CSV import: the consent (how these people agreed) is required; a report says what was
    done and, line by line, what was left and why."""
    _staff_only(request)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": [_("Choose a CSV file.")]})
            if upload.size > 10 * 1024 * 1024 or not upload.name.lower().endswith(".csv"):
                raise ValidationError({"file": [_("A CSV file of at most 10 MB.")]})
            try:
                content = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValidationError({"file": [_("The file must be UTF-8 text.")]}) from error
            report = services.import_csv(content, request.POST.get("consent", ""), request.user)
        except ValidationError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("%(created)d created, %(updated)d updated, %(skipped)d left.")
                % {"created": report.created, "updated": report.updated, "skipped": len(report.skipped)},
            )
    return TemplateResponse(request, "newsletter/admin/import.html", {"report": report})


def export_view(request):
    _staff_only(request)
    queryset = Subscription.objects.order_by("email")
    for name in ("state", "language", "source", "group"):
        value = request.GET.get(f"{name}__exact") or request.GET.get(name)
        if value:
            queryset = queryset.filter(**{name: value})

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in services.export_rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="abonnes-lettre.csv"'
    return response


# --- an issue's sending ---------------------------------------------------------------------------


def issue_view(request, page_id: int):
    """Preview, send a test to given addresses, send (once), and follow the progress."""
    _staff_only(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "test":
                addresses = [
                    services.clean_email(address, "addresses")
                    for address in request.POST.get("addresses", "").replace(";", ",").split(",")
                    if address.strip()
                ]
                if not addresses or len(addresses) > 10:
                    raise ValidationError({"addresses": [_("Give one to ten addresses.")]})
                sent = sending.send_test(issue, addresses)
                messages.success(request, _("%(count)d test message(s) sent.") % {"count": sent})
            elif action == "send":
                sending.start(issue, request.user)
                messages.success(request, _("The sending has started."))
        except (DomainError, ValidationError) as error:
            report_refusal(request, error)
        return redirect("newsletter_issue", page_id=issue.pk)
    current = Sending.objects.filter(issue=issue).first()
    progress = sending.progress(current) if current else None
    failures = current.deliveries.filter(state="failed").select_related("subscription")[:50] if current else []
    return TemplateResponse(
        request,
        "newsletter/admin/issue.html",
        {
            "issue": issue,
            "sending": current,
            "progress": progress,
            "failures": failures,
            "recipients": sum(1 for _ in sending.recipient_ids(issue)) if current is None else None,
        },
    )


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("newsletter/subscribers/import/", import_view, name="newsletter_import"),
        path("newsletter/subscribers/export/", export_view, name="newsletter_export"),
        path("newsletter/issues/<int:page_id>/", issue_view, name="newsletter_issue"),
    ]


@hooks.register("register_page_listing_more_buttons")
def issue_button(page, user, next_url=None):
    """“Envoi” in the “more” menu of an issue in the page listing."""
    if page.specific_class is NewsletterIssuePage and user.is_staff:
        yield Button(_("Send the issue"), reverse("newsletter_issue", args=[page.pk]), priority=15, icon_name="mail")


@hooks.register("register_page_header_buttons")
def issue_header_button(page, user, view_name=None, next_url=None):
    if page.specific_class is NewsletterIssuePage and user.is_staff:
        yield Button(_("Send the issue"), reverse("newsletter_issue", args=[page.pk]), priority=15, icon_name="mail")


# --- personal data (RGPD) ----------------------------------------------------------------------

from newsletter import personal_data  # noqa: E402

cncd_hooks.register(cncd_hooks.PERSONAL_DATA, personal_data.export)
cncd_hooks.register(cncd_hooks.BEFORE_ACCOUNT_DELETION, personal_data.before_deletion)
cncd_hooks.register(cncd_hooks.PERSONAL_DATA_COVERAGE, lambda: personal_data.COVERAGE)


@cncd_hooks.register(cncd_hooks.RECIPIENT_LANGUAGES)
def subscribers_languages(addresses) -> dict:
    """A subscriber reads the site's e-mails in the language they chose for the newsletter."""
    from newsletter.models import Subscription

    found = Subscription.objects.filter(email__in=addresses, state=Subscription.State.CONFIRMED)
    return dict(found.values_list("email", "language"))
