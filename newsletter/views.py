"""The letter in the reference front end: subscribe (double opt-in), confirm, unsubscribe in one
click, and the member's own subscription in the personal space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.core.feedback import report_refusal
from newsletter import services
from newsletter.models import RUBRICS


def subscribe(request: HttpRequest) -> HttpResponse:
    values, errors, status = {"language": request.LANGUAGE_CODE[:2], "rubrics": []}, {}, 200
    if request.method == "POST":
        values = {
            "email": request.POST.get("email", ""),
            "language": request.POST.get("language", ""),
            "rubrics": request.POST.getlist("rubrics"),
        }
        try:
            services.subscribe(request, values["email"], values["language"], values["rubrics"])
        except ValidationError as error:
            errors, status = error.message_dict, 400
        except DomainError as error:
            errors, status = {"email": [str(error.message)]}, error.status_code
        else:
            return render(request, "newsletter/subscribe_sent.html", {"email": values["email"]})
    return render(
        request,
        "newsletter/subscribe.html",
        {"values": values, "errors": errors, "rubrics": RUBRICS.choices, "consent": services.CONSENT_TEXT},
        status=status,
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners confirm nothing); POST confirms."""
    try:
        subscription = services.confirm(token) if request.method == "POST" else services.pending_confirmation(token)
    except ValidationError as error:
        return render(request, "newsletter/confirm.html", {"error": error.message_dict["token"][0]}, status=400)
    if request.method == "POST":
        return render(request, "newsletter/confirmed.html", {"subscription": subscription})
    return render(request, "newsletter/confirm.html", {"subscription": subscription})


@csrf_exempt  # the token is the credential; mail clients POST here (RFC 8058) without a session
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button, so that link scanners unsubscribe nobody; POST (the button,
    or a mail client's one-click ``List-Unsubscribe=One-Click``) unsubscribes at once."""
    try:
        subscription = services.by_token(token)
    except NotFound:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "newsletter/unsubscribed.html", {"subscription": subscription})
    return render(request, "newsletter/unsubscribe.html", {"subscription": subscription, "rubrics": RUBRICS.choices})


def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """A subscriber's rubrics and language, from the link in every letter: no account needed."""
    try:
        subscription = services.by_token(token)
    except NotFound:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=404)
    status = 200
    if request.method == "POST":
        try:
            subscription = services.change_preferences(
                token, request.POST.getlist("rubrics"), request.POST.get("language", "")
            )
        except (ValidationError, DomainError) as error:
            report_refusal(request, error)
            status = 400 if isinstance(error, ValidationError) else error.status_code
        else:
            messages.success(request, _("Your choices have been saved."))
            return redirect(request.path)
    return render(
        request,
        "newsletter/unsubscribe.html",
        {"subscription": subscription, "rubrics": RUBRICS.choices},
        status=status,
    )


@login_required
def member(request: HttpRequest) -> HttpResponse:
    """“Ma lettre d'information”: on or off, which rubrics, which language."""
    subscription = services.member_subscription(request.user)
    if request.method == "POST":
        try:
            services.set_member_subscription(
                request.user,
                request.POST.get("subscribed") == "1",
                request.POST.getlist("rubrics"),
                request.POST.get("language") or None,
            )
        except ValidationError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Your subscription has been saved."))
        return redirect(request.path)
    return render(
        request,
        "newsletter/member.html",
        {
            "subscription": subscription,
            "subscribed": bool(subscription and subscription.state == subscription.State.CONFIRMED),
            "rubrics": RUBRICS.choices,
            "consent": services.CONSENT_TEXT,
        },
    )
