from datetime import datetime
from typing import Literal

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from atlas_pages.auth import member_auth
from atlas_pages.exceptions import NotFound

from . import bookmarks, services
from .views import personal_data_response

router = Router(tags=["extranet"])


class ActorGroupOut(Schema):
    slug: str
    name: str


class RegistrationOut(Schema):
    group: ActorGroupOut
    status: str = Field(description="pending, approved or rejected")
    registered_at: datetime
    decided_at: datetime | None


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    civility: str
    organisation: str
    organisation_code: str
    country: str
    position: str
    phone: str
    newsletter_opt_in: bool
    is_staff: bool
    groups: list[ActorGroupOut]
    registration: RegistrationOut | None


class MeIn(Schema):
    """Only the fields sent change. E-mail and password change through allauth
    (``/_allauth/{client}/v1/account/email`` and ``.../account/password/change``), which
    re-verify the address and notify the member."""

    username: str | None = Field(None, max_length=150)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    civility: Literal["", "mme", "m"] | None = None
    organisation: str | None = Field(None, max_length=255)
    organisation_code: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2)
    position: str | None = Field(None, max_length=255)
    phone: str | None = Field(None, max_length=40)
    newsletter_opt_in: bool | None = None


class GroupRequestIn(Schema):
    group: str = Field(description="Slug of the group asked for")
    motivation: str = Field(max_length=2000)


class GroupRequestOut(Schema):
    id: int
    group: ActorGroupOut
    motivation: str
    status: str = Field(description="pending, approved or rejected")
    asked_at: datetime
    decided_at: datetime | None
    decision_reason: str


class AccountDeletionIn(Schema):
    password: str


def _group_out(group) -> ActorGroupOut:
    return ActorGroupOut(slug=group.slug, name=str(group.label))


@router.get("/groups/", response=list[ActorGroupOut], summary="The nine actor groups", auth=None)
def list_groups(request: HttpRequest):
    """The groups a visitor can register into, names in the requested language."""
    return [_group_out(group) for group in services.actor_groups()]


@router.get("/groups/{slug}/", response=ActorGroupOut, summary="One actor group", auth=None)
def get_group(request: HttpRequest, slug: str):
    for group in services.actor_groups():
        if group.slug == slug:
            return _group_out(group)
    raise NotFound()


def _me_out(user) -> MeOut:
    profile = services.profile_of(user)
    details = {name: getattr(profile, name) if profile else "" for name in services.PROFILE_ONLY_FIELDS}
    details["newsletter_opt_in"] = bool(profile and profile.newsletter_opt_in)
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_staff=user.is_staff,
        groups=[_group_out(group) for group in services.member_groups(user)],
        registration=RegistrationOut(
            group=_group_out(profile.actor_group),
            status=profile.status,
            registered_at=profile.created_at,
            decided_at=profile.decided_at,
        )
        if profile
        else None,
        **details,
    )


@router.get("/me/", response=MeOut, summary="My profile", auth=member_auth)
def me(request: HttpRequest):
    return _me_out(request.user)


@router.patch("/me/", response=MeOut, summary="Update my profile", auth=member_auth)
def update_me(request: HttpRequest, payload: MeIn):
    """Changes only the fields sent, validated with the rest of the profile by the rules of
    the member's group; a field at fault is named in a 422 and nothing is saved."""
    user = services.update_profile(request.user, **payload.dict(exclude_unset=True))
    return _me_out(user)


@router.get("/me/export/", summary="Everything the site holds about me (JSON)", auth=member_auth)
def export_me(request: HttpRequest):
    """The member's personal data, as a JSON file to download."""
    return personal_data_response(request.user)


@router.post("/me/delete/", response={204: None}, summary="Delete my account", auth=member_auth)
def delete_me(request: HttpRequest, payload: AccountDeletionIn):
    """Deletes the account after checking the password; what others rely on is kept anonymised."""
    services.delete_account(request.user, payload.password)
    logout(request)
    return Status(204, None)


def _group_request_out(item) -> GroupRequestOut:
    return GroupRequestOut(
        id=item.pk,
        group=_group_out(item.actor_group),
        motivation=item.motivation,
        status=item.status,
        asked_at=item.created_at,
        decided_at=item.decided_at,
        decision_reason=item.decision_reason,
    )


@router.get("/me/group-requests/", response=list[GroupRequestOut], summary="My group change requests", auth=member_auth)
def list_group_requests(request: HttpRequest):
    return [_group_request_out(item) for item in services.group_requests(request.user)]


@router.post(
    "/me/group-requests/",
    response={201: GroupRequestOut},
    summary="Ask to change group",
    auth=member_auth,
)
def create_group_request(request: HttpRequest, payload: GroupRequestIn):
    """The CNCD team verifies the change like a registration; 409 while one is pending."""
    item = services.request_group_change(request.user, payload.group, payload.motivation)
    return Status(201, _group_request_out(item))


# --- “Ma sélection” ---------------------------------------------------------------------------


class BookmarkIn(Schema):
    page_id: int
    note: str = Field("", max_length=1000)


class BookmarkPatch(Schema):
    note: str | None = Field(None, max_length=1000)
    position: int | None = Field(None, ge=1, description="New place in the selection, 1 = first")


class BookmarkOut(Schema):
    id: int
    page_id: int | None
    title: str
    available: bool = Field(description="False when the page was deleted, unpublished or padlocked away")
    reason: str | None = Field(description="deleted, unpublished or locked when not available")
    url: str
    teaser: str
    note: str
    position: int
    created_at: datetime


def _bookmark_out(row) -> dict:
    bookmark = row.bookmark
    return {
        "id": bookmark.pk,
        "page_id": bookmark.page_id if row.available else None,
        "title": bookmark.page.title if row.available else bookmark.title,
        "available": row.available,
        "reason": row.reason,
        "url": row.url,
        "teaser": row.teaser,
        "note": bookmark.note,
        "position": bookmark.position,
        "created_at": bookmark.created_at,
    }


@router.get("/me/bookmarks/", response=list[BookmarkOut], summary="My selection", auth=member_auth)
def list_bookmarks(request: HttpRequest):
    return [_bookmark_out(row) for row in bookmarks.selection(request.user, request)]


@router.post("/me/bookmarks/", response={201: BookmarkOut}, summary="Add a page to my selection", auth=member_auth)
def add_bookmark(request: HttpRequest, payload: BookmarkIn):
    """409 if the page is already there; 403 for a page padlocked away from the member."""
    created = bookmarks.add(request.user, payload.page_id, payload.note)
    row = next(row for row in bookmarks.selection(request.user, request) if row.bookmark.pk == created.pk)
    return Status(201, _bookmark_out(row))


@router.patch("/me/bookmarks/{bookmark_id}/", response=BookmarkOut, summary="Annotate or move", auth=member_auth)
def update_bookmark(request: HttpRequest, bookmark_id: int, payload: BookmarkPatch):
    bookmarks.update(request.user, bookmark_id, **payload.dict(exclude_unset=True))
    return next(
        _bookmark_out(row) for row in bookmarks.selection(request.user, request) if row.bookmark.pk == bookmark_id
    )


@router.delete(
    "/me/bookmarks/{bookmark_id}/", response={204: None}, summary="Remove from my selection", auth=member_auth
)
def delete_bookmark(request: HttpRequest, bookmark_id: int):
    bookmarks.remove(request.user, bookmark_id)
    return Status(204, None)
