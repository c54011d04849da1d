"""e-APD in the reference front end: the campaigns and declarations of the member's authority
(all of them for staff), and a declaration's page where lines are added, corrected, copied from
last year and the declaration submitted. A refused line comes back with what was typed and
each fault next to its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.core.feedback import errors_on_form, report_refusal
from atlas_pages.models import Project
from forms.apd import services as apd
from forms.apd.forms import ApdLineForm
from forms.apd.models import ApdDeclaration
from forms.listing import listed
from forms.permissions import Viewer

PER_PAGE = 25


def _declaration_or_404(request: HttpRequest, declaration_id: int) -> ApdDeclaration:
    try:
        return apd.declaration(request.user, declaration_id)
    except NotFound as error:
        raise Http404 from error


@login_required
def apd_home(request: HttpRequest) -> HttpResponse:
    """“Déclaration de l'APD”: the campaigns, and the declarations the member may read."""
    viewer = Viewer.of(request.user)
    authority = apd.declarer_authority(request.user)
    if not (viewer.is_staff or authority is not None):
        return render(request, "cncd_forms/apd_not_for_you.html", status=403)
    queryset, chosen, status = listed(
        request, apd.declarations, campaign=request.GET.get("campagne", ""), state=request.GET.get("etat", "")
    )
    mine = dict(apd.declarations(request.user).values_list("campaign_id", "pk")) if authority else {}
    campaigns = [(campaign, mine.get(campaign.pk)) for campaign in apd.campaigns()]
    return render(
        request,
        "cncd_forms/apd_home.html",
        {
            "authority": authority,
            "campaigns": campaigns,
            "page_obj": Paginator(queryset, PER_PAGE).get_page(request.GET.get("page")),
            "states": ApdDeclaration.State.choices,
            "chosen": {"campagne": chosen["campaign"], "etat": chosen["state"]},
        },
        status=status,
    )


@login_required
@require_POST
def start_declaration(request: HttpRequest, campaign_id: int) -> HttpResponse:
    try:
        item, _created = apd.start(request.user, campaign_id)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        report_refusal(request, error)
        return redirect("cncd_forms:apd")
    return redirect("cncd_forms:apd_declaration", declaration_id=item.pk)


@login_required
def declaration_page(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """The declaration: its lines and totals, the line form (``?ligne=<id>`` to correct a line),
    and the buttons the member may use."""
    item = _declaration_or_404(request, declaration_id)
    viewer = Viewer.of(request.user)
    declarer = viewer.authority_code == item.authority.code
    projects = Project.objects.filter(french_authorities=item.authority).select_related("country").order_by("title")
    lines = apd.lines(item)
    editing = None
    if request.GET.get("ligne", "").isdigit():
        editing = next((line for line in lines if line.pk == int(request.GET["ligne"])), None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = ApdLineForm(request.POST, projects=projects)
        try:
            if action == "save_line" and request.POST.get("line", "").isdigit():
                apd.update_line(request.user, item.pk, int(request.POST["line"]), form.values())
                messages.success(request, _("The line has been corrected."))
            elif action == "save_line":
                apd.add_line(request.user, item.pk, form.values())
                messages.success(request, _("The line has been added."))
            elif action == "remove_line" and request.POST.get("line", "").isdigit():
                apd.remove_line(request.user, item.pk, int(request.POST["line"]))
                messages.success(request, _("The line has been removed."))
            elif action == "copy_previous":
                copied = apd.copy_previous(request.user, item.pk)
                messages.success(request, _("%(count)d lines copied from last year: check them.") % {"count": copied})
            elif action == "submit":
                apd.submit(request.user, item.pk)
                messages.success(
                    request, _("Your declaration has been submitted: the receipt has been sent to you by e-mail.")
                )
            elif action == "request_correction":
                apd.request_correction(request.user, item.pk, request.POST.get("reason", ""))
                messages.success(request, _("The authority has been asked for a correction."))
            else:
                raise Http404
        except ValidationError as error:
            if action != "save_line":
                report_refusal(request, error)
                return redirect(request.path)
            errors_on_form(error, form)
            status = 400
            editing = next((line for line in lines if str(line.pk) == request.POST.get("line")), None)
        except DomainError as error:
            report_refusal(request, error)
            return redirect(request.path)
        else:
            return redirect(request.path)
    else:
        form = ApdLineForm(initial=ApdLineForm.initial_of(editing) if editing else None, projects=projects)
    return render(
        request,
        "cncd_forms/apd_declaration.html",
        {
            "declaration": item,
            "lines": lines,
            "totals": apd.totals(item),
            "form": form,
            "editing": editing,
            "can_edit": declarer and item.editable,
            "can_submit": declarer and item.editable and bool(lines),
            "can_request_correction": viewer.is_staff and item.state == ApdDeclaration.State.SUBMITTED,
            "events": apd.history(request.user, item.pk),
        },
        status=status,
    )


@login_required
def receipt(request: HttpRequest, declaration_id: int) -> FileResponse:
    item = _declaration_or_404(request, declaration_id)
    if not item.receipt:
        raise Http404
    return FileResponse(
        item.receipt.open("rb"), as_attachment=True, filename=f"{item.reference}.pdf", content_type="application/pdf"
    )
