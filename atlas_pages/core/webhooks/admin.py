"""The webhooks in the Wagtail admin (Settings → Webhooks): the endpoints staff register, and
every delivery with its attempts and the answers got, with a button to send one again."""

from django import forms
from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from atlas_pages.core.admin_helpers import ReadOnlyPermissionHelper
from atlas_pages.core.webhooks import services
from atlas_pages.core.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=EVENTS, widget=forms.CheckboxSelectMultiple, required=True
    )


class EndpointAdmin(ModelAdmin):
    model = WebhookEndpoint
    menu_label = gettext_lazy("Endpoints")
    menu_icon = "link-external"
    list_display = ("name", "url", "event_list", "active")
    list_filter = ("active",)
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("url"), FieldPanel("events"), FieldPanel("secret"), FieldPanel("active")],
        base_form_class=EndpointForm,
    )

    @display(description=gettext_lazy("events"))
    def event_list(self, obj):
        labels = dict(EVENTS)
        return ", ".join(str(labels.get(name, name)) for name in obj.events or [])


class DeliveryAdmin(ModelAdmin):
    """Read-only: a delivery is made by an event; staff read its attempts and may replay it."""

    model = WebhookDelivery
    menu_label = gettext_lazy("Deliveries")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    inspect_view_fields = ("endpoint", "event", "message_id", "state", "attempts", "created_at", "delivered_at")
    inspect_template_name = "cncd_core/webhooks/delivery_inspect.html"
    list_display = ("event", "endpoint", "state", "attempts", "last_status", "created_at", "inspect_link")
    list_filter = ("state", "event", "endpoint")
    search_fields = ("message_id",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("endpoint")

    @display(description=gettext_lazy("details"))
    def inspect_link(self, obj):
        url = self.url_helper.get_action_url("inspect", quote(obj.pk))
        return format_html('<a href="{}">{}</a>', url, _("Attempts and answers"))


class WebhooksGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Webhooks")
    menu_icon = "link-external"
    menu_order = 850
    items = (EndpointAdmin, DeliveryAdmin)


modeladmin_register(WebhooksGroup)


@require_POST
def replay(request, delivery_id: int):
    """Sends a delivery again, same payload and idempotency key, whatever its state."""
    if not request.user.has_perm("atlas_pages.view_webhookdelivery"):
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    with transaction.atomic():
        services.replay(delivery)
    messages.success(request, _("The delivery is queued again."))
    return redirect(reverse("atlas_pages_webhookdelivery_modeladmin_inspect", args=[delivery.pk]))


@hooks.register("register_admin_urls")
def webhook_urls():
    return [path("webhooks/deliveries/<int:delivery_id>/replay/", replay, name="cncd_webhook_replay")]
