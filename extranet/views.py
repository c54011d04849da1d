"""The extranet's pages: registration into a group, “Mon espace personnel” and the profile."""

from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from atlas_pages.exceptions import DomainError

from . import services
from .forms import DeleteAccountForm, GroupChangeForm, ProfileForm
from .groups import ACTOR_GROUP_SLUGS


def add_errors(form, error: ValidationError) -> None:
    """A service's field errors next to the form's fields (others above the form)."""
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


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
        if group != "collectivites":
            form.fields.pop("organisation_code", None)
        if group == "ambassades":
            form.fields["country"].required = True
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
            add_errors(form, error)
        else:
            messages.success(request, _("Your information has been saved."))
            return redirect("extranet:profile")
    return render(request, "extranet/profile.html", {"form": form, "section": "profile"})


@login_required
def change_group(request: HttpRequest) -> HttpResponse:
    """A member asks staff to move them to another group, and follows the answer."""
    form = GroupChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_group_change(request.user, form.cleaned_data["group"], form.cleaned_data["motivation"])
        except ValidationError as error:
            add_errors(form, error)
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
