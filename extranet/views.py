from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import services


@login_required
def personal_space(request: HttpRequest) -> HttpResponse:
    """“Mon espace personnel”: the member's home in the extranet."""
    return render(request, "extranet/personal_space.html", {"groups": services.member_groups(request.user)})
