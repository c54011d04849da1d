"""The teleprocedures in the reference front end: parse, call the service, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from atlas_pages.exceptions import NotFound

from . import services


@login_required
def dossier_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """A dossier as the member may see it: its content, budget, opinions and history."""
    try:
        dossier, events = services.events(request.user, dossier_id)
    except NotFound as error:
        raise Http404 from error
    lines = list(dossier.budget_lines.all())
    return render(
        request,
        "cncd_forms/dossier.html",
        {
            "dossier": dossier,
            "lines": lines,
            "totals": services.budget_totals(lines),
            "opinions": services.visible_opinions(request.user, dossier),
            "waiting": services.waiting_for(dossier),
            "events": events,
            "documents": services.visible_attachments(request.user, dossier),
            "messages": list(dossier.messages.prefetch_related("attachments"))
            if services.takes_part_in_messages(request.user, dossier)
            else None,
            "can_edit": services.can_edit(request.user, dossier),
        },
    )
