"""Bourse-projets census in the reference front end: an embassy's entries and the form to record
one; an entry's page where its managers moderate, move it along, see the suggested French
authorities and the interests, and where a local authority expresses its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.core.feedback import report_refusal
from atlas_pages.models import BourseProject, Theme
from forms.bourse import services as bourse
from forms.permissions import Viewer

PER_PAGE = 25
FIELDS = ("title", "partner_name", "theme", "description", "expected_partnership", "contact")


@login_required
def census(request: HttpRequest) -> HttpResponse:
    """The entries the member manages (an embassy's country's; all for staff), and the form to
    record a new one (embassies)."""
    country = bourse.embassy_country(request.user)
    staff = Viewer.of(request.user).is_staff
    if not (country or staff):
        return render(request, "cncd_forms/bourse_not_for_you.html", status=403)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        try:
            item = bourse.record(request.user, values)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        except DomainError as error:
            report_refusal(request, error)
            return redirect(request.path)
        else:
            messages.success(request, _("The entry has been recorded: it is published once the CNCD has checked it."))
            return redirect("cncd_forms:bourse_entry", entry_id=item.pk)
    queryset = bourse.managed(request.user)
    moderation = request.GET.get("moderation", "pending" if staff else "")
    if moderation in BourseProject.Moderation.values:
        queryset = queryset.filter(moderation=moderation)
    return render(
        request,
        "cncd_forms/bourse_census.html",
        {
            "country": country,
            "staff": staff,
            "page_obj": Paginator(queryset, PER_PAGE).get_page(request.GET.get("page")),
            "moderations": BourseProject.Moderation.choices,
            "chosen": moderation,
            "themes": Theme.objects.all(),
            "values": values,
            "errors": errors,
        },
        status=status,
    )


@login_required
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        item = bourse.entry(request.user, entry_id)
    except NotFound as error:
        raise Http404 from error
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "publish":
                bourse.moderate(request.user, item.pk, "publish")
                messages.success(request, _("The entry is published on the Bourse-projets."))
            elif action == "reject":
                bourse.moderate(request.user, item.pk, "reject", request.POST.get("reason", ""))
                messages.success(request, _("The entry has been rejected; the embassy has been told why."))
            elif action == "status":
                bourse.set_status(
                    request.user, item.pk, request.POST.get("status", ""), request.POST.get("matched_authority", "")
                )
                messages.success(request, _("The entry's status has been changed."))
            elif action == "interest":
                bourse.express_interest(request.user, item.pk, request.POST.get("message", ""))
                messages.success(request, _("The embassy has been told of your authority's interest."))
            elif action == "atlas":
                project = bourse.to_atlas_project(request.user, item.pk)
                messages.success(request, _("“%(title)s” is now a project of the Atlas.") % {"title": project.title})
            else:
                raise Http404
        except (DomainError, ValidationError) as error:
            report_refusal(request, error)
        return redirect(request.path)
    manages = bourse.manages(request.user, item)
    viewer = Viewer.of(request.user)
    my_interests = bourse.interests(request.user, item)
    return render(
        request,
        "cncd_forms/bourse_entry.html",
        {
            "entry": item,
            "manages": manages,
            "staff": viewer.is_staff,
            "interests": my_interests,
            "suggestions": bourse.suggestions(request.user, item.pk) if manages else [],
            "can_express_interest": "collectivites" in viewer.groups
            and bool(viewer.authority_code)
            and item.moderation == BourseProject.Moderation.PUBLISHED
            and item.status in (BourseProject.Status.OPEN, BourseProject.Status.IN_CONTACT)
            and not any(interest.authority.code == viewer.authority_code for interest in my_interests),
            "statuses": BourseProject.Status.choices,
            "events": bourse.history(request.user, item.pk) if manages else [],
        },
    )
