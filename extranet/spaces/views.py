"""The thematic spaces on the site: a space's discussions (and the form to open one), a
discussion (replies, reports, the moderators' acts), the space's RSS, the followed spaces in the
personal space and the e-mail's one-click stop. Wagtail serves the space's routes, so the padlock
of its page (``atlas_pages.editorial.wagtail_hooks.apply_padlock``) has answered before these run."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from atlas_pages.core import throttle
from atlas_pages.core.exceptions import DomainError
from atlas_pages.core.feedback import errors_on_form, report_refusal
from extranet.spaces import digest, services
from extranet.spaces.models import REASON_MAX, TEXT_MAX, TITLE_MAX, SpaceIndexPage, SpacePage


class DiscussionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Subject"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Plain text; leave a blank line between paragraphs."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason, told to the member"), max_length=REASON_MAX)
    until = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: until a moderator lifts it."),
    )


def _render(request, space: SpacePage, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = TemplateResponse(
        request,
        template,
        {"page": space, "self": space, "may_moderate": services.may_moderate(request.user), **context},
        status=status,
    )
    add_never_cache_headers(response)  # what a member sees depends on who they are
    return response


def space(request: HttpRequest, space: SpacePage) -> HttpResponse:
    form = DiscussionForm(request.POST or None)
    source = services.space_for(request.user, space.pk)  # an English alias shows the French page's discussions
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("follow", "unfollow"):
                services.follow(request.user, space_id=space.pk, on=action == "follow")
                messages.success(
                    request,
                    _("You follow this space.") if action == "follow" else _("You no longer follow this space."),
                )
                return redirect(space.url)
            if form.is_valid():
                throttle.consume(request, "space_post")
                found = services.open_discussion(
                    request.user, space.pk, form.cleaned_data["title"], form.cleaned_data["text"]
                )
                messages.success(request, _("Your discussion is open."))
                return redirect(services.discussion_url(found))
        except ValidationError as error:
            errors_on_form(error, form)
        except DomainError as error:
            form.add_error(None, str(error.message))
        status = 400
    user = request.user
    context = {
        "discussions": services.discussions(user, space.pk)[:100],
        "form": form,
        "may_write": services.may_write(user, source),
        "suspension": services.suspension_of(user, source),
        "followed": services.follows(user, space=source),
        "is_public": services.visibility(source)[0] == "public",
    }
    return _render(request, space, "extranet/spaces/space_page.html", context, status)


def discussion(request: HttpRequest, space: SpacePage, discussion_id: int) -> HttpResponse:
    user = request.user
    try:
        found = services.discussion_for(user, discussion_id)
    except DomainError as error:
        raise Http404(str(error.message)) from error
    if found.space_id != space.pk and found.space_id != services.space_for(user, space.pk).pk:
        return redirect(services.discussion_url(found))
    form = ReplyForm(request.POST if request.method == "POST" and request.POST.get("action") == "reply" else None)
    suspend_form = SuspendForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "suspend" else None
    )
    status = 200
    if request.method == "POST":
        done = _act(request, found, form, suspend_form)
        if done:
            return redirect(request.path + done)
        status = 400
    items = list(services.messages(user, found))
    for item in items:
        item.shown = services.shown_text(item, user)
    context = {
        "discussion": found,
        "items": items,
        "form": form,
        "suspend_form": suspend_form,
        "may_write": services.may_write(user, found.space),
        "suspension": services.suspension_of(user, found.space),
        "followed": services.follows(user, discussion=found),
    }
    return _render(request, space, "extranet/spaces/discussion.html", context, status)


def _number(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _act(request: HttpRequest, found, form: ReplyForm, suspend_form: SuspendForm) -> str:
    """One of the discussion page's forms; returns the anchor to go back to, or "" if refused."""
    user, post = request.user, request.POST
    action = post.get("action", "")
    message_id = _number(post.get("message"))
    try:
        if action == "reply":
            if not form.is_valid():
                return ""
            throttle.consume(request, "space_post")
            message = services.reply(user, found.pk, form.cleaned_data["text"])
            messages.success(request, _("Your reply is posted."))
            return f"#message-{message.pk}"
        if action in ("follow", "unfollow"):
            services.follow(user, discussion_id=found.pk, on=action == "follow")
            messages.success(
                request,
                _("You follow this discussion.") if action == "follow" else _("You no longer follow this discussion."),
            )
            return "#"
        if action == "report":
            throttle.consume(request, "space_report")
            services.report(user, message_id, post.get("reason", ""))
            messages.success(request, _("Thank you: the moderators will read your report."))
        elif action in ("hide", "show"):
            services.set_hidden(user, message_id, action == "hide", post.get("reason", ""))
            messages.success(
                request, _("The message is hidden.") if action == "hide" else _("The message is shown again.")
            )
        elif action == "edit":
            services.edit(user, message_id, post.get("text", ""), post.get("reason", ""))
            messages.success(request, _("The message is edited."))
        elif action == "dismiss":
            services.dismiss_reports(user, message_id, post.get("reason", ""))
            messages.success(request, _("The reports are dismissed."))
        elif action == "suspend":
            if not suspend_form.is_valid():
                return ""
            services.suspend(
                user,
                found.space_id,
                _number(post.get("member")),
                suspend_form.cleaned_data["reason"],
                suspend_form.cleaned_data["until"],
            )
            messages.success(request, _("The member is suspended from this space."))
        else:
            messages.error(request, _("Unknown action."))
            return ""
    except (DomainError, ValidationError) as error:
        if isinstance(error, ValidationError) and action == "reply":
            errors_on_form(error, form)
        elif isinstance(error, ValidationError) and action == "suspend":
            errors_on_form(error, suspend_form)
        else:
            report_refusal(request, error)
        return ""
    return f"#message-{message_id}" if message_id else "#"


class SpaceFeed(Feed):
    """A space's latest discussions. Feed readers are anonymous: the padlock has already refused
    them a space that is not public, and hidden messages are never in it."""

    feed_type = Rss201rev2Feed

    def __init__(self, space: SpacePage, request) -> None:
        super().__init__()
        self.space, self.request = space, request

    def get_object(self, request, *args, **kwargs):
        return self.space

    def title(self, space):
        return _("%(space)s — CNCD à la carte") % {"space": space.title}

    def link(self, space):
        return space.get_url(self.request)

    def description(self, space):
        return space.teaser

    def items(self, space):
        rows = list(services.discussions(AnonymousUser(), space.pk)[:20])
        first = services.first_messages(rows)
        for row in rows:
            row.first_text = first.get(row.pk, "")
        return rows

    def item_title(self, discussion):
        return discussion.title

    def item_description(self, discussion):
        # Readers show a description as HTML: the member's text goes as escaped HTML.
        return services.as_html(discussion.first_text)

    def item_link(self, discussion):
        return self.request.build_absolute_uri(services.discussion_url(discussion))

    def item_pubdate(self, discussion):
        return discussion.created_at


def feed(request: HttpRequest, space: SpacePage) -> HttpResponse:
    return SpaceFeed(space, request)(request)


@login_required
def followed_spaces(request: HttpRequest) -> HttpResponse:
    """“Espaces suivis”: what the member follows, and the weekly e-mail switched on or off."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("digest_on", "digest_off"):
                digest.set_active(request.user, action == "digest_on")
                messages.success(request, _("Your choice is saved."))
            elif action == "unfollow_space":
                services.follow(request.user, space_id=_number(request.POST.get("space")), on=False)
                messages.success(request, _("You no longer follow this space."))
            elif action == "unfollow_discussion":
                services.follow(request.user, discussion_id=_number(request.POST.get("discussion")), on=False)
                messages.success(request, _("You no longer follow this discussion."))
        except DomainError as error:
            report_refusal(request, error)
        return redirect("extranet:followed_spaces")
    index = SpaceIndexPage.objects.live().first()
    return render(
        request,
        "extranet/spaces/followed.html",
        {
            "followings": services.followings(request.user),
            "digest": digest.settings_of(request.user),
            "spaces_url": index.url if index else "",
        },
    )


@csrf_exempt  # the signed link is the proof; a mail client's one-click POST (RFC 8058) has no token
def stop_digest(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's link: a page with one button (link checkers only GET), or the mail client's
    one-click POST; no login needed."""
    try:
        current = digest.by_token(token)
        if request.method == "POST":
            digest.stop(token)
            return render(request, "extranet/spaces/digest_stopped.html", {"stopped": True})
    except DomainError as error:
        return render(request, "extranet/spaces/digest_stopped.html", {"message": error.message}, status=404)
    return render(request, "extranet/spaces/digest_stopped.html", {"stopped": not current.active})
