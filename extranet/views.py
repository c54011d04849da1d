"""The extranet's pages: registration into a group, “Mon espace personnel” and the profile."""

from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from atlas_pages.core.exceptions import DomainError
from atlas_pages.core.feedback import errors_on_form, refusals_as_messages
from extranet import albums, alerts, bookmarks, brief, contributions, declarations, exports, notices, services
from extranet.forms import (
    AlbumForm,
    BookmarkNoteForm,
    ContributionForm,
    DeleteAccountForm,
    GroupChangeForm,
    ProfileForm,
    SaveMapForm,
    SendExportForm,
    fit_to_group,
)
from extranet.groups import ACTOR_GROUP_SLUGS
from extranet.ratelimits import limited


def personal_data_response(user) -> JsonResponse:
    """Everything the site holds about the member, as a JSON file to download (page and API)."""
    response = JsonResponse(services.personal_data(user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="cncd-mes-donnees.json"'
    return response


class RegistrationView(SignupView):
    """allauth's signup, reached through the choice of a group (``?groupe=<slug>``)."""

    template_name = "account/signup.html"

    def chosen_group(self) -> str:
        slug = self.request.POST.get("group") or self.request.GET.get("groupe") or ""
        return slug if slug in ACTOR_GROUP_SLUGS else ""

    def get(self, request, *args, **kwargs):
        if not self.chosen_group():
            return render(request, "extranet/choose_group.html", {"groups": services.actor_groups()})
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "group": self.chosen_group()}

    def get_form(self, form_class=None):
        """Only the questions of the chosen group: the local authority's official code for
        local authorities, the country (required) for embassies."""
        form = super().get_form(form_class)
        group = self.chosen_group()
        fit_to_group(form, group)
        if (
            group == "collectivites"
        ):  # the name offered from the official list as it is typed; choosing it gives the code
            form.fields["organisation"].widget.attrs.update(
                {
                    "data-autocomplete-url": reverse("api:official_authorities"),
                    "data-autocomplete-code": "id_organisation_code",
                    "data-autocomplete-label": _("French local authorities"),
                    "data-autocomplete-found": _("authorities found: use the arrows to choose"),
                }
            )
            form.fields["organisation"].help_text = _(
                "Type the name of your local authority and choose it from the official list: its code follows."
            )
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {actor.slug: actor for actor in services.actor_groups()}
        context["group"] = groups.get(self.chosen_group())
        return context


@login_required
def personal_space(request: HttpRequest) -> HttpResponse:
    """“Mon espace personnel”: the member's home in the extranet."""
    return render(
        request,
        "extranet/personal_space.html",
        {
            "groups": services.member_groups(request.user),
            "profile": services.profile_of(request.user),
            "brief": brief.brief(request.user),
            "counts": services.personal_space_counts(request.user),
            "section": "home",
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """“Vérifier mes informations personnelles”."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            errors_on_form(error, form)
        else:
            messages.success(request, _("Your information has been saved."))
            return redirect("extranet:profile")
    return render(request, "extranet/profile.html", {"form": form, "section": "profile"})


@login_required
def change_group(request: HttpRequest) -> HttpResponse:
    """A member asks staff to move them to another group, and follows the answer."""
    form = GroupChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = {name: form.cleaned_data.get(name) or "" for name in services.AFFILIATION_FIELDS}
            services.request_group_change(
                request.user, form.cleaned_data["group"], form.cleaned_data["motivation"], **affiliation
            )
        except ValidationError as error:
            errors_on_form(error, form)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request has been sent to the CNCD team, who will verify it."))
            return redirect("extranet:change_group")
    return render(
        request,
        "extranet/change_group.html",
        {
            "form": form,
            "groups": services.member_groups(request.user),
            "profile": services.profile_of(request.user),
            "requests": services.group_requests(request.user),
            "section": "group",
        },
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "extranet/my_data.html", {"section": "data", "form": DeleteAccountForm(user=request.user)})


@login_required
@require_GET
def download_my_data(request: HttpRequest) -> HttpResponse:
    return personal_data_response(request.user)


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
    return render(
        request, "extranet/my_data.html", {"section": "data", "form": form}, status=400 if form.errors else 200
    )


def _back(request: HttpRequest, default: str) -> str:
    """Where to go after a form posted from another page: ``next`` when it is on this site."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _step(request: HttpRequest) -> int:
    """The place an up or down button asks for: just before or after the item's own."""
    try:
        current = int(request.POST.get("position") or 1)
    except ValueError:
        current = 1
    return max(1, current - 1 if request.POST.get("action") == "up" else current + 1)


# --- “Ma sélection” ---------------------------------------------------------------------------


@login_required
def selection(request: HttpRequest) -> HttpResponse:
    rows = bookmarks.selection(request.user, request)
    for row in rows:
        row.form = BookmarkNoteForm(initial={"note": row.bookmark.note}, prefix=f"b{row.bookmark.pk}")
    return render(request, "extranet/selection.html", {"rows": rows, "section": "selection"})


@login_required
@require_POST
def add_bookmark(request: HttpRequest) -> HttpResponse:
    """“Ajouter cet article à ma sélection”, from the article's page."""
    with refusals_as_messages(request):
        page_id = request.POST.get("page_id", "")
        bookmarks.add(request.user, int(page_id) if page_id.isdigit() else 0)
        messages.success(request, _("The article has been added to your selection."))
    return redirect(_back(request, reverse("extranet:selection")))


@login_required
@require_POST
def change_bookmark(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    """One form per bookmark: save its note, move it up or down, or remove it."""
    action = request.POST.get("action")
    with refusals_as_messages(request):
        if action == "remove":
            bookmarks.remove(request.user, bookmark_id)
            messages.success(request, _("The article has been removed from your selection."))
        elif action in ("up", "down"):
            bookmarks.update(request.user, bookmark_id, position=_step(request))
        else:
            form = BookmarkNoteForm(request.POST, prefix=f"b{bookmark_id}")
            if not form.is_valid():
                raise ValidationError(form.errors)
            bookmarks.update(request.user, bookmark_id, note=form.cleaned_data["note"])
            messages.success(request, _("Your note has been saved."))
    return redirect(_back(request, reverse("extranet:selection")))


# --- albums of maps ---------------------------------------------------------------------------


@login_required
def map_albums(request: HttpRequest) -> HttpResponse:
    """The member's albums; the form at the bottom creates one."""
    form = AlbumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            albums.create_album(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            errors_on_form(error, form)
        else:
            messages.success(request, _("The album has been created."))
            return redirect("extranet:albums")
    base_url = albums.atlas_url()
    items = albums.albums(request.user)
    for album in items:
        album.views = [albums.view_of(saved, base_url) for saved in album.maps.all()]
        album.rename_form = AlbumForm(initial={"name": album.name}, prefix=f"a{album.pk}")
    return render(
        request,
        "extranet/albums.html",
        {"albums": items, "form": form, "atlas_url": base_url, "section": "albums"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def change_album(request: HttpRequest, album_id: int) -> HttpResponse:
    action = request.POST.get("action")
    with refusals_as_messages(request):
        if action == "delete":
            albums.delete_album(request.user, album_id)
            messages.success(request, _("The album and its maps have been deleted."))
        elif action in ("up", "down"):
            albums.update_album(request.user, album_id, position=_step(request))
        else:
            albums.update_album(request.user, album_id, name=request.POST.get(f"a{album_id}-name", ""))
            messages.success(request, _("The album has been renamed."))
    return redirect("extranet:albums")


@login_required
@require_POST
def change_map(request: HttpRequest, map_id: int) -> HttpResponse:
    action = request.POST.get("action")
    with refusals_as_messages(request):
        if action == "delete":
            albums.delete_map(request.user, map_id)
            messages.success(request, _("The map has been deleted."))
        elif action in ("up", "down"):
            albums.update_map(request.user, map_id, position=_step(request))
        elif action == "move":
            album = request.POST.get("album", "")
            albums.update_map(request.user, map_id, move_to_album=int(album) if album.isdigit() else 0)
            messages.success(request, _("The map has been moved."))
    return redirect("extranet:albums")


@login_required
def save_map(request: HttpRequest) -> HttpResponse:
    """Posted from under the Atlas map; on a fault the form comes back with what was typed."""
    user_albums = albums.albums(request.user)
    form = SaveMapForm(request.POST or None, albums=user_albums)
    if request.method == "POST" and form.is_valid():
        try:
            saved = albums.save_map(request.user, **form.service_arguments())
        except (ValidationError, DomainError) as error:
            if isinstance(error, DomainError):
                form.add_error(None, str(error.message))
            else:
                errors_on_form(error, form)
        else:
            messages.success(
                request,
                _("The map “%(title)s” has been saved in the album “%(album)s”.")
                % {"title": saved.title, "album": saved.album.name},
            )
            return redirect(reverse("extranet:albums") + f"#carte-{saved.pk}")
    return render(
        request, "extranet/save_map.html", {"form": form, "section": "albums"}, status=400 if form.errors else 200
    )


# --- saved PDF exports ------------------------------------------------------------------------


@login_required
def exports_page(request: HttpRequest) -> HttpResponse:
    items = list(exports.exports(request.user)[:100])
    for item in items:
        item.filters = exports.filters_of(item)
    return render(
        request, "extranet/exports.html", {"exports": items, "send_form": SendExportForm(), "section": "exports"}
    )


@login_required
@require_POST
def keep_export(request: HttpRequest) -> HttpResponse:
    """“Exporter les résultats en pdf” into the personal space, from the Atlas search."""
    item = None
    with refusals_as_messages(request):
        item = exports.keep(request.user, request.POST.get("query", ""), request.POST.get("scope", "country"))
    if item is None:
        return redirect(_back(request, reverse("extranet:exports")))
    if item.status == item.Status.READY:
        messages.success(request, _("The PDF has been saved in your personal space."))
    else:
        messages.info(request, _("The PDF is being prepared: you will receive an e-mail when it is ready."))
    return redirect(reverse("extranet:exports") + f"#export-{item.pk}")


@login_required
@require_POST
def delete_export(request: HttpRequest, export_id: int) -> HttpResponse:
    with refusals_as_messages(request):
        exports.delete(request.user, export_id)
        messages.success(request, _("The export has been deleted."))
    return redirect("extranet:exports")


@login_required
def send_export(request: HttpRequest, export_id: int) -> HttpResponse:
    """“L'adresser par courriel à un ami”: the form, kept with what was typed on a fault."""
    try:
        item = exports.export(request.user, export_id)
    except DomainError as error:
        raise Http404 from error
    form = SendExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limited(request, "send_export")
            exports.send(request.user, export_id, form.cleaned_data["email"], form.cleaned_data["message"])
        except ValidationError as error:
            errors_on_form(error, form)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("The export has been sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("extranet:exports")
    return render(
        request,
        "extranet/send_export.html",
        {"export": item, "filters": exports.filters_of(item), "form": form, "section": "exports"},
        status=400 if form.errors else 200,
    )


@require_GET
def shared_export(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a colleague: the PDF, while the link is valid (a week)."""
    try:
        item = exports.shared_export(token)
    except DomainError as error:
        return render(request, "extranet/shared_export_expired.html", {"message": error.message}, status=404)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=f"atlas-cncd-{item.pk}.pdf")


# --- alerts on an Atlas search ----------------------------------------------------------------


@login_required
def alerts_page(request: HttpRequest) -> HttpResponse:
    items = list(alerts.alerts(request.user)[: alerts.MAX_ALERTS])
    for item in items:
        item.filters = alerts.filters_of(item)
    return render(
        request,
        "extranet/alerts.html",
        {"alerts": items, "section": "alerts", "every_days": alerts.EVERY.days, "atlas_url": albums.atlas_url()},
    )


@login_required
@require_POST
def create_alert(request: HttpRequest) -> HttpResponse:
    """“Recevoir les nouveautés de cette recherche”, from under the Atlas search."""
    item = None
    with refusals_as_messages(request):
        item = alerts.create(request.user, request.POST.get("query", ""), bourse=request.POST.get("bourse") == "1")
        messages.success(
            request,
            _("You follow the search “%(title)s”: the new projects will come by e-mail, once a week at most.")
            % {"title": item.title},
        )
    return redirect(reverse("extranet:alerts") + (f"#alerte-{item.pk}" if item else ""))


@login_required
@require_POST
def change_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    action = request.POST.get("action")
    with refusals_as_messages(request):
        if action == "delete":
            alerts.delete(request.user, alert_id)
            messages.success(request, _("The alert has been deleted."))
        elif action in ("stop", "resume"):
            alerts.set_active(request.user, alert_id, action == "resume")
            text = _("The alert is on again.") if action == "resume" else _("The alert is stopped.")
            messages.success(request, text)
    return redirect("extranet:alerts")


@csrf_exempt  # the signed link is the proof; a mail client's one-click POST (RFC 8058) has no token
def stop_alert(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's link: a page with one button (link checkers only GET), or the mail
    client's one-click POST; no login needed."""
    try:
        item = alerts.by_token(token)
    except DomainError as error:
        return render(request, "extranet/alert_stopped.html", {"message": error.message}, status=404)
    if request.method == "POST":
        item = alerts.stop(token)
        return render(request, "extranet/alert_stopped.html", {"alert": item, "stopped": True})
    return render(request, "extranet/alert_stopped.html", {"alert": item, "stopped": not item.active})


# --- history of teleprocedures ----------------------------------------------------------------


def _authority_projects(user) -> list:
    """The Atlas projects of the member's local authority, to tick in a contribution."""
    from atlas_pages.models import Project

    profile = services.profile_of(user)
    code = profile.organisation_code if profile is not None else ""
    if not code:
        return []
    return list(Project.objects.filter(french_authorities__code=code).order_by("title").only("pk", "title")[:50])


def _contribution_data(form, user) -> dict:
    """The form as the service takes it; a new image is uploaded first (in the caller's
    transaction: a refused proposal keeps no image)."""
    data = dict(form.cleaned_data)
    data["projects"] = list(data.get("projects") or [])
    data["images"] = list(data.get("images") or [])
    upload, alt = data.pop("image", None), data.pop("image_alt", "")
    if upload:
        try:
            data["images"].append(contributions.upload_image(user, upload, alt).pk)
        except ValidationError as error:  # named as the form names them
            names = {"file": "image", "alt": "image_alt"}
            raise ValidationError({names.get(key, key): value for key, value in error.message_dict.items()}) from error
    elif alt:
        raise ValidationError({"image": [_("Choose the image this text describes.")]})
    return data


@login_required
def my_contributions(request: HttpRequest) -> HttpResponse:
    """“Mes contributions”: propose a good practice or a testimony; the proposals and where each stands."""
    projects = _authority_projects(request.user)
    form = ContributionForm(request.POST or None, request.FILES or None, projects=projects)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    contributions.propose(
                        request.user, form.cleaned_data["kind"], _contribution_data(form, request.user)
                    )
            except ValidationError as error:
                errors_on_form(error, form)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("Your proposal has been sent to the editors: you will be told of their decision.")
                )
                return redirect("extranet:contributions")
        status = 400
    return render(
        request,
        "extranet/contributions.html",
        {"form": form, "contributions": contributions.mine(request.user), "section": "contributions"},
        status=status,
    )


@login_required
def my_contribution(request: HttpRequest, page_id: int) -> HttpResponse:
    """A proposal: where it stands, and when the editors sent it back, its form to change and resubmit."""
    try:
        found = contributions.contribution(request.user, page_id)
    except DomainError as error:
        raise Http404 from error
    page = found.page
    initial = {
        "kind": "testimony" if hasattr(page, "person_name") else "good_practice",
        "title": page.title,
        "teaser": page.teaser,
        "text": contributions.plain_text(page),
        "person_name": getattr(page, "person_name", ""),
        "person_role": getattr(page, "person_role", ""),
        "authority": getattr(page, "authority", ""),
        "country": page.country,
        "themes": [theme.slug for theme in page.themes.all()],
        "projects": [project.pk for project in page.related_projects.all()],
    }
    images = contributions.images_of(page)
    initial["images"] = [image.pk for image in images]
    form = ContributionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        projects=_authority_projects(request.user),
        images=images,
    )
    form.fields["kind"].disabled = True
    status = 200
    if request.method == "POST" and found.state == "sent_back":
        if form.is_valid():
            try:
                with transaction.atomic():
                    contributions.resubmit(request.user, page.pk, _contribution_data(form, request.user))
            except ValidationError as error:
                errors_on_form(error, form)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Your proposal has been sent to the editors again."))
                return redirect("extranet:contributions")
        status = 400
    return render(
        request,
        "extranet/contribution.html",
        {"form": form, "contribution": found, "section": "contributions"},
        status=status,
    )


@login_required
def my_declarations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "extranet/declarations.html",
        {"declarations": declarations.declarations(request.user), "section": "declarations"},
    )


@login_required
def my_notifications(request: HttpRequest) -> HttpResponse:
    """The e-mails the site sent the member, newest first; “Tout marquer comme lu”."""
    if request.method == "POST":
        notices.mark_all_read(request.user)
        return redirect("extranet:notifications")
    return render(
        request,
        "extranet/notifications.html",
        {"notices": list(notices.notices(request.user)[:100]), "section": "notifications"},
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/`` is allauth's login: one login form for every door, with its rate limits,
    the approval of registrations and multi-factor authentication. Wagtail's own form is never
    shown, and a password posted to it logs nobody in."""
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    query = urlencode({"next": target or reverse("wagtailadmin_home")})
    return redirect(f"{reverse('account_login')}?{query}")
