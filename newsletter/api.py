"""The letter in the API: subscribe (double opt-in), confirm, the member's own subscription, the
archive of issues (with their HTML), and one-click unsubscribe."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from atlas_pages.core.auth import any_caller, member, member_auth
from atlas_pages.core.exceptions import NotFound
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from newsletter import rendering, services
from newsletter.models import NewsletterIssuePage, Subscription

router = Router(tags=["newsletter"])


class SubscribeIn(InputSchema):
    email: str
    language: str = Field("fr", description="fr or en")
    rubrics: list[str] = Field(
        default_factory=list, max_length=10, description="testimonies, country_zooms, good_practices, news"
    )


class DetailOut(Schema):
    detail: str


class ConfirmIn(InputSchema):
    token: str


class SubscriptionOut(Schema):
    email: str
    state: str = Field(description="pending, confirmed, unsubscribed, bounced or complained")
    language: str
    rubrics: list[str]
    source: str
    consent_at: datetime | None
    consent_text_version: str


class MySubscriptionIn(InputSchema):
    subscribed: bool
    rubrics: list[str] | None = Field(None, max_length=10)
    language: str | None = None


class IssueSummaryOut(Schema):
    id: int
    title: str
    subject: str
    issue_date: date
    language: str
    url: str


class IssueOut(IssueSummaryOut):
    preheader: str
    html: str = Field(description="The web version (padlocked pages as their teaser)")


class IssueListOut(Schema):
    count: int
    items: list[IssueSummaryOut]


class IssueQuery(InputSchema):
    language: str | None = None


def _subscription_out(item: Subscription) -> dict:
    return {
        "email": item.email,
        "state": item.state,
        "language": item.language,
        "rubrics": item.rubrics or [],
        "source": item.source,
        "consent_at": item.consent_at,
        "consent_text_version": item.consent_text_version,
    }


@router.post(
    "/newsletter/subscriptions/", response={202: DetailOut}, summary="Subscribe (double opt-in)", auth=any_caller
)
def subscribe(request: HttpRequest, payload: SubscribeIn):
    """Sends a confirmation link; the answer is the same whether the address is known or not."""
    services.subscribe(request, payload.email, payload.language, payload.rubrics, source=Subscription.Source.API)
    return Status(202, {"detail": gettext("Check your inbox: follow the link we sent to confirm.")})


@router.post(
    "/newsletter/subscriptions/confirm", response=SubscriptionOut, summary="Confirm a subscription", auth=any_caller
)
def confirm(request: HttpRequest, payload: ConfirmIn):
    """The token of the link e-mailed to the address; 422 (field ``token``) when it is not valid any more."""
    return _subscription_out(services.confirm(payload.token))


@router.get(
    "/newsletter/subscriptions/me", response={200: SubscriptionOut, 404: DetailOut}, summary="Mine", auth=member_auth
)
def my_subscription(request: HttpRequest):
    found = services.member_subscription(member(request))
    if found is None:
        raise NotFound()
    return _subscription_out(found)


@router.put("/newsletter/subscriptions/me", response=SubscriptionOut, summary="Turn mine on or off", auth=member_auth)
def set_my_subscription(request: HttpRequest, payload: MySubscriptionIn):
    """With the address the member verified: no confirmation needed."""
    found = services.set_member_subscription(member(request), payload.subscribed, payload.rubrics, payload.language)
    if found is None:
        raise NotFound()
    return _subscription_out(found)


@router.post("/newsletter/unsubscribe/{token}", response=SubscriptionOut, summary="Unsubscribe (one click)", auth=None)
def unsubscribe(request: HttpRequest, token: str):
    """The token is the credential (the one in every letter's link); no login, no CSRF."""
    return _subscription_out(services.unsubscribe(token))


def _issue_summary(request: HttpRequest, issue: NewsletterIssuePage) -> dict:
    return {
        "id": issue.pk,
        "title": issue.title,
        "subject": issue.subject,
        "issue_date": issue.issue_date,
        "language": issue.language,
        "url": issue.get_url(request) or "",
    }


@router.get("/newsletter/issues/", response=IssueListOut, summary="The archive", auth=any_caller)
def list_issues(request: HttpRequest, filters: Query[IssueQuery], paging: Query[Paging]):
    queryset = NewsletterIssuePage.objects.live().public().order_by("-issue_date", "-pk")
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    items = [_issue_summary(request, issue) for issue in queryset[paging.offset : paging.offset + paging.limit]]
    return {"count": queryset.count(), "items": items}


@router.get("/newsletter/issues/{issue_id}/", response=IssueOut, summary="An issue, with its HTML", auth=any_caller)
def get_issue(request: HttpRequest, issue_id: int):
    issue = NewsletterIssuePage.objects.live().public().filter(pk=issue_id).first()
    if issue is None:
        raise NotFound()
    return {**_issue_summary(request, issue), "preheader": issue.preheader, "html": rendering.web_html(issue)}
