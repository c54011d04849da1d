"""“Mettre à jour l'Atlas” in the reference front end: the projects the member may update, their
proposals and where they stand; a proposal's page shows its diff, and staff moderate there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.core.feedback import errors_on_form, report_refusal
from atlas_pages.models import Project
from forms.atlas_updates import services as atlas_updates
from forms.atlas_updates.forms import AtlasProposalForm
from forms.atlas_updates.models import AtlasUpdate
from forms.permissions import Viewer

PER_PAGE = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    who = atlas_updates.proposer(request.user)
    staff = Viewer.of(request.user).is_staff
    if who is None and not staff:
        return render(request, "cncd_forms/atlas_updates_not_for_you.html", status=403)
    proposals = atlas_updates.visible(request.user)
    state = request.GET.get("etat", "pending" if staff else "")
    if state in AtlasUpdate.State.values:
        proposals = proposals.filter(state=state)
    proposals_page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    differences = atlas_updates.diff(list(proposals_page.object_list))
    projects = Paginator(atlas_updates.projects_for(request.user), PER_PAGE).get_page(request.GET.get("projets"))
    return render(
        request,
        "cncd_forms/atlas_updates_home.html",
        {
            "who": who,
            "staff": staff,
            "proposals": proposals_page,
            "rows": [(item, differences[item.pk]) for item in proposals_page.object_list],
            "projects": projects,
            "states": AtlasUpdate.State.choices,
            "chosen": state,
        },
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """A new project, or (``?projet=<id>``) a change to one: the form starts from the Atlas's values."""
    project = None
    project_id = request.GET.get("projet", "")
    if project_id.isdigit():
        project = atlas_updates.projects_for(request.user).filter(pk=int(project_id)).first()
        if project is None:
            raise Http404
    if atlas_updates.proposer(request.user) is None:
        return render(request, "cncd_forms/atlas_updates_not_for_you.html", status=403)
    status = 200
    if request.method == "POST":
        form = AtlasProposalForm(request.POST)
        changes = form.changes()
        if project is None:
            changes = {name: value for name, value in changes.items() if value not in ("", [])}
        try:
            item = atlas_updates.propose(
                request.user,
                "edit" if project else "new",
                changes,
                project.pk if project else None,
                request.POST.get("comment", ""),
            )
        except ValidationError as error:
            errors_on_form(error, form)
            status = 400
        except DomainError as error:
            form.add_error(None, str(error.message))
            status = 400
        else:
            messages.success(request, _("Your proposal has been sent to the moderators."))
            return redirect("cncd_forms:atlas_update", update_id=item.pk)
    else:
        initial = atlas_updates.snapshot(project) if project else {"kind": "project", "status": "ongoing"}
        who = atlas_updates.proposer(request.user)
        if project is None and who.group == "collectivites":
            initial["french_authorities"] = [who.authority_code]
        if project is None and who.group == "ambassades":
            initial["country"] = who.country
        form = AtlasProposalForm(initial=AtlasProposalForm.initial_of(initial))
    return render(request, "cncd_forms/atlas_update_form.html", {"form": form, "project": project}, status=status)


@login_required
@require_POST
def end_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """“Signaler la fin du projet”: proposes the project completed, in the year given."""
    if not Project.objects.filter(pk=project_id).exists():
        raise Http404
    try:
        item = atlas_updates.propose(
            request.user,
            "end",
            {"end_year": request.POST.get("end_year", "")},
            project_id,
            request.POST.get("comment", ""),
        )
    except (DomainError, ValidationError) as error:
        report_refusal(request, error)
        return redirect("cncd_forms:atlas_updates")
    messages.success(request, _("Your proposal has been sent to the moderators."))
    return redirect("cncd_forms:atlas_update", update_id=item.pk)


@login_required
def proposal(request: HttpRequest, update_id: int) -> HttpResponse:
    """A proposal: its diff, where it stands; staff accept or reject it, its author may withdraw it."""
    try:
        item = atlas_updates.update(request.user, update_id)
    except NotFound as error:
        raise Http404 from error
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                atlas_updates.accept(request.user, item.pk, override=request.POST.get("override") == "1")
                messages.success(request, _("The proposal has been accepted: the Atlas is up to date."))
            elif action == "reject":
                atlas_updates.reject(request.user, item.pk, request.POST.get("reason", ""))
                messages.success(request, _("The proposal has been rejected; its author has been told why."))
            elif action == "withdraw":
                atlas_updates.withdraw(request.user, item.pk)
                messages.success(request, _("Your proposal has been withdrawn."))
            else:
                raise Http404
        except (DomainError, ValidationError) as error:
            report_refusal(request, error)
        return redirect(request.path)
    viewer = Viewer.of(request.user)
    pending = item.state == AtlasUpdate.State.PENDING
    return render(
        request,
        "cncd_forms/atlas_update.html",
        {
            "update": item,
            "differences": atlas_updates.diff([item])[item.pk],
            "can_moderate": viewer.is_staff and pending,
            "can_withdraw": pending and item.proposed_by_id == request.user.pk,
            "history": atlas_updates.history(item.project_id)[:20] if item.project_id else [],
        },
    )
