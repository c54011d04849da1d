"""Back-office of the extranet: staff verify registrations and group changes (wagtail-modeladmin),
and every decision goes to Wagtail's log (who, when, what)."""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import re_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from atlas_pages.atlas.pdf import export_title
from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core.admin_helpers import ReadOnlyPermissionHelper
from atlas_pages.core.exceptions import DomainError
from atlas_pages.models import ArticlePage, EditorialPage
from extranet import albums, brief, services
from extranet.forms import DecisionForm, SaveMapForm
from extranet.models import AtlasExport, Bookmark, GroupChangeRequest, MemberProfile, SearchAlert


@hooks.register("register_log_actions")
def registration_log_actions(actions):
    actions.register_action("cncd.registration.approve", _("Approve registration"), _("Registration approved"))
    actions.register_action("cncd.registration.reject", _("Reject registration"), _("Registration rejected"))
    actions.register_action("cncd.group_change.approve", _("Approve group change"), _("Group change approved"))
    actions.register_action("cncd.group_change.reject", _("Reject group change"), _("Group change rejected"))


class DecisionPermissionHelper(ReadOnlyPermissionHelper):
    """Requests are decided, never created, edited or deleted by hand: the log stays true."""

    def user_can_list(self, user):
        return self.user_has_any_permissions(user)

    def user_can_decide(self, user, obj):
        return obj.status == obj.Status.PENDING and self.user_has_specific_permission(
            user, self.get_perm_codename("change")
        )


class DecisionButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_decide(self.request.user, obj):
            buttons.insert(
                0,
                {
                    "url": self.url_helper.get_action_url("decide", obj.pk),
                    "label": gettext("Verify"),
                    "classname": "button button-small",
                    "title": gettext("Approve or reject %(object)s") % {"object": obj},
                },
            )
        return buttons


class ActorGroupFilter(SimpleListFilter):
    """By group (Django's related-field filter needs django.contrib.admin, which is not installed)."""

    title = _("group asked for")
    parameter_name = "groupe"

    def lookups(self, request, model_admin):
        return [(actor.slug, actor.label) for actor in services.actor_groups()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_group__slug=self.value())
        return queryset


class DecisionAdmin(ModelAdmin):
    """A queue of requests waiting for staff: pending first, filtered by group and date."""

    menu_icon = "user"
    list_filter = ("status", ActorGroupFilter, "created_at")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    inspect_view_enabled = True
    permission_helper_class = DecisionPermissionHelper
    button_helper_class = DecisionButtonHelper
    approve = None
    reject = None

    def get_queryset(self, request):
        pending_first = Case(When(status="pending", then=Value(0)), default=Value(1), output_field=IntegerField())
        return (
            super()
            .get_queryset(request)
            .select_related("user", "actor_group__group", "decided_by")
            .order_by(pending_first, "-created_at")
        )

    def index_view(self, request):
        if not request.GET:  # the queue opens on what is waiting
            return redirect(f"{self.url_helper.index_url}?status__exact=pending")
        return super().index_view(request)

    def member(self, obj):
        return f"{obj.user.get_full_name()} ({obj.user.get_username()})"

    member.short_description = _("member")

    def email(self, obj):
        return obj.user.email

    email.short_description = _("e-mail")

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            re_path(
                self.url_helper.get_action_url_pattern("decide"),
                self.decide_view,
                name=self.url_helper.get_action_url_name("decide"),
            ),
        )

    def decide_view(self, request, instance_pk):
        """Approve, or reject with a reason sent to the member."""
        obj = get_object_or_404(self.get_queryset(request), pk=instance_pk)
        if not self.permission_helper.user_has_specific_permission(
            request.user, self.permission_helper.get_perm_codename("change")
        ):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if obj.status == obj.Status.PENDING and request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    self.approve(obj, by=request.user)
                    messages.success(
                        request, gettext("Approved: %(object)s has been told by e-mail.") % {"object": obj}
                    )
                else:
                    self.reject(obj, by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(
                        request, gettext("Rejected: %(object)s has received the reason by e-mail.") % {"object": obj}
                    )
                return redirect(self.url_helper.index_url)
            except DomainError as error:
                form.add_error(error.field, str(error.message))
        return TemplateResponse(
            request,
            "extranet/admin/decide.html",
            {
                "view": self,
                "object": obj,
                "form": form,
                "details": self.details(obj),
                "index_url": self.url_helper.index_url,
                "page_title": gettext("Verify"),
                "page_subtitle": str(obj),
            },
        )

    def details(self, obj) -> list[tuple[str, str]]:
        user = obj.user
        return [
            (gettext("Username"), user.get_username()),
            (gettext("Name"), user.get_full_name()),
            (gettext("E-mail"), user.email),
            (gettext("Group asked for"), obj.actor_group.group.name),
        ]


class RegistrationAdmin(DecisionAdmin):
    model = MemberProfile
    menu_label = _("Registrations")
    list_display = ("member", "email", "actor_group", "organisation", "created_at", "status")
    search_fields = (*DecisionAdmin.search_fields, "organisation", "organisation_code")
    approve = staticmethod(services.approve_registration)
    reject = staticmethod(services.reject_registration)

    def details(self, obj):
        rows = super().details(obj)
        return (
            rows
            + [
                (gettext("Civility"), obj.get_civility_display()),
                (gettext("Organisation"), obj.organisation),
                (gettext("Official code of the local authority"), obj.organisation_code),
                (gettext("Country"), obj.country),
                (gettext("Position"), obj.position),
                (gettext("Telephone"), obj.phone),
                (gettext("Registered at"), obj.created_at),
            ]
            + (
                [(gettext("Address verified by ProConnect"), obj.decision_reason)]
                if obj.decision_reason.startswith("ProConnect")
                else []
            )
        )


class GroupChangeAdmin(DecisionAdmin):
    model = GroupChangeRequest
    menu_label = _("Affiliation changes")
    menu_icon = "group"
    list_display = ("member", "email", "actor_group", "created_at", "status")
    search_fields = (*DecisionAdmin.search_fields, "motivation")
    approve = staticmethod(services.approve_group_change)
    reject = staticmethod(services.reject_group_change)

    def details(self, obj):
        current = ", ".join(str(actor.group.name) for actor in services.member_groups(obj.user))
        profile = services.profile_of(obj.user)

        def asked(label, name):
            now = getattr(profile, name, "") if profile else ""
            value = getattr(obj, name) or "—"
            if value == (now or "—"):
                return (label, value)
            return (label, gettext("%(asked)s (now: %(now)s)") % {"asked": value, "now": now or "—"})

        return super().details(obj) + [
            (gettext("Current groups"), current or "—"),
            asked(gettext("Organisation"), "organisation"),
            asked(gettext("Official code of the local authority"), "organisation_code"),
            asked(gettext("Country"), "country"),
            asked(gettext("Region"), "region"),
            (gettext("Motivation"), obj.motivation),
            (gettext("Asked at"), obj.created_at),
        ]


@modeladmin_register
class MembersAdminGroup(ModelAdminGroup):
    menu_label = _("Members")
    menu_icon = "group"
    menu_order = 250
    items = (RegistrationAdmin, GroupChangeAdmin)


# --- the personal space on the editorial pages and the Atlas ----------------------------------


@cncd_hooks.register(cncd_hooks.PAGE_ACTIONS)
def bookmark_button(request, page):
    """“Ajouter cet article à ma sélection” on every article the reader may read (the padlocked
    page's teaser view never gets here)."""
    if not isinstance(page, EditorialPage):
        return ""
    bookmarked = request.user.is_authenticated and Bookmark.objects.filter(user=request.user, page=page).exists()
    return render_to_string(
        "extranet/includes/bookmark_button.html", {"page": page, "bookmarked": bookmarked}, request=request
    )


@cncd_hooks.register(cncd_hooks.ATLAS_SEARCH_ACTIONS)
def atlas_search_buttons(request, search):
    """Under the Atlas map: save the map into an album, keep the PDF of the results."""
    if not search:
        return ""
    context = {"search": search, "title": export_title(QueryDict(search["query"]))}
    if request.user.is_authenticated:
        context["form"] = SaveMapForm(
            initial={"title": context["title"], "query": search["query"], "view_bbox": "-180,-85,180,85", "zoom": 2},
            albums=albums.albums(request.user),
        )
    return render_to_string("extranet/includes/atlas_search_buttons.html", context, request=request)


@hooks.register("before_serve_page", order=-10)
def remember_brief_reading(page, request, serve_args, serve_kwargs):
    """An article of the member's brief opened on the site is no longer new. It runs before
    the padlock (which answers padlocked pages itself), and ``mark_read`` applies the same
    padlock: a page the member may not read is not marked."""
    if request.user.is_authenticated and isinstance(page, ArticlePage):
        brief.mark_read(request.user, page)


# --- personal data (RGPD) ----------------------------------------------------------------------

#: How each place of the accounts, and of the libraries that keep something of an account, is
#: covered by the download (``services.personal_data``) or the deletion (``services.delete_account``).
ACCOUNT_COVERAGE = {
    "auth.User.email": "export: account; deletion: deleted",
    "account.EmailAddress.user": "export: email_addresses; deletion: deleted with the account",
    "account.EmailAddress.email": "export: email_addresses; deletion: deleted with the account",
    "mfa.Authenticator.user": "export: authenticators (kind and dates, no secret); deletion: deleted with the account",
    "socialaccount.SocialAccount.user": "export: linked_accounts (ProConnect); deletion: deleted with the account",
    "extranet.MemberProfile.user": "export: registration; deletion: deleted with the account",
    "extranet.MemberProfile.decided_by": "staff's decision; deletion: unlinked",
    "extranet.GroupChangeRequest.user": "export: group_change_requests; deletion: deleted with the account",
    "extranet.GroupChangeRequest.decided_by": "staff's decision; deletion: unlinked",
    "extranet.Bookmark.user": "export: bookmarks; deletion: deleted with the account",
    "extranet.MapAlbum.user": "export: map_albums; deletion: deleted with the account",
    "extranet.BriefReading.user": "which brief items were opened; deletion: deleted with the account",
    "extranet.Notice.user": "export: notifications; deletion: deleted with the account",
    "extranet.AtlasExport.owner": "export: atlas_exports; deletion: deleted with the account, files included",
    "extranet.SearchAlert.owner": "export: search_alerts; deletion: deleted with the account",
    # Wagtail keeps what editors (staff) did; members have no access to the admin.
    "wagtailcore.Page.owner": "who created a page (an editor, or the member who proposed it); deletion: unlinked",
    "wagtailcore.Page.locked_by": "the editor who locked a page; deletion: unlinked",
    "wagtailcore.Revision.user": "the editor of a revision; deletion: unlinked",
    "wagtailcore.ModelLogEntry.user": "staff's actions (a deleted member's decisions lose the member's name)",
    "wagtailcore.PageLogEntry.user": "editors' actions on pages; members have none",
    "wagtailcore.WorkflowState.requested_by": "who asked for a moderation (editor or member); deletion: unlinked",
    "atlas_pages.EditorialPage.contributor": "export: contributions; deletion: unlinked, credited to the organisation",
    "wagtailcore.TaskState.finished_by": "an editor's moderation; deletion: unlinked",
    "wagtailcore.Comment.user": "editors' comments in the admin; deletion: deleted with the account",
    "wagtailcore.Comment.resolved_by": "editors' comments in the admin; deletion: unlinked",
    "wagtailcore.CommentReply.user": "editors' replies in the admin; deletion: deleted with the account",
    "wagtailcore.PageSubscription.user": "editors' comment notifications; deletion: deleted with the account",
    "wagtailcore.UploadedFile.uploaded_by_user": "an editor's upload in progress; deletion: unlinked",
    "wagtailcore.APIToken.user": "not used by the site; deletion: deleted with the account",
    "wagtailusers.UserProfile.user": "the admin's preferences; deletion: deleted with the account",
    "wagtailadmin.EditingSession.user": "an editor's open editing session; deletion: deleted with the account",
    "wagtailadmin.FormState.user": "an editor's unsaved form; deletion: deleted with the account",
    "wagtaildocs.Document.uploaded_by_user": "the editor who uploaded a document; deletion: unlinked",
    "wagtailimages.Image.uploaded_by_user": "export: contributions (the images of a member's proposals; "
    "otherwise the editor who uploaded it); deletion: unlinked, the image stays with the page",
    "wagtail_localize.StringTranslation.last_translated_by": "the editor who translated a text; deletion: unlinked",
    "wagtail_localize.SegmentOverride.last_translated_by": "the editor who translated a segment; deletion: unlinked",
}
cncd_hooks.register(cncd_hooks.PERSONAL_DATA_COVERAGE, lambda: ACCOUNT_COVERAGE)


# --- personal data (RGPD): the member's kept Atlas exports --------------------------------------


@cncd_hooks.register(cncd_hooks.PERSONAL_DATA)
def atlas_personal_data(user) -> dict:
    return {
        "contributions": [
            {
                "title": item.page.title,
                "state": item.state,
                "organisation": item.page.contributor_organisation,
                "images": [image.description or image.title for image in contributions.images_of(item.page)],
            }
            for item in contributions.mine(user)
        ],
        "atlas_exports": [
            {
                "title": item.title,
                "filters": item.query,
                "scope": item.scope,
                "asked_at": item.created_at.isoformat() if item.created_at else None,
            }
            for item in AtlasExport.objects.filter(owner=user).order_by("-created_at")
        ],
        "search_alerts": [
            {
                "title": item.title,
                "filters": item.query,
                "bourse": item.bourse,
                "active": item.active,
                "created_at": item.created_at.isoformat(),
                "last_sent_at": item.last_sent_at.isoformat() if item.last_sent_at else None,
            }
            for item in SearchAlert.objects.filter(owner=user).order_by("-created_at")
        ],
    }


@cncd_hooks.register(cncd_hooks.BEFORE_ACCOUNT_DELETION)
def atlas_before_deletion(user) -> None:
    """The exports go with the account (the database cascade), their PDF files once it is gone."""
    from django.db import transaction

    files = [item.file for item in AtlasExport.objects.filter(owner=user).exclude(file="")]
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])


# --- multi-factor authentication where the policy requires it (extranet.mfa) -------------------

from extranet import mfa  # noqa: E402

cncd_hooks.register(cncd_hooks.REFUSE_API_CALLER, mfa.api_refusal)


@cncd_hooks.register(cncd_hooks.MAIL_SENT)
def keep_notice(addresses, subject, body, url):
    """What the site told a member by e-mail, kept in their personal space."""
    from extranet import notices

    notices.record(addresses, subject, body, url=url)


@cncd_hooks.register(cncd_hooks.KEEP_ATLAS_EXPORT)
def keep_large_atlas_export(user, params, scope, ids) -> dict:
    """A search too large for one PDF at once: kept in “Mes exports”, made in the background."""
    from extranet.exports import keep_export

    item = keep_export(user, params, scope, ids=ids)
    return {"id": item.pk, "status": item.status, "progress": item.progress, "project_count": item.project_count}


# --- members' contributions: the author is told of the editors' decision -------------------------

from extranet import contributions  # noqa: E402

contributions.connect()


# --- the thematic spaces (extranet/spaces/) ------------------------------------------------------

from extranet.spaces import wagtail_hooks as spaces_hooks  # noqa: E402

ACCOUNT_COVERAGE.update(spaces_hooks.COVERAGE)
