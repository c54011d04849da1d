"""The thematic spaces in the rest of the site: the site search, the personal space's menu, the
personal data, and the moderators' back office (the reports to handle and the moderation log)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.admin_helpers import ReadOnlyPermissionHelper
from extranet.spaces import digest, services
from extranet.spaces.models import Following, Message, ModerationEntry, Report, Suspension


@cncd_hooks.register(cncd_hooks.SITE_SEARCH)
def discussions_found(request, terms: list[str]) -> str:
    """The discussions the reader may read whose title or messages hold every word."""
    found = services.search(request.user, terms)
    if not found:
        return ""
    return render_to_string("extranet/spaces/search_results.html", {"discussions": found}, request=request)


@cncd_hooks.register(cncd_hooks.HOME_SECTIONS)
def shared_experiences(request, home) -> str:
    """“Partageons nos expériences” on the home page: the latest discussions of the spaces the
    reader may enter, and how to share an experience."""
    from extranet.spaces.models import SpaceIndexPage

    index = SpaceIndexPage.objects.live().filter(locale=home.locale_id).first() or SpaceIndexPage.objects.live().first()
    if index is None:
        return ""
    return render_to_string(
        "extranet/spaces/home_section.html",
        {"index": index, "discussions": services.latest_discussions(request.user, 4)},
        request=request,
    )


# --- personal data (RGPD) ------------------------------------------------------------------------

COVERAGE = {
    "extranet.Discussion.author": "export: space_messages (the discussions opened); "
    "deletion: unlinked, signed “former member”",
    "extranet.Message.author": "export: space_messages; deletion: unlinked, signed “former member”",
    "extranet.Report.reporter": "export: space_reports; deletion: deleted with the account",
    "extranet.Suspension.member": "export: space_suspensions; deletion: deleted with the account",
    "extranet.ModerationEntry.moderator": "the moderators' log (staff); deletion: unlinked, their name kept in the log",
    "extranet.ModerationEntry.member": "the moderators' log; deletion: unlinked, the name kept in the log",
    "extranet.Following.user": "export: space_followings; deletion: deleted with the account",
    "extranet.SpaceDigest.user": "export: space_weekly_email; deletion: deleted with the account",
}


@cncd_hooks.register(cncd_hooks.PERSONAL_DATA)
def spaces_personal_data(user) -> dict:
    messages = Message.objects.filter(author=user).select_related("discussion__space").order_by("created_at")
    return {
        "space_messages": [
            {
                "space": item.discussion.space.title,
                "discussion": item.discussion.title,
                "text": item.text,
                "posted_at": item.created_at.isoformat(),
                "hidden_by_moderators": item.is_hidden,
            }
            for item in messages
        ],
        "space_reports": [
            {"message": item.message.text, "reason": item.reason, "reported_at": item.created_at.isoformat()}
            for item in Report.objects.filter(reporter=user).select_related("message")
        ],
        "space_suspensions": [
            {"space": item.space.title, "reason": item.reason, "until": item.until.isoformat() if item.until else None}
            for item in Suspension.objects.filter(member=user).select_related("space")
        ],
        "space_followings": [
            str(item.space.title if item.space_id else item.discussion.title)
            for item in Following.objects.filter(user=user).select_related("space", "discussion")
        ],
        "space_weekly_email": digest.SpaceDigest.objects.filter(user=user, active=False).first() is None,
    }


@cncd_hooks.register(cncd_hooks.BEFORE_ACCOUNT_DELETION)
def spaces_before_deletion(user) -> None:
    """The messages stay in their discussions (the replies would not make sense without them),
    no longer signed with the member's name."""
    Message.objects.filter(author=user).update(author_name=str(_("Former member")))


# --- the moderators' back office --------------------------------------------------------------------


class ReadOnly(ReadOnlyPermissionHelper):
    """Moderators read these lists; what they do happens on the discussion's page (logged)."""

    def user_can_list(self, user):
        return services.may_moderate(user)


class ReportAdmin(ModelAdmin):
    model = Report
    menu_label = _("Reports to handle")
    menu_icon = "warning"
    permission_helper_class = ReadOnly
    list_display = ("message_link", "reason", "reporter", "created_at")
    inspect_view_enabled = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(handled_at=None)
            .select_related("message__discussion__space", "reporter")
        )

    def message_link(self, obj):
        url = services.discussion_url(obj.message.discussion) + f"#message-{obj.message_id}"
        return format_html('<a href="{}">{}</a>', url, obj.message.text[:80])

    message_link.short_description = _("message")


class ModerationLogAdmin(ModelAdmin):
    model = ModerationEntry
    menu_label = _("Moderation log")
    menu_icon = "history"
    permission_helper_class = ReadOnly
    list_display = ("created_at", "action", "moderator_name", "member_name", "space", "reason")
    list_filter = ("action",)
    search_fields = ("moderator_name", "member_name", "reason")
    inspect_view_enabled = False


@modeladmin_register
class SpacesAdminGroup(ModelAdminGroup):
    menu_label = _("Thematic spaces")
    menu_icon = "group"
    menu_order = 260
    items = (ReportAdmin, ModerationLogAdmin)


def followed_spaces_url() -> str:
    return reverse("extranet:followed_spaces")
